"""VPC and security group controls: passing and violating resources, props as the engine sends them."""

from __future__ import annotations

import pytest

from policies.controls import UNKNOWN
from tests.policies.test_support import Case, assert_case, res, run

VPC = "aws:ec2/vpc:Vpc"
DSG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
SUBNET = "aws:ec2/subnet:Subnet"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
LB = "aws:lb/loadBalancer:LoadBalancer"

VPC_RES = res(VPC, {"cidrBlock": "10.0.0.0/16", "enableDnsSupport": True}, name="vpc", id="vpc-1")
CLOSED_DSG = res(DSG, {"vpcId": "vpc-1", "ingress": [], "egress": []}, name="default-sg", id="sg-default")
ALB_SG = res(SG, {"vpcId": "vpc-1", "description": "ALB"}, name="alb-sg", id="sg-alb")
TASK_SG = res(SG, {"vpcId": "vpc-1", "description": "tasks"}, name="task-sg", id="sg-task")
ALB = res(LB, {"loadBalancerType": "application", "securityGroups": ["sg-alb"], "subnets": ["s1", "s2"]},
          name="alb")


def ingress(port: int, cidr: str = "0.0.0.0/0", group: str = "sg-alb", protocol: str = "tcp",
            name: str = "", to_port: int = 0) -> object:
    family = "cidrIpv6" if ":" in cidr else "cidrIpv4"
    return res(INGRESS, {"securityGroupId": group, "ipProtocol": protocol, "fromPort": port,
                         "toPort": to_port or port, family: cidr}, name=name or f"in-{port}")


def sg_rule(low: int, high: int, cidr: str = "0.0.0.0/0") -> object:
    return res(SG_RULE, {"type": "ingress", "securityGroupId": "sg-task", "protocol": "tcp", "fromPort": low,
                         "toPort": high, "cidrBlocks": [cidr]}, name="legacy-rule")


def flow_log(traffic: str) -> object:
    return res(FLOW_LOG, {"vpcId": "vpc-1", "trafficType": traffic, "logDestinationType": "cloud-watch-logs"},
               name="flow-log")


CASES = [
    Case("EC2.2", "default group adopted with no rules", (VPC_RES, CLOSED_DSG), "pass"),
    Case("EC2.2", "default group left as AWS creates it", (VPC_RES,), "fail", "left as AWS creates it"),
    Case("EC2.2", "default group with a rule", (VPC_RES, res(DSG, {"vpcId": "vpc-1", "egress": [
        {"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]}, name="default-sg")),
         "fail", "has rules"),
    Case("EC2.2", "a standalone rule added to the default group",
         (VPC_RES, CLOSED_DSG, ingress(443, "10.0.0.0/8", group="sg-default", name="sneaky")), "fail",
         "adds a rule to the default security group"),
    Case("EC2.6", "flow log of all traffic", (VPC_RES, flow_log("ALL")), "pass"),
    Case("EC2.6", "no flow log", (VPC_RES,), "fail", "no VPC flow log"),
    Case("EC2.6", "accepted traffic only", (VPC_RES, flow_log("ACCEPT")), "fail", "trafficType ALL or REJECT"),
    Case("EC2.15", "private addressing", (res(SUBNET, {"mapPublicIpOnLaunch": False}),), "pass"),
    Case("EC2.15", "public IPv4 on launch", (res(SUBNET, {"mapPublicIpOnLaunch": True}),), "fail",
         "mapPublicIpOnLaunch is true"),
    Case("EC2.15", "IPv6 on creation", (res(SUBNET, {"assignIpv6AddressOnCreation": True}),), "fail",
         "assignIpv6AddressOnCreation"),
    Case("EC2.18", "HTTPS from the internet", (ingress(443),), "pass"),
    Case("EC2.18", "SSH from a private range", (ingress(22, "10.0.0.0/8"),), "pass"),
    Case("EC2.18", "SSH from the internet", (ingress(22),), "fail", "tcp 22 from 0.0.0.0/0"),
    Case("EC2.18", "everything from IPv6 anywhere", (ingress(0, "::/0", protocol="-1"),), "fail",
         "all protocols all ports from ::/0"),
    Case("EC2.18", "80-443 as one range", (ingress(80, to_port=443),), "fail", "tcp 80-443"),
    Case("EC2.18", "inline ingress block", (res(SG, {"ingress": [{"protocol": "tcp", "fromPort": 8080,
                                                                   "toPort": 8080, "cidrBlocks": ["0.0.0.0/0"]}]},
                                               name="inline-sg"),), "fail", "tcp 8080"),
    Case("EC2.18", "DNS over UDP from the internet", (ingress(53, protocol="udp"),), "fail", "udp 53"),
    Case("EC2.19", "HTTP from the internet", (ingress(80),), "pass"),
    Case("EC2.19", "SSH from the internet", (ingress(22),), "fail", "high-risk port 22"),
    Case("EC2.19", "a legacy rule opening every TCP port", (sg_rule(0, 65535),), "fail",
         "high-risk ports 20, 21, 22, 23, 25, 110, ..."),
    Case("NET.1", "80/443 open on the load balancer's group", (ALB, ALB_SG, TASK_SG, ingress(80), ingress(443),
                                                                ingress(8080, "10.0.0.0/16", group="sg-task")),
         "pass"),
    Case("NET.1", "HTTPS open on the tasks' group", (ALB, ALB_SG, TASK_SG, ingress(443, group="sg-task")), "fail",
         "on security group task-sg"),
    Case("NET.1", "SSH open on the load balancer's group", (ALB, ALB_SG, ingress(22)), "fail",
         "on the load balancer's security group"),
    Case("NET.1", "a group outside the stack", (ALB, ingress(443, group="sg-0123456789")), "not_applicable"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.control}: {c.label}")
def test_case(case):
    assert_case(case)


def test_an_open_ssh_rule_is_named_by_every_control_it_breaks():
    stack = (VPC_RES, CLOSED_DSG, ALB, ALB_SG, TASK_SG, ingress(22, group="sg-task", name="ssh"))
    for control in ("EC2.18", "EC2.19", "NET.1"):
        result = run(control, *stack)
        assert [f.resource.name for f in result.violations] == ["ssh"], control


def test_a_cidr_computed_at_deploy_time_is_undecided_not_open():
    rule = res(INGRESS, {"securityGroupId": "sg-alb", "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                         "cidrIpv4": UNKNOWN})
    assert run("EC2.19", rule).status == "not_applicable"
    net = run("NET.1", ALB, ALB_SG, rule)
    assert not net.findings and [(r.name, why) for r, why in net.not_applicable] == [
        ("r", "cidrIpv4 is not known until deployment")]


def test_flow_log_found_through_property_dependencies_when_the_vpc_id_is_unknown():
    """At `pulumi preview` the VPC ID is unknown; CrossGuard's property dependencies carry the link."""
    from dataclasses import replace

    log = replace(flow_log("REJECT"), props={"vpcId": UNKNOWN, "trafficType": "REJECT"},
                  property_dependencies={"vpcId": (VPC_RES.urn,)})
    assert run("EC2.6", VPC_RES, log).status == "pass"
    assert run("EC2.6", VPC_RES, replace(log, property_dependencies={})).status == "fail"
