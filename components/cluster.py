"""Cluster: the ECS cluster and the capacity it schedules tasks on.

Creates an ECS cluster with Container Insights (FSBP ECS.12) and associates the FARGATE
and FARGATE_SPOT capacity providers with a default strategy (base + weights). Services
must depend on `capacity_providers`: a service naming a provider that is not yet
associated with its cluster fails to create.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")


@dataclass(frozen=True, kw_only=True)
class StrategyEntry:
    provider: str
    base: int = 0
    weight: int = 0


@dataclass(frozen=True, kw_only=True)
class ClusterArgs:
    container_insights: str = "enabled"
    """`enabled`, `enhanced` or `disabled`."""
    default_strategy: Sequence[StrategyEntry] = (StrategyEntry(provider="FARGATE", weight=1),)
    """Strategy for services that name none."""
    tags: Mapping[str, str] = field(default_factory=dict)


def strategy_inputs(entries: Sequence[StrategyEntry]) -> list[dict]:
    """Capacity provider strategy in the provider's input shape, in a stable order."""
    return [{"capacity_provider": e.provider, "base": e.base, "weight": e.weight}
            for e in sorted(entries, key=lambda e: e.provider)]


class Cluster(pulumi.ComponentResource):
    name: pulumi.Output[str]
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: ClusterArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("ecsapp:cluster:Cluster", name, None, opts)
        self.cluster = aws.ecs.Cluster(
            f"{name}-cluster",
            settings=[{"name": "containerInsights", "value": args.container_insights}],
            tags={**args.tags, "Name": name},
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.capacity_providers = aws.ecs.ClusterCapacityProviders(
            f"{name}-capacity",
            cluster_name=self.cluster.name,
            capacity_providers=list(FARGATE_PROVIDERS),
            default_capacity_provider_strategies=strategy_inputs(args.default_strategy),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.name = self.cluster.name
        self.arn = self.cluster.arn
        self.register_outputs({"name": self.name, "arn": self.arn})
