"""Rules for EC2 capacity and the workload kinds (web, worker, scheduled, calls) (pure).

What AWS refuses, caught before anything is created: Auto Scaling group providers mixed
with Fargate providers in one strategy, Fargate-only settings on EC2 tasks and the
reverse, tasks no configured instance type can hold, ARM64 tasks on x86_64 instances.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Iterator

from .. import instances
from .model import StackConfig, StrategyItem
from .problems import ENV_NAME, KMS_ARN, Problem, based_on, missing_endpoints, strategy_basis

# ECS refuses capacity provider names starting with these.
RESERVED_PROVIDER_PREFIXES = ("aws", "ecs", "fargate")
# What EC2 container instances in private subnets need to reach without a NAT gateway.
EC2_ENDPOINTS = ("ecs", "ecs-agent", "ecs-telemetry", "ecr.api", "ecr.dkr", "logs")
_RATE = re.compile(r"^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$")
_CRON = re.compile(r"^cron\((\S+ ){5}\S+\)$")
_AT = re.compile(r"^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$")
MIN_EC2_TASK_CPU = 128
MIN_EC2_TASK_MEMORY = 128


def capacity(cfg: StackConfig) -> Iterator[Problem]:
    yield from _ec2_group(cfg)
    yield from _strategy_mix("cluster.capacityProviderStrategy", cfg, cfg.cluster.capacity_provider_strategy)
    for name, svc in cfg.services.items():
        key = f"services.{name}"
        if svc.capacity_provider_strategy is not None:
            yield from _strategy_mix(f"{key}.capacityProviderStrategy", cfg, svc.capacity_provider_strategy)
        if cfg.on_ec2(svc):
            yield from based_on(strategy_basis(svc), _ec2_task(cfg, key, svc))
        elif svc.placement is not None:
            yield Problem(f"{key}.placement", "placement strategies apply to EC2 tasks only; Fargate places tasks "
                                              "itself (remove it, or run the service on EC2)", strategy_basis(svc))


def _ec2_group(cfg: StackConfig) -> Iterator[Problem]:
    ec2 = cfg.cluster.ec2
    if ec2 is None:
        return
    known = [instances.lookup(t) for t in ec2.instance_types]
    for i, (name, found) in enumerate(zip(ec2.instance_types, known)):
        if found is None:
            yield Problem(f"cluster.ec2.instanceTypes[{i}]", f"{name!r} is not a known instance type; families: "
                                                             f"{', '.join(instances.families())}")
    architectures = {k.architecture for k in known if k is not None}
    if len(architectures) > 1:
        yield Problem("cluster.ec2.instanceTypes", "mixes x86_64 and arm64 types; one Auto Scaling group runs one "
                                                   "AMI, so use one architecture")
    if ec2.min_size > ec2.max_size:
        yield Problem("cluster.ec2.minSize", f"({ec2.min_size}) must not exceed maxSize ({ec2.max_size})")
    if ec2.on_demand_base > ec2.max_size:
        yield Problem("cluster.ec2.onDemandBase", f"({ec2.on_demand_base}) must not exceed maxSize ({ec2.max_size})")
    if ec2.volume_kms_key_arn is not None and not KMS_ARN.match(ec2.volume_kms_key_arn):
        yield Problem("cluster.ec2.volumeKmsKeyArn", "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)")
    if cfg.prefix.startswith(RESERVED_PROVIDER_PREFIXES):
        yield Problem("name", f"the EC2 capacity provider is named after the prefix {cfg.prefix!r}, and ECS refuses "
                              f"names starting with {', '.join(RESERVED_PROVIDER_PREFIXES)}; set another `name`")
    net = cfg.network
    if net.existing is None and net.nat == "none":
        missing = missing_endpoints(net, EC2_ENDPOINTS)
        if missing:
            yield Problem("network.endpoints", "EC2 instances in private subnets without a NAT reach ECS only "
                                               f"through endpoints; add {', '.join(missing)} (or use a NAT)")


def _strategy_mix(key: str, cfg: StackConfig, items: list[StrategyItem]) -> Iterator[Problem]:
    providers = {i.provider for i in items}
    if "EC2" in providers and providers & {"FARGATE", "FARGATE_SPOT"}:
        yield Problem(key, "mixes EC2 with FARGATE/FARGATE_SPOT; ECS refuses a strategy that combines an Auto "
                           "Scaling group provider with Fargate providers")
    if "EC2" in providers and cfg.cluster.ec2 is None:
        yield Problem(key, "uses EC2 but the cluster has no EC2 capacity; add `cluster.ec2`", ("cluster",))


def _ec2_task(cfg: StackConfig, key: str, svc) -> Iterator[Problem]:
    if svc.ephemeral_storage is not None:
        yield Problem(f"{key}.ephemeralStorage", "is a Fargate setting; EC2 tasks use the instance's volume")
    if svc.assign_public_ip:
        yield Problem(f"{key}.assignPublicIp", "EC2 tasks in awsvpc mode cannot have public IPs (Fargate only)")
    if svc.cpu < MIN_EC2_TASK_CPU:
        yield Problem(f"{key}.cpu", f"EC2 tasks need at least {MIN_EC2_TASK_CPU} CPU units (got {svc.cpu})")
    if svc.memory < MIN_EC2_TASK_MEMORY:
        yield Problem(f"{key}.memory", f"EC2 tasks need at least {MIN_EC2_TASK_MEMORY} MiB (got {svc.memory})")
    ec2 = cfg.cluster.ec2
    if ec2 is None:
        return
    known = [k for k in (instances.lookup(t) for t in ec2.instance_types) if k is not None]
    if not known:
        return
    arch = instances.task_architecture(known[0].architecture)
    if svc.architecture != arch:
        yield Problem(f"{key}.architecture", f"{svc.architecture} tasks cannot run on the cluster's "
                                             f"{known[0].architecture} instances ({', '.join(ec2.instance_types)}); "
                                             f"use {arch}")
    if not any(k.cpu_units >= svc.cpu and k.usable_memory_mib >= svc.memory for k in known):
        biggest = max(known, key=lambda k: (k.cpu_units, k.usable_memory_mib))
        yield Problem(f"{key}.cpu", f"no instance type of cluster.ec2 holds a task of {svc.cpu} CPU units and "
                                    f"{svc.memory} MiB; the largest, {biggest.name}, offers {biggest.cpu_units} units "
                                    f"and about {biggest.usable_memory_mib} MiB for tasks")


def workloads(cfg: StackConfig) -> Iterator[Problem]:
    for name, svc in cfg.services.items():
        key = f"services.{name}"
        yield from _kind(key, svc)
        yield from _calls(cfg, name, svc)
        if svc.autoscaling is not None and svc.autoscaling.messages_per_task is not None \
                and cfg.cluster.container_insights == "disabled":
            yield Problem(f"{key}.autoscaling.messagesPerTask", "queue scaling divides the backlog by the running "
                                                                "tasks Container Insights reports; set "
                                                                "`cluster.containerInsights` to enabled")
    net = cfg.network
    queues = any(s.queue is not None for s in cfg.services.values())
    if queues and net.existing is None and net.nat == "none" and net.endpoints.interface \
            and "sqs" not in net.endpoints.interface:
        yield Problem("network.endpoints.interface", "workers use SQS; with `nat: none` add the `sqs` endpoint")


def _kind(key: str, svc) -> Iterator[Problem]:
    if svc.kind != "web" and svc.load_balancer is not None:
        yield Problem(f"{key}.loadBalancer", f"a {svc.kind} gets no load balancer; use `kind: web`")
    if svc.kind != "worker" and svc.queue is not None:
        yield Problem(f"{key}.queue", "only `kind: worker` services have a queue")
    if svc.kind != "scheduled" and svc.schedule is not None:
        yield Problem(f"{key}.schedule", "only `kind: scheduled` tasks have a schedule")
    if svc.kind == "scheduled":
        if svc.schedule is None:
            yield Problem(f"{key}.schedule", "is required for `kind: scheduled` (e.g. expression: cron(0 3 * * ? *))")
        if svc.autoscaling is not None:
            yield Problem(f"{key}.autoscaling", "scheduled tasks are not a service; set `schedule.taskCount`")
    if svc.schedule is not None:
        yield from _schedule(f"{key}.schedule", svc.schedule)
    if svc.queue is not None:
        q = svc.queue
        if q.dead_letter_retention_days < q.message_retention_days:
            # A moved message keeps its original timestamp: a shorter DLQ retention loses it early.
            yield Problem(f"{key}.queue.deadLetterRetentionDays",
                          f"({q.dead_letter_retention_days}) must be at least messageRetentionDays "
                          f"({q.message_retention_days}); messages keep their age when they move")
        env = svc.queue.env_var
        if not ENV_NAME.match(env):
            yield Problem(f"{key}.queue.envVar", f"{env!r} is not a valid environment variable name")
        for cname, c in svc.containers.items():
            if env in c.environment or env in c.secrets:
                yield Problem(f"{key}.containers.{cname}.environment.{env}", "is set by the queue (`queue.envVar`); "
                                                                             "remove it or rename envVar")


def _schedule(key: str, schedule) -> Iterator[Problem]:
    expr = schedule.expression
    if not (_RATE.match(expr) or _CRON.match(expr) or _AT.match(expr)):
        yield Problem(f"{key}.expression", f"{expr!r} is not a schedule: use cron(min hour day month weekday year), "
                                           "rate(1 hour) / rate(5 minutes), or at(yyyy-mm-ddThh:mm:ss)")
    elif _CRON.match(expr):
        fields = expr[len("cron("):-1].split()
        if (fields[2] == "?") == (fields[4] == "?"):
            yield Problem(f"{key}.expression", f"{expr!r}: exactly one of day-of-month (3rd field) and day-of-week "
                                               "(5th) must be `?`, e.g. cron(0 3 * * ? *) or cron(0 9 ? * MON-FRI *)")
    try:
        zoneinfo.ZoneInfo(schedule.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        yield Problem(f"{key}.timezone", f"{schedule.timezone!r} is not an IANA time zone (e.g. Europe/Berlin, UTC)")


def _calls(cfg: StackConfig, name: str, svc) -> Iterator[Problem]:
    key = f"services.{name}.calls"
    if svc.calls and svc.kind == "scheduled":
        yield Problem(key, "scheduled tasks cannot call by name (Service Connect needs an ECS service); call the "
                           "service through the load balancer")
        return
    for i, target in enumerate(svc.calls):
        other = cfg.services.get(target)
        if target == name:
            yield Problem(f"{key}[{i}]", "a service does not need to call itself by name")
        elif other is None:
            # Judged against the services that parsed: one that failed its shape is not "unknown".
            yield Problem(f"{key}[{i}]", f"{target!r} is not a service of this stack; services: "
                                         f"{', '.join(sorted(cfg.services))}", (f"services.{target}",))
        elif other.kind == "scheduled":
            yield Problem(f"{key}[{i}]", f"{target!r} is a scheduled task; only services can be called")
        elif connect_port(other) is None:
            yield Problem(f"{key}[{i}]", f"{target!r} exposes no port; give one of its containers `ports`")


def connect_port(svc) -> tuple[str, int] | None:
    """(container, port) a called service is reached on: its load balancer target, else its first port."""
    from .service_rules import target_container, target_port

    if svc.web and svc.load_balancer is not None:
        target = target_container(svc)
        port = target_port(svc)
        if target is not None and port is not None:
            return target[0], port
    for cname, c in sorted(svc.containers.items()):
        if c.ports:
            return cname, c.ports[0]
    return None
