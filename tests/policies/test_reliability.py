"""The project's ECS reliability rules (REL.*): passing and violating resources."""

from __future__ import annotations

import json

import pytest

from tests.policies.test_support import Case, assert_case, res, run

SERVICE = "aws:ecs/service:Service"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
TG = "aws:lb/targetGroup:TargetGroup"
SUBNET = "aws:ec2/subnet:Subnet"
TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef"


def service(**props) -> object:
    body = {"desiredCount": 2, "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "deploymentMinimumHealthyPercent": 100, "deploymentMaximumPercent": 200,
            "healthCheckGracePeriodSeconds": 30,
            "loadBalancers": [{"targetGroupArn": TG_ARN, "containerName": "app", "containerPort": 8080}],
            "networkConfiguration": {"subnets": ["private-0-id", "private-1-id"], "assignPublicIp": False},
            **props}
    return res(SERVICE, {k: v for k, v in body.items() if v is not None}, name="web-svc")


def target_group(health_check: dict | None = None, **props) -> object:
    body = {"targetType": "ip", "protocol": "HTTP", "port": 8080, "deregistrationDelay": 30,
            "healthCheck": {"path": "/health", "interval": 10, "healthyThreshold": 2} if health_check is None
            else health_check, **props}
    return res(TG, {k: v for k, v in body.items() if v is not None}, name="web-tg", outputs={"arn": TG_ARN})


def task(*stop_timeouts, compatibilities=("FARGATE",)) -> object:
    containers = [{"name": f"c{i}", "image": "x", **({} if t is None else {"stopTimeout": t})}
                  for i, t in enumerate(stop_timeouts)]
    return res(TASK, {"containerDefinitions": json.dumps(containers),
                      "requiresCompatibilities": list(compatibilities)}, name="web-task")


SUBNETS = (res(SUBNET, {"availabilityZone": "us-east-1a"}, name="private-0"),
           res(SUBNET, {"availabilityZone": "us-east-1b"}, name="private-1"))

CASES = [
    Case("REL.1", "breaker with rollback", (service(),), "pass"),
    Case("REL.1", "breaker without rollback", (service(deploymentCircuitBreaker={"enable": True,
                                                                                "rollback": False}),),
         "fail", "rollback is not true"),
    Case("REL.1", "no breaker", (service(deploymentCircuitBreaker=None),), "fail", "enable is not true"),
    Case("REL.1", "blue/green through CodeDeploy", (service(deploymentCircuitBreaker=None,
                                                            deploymentController={"type": "CODE_DEPLOY"}),),
         "not_applicable"),
    Case("REL.2", "100 %", (service(),), "pass"),
    Case("REL.2", "50 % is enough", (service(deploymentMinimumHealthyPercent=50),), "pass"),
    Case("REL.2", "AWS default (100 %)", (service(deploymentMinimumHealthyPercent=None),), "pass"),
    Case("REL.2", "0 %", (service(deploymentMinimumHealthyPercent=0),), "fail", "deploymentMinimumHealthyPercent is 0"),
    Case("REL.3", "two AZs", (service(),) + SUBNETS, "pass"),
    Case("REL.3", "one AZ", (service(networkConfiguration={"subnets": ["private-0-id"]}),) + SUBNETS, "fail",
         "spans 1 Availability Zone"),
    Case("REL.4", "grace covers 10 s x 2", (service(), target_group()), "pass"),
    Case("REL.4", "grace shorter than 10 s x 2", (service(healthCheckGracePeriodSeconds=10), target_group()),
         "fail", "healthCheckGracePeriodSeconds is 10, but the target group needs 20 s"),
    Case("REL.4", "AWS health check defaults need 150 s", (service(), target_group(health_check={})), "fail",
         "needs 150 s"),
    Case("REL.4", "no load balancer", (service(loadBalancers=None),), "not_applicable"),
    Case("REL.5", "30 s", (target_group(),), "pass"),
    Case("REL.5", "AWS default 300 s", (target_group(deregistrationDelay=None),), "fail",
         "deregistrationDelay is 300 s"),
    Case("REL.6", "30 s", (task(30),), "pass"),
    Case("REL.6", "not set", (task(30, None),), "fail", "container c1: stopTimeout is not set"),
    Case("REL.6", "beyond Fargate's 120 s", (task(300),), "fail", "exceeds Fargate's 120 s"),
    Case("REL.6", "300 s on EC2 capacity", (task(300, compatibilities=("EC2",)),), "pass"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.control}: {c.label}")
def test_case(case):
    assert_case(case)


def test_a_longer_deregistration_delay_is_accepted_when_configured():
    slow = target_group(deregistrationDelay=120)
    assert run("REL.5", slow).status == "fail"
    assert run("REL.5", slow, config={"rel-5": {"maxSeconds": 180}}).status == "pass"


def test_grace_period_found_through_property_dependencies_at_preview():
    """At preview the target group ARN is unknown; CrossGuard links the service to it by dependency."""
    from dataclasses import replace

    from policies.controls import UNKNOWN

    svc = service(healthCheckGracePeriodSeconds=5)
    svc = replace(svc, props={**svc.props, "loadBalancers": [{"targetGroupArn": UNKNOWN}]},
                  property_dependencies={"loadBalancers": (target_group().urn,)})
    result = run("REL.4", svc, target_group())
    assert [f.message for f in result.violations] == [
        "healthCheckGracePeriodSeconds is 5, but the target group needs 20 s (interval x healthy threshold) "
        "to mark a new task healthy"]
