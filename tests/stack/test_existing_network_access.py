"""Fitting into a team's network: tasks that join existing security groups, and an internal ALB."""

from __future__ import annotations

import pytest

from deploy.aws.acceptance.requests import Payload, requests
from deploy.offline import compliance, diagram, plan
from deploy.offline.cost import estimate
from policies.controls import PolicyConfig
from tests.conftest import make_config, service
from tests.factories import SCHEDULED

SERVICE = "aws:ecs/service:Service"
SCHEDULE = "aws:scheduler/schedule:Schedule"
ALB = "aws:lb/loadBalancer:LoadBalancer"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
DB_GROUP, SHARED_GROUP = "sg-0123456789abcdef0", "sg-0a1b2c3d"
CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"


def alb_ingress(r) -> list[tuple[int, str, str]]:
    """(port, CIDR, referenced group) of every ingress rule on the ALB's group ("" where absent)."""
    group = r.one(SG, "test-alb-sg").id
    return sorted((x.inputs["fromPort"], x.inputs.get("cidrIpv4", ""), x.inputs.get("referencedSecurityGroupId", ""))
                  for x in r.of_type(INGRESS) if x.inputs["securityGroupId"] == group)


# --- services.<name>.securityGroupIds --------------------------------------------------------------


def test_a_services_tasks_join_the_given_groups_after_their_own():
    r = plan.render(make_config(services={"web": service(securityGroupIds=[DB_GROUP, SHARED_GROUP])}))
    groups = r.one(SERVICE).inputs["networkConfiguration"]["securityGroups"]
    assert groups == [r.one(SG, "test-web-sg").id, DB_GROUP, SHARED_GROUP]


def test_a_scheduled_tasks_runs_join_the_given_groups_after_their_own():
    r = plan.render(make_config(services={"job": {**SCHEDULED["nightly"], "securityGroupIds": [DB_GROUP]}}))
    network = r.one(SCHEDULE).inputs["target"]["ecsParameters"]["networkConfiguration"]
    assert network["securityGroups"] == [r.one(SG, "test-job-sg").id, DB_GROUP]


def test_without_security_group_ids_the_tasks_have_only_their_own_group():
    r = plan.render(make_config())
    assert r.one(SERVICE).inputs["networkConfiguration"]["securityGroups"] == [r.one(SG, "test-web-sg").id]


# --- loadBalancer.internal ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def internal():
    return plan.render(make_config({"network": {"cidr": "10.20.0.0/16"}, "loadBalancer": {"internal": True}}))


def test_an_internal_alb_sits_in_the_private_subnets_with_the_internal_scheme(internal):
    alb = internal.one(ALB)
    assert alb.inputs["internal"] is True
    assert alb.inputs["subnets"] == internal.outputs["privateSubnetIds"]
    [request] = requests(Payload(alb.type, alb.name, alb.inputs))
    assert (request.operation, request.params["Scheme"]) == ("CreateLoadBalancer", "internal")


def test_an_internal_alb_admits_the_vpc_range_by_default_and_not_the_internet(internal):
    assert alb_ingress(internal) == [(80, "10.20.0.0/16", "")]


def test_an_internal_alb_in_an_existing_vpc_admits_that_vpcs_range():
    r = plan.render(make_config({"loadBalancer": {"internal": True}, "network": {"existing": {
        "vpcId": "vpc-0abc", "publicSubnetIds": ["subnet-pa", "subnet-pb"],
        "privateSubnetIds": ["subnet-qa", "subnet-qb"]}}}))
    assert r.one(ALB).inputs["subnets"] == ["subnet-qa", "subnet-qb"]
    assert alb_ingress(r) == [(80, "10.0.0.0/16", "")]  # the offline answer for the VPC's CIDR block


def test_given_ingress_cidrs_replace_the_vpc_range():
    r = plan.render(make_config({"loadBalancer": {"internal": True, "ingressCidrs": ["10.99.0.0/16"]}}))
    assert alb_ingress(r) == [(80, "10.99.0.0/16", "")]


def test_ingress_security_groups_alone_admit_only_their_members_on_each_listener_port():
    r = plan.render(make_config({"loadBalancer": {"ingressSecurityGroupIds": [SHARED_GROUP],
                                                  "certificateArn": CERT_ARN}}))
    assert alb_ingress(r) == [(80, "", SHARED_GROUP), (443, "", SHARED_GROUP)]
    assert r.one(ALB).inputs["internal"] is False


def test_ingress_cidrs_and_groups_together_admit_both():
    r = plan.render(make_config({"loadBalancer": {"internal": True, "ingressCidrs": ["10.99.0.0/16"],
                                                  "ingressSecurityGroupIds": [SHARED_GROUP]}}))
    assert alb_ingress(r) == [(80, "", SHARED_GROUP), (80, "10.99.0.0/16", "")]


def test_an_internet_facing_alb_still_admits_everyone_by_default():
    assert alb_ingress(plan.render(make_config())) == [(80, "0.0.0.0/0", "")]


def test_an_internal_alb_is_priced_without_public_ip_addresses(internal):
    items = {line.item for line in estimate(internal, "us-east-1").lines}
    assert "ALB test-alb" in items and "ALB test-alb capacity units" in items
    assert not any("public IPv4" in item for item in items if "ALB" in item)


def test_the_diagram_draws_an_internal_alb_without_the_internet_in_front_of_it(internal):
    g = diagram.build(internal)
    alb = diagram.node_id("alb", "test-alb")
    assert "internal" in g.nodes[alb].label
    assert not [e for e in g.edges if e.dst == alb and e.src == "internet"]


def test_the_load_balancer_controls_pass_for_an_internal_alb(internal):
    results = {x.control.id: x for x in compliance.check(internal, PolicyConfig(levels={})).results}
    for control in ("ELB.4", "ELB.12", "ELB.13", "EC2.18", "EC2.19", "NET.1"):
        assert results[control].status == "pass", (control, results[control])
