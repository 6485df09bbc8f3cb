"""FileSystem: an EFS file system, its backup policy, one mount target per subnet, and the NFS rule a service adds."""

from __future__ import annotations

import pulumi
import pytest

from components.file_system import NFS_PORT, FileSystem, FileSystemArgs, nfs_ingress

FS = "aws:efs/fileSystem:FileSystem"
MOUNT_TARGET = "aws:efs/mountTarget:MountTarget"
BACKUP = "aws:efs/backupPolicy:BackupPolicy"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"


def build(**overrides):
    fields = {"vpc_id": "vpc-0abc", "subnet_ids": ["subnet-a", "subnet-b", "subnet-c"], "protect": False,
              "tags": {"Stack": "t"}, **overrides}

    def program():
        fs = FileSystem("p-web-data", FileSystemArgs(**fields))
        nfs_ingress("p-web", "sg-tasks", [fs.security_group_id], pulumi.ResourceOptions())
        return {"id": fs.id}

    return program


def test_its_resources_are_children_of_the_component(render):
    r = render(build())
    component = r.one("ecsapp:storage:FileSystem")
    assert {x.parent for x in [*r.of_type(FS), *r.of_type(MOUNT_TARGET), *r.of_type(BACKUP), *r.of_type(SG)]} == {
        component.urn}


def test_one_mount_target_per_subnet(render):
    r = render(build())
    assert [t.inputs["subnetId"] for t in r.of_type(MOUNT_TARGET)] == ["subnet-a", "subnet-b", "subnet-c"]


@pytest.mark.parametrize("days,rule", [(1, "AFTER_1_DAY"), (7, "AFTER_7_DAYS"), (365, "AFTER_365_DAYS")])
def test_the_lifecycle_rule_is_spelled_as_efs_spells_it(render, days, rule):
    fs = render(build(transition_to_ia_days=days)).one(FS)
    assert fs.inputs["lifecyclePolicies"] == [{"transitionToIa": rule}]


def test_protect_reaches_the_file_system_only(render):
    r = render(build(protect=True))
    assert r.one(FS).protect is True
    assert not any(t.protect for t in r.of_type(MOUNT_TARGET))


def test_the_nfs_rule_admits_only_the_tasks_group_on_2049(render):
    r = render(build())
    rule = r.one(INGRESS).inputs
    assert (rule["fromPort"], rule["toPort"], rule["ipProtocol"], rule["referencedSecurityGroupId"]) == (
        NFS_PORT, 2049, "tcp", "sg-tasks")
    assert rule["securityGroupId"] == r.one(SG).id
