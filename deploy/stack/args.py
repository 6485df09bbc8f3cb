"""Config -> component Args: every translation the stack program needs, in one place (no resources here).

Each function takes the resolved stack (what the user wrote, and what follows from it) and
the outputs of components created before, and returns one component's Args. Nothing here
has a default of its own: every value comes from the config model or from `resolve`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from components.alerts import AlertsArgs
from components.cluster import ClusterArgs, ExecSessionLogsArgs, StrategyEntry
from components.connection import ConnectionArgs
from components.dashboard import DashboardArgs, DashboardService
from components.ec2_capacity import Ec2CapacityArgs
from components.file_system import FileSystemArgs
from components.load_balancer import LoadBalancerArgs
from components.network import ExistingNetworkArgs, NatInstanceSettings, NetworkArgs
from components.queue import WorkerQueueArgs, consumer_statement, producer_statement
from components.registry import ImageBuildArgs, RegistryArgs
from components.rollback_alarms import Queues, RollbackAlarmArgs
from components.scaling import PredictiveScaling, ScalingArgs, ScheduledScaling
from components.scheduled_task import ScheduledTaskArgs
from components.service import ConnectArgs, RolloutArgs, RoutingArgs, ServiceArgs
from components.task_definition import (
    ContainerSpec,
    EfsVolumeSpec,
    HealthCheckSpec,
    LogRouterSpec,
    MountSpec,
    RestartPolicySpec,
    TaskDefinitionArgs,
)

from ..aws import arns, limits, naming
from ..aws.tokens import EC2, FARGATE
from ..config.model import Container, StrategyItem
from ..config.model.service import Canary, Linear
from ..config.resolve import (
    Connection,
    Resolved,
    ResolvedService,
    alb_ingress_cidrs,
    alias_hosts,
    existing_network,
    health_check_matcher,
    health_check_path,
    log_router,
    nat_instance,
    nat_instance_architecture,
    update_timeout_minutes,
)


def strategy(items: Sequence[StrategyItem]) -> list[StrategyEntry]:
    return [StrategyEntry(provider=i.provider, base=i.base, weight=i.weight) for i in items]


def network(r: Resolved) -> NetworkArgs:
    net, logs = r.config.network, r.config.logs
    existing = None
    ids = existing_network(r.config)
    if ids is not None:
        existing = ExistingNetworkArgs(vpc_id=ids.vpc_id, public_subnet_ids=list(ids.public_subnet_ids),
                                       private_subnet_ids=list(ids.private_subnet_ids),
                                       private_route_table_ids=list(ids.private_route_table_ids or ()))
    return NetworkArgs(
        region=r.config.region, cidr=net.cidr, az_count=net.az_count, availability_zones=net.availability_zones,
        nat=net.nat, nat_instance=_nat_instance(r), flow_logs=net.flow_logs.enabled, flow_log_group_name=r.flow_log_group_name,
        flow_log_retention_days=net.flow_logs.retention_days, flow_log_traffic_type=net.flow_logs.traffic_type,
        log_kms_key_arn=logs.kms_key_arn, s3_endpoint=net.endpoints.s3, interface_endpoints=net.endpoints.interface,
        existing=existing, protect=r.config.protect, tags=r.tags)


def _nat_instance(r: Resolved) -> NatInstanceSettings | None:
    nat = nat_instance(r.config)
    if nat is None:
        return None
    return NatInstanceSettings(instance_type=nat.type, architecture=nat_instance_architecture(nat), per_az=nat.per_az)


def ec2_capacity(r: Resolved, vpc_id: pulumi.Input[str], private_subnet_ids: pulumi.Input[Sequence[str]]
                 ) -> Ec2CapacityArgs | None:
    ec2 = r.config.cluster.ec2
    if ec2 is None or r.ec2_architecture is None:
        return None
    return Ec2CapacityArgs(
        vpc_id=vpc_id, subnet_ids=private_subnet_ids, instance_types=ec2.instance_types,
        architecture=r.ec2_architecture, partition=r.partition, min_size=ec2.min_size, max_size=ec2.max_size,
        on_demand_base=ec2.on_demand_base, spot_percentage=ec2.spot_percentage,
        target_capacity=ec2.target_capacity, root_volume_size=ec2.root_volume_size,
        volume_kms_key_arn=ec2.volume_kms_key_arn, agent_stop_timeout=ec2.agent_stop_timeout,
        awsvpc_trunking=ec2.awsvpc_trunking, tags=r.tags)


def cluster(r: Resolved, ec2: Ec2CapacityArgs | None) -> ClusterArgs:
    c = r.config.cluster
    sessions = None
    if r.exec_log_group_name is not None:
        sessions = ExecSessionLogsArgs(log_group_name=r.exec_log_group_name, retention_days=r.config.logs.retention_days,
                                       kms_key_arn=r.config.logs.kms_key_arn, protect=r.config.protect)
    return ClusterArgs(container_insights=c.container_insights, default_strategy=strategy(c.capacity_provider_strategy),
                       ec2=ec2, service_connect_namespace=r.namespace, exec_sessions=sessions, tags=r.tags)


def load_balancer(r: Resolved, vpc_id: pulumi.Input[str], vpc_cidr: pulumi.Input[str],
                  public_subnet_ids: pulumi.Input[Sequence[str]], private_subnet_ids: pulumi.Input[Sequence[str]]
                  ) -> LoadBalancerArgs:
    lb = r.config.load_balancer
    cidrs = alb_ingress_cidrs(r.config)
    return LoadBalancerArgs(
        vpc_id=vpc_id, subnet_ids=private_subnet_ids if lb.internal else public_subnet_ids, internal=lb.internal,
        ingress_cidrs=[vpc_cidr] if cidrs is None else cidrs,
        ingress_security_group_ids=lb.ingress_security_group_ids, https=r.https,
        certificate_arn=lb.certificate_arn, domain=lb.domain, hosted_zone_id=lb.hosted_zone_id,
        alternative_names=list(lb.alternative_names) if lb.domain else [], alias_hosts=alias_hosts(r.config),
        web_acl_arn=lb.web_acl_arn, tls_policy=lb.tls_policy, deletion_protection=lb.deletion_protection, idle_timeout=lb.idle_timeout,
        access_logs_bucket=lb.access_logs.bucket if lb.access_logs else None,
        access_logs_prefix=lb.access_logs.prefix if lb.access_logs else "",
        test_ports=sorted({s.rollout.test_port for s in r.services.values()
                           if s.rollout is not None and s.rollout.test_port is not None}),
        protect=r.config.protect, tags=r.tags)


def alerts(r: Resolved) -> AlertsArgs | None:
    a = r.config.alerts
    if not a.email and a.sns_topic_arn is None:
        return None
    return AlertsArgs(emails=a.email, topic_arn=a.sns_topic_arn, tags=r.tags)


def send_env(s: ResolvedService, queue_urls: Mapping[str, pulumi.Input[str]]) -> dict[str, pulumi.Input[str]]:
    """Environment variable -> queue URL, for each worker the service sends to."""
    return {env: queue_urls[worker] for worker, env in s.sends.items()}


def queue(s: ResolvedService, protect: bool) -> WorkerQueueArgs | None:
    q = s.config.queue
    if q is None:
        return None
    return WorkerQueueArgs(visibility_timeout=q.visibility_timeout, message_retention_days=q.message_retention_days,
                           max_receive_count=q.max_receive_count,
                           dead_letter_retention_days=q.dead_letter_retention_days, fifo=q.fifo,
                           content_based_deduplication=q.content_based_deduplication, protect=protect, tags=s.tags)


def registry(r: Resolved, s: ResolvedService, container: str) -> RegistryArgs:
    """The ECR repository of one container that runs an image from the stack's own registry."""
    c = s.config.containers[container]
    build = None
    if c.image.build is not None and c.image.tag is None:
        b = c.image.build
        build = ImageBuildArgs(context=b.context, dockerfile=b.dockerfile, target=b.target, args=b.args,
                               platform=s.platform)
    reg = r.config.registry
    return RegistryArgs(encryption=reg.encryption, kms_key_arn=reg.kms_key_arn,
                        untagged_expiry_days=reg.untagged_expiry_days, keep_last=reg.keep_tagged,
                        force_delete=reg.force_delete, build=build, tag=c.image.tag, protect=r.config.protect,
                        tags=s.tags)


def container(s: ResolvedService, name: str, image: pulumi.Input[str], repository_arn: pulumi.Input[str] | None,
              extra_env: Mapping[str, Any], partition: str) -> ContainerSpec:
    c = s.config.containers[name]
    # Service Connect serves HTTP services' port as http: its metrics and retries then apply per request.
    app_protocols = ({s.served.port: "http"} if s.served is not None and s.served.container == name and s.config.web
                     else {})
    hc = None
    if c.health_check is not None:
        h = c.health_check
        hc = HealthCheckSpec(command=h.command, interval=h.interval, timeout=h.timeout, retries=h.retries,
                             start_period=h.start_period)
    rp = s.restart_policies.get(name)
    restart = None if rp is None else RestartPolicySpec(
        enabled=rp.enabled, ignored_exit_codes=rp.ignored_exit_codes, restart_attempt_period=rp.restart_attempt_period)
    return ContainerSpec(
        name=name, image=image, ecr_repository_arn=repository_arn, cpu=c.cpu, memory=c.memory,
        memory_reservation=c.memory_reservation, ports=c.ports, essential=c.essential, command=c.command,
        entry_point=c.entry_point, working_directory=c.working_directory,
        environment={**c.environment, **extra_env}, secrets=c.secrets, health_check=hc,
        readonly_root_filesystem=c.readonly_root_filesystem, writable_paths=c.writable_paths,
        mounts=[MountSpec(volume=m.volume, path=m.path, read_only=m.read_only) for m in c.mounts], user=c.user,
        stop_timeout=s.stop_timeouts[name], app_protocols=app_protocols,
        depends_on=[(d.container, d.condition) for d in c.depends_on], restart_policy=restart,
        environment_files=[arns.s3_object_arn(f, partition) for f in c.environment_files],
        repository_credentials=c.image.credentials_secret_arn)


def file_system(r: Resolved, s: ResolvedService, volume: str, vpc_id: pulumi.Input[str],
                private_subnets: Sequence[pulumi.Input[str]]) -> FileSystemArgs:
    """The EFS file system the stack creates for one volume (`efs.create`), mounted from every private subnet."""
    efs = s.config.volumes[volume].efs
    return FileSystemArgs(vpc_id=vpc_id, subnet_ids=list(private_subnets), kms_key_arn=efs.kms_key_arn,
                          transition_to_ia_days=efs.transition_to_ia, protect=r.config.protect,
                          tags={**s.tags, "Volume": volume})


def efs_volumes(s: ResolvedService, created: Mapping[str, tuple[pulumi.Input[str], pulumi.Input[str]]]
                ) -> list[EfsVolumeSpec]:
    """The service's EFS volumes; `created`: volume -> (ID, ARN) of the file systems the stack made for it."""
    svc = s.config
    writable = {m.volume for c in svc.containers.values() for m in c.mounts if not m.read_only}
    specs = []
    for name, volume in sorted(svc.volumes.items()):
        efs = volume.efs
        fs_id, fs_arn = created.get(name, (efs.file_system_id or "", None))
        specs.append(EfsVolumeSpec(name=name, file_system_id=fs_id, file_system_arn=fs_arn,
                                   access_point_id=efs.access_point_id, root_directory=efs.root_directory,
                                   writable=name in writable))
    return specs


def image_of(c: Container) -> tuple[str, str | None] | None:
    """(image URI, ECR repository ARN or None) of a container that runs an image URI; None otherwise."""
    if c.image.uri is None:
        return None
    return c.image.uri, arns.ecr_repository_arn(c.image.uri)


def task_definition(r: Resolved, s: ResolvedService, containers: Sequence[ContainerSpec],
                    queue_arn: pulumi.Input[str] | None,
                    exec_log_group_arn: pulumi.Input[str] | None = None,
                    efs: Sequence[EfsVolumeSpec] = (),
                    sends_to: Mapping[str, pulumi.Input[str]] | None = None) -> TaskDefinitionArgs:
    """`exec_log_group_arn`: the cluster's ECS Exec session log group (used only when the service has `exec`);
    `sends_to`: worker -> ARN of its queue, for each worker in `sends`."""
    svc = s.config
    statements: list[Mapping[str, Any]] = [{"Effect": st.effect, "Action": st.actions, "Resource": st.resources}
                                           for st in svc.task_role.statements]
    if queue_arn is not None:
        statements.append(consumer_statement(queue_arn))
    if sends_to:
        statements.append(producer_statement([sends_to[w] for w in sorted(sends_to)]))  # sorted: a stable policy
    lg = svc.logging
    router = log_router(svc)
    router_spec = None
    if router is not None and s.log_router_log_group_name is not None:
        router_spec = LogRouterSpec(
            image=router.image, log_group_name=s.log_router_log_group_name, memory_reservation=router.memory_reservation,
            # It stops after the containers that log through it (using_firelens.html), so it needs their time too.
            stop_timeout=max(s.stop_timeouts.values()), cpu=router.cpu, memory=router.memory,
            options=dict(lg.options) or None, secret_options=dict(lg.secret_options))
    return TaskDefinitionArgs(
        family=s.component, region=r.config.region, partition=r.partition, containers=containers, cpu=svc.cpu, memory=svc.memory,
        architecture=svc.architecture, compatibility=EC2 if s.on_ec2 else FARGATE,
        ephemeral_storage=svc.ephemeral_storage, log_group_name=s.log_group_name,
        log_retention_days=s.log_retention_days, log_kms_key_arn=r.config.logs.kms_key_arn,
        log_mode=lg.mode if router is None else None, log_max_buffer_size=lg.max_buffer_size if router is None else None,
        log_router=router_spec, task_role_statements=statements, task_role_managed_policy_arns=svc.task_role.managed_policy_arns,
        secrets_kms_key_arns=svc.secrets_kms_key_arns, efs_volumes=list(efs),
        exec_log_group_arn=exec_log_group_arn if svc.exec else None,
        secret=r.secret_container_definitions, protect=r.config.protect, tags=s.tags)


def routing(s: ResolvedService, listener_arn: pulumi.Input[str], alb_security_group_id: pulumi.Input[str],
            alb_arn_suffix: pulumi.Input[str]) -> RoutingArgs | None:
    r, route = s.config.load_balancer, s.route
    if r is None or route is None:
        return None
    hc = r.health_check
    return RoutingArgs(
        listener_arn=listener_arn, alb_security_group_id=alb_security_group_id, alb_arn_suffix=alb_arn_suffix,
        container_name=route.container, container_port=route.port, priority=route.priority, paths=r.paths,
        hosts=r.hosts, source_cidrs=r.source_cidrs, protocol_version=r.protocol_version,
        stickiness=(r.stickiness.enabled, r.stickiness.duration) if r.stickiness is not None else None,
        health_check_path=health_check_path(r), health_check_interval=hc.interval,
        health_check_timeout=hc.timeout, healthy_threshold=hc.healthy_threshold,
        unhealthy_threshold=hc.unhealthy_threshold, health_check_matcher=health_check_matcher(r),
        deregistration_delay=r.deregistration_delay, health_check_grace_period=route.grace_period)


def scaling(s: ResolvedService, queue_name: pulumi.Input[str] | None) -> ScalingArgs | None:
    a, targets = s.config.autoscaling, s.scaling
    if a is None or targets is None:
        return None
    p = a.predictive
    predictive = None if p is None else PredictiveScaling(
        mode=p.mode, metric_pair=limits.PREDICTIVE_METRIC_PAIRS[p.metric], target_value=p.target_value,
        scheduling_buffer_time=p.scheduling_buffer_time, max_capacity_breach_behavior=p.max_capacity_breach_behavior,
        max_capacity_buffer=p.max_capacity_buffer)
    return ScalingArgs(min=a.min, max=a.max, cpu_target=targets.cpu, memory_target=targets.memory,
                       requests_per_target=targets.requests,
                       queue_name=queue_name if a.messages_per_task else None,
                       messages_per_task=a.messages_per_task, scale_in_cooldown=a.scale_in_cooldown,
                       scale_out_cooldown=a.scale_out_cooldown,
                       schedules=tuple(ScheduledScaling(name=x.name, expression=x.expression, timezone=x.timezone,
                                                        min=x.min, max=x.max, start_time=x.start_time,
                                                        end_time=x.end_time) for x in a.schedules),
                       predictive=predictive)


def connect(s: ResolvedService, namespace_arn: pulumi.Input[str] | None) -> ConnectArgs | None:
    if namespace_arn is None or not s.connect:
        return None
    if s.served is None:
        return ConnectArgs(namespace_arn=namespace_arn)  # a client: resolves the names it calls
    return ConnectArgs(namespace_arn=namespace_arn, port_name=s.served.port_name,
                       discovery_name=s.served.discovery_name, port=s.served.port)


def rollout(s: ResolvedService, test_listener_arns: Mapping[int, pulumi.Input[str]]) -> RolloutArgs | None:
    ro, dep = s.rollout, s.config.deployment
    if ro is None:
        return None
    canary = dep.canary or Canary() if dep.strategy == "canary" else None
    linear = dep.linear or Linear() if dep.strategy == "linear" else None
    return RolloutArgs(
        strategy=ro.strategy, bake_minutes=dep.bake_time,
        canary=(canary.percent, canary.bake_time) if canary is not None else None,
        linear=(linear.step_percent, linear.step_bake_time) if linear is not None else None,
        test_header=ro.test_header, test_listener_arn=test_listener_arns.get(ro.test_port) if ro.test_port else None,
        test_priority=ro.test_priority, hooks=[(h.stage, h.function) for h in dep.hooks],
        timeout_minutes=update_timeout_minutes(dep, s.config.load_balancer.deregistration_delay
                                               if s.config.load_balancer is not None else 0))


def rollback_alarms(s: ResolvedService, actions: Sequence[pulumi.Input[str]]) -> RollbackAlarmArgs | None:
    dep = s.config.deployment
    if not dep.alarms:
        return RollbackAlarmArgs(extra_alarm_names=dep.extra_alarm_names) if dep.extra_alarm_names else None
    t = dep.rollback_alarms
    web = s.route is not None
    return RollbackAlarmArgs(
        error_rate=t.error_rate if web else None, unhealthy_hosts=t.unhealthy_hosts if web else None,
        p99_latency=t.p99_latency if web else None, queue_age=t.queue_age if s.config.queue is not None else None,
        dead_letter_growth=s.config.queue is not None,
        periods=t.periods, extra_alarm_names=dep.extra_alarm_names, actions=actions, tags=s.tags)


def service(s: ResolvedService, *, cluster_arn: pulumi.Input[str], cluster_name: pulumi.Input[str],
            task_definition_arn: pulumi.Input[str], vpc_id: pulumi.Input[str],
            subnet_ids: pulumi.Input[Sequence[str]], provider_names: Mapping[str, pulumi.Input[str]],
            routing: RoutingArgs | None, autoscaling: ScalingArgs | None, connect: ConnectArgs | None,
            depends_on: Sequence[pulumi.Resource], rollout: RolloutArgs | None = None,
            alarms: RollbackAlarmArgs | None = None, queue: Queues | None = None,
            file_system_security_group_ids: Sequence[pulumi.Input[str]] = ()) -> ServiceArgs:
    svc = s.config
    dep = svc.deployment
    return ServiceArgs(
        cluster_arn=cluster_arn, cluster_name=cluster_name, task_definition_arn=task_definition_arn, vpc_id=vpc_id,
        subnet_ids=subnet_ids, assign_public_ip=s.public_ip, strategy=strategy(s.strategy),
        provider_names=provider_names, fargate=not s.on_ec2, placement=svc.placement,
        desired_count=svc.desired_count, minimum_healthy_percent=dep.minimum_healthy_percent,
        maximum_percent=dep.maximum_percent, circuit_breaker=dep.circuit_breaker,
        wait_for_steady_state=dep.wait_for_steady_state, enable_execute_command=svc.exec, routing=routing,
        autoscaling=autoscaling, connect=connect, rollout=rollout, alarms=alarms, queue=queue,
        depends_on=depends_on, security_group_ids=svc.security_group_ids,
        file_system_security_group_ids=list(file_system_security_group_ids), tags=s.tags)


def scheduled_task(s: ResolvedService, *, cluster_arn: pulumi.Input[str], task_definition_arn: pulumi.Input[str],
                   task_definition_family_arn: pulumi.Input[str], execution_role_arn: pulumi.Input[str],
                   task_role_arn: pulumi.Input[str], vpc_id: pulumi.Input[str],
                   subnet_ids: pulumi.Input[Sequence[str]], provider_names: Mapping[str, pulumi.Input[str]],
                   protect: bool, file_system_security_group_ids: Sequence[pulumi.Input[str]] = (),
                   depends_on: Sequence[pulumi.Resource] = ()) -> ScheduledTaskArgs | None:
    sched = s.config.schedule
    if sched is None:
        return None
    return ScheduledTaskArgs(
        cluster_arn=cluster_arn, task_definition_arn=task_definition_arn,
        task_definition_family_arn=task_definition_family_arn, execution_role_arn=execution_role_arn,
        task_role_arn=task_role_arn, vpc_id=vpc_id, subnet_ids=subnet_ids, strategy=strategy(s.strategy),
        provider_names=provider_names, expression=sched.expression, timezone=sched.timezone,
        task_count=sched.task_count, retries=sched.retries, max_event_age=sched.max_event_age,
        enabled=sched.enabled, assign_public_ip=s.public_ip, fargate=not s.on_ec2, protect=protect,
        security_group_ids=s.config.security_group_ids,
        file_system_security_group_ids=list(file_system_security_group_ids), depends_on=list(depends_on), tags=s.tags)


def connection(c: Connection, caller_security_group_id: pulumi.Input[str],
               target_security_group_id: pulumi.Input[str]) -> ConnectionArgs:
    return ConnectionArgs(caller=c.caller, caller_security_group_id=caller_security_group_id,
                          target_security_group_id=target_security_group_id, port=c.port)


def dashboard_service(s: ResolvedService, *, cluster_name: pulumi.Input[str], service_name: pulumi.Input[str],
                      target_group_arn_suffixes: Sequence[pulumi.Input[str]],
                      load_balancer_arn_suffix: pulumi.Input[str] | None,
                      queue_name: pulumi.Input[str] | None) -> DashboardService:
    """One ECS service's entry on the dashboard; a service without target groups shows no load balancer."""
    return DashboardService(
        name=s.name, cluster_name=cluster_name, service_name=service_name,
        target_group_arn_suffixes=list(target_group_arn_suffixes),
        load_balancer_arn_suffix=load_balancer_arn_suffix if target_group_arn_suffixes else None,
        queue_name=queue_name)


def dashboard(r: Resolved, services: Sequence[DashboardService],
              alarm_arns: Sequence[pulumi.Input[str]]) -> DashboardArgs | None:
    """The stack's dashboard, or None with `dashboard: false`."""
    if not r.config.dashboard:
        return None
    return DashboardArgs(dashboard_name=naming.dashboard_name(r.config.project, r.config.stack),
                         region=r.config.region,
                         container_insights=r.config.cluster.container_insights != "disabled",
                         services=list(services), alarm_arns=list(alarm_arns))
