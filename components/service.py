"""Service: one ECS service, its network access, its ALB routing and its auto scaling.

Creates a task security group (ingress only from the ALB's group on the container port;
egress to anywhere, which image pulls and AWS APIs need); with a load balancer, an `ip`
target group with fast but safe health checks and a 30 s deregistration delay, a listener
rule with path/host conditions, and the ALB group's egress to the tasks; the ECS service
(private subnets, no public IP unless asked, circuit breaker with rollback, capacity
provider strategy, health check grace period) which depends on its listener rule, since a
service whose target group has no load balancer yet fails to create; and, with
autoscaling, a `ServiceScaling` child. Auto scaling owns the task count then: the service
ignores `desiredCount` changes after creation, so `pulumi up` never resets a scaled-out
service. On EC2 the service gets placement strategies (spread over AZs, then binpack on
memory) instead of a Fargate platform version; with `connect`, ECS Service Connect
serves its port under its name, or only resolves the names it calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pulumi
import pulumi_aws as aws

from deploy.aws import tokens

from .cluster import StrategyEntry, strategy_inputs
from .scaling import ScalingArgs, ServiceScaling

PLACEMENT = {
    # Spread over AZs first (availability), then pack by memory (fewer instances, lower cost).
    "spread-binpack": [("spread", "attribute:ecs.availability-zone"), ("binpack", "memory")],
    "spread": [("spread", "attribute:ecs.availability-zone"), ("spread", "instanceId")],
    "binpack": [("binpack", "memory")],
}


@dataclass(frozen=True, kw_only=True)
class RoutingArgs:
    listener_arn: pulumi.Input[str]
    alb_security_group_id: pulumi.Input[str]
    alb_arn_suffix: pulumi.Input[str]
    container_name: str
    container_port: int
    priority: int
    paths: Sequence[str]
    hosts: Sequence[str]
    health_check_path: str
    health_check_interval: int
    health_check_timeout: int
    healthy_threshold: int
    unhealthy_threshold: int
    health_check_matcher: str
    deregistration_delay: int
    health_check_grace_period: int


@dataclass(frozen=True, kw_only=True)
class ConnectArgs:
    namespace_arn: pulumi.Input[str]
    port_name: str | None = None
    """Serve this port mapping (`<container>-<port>`) under the service's name; None: client only."""
    discovery_name: str | None = None
    port: int | None = None


@dataclass(frozen=True, kw_only=True)
class ServiceArgs:
    cluster_arn: pulumi.Input[str]
    cluster_name: pulumi.Input[str]
    task_definition_arn: pulumi.Input[str]
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[str]]
    strategy: Sequence[StrategyEntry]
    provider_names: Mapping[str, pulumi.Input[str]]
    """Config provider name -> real name (EC2 -> the cluster's EC2 capacity provider)."""
    fargate: bool
    """False for tasks on EC2: placement strategies apply, platform version does not."""
    placement: str
    desired_count: int
    assign_public_ip: bool
    minimum_healthy_percent: int
    maximum_percent: int
    circuit_breaker: bool
    wait_for_steady_state: bool
    routing: RoutingArgs | None = None
    autoscaling: ScalingArgs | None = None
    """Its `cluster_name`, `service_name` and `request_label` are filled in here."""
    connect: ConnectArgs | None = None
    depends_on: Sequence[pulumi.Resource] = ()
    """E.g. the cluster's capacity provider association."""
    security_group_ids: Sequence[str] = ()
    """Existing groups the tasks join besides their own (ECS allows 5 in all)."""
    tags: Mapping[str, str] = field(default_factory=dict)


class Service(pulumi.ComponentResource):
    name: pulumi.Output[str]

    def __init__(self, name: str, args: ServiceArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.SERVICE_COMPONENT, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        r = args.routing
        self.security_group = aws.ec2.SecurityGroup(
            f"{name}-sg", vpc_id=args.vpc_id, description=f"Tasks of {name}",
            tags={**args.tags, "Name": f"{name}-tasks"}, opts=child)
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-egress", security_group_id=self.security_group.id, ip_protocol="-1", cidr_ipv4="0.0.0.0/0",
            description="Image pulls, AWS APIs and calls the application makes", opts=child)

        load_balancers: list[aws.ecs.ServiceLoadBalancerArgsDict] | None = None
        service_deps: list[pulumi.Resource] = list(args.depends_on)
        self.target_group = None
        if r is not None:
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-from-alb", security_group_id=self.security_group.id, ip_protocol="tcp",
                from_port=r.container_port, to_port=r.container_port,
                referenced_security_group_id=r.alb_security_group_id,
                description="Only the load balancer reaches the tasks", opts=child)
            aws.vpc.SecurityGroupEgressRule(
                f"{name}-alb-to-tasks", security_group_id=r.alb_security_group_id, ip_protocol="tcp",
                from_port=r.container_port, to_port=r.container_port,
                referenced_security_group_id=self.security_group.id,
                description=f"ALB to the tasks of {name}", opts=child)
            self.target_group = aws.lb.TargetGroup(
                f"{name}-tg", target_type="ip", protocol="HTTP", port=r.container_port, vpc_id=args.vpc_id,
                deregistration_delay=r.deregistration_delay,
                health_check={"enabled": True, "path": r.health_check_path, "protocol": "HTTP",
                              "port": "traffic-port", "interval": r.health_check_interval,
                              "timeout": r.health_check_timeout, "healthy_threshold": r.healthy_threshold,
                              "unhealthy_threshold": r.unhealthy_threshold, "matcher": r.health_check_matcher},
                tags={**args.tags, "Name": f"{name}-tg"}, opts=child)
            conditions: list[aws.lb.ListenerRuleConditionArgsDict] = []
            if r.paths:
                conditions.append({"path_pattern": {"values": list(r.paths)}})
            if r.hosts:
                conditions.append({"host_header": {"values": list(r.hosts)}})
            rule = aws.lb.ListenerRule(
                f"{name}-rule", listener_arn=r.listener_arn, priority=r.priority,
                actions=[{"type": "forward", "target_group_arn": self.target_group.arn}],
                conditions=conditions, tags=dict(args.tags), opts=child)
            service_deps.append(rule)
            load_balancers = [{"target_group_arn": self.target_group.arn, "container_name": r.container_name,
                               "container_port": r.container_port}]

        initial_count = args.desired_count
        ignore: list[str] = []
        if args.autoscaling is not None:
            # Auto scaling owns the count after creation; never let an update reset it.
            ignore = ["desiredCount"]
        self.service = aws.ecs.Service(
            f"{name}-svc",
            cluster=args.cluster_arn,
            task_definition=args.task_definition_arn,
            desired_count=initial_count,
            capacity_provider_strategies=strategy_inputs(args.strategy, args.provider_names),
            platform_version="LATEST" if args.fargate else None,
            ordered_placement_strategies=None if args.fargate else _placement(args.placement),
            service_connect_configuration=self._connect(args.connect),
            network_configuration={"subnets": args.subnet_ids,
                                   "security_groups": [self.security_group.id, *args.security_group_ids],
                                   "assign_public_ip": args.assign_public_ip},
            load_balancers=load_balancers,
            health_check_grace_period_seconds=r.health_check_grace_period if r is not None else None,
            deployment_circuit_breaker={"enable": args.circuit_breaker, "rollback": args.circuit_breaker},
            deployment_minimum_healthy_percent=args.minimum_healthy_percent,
            deployment_maximum_percent=args.maximum_percent,
            # AZ rebalancing needs tasks spread over AZs; binpack-only placement cannot honour it.
            availability_zone_rebalancing="DISABLED" if not args.fargate and args.placement == "binpack"
            else "ENABLED",
            enable_ecs_managed_tags=True,
            propagate_tags="SERVICE",
            wait_for_steady_state=args.wait_for_steady_state,
            tags={**args.tags, "Name": name},
            opts=pulumi.ResourceOptions(parent=self, depends_on=service_deps, ignore_changes=ignore),
        )
        self.name = self.service.name
        if args.autoscaling is not None:
            label = None
            if r is not None and self.target_group is not None:
                label = pulumi.Output.concat(r.alb_arn_suffix, "/", self.target_group.arn_suffix)
            ServiceScaling(f"{name}-scaling", replace(
                args.autoscaling, cluster_name=args.cluster_name, service_name=self.service.name,
                request_label=label), opts=child)
        self.register_outputs({"name": self.name})

    @staticmethod
    def _connect(c: ConnectArgs | None) -> aws.ecs.ServiceServiceConnectConfigurationArgsDict | None:
        if c is None:
            return None
        config: aws.ecs.ServiceServiceConnectConfigurationArgsDict = {"enabled": True, "namespace": c.namespace_arn}
        if c.port_name is not None:
            if c.discovery_name is None or c.port is None:
                raise ValueError("ConnectArgs: a served port needs its discovery_name and port")
            config["services"] = [{"port_name": c.port_name, "discovery_name": c.discovery_name,
                                   "client_alias": [{"port": c.port, "dns_name": c.discovery_name}]}]
        return config


def _placement(placement: str) -> list[aws.ecs.ServiceOrderedPlacementStrategyArgsDict]:
    return [{"type": t, "field": f} for t, f in PLACEMENT[placement]]
