"""The typed stack configuration: shapes, types, ranges and defaults (pydantic).

One model per config section. Keys are camelCase in `Pulumi.<stack>.yaml`, as Pulumi
config keys usually are; unknown keys are errors. Every field documents its meaning and
default here, once. Rules that relate several fields live in `rules.py`.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from .. import limits
from .base import Model, StrategyItem
from .service_model import (  # noqa: F401 - re-exported: the model is one namespace
    Autoscaling, Build, Container, ContainerHealthCheck, DependsOn, Deployment, IamStatement, Image, Queue, Routing,
    Schedule, Service, TargetHealthCheck, TaskRole,
)

ServiceName = str  # checked in rules.py (lowercase letters, digits, hyphens)


# --- network -----------------------------------------------------------------------------


class FlowLogs(Model):
    enabled: bool = Field(True, description="VPC flow logs to CloudWatch Logs (FSBP EC2.6).")
    retention_days: int = Field(30, description="Flow log retention in days (a CloudWatch value).")
    traffic_type: Literal["ALL", "ACCEPT", "REJECT"] = Field("ALL", description="Traffic to log.")


class Endpoints(Model):
    s3: bool = Field(False, description="S3 gateway endpoint (free; ECR image layers come from S3).")
    interface: list[Literal["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "kms", "sts", "sqs", "ecs",
                            "ecs-agent", "ecs-telemetry"]] = Field(
        default_factory=list,
        description="Interface endpoints in every private subnet (about $7.30 per AZ per month each).",
    )


class ExistingNetwork(Model):
    vpc_id: str = Field(description="ID of an existing VPC (vpc-...).", pattern=r"^vpc-[0-9a-f]+$")
    public_subnet_ids: list[str] = Field(min_length=2, description="Public subnets, one per AZ, for the ALB.")
    private_subnet_ids: list[str] = Field(min_length=2, description="Private subnets, one per AZ, for tasks.")


class Network(Model):
    cidr: str = Field("10.0.0.0/16", description="VPC IPv4 range, /16 to /23.")
    az_count: int = Field(2, ge=2, le=6, description="Availability Zones to span (an ALB needs 2).")
    availability_zones: Optional[list[str]] = Field(
        None, description="Explicit AZ names; default: the region's first `azCount` AZs."
    )
    nat: Literal["none", "single", "per-az"] = Field(
        "single",
        description="NAT gateways: none (tasks get public IPs unless endpoints are on), one shared, "
        "or one per AZ (survives an AZ outage).",
    )
    flow_logs: FlowLogs = Field(default_factory=FlowLogs, description="VPC flow logs (below).")
    endpoints: Endpoints = Field(default_factory=Endpoints, description="VPC endpoints (below).")
    existing: Optional[ExistingNetwork] = Field(None, description="Use this VPC instead of creating one.")


# --- cluster -----------------------------------------------------------------------------


def _default_strategy() -> list[StrategyItem]:
    return [StrategyItem(provider="FARGATE", weight=1)]


class Ec2Capacity(Model):
    instance_types: list[str] = Field(min_length=1, description="Instance types, one architecture (e.g. "
                                                                "[m7g.large, m6g.large]); the first is preferred.")
    min_size: int = Field(1, ge=0, description="Fewest instances.")
    max_size: int = Field(4, ge=1, description="Most instances.")
    on_demand_base: int = Field(0, ge=0, description="Instances always on demand before the Spot share applies.")
    spot_percentage: int = Field(0, ge=0, le=100, description="Share of instances above the base bought on Spot.")
    target_capacity: int = Field(100, ge=1, le=100, description="Managed scaling: % of the group tasks should "
                                                                "use (below 100 keeps spare instances).")
    root_volume_size: int = Field(30, ge=30, le=16384, description="Encrypted gp3 root volume in GiB (the AMI "
                                                                   "needs 30).")
    volume_kms_key_arn: Optional[str] = Field(None, description="KMS key for the root volume (default: AWS "
                                                                "managed).")
    agent_stop_timeout: int = Field(30, ge=1, le=120, description="ECS_CONTAINER_STOP_TIMEOUT in seconds.")
    awsvpc_trunking: bool = Field(False, description="ENI trunking: more awsvpc tasks per instance on supported "
                                                     "types; turns on the account-wide `awsvpcTrunking` setting.")


class Cluster(Model):
    container_insights: Literal["enabled", "enhanced", "disabled"] = Field(
        "enabled", description="Container Insights metrics (FSBP ECS.12)."
    )
    capacity_provider_strategy: list[StrategyItem] = Field(
        default_factory=_default_strategy,
        description="Default strategy for services that set none: base + weights over FARGATE/FARGATE_SPOT "
                    "(or EC2).",
    )
    ec2: Optional[Ec2Capacity] = Field(None, description="EC2 capacity (an Auto Scaling group) beside Fargate.")


# --- registry ----------------------------------------------------------------------------


class Registry(Model):
    encryption: Literal["AES256", "KMS"] = Field("AES256", description="ECR encryption at rest.")
    kms_key_arn: Optional[str] = Field(None, description="KMS key for `encryption: KMS` (default: AWS managed).")
    untagged_expiry_days: int = Field(7, ge=1, le=3650, description="Delete untagged images after N days.")
    keep_tagged: int = Field(30, ge=1, le=10000, description="Keep the last N tagged images.")
    force_delete: bool = Field(False, description="Allow deleting a repository that still holds images.")


# --- load balancer -----------------------------------------------------------------------


class AccessLogs(Model):
    bucket: str = Field(description="S3 bucket for ALB access logs (its policy must allow ELB to write).")
    prefix: str = Field("", description="Key prefix inside the bucket.")


class LoadBalancer(Model):
    ingress_cidrs: list[str] = Field(
        default_factory=lambda: ["0.0.0.0/0"], min_length=1, description="Who may reach ports 80/443."
    )
    https: Optional[bool] = Field(None, description="Serve HTTPS (default: on when a certificate is set).")
    certificate_arn: Optional[str] = Field(None, description="ACM certificate: enables HTTPS.")
    domain: Optional[str] = Field(None, description="Domain to issue a DNS-validated certificate for.")
    hosted_zone_id: Optional[str] = Field(None, description="Route 53 zone of `domain` (validation + alias).")
    tls_policy: str = Field(limits.DEFAULT_TLS_POLICY, description="TLS policy of the HTTPS listener.")
    deletion_protection: bool = Field(False, description="Refuse to delete the ALB (on in prod).")
    idle_timeout: int = Field(60, ge=1, le=4000, description="Idle connection timeout in seconds.")
    access_logs: Optional[AccessLogs] = Field(None, description="ALB access logs to S3 (FSBP ELB.5).")


# --- logs --------------------------------------------------------------------------------


class Logs(Model):
    retention_days: int = Field(30, description="Container log retention (a CloudWatch value).")
    kms_key_arn: Optional[str] = Field(None, description="KMS key for log groups (default: AWS owned).")


# --- the stack ---------------------------------------------------------------------------


class StackConfig(Model):
    """Everything `Pulumi.<stack>.yaml` can say, in the project namespace plus `aws:region`."""

    project: str
    stack: str
    region: str
    name: Optional[str] = Field(None, description="Prefix of resource names (default: the stack name).")
    protect: bool = Field(False, description="Mark the stack as protected (no destroy).")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags on every resource.")
    network: Network = Field(default_factory=Network)
    cluster: Cluster = Field(default_factory=Cluster)
    registry: Registry = Field(default_factory=Registry)
    load_balancer: LoadBalancer = Field(default_factory=LoadBalancer)
    logs: Logs = Field(default_factory=Logs)
    services: dict[ServiceName, Service] = Field(default_factory=dict)
    secret_keys: frozenset[str] = Field(default_factory=frozenset, exclude=True)

    @property
    def prefix(self) -> str:
        return self.name or self.stack

    @property
    def https(self) -> bool:
        lb = self.load_balancer
        has_certificate = bool(lb.certificate_arn or lb.domain)
        return has_certificate if lb.https is None else lb.https and has_certificate

    def all_tags(self) -> dict[str, str]:
        return {"Project": self.project, "Stack": self.stack, "ManagedBy": "pulumi", **self.tags}

    def web_services(self) -> dict[str, Service]:
        return {k: s for k, s in self.services.items() if s.web and s.load_balancer is not None}

    def strategy(self, svc: Service) -> list[StrategyItem]:
        """A service's capacity provider strategy: its own, else the cluster's default."""
        return svc.capacity_provider_strategy or self.cluster.capacity_provider_strategy

    def on_ec2(self, svc: Service) -> bool:
        return any(i.provider == "EC2" for i in self.strategy(svc))


# Config keys in the project namespace, with the model section each one holds.
SECTIONS: dict[str, type[Model]] = {
    "network": Network,
    "cluster": Cluster,
    "registry": Registry,
    "loadBalancer": LoadBalancer,
    "logs": Logs,
}
SCALARS = ("name", "protect", "tags", "services")
