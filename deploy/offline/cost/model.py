"""The arithmetic of the estimate: counts and prices to dollars per month (pure).

Everything is a steady month of 730 hours, as AWS's own calculator assumes. Fractions of a
task or an instance are kept: they are expected values (e.g. a quarter of the tasks beyond
the base land on on-demand capacity), not something AWS bills as such.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ...aws import tokens as t

HOURS_PER_MONTH = 730
DAYS_PER_MONTH = HOURS_PER_MONTH / 24
INCLUDED_EPHEMERAL_GB = 20

# Types that cost nothing by themselves (or are priced through another line).
FREE = frozenset({
    t.VPC, t.SUBNET, t.ROUTE_TABLE, t.ROUTE, t.ROUTE_TABLE_ASSOCIATION, t.INTERNET_GATEWAY, t.SECURITY_GROUP,
    t.DEFAULT_SECURITY_GROUP, t.INGRESS_RULE, t.EGRESS_RULE, t.FLOW_LOG, t.ROLE, t.ROLE_POLICY,
    t.ROLE_POLICY_ATTACHMENT, t.INSTANCE_PROFILE, t.CLUSTER_CAPACITY_PROVIDERS, t.CAPACITY_PROVIDER,
    t.ACCOUNT_SETTING, t.TASK_DEFINITION, t.LAUNCH_TEMPLATE, t.LISTENER, t.LISTENER_RULE, t.TARGET_GROUP,
    t.SCALING_TARGET, t.SCALING_POLICY, t.LIFECYCLE_POLICY, t.REPOSITORY_POLICY, t.IMAGE, t.CERTIFICATE,
    t.CERTIFICATE_VALIDATION, t.RECORD, t.NETWORK_INTERFACE, t.SNS_TOPIC_POLICY, t.SNS_SUBSCRIPTION,
    t.EFS_MOUNT_TARGET,
    # "Auto scaling ... is available at no additional charge beyond the service fees for CloudWatch and the other
    # AWS resources that you use" (https://docs.aws.amazon.com/autoscaling/index.html): scheduled actions and
    # predictive policies (Policy above) cost nothing themselves; the tasks they start are the service's line.
    t.SCHEDULED_ACTION,
})
PRICED = frozenset({t.SCHEDULE, t.NAT_GATEWAY, t.EIP, t.LOAD_BALANCER, t.SERVICE, t.ASG, t.VPC_ENDPOINT, t.LOG_GROUP,
                    t.REPOSITORY, t.METRIC_ALARM, t.CLUSTER, t.DASHBOARD, t.EFS_FILE_SYSTEM})
# Types billed only per request or per use, which the plan cannot count: listed by name with every
# estimate (`perRequest`), never folded silently into the total.
PER_REQUEST = {
    t.QUEUE: "SQS queues (per million requests; the first million a month are free)",
    t.SCHEDULE: "EventBridge Scheduler invocations (per million; 14 million a month are free)",
    t.HTTP_NAMESPACE: "Cloud Map namespaces (per registered instance and per million lookups)",
    t.SNS_TOPIC: "SNS topics (per published message and per notification delivered: each alarm that fires or clears)",
    t.EFS_BACKUP_POLICY: "AWS Backup of EFS file systems (per GB-month of recovery points kept, and per GB restored)",
    # The association itself is free; the web ACL it attaches is outside the stack and billed to its owner.
    t.WEB_ACL_ASSOCIATION: "AWS WAF: the attached web ACL, outside the stack (per web ACL, rule and million requests "
                           "it inspects)",
}
NOT_INCLUDED = (
    "data transfer out to the internet and between AZs",
    "traffic above the assumed monthly GB through NAT gateways and interface endpoints",
    "ALB LCUs above the assumed average",
    "the CloudWatch free tier (10 custom metrics, 10 alarms and 3 dashboards an account a month)",
    "Savings Plans and Reserved Instances (list prices only)",
)


CONTAINER_INSIGHTS_METRICS = {"cluster": 11, "service": 13, "family": 8}
"""Custom metrics Container Insights publishes for ECS, counted from its metric list ("Amazon ECS Container
Insights metrics", CloudWatch User Guide; awsdocs/amazon-cloudwatch-user-guide,
doc_source/Container-Insights-metrics-ECS.md): eight metrics (CPU and memory utilised and reserved, network
rx/tx, storage read/write) under each of ClusterName, ClusterName+ServiceName and
ClusterName+TaskDefinitionFamily; ContainerInstanceCount, ServiceCount and TaskCount per cluster;
DeploymentCount, DesiredTaskCount, PendingTaskCount, RunningTaskCount and TaskSetCount per service."""


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
    run_seconds: Mapping[str, int] = field(default_factory=dict)
    """Schedule logical name -> seconds a run takes (`schedule.expectedDuration`); others take
    `default_run_seconds`."""
    default_run_seconds: int = 300
    busy_fraction: Mapping[str, float] = field(default_factory=dict)
    """ECS service logical name -> share of the month at `max` tasks (`autoscaling.expectedBusyFraction`)."""
    efs_gb: Mapping[str, float] = field(default_factory=dict)
    """EFS file system logical name -> GB stored (`efs.expectedGb`); others hold `default_efs_gb`."""
    default_efs_gb: float = 1.0
    traffic_gb: float = 10.0
    """GB a month the private subnets send out (image pulls, API calls): what NAT gateways and interface
    endpoints process (`cost --traffic-gb`)."""

    SCALING_SCHEDULES = ("scheduled scaling (`autoscaling.schedules`) and predictive scaling are not priced by time "
                         "of day: a service's tasks are priced as above, and its min..max range widens to the "
                         "schedules' min and max.")

    def lines(self) -> list[str]:
        return [
            "730 hours a month; every resource runs all month; list prices in USD, before tax.",
            f"each ALB averages {self.alb_lcu:g} LCU (`loadBalancer.expectedLcu`; new connections, active "
            "connections, bytes, rule evaluations: whichever is highest) and, unless internal, has one public "
            "IPv4 address per AZ of its subnets.",
            f"Fargate Spot costs {1 - self.fargate_spot_discount:.0%} of on-demand (AWS: up to 70% off; "
            "the real Spot price varies by region and over time); EC2 Spot instances cost "
            f"{1 - self.ec2_spot_discount:.0%} of on-demand.",
            "services run `desiredCount` tasks; tasks beyond a strategy's base split by weight (fractions are "
            "expected values); autoscaled services also show their min..max range; those that scale to zero are "
            "priced at min + expectedBusyFraction x (max - min), at min when no fraction is set.",
            "EC2 Auto Scaling groups run `minSize` instances (ECS managed scaling adds more as tasks need "
            f"them); mixed instances are priced at the first override's type; root volumes gp3, "
            f"{self.ebs_root_gb} GiB unless the launch template says otherwise.",
            f"each running task writes {self.log_gb_per_task:g} GB of logs a month; each VPC flow-log group "
            f"receives {self.flow_log_gb:g} GB; storage is counted uncompressed once retention is full "
            f"(never-expiring groups after {self.never_expire_months:g} months).",
            f"each ECR repository holds {self.ecr_gb_per_repository:g} GB of images.",
            *(["each EFS file system holds `efs.expectedGb` GB (default "
               f"{self.default_efs_gb:g}) in Standard storage, bursting throughput (no charge of its own)."]
              if self.efs_gb else []),
            f"the private subnets send {self.traffic_gb:g} GB a month out (`cost --traffic-gb N`): through the NAT "
            "gateways when there are any, else through the interface endpoints; a NAT instance charges no "
            "processing fee.",
            "a scheduled task runs as often as its expression says for `schedule.expectedDuration` seconds "
            f"(default {self.default_run_seconds} s); `at()` runs once, not counted monthly.",
            "Container Insights (standard) publishes "
            f"{CONTAINER_INSIGHTS_METRICS['cluster']} custom metrics per cluster, "
            f"{CONTAINER_INSIGHTS_METRICS['service']} per service and "
            f"{CONTAINER_INSIGHTS_METRICS['family']} per task definition family (its ECS metric list), all month.",
        ]


@dataclass(frozen=True)
class Line:
    category: str
    item: str
    quantity: float
    unit: str
    unit_price: float | None
    """None: not in the price table; the line then costs nothing and says so."""
    resources: tuple[str, ...] = ()
    note: str = ""

    @property
    def monthly(self) -> float:
        return self.quantity * self.unit_price if self.unit_price is not None else 0.0




def monthly(hourly_price: float, count: float = 1.0) -> float:
    """`count` things running all month at `hourly_price` each."""
    return count * hourly_price * HOURS_PER_MONTH


def task_hour_price(vcpu: float, memory_gb: float, vcpu_hour: float, gb_hour: float,
                    discount: float = 0.0) -> float:
    """Price of one Fargate task-hour of this size (a Spot discount of 0.7 pays 30 %)."""
    return (vcpu * vcpu_hour + memory_gb * gb_hour) * (1.0 - discount)


def split_by_strategy(tasks: float, strategy: Sequence[tuple[str, int, int]]) -> dict[str, float]:
    """Expected tasks per capacity provider for `(provider, base, weight)` entries.

    ECS first places each provider's `base` tasks (in strategy order), then spreads the
    rest in proportion to the weights. With no weight at all, the rest stays on the first
    provider (ECS refuses such a strategy for new tasks; this keeps the estimate total).
    """
    shares = {provider: 0.0 for provider, _, _ in strategy}
    remaining = float(tasks)
    for provider, base, _ in strategy:
        placed = min(float(base), remaining)
        shares[provider] += placed
        remaining -= placed
    if remaining > 0 and strategy:
        weights = sum(weight for _, _, weight in strategy)
        if weights == 0:
            shares[strategy[0][0]] += remaining
        else:
            for provider, _, weight in strategy:
                shares[provider] += remaining * weight / weights
    return shares


def asg_split(instances: int, on_demand_base: int, on_demand_percentage: int) -> tuple[float, float]:
    """(on-demand, Spot) instances of a mixed-instances Auto Scaling group of `instances`."""
    base = min(on_demand_base, instances)
    above = instances - base
    on_demand = base + above * on_demand_percentage / 100
    return on_demand, instances - on_demand


def stored_gb(monthly_gb: float, retention_days: int | None, never_expire_months: float) -> float:
    """GB a log group holds once its retention is full: a month's logs times the months kept.

    Groups that never expire keep growing; they are counted after `never_expire_months`.
    """
    months = retention_days / DAYS_PER_MONTH if retention_days else never_expire_months
    return monthly_gb * months


def extra_ephemeral_gb(size_gib: int | None) -> int:
    """Task storage billed beyond the 20 GB Fargate includes."""
    return max(0, (size_gib or 0) - INCLUDED_EPHEMERAL_GB)


_RATE_MINUTES = {"minute": 1, "minutes": 1, "hour": 60, "hours": 60, "day": 1440, "days": 1440}


def runs_per_month(expression: str) -> float | None:
    """Average runs a month of an EventBridge Scheduler expression; None for `at()` (once) or one not understood.

    `rate(n unit)`: a run every n units. `cron(minutes hours day-of-month month day-of-week year)`
    (EventBridge Scheduler User Guide, "Schedule types"): the runs of a whole non-leap year, divided by
    12; `L`, `W` and `#` days count as one day a month.
    """
    rate = re.fullmatch(r"rate\((\d+) (\w+)\)", expression.strip())
    if rate:
        every = int(rate.group(1)) * _RATE_MINUTES.get(rate.group(2), 0)
        return HOURS_PER_MONTH * 60 / every if every else None
    cron = re.fullmatch(r"cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)", expression.strip())
    if not cron:
        return None
    minutes, hours, dom, month, dow, _ = cron.groups()
    try:
        per_day = len(_values(minutes, 0, 59)) * len(_values(hours, 0, 23))
        days = sum(1 for day in _days_of(2027) if _day_matches(day, dom, month, dow))
    except ValueError:
        return None
    return per_day * days / 12


def _days_of(year: int) -> list[datetime.date]:
    start = datetime.date(year, 1, 1)
    return [start + datetime.timedelta(days=i) for i in range(365 + calendar.isleap(year))]


_MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
_WEEKDAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}


def _values(field_: str, low: int, high: int, names: Mapping[str, int] | None = None) -> set[int]:
    """The numbers a cron field admits: `*`, `?`, lists, ranges, steps and names."""
    found: set[int] = set()
    for part in field_.upper().split(","):
        for name, number in (names or {}).items():
            part = part.replace(name, str(number))
        body, _, step = part.partition("/")
        if body in ("*", "?"):
            first, last = low, high
        elif "-" in body:
            first, last = (int(x) for x in body.split("-", 1))
        else:
            first = int(body)
            last = high if step else first
        found.update(range(first, last + 1, int(step) if step else 1))
    return found


def _day_matches(day: datetime.date, dom: str, month: str, dow: str) -> bool:
    if day.month not in _values(month, 1, 12, _MONTHS):
        return False
    if any(c in dom.upper() for c in "LW") or "#" in dow or dow.upper().endswith("L"):
        return day.day == 1  # the last day, the nearest weekday, the nth weekday: once a month
    if dom not in ("*", "?") and day.day not in _values(dom, 1, 31):
        return False
    weekday = day.isoweekday() % 7 + 1  # EventBridge: 1 = Sunday
    return dow in ("*", "?") or weekday in _values(dow, 1, 7, _WEEKDAYS)


def expected_tasks(desired: float, low: int, high: int, busy: float | None) -> float:
    """Tasks an autoscaled service runs on average: `busy` of the month at `high`, the rest at `low`; without a
    busy fraction its desired count, except that a service that scales to zero is priced at zero."""
    if busy is not None:
        return low + busy * (high - low)
    return 0.0 if low == 0 else desired
