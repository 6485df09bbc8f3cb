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

from . import rollback_alarms
from .cluster import StrategyEntry, strategy_inputs
from .file_system import nfs_ingress
from .rollback_alarms import Queues, RollbackAlarmArgs, Targets
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
    source_cidrs: Sequence[str] = ()
    """A `source-ip` condition: only clients in these blocks match the rule."""
    protocol_version: str | None = None
    """HTTP1, HTTP2 or GRPC; None leaves AWS's default (HTTP1) unset, as the stack always has."""
    stickiness: tuple[bool, int] | None = None
    """(enabled, cookie seconds) of lb_cookie stickiness; None: not set (off)."""
    health_check_path: str
    health_check_interval: int
    health_check_timeout: int
    healthy_threshold: int
    unhealthy_threshold: int
    health_check_matcher: str
    deregistration_delay: int
    health_check_grace_period: int


@dataclass(frozen=True, kw_only=True)
class RolloutArgs:
    """A blue-green, linear or canary deployment (ECS DeploymentConfiguration)."""

    strategy: str
    """BLUE_GREEN, LINEAR or CANARY."""
    bake_minutes: int
    canary: tuple[float, int] | None = None
    """(percent, minutes at it)."""
    linear: tuple[float, int] | None = None
    """(percent per step, minutes between steps)."""
    test_header: tuple[str, str] | None = None
    """(name, value) that selects the new revision: a rule on the production listener (unless there is a test
    listener), Service Connect's testTrafficRules."""
    test_listener_arn: pulumi.Input[str] | None = None
    """Or a rule on this test listener."""
    test_priority: int | None = None
    hooks: Sequence[tuple[str, str]] = ()
    """(lifecycle stage, Lambda function ARN)."""
    timeout_minutes: int = 20
    """How long `pulumi up` waits for a deployment."""


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
    enable_execute_command: bool
    """ECS Exec on the service's tasks (tasks started after a change get it)."""
    routing: RoutingArgs | None = None
    autoscaling: ScalingArgs | None = None
    """Its `cluster_name`, `service_name` and `request_label` are filled in here."""
    connect: ConnectArgs | None = None
    rollout: RolloutArgs | None = None
    """None: a rolling deployment."""
    alarms: RollbackAlarmArgs | None = None
    """None: no rollback alarms."""
    queue: Queues | None = None
    """A worker's queue, which its rollback alarms watch."""
    depends_on: Sequence[pulumi.Resource] = ()
    """E.g. the cluster's capacity provider association."""
    security_group_ids: Sequence[str] = ()
    """Existing groups the tasks join besides their own (ECS allows 5 in all)."""
    file_system_security_group_ids: Sequence[pulumi.Input[str]] = ()
    """Mount-target groups of the EFS file systems the stack created for this service: each admits NFS from the
    tasks' group (and the service waits for those rules)."""
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
        service_deps += nfs_ingress(name, self.security_group.id, args.file_system_security_group_ids, child)
        ro = args.rollout
        self.target_group: aws.lb.TargetGroup | None = None
        self.alternate_target_group: aws.lb.TargetGroup | None = None
        self.deploy_role: aws.iam.Role | None = None
        self.deploy_policy: aws.iam.RolePolicy | None = None
        self.test_rule: aws.lb.ListenerRule | None = None
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
            self.target_group = self._target_group(f"{name}-tg", args, r, child)
            conditions: list[aws.lb.ListenerRuleConditionArgsDict] = []
            if r.paths:
                conditions.append({"path_pattern": {"values": list(r.paths)}})
            if r.hosts:
                conditions.append({"host_header": {"values": list(r.hosts)}})
            if r.source_cidrs:
                conditions.append({"source_ip": {"values": list(r.source_cidrs)}})
            load_balancer: aws.ecs.ServiceLoadBalancerArgsDict = {
                "target_group_arn": self.target_group.arn, "container_name": r.container_name,
                "container_port": r.container_port}
            if ro is None:
                rule = aws.lb.ListenerRule(
                    f"{name}-rule", listener_arn=r.listener_arn, priority=r.priority,
                    actions=[{"type": "forward", "target_group_arn": self.target_group.arn}],
                    conditions=conditions, tags=dict(args.tags), opts=child)
                service_deps.append(rule)
            else:
                load_balancer["advanced_configuration"] = self._traffic_shifting(
                    name, args, r, ro, conditions, service_deps, child)
            load_balancers = [load_balancer]

        self.alarms: list[aws.cloudwatch.MetricAlarm] = []
        if args.alarms is not None:
            targets = None
            if r is not None and self.target_group is not None:
                groups = [self.target_group.arn_suffix]
                if self.alternate_target_group is not None:
                    groups.append(self.alternate_target_group.arn_suffix)
                targets = Targets(r.alb_arn_suffix, groups)
            self.alarms = rollback_alarms.create(name, args.alarms, self, targets, args.queue)
        alarm_names: list[pulumi.Input[str]] = [a.name for a in self.alarms]
        alarm_names += list(args.alarms.extra_alarm_names) if args.alarms is not None else []
        if ro is not None and ro.hooks and self.deploy_role is None:
            self.deploy_role = self._deploy_role(name, args, ro, None, child)
        if self.deploy_policy is not None:
            # The role's ARN alone orders only the role: ECS must not move traffic or invoke a hook before the
            # role may do so.
            service_deps.append(self.deploy_policy)

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
            service_connect_configuration=self._connect(args.connect, ro),
            network_configuration={"subnets": args.subnet_ids,
                                   "security_groups": [self.security_group.id, *args.security_group_ids],
                                   "assign_public_ip": args.assign_public_ip},
            load_balancers=load_balancers,
            health_check_grace_period_seconds=r.health_check_grace_period if r is not None else None,
            deployment_circuit_breaker={"enable": args.circuit_breaker, "rollback": args.circuit_breaker},
            deployment_configuration=self._deployment(ro, self.deploy_role),
            alarms={"alarm_names": alarm_names, "enable": True, "rollback": True} if alarm_names else None,
            deployment_minimum_healthy_percent=args.minimum_healthy_percent,
            deployment_maximum_percent=args.maximum_percent,
            # AZ rebalancing needs tasks spread over AZs; binpack-only placement cannot honour it.
            availability_zone_rebalancing="DISABLED" if not args.fargate and args.placement == "binpack"
            else "ENABLED",
            enable_ecs_managed_tags=True,
            propagate_tags="SERVICE",
            wait_for_steady_state=args.wait_for_steady_state,
            enable_execute_command=args.enable_execute_command,
            tags={**args.tags, "Name": name},
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=service_deps, ignore_changes=ignore,
                custom_timeouts=pulumi.CustomTimeouts(create=f"{ro.timeout_minutes}m", update=f"{ro.timeout_minutes}m")
                if ro is not None else None),
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
    def _connect(c: ConnectArgs | None, ro: RolloutArgs | None = None
                 ) -> aws.ecs.ServiceServiceConnectConfigurationArgsDict | None:
        if c is None:
            return None
        config: aws.ecs.ServiceServiceConnectConfigurationArgsDict = {"enabled": True, "namespace": c.namespace_arn}
        if c.port_name is not None:
            if c.discovery_name is None or c.port is None:
                raise ValueError("ConnectArgs: a served port needs its discovery_name and port")
            alias: aws.ecs.ServiceServiceConnectConfigurationServiceClientAliasArgsDict = {
                "port": c.port, "dns_name": c.discovery_name}
            if ro is not None and ro.test_header is not None:
                # Callers that send the header reach the new revision first (ServiceConnectTestTrafficRules).
                alias["test_traffic_rules"] = [{"header": {"name": ro.test_header[0],
                                                           "value": {"exact": ro.test_header[1]}}}]
            config["services"] = [{"port_name": c.port_name, "discovery_name": c.discovery_name,
                                   "client_alias": [alias]}]
        return config

    @staticmethod
    def _target_group(logical: str, args: ServiceArgs, r: RoutingArgs, child: pulumi.ResourceOptions
                      ) -> aws.lb.TargetGroup:
        return aws.lb.TargetGroup(
            logical, target_type="ip", protocol="HTTP", port=r.container_port, vpc_id=args.vpc_id,
            protocol_version=r.protocol_version, deregistration_delay=r.deregistration_delay,
            stickiness={"type": "lb_cookie", "enabled": r.stickiness[0], "cookie_duration": r.stickiness[1]}
            if r.stickiness is not None else None,
            health_check={"enabled": True, "path": r.health_check_path, "protocol": "HTTP",
                          "port": "traffic-port", "interval": r.health_check_interval,
                          "timeout": r.health_check_timeout, "healthy_threshold": r.healthy_threshold,
                          "unhealthy_threshold": r.unhealthy_threshold, "matcher": r.health_check_matcher},
            tags={**args.tags, "Name": logical}, opts=child)

    def _traffic_shifting(self, name: str, args: ServiceArgs, r: RoutingArgs, ro: RolloutArgs,
                          conditions: list[aws.lb.ListenerRuleConditionArgsDict], service_deps: list[pulumi.Resource],
                          child: pulumi.ResourceOptions) -> aws.ecs.ServiceLoadBalancerAdvancedConfigurationArgsDict:
        """The alternate target group, the production and test listener rules over both groups, and the role ECS
        moves traffic with ("Application Load Balancer resources for blue/green, linear, and canary deployments",
        ECS Developer Guide). ECS changes the rules' weights in every deployment, so Pulumi ignores their actions
        after creation: an update must not move traffic back."""
        assert self.target_group is not None
        self.alternate_target_group = alt = self._target_group(f"{name}-tg-alt", args, r, child)
        ecs_owns_weights = pulumi.ResourceOptions(parent=self, ignore_changes=["actions"])

        def forward(primary: int, alternate: int) -> list[aws.lb.ListenerRuleActionArgsDict]:
            assert self.target_group is not None
            return [{"type": "forward", "forward": {"target_groups": [
                {"arn": self.target_group.arn, "weight": primary}, {"arn": alt.arn, "weight": alternate}]}}]

        production = aws.lb.ListenerRule(
            f"{name}-rule", listener_arn=r.listener_arn, priority=r.priority, actions=forward(100, 0),
            conditions=conditions, tags=dict(args.tags), opts=ecs_owns_weights)
        test_conditions = list(conditions)
        if ro.test_header is not None and ro.test_listener_arn is None:
            test_conditions.append({"http_header": {"http_header_name": ro.test_header[0],
                                                    "values": [ro.test_header[1]]}})
        if ro.test_priority is None:
            raise ValueError("RolloutArgs: a load balancer's test rule needs test_priority")
        self.test_rule = test = aws.lb.ListenerRule(
            f"{name}-test-rule", listener_arn=ro.test_listener_arn or r.listener_arn, priority=ro.test_priority,
            actions=forward(0, 100), conditions=test_conditions, tags=dict(args.tags), opts=ecs_owns_weights)
        service_deps += [production, test]
        self.deploy_role = role = self._deploy_role(name, args, ro, (production, test, alt), child)
        return {"alternate_target_group_arn": alt.arn, "production_listener_rule": production.arn,
                "test_listener_rule": test.arn, "role_arn": role.arn}

    def _deploy_role(self, name: str, args: ServiceArgs, ro: RolloutArgs,
                     lb: tuple[aws.lb.ListenerRule, aws.lb.ListenerRule, aws.lb.TargetGroup] | None,
                     child: pulumi.ResourceOptions) -> aws.iam.Role:
        """The role ECS assumes to move traffic and to invoke the lifecycle hooks: the actions of AWS's
        AmazonECSInfrastructureRolePolicyForLoadBalancers, scoped to this service's rules and target groups, and
        lambda:InvokeFunction on exactly its hook functions."""
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        # Confused-deputy guard: only ECS acting for this account may assume the role.
        trust = pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ecs.amazonaws.com"},
            "Condition": {"StringEquals": {"aws:SourceAccount": account}}}]})
        role = aws.iam.Role(f"{name}-deploy-role", assume_role_policy=trust,
                            description=f"ECS moves traffic and runs deployment hooks for {name}",
                            tags={**args.tags, "Name": f"{name}-deploy"}, opts=child)
        statements: list[dict[str, object]] = []
        if lb is not None and self.target_group is not None:
            production, test, alt = lb
            statements += [
                # Describe* has no resource-level permissions (Service Authorization Reference, ELB v2).
                {"Effect": "Allow", "Resource": "*", "Action": [
                    "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules",
                    "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"]},
                {"Effect": "Allow", "Resource": [self.target_group.arn, alt.arn], "Action": [
                    "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]},
                {"Effect": "Allow", "Resource": [production.arn, test.arn],
                 "Action": ["elasticloadbalancing:ModifyRule"]}]
        if ro.hooks:
            statements.append({"Effect": "Allow", "Action": ["lambda:InvokeFunction"],
                               "Resource": sorted({arn for _, arn in ro.hooks})})
        self.deploy_policy = aws.iam.RolePolicy(f"{name}-deploy-policy", role=role.id, policy=pulumi.Output.json_dumps(
            {"Version": "2012-10-17", "Statement": statements}), opts=child)
        return role

    @staticmethod
    def _deployment(ro: RolloutArgs | None, role: aws.iam.Role | None
                    ) -> aws.ecs.ServiceDeploymentConfigurationArgsDict:
        if ro is None:
            return {"strategy": "ROLLING"}
        # The provider types the minutes as strings (pulumi-aws 7.51 ServiceDeploymentConfiguration*Args).
        config: aws.ecs.ServiceDeploymentConfigurationArgsDict = {
            "strategy": ro.strategy, "bake_time_in_minutes": str(ro.bake_minutes)}
        if ro.canary is not None:
            config["canary_configuration"] = {"canary_percent": ro.canary[0],
                                              "canary_bake_time_in_minutes": str(ro.canary[1])}
        if ro.linear is not None:
            config["linear_configuration"] = {"step_percent": ro.linear[0],
                                              "step_bake_time_in_minutes": str(ro.linear[1])}
        if ro.hooks:
            if role is None:
                raise ValueError("RolloutArgs: lifecycle hooks need the deploy role")
            config["lifecycle_hooks"] = [{"lifecycle_stages": [stage], "hook_target_arn": arn, "role_arn": role.arn,
                                          "target_type": "AWS_LAMBDA"} for stage, arn in ro.hooks]
        return config


def _placement(placement: str) -> list[aws.ecs.ServiceOrderedPlacementStrategyArgsDict]:
    return [{"type": t, "field": f} for t, f in PLACEMENT[placement]]
