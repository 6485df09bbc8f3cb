"""`network.existing.fromTerraform`: the config reads its IDs from a state when it is loaded, or names what is wrong."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from deploy.config.parse import parse
from deploy.config.problems import ConfigError
from deploy.config.resolve import existing_network
from deploy.config.terraform_state import NetworkIds
from tests.conftest import FIXTURES, raw_config

TF_STATE = "tests/fixtures/terraform/vpc.tfstate"
STATE = json.loads((FIXTURES / "terraform" / "vpc.tfstate").read_text())


def network(**existing: Any) -> dict[str, Any]:
    endpoints = existing.pop("endpoints", None)
    body: dict[str, Any] = {"existing": existing}
    if endpoints is not None:
        body["endpoints"] = endpoints
    return {"network": body}


def problems(overrides: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ConfigError) as info:
        parse(raw_config(overrides))
    return {p.key: p.message for p in info.value.problems}


def test_the_state_alone_is_read_with_the_default_output_names():
    cfg = parse(raw_config(network(fromTerraform={"state": TF_STATE})))
    assert existing_network(cfg) == NetworkIds(
        vpc_id="vpc-0e1f2a3b4c5d6e7f8", public_subnet_ids=("subnet-0d1a2b3c4d5e6f701", "subnet-0d1a2b3c4d5e6f702"),
        private_subnet_ids=("subnet-0c1a2b3c4d5e6f701", "subnet-0c1a2b3c4d5e6f702"))


def test_with_the_s3_endpoint_the_private_route_tables_are_read_too():
    cfg = parse(raw_config(network(fromTerraform={"state": TF_STATE}, endpoints={"s3": True})))
    ids = existing_network(cfg)
    assert ids is not None
    assert ids.private_route_table_ids == ("rtb-0a4c7e1f2b3d5a6c8", "rtb-0b5d8f2a3c4e6b7d9")


def test_output_names_of_the_users_own(tmp_path):
    state = copy.deepcopy(STATE)
    state["outputs"]["network_id"] = state["outputs"].pop("vpc_id")
    path = tmp_path / "tf.tfstate"
    path.write_text(json.dumps(state))
    cfg = parse(raw_config(network(fromTerraform={"state": str(path), "outputs": {"vpcId": "network_id"}})))
    assert existing_network(cfg).vpc_id == "vpc-0e1f2a3b4c5d6e7f8"  # type: ignore[union-attr]


def test_a_missing_output_is_reported_under_the_setting_that_names_it(tmp_path):
    state = copy.deepcopy(STATE)
    del state["outputs"]["private_route_table_ids"]
    path = tmp_path / "tf.tfstate"
    path.write_text(json.dumps(state))
    found = problems(network(fromTerraform={"state": str(path)}, endpoints={"s3": True}))
    assert list(found) == ["network.existing.fromTerraform.outputs.privateRouteTableIds"]
    assert found["network.existing.fromTerraform.outputs.privateRouteTableIds"].startswith(
        "the state has no output 'private_route_table_ids' (its root-module outputs: private_subnets, public_subnets, "
        "vpc_cidr_block, vpc_id)")


def test_a_state_of_another_format_version_is_reported_under_state(tmp_path):
    path = tmp_path / "old.tfstate"
    path.write_text(json.dumps({**STATE, "version": 3, "terraform_version": "0.11.14"}))
    found = problems(network(fromTerraform={"state": str(path)}))
    assert list(found) == ["network.existing.fromTerraform.state"]
    assert "is a state of format version 3 (written by Terraform 0.11.14)" in found[
        "network.existing.fromTerraform.state"]


def test_unequal_subnet_lists_are_reported_under_the_outputs(tmp_path):
    state = copy.deepcopy(STATE)
    state["outputs"]["private_subnets"]["value"].append("subnet-0c1a2b3c4d5e6f703")
    path = tmp_path / "tf.tfstate"
    path.write_text(json.dumps(state))
    assert list(problems(network(fromTerraform={"state": str(path)}))) == ["network.existing.fromTerraform.outputs"]


def test_offline_an_s3_state_is_refused_naming_the_setting():
    found = problems(network(fromTerraform={"state": "s3://infra-state/network/terraform.tfstate"}))
    assert list(found) == ["network.existing.fromTerraform.state"]
    assert "the offline commands call no AWS" in found["network.existing.fromTerraform.state"]


def test_the_state_is_not_read_while_other_settings_are_wrong(tmp_path):
    # GIVEN a state that does not exist AND a rule problem elsewhere
    found = problems({"network": {"existing": {"fromTerraform": {"state": str(tmp_path / "absent.tfstate")}},
                                  "nat": "none"}})
    # THEN the rule is reported, and the state waits for a config that passes them
    assert list(found) == ["network.nat"]


@pytest.mark.parametrize("from_terraform,key,message", [
    ({"state": 5}, "network.existing.fromTerraform.state", "must be a string (got 5)"),
    ({}, "network.existing.fromTerraform.state", "is required"),
    ({"state": TF_STATE, "outputs": {"vpcId": ""}}, "network.existing.fromTerraform.outputs.vpcId",
     "must not be empty"),
    ({"state": TF_STATE, "outputs": {"vpc": "vpc_id"}}, "network.existing.fromTerraform.outputs.vpc",
     "unknown key; did you mean `vpcId`?"),
    ({"state": TF_STATE, "outputs": "vpc_id"}, "network.existing.fromTerraform.outputs",
     "must be a mapping"),
    ({"state": "ftp://host/tf.tfstate"}, "network.existing.fromTerraform.state",
     "'ftp://host/tf.tfstate': only a local path or s3://<bucket>/<key> is read"),
])
def test_settings_of_the_wrong_type(from_terraform, key, message):
    found = problems(network(fromTerraform=from_terraform))
    assert list(found) == [key]
    assert found[key].startswith(message)
