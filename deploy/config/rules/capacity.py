"""Capacity: strategies, Fargate task sizes, and the EC2 capacity with the tasks it must hold.

What AWS refuses, caught before anything is created: Auto Scaling group providers mixed
with Fargate providers in one strategy, Fargate-only settings on EC2 tasks and the
reverse, tasks no configured instance type can hold, ARM64 tasks on x86_64 instances.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...aws import fargate, instances
from ...aws.tokens import EC2, FARGATE_PROVIDERS
from .. import resolve
from ..model import Service, StackConfig, StrategyItem
from ..problems import Problem, based_on, by_default, counted, valued

# ECS refuses capacity provider names starting with these.
RESERVED_PROVIDER_PREFIXES = ("aws", "ecs", "fargate")
MIN_EC2_TASK_MEMORY = 128


def strategy_basis(svc: Service) -> tuple[str, ...]:
    """A service's capacity is the cluster's default strategy unless it names its own."""
    return () if svc.capacity_provider_strategy is not None else ("cluster",)


def check(cfg: StackConfig) -> Iterator[Problem]:
    yield from _strategy("cluster.capacityProviderStrategy", cfg, cfg.cluster.capacity_provider_strategy)
    yield from _ec2_group(cfg)
    yield from _room_for_awsvpc_tasks(cfg)
    for name, svc in cfg.services.items():
        key = f"services.{name}"
        basis = strategy_basis(svc)
        if svc.capacity_provider_strategy is not None:
            yield from _strategy(f"{key}.capacityProviderStrategy", cfg, svc.capacity_provider_strategy)
        if resolve.on_ec2(cfg, svc):
            yield from based_on(basis, _ec2_task(cfg, key, svc))
        else:
            yield from based_on(basis, _fargate_task(key, svc))
            if "placement" in svc.model_fields_set:
                yield Problem(f"{key}.placement", "placement strategies apply to EC2 tasks only; Fargate places "
                                                  "tasks itself (remove it, or run the service on EC2)", basis)
        # No rule on ARM64 with FARGATE_SPOT: the ECS API reference (CapacityProviderStrategyItem, as in
        # botocore's ecs model) says "FARGATE_SPOT supports Linux tasks with the ARM64 architecture on
        # platform version 1.4.0 or later", and services and schedules here run platform version LATEST.


def _strategy(key: str, cfg: StackConfig, items: list[StrategyItem]) -> Iterator[Problem]:
    if not items:
        yield Problem(key, "needs at least one capacity provider")
        return
    providers = [i.provider for i in items]
    if len(set(providers)) != len(providers):
        yield Problem(key, "names a capacity provider twice")
    if sum(1 for i in items if i.base > 0) > 1:
        yield Problem(key, "only one capacity provider may have a `base`")
    if not any(i.weight > 0 for i in items):
        yield Problem(key, "at least one capacity provider needs a `weight` above 0")
    if EC2 in providers and set(providers) & set(FARGATE_PROVIDERS):
        yield Problem(key, "mixes EC2 with FARGATE/FARGATE_SPOT; ECS refuses a strategy that combines an Auto "
                           "Scaling group provider with Fargate providers")
    if EC2 in providers and cfg.cluster.ec2 is None:
        yield Problem(key, "uses EC2 but the cluster has no EC2 capacity; add `cluster.ec2`", ("cluster",))


def _ec2_group(cfg: StackConfig) -> Iterator[Problem]:
    ec2 = cfg.cluster.ec2
    if ec2 is None:
        return
    known = [k for k in (instances.lookup(t) for t in ec2.instance_types) if k is not None]
    if len({k.architecture for k in known}) > 1:
        yield Problem("cluster.ec2.instanceTypes", "mixes x86_64 and arm64 types; one Auto Scaling group runs one "
                                                   "AMI, so use one architecture")
    if ec2.min_size > ec2.max_size:
        yield Problem("cluster.ec2.minSize", f"must not exceed maxSize ({ec2.max_size}{by_default(ec2, 'max_size')}) "
                                             f"(got {ec2.min_size})")
    if ec2.on_demand_base > ec2.max_size:
        yield Problem("cluster.ec2.onDemandBase", f"must not exceed maxSize ({ec2.max_size}"
                                                  f"{by_default(ec2, 'max_size')}) (got {ec2.on_demand_base})")
    prefix = resolve.prefix(cfg)
    if prefix.startswith(RESERVED_PROVIDER_PREFIXES):
        yield Problem("name", f"the EC2 capacity provider is named after the prefix {prefix!r}, and ECS refuses "
                              f"names starting with {', '.join(RESERVED_PROVIDER_PREFIXES)}; set another `name`")


def _peak_tasks(svc: Service) -> int:
    """The most tasks a service runs at once."""
    if svc.schedule is not None:
        return svc.schedule.task_count
    return svc.autoscaling.max if svc.autoscaling is not None else svc.desired_count


def _room_for_awsvpc_tasks(cfg: StackConfig) -> Iterator[Problem]:
    """Without ENI trunking every awsvpc task takes a network interface of its instance."""
    ec2 = cfg.cluster.ec2
    if ec2 is None or ec2.awsvpc_trunking:
        return
    known = [k for k in (instances.lookup(t) for t in ec2.instance_types) if k is not None]
    on_ec2 = {n: s for n, s in cfg.services.items() if resolve.on_ec2(cfg, s)}
    if not known or not on_ec2:
        return
    per_instance = max(k.awsvpc_tasks for k in known)
    room = per_instance * ec2.max_size
    peak = sum(_peak_tasks(s) for s in on_ec2.values())
    if peak > room:
        biggest = max(known, key=lambda k: k.awsvpc_tasks)
        yield Problem("cluster.ec2.maxSize", f"the services on EC2 ({', '.join(sorted(on_ec2))}) run up to "
                                             f"{counted(peak, 'task')}, but at most {room} fit on "
                                             f"{counted(ec2.max_size, 'instance')} (maxSize"
                                             f"{by_default(ec2, 'max_size')}): each awsvpc task needs a network "
                                             f"interface and {biggest.name} has {biggest.network_interfaces} (one is "
                                             f"the instance's); raise maxSize to {-(-peak // per_instance)}, use "
                                             "larger types, or set awsvpcTrunking",
                      tuple(f"services.{n}" for n in sorted(on_ec2)))


def _fargate_task(key: str, svc: Service) -> Iterator[Problem]:
    if svc.cpu not in fargate.CPU_VALUES:
        yield Problem(f"{key}.cpu", f"{svc.cpu} is not a Fargate CPU size; use one of "
                                    f"{', '.join(map(str, fargate.CPU_VALUES))} (1024 = 1 vCPU)")
    elif not fargate.is_valid_size(svc.cpu, svc.memory):
        yield Problem(f"{key}.memory", f"{valued(svc, 'memory', ' MiB')} is not allowed with cpu "
                                       f"{valued(svc, 'cpu')}; Fargate allows "
                                       f"{fargate.describe_memory_options(svc.cpu)} MiB")


def _ec2_task(cfg: StackConfig, key: str, svc: Service) -> Iterator[Problem]:
    if svc.ephemeral_storage is not None:
        yield Problem(f"{key}.ephemeralStorage", "is a Fargate setting; EC2 tasks use the instance's volume")
    if svc.assign_public_ip:
        yield Problem(f"{key}.assignPublicIp", "EC2 tasks in awsvpc mode cannot have public IPs (Fargate only)")
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
        yield Problem(f"{key}.architecture", f"{valued(svc, 'architecture')} tasks cannot run on the cluster's "
                                             f"{known[0].architecture} instances ({', '.join(ec2.instance_types)}); "
                                             f"set `architecture: {arch}`")
    if not any(k.cpu_units >= svc.cpu and k.usable_memory_mib >= svc.memory for k in known):
        biggest = max(known, key=lambda k: (k.cpu_units, k.usable_memory_mib))
        yield Problem(f"{key}.cpu", f"no instance type of cluster.ec2 holds a task of {svc.cpu} CPU units and "
                                    f"{svc.memory} MiB; the largest, {biggest.name}, offers {biggest.cpu_units} units "
                                    f"and about {biggest.usable_memory_mib} MiB for tasks")
