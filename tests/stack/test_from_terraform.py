"""A stack on a VPC that Terraform made: the offline plan uses the IDs its state file holds, and adds the endpoints."""

from __future__ import annotations

import json

import pytest

from deploy.cli import main
from deploy.config.parse import load
from deploy.offline import plan
from tests.conftest import FIXTURES

STACK = FIXTURES / "Pulumi.fromtf.yaml"
OUTPUTS = {name: o["value"] for name, o in json.loads((FIXTURES / "terraform" / "vpc.tfstate").read_text())[
    "outputs"].items()}
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"


@pytest.fixture(scope="module")
def rendered():
    return plan.render(load(STACK, "ecs-app", "fromtf"))


def test_the_stack_outputs_are_the_states_ids(rendered):
    assert rendered.outputs["vpcId"] == OUTPUTS["vpc_id"] == "vpc-0e1f2a3b4c5d6e7f8"
    assert rendered.outputs["publicSubnetIds"] == OUTPUTS["public_subnets"]
    assert rendered.outputs["privateSubnetIds"] == OUTPUTS["private_subnets"]


def test_no_network_is_created(rendered):
    for kind in ("vpc:Vpc", "subnet:Subnet", "natGateway:NatGateway", "routeTable:RouteTable", "flowLog:FlowLog"):
        assert rendered.of_type(f"aws:ec2/{kind}") == []


def test_the_alb_is_in_the_public_subnets_and_the_tasks_in_the_private_ones(rendered):
    assert rendered.one("aws:lb/loadBalancer:LoadBalancer").inputs["subnets"] == OUTPUTS["public_subnets"]
    network = rendered.one("aws:ecs/service:Service").inputs["networkConfiguration"]
    assert network["subnets"] == OUTPUTS["private_subnets"] and network["assignPublicIp"] is False


def test_the_endpoints_use_the_states_subnets_and_route_tables(rendered):
    endpoints = {e.inputs["serviceName"].removeprefix("com.amazonaws.us-east-1."): e.inputs
                 for e in rendered.of_type(ENDPOINT)}
    assert sorted(endpoints) == ["ecr.api", "ecr.dkr", "logs", "s3"]
    assert endpoints["s3"]["routeTableIds"] == OUTPUTS["private_route_table_ids"]
    assert all(endpoints[s]["subnetIds"] == OUTPUTS["private_subnets"] for s in ("ecr.api", "ecr.dkr", "logs"))
    assert {e.inputs["vpcId"] for e in rendered.of_type(ENDPOINT)} == {OUTPUTS["vpc_id"]}


def test_plan_json_on_the_command_line_shows_the_ids(capsys):
    assert main(["plan", "--config-file", str(STACK), "--json"]) == 0
    outputs = json.loads(capsys.readouterr().out)["outputs"]
    assert outputs["vpcId"] == "vpc-0e1f2a3b4c5d6e7f8"
    assert outputs["privateSubnetIds"] == ["subnet-0c1a2b3c4d5e6f701", "subnet-0c1a2b3c4d5e6f702"]


def test_plan_of_an_s3_state_exits_2_naming_the_setting(tmp_path, capsys):
    text = STACK.read_text().replace("state: tests/fixtures/terraform/vpc.tfstate",
                                     "state: s3://infra-state/network/terraform.tfstate")
    path = tmp_path / "Pulumi.fromtf.yaml"
    path.write_text(text)
    assert main(["plan", "--config-file", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("network.existing.fromTerraform.state: 's3://infra-state/network/terraform.tfstate' is "
                             "read from S3 when the program runs")
