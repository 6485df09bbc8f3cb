"""Pinned AWS list prices (USD, Linux, on-demand) per region, with where and when they were read.

Prices change rarely but they do change: every table names its sources and the date its
figures were read, and says which figures could not be confirmed. Update a table by
reading the pages in `sources` again and changing `read_on`. A price that is not known
is absent (None / missing instance type): the estimate then says "not priced" instead of
guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import ec2_prices


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
    custom_metric_month: float | None = None
    """A CloudWatch custom metric (first 10,000 an account), per month: what Container Insights metrics cost."""
    dashboard_month: float | None = None
    """A CloudWatch dashboard, per month (the first 3 an account are free)."""
    efs_standard_gb_month: float | None = None
    """EFS Standard storage (Regional), per GB-month; None: not priced in this region."""
    regional_nat_gateway_az_hour: float | None = None
    """A regional NAT gateway, per AZ it is active in, per hour: not confirmed, so not priced."""
    notes: tuple[str, ...] = ()


_COMMON_SOURCES = (
    "https://aws.amazon.com/fargate/pricing/",
    "https://aws.amazon.com/vpc/pricing/ (NAT gateway, public IPv4 address)",
    "https://aws.amazon.com/privatelink/pricing/ (interface endpoints)",
    "https://aws.amazon.com/elasticloadbalancing/pricing/",
    "https://aws.amazon.com/cloudwatch/pricing/ (Logs; alarms: $0.10 per standard-resolution alarm-month; "
    "custom metrics $0.30 per metric-month for the first 10,000; dashboards $3.00 per dashboard-month)",
    "https://aws.amazon.com/ecr/pricing/",
    "https://aws.amazon.com/ec2/pricing/on-demand/",
    "https://aws.amazon.com/ebs/pricing/",
)

US_EAST_1 = PriceTable(
    region="us-east-1",
    read_on="2026-11-25",
    sources=_COMMON_SOURCES + tuple(f"EC2 on-demand: {x}" for x in ec2_prices.US_EAST_1_SOURCES),
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
    custom_metric_month=0.30,
    dashboard_month=3.00,
    # https://aws.amazon.com/efs/pricing/ (stored copy of AWS's page, its example: "$0.30/GB-month"; the
    # page's default region is US East (N. Virginia)). Not in the printed sources, which are the same for
    # every stack: each EFS line names it in its note instead.
    efs_standard_gb_month=0.30,
    ec2_hour=ec2_prices.US_EAST_1,
    notes=(
        "US East (N. Virginia) list prices; the public IPv4 price ($0.005/h) is the same in every region.",
        "Fargate Spot and EC2 Spot prices move with supply and demand; the estimate applies a stated "
        "discount instead (see the assumptions printed with it).",
        "Regional NAT gateways (availabilityMode regional, November 2025) are billed per AZ they are active in; "
        "their rate could not be confirmed from AWS's price page here, so they are listed as not priced.",
    ),
)

AP_NORTHEAST_2 = PriceTable(
    region="ap-northeast-2",
    read_on="2026-11-25",
    sources=_COMMON_SOURCES + (
        "https://dev.classmethod.jp/articles/cost-optimize-of-logs-stored-on-cloudwatch-kr/ "
        "(Seoul CloudWatch Logs storage $0.0314/GB, 2023-11-17)",
        *(f"EC2 on-demand: {x}" for x in ec2_prices.AP_NORTHEAST_2_SOURCES),
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
    ec2_hour=ec2_prices.AP_NORTHEAST_2,
    notes=(
        "Asia Pacific (Seoul). The AWS pricing pages render their regional tables in the browser, so most "
        "Seoul figures could not be read from them here: they are the best known list prices, not confirmed "
        "on the date above. Check them before relying on a Seoul estimate.",
        "Confirmed by a second source: CloudWatch Logs storage $0.0314/GB-month; ALB $0.0225/h (unchanged "
        "since 2017 in third-party price tables); EC2 t3/t3a and the large sizes of m5/c5/r5, which m6i/c6i/"
        "r6i match in price.",
        "Conflicting sources: NAT gateway per hour (0.045, 0.048 and 0.059 all appear in third-party tables; "
        "0.059 is AWS's rate in the neighbouring Asia Pacific regions and is used here).",
        "Unknown here and therefore not priced: extra Fargate ephemeral storage; CloudWatch alarms, custom "
        "metrics (Container Insights) and dashboards; the EC2 types named below.",
        *ec2_prices.NOTES,
    ),
)

TABLES: dict[str, PriceTable] = {t.region: t for t in (US_EAST_1, AP_NORTHEAST_2)}
FALLBACK_REGION = "us-east-1"


def table_for(region: str) -> tuple[PriceTable, bool]:
    """The table for `region`, and whether it is that region's own (False: us-east-1 stands in)."""
    if region in TABLES:
        return TABLES[region], True
    return TABLES[FALLBACK_REGION], False
