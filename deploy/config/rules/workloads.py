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
        yield from _sends(cfg, name, svc)
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
    if q.content_based_deduplication is not None and not q.fifo:
        # botocore sqs CreateQueue.Attributes: "The following attributes apply only to FIFO (first-in-first-out)
        # queues: FifoQueue ... ContentBasedDeduplication"; the provider refuses it too ("content-based
        # deduplication can only be set for FIFO queue", terraform-provider-aws internal/service/sqs/queue.go
        # resourceQueueCustomizeDiff @00a35305).
        yield Problem(f"{key}.queue.contentBasedDeduplication", "applies only to FIFO queues; set `queue.fifo: true` "
                                                                "or remove it")
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


def _sends(cfg: StackConfig, name: str, svc: Service) -> Iterator[Problem]:
    key = f"services.{name}.sends"
    with_queue = sorted(n for n, other in cfg.services.items() if other.kind == "worker" and other.queue is not None)
    choices = f"workers with a queue: {', '.join(with_queue)}" if with_queue else \
        "no worker of this stack has a `queue`"
    seen: dict[str, int] = {}
    envs: dict[str, str] = {}
    for i, send in enumerate(svc.sends):
        target, where = send.service, f"{key}[{i}]"
        other = cfg.services.get(target)
        if target in seen:
            yield Problem(where, f"{target!r} is listed twice (also at sends[{seen[target]}])")
            continue
        seen[target] = i
        if target == name:
            yield Problem(where, "a worker does not send to its own queue through `sends`; it consumes it (the URL "
                                 "is in `queue.envVar`)")
            continue
        if other is None:
            # Judged against the services that parsed: one that failed its shape is not "unknown".
            yield Problem(where, f"{target!r} is not a service of this stack; {choices}", (f"services.{target}",))
            continue
        if other.kind != "worker" or other.queue is None:
            what = "a worker without a `queue`" if other.kind == "worker" else KIND_NAMES[other.kind]
            yield Problem(where, f"{target!r} is {what}; only a worker's queue can be sent to; {choices}")
            continue
        env = resolve.send_env(send)
        if env in envs:
            yield Problem(where, f"{env} would carry the queue URLs of both {envs[env]!r} and {target!r}; set `env` on one "
                                 "of them")
            continue
        envs[env] = target
        if svc.queue is not None and env == svc.queue.env_var:
            yield Problem(where, f"its URL would be in {env}, which carries this worker's own queue URL "
                                 "(`queue.envVar`); set `env`")
        for cname, c in sorted(svc.containers.items()):
            if env in c.environment or env in c.secrets:
                where_set = "environment" if env in c.environment else "secrets"
                yield Problem(where, f"its URL would be in {env}, which container {cname} already sets in "
                                     f"`{where_set}`; remove it there or set `env`")
