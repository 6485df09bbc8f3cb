"""Auto scaling and rolling deployments of a service."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Service, StackConfig
from ..problems import Problem, by_default, valued


def check(cfg: StackConfig) -> Iterator[Problem]:
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
