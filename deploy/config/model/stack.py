"""The stack-wide sections (network, cluster, registry, loadBalancer, logs) and the whole stack."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...aws import limits
from ..terraform_state import NetworkIds
from .base import Model, StrategyItem
from .service import Service
from .types import (
    Bounds,
    BucketName,
    CertificateArn,
    CertificateName,
    Email,
    IngressCidr,
    InstanceType,
    KmsKeyArn,
    Prefix,
    RetentionDays,
    SecurityGroupIds,
    SnsTopicArn,
    TerraformStateLocation,
    TlsPolicy,
    VpcCidr,
    VpcId,
    WebAclArn,
    count,
)

ServiceName = str  # checked by the rules (lowercase letters, digits, hyphens): a key, not a value


# --- network -----------------------------------------------------------------------------


class FlowLogs(Model):
    enabled: bool = Field(True, description="VPC flow logs to CloudWatch Logs (FSBP EC2.6).")
    retention_days: RetentionDays = Field(30, description="Flow log retention in days (a CloudWatch value).")
    traffic_type: Literal["ALL", "ACCEPT", "REJECT"] = Field("ALL", description="Traffic to log.")


class Endpoints(Model):
    s3: bool = Field(False, description="S3 gateway endpoint (free; ECR image layers come from S3).")
    interface: list[Literal["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "kms", "sts", "sqs", "ecs",
                            "ecs-agent", "ecs-telemetry", "ssmmessages"]] = Field(
        default_factory=list,
        description="Interface endpoints in every private subnet (about $7.30 per AZ per month each).",
    )


class TerraformOutputs(Model):
    """Which root-module outputs of a Terraform state hold the network's IDs. The defaults are the output names of
    the terraform-aws-modules/vpc module, re-exported under the same names by the root module."""

    vpc_id: str = Field("vpc_id", min_length=1, description="Output holding the VPC ID.")
    public_subnet_ids: str = Field("public_subnets", min_length=1,
                                   description="Output holding the public subnet IDs (a list).")
    private_subnet_ids: str = Field("private_subnets", min_length=1,
                                    description="Output holding the private subnet IDs (a list).")
    private_route_table_ids: str = Field("private_route_table_ids", min_length=1,
                                         description="Output holding the private route table IDs (a list); read "
                                                     "only with `network.endpoints.s3`.")


class FromTerraform(Model):
    state: TerraformStateLocation = Field(
        description="The Terraform state (format version 4, Terraform 0.12 and later): a local file, relative to "
                    "the project directory, read when the config is loaded (so the offline plan shows its IDs); or "
                    "`s3://bucket/key`, read with the stack's AWS credentials when the program runs under `pulumi "
                    "preview` / `up` (the offline commands refuse it: plan from a local copy, `terraform state pull "
                    "> tf.tfstate`).")
    outputs: TerraformOutputs = Field(default_factory=TerraformOutputs,
                                      description="Output names to read (below; defaults: terraform-aws-modules/vpc).")


class ExistingNetwork(Model):
    vpc_id: VpcId | None = Field(None, description="ID of an existing VPC (vpc-...); required unless "
                                                    "`fromTerraform` is given.")
    public_subnet_ids: list[str] | None = Field(None, min_length=2, description="Public subnets, one per AZ, for "
                                                                                "the ALB; required unless "
                                                                                "`fromTerraform` is given.")
    private_subnet_ids: list[str] | None = Field(None, min_length=2, description="Private subnets, one per AZ, for "
                                                                                 "tasks and interface endpoints; "
                                                                                 "required unless `fromTerraform` "
                                                                                 "is given.")
    private_route_table_ids: list[str] | None = Field(
        None, min_length=1, description="Route tables of the private subnets, for the S3 gateway endpoint; required "
                                        "with `network.endpoints.s3` unless `fromTerraform` is given.")
    from_terraform: FromTerraform | None = Field(
        None, description="Read the four IDs above from a Terraform state's outputs instead of writing them "
                          "(below); not together with them.")


class NatInstance(Model):
    type: InstanceType = Field("t4g.nano", description="EC2 instance type of the NAT instance (burstable types: a "
                                                       "low network baseline with bursts on credits).")
    per_az: bool = Field(False, description="One NAT instance per AZ (each AZ's subnets use their own) instead of "
                                            "one for all AZs.")


class Network(Model):
    cidr: VpcCidr = Field("10.0.0.0/16", description="VPC IPv4 range, /16 to /23 (/22 or larger with web services: "
                                                     "the ALB needs /27 subnets).")
    az_count: Annotated[int, Bounds(2, 6)] = Field(2, description="Availability Zones to span (an ALB needs 2).")
    availability_zones: list[str] | None = Field(
        None, description="Explicit AZ names; default: the region's first `azCount` AZs."
    )
    nat: Literal["none", "single", "per-az", "instance", "regional"] = Field(
        "single",
        description="How private subnets reach the internet: `none` (tasks get public IPs unless endpoints are "
        "on, which fails the mandatory policy control ECS.2), `single` (one NAT gateway shared by every AZ), "
        "`per-az` (one NAT gateway per AZ: survives an AZ outage), `instance` (a NAT instance: an EC2 instance "
        "of `natInstance.type`, about a tenth of a NAT gateway's price, throughput of that type) or `regional` "
        "(one regional NAT gateway that AWS spreads over every AZ with tasks).",
    )
    nat_instance: NatInstance | None = Field(None, description="The NAT instance, with `nat: instance` (below).")
    flow_logs: FlowLogs = Field(default_factory=FlowLogs, description="VPC flow logs (below).")
    endpoints: Endpoints = Field(default_factory=Endpoints, description="VPC endpoints (below).")
    existing: ExistingNetwork | None = Field(None, description="Use this VPC instead of creating one (below; "
                                                                "`endpoints` apply to it, the other keys do not).")


# --- cluster -----------------------------------------------------------------------------


def _default_strategy() -> list[StrategyItem]:
    return [StrategyItem(provider="FARGATE", weight=1)]


class Ec2Capacity(Model):
    instance_types: list[InstanceType] = Field(min_length=1, description="Instance types, one architecture (e.g. "
                                                                "[m7g.large, m6g.large]); the first is preferred.")
    min_size: Annotated[int, count()] = Field(1, description="Fewest instances.")
    max_size: Annotated[int, count(1)] = Field(4, description="Most instances.")
    on_demand_base: Annotated[int, count()] = Field(
        0, description="Instances always on demand before the Spot share applies.")
    spot_percentage: Annotated[int, Bounds(0, 100)] = Field(0, description="Share of instances above the base bought on Spot.")
    target_capacity: Annotated[int, Bounds(1, 100)] = Field(100, description="Managed scaling: % of the group tasks should "
                                                                "use (below 100 keeps spare instances).")
    root_volume_size: Annotated[int, Bounds(30, 16384)] = Field(30, description="Encrypted gp3 root volume in GiB (the AMI "
                                                                   "needs 30).")
    volume_kms_key_arn: KmsKeyArn | None = Field(None, description="KMS key for the root volume; its key policy "
                                                                   "must let the Auto Scaling service-linked role use "
                                                                   "it (docs/operations.md, KMS keys) (default: AWS "
                                                                "managed).")
    agent_stop_timeout: Annotated[int, Bounds(1, 120, " s")] = Field(30, description="ECS_CONTAINER_STOP_TIMEOUT in seconds.")
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
    ec2: Ec2Capacity | None = Field(None, description="EC2 capacity (an Auto Scaling group) beside Fargate.")


# --- registry ----------------------------------------------------------------------------


class Registry(Model):
    encryption: Literal["AES256", "KMS"] = Field("AES256", description="ECR encryption at rest.")
    kms_key_arn: KmsKeyArn | None = Field(None, description="KMS key for `encryption: KMS` (default: AWS managed).")
    untagged_expiry_days: Annotated[int, Bounds(1, 3650)] = Field(7, description="Delete untagged images after N days.")
    keep_tagged: Annotated[int, Bounds(1, 10000)] = Field(30, description="Keep the last N tagged images.")
    force_delete: bool = Field(False, description="Allow deleting a repository that still holds images.")


# --- load balancer -----------------------------------------------------------------------


class AccessLogs(Model):
    bucket: BucketName = Field(description="S3 bucket for ALB access logs (its policy must allow ELB to write).")
    prefix: str = Field("", description="Key prefix inside the bucket.")


class LoadBalancer(Model):
    internal: bool = Field(
        False, description="An internal ALB (scheme `internal`) in the private subnets, for services reached only "
                           "from inside the VPC or networks routed to it; it has no public IP addresses.")
    ingress_cidrs: Annotated[list[IngressCidr], Field(min_length=1)] | None = Field(
        None, description="IPv4 ranges that may reach ports 80/443 (default, when `ingressSecurityGroupIds` is not "
                          "set either: 0.0.0.0/0, or the VPC's range when `internal`).")
    ingress_security_group_ids: SecurityGroupIds = Field(
        default_factory=list, description="Security groups (sg-..., in the ALB's VPC) whose members may reach "
                                          "ports 80/443, e.g. a bastion's or another application's.")
    https: bool | None = Field(None, description="Serve HTTPS (default: on when a certificate is set).")
    certificate_arn: CertificateArn | None = Field(None, description="ACM certificate: enables HTTPS.")
    domain: str | None = Field(None, description="Domain to issue a DNS-validated certificate for.")
    hosted_zone_id: str | None = Field(None, description="Route 53 zone of `domain` (validation + alias).")
    alternative_names: list[CertificateName] = Field(
        default_factory=list, description="More names on the certificate issued for `domain` (subject alternative "
                                          "names, e.g. www.example.com or *.example.com), validated in the same "
                                          "zone; 9 at most (ACM's default quota: 10 names, `domain` included). "
                                          "Each service host a name covers gets an alias record to the ALB. "
                                          "Changing the list replaces the certificate.")
    web_acl_arn: WebAclArn | None = Field(
        None, description="A regional AWS WAF web ACL of the stack's Region to associate with the ALB (the ACL is "
                          "yours: the stack attaches it, never creates or changes it).")
    tls_policy: TlsPolicy = Field(limits.DEFAULT_TLS_POLICY, description="TLS policy of the HTTPS listener.")
    deletion_protection: bool = Field(False, description="Refuse to delete the ALB (on in prod).")
    idle_timeout: Annotated[int, Bounds(1, 4000, " s")] = Field(60, description="Idle connection timeout in seconds.")
    access_logs: AccessLogs | None = Field(None, description="ALB access logs to S3 (FSBP ELB.5).")
    expected_lcu: Annotated[float, Bounds(0, 100000)] = Field(
        1.0, description="Load balancer capacity units the ALB is expected to use on average: what `cost` prices "
                         "it at. One LCU is 25 new connections/s, 3,000 active connections/min, 1 GB processed/h "
                         "or 1,000 rule evaluations/s, whichever is highest (ELB pricing page).")


# --- logs --------------------------------------------------------------------------------


class Logs(Model):
    retention_days: RetentionDays = Field(30, description="Container log retention (a CloudWatch value).")
    kms_key_arn: KmsKeyArn | None = Field(None, description="KMS key for log groups; its key policy must let "
                                                            "CloudWatch Logs use it (docs/operations.md, KMS keys) "
                                                            "(default: AWS owned).")


class Alerts(Model):
    email: list[Email] = Field(
        default_factory=list, description="Addresses the stack's alarms notify, through an SNS topic the stack "
                                          "creates (each address confirms its subscription by email).")
    sns_topic_arn: SnsTopicArn | None = Field(
        None, description="An existing SNS topic the alarms also notify (its policy must let CloudWatch publish; a "
                          "KMS-encrypted topic's key must let cloudwatch.amazonaws.com use it).")


# --- the stack ---------------------------------------------------------------------------


class StackConfig(Model):
    """Everything `Pulumi.<stack>.yaml` can say, in the project namespace plus `aws:region`."""

    project: str
    stack: str
    region: str
    name: Prefix | None = Field(
        None, description="Prefix of resource names (default: the stack name). At most 20 characters: the load "
                          "balancer's name `<name>-alb` plus Pulumi's 8-character suffix must fit ELB's 32.")
    protect: bool = Field(
        False, description="Protect the stack: `destroy` refuses it and `pulumi destroy` stops at its stateful "
                           "resources. Also marks it production for `check` (ELB.6 becomes mandatory; "
                           "docs/policies.md, Production).")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags on every resource.")
    dashboard: bool = Field(
        True, description="One CloudWatch dashboard for the stack, `<project>-<stack>`: per ECS service CPU and "
                          "memory, running vs desired tasks (with Container Insights), its target groups' requests, "
                          "5XX, p99 response time and healthy hosts, its queue's backlog and oldest message. "
                          "$3 a month (the first 3 dashboards of an account are free).")
    network: Network = Field(default_factory=Network)
    cluster: Cluster = Field(default_factory=Cluster)
    registry: Registry = Field(default_factory=Registry)
    load_balancer: LoadBalancer = Field(default_factory=LoadBalancer)
    logs: Logs = Field(default_factory=Logs)
    alerts: Alerts = Field(default_factory=Alerts, description="Who hears about an alarm (default: nobody; the "
                                                               "rollback alarms still roll deployments back).")
    services: dict[ServiceName, Service] = Field(
        default_factory=dict,
        description="The workloads by name: lowercase letters, digits and hyphens. A web service's name and the "
                    "prefix have at most 20 characters together (its target group `<prefix>-<service>-tg` plus "
                    "Pulumi's 8-character suffix must fit ELB's 32): 16 with the prefix `prod`, 17 with `dev`; "
                    "workers and scheduled tasks have 40 (IAM role names).")
    secret_keys: frozenset[str] = Field(default_factory=frozenset, exclude=True)
    terraform_network: NetworkIds | None = Field(None, exclude=True)
    """The IDs `network.existing.fromTerraform` read from its state (set by `parse`, not written by the user)."""


# Config keys in the project namespace, with the model section each one holds.
SECTIONS: dict[str, type[Model]] = {
    "network": Network,
    "cluster": Cluster,
    "registry": Registry,
    "loadBalancer": LoadBalancer,
    "logs": Logs,
    "alerts": Alerts,
}
SCALARS = ("name", "protect", "tags", "dashboard", "services")
