"""AWS Regions and their ARN partitions (pure data, pinned).

Source: botocore 1.44.8, `botocore/data/partitions.json` (AWS's own list of partitions and
their Regions; the `-global` pseudo-regions left out). `tests/aws/test_regions.py` compares
it with the installed botocore, so a Region AWS adds shows up as a failing test to update.
"""

from __future__ import annotations

from typing import Final

SOURCE: Final = "botocore 1.44.8 botocore/data/partitions.json"

PARTITIONS: Final[dict[str, str]] = {
    "af-south-1": "aws",
    "ap-east-1": "aws",
    "ap-east-2": "aws",
    "ap-northeast-1": "aws",
    "ap-northeast-2": "aws",
    "ap-northeast-3": "aws",
    "ap-south-1": "aws",
    "ap-south-2": "aws",
    "ap-southeast-1": "aws",
    "ap-southeast-2": "aws",
    "ap-southeast-3": "aws",
    "ap-southeast-4": "aws",
    "ap-southeast-5": "aws",
    "ap-southeast-6": "aws",
    "ap-southeast-7": "aws",
    "ca-central-1": "aws",
    "ca-west-1": "aws",
    "eu-central-1": "aws",
    "eu-central-2": "aws",
    "eu-north-1": "aws",
    "eu-south-1": "aws",
    "eu-south-2": "aws",
    "eu-west-1": "aws",
    "eu-west-2": "aws",
    "eu-west-3": "aws",
    "il-central-1": "aws",
    "me-central-1": "aws",
    "me-south-1": "aws",
    "me-west-1": "aws",
    "mx-central-1": "aws",
    "sa-east-1": "aws",
    "sa-west-1": "aws",
    "us-east-1": "aws",
    "us-east-2": "aws",
    "us-west-1": "aws",
    "us-west-2": "aws",
    "cn-north-1": "aws-cn",
    "cn-northwest-1": "aws-cn",
    "eusc-de-east-1": "aws-eusc",
    "us-iso-east-1": "aws-iso",
    "us-iso-west-1": "aws-iso",
    "us-isob-east-1": "aws-iso-b",
    "us-isob-west-1": "aws-iso-b",
    "eu-isoe-west-1": "aws-iso-e",
    "us-isof-east-1": "aws-iso-f",
    "us-isof-south-1": "aws-iso-f",
    "us-gov-east-1": "aws-us-gov",
    "us-gov-west-1": "aws-us-gov",
}
"""Region -> ARN partition (`aws`, `aws-cn`, `aws-us-gov`, ...)."""

REGIONS: Final[tuple[str, ...]] = tuple(PARTITIONS)


def partition(region: str) -> str | None:
    """The ARN partition of a known Region; None for a string that is not one."""
    return PARTITIONS.get(region)
