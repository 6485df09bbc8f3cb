"""Subnet CIDRs per Availability Zone (pure, no Pulumi).

The VPC range is cut into 8 equal blocks. Blocks 0-5 hold the private subnet of AZ
index 0-5; blocks 6-7 together hold the public subnets, cut into 8 slots of which
slot i belongs to AZ i. A subnet's CIDR depends only on the VPC CIDR and its AZ index,
never on how many AZs there are, so adding an AZ never moves (replaces) an existing
subnet. Private subnets get 4x the addresses of public ones: tasks live there, while
public subnets only hold ALB nodes and NAT gateways.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

MAX_AZS = 6
MIN_AZS = 2
SMALLEST_SUBNET_PREFIX = 28  # AWS: a subnet is /16 to /28
PRIVATE_EXTRA_BITS = 3  # 8 blocks, 6 private
PUBLIC_EXTRA_BITS = 5  # 2 blocks cut into 8 slots: 1/32 each
LARGEST_VPC_PREFIX = SMALLEST_SUBNET_PREFIX - PUBLIC_EXTRA_BITS  # /23
# An Application Load Balancer needs subnets of at least /27 with 8 free addresses
# (ELB user guide, "Subnets for your load balancer"): its public subnets need a VPC of /22 or larger.
ALB_SUBNET_PREFIX = 27
LARGEST_VPC_PREFIX_WITH_ALB = ALB_SUBNET_PREFIX - PUBLIC_EXTRA_BITS  # /22


@dataclass(frozen=True)
class AzSubnets:
    public: str
    private: str


def max_vpc_prefix() -> int:
    """Smallest VPC (largest prefix length) whose public subnets still reach /28."""
    return LARGEST_VPC_PREFIX


def allocate(vpc_cidr: str, az_count: int) -> list[AzSubnets]:
    """Public and private subnet CIDRs for AZ index 0..az_count-1."""
    if not MIN_AZS <= az_count <= MAX_AZS:
        raise ValueError(f"az_count must be {MIN_AZS} to {MAX_AZS}, got {az_count}")
    net = ipaddress.IPv4Network(vpc_cidr, strict=True)
    if net.prefixlen > LARGEST_VPC_PREFIX:
        raise ValueError(f"{vpc_cidr} is too small: the VPC needs /{LARGEST_VPC_PREFIX} or larger")
    blocks = list(net.subnets(prefixlen_diff=PRIVATE_EXTRA_BITS))
    public_area = ipaddress.IPv4Network(f"{blocks[6].network_address}/{net.prefixlen + 2}")
    public_slots = list(public_area.subnets(prefixlen_diff=PUBLIC_EXTRA_BITS - 2))
    return [AzSubnets(public=str(public_slots[i]), private=str(blocks[i])) for i in range(az_count)]
