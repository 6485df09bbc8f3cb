"""The pinned Region table is AWS's own list, as the installed botocore has it."""

from __future__ import annotations

import json
import os

import botocore

from deploy.aws import regions


def test_the_pinned_regions_are_botocores():
    with open(os.path.join(os.path.dirname(botocore.__file__), "data", "partitions.json"), encoding="utf-8") as f:
        data = json.load(f)
    current = {r: p["id"] for p in data["partitions"] for r in p.get("regions", {}) if not r.endswith("-global")}
    assert regions.PARTITIONS == current, f"update deploy/aws/regions.py from {regions.SOURCE}"


def test_partitions_of_commercial_china_and_govcloud_regions():
    assert [regions.partition(r) for r in ("us-east-1", "ap-northeast-2", "cn-north-1", "us-gov-west-1")] == [
        "aws", "aws", "aws-cn", "aws-us-gov"]
    assert regions.partition("mars-central-1") is None and regions.partition("ap-northeast-02") is None
