"""Auto scaling and rolling deployments of a service."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from ...aws import elb
from .. import resolve
from ..model import Service, StackConfig
from ..problems import Problem, by_default, valued


def check(cfg: StackConfig) -> Iterator[Problem]:
    yield from deployment_problems(cfg)
    yield from test_rule_problems(cfg)
    for name, svc in cfg.services.items():
        key = f"services.{name}"
        yield from _autoscaling(key, svc)
        if svc.autoscaling is not None and svc.autoscaling.messages_per_task is not None \
                and cfg.cluster.container_insights == "disabled":
            yield Problem(f"{key}.autoscaling.messagesPerTask", "queue scaling divides the backlog by the running "
                                                                "tasks Container Insights reports; set "
                                                                "`cluster.containerInsights` to enabled")
        dep = svc.deployment
        if dep.maximum_percent <= dep.minimum_healthy_percent:
            yield Problem(f"{key}.deployment.maximumPercent",
                          f"must be above minimumHealthyPercent ({dep.minimum_healthy_percent}"
                          f"{by_default(dep, 'minimum_healthy_percent')}) or no deployment can start a new task "
                          f"(got {dep.maximum_percent}{by_default(dep, 'maximum_percent')})")


def _autoscaling(key: str, svc: Service) -> Iterator[Problem]:
    a = svc.autoscaling
    if a is None:
        return
    if not a.min <= svc.desired_count <= a.max:
        yield Problem(f"{key}.desiredCount", f"must be within autoscaling min {valued(a, 'min')} and max {a.max} "
                                             f"(got {svc.desired_count}{by_default(svc, 'desired_count')})")
    if a.min > a.max:
        yield Problem(f"{key}.autoscaling.min", f"must not exceed max ({a.max}) (got {a.min}{by_default(a, 'min')})")
    if a.requests_per_target is not None and not (svc.web and svc.load_balancer is not None):
        yield Problem(f"{key}.autoscaling.requestsPerTarget", "needs `loadBalancer` (it tracks ALB requests)")
    if a.messages_per_task is not None:
        if svc.queue is None:
            yield Problem(f"{key}.autoscaling.messagesPerTask", "needs a `queue` (it scales on the queue's backlog)")
        if a.cpu_target is not None or a.memory_target is not None:
            yield Problem(f"{key}.autoscaling", "queue scaling and CPU/memory target tracking would fight over "
                                                "the task count; use one")
    elif a.min == 0:
        yield Problem(f"{key}.autoscaling.min", "0 tasks is only for queue workers (`messagesPerTask`), which "
                                                "start again when messages arrive; use 1 or more")
    for i, sched in enumerate(a.schedules):
        if sched.min is None and sched.max is None:
            # PutScheduledAction's ScalableTargetAction: "You can set both values or just one"; the provider
            # needs at least one (terraform-provider-aws appautoscaling/scheduled_action.go, AtLeastOneOf).
            yield Problem(f"{key}.autoscaling.schedules[{i}]", "sets neither min nor max; give one or both")
        elif sched.min is not None and sched.max is not None and sched.min > sched.max:
            yield Problem(f"{key}.autoscaling.schedules[{i}].min",
                          f"must not exceed max ({sched.max}) (got {sched.min})")
        # "In some cases, however, you must include both sizes to ensure that the new minimum capacity is not
        # greater than the maximum capacity, or the new maximum capacity is not less than the minimum capacity"
        # (Application Auto Scaling User Guide, "How scheduled scaling works"). Judged against the bounds the
        # stack registers; giving both is always safe.
        elif sched.max is None and sched.min is not None and sched.min > a.max:
            yield Problem(f"{key}.autoscaling.schedules[{i}].min",
                          f"is above autoscaling max ({a.max}) and the schedule gives no max; give a max of at least "
                          f"{sched.min} too (got {sched.min})")
        elif sched.min is None and sched.max is not None and sched.max < a.min:
            yield Problem(f"{key}.autoscaling.schedules[{i}].max",
                          f"is below autoscaling min ({a.min}) and the schedule gives no min; give a min of at most "
                          f"{sched.max} too (got {sched.max})")
        if sched.start_time is not None and sched.end_time is not None \
                and _instant(sched.end_time) <= _instant(sched.start_time):
            yield Problem(f"{key}.autoscaling.schedules[{i}].endTime",
                          f"must be after startTime ({sched.start_time}) (got {sched.end_time})")
    if a.predictive is not None:
        yield from _predictive(f"{key}.autoscaling.predictive", svc)


def _instant(rfc3339: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(rfc3339.replace("Z", "+00:00"))


def _predictive(key: str, svc: Service) -> Iterator[Problem]:
    """What PutScalingPolicy refuses in a PredictiveScaling policy for an ECS service.

    Sources: Application Auto Scaling API reference, PredictiveScalingPolicyConfiguration (MaxCapacityBuffer
    "Required if the MaxCapacityBreachBehavior property is set to IncreaseMaxCapacity, and cannot be used
    otherwise") and PredictiveScalingPredefinedMetricPairSpecification (ResourceLabel "uniquely identifies a
    specific target group"): request forecasts need the service's target group.
    """
    p = svc.autoscaling.predictive if svc.autoscaling is not None else None
    if p is None:
        return
    if p.metric == "requests" and not (svc.web and svc.load_balancer is not None):
        yield Problem(f"{key}.metric", "requests forecasts the ALB requests of the service's target group; "
                                       "it needs `loadBalancer` (use cpu or memory)")
    if p.metric in ("cpu", "memory") and p.target_value > 100:
        yield Problem(f"{key}.targetValue", f"is a {p.metric} utilisation: must be 1 to 100 % "
                                            f"(got {p.target_value})")
    increase = p.max_capacity_breach_behavior == "IncreaseMaxCapacity"
    if increase and p.max_capacity_buffer is None:
        yield Problem(f"{key}.maxCapacityBuffer", "is required with maxCapacityBreachBehavior "
                                                  "IncreaseMaxCapacity (how far above the forecast max may rise)")
    if not increase and p.max_capacity_buffer is not None:
        yield Problem(f"{key}.maxCapacityBuffer", "applies only with maxCapacityBreachBehavior IncreaseMaxCapacity "
                                                  f"(it is {p.max_capacity_breach_behavior})")


# --- deployment strategies ------------------------------------------------------------------
# Sources: ECS DeploymentConfiguration (botocore ecs model: bakeTimeInMinutes "must" be given for BLUE_GREEN, which
# the model's default does) and "Required resources for Amazon ECS blue/green deployments" (ECS Developer Guide:
# managed traffic shifting needs Elastic Load Balancing or Service Connect).


def deployment_problems(cfg: StackConfig) -> Iterator[Problem]:
    callees = resolve.called(cfg)
    for name, svc in cfg.services.items():
        key = f"services.{name}.deployment"
        dep = svc.deployment
        strategy = dep.strategy
        if dep.canary is not None and strategy != "canary":
            yield Problem(f"{key}.canary", f"applies only with `strategy: canary` (strategy is {strategy!r})")
        if dep.linear is not None and strategy != "linear":
            yield Problem(f"{key}.linear", f"applies only with `strategy: linear` (strategy is {strategy!r})")
        if not dep.shifts_traffic:
            for field, setting in (("test_traffic", "testTraffic"), ("hooks", "hooks")):
                if getattr(dep, field):
                    yield Problem(f"{key}.{setting}", "applies only to blue-green, linear and canary deployments "
                                                      "(strategy is 'rolling')")
            continue
        if svc.kind == "scheduled":
            yield Problem(f"{key}.strategy", f"{strategy} needs an ECS service; a scheduled task has none")
            continue
        routed = svc.web and svc.load_balancer is not None
        if not routed and name not in callees:
            yield Problem(f"{key}.strategy", f"{strategy} moves traffic from the old revision to the new one, so the "
                                             "service needs a load balancer (`kind: web`) or callers by name "
                                             "(another service's `calls`); use rolling")
        if svc.desired_count == 0:
            yield Problem(f"{key}.strategy", f"{strategy} shifts traffic between running tasks; desiredCount 0 runs "
                                             "none (use rolling, or 1 or more tasks)")
        if dep.maximum_percent != 200:
            yield Problem(f"{key}.maximumPercent", f"{strategy} starts the new revision at full size beside the old "
                                                   f"one, 200% of desiredCount; must be 200 (got {dep.maximum_percent})")
        tt = dep.test_traffic
        lb = svc.load_balancer
        if routed and lb is not None and (tt is None or tt.port is None):
            # the header test rule repeats the production rule's conditions and adds the header's value
            quota = elb.quota_problem([*lb.paths, *lb.hosts], lb.source_cidrs, [resolve.test_traffic(dep).value])
            if quota:
                yield Problem(f"{key}.testTraffic", f"{quota}: use fewer paths or hosts, or a test `port`")
        if tt is not None and tt.port is not None:
            if not routed:
                yield Problem(f"{key}.testTraffic.port", "a test listener is on the load balancer; this service has "
                                                         "none (Service Connect test traffic uses `header`)")
            elif tt.port in (80, 443):
                yield Problem(f"{key}.testTraffic.port", f"{tt.port} is a production listener's port; pick another")
        stages = [h.stage for h in dep.hooks]
        for stage in sorted({s for s in stages if stages.count(s) > 1}):
            yield Problem(f"{key}.hooks", f"{stage} is given more than once; one function per stage")


def test_rule_problems(cfg: StackConfig) -> Iterator[Problem]:
    """A header test rule sits just before its service's production rule on the same listener: that number must
    be free (ALB priorities are unique per listener: 1 to 50000)."""
    priorities = resolve.listener_priorities(cfg)
    owners = {p: name for name, p in priorities.items()}
    for name, p in sorted(priorities.items()):
        svc = cfg.services[name]
        dep = svc.deployment
        if not dep.shifts_traffic or resolve.test_traffic(dep).port is not None:
            continue
        test = p - 1
        other = owners.get(test)
        if test < 1 or other is not None:
            taken = f"taken by services.{other}" if other is not None else "below 1"
            yield Problem(f"services.{name}.loadBalancer.priority",
                          f"the test traffic rule of a {dep.strategy} deployment takes the priority just before "
                          f"the service's own ({p}); {test} is {taken}: leave a gap, or give "
                          "`deployment.testTraffic.port`")
        owners[test] = name
