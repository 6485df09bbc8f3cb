"""The cost arithmetic and the price tables, against figures computed by hand."""

from __future__ import annotations

import re

import pytest

from deploy.aws import ec2_prices, prices
from deploy.offline.cost import model


def test_a_month_is_730_hours():
    # NAT gateway in us-east-1: $0.045/h x 730 h = $32.85
    assert model.monthly(0.045) == pytest.approx(32.85)
    # three of them
    assert model.monthly(0.045, 3) == pytest.approx(98.55)


def test_task_hour_price_on_demand_and_spot():
    # 0.25 vCPU x $0.04048 + 0.5 GB x $0.004445 = $0.0101200 + $0.0022225 = $0.0123425 per task-hour
    assert model.task_hour_price(0.25, 0.5, 0.04048, 0.004445) == pytest.approx(0.0123425)
    # Spot at a 70% discount pays 30%: $0.0123425 x 0.3 = $0.00370275
    assert model.task_hour_price(0.25, 0.5, 0.04048, 0.004445, 0.70) == pytest.approx(0.00370275)


def test_strategy_places_the_base_first_then_splits_by_weight():
    strategy = [("FARGATE", 2, 1), ("FARGATE_SPOT", 0, 3)]
    # 3 tasks: 2 base on FARGATE, the 1 left split 1:3 -> 0.25 / 0.75
    assert model.split_by_strategy(3, strategy) == {"FARGATE": 2.25, "FARGATE_SPOT": 0.75}
    # fewer tasks than the base: all on the base provider
    assert model.split_by_strategy(1, strategy) == {"FARGATE": 1.0, "FARGATE_SPOT": 0.0}
    # dev: base 1 weight 0 on FARGATE, weight 1 on Spot; 5 tasks -> 1 + 4 on Spot
    assert model.split_by_strategy(5, [("FARGATE", 1, 0), ("FARGATE_SPOT", 0, 1)]) == {
        "FARGATE": 1.0, "FARGATE_SPOT": 4.0}


def test_strategy_without_weights_keeps_the_rest_on_the_first_provider():
    assert model.split_by_strategy(4, [("FARGATE", 1, 0)]) == {"FARGATE": 4.0}
    assert model.split_by_strategy(0, [("FARGATE", 1, 1)]) == {"FARGATE": 0.0}


def test_asg_split_on_demand_base_and_percentage():
    # 5 instances, base 1, 20% on-demand above the base: 1 + 4 x 0.2 = 1.8 on-demand, 3.2 Spot
    on_demand, spot = model.asg_split(5, 1, 20)
    assert (on_demand, spot) == (pytest.approx(1.8), pytest.approx(3.2))
    # a base larger than the group: all on-demand
    assert model.asg_split(2, 3, 0) == (2, 0)


def test_log_storage_at_full_retention():
    # 2 GB/month kept 365 days = 2 x 365 / (730/24) = 2 x 12.0 = 24 GB
    assert model.stored_gb(2, 365, 12) == pytest.approx(24.0)
    # 7 days: 1 GB x 7 / 30.4167 = 0.2301 GB
    assert model.stored_gb(1, 7, 12) == pytest.approx(7 / (730 / 24))
    # never expires (0 or None): counted after 12 months
    assert model.stored_gb(1, None, 12) == 12
    assert model.stored_gb(1, 0, 6) == 6


def test_ephemeral_storage_beyond_the_included_20_gb():
    assert model.extra_ephemeral_gb(None) == 0
    assert model.extra_ephemeral_gb(20) == 0
    assert model.extra_ephemeral_gb(50) == 30


@pytest.mark.parametrize("region", ["us-east-1", "ap-northeast-2"])
def test_each_table_names_its_sources_date_and_prices_both_architectures(region):
    table, own = prices.table_for(region)
    assert own and table.region == region
    assert table.read_on == "2026-11-25"
    # a page, or for EC2 a generated price table at a pinned commit
    assert all(re.match(r"https://|EC2 on-demand: \S+/\S+ \S+@[0-9a-f]{40}", s) for s in table.sources), table.sources
    assert set(table.fargate_vcpu_hour) == set(table.fargate_gb_hour) == {"X86_64", "ARM64"}
    # ARM (Graviton) is cheaper than x86 per vCPU and per GB
    assert table.fargate_vcpu_hour["ARM64"] < table.fargate_vcpu_hour["X86_64"]
    assert table.fargate_gb_hour["ARM64"] < table.fargate_gb_hour["X86_64"]
    assert table.public_ipv4_hour == 0.005  # the same everywhere since February 2024


def test_seoul_table_says_what_could_not_be_confirmed_instead_of_guessing():
    seoul = prices.TABLES["ap-northeast-2"]
    assert seoul.fargate_ephemeral_gb_hour is None
    # a family the Seoul catalog has no rows for stays unpriced, and the notes say why
    assert "m8g.large" not in seoul.ec2_hour and "m8g.large" in prices.TABLES["us-east-1"].ec2_hour
    assert "m8g" in ec2_prices.AP_NORTHEAST_2_UNCONFIRMED_FAMILIES
    notes = " ".join(seoul.notes)
    assert "not confirmed" in notes and "Conflicting sources" in notes


def test_an_unknown_region_falls_back_to_us_east_1_and_says_so():
    table, own = prices.table_for("eu-west-1")
    assert table.region == "us-east-1" and own is False


@pytest.mark.parametrize("expression,runs", [
    ("rate(1 hour)", 730), ("rate(5 minutes)", 730 * 12), ("rate(2 days)", 730 / 48),
    ("cron(0 3 * * ? *)", 365 / 12),                     # daily at 03:00
    ("cron(0/15 9-17 ? * MON-FRI *)", 4 * 9 * 261 / 12),  # every 15 min, 9:00-17:45 on 2027's 261 weekdays
    ("cron(30 6 ? * 2,4,6 *)", (52 + 52 + 53) / 12),       # Mon, Wed, Fri of 2027 (53 Fridays)
    ("cron(0 0 1 * ? *)", 1), ("cron(0 12 L * ? *)", 1), ("cron(0 8 ? JAN-MAR 2#1 *)", 3 / 12),
])
def test_runs_a_month_of_schedule_expressions(expression, runs):
    assert model.runs_per_month(expression) == pytest.approx(runs)


@pytest.mark.parametrize("expression", ["at(2026-12-01T09:00:00)", "cron(bad)", "rate(0 minutes)", "cron(x 3 * * ? *)"])
def test_a_one_off_or_unreadable_expression_has_no_monthly_runs(expression):
    assert model.runs_per_month(expression) is None
