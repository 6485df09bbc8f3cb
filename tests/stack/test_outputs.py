"""The outputs another stack (Pulumi or Terraform) reads to admit these tasks to its own resources."""

from __future__ import annotations

import pytest

from deploy.config.parse import load
from deploy.offline import plan
from tests.conftest import FIXTURES, make_config

SERVICE = "aws:ecs/service:Service"
SCHEDULE = "aws:scheduler/schedule:Schedule"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
TG = "aws:lb/targetGroup:TargetGroup"
ALB = "aws:lb/loadBalancer:LoadBalancer"
SG = "aws:ec2/securityGroup:SecurityGroup"


@pytest.fixture(scope="module")
def prod():
    # web and api behind the ALB, a queue worker, a scheduled task
    return plan.render(load(FIXTURES / "Pulumi.mixed.yaml", "ecs-app", "prod"))


def test_task_security_group_ids_are_the_groups_each_services_tasks_run_in(prod):
    out = prod.outputs["taskSecurityGroupIds"]
    assert set(out) == {"web", "api", "worker", "nightly-report"}
    for name in ("web", "api", "worker"):
        svc = prod.one(SERVICE, f"prod-{name}-svc")
        assert out[name] == prod.one(SG, f"prod-{name}-sg").id
        assert out[name] in svc.inputs["networkConfiguration"]["securityGroups"]


def test_a_scheduled_tasks_security_group_is_the_one_its_schedule_starts_tasks_in(prod):
    group = prod.outputs["taskSecurityGroupIds"]["nightly-report"]
    target = prod.one(SCHEDULE).inputs["target"]["ecsParameters"]["networkConfiguration"]
    assert group == prod.one(SG, "prod-nightly-report-sg").id
    assert group in target["securityGroups"]


def test_alb_security_group_id_is_the_group_of_the_load_balancer(prod):
    assert prod.outputs["albSecurityGroupId"] == prod.one(SG, "prod-alb-sg").id
    assert prod.one(ALB).inputs["securityGroups"] == [prod.outputs["albSecurityGroupId"]]


def test_target_group_arns_name_each_web_services_target_group_and_no_other(prod):
    out = prod.outputs["targetGroupArns"]
    assert set(out) == {"web", "api"}
    for name, arn in out.items():
        assert arn == prod.one(TG, f"prod-{name}-tg").state["arn"]
        assert [lb["targetGroupArn"] for lb in prod.one(SERVICE, f"prod-{name}-svc").inputs["loadBalancers"]] == [arn]


def test_role_arns_are_the_roles_each_task_definition_runs_with(prod):
    tasks = {name: prod.one(TASK, f"prod-{name}-task") for name in ("web", "api", "worker", "nightly-report")}
    assert prod.outputs["taskRoleArns"] == {n: t.inputs["taskRoleArn"] for n, t in tasks.items()}
    assert prod.outputs["executionRoleArns"] == {n: t.inputs["executionRoleArn"] for n, t in tasks.items()}
    assert prod.outputs["taskRoleArns"]["api"] == "arn:aws:iam::123456789012:role/prod-api-task-role"


def test_a_stack_without_web_services_exports_no_load_balancer_outputs():
    cfg = make_config(services={"worker": {"kind": "worker", "containers": {
        "main": {"image": {"uri": "busybox:1.36"}, "command": ["sleep", "3600"]}}}})
    out = plan.render(cfg).outputs
    assert not {"albUrl", "albSecurityGroupId", "targetGroupArns"} & set(out)
    assert set(out["taskSecurityGroupIds"]) == set(out["taskRoleArns"]) == set(out["executionRoleArns"]) == {"worker"}
