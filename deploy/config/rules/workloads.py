"""The workload kinds: what belongs to a web service, a worker and a scheduled task; queues; calls by name."""

from __future__ import annotations

from collections.abc import Iterator

from .. import resolve
from ..model import Service, StackConfig
from ..problems import Problem, by_default

KIND_NAMES = {"web": "a web service", "worker": "a worker", "scheduled": "a scheduled task"}
"""Each `kind`, as a message names it."""


def check(cfg: StackConfig) -> Iterator[Problem]:
    for name, svc in cfg.services.items():
        key = f"services.{name}"
        yield from _kind(key, svc)
        yield from _queue(key, svc)
        yield from _calls(cfg, name, svc)
    yield from _cycle(cfg)


def _kind(key: str, svc: Service) -> Iterator[Problem]:
    if svc.kind != "web" and svc.load_balancer is not None:
        yield Problem(f"{key}.loadBalancer", f"{KIND_NAMES[svc.kind]} gets no load balancer; use `kind: web`")
    if svc.kind != "worker" and svc.queue is not None:
        yield Problem(f"{key}.queue", "only `kind: worker` services have a queue")
    if svc.kind != "scheduled" and svc.schedule is not None:
        yield Problem(f"{key}.schedule", "only `kind: scheduled` tasks have a schedule")
    if svc.kind == "scheduled":
        if svc.schedule is None:
            yield Problem(f"{key}.schedule", "is required for `kind: scheduled` (e.g. expression: cron(0 3 * * ? *))")
        if svc.autoscaling is not None:
            yield Problem(f"{key}.autoscaling", "scheduled tasks are not a service; set `schedule.taskCount`")


def _queue(key: str, svc: Service) -> Iterator[Problem]:
    q = svc.queue
    if q is None:
        return
    if q.dead_letter_retention_days < q.message_retention_days:
        # A moved message keeps its original timestamp: a shorter DLQ retention loses it early.
        yield Problem(f"{key}.queue.deadLetterRetentionDays",
                      f"must be at least messageRetentionDays ({q.message_retention_days}"
                      f"{by_default(q, 'message_retention_days')}), since messages keep their age when they move "
                      f"(got {q.dead_letter_retention_days})")
    for cname, c in svc.containers.items():
        if q.env_var in c.environment or q.env_var in c.secrets:
            yield Problem(f"{key}.containers.{cname}.environment.{q.env_var}", "is set by the queue "
                                                                               "(`queue.envVar`); remove it or "
                                                                               "rename envVar")


def _cycle(cfg: StackConfig) -> Iterator[Problem]:
    cycle = resolve.call_cycle(cfg)
    if cycle:
        yield Problem(f"services.{cycle[0]}.calls", f"{' -> '.join(cycle)} call each other round; each caller must "
                                                   "start after the service it calls is registered (ECS Service "
                                                   "Connect), so one of them must call through the load balancer")


def _calls(cfg: StackConfig, name: str, svc: Service) -> Iterator[Problem]:
    key = f"services.{name}.calls"
    if svc.calls and svc.kind == "scheduled":
        yield Problem(key, "scheduled tasks cannot call by name (Service Connect needs an ECS service); call the "
                           "service through the load balancer")
        return
    for i, callee in enumerate(svc.calls):
        other = cfg.services.get(callee)
        if callee == name:
            yield Problem(f"{key}[{i}]", "a service does not need to call itself by name")
        elif other is None:
            # Judged against the services that parsed: one that failed its shape is not "unknown".
            yield Problem(f"{key}[{i}]", f"{callee!r} is not a service of this stack; services: "
                                         f"{', '.join(sorted(cfg.services))}", (f"services.{callee}",))
        elif other.kind == "scheduled":
            yield Problem(f"{key}[{i}]", f"{callee!r} is a scheduled task; only services can be called")
        elif resolve.connect_port(other) is None:
            yield Problem(f"{key}[{i}]", f"{callee!r} exposes no port; give one of its containers `ports`")
