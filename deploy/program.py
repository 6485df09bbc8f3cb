"""The stack program: `build(config)` turns a validated StackConfig into components.

This is the only program. `__main__.py` (under `pulumi up`), the offline `plan` (under
mocks) and the Automation API all run it. It wires components together; the translation
of config sections into each component's Args lives in `specs.py`. Components never read
config themselves.
"""

from __future__ import annotations

from typing import Any

import pulumi

from components.cluster import Cluster, ClusterArgs
from components.connection import Connection, ConnectionArgs
from components.load_balancer import LoadBalancer, LoadBalancerArgs
from components.network import ExistingNetworkArgs, Network, NetworkArgs
from components.queue import WorkerQueue, WorkerQueueArgs, consumer_statement
from components.registry import ImageBuildArgs, Registry, RegistryArgs
from components.scheduled_task import ScheduledTask, ScheduledTaskArgs
from components.service import ConnectArgs, Service, ServiceArgs
from components.task_definition import TaskDefinition, TaskDefinitionArgs

from . import defaults, iam, naming, specs
from .config.model import Container, StackConfig
from .config.model import Service as ServiceConfig
from .config.workload_rules import connect_port


def build(cfg: StackConfig) -> dict[str, Any]:
    """Create every resource of the stack; return the stack outputs."""
    tags = cfg.all_tags()
    network = _network(cfg, tags)
    cluster = Cluster(cfg.prefix, ClusterArgs(
        container_insights=cfg.cluster.container_insights,
        default_strategy=specs.strategy(cfg.cluster.capacity_provider_strategy),
        ec2=specs.ec2_capacity(cfg, network.vpc_id, network.private_subnet_ids, tags),
        service_connect_namespace=defaults.service_connect_namespace(cfg), tags=tags))
    lb = _load_balancer(cfg, network, tags) if cfg.web_services() else None

    priorities = defaults.listener_priorities(cfg)
    called = {target for svc in cfg.services.values() for target in svc.calls}
    out: dict[str, dict[str, Any]] = {k: {} for k in (
        "repositoryUrls", "serviceNames", "taskDefinitionArns", "logGroupNames", "queueUrls", "scheduleNames")}
    security_groups: dict[str, Any] = {}
    for svc_name, svc in sorted(cfg.services.items()):
        comp = naming.service_component_name(cfg.prefix, svc_name)
        svc_tags = {**tags, "Service": svc_name}
        queue = None
        if svc.queue is not None:
            q = svc.queue
            queue = WorkerQueue(comp, WorkerQueueArgs(
                visibility_timeout=q.visibility_timeout, message_retention_days=q.message_retention_days,
                max_receive_count=q.max_receive_count, dead_letter_retention_days=q.dead_letter_retention_days,
                tags=svc_tags))
            out["queueUrls"][svc_name] = queue.url
        task = _task_definition(cfg, comp, svc_name, svc, queue, svc_tags, out["repositoryUrls"])
        out["taskDefinitionArns"][svc_name] = task.arn
        out["logGroupNames"][svc_name] = task.log_group.name
        on_ec2 = cfg.on_ec2(svc)
        public = defaults.assign_public_ip(cfg.network, svc, on_ec2)
        subnets = network.public_subnet_ids if public else network.private_subnet_ids
        strategy = specs.strategy(cfg.strategy(svc))
        if svc.kind == "scheduled":
            s = svc.schedule
            assert s is not None  # config rules
            scheduled = ScheduledTask(comp, ScheduledTaskArgs(
                cluster_arn=cluster.arn, task_definition_arn=task.arn, task_definition_family_arn=task.family_arn,
                execution_role_arn=task.execution_role.arn, task_role_arn=task.task_role.arn,
                vpc_id=network.vpc_id, subnet_ids=subnets, strategy=strategy, provider_names=cluster.provider_names,
                expression=s.expression, timezone=s.timezone, task_count=s.task_count, retries=s.retries,
                max_event_age=s.max_event_age, enabled=s.enabled, assign_public_ip=public, fargate=not on_ec2,
                tags=svc_tags))
            out["scheduleNames"][svc_name] = scheduled.name
            continue
        service = Service(comp, ServiceArgs(
            cluster_arn=cluster.arn, cluster_name=cluster.name, task_definition_arn=task.arn,
            vpc_id=network.vpc_id, subnet_ids=subnets, assign_public_ip=public, strategy=strategy,
            provider_names=cluster.provider_names, fargate=not on_ec2,
            placement=svc.placement or "spread-binpack", desired_count=svc.desired_count,
            minimum_healthy_percent=svc.deployment.minimum_healthy_percent,
            maximum_percent=svc.deployment.maximum_percent, circuit_breaker=svc.deployment.circuit_breaker,
            wait_for_steady_state=svc.deployment.wait_for_steady_state,
            routing=specs.routing(svc, lb, priorities.get(svc_name)),
            autoscaling=specs.scaling(svc, queue.name if queue else None),
            connect=_connect(cluster, svc_name, svc, svc_name in called),
            depends_on=[cluster.capacity_providers], tags=svc_tags))
        security_groups[svc_name] = service.security_group.id
        out["serviceNames"][svc_name] = service.name

    for caller, svc in sorted(cfg.services.items()):
        for target in sorted(set(svc.calls)):
            _, port = connect_port(cfg.services[target])
            Connection(f"{naming.service_component_name(cfg.prefix, target)}-from-{caller}", ConnectionArgs(
                caller=caller, caller_security_group_id=security_groups[caller],
                target_security_group_id=security_groups[target], port=port))

    return {
        "albUrl": lb.url if lb is not None else None,
        "clusterName": cluster.name,
        "clusterArn": cluster.arn,
        **{k: v for k, v in out.items() if v or k in ("repositoryUrls", "serviceNames", "logGroupNames")},
        "vpcId": network.vpc_id,
        "publicSubnetIds": network.public_subnet_ids,
        "privateSubnetIds": network.private_subnet_ids,
        **({"capacityProviderName": cluster.ec2.provider_name} if cluster.ec2 is not None else {}),
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


def _load_balancer(cfg: StackConfig, network: Network, tags: dict[str, str]) -> LoadBalancer:
    lbc = cfg.load_balancer
    return LoadBalancer(cfg.prefix, LoadBalancerArgs(
        vpc_id=network.vpc_id, subnet_ids=network.public_subnet_ids, ingress_cidrs=lbc.ingress_cidrs,
        https=cfg.https, certificate_arn=lbc.certificate_arn, domain=lbc.domain, hosted_zone_id=lbc.hosted_zone_id,
        tls_policy=lbc.tls_policy, deletion_protection=lbc.deletion_protection, idle_timeout=lbc.idle_timeout,
        access_logs_bucket=lbc.access_logs.bucket if lbc.access_logs else None,
        access_logs_prefix=lbc.access_logs.prefix if lbc.access_logs else "", tags=tags))


def _task_definition(cfg: StackConfig, comp: str, svc_name: str, svc: ServiceConfig, queue: WorkerQueue | None,
                     tags: dict[str, str], repository_urls: dict[str, Any]) -> TaskDefinition:
    extra_env = {svc.queue.env_var: queue.url} if queue is not None and svc.queue is not None else {}
    containers = []
    for cname, c in sorted(svc.containers.items()):
        image, repo_arn = _image(cfg, comp, cname, c, svc, tags, repository_urls, svc_name)
        containers.append(specs.container(cname, c, image, repo_arn, extra_env))
    statements: list[dict[str, Any]] = [{"Effect": s.effect, "Action": s.actions, "Resource": s.resources}
                                        for s in svc.task_role.statements]
    if queue is not None:
        statements.append(consumer_statement(queue.arn))
    return TaskDefinition(comp, TaskDefinitionArgs(
        family=comp, region=cfg.region, containers=containers, cpu=svc.cpu, memory=svc.memory,
        architecture=svc.architecture, compatibility="EC2" if cfg.on_ec2(svc) else "FARGATE",
        ephemeral_storage=svc.ephemeral_storage,
        log_group_name=naming.log_group_name(cfg.project, cfg.stack, svc_name),
        log_retention_days=svc.log_retention_days or cfg.logs.retention_days, log_kms_key_arn=cfg.logs.kms_key_arn,
        task_role_statements=statements, task_role_managed_policy_arns=svc.task_role.managed_policy_arns,
        secret="services" in cfg.secret_keys or f"{cfg.project}:services" in cfg.secret_keys, tags=tags))


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
        keep_last=reg.keep_tagged, force_delete=reg.force_delete, build=build, tag=c.image.tag, tags=tags))
    repository_urls[f"{svc_name}/{cname}"] = registry.repository_url
    return registry.image_uri, registry.repository_arn


def _connect(cluster: Cluster, name: str, svc: ServiceConfig, is_called: bool) -> ConnectArgs | None:
    if cluster.namespace_arn is None or not (svc.calls or is_called):
        return None
    if not is_called:
        return ConnectArgs(namespace_arn=cluster.namespace_arn)  # a client: resolves the names it calls
    cname, port = connect_port(svc)
    return ConnectArgs(namespace_arn=cluster.namespace_arn, port_name=naming.port_name(cname, port),
                       discovery_name=name, port=port)


def export(outputs: dict[str, Any]) -> None:
    for key, value in outputs.items():
        if value is not None:
            pulumi.export(key, value)
