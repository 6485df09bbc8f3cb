"""The stack program: `build(config)` turns a validated StackConfig into components.

This is the only program. `__main__.py` (under `pulumi up`), the offline `plan` (under
mocks) and the Automation API all run it. It maps config to each component's Args;
components never read config themselves.
"""

from __future__ import annotations

from typing import Any

import pulumi

from components.cluster import Cluster, ClusterArgs, StrategyEntry
from components.load_balancer import LoadBalancer, LoadBalancerArgs
from components.network import ExistingNetworkArgs, Network, NetworkArgs
from components.registry import ImageBuildArgs, Registry, RegistryArgs
from components.service import AutoscalingArgs, RoutingArgs, Service, ServiceArgs
from components.task_definition import ContainerSpec, HealthCheckSpec, TaskDefinition, TaskDefinitionArgs

from . import defaults, iam, naming
from .config.model import Container, StackConfig, StrategyItem
from .config.model import Service as ServiceConfig
from .config.rules import target_container, target_port


def build(cfg: StackConfig) -> dict[str, Any]:
    """Create every resource of the stack; return the stack outputs."""
    tags = cfg.all_tags()
    network = _network(cfg, tags)
    cluster = Cluster(cfg.prefix, ClusterArgs(
        container_insights=cfg.cluster.container_insights,
        default_strategy=_strategy(cfg.cluster.capacity_provider_strategy), tags=tags))

    lb = None
    if cfg.web_services():
        lbc = cfg.load_balancer
        lb = LoadBalancer(cfg.prefix, LoadBalancerArgs(
            vpc_id=network.vpc_id, subnet_ids=network.public_subnet_ids, ingress_cidrs=lbc.ingress_cidrs,
            https=cfg.https, certificate_arn=lbc.certificate_arn, domain=lbc.domain,
            hosted_zone_id=lbc.hosted_zone_id, tls_policy=lbc.tls_policy,
            deletion_protection=lbc.deletion_protection, idle_timeout=lbc.idle_timeout,
            access_logs_bucket=lbc.access_logs.bucket if lbc.access_logs else None,
            access_logs_prefix=lbc.access_logs.prefix if lbc.access_logs else "", tags=tags))

    priorities = defaults.listener_priorities(cfg)
    repository_urls: dict[str, Any] = {}
    service_names: dict[str, Any] = {}
    log_groups: dict[str, Any] = {}
    task_definitions: dict[str, Any] = {}
    for svc_name, svc in sorted(cfg.services.items()):
        comp = naming.service_component_name(cfg.prefix, svc_name)
        containers = []
        for cname, c in sorted(svc.containers.items()):
            image, repo_arn = _image(cfg, comp, cname, c, svc, tags, repository_urls, svc_name)
            containers.append(_container_spec(cname, c, image, repo_arn))
        task = TaskDefinition(comp, TaskDefinitionArgs(
            family=comp, region=cfg.region, containers=containers, cpu=svc.cpu, memory=svc.memory,
            architecture=svc.architecture, ephemeral_storage=svc.ephemeral_storage,
            log_group_name=naming.log_group_name(cfg.project, cfg.stack, svc_name),
            log_retention_days=svc.log_retention_days or cfg.logs.retention_days,
            log_kms_key_arn=cfg.logs.kms_key_arn,
            task_role_statements=[{"Effect": s.effect, "Action": s.actions, "Resource": s.resources}
                                  for s in svc.task_role.statements],
            task_role_managed_policy_arns=svc.task_role.managed_policy_arns,
            secret="services" in cfg.secret_keys or f"{cfg.project}:services" in cfg.secret_keys,
            tags={**tags, "Service": svc_name}))
        public = defaults.assign_public_ip(cfg.network, svc)
        service = Service(comp, ServiceArgs(
            cluster_arn=cluster.arn, cluster_name=cluster.name, task_definition_arn=task.arn,
            vpc_id=network.vpc_id,
            subnet_ids=network.public_subnet_ids if public else network.private_subnet_ids,
            assign_public_ip=public,
            strategy=_strategy(svc.capacity_provider_strategy or cfg.cluster.capacity_provider_strategy),
            desired_count=svc.desired_count,
            minimum_healthy_percent=svc.deployment.minimum_healthy_percent,
            maximum_percent=svc.deployment.maximum_percent,
            circuit_breaker=svc.deployment.circuit_breaker,
            wait_for_steady_state=svc.deployment.wait_for_steady_state,
            routing=_routing(svc, lb, priorities.get(svc_name)) if lb is not None else None,
            autoscaling=_autoscaling(svc),
            depends_on=[cluster.capacity_providers],
            tags={**tags, "Service": svc_name}))
        service_names[svc_name] = service.name
        log_groups[svc_name] = task.log_group.name
        task_definitions[svc_name] = task.arn

    return {
        "albUrl": lb.url if lb is not None else None,
        "repositoryUrls": repository_urls,
        "clusterName": cluster.name,
        "clusterArn": cluster.arn,
        "serviceNames": service_names,
        "taskDefinitionArns": task_definitions,
        "vpcId": network.vpc_id,
        "publicSubnetIds": network.public_subnet_ids,
        "privateSubnetIds": network.private_subnet_ids,
        "logGroupNames": log_groups,
    }


def _network(cfg: StackConfig, tags: dict[str, str]) -> Network:
    net = cfg.network
    existing = None
    if net.existing is not None:
        existing = ExistingNetworkArgs(vpc_id=net.existing.vpc_id,
                                       public_subnet_ids=net.existing.public_subnet_ids,
                                       private_subnet_ids=net.existing.private_subnet_ids)
    return Network(cfg.prefix, NetworkArgs(
        region=cfg.region, cidr=net.cidr, az_count=net.az_count, availability_zones=net.availability_zones,
        nat=net.nat, flow_logs=net.flow_logs.enabled,
        flow_log_group_name=naming.flow_log_group_name(cfg.project, cfg.stack),
        flow_log_retention_days=net.flow_logs.retention_days, flow_log_traffic_type=net.flow_logs.traffic_type,
        log_kms_key_arn=cfg.logs.kms_key_arn, s3_endpoint=net.endpoints.s3,
        interface_endpoints=net.endpoints.interface, existing=existing, tags=tags))


def _strategy(items: list[StrategyItem]) -> list[StrategyEntry]:
    return [StrategyEntry(provider=i.provider, base=i.base, weight=i.weight) for i in items]


def _image(cfg: StackConfig, comp: str, cname: str, c: Container, svc: ServiceConfig, tags: dict[str, str],
           repository_urls: dict[str, Any], svc_name: str) -> tuple[Any, Any]:
    if c.image.uri is not None:
        return c.image.uri, iam.ecr_repository_arn(c.image.uri)
    b = c.image.build
    build = None
    if b is not None and c.image.tag is None:
        build = ImageBuildArgs(context=b.context, dockerfile=b.dockerfile, target=b.target, args=b.args,
                               platform=defaults.platform(svc.architecture))
    reg = cfg.registry
    registry = Registry(f"{comp}-{cname}".lower(), RegistryArgs(
        encryption=reg.encryption, kms_key_arn=reg.kms_key_arn, untagged_expiry_days=reg.untagged_expiry_days,
        keep_last=reg.keep_tagged, force_delete=reg.force_delete, build=build, tag=c.image.tag,
        tags={**tags, "Service": svc_name}))
    repository_urls[f"{svc_name}/{cname}"] = registry.repository_url
    return registry.image_uri, registry.repository_arn


def _container_spec(name: str, c: Container, image: Any, repo_arn: Any) -> ContainerSpec:
    hc = None
    if c.health_check is not None:
        h = c.health_check
        hc = HealthCheckSpec(command=h.command, interval=h.interval, timeout=h.timeout, retries=h.retries,
                             start_period=h.start_period)
    return ContainerSpec(
        name=name, image=image, ecr_repository_arn=repo_arn, cpu=c.cpu, memory=c.memory,
        memory_reservation=c.memory_reservation, ports=c.ports, essential=c.essential, command=c.command,
        entry_point=c.entry_point, working_directory=c.working_directory, environment=c.environment,
        secrets=c.secrets, health_check=hc, readonly_root_filesystem=c.readonly_root_filesystem,
        writable_paths=c.writable_paths, user=c.user, stop_timeout=c.stop_timeout,
        depends_on=[(d.container, d.condition) for d in c.depends_on])


def _routing(svc: ServiceConfig, lb: LoadBalancer, priority: int | None) -> RoutingArgs | None:
    r = svc.load_balancer
    if r is None or priority is None:
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


def _autoscaling(svc: ServiceConfig) -> AutoscalingArgs | None:
    a = svc.autoscaling
    if a is None:
        return None
    return AutoscalingArgs(min=a.min, max=a.max, cpu_target=a.cpu_target, memory_target=a.memory_target,
                           requests_per_target=a.requests_per_target, scale_in_cooldown=a.scale_in_cooldown,
                           scale_out_cooldown=a.scale_out_cooldown)


def export(outputs: dict[str, Any]) -> None:
    for key, value in outputs.items():
        if value is not None:
            pulumi.export(key, value)
