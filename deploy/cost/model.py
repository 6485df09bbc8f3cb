"""The arithmetic of the estimate: counts and prices to dollars per month (pure).

Everything is a steady month of 730 hours, as AWS's own calculator assumes. Fractions of a
task or an instance are kept: they are expected values (e.g. a quarter of the tasks beyond
the base land on on-demand capacity), not something AWS bills as such.
"""

from __future__ import annotations

from typing import Optional, Sequence

HOURS_PER_MONTH = 730
DAYS_PER_MONTH = HOURS_PER_MONTH / 24
INCLUDED_EPHEMERAL_GB = 20
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")


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


def stored_gb(monthly_gb: float, retention_days: Optional[int], never_expire_months: float) -> float:
    """GB a log group holds once its retention is full: a month's logs times the months kept.

    Groups that never expire keep growing; they are counted after `never_expire_months`.
    """
    months = retention_days / DAYS_PER_MONTH if retention_days else never_expire_months
    return monthly_gb * months


def extra_ephemeral_gb(size_gib: Optional[int]) -> int:
    """Task storage billed beyond the 20 GB Fargate includes."""
    return max(0, (size_gib or 0) - INCLUDED_EPHEMERAL_GB)
