"""Pinned AWS list prices (USD, Linux, on-demand) per region, with where and when they were read.

Prices change rarely but they do change: every table names its sources and the date its
figures were read, and says which figures could not be confirmed. Update a table by
reading the pages in `sources` again and changing `read_on`. A price that is not known
is absent (None / missing instance type): the estimate then says "not priced" instead of
guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PriceTable:
    region: str
    read_on: str
    sources: tuple[str, ...]
    fargate_vcpu_hour: dict[str, float]
    """Per vCPU-hour, by task CPU architecture (`X86_64`, `ARM64`)."""
    fargate_gb_hour: dict[str, float]
    """Per GB of task memory per hour, by CPU architecture."""
    fargate_ephemeral_gb_hour: float | None
    """Per GB-hour of task storage beyond the 20 GB included."""
    nat_gateway_hour: float
    nat_gateway_gb: float
    public_ipv4_hour: float
    """Every public IPv4 address: NAT Elastic IPs, ALB nodes, tasks with public IPs."""
    alb_hour: float
    alb_lcu_hour: float
    interface_endpoint_hour: float
    """Per interface endpoint per AZ (one ENI per subnet)."""
    interface_endpoint_gb: float
    logs_ingested_gb: float
    logs_stored_gb_month: float
    ecr_gb_month: float
    ebs_gp3_gb_month: float | None
    ec2_hour: dict[str, float] = field(default_factory=dict)
    """On-demand Linux price per instance-hour, by instance type."""
    alarm_month: float | None = None
    """A standard-resolution CloudWatch metric alarm, per month."""
    notes: tuple[str, ...] = ()


_COMMON_SOURCES = (
    "https://aws.amazon.com/fargate/pricing/",
    "https://aws.amazon.com/vpc/pricing/ (NAT gateway, public IPv4 address)",
    "https://aws.amazon.com/privatelink/pricing/ (interface endpoints)",
    "https://aws.amazon.com/elasticloadbalancing/pricing/",
    "https://aws.amazon.com/cloudwatch/pricing/ (Logs; alarms: $0.10 per standard-resolution alarm-month)",
    "https://aws.amazon.com/ecr/pricing/",
    "https://aws.amazon.com/ec2/pricing/on-demand/",
    "https://aws.amazon.com/ebs/pricing/",
)

US_EAST_1 = PriceTable(
    region="us-east-1",
    read_on="2026-11-25",
    sources=_COMMON_SOURCES,
    fargate_vcpu_hour={"X86_64": 0.04048, "ARM64": 0.03238},
    fargate_gb_hour={"X86_64": 0.004445, "ARM64": 0.00356},
    fargate_ephemeral_gb_hour=0.000111,
    nat_gateway_hour=0.045,
    nat_gateway_gb=0.045,
    public_ipv4_hour=0.005,
    alb_hour=0.0225,
    alb_lcu_hour=0.008,
    interface_endpoint_hour=0.01,
    interface_endpoint_gb=0.01,
    logs_ingested_gb=0.50,
    logs_stored_gb_month=0.03,
    ecr_gb_month=0.10,
    ebs_gp3_gb_month=0.08,
    alarm_month=0.10,
    ec2_hour={
        "t3.micro": 0.0104, "t3.small": 0.0208, "t3.medium": 0.0416, "t3.large": 0.0832, "t3.xlarge": 0.1664,
        "t3a.micro": 0.0094, "t3a.small": 0.0188, "t3a.medium": 0.0376, "t3a.large": 0.0752,
        "t3a.xlarge": 0.1504,
        "t4g.micro": 0.0084, "t4g.small": 0.0168, "t4g.medium": 0.0336, "t4g.large": 0.0672,
        "t4g.xlarge": 0.1344,
        "m6i.large": 0.096, "m6i.xlarge": 0.192, "m6i.2xlarge": 0.384,
        "m7i.large": 0.1008, "m7i.xlarge": 0.2016, "m7i.2xlarge": 0.4032,
        "m7g.medium": 0.0408, "m7g.large": 0.0816, "m7g.xlarge": 0.1632, "m7g.2xlarge": 0.3264,
        "c6i.large": 0.085, "c6i.xlarge": 0.17, "c6i.2xlarge": 0.34,
        "c7g.medium": 0.0363, "c7g.large": 0.0725, "c7g.xlarge": 0.145, "c7g.2xlarge": 0.29,
        "r6i.large": 0.126, "r6i.xlarge": 0.252, "r6i.2xlarge": 0.504,
    },
    notes=(
        "US East (N. Virginia) list prices; the public IPv4 price ($0.005/h) is the same in every region.",
        "Fargate Spot and EC2 Spot prices move with supply and demand; the estimate applies a stated "
        "discount instead (see the assumptions printed with it).",
    ),
)

AP_NORTHEAST_2 = PriceTable(
    region="ap-northeast-2",
    read_on="2026-11-25",
    sources=_COMMON_SOURCES + (
        "https://dev.classmethod.jp/articles/cost-optimize-of-logs-stored-on-cloudwatch-kr/ "
        "(Seoul CloudWatch Logs storage $0.0314/GB, 2023-11-17)",
    ),
    fargate_vcpu_hour={"X86_64": 0.04656, "ARM64": 0.03725},
    fargate_gb_hour={"X86_64": 0.00511, "ARM64": 0.00409},
    fargate_ephemeral_gb_hour=None,
    nat_gateway_hour=0.059,
    nat_gateway_gb=0.059,
    public_ipv4_hour=0.005,
    alb_hour=0.0225,
    alb_lcu_hour=0.008,
    interface_endpoint_hour=0.013,
    interface_endpoint_gb=0.01,
    logs_ingested_gb=0.76,
    logs_stored_gb_month=0.0314,
    ecr_gb_month=0.10,
    ebs_gp3_gb_month=0.0912,
    ec2_hour={
        "t3.micro": 0.013, "t3.small": 0.026, "t3.medium": 0.052, "t3.large": 0.104, "t3.xlarge": 0.208,
        "t3a.micro": 0.0117, "t3a.small": 0.0234, "t3a.medium": 0.0468, "t3a.large": 0.0936,
        "t3a.xlarge": 0.1872,
        "m6i.large": 0.118, "m6i.xlarge": 0.236, "m6i.2xlarge": 0.472,
        "c6i.large": 0.096, "c6i.xlarge": 0.192, "c6i.2xlarge": 0.384,
        "r6i.large": 0.152, "r6i.xlarge": 0.304, "r6i.2xlarge": 0.608,
    },
    notes=(
        "Asia Pacific (Seoul). The AWS pricing pages render their regional tables in the browser, so most "
        "Seoul figures could not be read from them here: they are the best known list prices, not confirmed "
        "on the date above. Check them before relying on a Seoul estimate.",
        "Confirmed by a second source: CloudWatch Logs storage $0.0314/GB-month; ALB $0.0225/h (unchanged "
        "since 2017 in third-party price tables); EC2 t3/t3a and the large sizes of m5/c5/r5, which m6i/c6i/"
        "r6i match in price.",
        "Conflicting sources: NAT gateway per hour (0.045, 0.048 and 0.059 all appear in third-party tables; "
        "0.059 is AWS's rate in the neighbouring Asia Pacific regions and is used here).",
        "Unknown here and therefore not priced: extra Fargate ephemeral storage; EC2 t4g, m7i, m7g and c7g; "
        "CloudWatch alarms.",
    ),
)

TABLES: dict[str, PriceTable] = {t.region: t for t in (US_EAST_1, AP_NORTHEAST_2)}
FALLBACK_REGION = "us-east-1"


def table_for(region: str) -> tuple[PriceTable, bool]:
    """The table for `region`, and whether it is that region's own (False: us-east-1 stands in)."""
    if region in TABLES:
        return TABLES[region], True
    return TABLES[FALLBACK_REGION], False
