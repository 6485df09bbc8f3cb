"""This project's ECS reliability rules (AWS ECS best-practice guidance; no Security Hub control covers them).

They encode what makes a rolling deployment safe and quick: a failing deployment rolls
itself back, capacity never drops below half, tasks survive an AZ outage, ECS does not
kill a task the load balancer has not yet had the chance to mark healthy, draining does
not stretch a deployment to AWS's 300 s default, and containers get a bounded, explicit
time to shut down.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .ecs import SERVICE, TASK, containers
from .model import (
    MANDATORY,
    Control,
    NotApplicable,
    Res,
    Stack,
    Undecided,
    Violation,
    get,
    known,
    objects,
    require_two_azs,
)

TARGET_GROUPS = ("aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup")
SOURCE = "ECS best practices (this project's reliability rules)"
FARGATE_MAX_STOP_TIMEOUT = 120

# ALB target group defaults when a health check setting is left out.
DEFAULT_INTERVAL, DEFAULT_HEALTHY_THRESHOLD, DEFAULT_DEREGISTRATION_DELAY = 30, 5, 300


def _rolling(r: Res) -> None:
    controller = known(get(r.props, "deploymentController.type"), "deploymentController") or "ECS"
    if controller != "ECS":
        raise NotApplicable(f"{controller} deployments do not use the ECS rolling deployment settings")


def circuit_breaker(r: Res, _: Mapping) -> Iterator[str]:
    _rolling(r)
    breaker = known(r.props.get("deploymentCircuitBreaker"), "deploymentCircuitBreaker") or {}
    if known(breaker.get("enable"), "deploymentCircuitBreaker.enable") is not True:
        yield "deploymentCircuitBreaker.enable is not true: a failing deployment keeps replacing tasks"
    elif known(breaker.get("rollback"), "deploymentCircuitBreaker.rollback") is not True:
        yield "deploymentCircuitBreaker.rollback is not true: a failed deployment is not rolled back"


def minimum_healthy(r: Res, _: Mapping) -> Iterator[str]:
    _rolling(r)
    percent = known(r.props.get("deploymentMinimumHealthyPercent"), "deploymentMinimumHealthyPercent")
    if percent is not None and int(percent) < 50:  # AWS default is 100
        yield f"deploymentMinimumHealthyPercent is {percent}: a deployment may take away more than half the tasks"


def service_multi_az(stack: Stack, _: Mapping) -> Iterator[Violation | Undecided]:
    for svc in stack.of_type(SERVICE):
        try:
            subnets = get(svc.props, "networkConfiguration.subnets")
            if subnets is None and "networkConfiguration" not in svc.property_dependencies:
                raise NotApplicable("no awsvpc network configuration: placement follows the instances")
            for message in require_two_azs(stack, svc, "networkConfiguration", subnets, "the service"):
                yield Violation(svc, message)
        except NotApplicable as na:
            yield Undecided(svc, na.reason)


def _time_to_healthy(tg: Res) -> int:
    check = known(tg.props.get("healthCheck"), "healthCheck") or {}
    interval = known(check.get("interval"), "healthCheck.interval") or DEFAULT_INTERVAL
    threshold = known(check.get("healthyThreshold"), "healthCheck.healthyThreshold") or DEFAULT_HEALTHY_THRESHOLD
    return int(interval) * int(threshold)


def grace_period(stack: Stack, _: Mapping) -> Iterator[Violation | Undecided]:
    for svc in stack.of_type(SERVICE):
        try:
            attachments = objects(svc.props.get("loadBalancers"), "loadBalancers")
            if not attachments:
                raise NotApplicable("no load balancer: there is no target group health check to wait for")
            arns = [a.get("targetGroupArn") for a in attachments if isinstance(a, dict)]
            groups = stack.referenced(svc, "loadBalancers", arns, TARGET_GROUPS)
            if not groups:
                raise NotApplicable("its target group is not part of this stack")
            needed = max(_time_to_healthy(tg) for tg in groups)
            grace = int(known(svc.props.get("healthCheckGracePeriodSeconds"), "healthCheckGracePeriodSeconds") or 0)
            if grace < needed:
                yield Violation(svc, f"healthCheckGracePeriodSeconds is {grace}, but the target group needs "
                                     f"{needed} s (interval x healthy threshold) to mark a new task healthy")
        except NotApplicable as na:
            yield Undecided(svc, na.reason)


def deregistration_delay(r: Res, config: Mapping) -> Iterator[str]:
    limit = DEREGISTRATION.settings(config)["maxSeconds"]
    delay = known(r.props.get("deregistrationDelay"), "deregistrationDelay")
    delay = DEFAULT_DEREGISTRATION_DELAY if delay is None else int(delay)
    if delay > limit:
        yield f"deregistrationDelay is {delay} s: each deployment waits that long per task; use at most {limit} s " \
              "(or raise maxSeconds for long-lived requests)"


def stop_timeout(r: Res, _: Mapping) -> Iterator[str]:
    fargate = "FARGATE" in (known(r.props.get("requiresCompatibilities"), "requiresCompatibilities") or [])
    for c in containers(r):
        timeout = c.get("stopTimeout")
        if timeout is None:
            yield f"container {c.get('name', '?')}: stopTimeout is not set (SIGKILL after the agent default)"
        elif fargate and int(timeout) > FARGATE_MAX_STOP_TIMEOUT:
            yield f"container {c.get('name', '?')}: stopTimeout {timeout} exceeds Fargate's 120 s"


DEREGISTRATION = Control(
    "REL.5", "Target groups drain within 60 s unless configured otherwise", "low", MANDATORY, TARGET_GROUPS, SOURCE,
    validate=deregistration_delay,
    params={"maxSeconds": {"type": "integer", "minimum": 0, "maximum": 3600, "default": 60,
                           "description": "Longest accepted deregistration delay in seconds."}})

CONTROLS = [
    Control("REL.1", "ECS services use the deployment circuit breaker with rollback", "medium", MANDATORY,
            (SERVICE,), SOURCE, validate=circuit_breaker),
    Control("REL.2", "ECS deployments keep at least 50 % of tasks healthy", "medium", MANDATORY, (SERVICE,), SOURCE,
            validate=minimum_healthy),
    Control("REL.3", "ECS services run in subnets of at least two Availability Zones", "high", MANDATORY,
            (SERVICE,), SOURCE, validate_stack=service_multi_az),
    Control("REL.4", "Health check grace period covers the time the target group needs to mark a task healthy",
            "medium", MANDATORY, (SERVICE,), SOURCE, validate_stack=grace_period),
    DEREGISTRATION,
    Control("REL.6", "Containers set a stop timeout (at most 120 s on Fargate)", "low", MANDATORY, (TASK,), SOURCE,
            validate=stop_timeout),
]
