"""Read a rendered stack (the offline plan) into an itemised monthly estimate (pure).

Works on what the engine would send to AWS (`Rendered.resources`: type, camelCase inputs,
mock `state`), so it prices exactly what `pulumi up` would create, whichever component
created it. Relationships are followed by value, as AWS does: a service's `taskDefinition`
is its task definition's ARN, a NAT gateway's `allocationId` its Elastic IP's ID.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from .prices import PriceTable, table_for

NAT = "aws:ec2/natGateway:NatGateway"
EIP = "aws:ec2/eip:Eip"
ALB = "aws:lb/loadBalancer:LoadBalancer"
SERVICE = "aws:ecs/service:Service"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
CLUSTER_PROVIDERS = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
SCALING_TARGET = "aws:appautoscaling/target:Target"
ASG = "aws:autoscaling/group:Group"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
REPOSITORY = "aws:ecr/repository:Repository"

# Types that cost nothing by themselves (or are priced through another line).
FREE = frozenset({
    "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/routeTable:RouteTable", "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation", "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", FLOW_LOG, "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/instanceProfile:InstanceProfile", "aws:ecs/cluster:Cluster", CLUSTER_PROVIDERS,
    "aws:ecs/capacityProvider:CapacityProvider", "aws:ecs/accountSettingDefault:AccountSettingDefault",
    TASK_DEFINITION, LAUNCH_TEMPLATE, "aws:lb/listener:Listener", "aws:lb/listenerRule:ListenerRule",
    "aws:lb/targetGroup:TargetGroup", SCALING_TARGET, "aws:appautoscaling/policy:Policy",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy", "aws:ecr/repositoryPolicy:RepositoryPolicy", "awsx:ecr:Image",
    "aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation",
    "aws:route53/record:Record",
})
PRICED = frozenset({NAT, EIP, ALB, SERVICE, ASG, ENDPOINT, LOG_GROUP, REPOSITORY})
NOT_INCLUDED = (
    "data transfer out to the internet and between AZs",
    "data processed by NAT gateways and interface endpoints (per GB; see the price table)",
    "ALB LCUs above the assumed average, Container Insights metrics, CloudWatch alarms and dashboards",
    "Savings Plans and Reserved Instances (list prices only)",
)


@dataclass(frozen=True)
class Assumptions:
    """What the plan cannot say. Printed with every estimate."""

    alb_lcu: float = 1.0
    fargate_spot_discount: float = 0.70
    ec2_spot_discount: float = 0.60
    log_gb_per_task: float = 1.0
    flow_log_gb: float = 1.0
    ecr_gb_per_repository: float = 1.0
    ebs_root_gb: int = 30
    never_expire_months: float = 12

    def lines(self) -> list[str]:
        return [
            "730 hours a month; every resource runs all month; list prices in USD, before tax.",
            f"each ALB averages {self.alb_lcu:g} LCU (new connections, active connections, bytes, rule "
            "evaluations: whichever is highest) and has one public IPv4 address per AZ of its subnets.",
            f"Fargate Spot costs {1 - self.fargate_spot_discount:.0%} of on-demand (AWS: up to 70% off; "
            "the real Spot price varies by region and over time); EC2 Spot instances cost "
            f"{1 - self.ec2_spot_discount:.0%} of on-demand.",
            "services run `desiredCount` tasks; tasks beyond a strategy's base split by weight (fractions are "
            "expected values); autoscaled services also show their min..max range.",
            "EC2 Auto Scaling groups run `minSize` instances (ECS managed scaling adds more as tasks need "
            f"them); mixed instances are priced at the first override's type; root volumes gp3, "
            f"{self.ebs_root_gb} GiB unless the launch template says otherwise.",
            f"each running task writes {self.log_gb_per_task:g} GB of logs a month; each VPC flow-log group "
            f"receives {self.flow_log_gb:g} GB; storage is counted uncompressed once retention is full "
            f"(never-expiring groups after {self.never_expire_months:g} months).",
            f"each ECR repository holds {self.ecr_gb_per_repository:g} GB of images.",
        ]


@dataclass(frozen=True)
class Line:
    category: str
    item: str
    quantity: float
    unit: str
    unit_price: Optional[float]
    """None: not in the price table; the line then costs nothing and says so."""
    resources: tuple[str, ...] = ()
    note: str = ""

    @property
    def monthly(self) -> float:
        return self.quantity * self.unit_price if self.unit_price is not None else 0.0


@dataclass
class Estimate:
    project: str
    stack: str
    region: str
    table: PriceTable
    own_table: bool
    assumptions: Assumptions
    lines: list[Line] = field(default_factory=list)
    unpriced_types: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(line.monthly for line in self.lines)

    def by_category(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for line in self.lines:
            totals[line.category] = totals.get(line.category, 0.0) + line.monthly
        return totals


def estimate(rendered: Any, region: str, assumptions: Assumptions = Assumptions(),
             table: Optional[PriceTable] = None) -> Estimate:
    """Itemise the monthly cost of everything in `rendered` at `region`'s prices."""
    own = True
    if table is None:
        table, own = table_for(region)
    est = Estimate(rendered.project, rendered.stack, region, table, own, assumptions)
    view = _View(rendered.resources)
    from . import lines as build

    for section in (build.network, build.load_balancers, build.endpoints, build.services, build.ec2_groups,
                    build.logs, build.registries):
        est.lines.extend(section(view, table, assumptions))
    for r in view.custom:
        if r.type not in FREE and r.type not in PRICED:
            est.unpriced_types[r.type] = est.unpriced_types.get(r.type, 0) + 1
    return est


class _View:
    """Lookups over the rendered resources (custom resources only: components cost nothing)."""

    def __init__(self, resources: list[Any]):
        self.custom = [r for r in resources if r.custom]

    def of(self, type_: str) -> list[Any]:
        return sorted((r for r in self.custom if r.type == type_), key=lambda r: r.name)

    def by_id(self, type_: str, id_: Any) -> Optional[Any]:
        return next((r for r in self.of(type_) if id_ is not None and r.id == id_), None)

    def by_arn(self, type_: str, arn: Any) -> Optional[Any]:
        return next((r for r in self.of(type_) if arn is not None and r.state.get("arn") == arn), None)


def container_log_groups(task_definition: Any) -> set[str]:
    """Log groups the containers of a task definition write to (awslogs driver)."""
    raw = task_definition.inputs.get("containerDefinitions") or "[]"
    try:
        containers = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return set()
    groups = set()
    for c in containers if isinstance(containers, list) else []:
        options = ((c or {}).get("logConfiguration") or {}).get("options") or {}
        if options.get("awslogs-group"):
            groups.add(options["awslogs-group"])
    return groups
