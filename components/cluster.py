"""Cluster: the ECS cluster and the capacity it schedules tasks on.

Creates an ECS cluster with Container Insights (FSBP ECS.12); with `ec2`, an
`Ec2Capacity` child (Auto Scaling group + capacity provider); the association of FARGATE,
FARGATE_SPOT and the EC2 provider with the cluster and its default strategy; when
services call each other by name, a Cloud Map namespace for ECS Service Connect; and, when
a service has ECS Exec, the session log group, to which the cluster's execute-command
configuration sends every session (logging OVERRIDE). Services
must depend on `capacity_providers`: a service naming a provider that is not yet
associated with its cluster fails to create.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pulumi
import pulumi_aws as aws
from typing_extensions import NotRequired, TypedDict

from deploy.aws import tokens
from deploy.aws.tokens import EC2, FARGATE_PROVIDERS

from .ec2_capacity import Ec2Capacity, Ec2CapacityArgs


@dataclass(frozen=True, kw_only=True)
class StrategyEntry:
    provider: str
    """FARGATE, FARGATE_SPOT, or EC2 (the cluster's EC2 capacity provider)."""
    base: int = 0
    weight: int = 0


@dataclass(frozen=True, kw_only=True)
class ExecSessionLogsArgs:
    """Where ECS Exec sessions are logged: a log group the cluster creates."""

    log_group_name: str
    retention_days: int
    kms_key_arn: str | None = None
    """Encrypts the log group and the session data between client and container; None: AWS owned keys."""
    protect: bool


@dataclass(frozen=True, kw_only=True)
class ClusterArgs:
    container_insights: str
    """`enabled`, `enhanced` or `disabled`."""
    default_strategy: Sequence[StrategyEntry]
    """Strategy for services that name none."""
    ec2: Ec2CapacityArgs | None = None
    """EC2 capacity; its `cluster_name` is set to this cluster."""
    service_connect_namespace: str | None = None
    """Create this Cloud Map (HTTP) namespace for Service Connect."""
    exec_sessions: ExecSessionLogsArgs | None = None
    """Log ECS Exec sessions to this group (None: no service has ECS Exec)."""
    tags: Mapping[str, str] = field(default_factory=dict)


class StrategyInput(TypedDict):
    """One entry of a capacity provider strategy, in the shape the ECS service, the cluster's default
    strategy and the Scheduler's ECS target all take."""

    capacity_provider: pulumi.Input[str]
    base: NotRequired[pulumi.Input[int | None]]
    weight: NotRequired[pulumi.Input[int | None]]


def strategy_inputs(entries: Sequence[StrategyEntry], names: Mapping[str, pulumi.Input[str]]) -> list[StrategyInput]:
    """Capacity provider strategy in the provider's input shape, in a stable order.

    `names` maps the config's provider names to real ones (EC2 -> the capacity provider's name).
    """
    return [{"capacity_provider": names.get(e.provider, e.provider), "base": e.base, "weight": e.weight}
            for e in sorted(entries, key=lambda e: e.provider)]


class Cluster(pulumi.ComponentResource):
    name: pulumi.Output[str]
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: ClusterArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.CLUSTER_COMPONENT, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.namespace = None
        if args.service_connect_namespace:
            self.namespace = aws.servicediscovery.HttpNamespace(
                f"{name}-namespace", name=args.service_connect_namespace,
                description="Service Connect names of the stack's services", tags=dict(args.tags), opts=child)
        self.exec_log_group = None
        configuration: aws.ecs.ClusterConfigurationArgsDict | None = None
        if args.exec_sessions is not None:
            e = args.exec_sessions
            self.exec_log_group = aws.cloudwatch.LogGroup(
                f"{name}-exec-logs", name=e.log_group_name, retention_in_days=e.retention_days,
                kms_key_id=e.kms_key_arn, tags={**args.tags, "Name": f"{name}-exec"},
                opts=pulumi.ResourceOptions(parent=self, protect=e.protect))
            # OVERRIDE: every session goes to this group, whatever the task's awslogs settings. Encryption of the
            # logs needs a customer managed key on the group (ECS developer guide, "Logging using ECS Exec").
            execute_command: aws.ecs.ClusterConfigurationExecuteCommandConfigurationArgsDict = {
                "logging": "OVERRIDE",
                "log_configuration": {"cloud_watch_log_group_name": self.exec_log_group.name,
                                      "cloud_watch_encryption_enabled": e.kms_key_arn is not None}}
            if e.kms_key_arn is not None:
                execute_command["kms_key_id"] = e.kms_key_arn
            configuration = {"execute_command_configuration": execute_command}
        self.cluster = aws.ecs.Cluster(
            f"{name}-cluster",
            settings=[{"name": "containerInsights", "value": args.container_insights}],
            configuration=configuration,
            service_connect_defaults={"namespace": self.namespace.arn} if self.namespace else None,
            tags={**args.tags, "Name": name},
            opts=child,
        )
        self.provider_names: dict[str, pulumi.Input[str]] = {p: p for p in FARGATE_PROVIDERS}
        providers: list[pulumi.Input[str]] = list(FARGATE_PROVIDERS)
        self.ec2 = None
        if args.ec2 is not None:
            self.ec2 = Ec2Capacity(f"{name}-ec2", replace(args.ec2, cluster_name=self.cluster.name), opts=child)
            self.provider_names[EC2] = self.ec2.provider_name
            providers.append(self.ec2.provider_name)
        self.capacity_providers = aws.ecs.ClusterCapacityProviders(
            f"{name}-capacity",
            cluster_name=self.cluster.name,
            capacity_providers=providers,
            default_capacity_provider_strategies=strategy_inputs(args.default_strategy, self.provider_names),
            opts=child,
        )
        self.name = self.cluster.name
        self.arn = self.cluster.arn
        self.namespace_arn = self.namespace.arn if self.namespace else None
        self.exec_log_group_arn = self.exec_log_group.arn if self.exec_log_group else None
        self.register_outputs({"name": self.name, "arn": self.arn})
