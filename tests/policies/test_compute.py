"""Launch template and Auto Scaling group controls, with props as pulumi_aws sends them.

Launch template booleans (`encrypted`, `associatePublicIpAddress`) are strings in the
provider's schema ("true"/"false"); a program passing Python booleans sends booleans.
Both shapes are covered.
"""

from __future__ import annotations

import copy

import pytest

from policies.controls import UNKNOWN
from tests.policies.test_support import Case, assert_case, res, run

LT = "aws:ec2/launchTemplate:LaunchTemplate"
ASG = "aws:autoscaling/group:Group"
SUBNET = "aws:ec2/subnet:Subnet"

TEMPLATE = {
    "imageId": "ami-0123456789abcdef0", "iamInstanceProfile": {"arn": "arn:aws:iam::1:instance-profile/ecs"},
    "metadataOptions": {"httpEndpoint": "enabled", "httpTokens": "required", "httpPutResponseHopLimit": 1},
    "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"volumeSize": 30, "encrypted": "true"}}],
    "networkInterfaces": [{"deviceIndex": 0, "associatePublicIpAddress": "false", "securityGroups": ["sg-1"]}],
    "userData": "IyEvYmluL2Jhc2gK",
}
GROUP = {
    "minSize": 1, "maxSize": 6, "protectFromScaleIn": True, "healthCheckType": "EC2",
    "vpcZoneIdentifiers": ["private-0-id", "private-1-id"],
    "mixedInstancesPolicy": {"launchTemplate": {
        "launchTemplateSpecification": {"launchTemplateId": "lt-1", "version": "$Latest"},
        "overrides": [{"instanceType": "m7g.large"}, {"instanceType": "m6g.large"}]}},
    "tags": [{"key": "AmazonECSManaged", "value": "true", "propagateAtLaunch": True}],
}


def template(**changes) -> object:
    props = copy.deepcopy(TEMPLATE)
    for path, value in changes.items():
        target = props
        *head, last = path.split("__")
        for step in head:
            target = target[int(step)] if isinstance(target, list) else target[step]
        target[last] = value
    return res(LT, props, name="ec2-lt")


def group(**props) -> object:
    body = {**copy.deepcopy(GROUP), **props}
    return res(ASG, {k: v for k, v in body.items() if v is not None}, name="ec2-asg")


SUBNETS = (res(SUBNET, {"availabilityZone": "us-east-1a"}, name="private-0"),
           res(SUBNET, {"availabilityZone": "us-east-1b"}, name="private-1"))

CASES = [
    Case("EC2.170", "IMDSv2 required", (template(),), "pass"),
    Case("EC2.170", "IMDSv1 allowed", (template(metadataOptions__httpTokens="optional"),), "fail",
         "httpTokens is optional"),
    Case("EC2.170", "no metadata options", (template(metadataOptions=None),), "fail", "not set (IMDSv1 allowed)"),
    Case("EC2.170", "metadata service off", (template(metadataOptions={"httpEndpoint": "disabled"}),), "pass"),
    Case("EC2.25", "no public IP (string, as the provider sends it)", (template(),), "pass"),
    Case("EC2.25", "public IP (string)", (template(networkInterfaces__0__associatePublicIpAddress="true"),),
         "fail", "associatePublicIpAddress is true"),
    Case("EC2.25", "public IP (boolean)", (template(networkInterfaces__0__associatePublicIpAddress=True),),
         "fail", "associatePublicIpAddress is true"),
    Case("EC2.181", "encrypted volume", (template(),), "pass"),
    Case("EC2.181", "unencrypted volume", (template(blockDeviceMappings__0__ebs__encrypted="false"),), "fail",
         "/dev/xvda: ebs.encrypted is false"),
    Case("AutoScaling.1", "load-balanced with ELB checks", (group(targetGroupArns=["arn:tg"],
                                                                  healthCheckType="ELB"),), "pass"),
    Case("AutoScaling.1", "load-balanced with EC2 checks", (group(targetGroupArns=["arn:tg"]),), "fail",
         "healthCheckType is EC2"),
    Case("AutoScaling.1", "ECS capacity (tasks, not instances, are registered)", (group(),), "not_applicable"),
    Case("AutoScaling.2", "two AZs", (group(),) + SUBNETS, "pass"),
    Case("AutoScaling.2", "one AZ", (group(vpcZoneIdentifiers=["private-0-id"]),) + SUBNETS, "fail",
         "spans 1 Availability Zone (us-east-1a)"),
    Case("AutoScaling.2", "availabilityZones instead of subnets",
         (group(vpcZoneIdentifiers=None, availabilityZones=["us-east-1a"]),), "fail", "availabilityZones has 1"),
    Case("AutoScaling.6", "two instance types", (group(),), "pass"),
    Case("AutoScaling.6", "a single launch template type", (group(mixedInstancesPolicy=None, launchTemplate={
        "id": "lt-1", "version": "$Latest"}),), "fail", "one instance type"),
    Case("AutoScaling.9", "mixed instances from a launch template", (group(),), "pass"),
    Case("AutoScaling.9", "a launch template directly", (group(mixedInstancesPolicy=None, launchTemplate={
        "id": "lt-1"}),), "pass"),
    Case("AutoScaling.9", "a launch configuration", (group(mixedInstancesPolicy=None,
                                                           launchConfiguration="old-lc"),), "fail",
         "launch configuration"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.control}: {c.label}")
def test_case(case):
    assert_case(case)


def test_launch_template_id_unknown_at_preview_still_counts_as_a_template():
    mixed = copy.deepcopy(GROUP["mixedInstancesPolicy"])
    mixed["launchTemplate"]["launchTemplateSpecification"]["launchTemplateId"] = UNKNOWN
    assert run("AutoScaling.9", group(mixedInstancesPolicy=mixed)).status == "pass"


def test_unknown_metadata_options_are_decided_at_deployment():
    result = run("EC2.170", template(metadataOptions=UNKNOWN))
    assert result.status == "not_applicable" and "metadataOptions" in result.reason
