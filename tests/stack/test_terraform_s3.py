"""A Terraform state in S3, read when the program runs: against a moto S3 server, as boto3 reads AWS."""

from __future__ import annotations

import json

import pytest

from deploy.config.parse import parse
from deploy.config.problems import ConfigError
from deploy.config.resolve import existing_network
from deploy.config.terraform_state import StateError
from deploy.stack import terraform_s3
from tests.conftest import FIXTURES, raw_config

pytest_plugins = ["tests.ops.moto_aws"]  # the fixtures `aws` and `moto_endpoint`

STATE = (FIXTURES / "terraform" / "vpc.tfstate").read_bytes()
URL = "s3://infra-state/network/terraform.tfstate"


@pytest.fixture
def bucket(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="infra-state")
    s3.put_object(Bucket="infra-state", Key="network/terraform.tfstate", Body=STATE)
    return s3


def from_s3(state: str = URL, **network: object) -> dict:
    return {"network": {"existing": {"fromTerraform": {"state": state}}, **network}}


def test_the_program_reads_the_ids_from_s3(bucket):
    raw = raw_config(from_s3(endpoints={"s3": True}))
    ids = existing_network(parse(raw, states=terraform_s3.reader(raw)))
    assert ids is not None
    assert ids.vpc_id == "vpc-0e1f2a3b4c5d6e7f8"
    assert ids.private_route_table_ids == ("rtb-0a4c7e1f2b3d5a6c8", "rtb-0b5d8f2a3c4e6b7d9")


def test_a_local_state_is_still_read_from_the_project(aws):
    raw = raw_config(from_s3("tests/fixtures/terraform/vpc.tfstate"))
    assert existing_network(parse(raw, states=terraform_s3.reader(raw))).vpc_id == "vpc-0e1f2a3b4c5d6e7f8"  # type: ignore[union-attr]


def test_a_missing_object_is_a_key_named_problem(bucket):
    raw = raw_config(from_s3("s3://infra-state/network/other.tfstate"))
    with pytest.raises(ConfigError) as info:
        parse(raw, states=terraform_s3.reader(raw))
    [problem] = info.value.problems
    assert problem.key == "network.existing.fromTerraform.state"
    assert problem.message.startswith("'s3://infra-state/network/other.tfstate' cannot be read from S3: NoSuchKey")


def test_a_missing_bucket_is_a_key_named_problem(aws):
    with pytest.raises(StateError) as info:
        terraform_s3.reader(raw_config())("s3://no-such-bucket/terraform.tfstate")
    assert info.value.problems[0][1].startswith("'s3://no-such-bucket/terraform.tfstate' cannot be read from S3: "
                                                "NoSuchBucket")


def test_an_object_too_large_for_a_state_is_refused_before_its_body_is_read(bucket, monkeypatch):
    monkeypatch.setattr(terraform_s3, "MAX_STATE_BYTES", 100)
    with pytest.raises(StateError, match=r"terraform.tfstate' is 2 KB; a state file is read up to 100 bytes"):
        terraform_s3.reader(raw_config())(URL)


def test_a_state_of_format_3_in_s3_is_refused_like_a_local_one(bucket):
    bucket.put_object(Bucket="infra-state", Key="network/terraform.tfstate",
                      Body=json.dumps({"version": 3, "terraform_version": "0.11.14", "modules": []}))
    raw = raw_config(from_s3())
    with pytest.raises(ConfigError, match=r"network.existing.fromTerraform.state: 's3://infra-state/network/"
                                          r"terraform.tfstate' is a state of format version 3"):
        parse(raw, states=terraform_s3.reader(raw))


def test_an_unknown_profile_is_a_key_named_problem_not_a_traceback(aws):
    raw = raw_config(from_s3() | {"aws:profile": "no-such-profile"})
    with pytest.raises(ConfigError, match=r"cannot be read from S3: The config profile \(no-such-profile\) could not "
                                          r"be found"):
        parse(raw, states=terraform_s3.reader(raw))


def test_no_credentials_is_a_key_named_problem_not_a_traceback(aws, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(StateError, match=r"cannot be read from S3: Unable to locate credentials"):
        terraform_s3.reader(raw_config())(URL)
