"""The stack's dashboard: one per stack after the services, filled from their outputs; none with
`dashboard: false`; prod's passes the acceptance check and is priced."""

from __future__ import annotations

import json

import pytest

from deploy.aws import acceptance
from deploy.config.parse import load
from deploy.offline import acceptance as offline_acceptance
from deploy.offline import plan
from tests.conftest import PROJECT, ROOT, make_config

DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
SERVICE = "aws:ecs/service:Service"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"


@pytest.fixture(scope="module")
def prod():
    return plan.render(load(ROOT / "Pulumi.prod.yaml", PROJECT, "prod"))


def dimensions(board) -> list[dict[str, str]]:
    """The dimensions of every metric row of the body."""
    found = []
    for widget in json.loads(board.inputs["dashboardBody"])["widgets"]:
        for row in widget["properties"].get("metrics", []):
            pairs = [x for x in row if not isinstance(x, dict)][2:]
            found.append(dict(zip(pairs[::2], pairs[1::2], strict=True)))
    return found


def test_prod_has_one_dashboard_named_after_project_and_stack_and_exports_its_name(prod):
    board = prod.one(DASHBOARD)
    assert board.inputs["dashboardName"] == "ecs-app-prod"
    assert prod.outputs["dashboardName"] == "ecs-app-prod"


def test_the_dashboard_shows_every_ecs_service_by_the_name_ecs_gave_it_and_no_scheduled_task(prod):
    shown = {d["ServiceName"] for d in dimensions(prod.one(DASHBOARD)) if "ServiceName" in d}
    assert shown == {s.state["name"] for s in prod.of_type(SERVICE)} == {"prod-api-svc", "prod-web-svc",
                                                                        "prod-worker-svc"}
    assert "nightly" not in prod.one(DASHBOARD).inputs["dashboardBody"]
    clusters = {d["ClusterName"] for d in dimensions(prod.one(DASHBOARD)) if "ClusterName" in d}
    assert clusters == {prod.outputs["clusterName"]}


def test_the_target_groups_and_the_alb_are_shown_by_their_arn_suffixes(prod):
    dims = dimensions(prod.one(DASHBOARD))
    groups = {d["TargetGroup"] for d in dims if "TargetGroup" in d}
    assert groups == {tg.state["arnSuffix"] for tg in prod.of_type(TARGET_GROUP)}
    alb = prod.one("aws:lb/loadBalancer:LoadBalancer").state["arnSuffix"]
    assert {d["LoadBalancer"] for d in dims if "TargetGroup" in d} == {alb}


def test_the_workers_queue_is_shown_by_its_name(prod):
    queues = {d["QueueName"] for d in dimensions(prod.one(DASHBOARD)) if "QueueName" in d}
    assert queues == {prod.one("aws:sqs/queue:Queue", "prod-worker-queue").state["name"]}


def test_the_dashboard_waits_for_every_service_target_group_and_queue_it_shows(prod):
    waits_for = set(prod.one(DASHBOARD).dependencies)
    shown = [*prod.of_type(SERVICE), *prod.of_type(TARGET_GROUP), prod.one("aws:sqs/queue:Queue", "prod-worker-queue")]
    assert {r.urn for r in shown} <= waits_for


def test_prods_dashboard_passes_the_acceptance_check(prod):
    board = [p for p in offline_acceptance.payloads(prod) if p.type == DASHBOARD]
    assert len(board) == 1
    assert acceptance.check(board, "us-east-1") == []


def test_dashboard_false_creates_no_dashboard_and_no_output():
    r = plan.render(make_config({"dashboard": False}))
    assert r.of_type(DASHBOARD) == [] and r.of_type("ecsapp:monitoring:Dashboard") == []
    assert "dashboardName" not in r.outputs


def test_the_dev_stack_turns_its_dashboard_off():
    r = plan.render(load(ROOT / "Pulumi.dev.yaml", PROJECT, "dev"))
    assert r.of_type(DASHBOARD) == [] and "dashboardName" not in r.outputs


def test_a_dashboard_by_default():
    assert make_config().dashboard is True
    assert len(plan.render(make_config()).of_type(DASHBOARD)) == 1


def test_a_dashboard_setting_that_is_not_a_boolean_is_refused_by_key():
    with pytest.raises(Exception, match=r"dashboard: must be true or false \(got 'sometimes'\)"):
        make_config({"dashboard": "sometimes"})
