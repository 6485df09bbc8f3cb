"""The typed stack configuration: shapes, types, ranges and defaults (pydantic).

One model per config section. Keys are camelCase in `Pulumi.<stack>.yaml`, as Pulumi
config keys usually are; unknown keys are errors. Every field documents its meaning and
default here, once. Rules that relate several fields live in `rules.py`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from .. import limits

ServiceName = str  # checked in rules.py (lowercase letters, digits, hyphens)


def _env_string(value: Any) -> Any:
    """YAML `PORT: 8080` or `DEBUG: true` mean the strings a process sees."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


EnvValue = Annotated[str, BeforeValidator(_env_string)]


class Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )


# --- network -----------------------------------------------------------------------------


class FlowLogs(Model):
    enabled: bool = Field(True, description="VPC flow logs to CloudWatch Logs (FSBP EC2.6).")
    retention_days: int = Field(30, description="Flow log retention in days (a CloudWatch value).")
    traffic_type: Literal["ALL", "ACCEPT", "REJECT"] = Field("ALL", description="Traffic to log.")


class Endpoints(Model):
    s3: bool = Field(False, description="S3 gateway endpoint (free; ECR image layers come from S3).")
    interface: list[Literal["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "kms", "sts"]] = Field(
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


class StrategyItem(Model):
    provider: Literal["FARGATE", "FARGATE_SPOT"] = Field(description="Capacity provider.")
    base: int = Field(0, ge=0, le=100000, description="Tasks always placed on this provider first.")
    weight: int = Field(0, ge=0, le=1000, description="Relative share of the tasks beyond the base.")


def _default_strategy() -> list[StrategyItem]:
    return [StrategyItem(provider="FARGATE", weight=1)]


class Cluster(Model):
    container_insights: Literal["enabled", "enhanced", "disabled"] = Field(
        "enabled", description="Container Insights metrics (FSBP ECS.12)."
    )
    capacity_provider_strategy: list[StrategyItem] = Field(
        default_factory=_default_strategy,
        description="Default strategy for services that set none: base + weights over FARGATE/FARGATE_SPOT.",
    )


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


# --- services ----------------------------------------------------------------------------


class Build(Model):
    context: str = Field(description="Docker build context, relative to the project directory.")
    dockerfile: Optional[str] = Field(None, description="Dockerfile path (default: <context>/Dockerfile).")
    target: Optional[str] = Field(None, description="Multi-stage build target.")
    args: dict[str, str] = Field(default_factory=dict, description="Build arguments.")


class Image(Model):
    uri: Optional[str] = Field(None, description="An image to run as is (registry/name:tag or @digest).")
    build: Optional[Build] = Field(None, description="Build from this context and push to the container's ECR "
                                                     "repository (created by the stack).")
    tag: Optional[str] = Field(None, description="Run this tag from the container's ECR repository instead of "
                                                 "building (what `release --image-tag` sets; wins over `build`).")

    @model_validator(mode="after")
    def _exactly_one(self) -> "Image":
        from_repository = self.build is not None or self.tag is not None
        if (self.uri is not None) != from_repository:
            return self
        raise ValueError("set exactly one of `uri` (an image URI) or `build` (a Docker build context) / `tag` "
                         "(an image in the stack's ECR repository)")

    @property
    def from_repository(self) -> bool:
        """The stack owns an ECR repository for this container."""
        return self.uri is None


class ContainerHealthCheck(Model):
    command: list[str] = Field(min_length=1, description='e.g. ["CMD", "/app/healthcheck"].')
    interval: int = Field(30, ge=5, le=300, description="Seconds between checks.")
    timeout: int = Field(5, ge=2, le=120, description="Seconds before a check fails.")
    retries: int = Field(3, ge=1, le=10, description="Failures before the container is unhealthy.")
    start_period: int = Field(0, ge=0, le=300, description="Grace seconds at start-up.")


class DependsOn(Model):
    container: str = Field(description="Name of a container of the same task.")
    condition: Literal["START", "COMPLETE", "SUCCESS", "HEALTHY"] = Field("START", description="When it counts as ready.")


class Container(Model):
    image: Image = Field(description="What to run: `uri` or `build`.")
    cpu: Optional[int] = Field(None, ge=0, description="CPU units reserved for this container.")
    memory: Optional[int] = Field(None, ge=6, description="Hard memory limit (MiB).")
    memory_reservation: Optional[int] = Field(None, ge=6, description="Soft memory limit (MiB).")
    ports: list[int] = Field(default_factory=list, description="Container ports (TCP).")
    essential: bool = Field(True, description="Stop the task when this container stops.")
    command: Optional[list[str]] = Field(None, description="Override the image's CMD.")
    entry_point: Optional[list[str]] = Field(None, description="Override the image's ENTRYPOINT.")
    working_directory: Optional[str] = Field(None, description="Override the image's WORKDIR.")
    environment: dict[str, EnvValue] = Field(default_factory=dict, description="Plain environment variables.")
    secrets: dict[str, str] = Field(
        default_factory=dict,
        description="Env var -> Secrets Manager secret ARN or SSM parameter ARN/name; the execution role "
        "may read exactly these.",
    )
    health_check: Optional[ContainerHealthCheck] = Field(None, description="Container health check.")
    readonly_root_filesystem: bool = Field(True, description="Read-only root filesystem (FSBP ECS.5).")
    writable_paths: list[str] = Field(
        default_factory=list, description="Paths mounted writable (task storage), e.g. /tmp."
    )
    user: Optional[str] = Field(None, description='Run as this user, e.g. "1000" or "1000:1000".')
    stop_timeout: int = Field(30, ge=0, le=120, description="Seconds between SIGTERM and SIGKILL.")
    depends_on: list[DependsOn] = Field(default_factory=list, description="Start after these containers.")


class TargetHealthCheck(Model):
    path: str = Field("/health", description="HTTP path the ALB probes.")
    interval: int = Field(10, description="Seconds between probes (AWS default 30).")
    timeout: int = Field(5, description="Seconds before a probe fails.")
    healthy_threshold: int = Field(2, description="Successes before a target is healthy (AWS default 5).")
    unhealthy_threshold: int = Field(3, description="Failures before a target is unhealthy.")
    matcher: str = Field("200-399", description="HTTP codes that mean healthy.")


class Routing(Model):
    container: Optional[str] = Field(None, description="Container to route to (default: the one with a port).")
    port: Optional[int] = Field(None, description="Container port (default: that container's first port).")
    paths: list[str] = Field(default_factory=lambda: ["/*"], description="Path patterns of the listener rule.")
    hosts: list[str] = Field(default_factory=list, description="Host headers of the listener rule.")
    priority: Optional[int] = Field(None, description="Listener rule priority (default: derived, catch-all last).")
    health_check: TargetHealthCheck = Field(default_factory=TargetHealthCheck, description="ALB health check.")
    deregistration_delay: int = Field(30, description="Seconds to drain a target (AWS default 300).")
    health_check_grace_period: Optional[int] = Field(
        None, ge=0, description="Default: container startPeriod + interval x healthyThreshold."
    )


class Autoscaling(Model):
    min: int = Field(1, ge=0, description="Fewest tasks.")
    max: int = Field(ge=1, description="Most tasks.")
    cpu_target: Optional[int] = Field(70, description="Target average CPU % (null: off).")
    memory_target: Optional[int] = Field(None, description="Target average memory % (null: off).")
    requests_per_target: Optional[int] = Field(None, ge=1, description="Target ALB requests per task per minute.")
    scale_in_cooldown: int = Field(300, ge=0, description="Seconds after a scale-in before the next.")
    scale_out_cooldown: int = Field(60, ge=0, description="Seconds after a scale-out before the next.")


class Deployment(Model):
    minimum_healthy_percent: int = Field(100, ge=0, le=100, description="Keep this share running during deploys.")
    maximum_percent: int = Field(200, ge=100, le=200, description="Allow this share during deploys.")
    circuit_breaker: bool = Field(True, description="Stop and roll back a failing deployment.")
    wait_for_steady_state: bool = Field(True, description="`pulumi up` waits until the service is stable.")


class IamStatement(Model):
    actions: list[str] = Field(min_length=1, description='IAM actions, e.g. ["s3:GetObject"].')
    resources: list[str] = Field(min_length=1, description="ARNs the actions apply to.")
    effect: Literal["Allow", "Deny"] = Field("Allow", description="Allow or Deny.")


class TaskRole(Model):
    statements: list[IamStatement] = Field(default_factory=list, description="Inline policy of the task role.")
    managed_policy_arns: list[str] = Field(default_factory=list, description="Managed policies to attach.")


class Service(Model):
    cpu: int = Field(256, description="Task CPU units (1024 = 1 vCPU), a Fargate size.")
    memory: int = Field(512, description="Task memory (MiB), a Fargate pair of `cpu`.")
    architecture: Literal["X86_64", "ARM64"] = Field("X86_64", description="CPU architecture of the task.")
    desired_count: int = Field(1, ge=0, description="Tasks to run (the initial count with autoscaling).")
    ephemeral_storage: Optional[int] = Field(None, description="Task storage in GiB, 21-200 (20 included).")
    capacity_provider_strategy: Optional[list[StrategyItem]] = Field(
        None, description="Default: `cluster.capacityProviderStrategy`."
    )
    containers: dict[str, Container] = Field(description="Up to 10 containers, by name.")
    load_balancer: Optional[Routing] = Field(None, description="Route ALB traffic to this service.")
    autoscaling: Optional[Autoscaling] = Field(None, description="Application Auto Scaling (default: off).")
    deployment: Deployment = Field(default_factory=Deployment, description="Rolling deployment settings.")
    task_role: TaskRole = Field(default_factory=TaskRole, description="Permissions of the application.")
    log_retention_days: Optional[int] = Field(None, description="Default: `logs.retentionDays`.")
    assign_public_ip: Optional[bool] = Field(
        None, description="Default: only when the network has no NAT and no endpoints."
    )


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
        return {k: s for k, s in self.services.items() if s.load_balancer is not None}


# Config keys in the project namespace, with the model section each one holds.
SECTIONS: dict[str, type[Model]] = {
    "network": Network,
    "cluster": Cluster,
    "registry": Registry,
    "loadBalancer": LoadBalancer,
    "logs": Logs,
}
SCALARS = ("name", "protect", "tags", "services")
