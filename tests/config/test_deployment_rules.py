"""Deployment strategies, test traffic, hooks and rollback alarms: what the config refuses, by key, before AWS."""

from __future__ import annotations

from typing import Any

import pytest

from deploy.config.problems import ConfigError
from tests.conftest import PRIVATE_IMAGE, make_config, service

HOOK = "arn:aws:lambda:us-east-1:123456789012:function:smoke-test"


def worker(**fields: Any) -> dict[str, Any]:
    return {"kind": "worker", "containers": {"w": {"image": {"uri": PRIVATE_IMAGE}}}, **fields}


CASES: list[tuple[dict[str, Any], str, str]] = [
    ({"web": service(deployment={"canary": {"percent": 5}})},
     "services.web.deployment.canary", "applies only with `strategy: canary` (strategy is 'rolling')"),
    ({"web": service(deployment={"strategy": "canary", "linear": {"stepPercent": 10}})},
     "services.web.deployment.linear", "applies only with `strategy: linear` (strategy is 'canary')"),
    ({"web": service(deployment={"testTraffic": {"port": 9000}})},
     "services.web.deployment.testTraffic", "applies only to blue-green, linear and canary deployments "
                                            "(strategy is 'rolling')"),
    ({"w": worker(deployment={"strategy": "blue-green"})},
     "services.w.deployment.strategy", "blue-green moves traffic from the old revision to the new one, so the "
                                       "service needs a load balancer (`kind: web`) or callers by name (another "
                                       "service's `calls`); use rolling"),
    ({"web": service(desiredCount=0, deployment={"strategy": "linear"})},
     "services.web.deployment.strategy", "linear shifts traffic between running tasks; desiredCount 0 runs none "
                                         "(use rolling, or 1 or more tasks)"),
    ({"web": service(deployment={"strategy": "blue-green", "maximumPercent": 150})},
     "services.web.deployment.maximumPercent", "blue-green starts the new revision at full size beside the old "
                                               "one, 200% of desiredCount; must be 200 (got 150)"),
    ({"web": service(deployment={"strategy": "canary", "testTraffic": {"port": 443}})},
     "services.web.deployment.testTraffic.port", "443 is a production listener's port; pick another"),
    ({"api": worker(deployment={"strategy": "canary", "testTraffic": {"port": 9000}}),
      "web": service(calls=["api"])},
     "services.api.deployment.testTraffic.port", "a test listener is on the load balancer; this service has none "
                                                 "(Service Connect test traffic uses `header`)"),
    ({"web": service(deployment={"strategy": "canary", "hooks": [{"stage": "POST_SCALE_UP", "function": HOOK},
                                                                 {"stage": "POST_SCALE_UP", "function": HOOK}]})},
     "services.web.deployment.hooks", "POST_SCALE_UP is given more than once; one function per stage"),
    ({"web": service(loadBalancer={"priority": 1}, deployment={"strategy": "blue-green"})},
     "services.web.loadBalancer.priority", "the test traffic rule of a blue-green deployment takes the priority "
                                           "just before the service's own (1); 0 is below 1: leave a gap, or give "
                                           "`deployment.testTraffic.port`"),
    ({"web": service(loadBalancer={"paths": ["/a/*", "/b/*", "/c/*"], "hosts": ["x.example.com", "y.example.com"]},
                     deployment={"strategy": "canary"})},
     "services.web.deployment.testTraffic", "a listener rule takes at most 5 condition values (paths and hosts and "
                                            "the deployment's test header together); got 6: use fewer paths or "
                                            "hosts, or a test `port`"),
    ({"job": {"kind": "scheduled", "containers": {"j": {"image": {"uri": PRIVATE_IMAGE}}},
              "schedule": {"expression": "rate(1 hour)"}, "deployment": {"strategy": "canary"}}},
     "services.job.deployment.strategy", "canary needs an ECS service; a scheduled task has none"),
]
"""(services, key, message): each config is refused with exactly this problem among its problems."""


@pytest.mark.parametrize("services,key,message", CASES, ids=[c[1] for c in CASES])
def test_each_invalid_combination_is_refused_with_its_key(services, key, message):
    with pytest.raises(ConfigError) as err:
        make_config(services=services)
    assert (key, message) in {(p.key, p.message) for p in err.value.problems}


def test_test_rule_priority_must_not_collide_with_another_services_rule():
    with pytest.raises(ConfigError) as err:
        make_config(services={"a": service(loadBalancer={"paths": ["/a/*"], "priority": 100}),
                              "b": service(loadBalancer={"paths": ["/b/*"], "priority": 101},
                                           deployment={"strategy": "canary"})})
    assert [p.message for p in err.value.problems] == [
        "the test traffic rule of a canary deployment takes the priority just before the service's own (101); "
        "100 is taken by services.a: leave a gap, or give `deployment.testTraffic.port`"]


def test_values_out_of_the_ecs_ranges_are_refused_by_the_model():
    bad = {"strategy": "canary", "canary": {"percent": 0.05, "bakeTime": 1441}, "bakeTime": -1}
    with pytest.raises(ConfigError) as err:
        make_config(services={"web": service(deployment=bad)})
    keys = {p.key for p in err.value.problems}
    assert {"services.web.deployment.canary.percent", "services.web.deployment.canary.bakeTime",
            "services.web.deployment.bakeTime"} <= keys


def test_a_valid_canary_with_a_hook_and_a_called_worker_on_blue_green_pass():
    cfg = make_config(services={
        "web": service(calls=["api"], deployment={"strategy": "canary",
                                                  "hooks": [{"stage": "POST_TEST_TRAFFIC_SHIFT", "function": HOOK}]}),
        "api": worker(deployment={"strategy": "blue-green"}, containers={"a": {"image": {"uri": PRIVATE_IMAGE},
                                                                                "ports": [8080]}})})
    assert cfg.services["web"].deployment.strategy == "canary"
