"""Config -> component Args: the translations the stack program needs (no resources here)."""

from __future__ import annotations

from typing import Any, Optional

from components.cluster import StrategyEntry
from components.ec2_capacity import Ec2CapacityArgs
from components.scaling import ScalingArgs
from components.service import RoutingArgs
from components.task_definition import ContainerSpec, HealthCheckSpec

from . import defaults, instances
from .config.model import Container, StackConfig, StrategyItem
from .config.model import Service as ServiceConfig
from .config.rules import target_container, target_port


def strategy(items: list[StrategyItem]) -> list[StrategyEntry]:
    return [StrategyEntry(provider=i.provider, base=i.base, weight=i.weight) for i in items]


def ec2_capacity(cfg: StackConfig, vpc_id: Any, private_subnet_ids: Any, tags: dict[str, str]) -> Optional[Ec2CapacityArgs]:
    ec2 = cfg.cluster.ec2
    if ec2 is None:
        return None
    first = instances.lookup(ec2.instance_types[0])
    assert first is not None  # the config rules refuse unknown types
    return Ec2CapacityArgs(
        vpc_id=vpc_id, subnet_ids=private_subnet_ids, instance_types=ec2.instance_types,
        architecture=first.architecture, min_size=ec2.min_size, max_size=ec2.max_size,
        on_demand_base=ec2.on_demand_base, spot_percentage=ec2.spot_percentage,
        target_capacity=ec2.target_capacity, root_volume_size=ec2.root_volume_size,
        volume_kms_key_arn=ec2.volume_kms_key_arn, agent_stop_timeout=ec2.agent_stop_timeout,
        awsvpc_trunking=ec2.awsvpc_trunking, tags=tags)


def container(name: str, c: Container, image: Any, repo_arn: Any, extra_env: dict[str, Any]) -> ContainerSpec:
    hc = None
    if c.health_check is not None:
        h = c.health_check
        hc = HealthCheckSpec(command=h.command, interval=h.interval, timeout=h.timeout, retries=h.retries,
                             start_period=h.start_period)
    return ContainerSpec(
        name=name, image=image, ecr_repository_arn=repo_arn, cpu=c.cpu, memory=c.memory,
        memory_reservation=c.memory_reservation, ports=c.ports, essential=c.essential, command=c.command,
        entry_point=c.entry_point, working_directory=c.working_directory,
        environment={**c.environment, **extra_env}, secrets=c.secrets, health_check=hc,
        readonly_root_filesystem=c.readonly_root_filesystem, writable_paths=c.writable_paths, user=c.user,
        stop_timeout=c.stop_timeout, depends_on=[(d.container, d.condition) for d in c.depends_on])


def routing(svc: ServiceConfig, lb: Any, priority: Optional[int]) -> Optional[RoutingArgs]:
    r = svc.load_balancer
    if lb is None or r is None or priority is None or not svc.web:
        return None
    target = target_container(svc)
    port = target_port(svc)
    assert target is not None and port is not None  # guaranteed by config rules
    hc = r.health_check
    return RoutingArgs(
        listener_arn=lb.listener_arn, alb_security_group_id=lb.security_group_id, alb_arn_suffix=lb.arn_suffix,
        container_name=target[0], container_port=port, priority=priority, paths=r.paths, hosts=r.hosts,
        health_check_path=hc.path, health_check_interval=hc.interval, health_check_timeout=hc.timeout,
        healthy_threshold=hc.healthy_threshold, unhealthy_threshold=hc.unhealthy_threshold,
        health_check_matcher=hc.matcher, deregistration_delay=r.deregistration_delay,
        health_check_grace_period=defaults.health_check_grace_period(svc))


def scaling(svc: ServiceConfig, queue_name: Any = None) -> Optional[ScalingArgs]:
    a = svc.autoscaling
    if a is None:
        return None
    cpu, memory, requests = defaults.scaling_targets(a)
    return ScalingArgs(min=a.min, max=a.max, cpu_target=cpu, memory_target=memory, requests_per_target=requests,
                       queue_name=queue_name if a.messages_per_task else None,
                       messages_per_task=a.messages_per_task, scale_in_cooldown=a.scale_in_cooldown,
                       scale_out_cooldown=a.scale_out_cooldown)
