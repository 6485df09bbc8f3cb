"""Blue-green, linear and canary deployments of the Service component, and its rollback alarms.

Each service is built from a config the way the stack program builds it (`deploy.stack.args`), so the defaults
under test are the config model's. Other components' outputs are the factories' placeholders unless a test
creates the component (load balancer, worker queue, alerts) to check the wiring.
"""

from __future__ import annotations

from typing import Any

import pytest

from components.alerts import Alerts, AlertsArgs
from components.load_balancer import LoadBalancer
from components.queue import WorkerQueue
from components.rollback_alarms import Queues
from components.service import Service
from deploy.offline.engine import ACCOUNT
from deploy.stack import args
from tests import factories
from tests.conftest import PRIVATE_IMAGE, inputs_json, make_config, service
from tests.factories import ALB_SUFFIX, LISTENER_ARN, PRIVATE_SUBNETS, PUBLIC_SUBNETS, VPC_CIDR, VPC_ID

SERVICE = "aws:ecs/service:Service"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
RULE = "aws:lb/listenerRule:ListenerRule"
LISTENER = "aws:lb/listener:Listener"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
QUEUE = "aws:sqs/queue:Queue"

STRATEGIES = ["blue-green", "linear", "canary"]
HOOK_SMOKE = "arn:aws:lambda:us-east-1:123456789012:function:smoke-test"
HOOK_WARM = "arn:aws:lambda:us-east-1:123456789012:function:warm-cache"
NAMESPACE_ARN = "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-0123456789abcdef"
EXISTING_TOPIC = "arn:aws:sns:us-east-1:123456789012:oncall"


def web(deployment: dict[str, Any] | None = None, **fields: Any):
    """A stack whose only service is the minimal web service with these deployment settings."""
    return make_config(services={"web": service(deployment=deployment or {}, **fields)})


def worker(deployment: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    return {"kind": "worker", "containers": {"w": {"image": {"uri": PRIVATE_IMAGE}}}, "queue": {},
            "deployment": deployment or {}, **fields}


def called_api(deployment: dict[str, Any]):
    """`web` calls `api`, a worker serving port 7000 by name through Service Connect."""
    return make_config(services={
        "web": service(calls=["api"]),
        "api": {"kind": "worker", "containers": {"api": {"image": {"uri": PRIVATE_IMAGE}, "ports": [7000]}},
                "deployment": deployment}})


def build(cfg, name: str = "web", *, with_load_balancer: bool = False, alerts: AlertsArgs | None = None,
          with_queue: bool = False, with_connect: bool = False):
    """A program creating the service `name` of `cfg` with its rollout and rollback alarms, and, when asked, the
    load balancer (with the config's test listeners), the worker queue and the alert topics it is wired to."""
    def program():
        r = factories.resolved(cfg)
        s = r.services[name]
        overrides: dict[str, Any] = {}
        test_listeners: dict[int, Any] = {}
        if with_load_balancer:
            lb = LoadBalancer("p", args.load_balancer(r, VPC_ID, VPC_CIDR, PUBLIC_SUBNETS, PRIVATE_SUBNETS))
            test_listeners = lb.test_listener_arns
            overrides["routing"] = args.routing(s, lb.listener_arn, lb.security_group_id, lb.arn_suffix)
        if with_queue:
            queue_args = args.queue(s, protect=False)
            assert queue_args is not None
            queue = WorkerQueue(f"p-{name}", queue_args)
            overrides["queue"] = Queues(queue.name, queue.dead_letter.name)
        if with_connect:
            overrides["connect"] = args.connect(s, NAMESPACE_ARN)
        topics = Alerts("p", alerts).topic_arns if alerts is not None else []
        Service(f"p-{name}", factories.service_args(
            cfg, name, rollout=args.rollout(s, test_listeners), alarms=args.rollback_alarms(s, topics),
            **overrides))

    return program


def weights(rule) -> dict[str, int]:
    """Target group ARN -> weight of a listener rule's forward action."""
    [action] = rule.inputs["actions"]
    assert action["type"] == "forward"
    return {g["arn"]: g["weight"] for g in action["forward"]["targetGroups"]}


def arns(r) -> tuple[str, str]:
    """(primary, alternate) target group ARNs."""
    return r.one(TARGET_GROUP, "p-web-tg").state["arn"], r.one(TARGET_GROUP, "p-web-tg-alt").state["arn"]


def statements(r) -> list[dict[str, Any]]:
    return inputs_json(r.one(ROLE_POLICY, "p-web-deploy-policy"), "policy")["Statement"]


def alarm_names(r) -> list[str]:
    return r.one(SERVICE).inputs["alarms"]["alarmNames"]


def dimensions(alarm) -> list[dict[str, str]]:
    return [q["metric"]["dimensions"] for q in alarm.inputs["metricQueries"] if "metric" in q]


# --- alternate target group and listener rules ---------------------------------------------------------


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_alternate_target_group_is_configured_like_the_primary(render, strategy):
    r = render(build(web({"strategy": strategy}, loadBalancer={"deregistrationDelay": 45,
                                                               "healthCheck": {"path": "/ready"}})))
    primary, alternate = r.one(TARGET_GROUP, "p-web-tg").inputs, r.one(TARGET_GROUP, "p-web-tg-alt").inputs
    assert alternate["healthCheck"]["path"] == "/ready" and alternate["deregistrationDelay"] == 45
    assert {k: v for k, v in alternate.items() if k != "tags"} == {k: v for k, v in primary.items() if k != "tags"}
    assert alternate["tags"]["Name"] == "p-web-tg-alt"


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_production_rule_sends_all_traffic_to_the_primary_group(render, strategy):
    r = render(build(web({"strategy": strategy})))
    rule = r.one(RULE, "p-web-rule")
    primary, alternate = arns(r)
    assert weights(rule) == {primary: 100, alternate: 0}
    assert rule.inputs["listenerArn"] == LISTENER_ARN
    assert rule.inputs["priority"] == 100
    assert rule.inputs["conditions"] == [{"pathPattern": {"values": ["/*"]}}]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_test_rule_sends_requests_with_the_header_to_the_alternate_group_just_before_production(
        render, strategy):
    r = render(build(web({"strategy": strategy})))
    rule = r.one(RULE, "p-web-test-rule")
    primary, alternate = arns(r)
    assert weights(rule) == {primary: 0, alternate: 100}
    assert rule.inputs["listenerArn"] == LISTENER_ARN
    assert rule.inputs["priority"] == 99
    assert rule.inputs["conditions"] == [
        {"pathPattern": {"values": ["/*"]}},
        {"httpHeader": {"httpHeaderName": "X-Deployment-Test", "values": ["green"]}}]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_ecs_owns_the_weights_of_both_rules_after_creation(render, strategy):
    r = render(build(web({"strategy": strategy})))
    assert r.one(RULE, "p-web-rule").ignore_changes == ("actions",)
    assert r.one(RULE, "p-web-test-rule").ignore_changes == ("actions",)


def test_the_test_rule_keeps_the_paths_and_hosts_and_uses_the_configured_header(render):
    cfg = web({"strategy": "canary", "testTraffic": {"header": "X-Canary", "value": "yes-please"}},
              loadBalancer={"paths": ["/api/*"], "hosts": ["api.example.com"], "priority": 120})
    r = render(build(cfg))
    assert r.one(RULE, "p-web-rule").inputs["priority"] == 120
    test = r.one(RULE, "p-web-test-rule")
    assert test.inputs["priority"] == 119
    assert test.inputs["conditions"] == [
        {"pathPattern": {"values": ["/api/*"]}}, {"hostHeader": {"values": ["api.example.com"]}},
        {"httpHeader": {"httpHeaderName": "X-Canary", "values": ["yes-please"]}}]


# --- advanced configuration and the deploy role --------------------------------------------------------


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_load_balancer_entry_names_the_alternate_group_both_rules_and_the_deploy_role(render, strategy):
    r = render(build(web({"strategy": strategy})))
    [lb] = r.one(SERVICE).inputs["loadBalancers"]
    primary, alternate = arns(r)
    assert lb["targetGroupArn"] == primary
    assert lb["advancedConfiguration"] == {
        "alternateTargetGroupArn": alternate,
        "productionListenerRule": r.one(RULE, "p-web-rule").state["arn"],
        "testListenerRule": r.one(RULE, "p-web-test-rule").state["arn"],
        "roleArn": r.one(ROLE, "p-web-deploy-role").state["arn"]}


def test_only_ecs_acting_for_this_account_may_assume_the_deploy_role(render):
    role = render(build(web({"strategy": "blue-green"}))).one(ROLE, "p-web-deploy-role")
    assert inputs_json(role, "assumeRolePolicy")["Statement"] == [{
        "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ecs.amazonaws.com"},
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_deploy_policy_writes_only_to_this_services_target_groups_and_rules(render, strategy):
    r = render(build(web({"strategy": strategy})))
    policy = r.one(ROLE_POLICY, "p-web-deploy-policy")
    assert policy.inputs["role"] == r.one(ROLE, "p-web-deploy-role").id
    by_action = {tuple(sorted(s["Action"])): s["Resource"] for s in statements(r)}
    assert all(s["Effect"] == "Allow" for s in statements(r))
    assert by_action == {
        ("elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules",
         "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"): "*",
        ("elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"): list(arns(r)),
        ("elasticloadbalancing:ModifyRule",): [r.one(RULE, "p-web-rule").state["arn"],
                                               r.one(RULE, "p-web-test-rule").state["arn"]]}


def test_the_ecs_service_waits_for_both_rules_and_the_deploy_policy(render):
    # ECS uses the role in the service's first deployment: the role must already have its permissions.
    r = render(build(web({"strategy": "canary"})))
    waits_for = set(r.one(SERVICE).dependencies)
    assert {r.one(RULE, "p-web-rule").urn, r.one(RULE, "p-web-test-rule").urn,
            r.one(ROLE_POLICY, "p-web-deploy-policy").urn} <= waits_for


# --- deploymentConfiguration ---------------------------------------------------------------------------


def test_config_default_blue_green_bakes_5_minutes_and_shifts_at_once(render):
    svc = render(build(web({"strategy": "blue-green"}))).one(SERVICE)
    assert svc.inputs["deploymentConfiguration"] == {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": "5"}


def test_a_bake_time_of_zero_reaches_ecs_as_the_string_0(render):
    svc = render(build(web({"strategy": "blue-green", "bakeTime": 0}))).one(SERVICE)
    assert svc.inputs["deploymentConfiguration"]["bakeTimeInMinutes"] == "0"


def test_config_default_linear_moves_25_percent_every_2_minutes(render):
    svc = render(build(web({"strategy": "linear"}))).one(SERVICE)
    assert svc.inputs["deploymentConfiguration"] == {
        "strategy": "LINEAR", "bakeTimeInMinutes": "5",
        "linearConfiguration": {"stepPercent": 25, "stepBakeTimeInMinutes": "2"}}


def test_linear_settings_of_the_config_reach_ecs(render):
    cfg = web({"strategy": "linear", "linear": {"stepPercent": 10, "stepBakeTime": 3}, "bakeTime": 15})
    config = render(build(cfg)).one(SERVICE).inputs["deploymentConfiguration"]
    assert config["linearConfiguration"] == {"stepPercent": 10, "stepBakeTimeInMinutes": "3"}
    assert config["bakeTimeInMinutes"] == "15"
    assert "canaryConfiguration" not in config


def test_config_default_canary_sends_10_percent_for_5_minutes(render):
    svc = render(build(web({"strategy": "canary"}))).one(SERVICE)
    assert svc.inputs["deploymentConfiguration"] == {
        "strategy": "CANARY", "bakeTimeInMinutes": "5",
        "canaryConfiguration": {"canaryPercent": 10, "canaryBakeTimeInMinutes": "5"}}


def test_canary_settings_of_the_config_reach_ecs(render):
    cfg = web({"strategy": "canary", "canary": {"percent": 2.5, "bakeTime": 7}, "bakeTime": 30})
    config = render(build(cfg)).one(SERVICE).inputs["deploymentConfiguration"]
    assert config["canaryConfiguration"] == {"canaryPercent": 2.5, "canaryBakeTimeInMinutes": "7"}
    assert config["bakeTimeInMinutes"] == "30"
    assert "linearConfiguration" not in config


# --- how long `pulumi up` waits ------------------------------------------------------------------------


@pytest.mark.parametrize("deployment,load_balancer,minutes", [
    # 20 (provider default) + 5 (new tasks start) + shift + bakeTime + ceil(deregistrationDelay / 60)
    ({"strategy": "blue-green"}, {}, 20 + 5 + 0 + 5 + 1),
    ({"strategy": "linear"}, {}, 20 + 5 + 3 * 2 + 5 + 1),
    ({"strategy": "canary"}, {}, 20 + 5 + 5 + 5 + 1),
    ({"strategy": "canary", "canary": {"bakeTime": 5}, "bakeTime": 10}, {"deregistrationDelay": 30},
     20 + 5 + 5 + 10 + 1),
    ({"strategy": "linear", "linear": {"stepPercent": 30, "stepBakeTime": 3}, "bakeTime": 0},
     {"deregistrationDelay": 300}, 20 + 5 + 3 * 3 + 0 + 5),
    ({"strategy": "blue-green", "bakeTime": 0}, {"deregistrationDelay": 0}, 20 + 5),
], ids=["blue-green", "linear", "canary", "canary-prod", "linear-30", "blue-green-no-bake"])
def test_pulumi_waits_for_the_whole_deployment_on_create_and_update(render, deployment, load_balancer, minutes):
    svc = render(build(web(deployment, loadBalancer=load_balancer))).one(SERVICE)
    assert svc.custom_timeouts == {"create": f"{minutes}m", "update": f"{minutes}m"}


def test_without_waiting_for_steady_state_the_provider_default_timeout_applies(render):
    svc = render(build(web({"strategy": "canary", "waitForSteadyState": False}))).one(SERVICE)
    assert svc.custom_timeouts == {"create": "20m", "update": "20m"}


# --- test traffic on a test listener -------------------------------------------------------------------


def test_with_a_test_port_the_test_rule_is_on_that_listener_at_the_production_priority(render):
    r = render(build(web({"strategy": "linear", "testTraffic": {"port": 9000}}), with_load_balancer=True))
    test_listener = r.one(LISTENER, "p-alb-test-9000")
    production, test = r.one(RULE, "p-web-rule"), r.one(RULE, "p-web-test-rule")
    assert production.inputs["listenerArn"] == r.one(LISTENER, "p-alb-http").state["arn"]
    assert test.inputs["listenerArn"] == test_listener.state["arn"]
    assert test.inputs["priority"] == production.inputs["priority"] == 100
    assert test.inputs["conditions"] == [{"pathPattern": {"values": ["/*"]}}]
    primary, alternate = arns(r)
    assert weights(test) == {primary: 0, alternate: 100}


def test_the_test_listener_is_open_to_the_ingress_cidrs_on_its_port(render):
    cfg = make_config({"loadBalancer": {"ingressCidrs": ["10.0.0.0/8", "192.168.0.0/16"]}}, services={
        "web": service(deployment={"strategy": "canary", "testTraffic": {"port": 9000}})})
    r = render(build(cfg, with_load_balancer=True))
    alb_group = r.one("aws:ec2/securityGroup:SecurityGroup", "p-alb-sg").id
    rules = [x.inputs for x in r.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
             if x.inputs["securityGroupId"] == alb_group and x.inputs["fromPort"] == 9000]
    assert sorted((x["cidrIpv4"], x["toPort"], x["ipProtocol"]) for x in rules) == [
        ("10.0.0.0/8", 9000, "tcp"), ("192.168.0.0/16", 9000, "tcp")]


# --- Service Connect test traffic ----------------------------------------------------------------------


def test_a_blue_green_service_called_by_name_routes_header_requests_to_the_new_revision(render):
    r = render(build(called_api({"strategy": "blue-green"}), "api", with_connect=True))
    [served] = r.one(SERVICE).inputs["serviceConnectConfiguration"]["services"]
    assert served["clientAlias"] == [{"port": 7000, "dnsName": "api", "testTrafficRules": [
        {"header": {"name": "X-Deployment-Test", "value": {"exact": "green"}}}]}]
    assert r.one(SERVICE).inputs["deploymentConfiguration"]["strategy"] == "BLUE_GREEN"


def test_service_connect_test_traffic_uses_the_configured_header(render):
    cfg = called_api({"strategy": "canary", "testTraffic": {"header": "X-Preview", "value": "1"}})
    [served] = render(build(cfg, "api", with_connect=True)).one(SERVICE).inputs[
        "serviceConnectConfiguration"]["services"]
    assert served["clientAlias"][0]["testTrafficRules"] == [{"header": {"name": "X-Preview",
                                                                        "value": {"exact": "1"}}}]


def test_a_service_without_a_load_balancer_shifts_traffic_without_target_groups_rules_or_role(render):
    r = render(build(called_api({"strategy": "blue-green"}), "api", with_connect=True))
    assert r.of_type(TARGET_GROUP) == [] and r.of_type(RULE) == []
    assert r.of_type(ROLE) == [] and r.of_type(ROLE_POLICY) == []
    assert not r.one(SERVICE).inputs.get("loadBalancers")


def test_a_rolling_service_called_by_name_has_no_test_traffic_rules(render):
    [served] = render(build(called_api({}), "api", with_connect=True)).one(SERVICE).inputs[
        "serviceConnectConfiguration"]["services"]
    assert served["clientAlias"] == [{"port": 7000, "dnsName": "api"}]


# --- lifecycle hooks -----------------------------------------------------------------------------------


HOOKS = [{"stage": "POST_TEST_TRAFFIC_SHIFT", "function": HOOK_SMOKE}, {"stage": "PRE_SCALE_UP", "function": HOOK_WARM},
         {"stage": "POST_PRODUCTION_TRAFFIC_SHIFT", "function": HOOK_SMOKE}]


def test_ecs_may_invoke_exactly_the_hook_functions(render):
    r = render(build(web({"strategy": "canary", "hooks": HOOKS})))
    # Two distinct functions for three stages: each ARN once.
    assert [s for s in statements(r) if any(a.startswith("lambda:") for a in s["Action"])] == [
        {"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": [HOOK_SMOKE, HOOK_WARM]}]


def test_each_hook_runs_at_its_stage_as_the_deploy_role(render):
    r = render(build(web({"strategy": "canary", "hooks": HOOKS})))
    role = r.one(ROLE, "p-web-deploy-role").state["arn"]
    assert r.one(SERVICE).inputs["deploymentConfiguration"]["lifecycleHooks"] == [
        {"lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"], "hookTargetArn": HOOK_SMOKE, "roleArn": role,
         "targetType": "AWS_LAMBDA"},
        {"lifecycleStages": ["PRE_SCALE_UP"], "hookTargetArn": HOOK_WARM, "roleArn": role,
         "targetType": "AWS_LAMBDA"},
        {"lifecycleStages": ["POST_PRODUCTION_TRAFFIC_SHIFT"], "hookTargetArn": HOOK_SMOKE, "roleArn": role,
         "targetType": "AWS_LAMBDA"}]


def test_without_hooks_there_are_no_lifecycle_hooks_and_no_lambda_permission(render):
    r = render(build(web({"strategy": "canary"})))
    assert "lifecycleHooks" not in r.one(SERVICE).inputs["deploymentConfiguration"]
    assert not any("lambda:InvokeFunction" in s["Action"] for s in statements(r))


def test_hooks_of_a_service_without_a_load_balancer_get_a_role_that_may_only_invoke_them(render):
    cfg = called_api({"strategy": "blue-green", "hooks": [{"stage": "POST_SCALE_UP", "function": HOOK_SMOKE}]})
    r = render(build(cfg, "api", with_connect=True))
    policy = inputs_json(r.one(ROLE_POLICY, "p-api-deploy-policy"), "policy")
    assert policy["Statement"] == [{"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": [HOOK_SMOKE]}]
    [hook] = r.one(SERVICE).inputs["deploymentConfiguration"]["lifecycleHooks"]
    assert hook["roleArn"] == r.one(ROLE, "p-api-deploy-role").state["arn"]
    assert r.one(ROLE_POLICY, "p-api-deploy-policy").urn in r.one(SERVICE).dependencies


# --- rollback alarms: web services ---------------------------------------------------------------------


def test_config_default_rollback_alarms_of_a_web_service_are_5xx_and_unhealthy_targets(render):
    r = render(build(web({"strategy": "canary"})))
    assert [a.name for a in r.of_type(ALARM)] == ["p-web-5xx", "p-web-unhealthy"]
    assert r.one(SERVICE).inputs["alarms"] == {
        "alarmNames": [r.one(ALARM, "p-web-5xx").state["name"], r.one(ALARM, "p-web-unhealthy").state["name"]],
        "enable": True, "rollback": True}
    assert (r.one(ALARM, "p-web-5xx").inputs["threshold"], r.one(ALARM, "p-web-unhealthy").inputs["threshold"]) == (
        5, 1)


def test_the_5xx_alarm_divides_the_errors_of_both_target_groups_by_their_requests(render):
    r = render(build(web({"strategy": "canary"})))
    alarm = r.one(ALARM, "p-web-5xx")
    tg, alt = (r.one(TARGET_GROUP, n).state["arnSuffix"] for n in ("p-web-tg", "p-web-tg-alt"))
    metrics = {q["id"]: (q["metric"]["metricName"], q["metric"]["stat"], q["metric"]["dimensions"]["TargetGroup"])
               for q in alarm.inputs["metricQueries"] if "metric" in q}
    assert metrics == {"e0": ("HTTPCode_Target_5XX_Count", "Sum", tg), "r0": ("RequestCount", "Sum", tg),
                       "e1": ("HTTPCode_Target_5XX_Count", "Sum", alt), "r1": ("RequestCount", "Sum", alt)}
    assert {d["LoadBalancer"] for d in dimensions(alarm)} == {ALB_SUFFIX}
    [result] = [q for q in alarm.inputs["metricQueries"] if q.get("returnData")]
    assert result["expression"] == "100 * (FILL(e0, 0) + FILL(e1, 0)) / (FILL(r0, 0) + FILL(r1, 0))"


def test_unhealthy_targets_are_summed_over_both_target_groups(render):
    r = render(build(web({"strategy": "linear"})))
    alarm = r.one(ALARM, "p-web-unhealthy")
    assert [d["TargetGroup"] for d in dimensions(alarm)] == [
        r.one(TARGET_GROUP, "p-web-tg").state["arnSuffix"], r.one(TARGET_GROUP, "p-web-tg-alt").state["arnSuffix"]]
    [result] = [q for q in alarm.inputs["metricQueries"] if q.get("returnData")]
    assert result["expression"] == "FILL(u0, 0) + FILL(u1, 0)"


def test_a_p99_threshold_adds_a_latency_alarm_over_the_slower_target_group(render):
    cfg = web({"strategy": "canary", "rollbackAlarms": {"p99Latency": 1.5, "errorRate": 2, "periods": 3}})
    r = render(build(cfg))
    p99 = r.one(ALARM, "p-web-p99")
    assert p99.inputs["threshold"] == 1.5
    [result] = [q for q in p99.inputs["metricQueries"] if q.get("returnData")]
    assert result["expression"] == "MAX([FILL(t0, 0), FILL(t1, 0)])"
    assert {q["metric"]["stat"] for q in p99.inputs["metricQueries"] if "metric" in q} == {"p99"}
    assert r.one(ALARM, "p-web-5xx").inputs["threshold"] == 2
    assert all((a.inputs["evaluationPeriods"], a.inputs["datapointsToAlarm"]) == (3, 3) for a in r.of_type(ALARM))
    assert alarm_names(r) == [r.one(ALARM, n).state["name"] for n in ("p-web-5xx", "p-web-unhealthy", "p-web-p99")]


def test_a_rolling_web_service_watches_its_one_target_group(render):
    r = render(build(web({"rollbackAlarms": {"p99Latency": 2}})))
    suffix = r.one(TARGET_GROUP).state["arnSuffix"]
    assert all(d["TargetGroup"] == suffix for a in r.of_type(ALARM) for d in dimensions(a))
    results = {a.name: next(q["expression"] for q in a.inputs["metricQueries"] if q.get("returnData"))
               for a in r.of_type(ALARM)}
    assert results == {"p-web-5xx": "100 * (FILL(e0, 0)) / (FILL(r0, 0))", "p-web-unhealthy": "FILL(u0, 0)",
                       "p-web-p99": "FILL(t0, 0)"}


def test_extra_alarm_names_roll_back_after_the_services_own(render):
    r = render(build(web({"strategy": "canary", "extraAlarmNames": ["db-cpu-high"]})))
    assert alarm_names(r) == [r.one(ALARM, "p-web-5xx").state["name"], r.one(ALARM, "p-web-unhealthy").state["name"],
                              "db-cpu-high"]


def test_alarms_false_creates_no_alarm_and_leaves_the_service_without_alarms(render):
    r = render(build(web({"strategy": "canary", "alarms": False})))
    assert r.of_type(ALARM) == []
    assert "alarms" not in r.one(SERVICE).inputs


def test_alarms_false_with_extra_alarm_names_watches_only_those(render):
    r = render(build(web({"strategy": "canary", "alarms": False, "extraAlarmNames": ["db-cpu-high"]})))
    assert r.of_type(ALARM) == []
    assert r.one(SERVICE).inputs["alarms"] == {"alarmNames": ["db-cpu-high"], "enable": True, "rollback": True}


# --- rollback alarms: queue workers --------------------------------------------------------------------


def test_a_worker_rolls_back_when_its_dead_letter_queue_grows(render):
    r = render(build(make_config(services={"w": worker()}), "w", with_queue=True))
    alarm = r.one(ALARM, "p-w-dlq-growing")
    [metric] = [q for q in alarm.inputs["metricQueries"] if "metric" in q]
    assert metric["metric"]["namespace"] == "AWS/SQS"
    assert metric["metric"]["metricName"] == "ApproximateNumberOfMessagesVisible"
    assert metric["metric"]["dimensions"] == {"QueueName": r.one(QUEUE, "p-w-dlq").state["name"]}
    [result] = [q for q in alarm.inputs["metricQueries"] if q.get("returnData")]
    assert result["expression"] == f"RATE({metric['id']})"
    assert (alarm.inputs["comparisonOperator"], alarm.inputs["threshold"]) == ("GreaterThanThreshold", 0)


def test_a_worker_rolls_back_when_its_oldest_message_waits_too_long(render):
    r = render(build(make_config(services={"w": worker({"rollbackAlarms": {"queueAge": 600}})}), "w",
                     with_queue=True))
    alarm = r.one(ALARM, "p-w-queue-age")
    assert (alarm.inputs["namespace"], alarm.inputs["metricName"]) == ("AWS/SQS", "ApproximateAgeOfOldestMessage")
    assert alarm.inputs["dimensions"] == {"QueueName": r.one(QUEUE, "p-w-queue").state["name"]}
    assert alarm.inputs["threshold"] == 600


def test_a_workers_service_watches_its_two_queue_alarms_and_no_load_balancer_alarm(render):
    r = render(build(make_config(services={"w": worker()}), "w", with_queue=True))
    assert sorted(a.name for a in r.of_type(ALARM)) == ["p-w-dlq-growing", "p-w-queue-age"]
    assert r.one(ALARM, "p-w-queue-age").inputs["threshold"] == 900
    assert alarm_names(r) == [r.one(ALARM, n).state["name"] for n in ("p-w-dlq-growing", "p-w-queue-age")]


def test_a_worker_with_alarms_false_and_extra_alarm_names_creates_no_queue_alarm(render):
    cfg = make_config(services={"w": worker({"alarms": False, "extraAlarmNames": ["db-cpu-high"]})})
    r = render(build(cfg, "w", with_queue=True))
    assert r.of_type(ALARM) == []
    assert alarm_names(r) == ["db-cpu-high"]


# --- where alarms notify -------------------------------------------------------------------------------


def test_every_rollback_alarm_notifies_the_alert_topics_when_it_fires_and_clears(render):
    alerts = AlertsArgs(emails=["oncall@example.com"], topic_arn=EXISTING_TOPIC)
    r = render(build(web({"strategy": "canary", "rollbackAlarms": {"p99Latency": 2}}), alerts=alerts))
    topics = [r.one(TOPIC).state["arn"], EXISTING_TOPIC]
    assert len(r.of_type(ALARM)) == 3
    for alarm in r.of_type(ALARM):
        assert alarm.inputs["alarmActions"] == topics
        assert alarm.inputs["okActions"] == topics


def test_without_alerts_the_alarms_notify_nobody(render):
    r = render(build(web({"strategy": "canary"})))
    assert all(not a.inputs.get("alarmActions") and not a.inputs.get("okActions") for a in r.of_type(ALARM))


# --- rolling -------------------------------------------------------------------------------------------


def test_a_rolling_service_has_one_target_group_a_plain_rule_and_no_deploy_role(render):
    r = render(build(web()))
    [tg] = r.of_type(TARGET_GROUP)
    [rule] = r.of_type(RULE)
    assert rule.inputs["actions"] == [{"type": "forward", "targetGroupArn": tg.state["arn"]}]
    assert rule.ignore_changes == ()
    assert r.of_type(ROLE) == [] and r.of_type(ROLE_POLICY) == []
    [lb] = r.one(SERVICE).inputs["loadBalancers"]
    assert "advancedConfiguration" not in lb


def test_a_rolling_service_says_rolling_and_keeps_the_provider_timeouts(render):
    svc = render(build(web())).one(SERVICE)
    assert svc.inputs["deploymentConfiguration"] == {"strategy": "ROLLING"}
    assert svc.custom_timeouts == {}
