import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deploy.aws import subnets


def test_dev_layout_for_a_slash_16():
    layout = subnets.allocate("10.10.0.0/16", 2)
    assert [s.private for s in layout] == ["10.10.0.0/19", "10.10.32.0/19"]
    assert [s.public for s in layout] == ["10.10.192.0/21", "10.10.200.0/21"]


def test_smallest_vpc_still_gives_slash_28_public_subnets():
    layout = subnets.allocate("10.0.0.0/23", 6)
    assert {ipaddress.ip_network(s.public).prefixlen for s in layout} == {28}


def test_too_small_vpc_is_refused():
    with pytest.raises(ValueError, match="too small"):
        subnets.allocate("10.0.0.0/24", 2)


@pytest.mark.parametrize("count", [1, 7])
def test_az_count_outside_2_to_6_is_refused(count):
    with pytest.raises(ValueError, match="2 to 6"):
        subnets.allocate("10.0.0.0/16", count)


vpcs = st.builds(
    lambda a, b, prefix: str(ipaddress.ip_network(f"10.{a}.{b}.0/{prefix}", strict=False)),
    st.integers(0, 255), st.integers(0, 255), st.integers(16, subnets.LARGEST_VPC_PREFIX),
)


@given(vpc=vpcs, n=st.integers(2, 6), m=st.integers(2, 6))
def test_adding_azs_never_moves_existing_subnets(vpc, n, m):
    small, large = sorted((n, m))
    assert subnets.allocate(vpc, large)[:small] == subnets.allocate(vpc, small)


@given(vpc=vpcs, n=st.integers(2, 6))
def test_subnets_are_inside_the_vpc_disjoint_and_at_least_slash_28(vpc, n):
    network = ipaddress.ip_network(vpc)
    nets = [ipaddress.ip_network(c) for s in subnets.allocate(vpc, n) for c in (s.public, s.private)]
    assert all(x.subnet_of(network) for x in nets)
    assert all(x.prefixlen <= 28 for x in nets)
    for i, a in enumerate(nets):
        for b in nets[i + 1:]:
            assert not a.overlaps(b)


@given(vpc=vpcs, n=st.integers(2, 6))
def test_private_subnets_are_four_times_public_ones(vpc, n):
    for s in subnets.allocate(vpc, n):
        assert ipaddress.ip_network(s.private).num_addresses == 4 * ipaddress.ip_network(s.public).num_addresses
