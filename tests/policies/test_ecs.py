"""ECS controls: one passing and one violating resource per control, props as the engine sends them."""

from __future__ import annotations

import json

import pytest

from policies.controls import BY_ID, UNKNOWN, Stack
from policies.controls.engine import run_control
from policies.controls.settings import parse
from tests.policies.test_support import Case, assert_case, res, run

SERVICE = "aws:ecs/service:Service"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
CLUSTER = "aws:ecs/cluster:Cluster"
CAPACITY_PROVIDER = "aws:ecs/capacityProvider:CapacityProvider"
SCHEDULE = "aws:scheduler/schedule:Schedule"

GOOD_CONTAINER = {"name": "app", "image": "public.ecr.aws/nginx/nginx-unprivileged:1.27", "essential": True,
                  "readonlyRootFilesystem": True, "stopTimeout": 30, "user": "10001",
                  "environment": [{"name": "GREETING", "value": "hello"}],
                  "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app"}}}


def container(**changes) -> dict:
    c = {**GOOD_CONTAINER, **changes}
    return {k: v for k, v in c.items() if v is not None}


def task(*containers: dict, name: str = "web-task", **props) -> object:
    body = {"family": name, "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256",
            "memory": "512", "containerDefinitions": json.dumps(list(containers) or [GOOD_CONTAINER]), **props}
    return res(TASK, body, name=name)


def service(name: str = "web-svc", **props) -> object:
    body = {"platformVersion": "LATEST", "desiredCount": 2,
            "capacityProviderStrategies": [{"capacityProvider": "FARGATE", "base": 1, "weight": 1}],
            "networkConfiguration": {"assignPublicIp": False, "subnets": ["subnet-a", "subnet-b"],
                                     "securityGroups": ["sg-1"]}, **props}
    return res(SERVICE, body, name=name)


def schedule(assign_public_ip: bool) -> object:
    return res(SCHEDULE, {"scheduleExpression": "cron(0 3 * * ? *)", "flexibleTimeWindow": {"mode": "OFF"},
                          "target": {"arn": "arn:aws:ecs:us-east-1:123456789012:cluster/c", "roleArn": "arn:role",
                                     "ecsParameters": {"taskDefinitionArn": "arn:td", "networkConfiguration": {
                                         "assignPublicIp": assign_public_ip, "subnets": ["subnet-a"]}}}},
               name="nightly-schedule")


CASES = [
    Case("ECS.2", "service in private subnets", (service(),), "pass"),
    Case("ECS.2", "service with public IPs", (service(networkConfiguration={"assignPublicIp": True,
                                                                             "subnets": ["subnet-a"]}),),
         "fail", "assignPublicIp is true"),
    Case("ECS.2", "scheduled task with a public IP", (schedule(True),), "fail", "assignPublicIp is true"),
    Case("ECS.2", "scheduled task without", (schedule(False),), "pass"),
    Case("ECS.3", "task without pidMode", (task(),), "pass"),
    Case("ECS.3", "task sharing the host PID namespace", (task(pidMode="host"),), "fail", "pidMode is host"),
    # checkov's CKV_AWS_335 looks for pidMode inside a container: not an ECS key, so nothing is shared.
    Case("ECS.3", "container-level pidMode is not an ECS setting", (task(container(pidMode="host")),), "pass"),
    Case("ECS.4", "unprivileged container", (task(container(privileged=False)),), "pass"),
    Case("ECS.4", "privileged container", (task(container(privileged=True)),), "fail", "privileged is true"),
    # checkov's CKV_AWS_334 checks the key `privilege`; ECS has no such key.
    Case("ECS.4", "checkov's `privilege` key is not an ECS setting", (task(container(privilege=True)),), "pass"),
    Case("ECS.5", "read-only root", (task(),), "pass"),
    Case("ECS.5", "writable root", (task(container(readonlyRootFilesystem=False)),), "fail",
         "readonlyRootFilesystem is False"),
    Case("ECS.5", "root filesystem setting absent", (task(container(readonlyRootFilesystem=None)),), "fail",
         "readonlyRootFilesystem is absent"),
    Case("ECS.5", "Windows task", (task(container(readonlyRootFilesystem=False), runtimePlatform={
        "operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}),), "not_applicable"),
    Case("ECS.8", "plain environment", (task(),), "pass"),
    Case("ECS.8", "AWS keys in the environment", (task(container(environment=[
        {"name": "AWS_SECRET_ACCESS_KEY", "value": "x"}])),), "fail", "AWS_SECRET_ACCESS_KEY"),
    Case("ECS.9", "awslogs driver", (task(),), "pass"),
    Case("ECS.9", "no log configuration", (task(container(logConfiguration=None)),), "fail",
         "no logConfiguration.logDriver"),
    Case("ECS.10", "LATEST", (service(),), "pass"),
    Case("ECS.10", "1.4.0 is the latest Linux version", (service(platformVersion="1.4.0"),), "pass"),
    Case("ECS.10", "an old platform", (service(platformVersion="1.3.0"),), "fail", "platformVersion is 1.3.0"),
    Case("ECS.10", "EC2 capacity provider", (service(platformVersion=None, capacityProviderStrategies=[
        {"capacityProvider": "prod-ec2-cp", "weight": 1}]),), "not_applicable"),
    Case("ECS.12", "Container Insights enhanced", (res(CLUSTER, {"settings": [
        {"name": "containerInsights", "value": "enhanced"}]}),), "pass"),
    Case("ECS.12", "Container Insights disabled", (res(CLUSTER, {"settings": [
        {"name": "containerInsights", "value": "disabled"}]}),), "fail", "containerInsights is disabled"),
    Case("ECS.12", "no settings", (res(CLUSTER, {}),), "fail", "not set"),
    Case("ECS.19", "managed termination protection", (res(CAPACITY_PROVIDER, {"autoScalingGroupProvider": {
        "autoScalingGroupArn": "arn:asg", "managedTerminationProtection": "ENABLED",
        "managedScaling": {"status": "ENABLED", "targetCapacity": 90}}}),), "pass"),
    Case("ECS.19", "termination protection off", (res(CAPACITY_PROVIDER, {"autoScalingGroupProvider": {
        "autoScalingGroupArn": "arn:asg", "managedTerminationProtection": "DISABLED",
        "managedScaling": {"status": "ENABLED"}}}),), "fail", "autoScalingGroupProvider.managed"),
    Case("ECS.20", "numeric non-root user", (task(),), "pass"),
    Case("ECS.20", "no user: the image default", (task(container(user=None)),), "fail", "runs as"),
    Case("ECS.20", "uid 0", (task(container(user="0:0")),), "fail", "runs as 0:0"),
    Case("SEC.2", "ECS Exec off", (service(enableExecuteCommand=False),), "pass"),
    Case("SEC.2", "ECS Exec not set (AWS's default: off)", (service(),), "pass"),
    Case("SEC.2", "ECS Exec on", (service(enableExecuteCommand=True),), "fail",
         "enableExecuteCommand is true: whoever may call ecs:ExecuteCommand gets a root shell"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.control}: {c.label}")
def test_case(case):
    assert_case(case)


def test_each_offending_container_is_named():
    result = run("ECS.4", task(container(name="sidecar", privileged=True), container(name="app")))
    assert [f.message for f in result.violations] == ["container sidecar: privileged is true"]


def test_container_definitions_unknown_at_preview_are_not_applicable_not_a_crash():
    t = res(TASK, {"family": "web", "containerDefinitions": UNKNOWN})
    for control in ("ECS.4", "ECS.5", "ECS.8", "ECS.9", "ECS.20", "REL.6"):
        result = run(control, t)
        assert result.status == "not_applicable", control
        assert "not known until deployment" in result.reason


def test_public_ip_decided_later_when_unknown():
    result = run("ECS.2", service(networkConfiguration={"assignPublicIp": UNKNOWN, "subnets": ["a"]}))
    assert result.status == "not_applicable"


def test_termination_protection_also_needs_managed_scaling():
    result = run("ECS.19", res(CAPACITY_PROVIDER, {"autoScalingGroupProvider": {
        "autoScalingGroupArn": "arn:asg", "managedTerminationProtection": "ENABLED"}}))
    assert [f.message for f in result.violations] == [
        "autoScalingGroupProvider.managedScaling is not ENABLED (termination protection needs it)"]


# --- SEC.2: ECS Exec is reported in production only ------------------------------------------------


def test_ecs_exec_outside_production_is_not_judged():
    result = run("SEC.2", service(enableExecuteCommand=True), config={})
    assert (result.enforcement, result.status, result.reason) == (
        "disabled", "disabled", "applies to production stacks only")


def test_ecs_exec_in_a_production_stack_is_an_advisory_finding_that_never_blocks():
    production = parse({"elb-6": "mandatory", "sec-2": "advisory"})
    assert production.production
    result = run_control(BY_ID["SEC.2"], Stack([service(enableExecuteCommand=True)]), production)
    assert (result.enforcement, result.status, result.blocking) == ("advisory", "fail", False)


def test_protect_true_turns_the_exec_finding_on_at_advisory():
    raised = parse({}).as_production("`protect: true`")
    assert raised.level(BY_ID["SEC.2"]) == "advisory" and raised.production_by == "`protect: true`"


def test_a_production_file_that_leaves_exec_off_says_so():
    result = run("SEC.2", service(enableExecuteCommand=True), config={"elb-6": "mandatory"})
    assert result.status == "disabled"
    assert result.reason == 'the policy config marks the stack production but leaves it off; set "sec-2": "advisory"'
