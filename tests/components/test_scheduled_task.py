"""ScheduledTask: an EventBridge Scheduler schedule that runs a task definition, its invoke role and its DLQ."""

import pytest

from components.cluster import StrategyEntry
from components.scheduled_task import ScheduledTask
from deploy.offline import plan
from tests.conftest import inputs_json, make_config
from tests.factories import scheduled_args

SCHEDULE = "aws:scheduler/schedule:Schedule"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
QUEUE = "aws:sqs/queue:Queue"
SG = "aws:ec2/securityGroup:SecurityGroup"

ACCOUNT = "123456789012"
CLUSTER_ARN = f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/p-cluster"
FAMILY_ARN = f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/p-job"
TASK_ARN = f"{FAMILY_ARN}:4"
EXECUTION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/p-job-execution-role"
TASK_ROLE = f"arn:aws:iam::{ACCOUNT}:role/p-job-task-role"
SUBNETS = ["subnet-private-a", "subnet-private-b"]


def job_config(**schedule):
    """A nightly job on Fargate Spot in Berlin time; every other schedule setting is the config's default."""
    return make_config(services={"nightly": {
        "kind": "scheduled", "containers": {"job": {"image": {"uri": "busybox:1.36"}}},
        "capacityProviderStrategy": [{"provider": "FARGATE_SPOT", "weight": 1}],
        "schedule": {"expression": "cron(0 3 * * ? *)", "timezone": "Europe/Berlin", **schedule}}})


def args(cfg=None, **overrides):
    fields = {"cluster_arn": CLUSTER_ARN, "task_definition_arn": TASK_ARN, "task_definition_family_arn": FAMILY_ARN,
              "execution_role_arn": EXECUTION_ROLE, "task_role_arn": TASK_ROLE, "subnet_ids": SUBNETS}
    fields.update(overrides)
    return scheduled_args(cfg if cfg is not None else job_config(), **fields)


def build(cfg=None, **overrides):
    def program():
        task = ScheduledTask("p-job", args(cfg, **overrides))
        return {"scheduleName": task.name}

    return program


def statements(r, policy_name="p-job-invoke-policy"):
    """The invoke policy's statements by Sid."""
    policy = inputs_json(r.one(ROLE_POLICY, policy_name), "policy")
    return {s["Sid"]: s for s in policy["Statement"]}


# --- the schedule -------------------------------------------------------------------------------------


def test_schedule_has_expression_timezone_and_no_flexible_window(render):
    schedule = render(build()).one(SCHEDULE)
    assert schedule.inputs["scheduleExpression"] == "cron(0 3 * * ? *)"
    assert schedule.inputs["scheduleExpressionTimezone"] == "Europe/Berlin"
    assert schedule.inputs["flexibleTimeWindow"] == {"mode": "OFF"}


def test_config_defaults_enabled_one_task_two_retries_within_an_hour_reach_the_schedule(render):
    schedule = render(build(job_config())).one(SCHEDULE).inputs
    assert schedule["state"] == "ENABLED"
    assert schedule["target"]["ecsParameters"]["taskCount"] == 1
    assert schedule["target"]["retryPolicy"] == {"maximumRetryAttempts": 2, "maximumEventAgeInSeconds": 3600}


def test_config_default_timezone_utc_reaches_the_schedule(render):
    cfg = make_config(services={"nightly": {"kind": "scheduled", "containers": {"job": {"image": {"uri": "busybox:1.36"}}},
                                            "schedule": {"expression": "rate(1 hour)"}}})
    assert render(build(cfg)).one(SCHEDULE).inputs["scheduleExpressionTimezone"] == "UTC"


def test_a_disabled_schedule_is_paused(render):
    assert render(build(enabled=False)).one(SCHEDULE).inputs["state"] == "DISABLED"


def test_a_schedule_disabled_in_the_config_is_paused(render):
    assert render(build(job_config(enabled=False))).one(SCHEDULE).inputs["state"] == "DISABLED"


def test_target_is_the_cluster_run_by_the_invoke_role(render):
    r = render(build())
    target = r.one(SCHEDULE).inputs["target"]
    assert target["arn"] == CLUSTER_ARN
    assert target["roleArn"] == r.one(ROLE, "p-job-invoke-role").state["arn"]


def test_ecs_parameters_run_the_task_definition_in_private_subnets(render):
    r = render(build(task_count=3))
    ecs = r.one(SCHEDULE).inputs["target"]["ecsParameters"]
    assert ecs["taskDefinitionArn"] == TASK_ARN
    assert ecs["taskCount"] == 3
    assert ecs["capacityProviderStrategies"] == [{"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 1}]
    assert ecs["networkConfiguration"] == {"subnets": SUBNETS, "securityGroups": [r.one(SG).id],
                                           "assignPublicIp": False}
    assert ecs["platformVersion"] == "LATEST"
    assert "launchType" not in ecs


def test_on_ec2_the_strategy_names_the_capacity_provider_and_there_is_no_platform_version(render):
    r = render(build(strategy=[StrategyEntry(provider="EC2", weight=1)], provider_names={"EC2": "p-ec2-cp-1a2b"},
                     fargate=False))
    ecs = r.one(SCHEDULE).inputs["target"]["ecsParameters"]
    assert ecs["capacityProviderStrategies"] == [{"capacityProvider": "p-ec2-cp-1a2b", "base": 0, "weight": 1}]
    assert "platformVersion" not in ecs


def test_retry_policy_and_dead_letter_queue(render):
    r = render(build(retries=5, max_event_age=7200))
    target = r.one(SCHEDULE).inputs["target"]
    assert target["retryPolicy"] == {"maximumRetryAttempts": 5, "maximumEventAgeInSeconds": 7200}
    dlq = r.one(QUEUE, "p-job-dlq")
    assert target["deadLetterConfig"] == {"arn": dlq.state["arn"]}
    assert dlq.inputs["sqsManagedSseEnabled"] is True


def test_task_security_group_has_egress_and_no_ingress(render):
    r = render(build())
    sg = r.one(SG)
    assert sg.inputs["vpcId"] == "vpc-0abc"
    [egress] = r.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    assert egress.inputs["securityGroupId"] == sg.id
    assert (egress.inputs["ipProtocol"], egress.inputs["cidrIpv4"]) == ("-1", "0.0.0.0/0")
    assert r.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") == []


def test_no_ecs_service_and_the_schedule_name_is_exposed(render):
    r = render(build())
    assert r.of_type("aws:ecs/service:Service") == []
    assert r.outputs == {"scheduleName": r.one(SCHEDULE).state["name"]}


def test_every_child_is_parented_to_the_component(render):
    r = render(build())
    component = r.one("ecsapp:scheduled:ScheduledTask")
    assert {x.type for x in r.children(component)} == {
        SG, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", QUEUE, ROLE, ROLE_POLICY, SCHEDULE}


# --- the invoke role ------------------------------------------------------------------------------------


def test_invoke_role_trusts_eventbridge_scheduler_for_this_account_only(render):
    trust = inputs_json(render(build()).one(ROLE, "p-job-invoke-role"), "assumeRolePolicy")
    [statement] = trust["Statement"]
    assert statement["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}


def test_invoke_role_may_run_only_this_family_on_this_cluster(render):
    run = statements(render(build()))["RunTask"]
    assert run["Action"] == "ecs:RunTask"
    assert run["Resource"] == f"{FAMILY_ARN}:*"
    assert run["Condition"] == {"ArnEquals": {"ecs:cluster": CLUSTER_ARN}}


def test_invoke_role_may_pass_only_the_tasks_two_roles_and_only_to_ecs_tasks(render):
    passing = statements(render(build()))["PassRoles"]
    assert passing["Action"] == "iam:PassRole"
    assert sorted(passing["Resource"]) == sorted([EXECUTION_ROLE, TASK_ROLE])
    assert passing["Condition"] == {"StringLike": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}


def test_invoke_role_may_send_only_to_its_dead_letter_queue(render):
    r = render(build())
    dead_letter = statements(r)["DeadLetter"]
    assert dead_letter["Action"] == "sqs:SendMessage"
    assert dead_letter["Resource"] == r.one(QUEUE, "p-job-dlq").state["arn"]


def test_the_only_wildcard_resource_is_tagging_at_run_task(render):
    found = statements(render(build()))
    assert set(found) == {"RunTask", "TagTask", "PassRoles", "DeadLetter"}
    wildcard = [sid for sid, s in found.items() if s["Resource"] == "*"]
    assert wildcard == ["TagTask"]
    assert found["TagTask"]["Action"] == "ecs:TagResource"
    assert found["TagTask"]["Condition"] == {"StringEquals": {"ecs:CreateAction": "RunTask"}}


def test_invoke_policy_is_attached_to_the_invoke_role(render):
    r = render(build())
    assert r.one(ROLE_POLICY, "p-job-invoke-policy").inputs["role"] == r.one(ROLE, "p-job-invoke-role").id


# --- in the stack -------------------------------------------------------------------------------------

IMAGE = {"uri": "public.ecr.aws/docker/library/busybox:1.36"}


def job(**fields):
    return {"kind": "scheduled", "containers": {"report": {"image": IMAGE, "command": ["sh", "-c", "echo hi"]}},
            "schedule": {"expression": "rate(1 hour)"}, **fields}


@pytest.fixture(scope="module")
def stack():
    return plan.render(make_config(services={"job": job(schedule={
        "expression": "cron(30 2 ? * MON-FRI *)", "timezone": "America/New_York", "taskCount": 2, "retries": 4,
        "maxEventAge": 600})}))


def test_a_scheduled_task_gets_no_service_no_load_balancer_and_no_scaling(stack):
    assert stack.of_type("aws:ecs/service:Service") == []
    assert stack.of_type("aws:lb/loadBalancer:LoadBalancer") == []
    assert stack.of_type("aws:appautoscaling/target:Target") == []
    assert stack.one("ecsapp:scheduled:ScheduledTask").name == "test-job"


def test_the_schedule_follows_the_config(stack):
    schedule = stack.one(SCHEDULE).inputs
    assert schedule["scheduleExpression"] == "cron(30 2 ? * MON-FRI *)"
    assert schedule["scheduleExpressionTimezone"] == "America/New_York"
    assert schedule["target"]["ecsParameters"]["taskCount"] == 2
    assert schedule["target"]["retryPolicy"] == {"maximumRetryAttempts": 4, "maximumEventAgeInSeconds": 600}


def test_the_schedule_runs_the_stacks_task_on_the_stacks_cluster(stack):
    task = stack.one("aws:ecs/taskDefinition:TaskDefinition")
    target = stack.one(SCHEDULE).inputs["target"]
    assert target["arn"] == stack.one("aws:ecs/cluster:Cluster").state["arn"] == stack.outputs["clusterArn"]
    assert target["ecsParameters"]["taskDefinitionArn"] == task.state["arn"]
    assert target["ecsParameters"]["capacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": 0, "weight": 1}]  # the cluster's default strategy
    assert set(target["ecsParameters"]["networkConfiguration"]["subnets"]) == set(stack.outputs["privateSubnetIds"])


def test_the_invoke_role_is_scoped_to_the_stacks_task_and_roles(stack):
    task = stack.one("aws:ecs/taskDefinition:TaskDefinition")
    found = statements(stack, "test-job-invoke-policy")
    assert found["RunTask"]["Resource"] == task.state["arnWithoutRevision"] + ":*"
    assert found["RunTask"]["Condition"]["ArnEquals"]["ecs:cluster"] == stack.outputs["clusterArn"]
    assert sorted(found["PassRoles"]["Resource"]) == sorted(
        [task.inputs["executionRoleArn"], task.inputs["taskRoleArn"]])


def test_the_stack_outputs_the_schedule_name(stack):
    assert stack.outputs["scheduleNames"] == {"job": stack.one(SCHEDULE).state["name"]}
    assert "serviceNames" in stack.outputs and stack.outputs["serviceNames"] == {}


def test_in_the_cheapest_network_a_scheduled_task_gets_a_public_ip_in_a_public_subnet():
    r = plan.render(make_config({"network": {"nat": "none"}}, services={"job": job()}))
    net = r.one(SCHEDULE).inputs["target"]["ecsParameters"]["networkConfiguration"]
    assert net["assignPublicIp"] is True
    assert set(net["subnets"]) == set(r.outputs["publicSubnetIds"])


def test_a_scheduled_task_on_ec2_names_the_capacity_provider_and_runs_on_ec2():
    cfg = make_config({"cluster": {"ec2": {"instanceTypes": ["m6i.large"]}}},
                      services={"job": job(capacityProviderStrategy=[{"provider": "EC2", "weight": 1}])})
    r = plan.render(cfg)
    ecs = r.one(SCHEDULE).inputs["target"]["ecsParameters"]
    provider = r.one("aws:ecs/capacityProvider:CapacityProvider")
    assert ecs["capacityProviderStrategies"] == [{"capacityProvider": provider.state["name"], "base": 0, "weight": 1}]
    assert "platformVersion" not in ecs
    assert ecs["networkConfiguration"]["assignPublicIp"] is False
    assert r.one("aws:ecs/taskDefinition:TaskDefinition").inputs["requiresCompatibilities"] == ["EC2"]
