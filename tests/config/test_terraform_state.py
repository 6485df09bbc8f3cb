"""Reading a Terraform state's root-module outputs: the IDs it holds, and a key-named refusal for anything else."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

from deploy.config import terraform_state as tf
from deploy.config.terraform_state import NetworkIds, StateError
from tests.conftest import FIXTURES

DEFAULT_NAMES = {"vpcId": "vpc_id", "publicSubnetIds": "public_subnets", "privateSubnetIds": "private_subnets",
                 "privateRouteTableIds": "private_route_table_ids"}
STATE = json.loads((FIXTURES / "terraform" / "vpc.tfstate").read_text())
"""A state as Terraform 1.9 writes it for a root module that re-exports terraform-aws-modules/vpc's outputs."""


def write(tmp_path: Path, state: Any, name: str = "tf.tfstate") -> str:
    (tmp_path / name).write_text(state if isinstance(state, str) else json.dumps(state, indent=2))
    return name


def read(tmp_path: Path, location: str, route_tables: bool = True, names: dict[str, str] | None = None) -> NetworkIds:
    data = tf.offline_reader(tmp_path)(location)
    return tf.network_ids(tf.root_outputs(data, location), names or DEFAULT_NAMES, route_tables)


def problems(tmp_path: Path, state: Any, route_tables: bool = True) -> dict[str, str]:
    with pytest.raises(StateError) as info:
        read(tmp_path, write(tmp_path, state), route_tables)
    return dict(info.value.problems)


def test_the_ids_of_a_terraform_1_x_state(tmp_path):
    ids = read(tmp_path, write(tmp_path, STATE))
    assert ids == NetworkIds(vpc_id="vpc-0e1f2a3b4c5d6e7f8",
                             public_subnet_ids=("subnet-0d1a2b3c4d5e6f701", "subnet-0d1a2b3c4d5e6f702"),
                             private_subnet_ids=("subnet-0c1a2b3c4d5e6f701", "subnet-0c1a2b3c4d5e6f702"),
                             private_route_table_ids=("rtb-0a4c7e1f2b3d5a6c8", "rtb-0b5d8f2a3c4e6b7d9"))


def test_route_tables_are_not_read_when_not_needed(tmp_path):
    state = copy.deepcopy(STATE)
    del state["outputs"]["private_route_table_ids"]
    assert read(tmp_path, write(tmp_path, state), route_tables=False).private_route_table_ids is None


def test_outputs_of_other_names(tmp_path):
    state = copy.deepcopy(STATE)
    state["outputs"] = {"network_vpc": state["outputs"]["vpc_id"], "web_subnets": state["outputs"]["public_subnets"],
                        "app_subnets": state["outputs"]["private_subnets"]}
    ids = read(tmp_path, write(tmp_path, state), route_tables=False, names={
        **DEFAULT_NAMES, "vpcId": "network_vpc", "publicSubnetIds": "web_subnets", "privateSubnetIds": "app_subnets"})
    assert ids.vpc_id == "vpc-0e1f2a3b4c5d6e7f8"
    assert ids.private_subnet_ids == ("subnet-0c1a2b3c4d5e6f701", "subnet-0c1a2b3c4d5e6f702")


def test_a_missing_output_is_named_with_the_outputs_the_state_has(tmp_path):
    state = copy.deepcopy(STATE)
    del state["outputs"]["vpc_id"]
    found = problems(tmp_path, state)
    assert found == {"outputs.vpcId": "the state has no output 'vpc_id' (its root-module outputs: "
                                      "private_route_table_ids, private_subnets, public_subnets, vpc_cidr_block); a "
                                      "module's outputs are in the state only when the root module re-exports them "
                                      "with an `output` block"}


def test_every_missing_output_is_reported_at_once(tmp_path):
    state = copy.deepcopy(STATE)
    state["outputs"] = {}
    assert set(problems(tmp_path, state)) == {"outputs.vpcId", "outputs.publicSubnetIds", "outputs.privateSubnetIds",
                                              "outputs.privateRouteTableIds"}


def test_a_state_of_format_3_is_refused_naming_the_version_and_who_wrote_it(tmp_path):
    legacy = {"version": 3, "terraform_version": "0.11.14", "serial": 4, "lineage": "1b2c",
              "modules": [{"path": ["root"], "outputs": {"vpc_id": {"sensitive": False, "type": "string",
                                                                    "value": "vpc-0e1f2a3b4c5d6e7f8"}},
                           "resources": {}, "depends_on": []}]}
    assert problems(tmp_path, legacy) == {"state": "'tf.tfstate' is a state of format version 3 (written by "
                                                   "Terraform 0.11.14); only format 4 is read, which Terraform 0.12 "
                                                   "and later write: run `terraform state pull > <file>` with "
                                                   "Terraform 1.x, which writes the current format"}


@pytest.mark.parametrize("version,shown", [(5, "5"), ("4", '"4"'), (True, "true")])
def test_any_version_but_the_number_4_is_refused(tmp_path, version, shown):
    found = problems(tmp_path, {**STATE, "version": version})
    assert found["state"].startswith(f"'tf.tfstate' is a state of format version {shown} (written by Terraform 1.9.8)")


def test_a_file_without_a_version_is_not_a_state(tmp_path):
    assert problems(tmp_path, {"outputs": {}}) == {"state": "'tf.tfstate' is not a Terraform state: it has no "
                                                            "\"version\""}


def test_the_output_of_terraform_output_json_is_told_apart_from_a_state(tmp_path):
    printed = {name: {"sensitive": False, "type": o["type"], "value": o["value"]} for name, o in STATE["outputs"].items()}
    assert problems(tmp_path, printed) == {"state": "'tf.tfstate' looks like the output of `terraform output -json`, "
                                                    "not a state; write the state with `terraform state pull > <file>`"}


def test_invalid_json_names_the_line_and_column(tmp_path):
    found = problems(tmp_path, '{\n  "version": 4,\n  "outputs": {,}\n}')
    assert found == {"state": "'tf.tfstate' is not valid JSON (line 3, column 15: Expecting property name enclosed "
                              "in double quotes)"}


@pytest.mark.parametrize("text,reason", [
    ("[1, 2]", "not a JSON object"),
    ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
])
def test_json_that_is_no_state(tmp_path, text, reason):
    assert problems(tmp_path, text) == {"state": f"'tf.tfstate' is not a Terraform state: {reason}"}


def test_bytes_that_are_not_utf8(tmp_path):
    (tmp_path / "tf.tfstate").write_bytes(b'{"version": 4, "x": "\xff"}')
    with pytest.raises(StateError, match=r"not a Terraform state: not UTF-8 text \(byte 21\)"):
        read(tmp_path, "tf.tfstate")


@pytest.mark.parametrize("output,value,message", [
    ("vpc_id", 42, "output 'vpc_id' is 42, not a VPC ID (vpc-...)"),
    ("vpc_id", "", "output 'vpc_id' is \"\", not a VPC ID (vpc-...)"),
    ("private_subnets", "subnet-0c1a2b3c4d5e6f701",
     "output 'private_subnets' is \"subnet-0c1a2b3c4d5e6f701\", not a list of subnet IDs (subnet-...)"),
    ("private_subnets", ["subnet-0c1a2b3c4d5e6f701", "10.0.1.0/24"],
     "output 'private_subnets' is [\"subnet-0c1a2b3c4d5e6f701\", \"10.0.1.0/24\"], not a list of subnet IDs "
     "(subnet-...)"),
    ("private_route_table_ids", {"a": "rtb-0a"}, "output 'private_route_table_ids' is {\"a\": \"rtb-0a\"}, not a "
                                                 "list of route table IDs (rtb-...)"),
    ("private_route_table_ids", [], "output 'private_route_table_ids' lists 0; at least 1 needed"),
])
def test_values_of_the_wrong_shape_are_named(tmp_path, output, value, message):
    state = copy.deepcopy(STATE)
    state["outputs"][output]["value"] = value
    key = {"vpc_id": "outputs.vpcId", "private_subnets": "outputs.privateSubnetIds",
           "private_route_table_ids": "outputs.privateRouteTableIds"}[output]
    assert problems(tmp_path, state) == {key: message}


def test_as_many_public_as_private_subnets(tmp_path):
    state = copy.deepcopy(STATE)
    state["outputs"]["public_subnets"]["value"].append("subnet-0d1a2b3c4d5e6f703")
    assert problems(tmp_path, state) == {"outputs": "output 'public_subnets' has 3 subnets and 'private_subnets' 2: "
                                                    "the stack needs one public and one private subnet per AZ"}


def test_a_missing_file(tmp_path):
    with pytest.raises(StateError) as info:
        read(tmp_path, "nope.tfstate")
    assert info.value.problems == [("state", f"'nope.tfstate' does not exist (looked for {tmp_path / 'nope.tfstate'}); "
                                             "write it with `terraform state pull > <file>` in the Terraform "
                                             "directory")]


def test_a_directory(tmp_path):
    (tmp_path / "infra").mkdir()
    with pytest.raises(StateError, match=r"'infra/' is a directory; name the state file in it \(e.g. "
                                         r"infra/terraform.tfstate\)"):
        read(tmp_path, "infra/")


def test_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(StateError, match="'pipe' is not a regular file"):
        read(tmp_path, "pipe")


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    with (tmp_path / "big.tfstate").open("wb") as f:
        f.truncate(tf.MAX_STATE_BYTES + 1)  # sparse: no 64 MB written
    with pytest.raises(StateError, match="'big.tfstate' is 64 MB; a state file is read up to 64 MB"):
        read(tmp_path, "big.tfstate")


def test_an_absolute_path_is_read_as_it_is(tmp_path):
    path = tmp_path / "abs.tfstate"
    path.write_text(json.dumps(STATE))
    assert read(Path("/nonexistent"), str(path)).vpc_id == "vpc-0e1f2a3b4c5d6e7f8"


def test_offline_an_s3_state_is_refused_with_how_to_plan_from_a_copy(tmp_path):
    with pytest.raises(StateError) as info:
        tf.offline_reader(tmp_path)("s3://infra-state/network/terraform.tfstate")
    assert info.value.problems == [("state", "'s3://infra-state/network/terraform.tfstate' is read from S3 when the "
                                             "program runs (`preview`, `up`), and the offline commands call no AWS; "
                                             "to plan offline, copy the state (`terraform state pull > tf.tfstate`) "
                                             "and point `state` at the copy, e.g. with --config-file")]


@pytest.mark.parametrize("location,problem", [
    ("s3://infra-state/network/terraform.tfstate", None),
    ("infra/terraform.tfstate", None),
    ("s3://Infra_State/key", "'s3://Infra_State/key' is not s3://<bucket>/<key>"),
    ("s3://infra-state/", "'s3://infra-state/' is not s3://<bucket>/<key>"),
    ("https://example.com/tf.tfstate", "'https://example.com/tf.tfstate': only a local path or s3://<bucket>/<key>"),
    ("  ", "must be a path to a state file"),
])
def test_locations(location, problem):
    found = tf.location_problem(location)
    assert (found is None) if problem is None else (found is not None and found.startswith(problem))
