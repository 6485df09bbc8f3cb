"""EC2 on-demand price tables: every configurable instance type priced, prices consistent within a family."""

import datetime

import pytest

from deploy.aws import ec2_prices, instances, prices

REGIONS = sorted(ec2_prices.TABLES)

# Seoul prices that could not be confirmed from any source read, and are therefore absent (the
# estimate says "not priced"): the SkyPilot catalog has no ap-northeast-2 rows for c6a, c7a, c8g,
# m6a, m7a, m8g and r6a; its r8g rows were not read; t3a.nano's row was not read and half of
# t3a.micro (0.00585) is not a four-decimal list price.
KNOWN_GAP_FAMILIES = {
    "us-east-1": set(),
    "ap-northeast-2": {"c6a", "c7a", "c8g", "m6a", "m7a", "m8g", "r6a", "r8g"},
}
KNOWN_GAP_TYPES = {"us-east-1": set(), "ap-northeast-2": {"t3a.nano"}}

# Graviton family -> the x86 family of the same generation.
ARM_X86_PAIRS = [("m6g", "m6i"), ("m7g", "m7i"), ("c6g", "c6i"), ("c7g", "c7i"), ("r6g", "r6i"),
                 ("r7g", "r7i"), ("t4g", "t3")]

# AWS lists prices to four decimals (some to five), so a size may sit up to 0.0001 off the family rate.
ROUNDING = 0.0001
BURSTABLE = {"t3", "t3a", "t4g"}


def _family(name: str) -> str:
    return name.split(".")[0]


def _expected_gaps(region: str) -> set[str]:
    return ({name for name in instances.TABLE if _family(name) in KNOWN_GAP_FAMILIES[region]}
            | KNOWN_GAP_TYPES[region])


def _by_family(table: dict[str, float]) -> dict[str, dict[str, float]]:
    families: dict[str, dict[str, float]] = {}
    for name, price in table.items():
        families.setdefault(_family(name), {})[name] = price
    return families


@pytest.mark.parametrize("region", REGIONS)
def test_every_instance_type_is_priced_or_a_listed_gap(region):
    missing = set(instances.TABLE) - set(ec2_prices.TABLES[region])
    assert missing == _expected_gaps(region)


def test_the_module_names_the_same_gaps():
    assert set(ec2_prices.AP_NORTHEAST_2_UNCONFIRMED_FAMILIES) == KNOWN_GAP_FAMILIES["ap-northeast-2"]
    assert set(ec2_prices.AP_NORTHEAST_2_UNCONFIRMED_TYPES) == KNOWN_GAP_TYPES["ap-northeast-2"]
    assert all(ec2_prices.AP_NORTHEAST_2_UNCONFIRMED_FAMILIES.values())
    assert all(ec2_prices.AP_NORTHEAST_2_UNCONFIRMED_TYPES.values())


@pytest.mark.parametrize("region", REGIONS)
def test_only_known_instance_types_are_priced(region):
    assert set(ec2_prices.TABLES[region]) <= set(instances.TABLE)


@pytest.mark.parametrize("region", REGIONS)
def test_prices_are_positive(region):
    assert all(price > 0 for price in ec2_prices.TABLES[region].values())


@pytest.mark.parametrize("region", REGIONS)
def test_price_per_vcpu_is_constant_within_a_family(region):
    for family, sizes in _by_family(ec2_prices.TABLES[region]).items():
        if family in BURSTABLE:
            continue
        largest = max(sizes, key=lambda name: instances.TABLE[name].vcpus)
        rate = sizes[largest] / instances.TABLE[largest].vcpus
        for name, price in sizes.items():
            assert abs(price - rate * instances.TABLE[name].vcpus) <= ROUNDING, (name, price, rate)


@pytest.mark.parametrize("region", REGIONS)
def test_burstable_price_is_constant_per_gib(region):
    """t3, t3a and t4g keep 2 vCPUs up to large; their price doubles with memory instead."""
    for family, sizes in _by_family(ec2_prices.TABLES[region]).items():
        if family not in BURSTABLE:
            continue
        largest = max(sizes, key=lambda name: instances.TABLE[name].memory_mib)
        rate = sizes[largest] / instances.TABLE[largest].memory_mib
        for name, price in sizes.items():
            assert abs(price - rate * instances.TABLE[name].memory_mib) <= ROUNDING, (name, price)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("arm,x86", ARM_X86_PAIRS)
def test_graviton_is_cheaper_than_x86_of_the_same_generation(region, arm, x86):
    table = ec2_prices.TABLES[region]
    compared = 0
    for name, price in table.items():
        family, size = name.split(".")
        if family == arm and f"{x86}.{size}" in table:
            assert price < table[f"{x86}.{size}"], name
            compared += 1
    assert compared


@pytest.mark.parametrize("region,name,price", [
    # aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (generated 2026-01-19)
    ("us-east-1", "m7g.large", 0.0816),
    ("us-east-1", "m7g.medium", 0.0408),
    ("us-east-1", "c7g.medium", 0.0363),
    ("us-east-1", "c5.9xlarge", 1.53),
    ("us-east-1", "m6i.large", 0.096),
    ("us-east-1", "r8g.large", 0.11782),
    ("us-east-1", "t4g.micro", 0.0084),
    ("us-east-1", "t4g.nano", 0.0042),
    # skypilot-org/skypilot-catalog catalogs/v7/aws/vms.csv, ap-northeast-2 rows
    ("ap-northeast-2", "m7g.xlarge", 0.2006),
    ("ap-northeast-2", "m7g.medium", 0.0502),
    ("ap-northeast-2", "c7g.large", 0.0816),
    ("ap-northeast-2", "m6i.large", 0.118),
    ("ap-northeast-2", "m7i.large", 0.1239),
    ("ap-northeast-2", "c5.9xlarge", 1.728),
    ("ap-northeast-2", "r7g.large", 0.1292),
    ("ap-northeast-2", "t3.small", 0.026),
    ("ap-northeast-2", "t4g.small", 0.0208),
])
def test_figures_pinned_to_their_source(region, name, price):
    assert ec2_prices.TABLES[region][name] == price


def test_derived_seoul_prices_are_priced_and_say_how():
    for name, basis in ec2_prices.AP_NORTHEAST_2_DERIVED.items():
        assert name in ec2_prices.AP_NORTHEAST_2, name
        assert basis


@pytest.mark.parametrize("region", REGIONS)
def test_pinned_prices_in_prices_py_agree(region):
    """The hand-pinned ec2_hour entries of deploy.aws.prices are a cross-check of these tables."""
    table = prices.TABLES.get(region)
    pinned = getattr(table, "ec2_hour", {}) if table is not None else {}
    for name, price in pinned.items():
        if name in ec2_prices.TABLES[region]:
            assert ec2_prices.TABLES[region][name] == pytest.approx(price), name


@pytest.mark.parametrize("sources,read_on", [
    (ec2_prices.US_EAST_1_SOURCES, ec2_prices.US_EAST_1_READ_ON),
    (ec2_prices.AP_NORTHEAST_2_SOURCES, ec2_prices.AP_NORTHEAST_2_READ_ON),
])
def test_each_region_names_its_sources_and_when_they_were_read(sources, read_on):
    assert sources and all("@" in source for source in sources)
    datetime.date.fromisoformat(read_on)
