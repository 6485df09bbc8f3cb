"""What `validate` says about a valid config: notes on what it needs outside the stack, and warnings for
settings a mandatory control of the policy pack refuses (`deploy.config.resolve.notes`)."""

from __future__ import annotations

import yaml

from deploy.cli import main
from deploy.config.resolve import notes
from tests.conftest import PRIVATE_IMAGE, make_config, service

TASK_ENDPOINTS = {"s3": True, "interface": ["ecr.api", "ecr.dkr", "logs"]}
CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
HTTPS = {"certificateArn": CERT_ARN}


def warnings(overrides=None, services=None) -> dict[str, str]:
    """The warnings of a config that serves HTTPS unless `overrides` sets `loadBalancer`."""
    config = make_config({"loadBalancer": HTTPS, **(overrides or {})}, services=services)
    return {n.key: n.message for n in notes(config) if n.warning}


def test_plain_http_warns_about_elb_1():
    assert warnings({"loadBalancer": {}}) == {"loadBalancer": (
        "no certificate: the load balancer serves plain HTTP, which fails the mandatory control ELB.1 of `check` "
        "unless the stack's policy config accepts it; set `domain` and `hostedZoneId`, or `certificateArn`, for "
        "HTTPS")}
    assert warnings({"loadBalancer": {**HTTPS, "https": False}})["loadBalancer"].startswith("`https: false`: ")
    worker = {"kind": "worker", "containers": {"w": {"image": {"uri": PRIVATE_IMAGE}}}}
    assert warnings({"loadBalancer": {}}, services={"w": worker}) == {}  # no web service, no load balancer


def test_nat_none_warns_that_tasks_get_public_ips_and_fail_ecs_2():
    found = warnings({"network": {"nat": "none"}})
    assert list(found) == ["network.nat"]
    assert found["network.nat"].startswith("`none` without endpoints gives public IPs to the tasks of web, which "
                                           "fails the mandatory control ECS.2 of `check`")
    assert "add `network.endpoints` (s3 and ecr.api, ecr.dkr, logs) or a NAT" in found["network.nat"]
    assert "waive ECS.2 for them in policies/config/test.json" in found["network.nat"]


def test_no_warning_with_a_nat_or_with_endpoints_or_on_ec2():
    assert warnings() == {}
    assert warnings({"network": {"nat": "none", "endpoints": TASK_ENDPOINTS}}) == {}
    ec2_worker = {"kind": "worker", "architecture": "ARM64", "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}],
                  "containers": {"w": {"image": {"uri": PRIVATE_IMAGE}}}}
    endpoints = {"s3": True, "interface": ["ecs", "ecs-agent", "ecs-telemetry", "ecr.api", "ecr.dkr", "logs"]}
    assert warnings({"network": {"nat": "none", "endpoints": endpoints},
                     "cluster": {"ec2": {"instanceTypes": ["m7g.large"]}}}, services={"w": ec2_worker}) == {}


def test_an_explicit_public_ip_is_warned_about_by_its_own_key():
    found = warnings({"network": {"nat": "none"}}, services={"web": service(assignPublicIp=True),
                                                              "api": service(loadBalancer={"paths": ["/api/*"]})})
    assert found["network.nat"].startswith("`none` without endpoints gives public IPs to the tasks of api,")
    assert found["services.web.assignPublicIp"].startswith("true fails the mandatory control ECS.2")


def test_a_protected_stack_without_deletion_protection_is_warned_about_elb_6():
    found = warnings({"protect": True, "loadBalancer": HTTPS})
    assert found == {"loadBalancer.deletionProtection": "`protect: true` marks the stack production, where the "
                                                        "control ELB.6 is mandatory and fails without it; set it "
                                                        "to true"}
    assert warnings({"protect": True, "loadBalancer": {**HTTPS, "deletionProtection": True}}) == {}


def test_validate_prints_warnings_first_and_exits_0(capsys, tmp_path):
    path = tmp_path / "Pulumi.cheap.yaml"
    path.write_text(yaml.safe_dump({"config": {
        "aws:region": "us-east-1", "ecs-app:network": {"nat": "none"}, "ecs-app:loadBalancer": HTTPS,
        "ecs-app:services": {"web": {"containers": {"app": {"image": {"uri": PRIVATE_IMAGE}, "ports": [8080]}}}}}}))
    assert main(["validate", "--config-file", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "ecs-app/cheap: configuration is valid (1 service)"
    assert lines[1].startswith("warning: network.nat: `none` without endpoints") and "ECS.2" in lines[1]


def test_an_instance_type_without_a_seoul_price_gets_a_note_naming_why():
    seoul = {"aws:region": "ap-northeast-2", "cluster": {"ec2": {"instanceTypes": ["m7a.large", "m6i.large"]}},
             "network": {"nat": "instance", "natInstance": {"type": "t3a.nano"}}}
    found = {n.key: n.message for n in notes(make_config(seoul)) if not n.warning}
    assert found["cluster.ec2.instanceTypes"] == (
        "m7a.large has no confirmed on-demand price in ap-northeast-2 (the SkyPilot catalog lists no ap-northeast-2 "
        "offering for this family): `cost` lists it as not priced and exits 1 without --allow-unpriced")
    assert found["network.natInstance.type"].startswith("t3a.nano has no confirmed on-demand price in "
                                                        "ap-northeast-2 (its catalog row was not read")
    # the same types are priced in us-east-1, and m6i.large in both
    virginia = {**seoul, "aws:region": "us-east-1"}
    assert not [n for n in notes(make_config(virginia)) if n.key.startswith(("cluster.ec2", "network.nat"))]


def test_validate_says_which_ids_it_read_from_the_terraform_state():
    cfg = make_config({"network": {"existing": {"fromTerraform": {"state": "tests/fixtures/terraform/vpc.tfstate"}}}})
    found = {n.key: n.message for n in notes(cfg)}
    assert found["network.existing.fromTerraform"] == (
        "read from tests/fixtures/terraform/vpc.tfstate: VPC vpc-0e1f2a3b4c5d6e7f8; public subnets "
        "subnet-0d1a2b3c4d5e6f701, subnet-0d1a2b3c4d5e6f702; private subnets subnet-0c1a2b3c4d5e6f701, "
        "subnet-0c1a2b3c4d5e6f702")


def test_interface_endpoints_in_an_existing_vpc_say_they_change_its_dns():
    cfg = make_config({"network": {"existing": {"vpcId": "vpc-0abc", "publicSubnetIds": ["subnet-1", "subnet-2"],
                                                "privateSubnetIds": ["subnet-3", "subnet-4"]},
                                   "endpoints": {"interface": ["logs", "ecr.api"]}}})
    found = {n.key: n for n in notes(cfg)}
    note = found["network.endpoints.interface"]
    assert not note.warning
    assert note.message.startswith("their private DNS names apply to the whole existing VPC: every workload in it "
                                   "then reaches ecr.api, logs through them")


def test_ecs_exec_warns_that_its_writable_root_filesystems_fail_ecs_5():
    writable = {"image": {"uri": PRIVATE_IMAGE}, "ports": [8080], "readonlyRootFilesystem": False}
    found = warnings(services={"web": service(containers={"app": writable}, exec=True)})
    assert found == {"services.web.exec": (
        "ECS Exec needs writable root filesystems, which fail the mandatory control ECS.5 of `check` and `pulumi "
        "preview --policy-pack policies`; accept ECS.5 for test-web-task in policies/config/test.json (`check` "
        "prints the exception)")}


def test_a_firelens_output_of_ones_own_says_the_task_role_sends():
    def firelens_notes(logging):
        cfg = make_config({"loadBalancer": HTTPS}, services={"web": service(logging=logging)})
        return {n.key: n.message for n in notes(cfg) if not n.warning}

    found = firelens_notes({"driver": "firelens", "options": {"Name": "kinesis_firehose", "region": "us-east-1",
                                                                "delivery_stream": "logs"}})
    assert found["services.web.logging.options"].startswith(
        "the log router sends to kinesis_firehose with the task role: grant what that output needs")
    # The default output, the service's own group, is granted by the stack.
    assert "services.web.logging.options" not in firelens_notes({"driver": "firelens"})
