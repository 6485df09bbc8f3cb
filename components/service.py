"""Service: one ECS service, its network access, its ALB routing and its auto scaling.

Creates a task security group (ingress only from the ALB's group on the container port;
egress to anywhere, which image pulls and AWS APIs need); with a load balancer, an `ip`
target group with fast but safe health checks and a 30 s deregistration delay, a listener
rule with path/host conditions, and the ALB group's egress to the tasks; the ECS service
(private subnets, no public IP unless asked, circuit breaker with rollback, capacity
provider strategy, health check grace period) which depends on its listener rule, since a
service whose target group has no load balancer yet fails to create; and, with
autoscaling, an Application Auto Scaling target and target-tracking policies on CPU,
memory and ALB requests per target. Auto scaling owns the task count then: the service
ignores `desiredCount` changes after creation, so `pulumi up` never resets a scaled-out
service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

from .cluster import StrategyEntry, strategy_inputs


@dataclass(frozen=True, kw_only=True)
class RoutingArgs:
    listener_arn: pulumi.Input[str]
    alb_security_group_id: pulumi.Input[str]
    alb_arn_suffix: pulumi.Input[str]
    container_name: str
    container_port: int
    priority: int
    paths: Sequence[str] = ("/*",)
    hosts: Sequence[str] = ()
    health_check_path: str = "/health"
    health_check_interval: int = 10
    health_check_timeout: int = 5
    healthy_threshold: int = 2
    unhealthy_threshold: int = 3
    health_check_matcher: str = "200-399"
    deregistration_delay: int = 30
    health_check_grace_period: int = 30


@dataclass(frozen=True, kw_only=True)
class AutoscalingArgs:
    min: int
    max: int
    cpu_target: Optional[int] = 70
    memory_target: Optional[int] = None
    requests_per_target: Optional[int] = None
    scale_in_cooldown: int = 300
    scale_out_cooldown: int = 60


@dataclass(frozen=True, kw_only=True)
class ServiceArgs:
    cluster_arn: pulumi.Input[str]
    cluster_name: pulumi.Input[str]
    task_definition_arn: pulumi.Input[str]
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[str]]
    strategy: Sequence[StrategyEntry]
    desired_count: int = 1
    assign_public_ip: bool = False
    minimum_healthy_percent: int = 100
    maximum_percent: int = 200
    circuit_breaker: bool = True
    wait_for_steady_state: bool = True
    routing: Optional[RoutingArgs] = None
    autoscaling: Optional[AutoscalingArgs] = None
    depends_on: Sequence[pulumi.Resource] = ()
    """E.g. the cluster's capacity provider association."""
    tags: Mapping[str, str] = field(default_factory=dict)


def target_tracking_policies(a: AutoscalingArgs, has_alb: bool) -> list[tuple[str, str, int]]:
    """(role, predefined metric, target) for each enabled target-tracking policy."""
    policies = [("cpu", "ECSServiceAverageCPUUtilization", a.cpu_target),
                ("memory", "ECSServiceAverageMemoryUtilization", a.memory_target)]
    if has_alb:
        policies.append(("requests", "ALBRequestCountPerTarget", a.requests_per_target))
    return [(role, metric, target) for role, metric, target in policies if target is not None]


class Service(pulumi.ComponentResource):
    name: pulumi.Output[str]

    def __init__(self, name: str, args: ServiceArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("ecsapp:service:Service", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        r = args.routing
        self.security_group = aws.ec2.SecurityGroup(
            f"{name}-sg", vpc_id=args.vpc_id, description=f"Tasks of {name}",
            tags={**args.tags, "Name": f"{name}-tasks"}, opts=child)
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-egress", security_group_id=self.security_group.id, ip_protocol="-1", cidr_ipv4="0.0.0.0/0",
            description="Image pulls, AWS APIs and the application's own calls", opts=child)

        load_balancers = None
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
            conditions = []
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
        ignore = []
        if args.autoscaling is not None:
            # Auto scaling owns the count after creation; never let an update reset it.
            ignore = ["desiredCount"]
        self.service = aws.ecs.Service(
            f"{name}-svc",
            cluster=args.cluster_arn,
            task_definition=args.task_definition_arn,
            desired_count=initial_count,
            capacity_provider_strategies=strategy_inputs(args.strategy),
            platform_version="LATEST",
            network_configuration={"subnets": args.subnet_ids, "security_groups": [self.security_group.id],
                                   "assign_public_ip": args.assign_public_ip},
            load_balancers=load_balancers,
            health_check_grace_period_seconds=r.health_check_grace_period if r is not None else None,
            deployment_circuit_breaker={"enable": args.circuit_breaker, "rollback": args.circuit_breaker},
            deployment_minimum_healthy_percent=args.minimum_healthy_percent,
            deployment_maximum_percent=args.maximum_percent,
            availability_zone_rebalancing="ENABLED",
            enable_ecs_managed_tags=True,
            propagate_tags="SERVICE",
            wait_for_steady_state=args.wait_for_steady_state,
            tags={**args.tags, "Name": name},
            opts=pulumi.ResourceOptions(parent=self, depends_on=service_deps, ignore_changes=ignore),
        )
        self.name = self.service.name
        if args.autoscaling is not None:
            self._autoscaling(name, args)
        self.register_outputs({"name": self.name})

    def _autoscaling(self, name: str, args: ServiceArgs) -> None:
        a = args.autoscaling
        assert a is not None
        child = pulumi.ResourceOptions(parent=self)
        target = aws.appautoscaling.Target(
            f"{name}-scaling", service_namespace="ecs", scalable_dimension="ecs:service:DesiredCount",
            resource_id=pulumi.Output.concat("service/", args.cluster_name, "/", self.service.name),
            min_capacity=a.min, max_capacity=a.max, tags=dict(args.tags), opts=child)
        r = args.routing
        for role, metric, value in target_tracking_policies(a, r is not None):
            spec: dict = {"predefined_metric_type": metric}
            if metric == "ALBRequestCountPerTarget":
                assert r is not None and self.target_group is not None
                spec["resource_label"] = pulumi.Output.concat(r.alb_arn_suffix, "/", self.target_group.arn_suffix)
            aws.appautoscaling.Policy(
                f"{name}-scale-{role}", policy_type="TargetTrackingScaling", resource_id=target.resource_id,
                scalable_dimension=target.scalable_dimension, service_namespace=target.service_namespace,
                target_tracking_scaling_policy_configuration={
                    "target_value": value, "predefined_metric_specification": spec,
                    "scale_in_cooldown": a.scale_in_cooldown, "scale_out_cooldown": a.scale_out_cooldown},
                opts=child)
