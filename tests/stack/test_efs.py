"""EFS volumes as AWS receives them: the task definition's volumes and mount points, the file system the stack
creates, the NFS rule from the tasks' group, and the task role's permission to mount exactly that file system."""

from __future__ import annotations

import json

import pytest

from deploy.aws.acceptance.api import problems
from deploy.aws.acceptance.requests import Payload, requests
from deploy.config.parse import load
from deploy.offline import diagram, plan
from deploy.offline.cost.estimate import estimate
from tests.conftest import FIXTURES, PROJECT, inputs_json, make_config

TASK = "aws:ecs/taskDefinition:TaskDefinition"
SERVICE = "aws:ecs/service:Service"
SCHEDULE = "aws:scheduler/schedule:Schedule"
FS = "aws:efs/fileSystem:FileSystem"
MOUNT_TARGET = "aws:efs/mountTarget:MountTarget"
BACKUP = "aws:efs/backupPolicy:BackupPolicy"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
POLICY = "aws:iam/rolePolicy:RolePolicy"
EXISTING_FS, ACCESS_POINT = "fs-0123456789abcdef0", "fsap-0123456789abcdef0"
KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.fixture(scope="module")
def cfg():
    return load(FIXTURES / "Pulumi.efs.yaml", PROJECT, "efs")


@pytest.fixture(scope="module")
def r(cfg):
    return plan.render(cfg)


def task_volumes(r, family: str) -> dict[str, dict]:
    task = next(t for t in r.of_type(TASK) if t.inputs["family"] == family)
    return {v["name"]: v for v in task.inputs["volumes"]}


def statements(r, name: str) -> list[dict]:
    return json.loads(r.one(POLICY, name).inputs["policy"])["Statement"]


def test_a_created_file_system_is_mounted_with_transit_encryption_and_iam_authorization(r):
    volume = task_volumes(r, "efs-cms")["uploads"]["efsVolumeConfiguration"]
    assert volume == {"fileSystemId": r.one(FS, "efs-cms-uploads-fs").id, "transitEncryption": "ENABLED",
                      "authorizationConfig": {"iam": "ENABLED"}}


def test_an_existing_file_system_is_mounted_through_its_access_point(r):
    volume = task_volumes(r, "efs-cms")["assets"]["efsVolumeConfiguration"]
    assert volume["fileSystemId"] == EXISTING_FS
    assert volume["authorizationConfig"] == {"iam": "ENABLED", "accessPointId": ACCESS_POINT}
    assert volume["transitEncryption"] == "ENABLED"


def test_writable_paths_keep_their_task_volumes_beside_the_efs_ones(r):
    assert task_volumes(r, "efs-cms")["app-tmp"] == {"name": "app-tmp"}


def test_mounts_become_the_containers_mount_points_after_its_writable_paths(r):
    [app] = inputs_json(next(t for t in r.of_type(TASK) if t.inputs["family"] == "efs-cms"), "containerDefinitions")
    assert app["mountPoints"] == [
        {"sourceVolume": "app-tmp", "containerPath": "/tmp", "readOnly": False},
        {"sourceVolume": "uploads", "containerPath": "/var/www/uploads", "readOnly": False},
        {"sourceVolume": "assets", "containerPath": "/var/www/assets", "readOnly": True}]
    assert app["readonlyRootFilesystem"] is True


def test_the_task_role_may_mount_exactly_those_file_systems_and_write_only_where_a_mount_is_writable(r):
    assets, uploads = statements(r, "efs-cms-efs-policy")  # by volume name
    assert uploads["Action"] == ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    assert uploads["Resource"] == r.one(FS, "efs-cms-uploads-fs").state["arn"]
    assert uploads["Resource"].startswith("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-")
    assert "Condition" not in uploads
    assert assets["Action"] == ["elasticfilesystem:ClientMount"]
    assert assets["Resource"] == f"arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/{EXISTING_FS}"
    assert assets["Condition"] == {"StringEquals": {"elasticfilesystem:AccessPointArn":
                                                    f"arn:aws:elasticfilesystem:us-east-1:123456789012:"
                                                    f"access-point/{ACCESS_POINT}"}}


def test_the_task_definition_waits_for_the_mount_permission(r):
    task = next(t for t in r.of_type(TASK) if t.inputs["family"] == "efs-cms")
    assert r.one(POLICY, "efs-cms-efs-policy").urn in task.dependencies


def test_the_created_file_system_is_encrypted_backed_up_and_moves_cold_files_to_infrequent_access(r):
    fs = r.one(FS, "efs-cms-uploads-fs")
    assert fs.inputs["encrypted"] is True
    assert "kmsKeyId" not in fs.inputs  # the AWS managed key
    assert fs.inputs["lifecyclePolicies"] == [{"transitionToIa": "AFTER_30_DAYS"}]
    assert fs.inputs["throughputMode"] == "bursting"
    backup = r.one(BACKUP, "efs-cms-uploads-backup")
    assert (backup.inputs["fileSystemId"], backup.inputs["backupPolicy"]) == (fs.id, {"status": "ENABLED"})


def test_a_customer_managed_key_encrypts_the_file_system_and_no_lifecycle_policy_is_set_by_default(r):
    fs = r.one(FS, "efs-reindex-index-fs")
    assert fs.inputs["kmsKeyId"] == KMS
    assert "lifecyclePolicies" not in fs.inputs


def test_a_protected_stack_protects_its_file_systems(r):
    assert [f.protect for f in r.of_type(FS)] == [True, True]


def test_one_mount_target_per_private_subnet_in_the_file_systems_own_group(r):
    fs, group = r.one(FS, "efs-cms-uploads-fs"), r.one(SG, "efs-cms-uploads-sg")
    targets = [t for t in r.of_type(MOUNT_TARGET) if t.inputs["fileSystemId"] == fs.id]
    assert [t.inputs["subnetId"] for t in targets] == r.outputs["privateSubnetIds"]
    assert all(t.inputs["securityGroups"] == [group.id] for t in targets)


def test_the_mount_targets_admit_nfs_only_from_the_services_tasks(r):
    group = r.one(SG, "efs-cms-uploads-sg").id
    rules = [x for x in r.of_type(INGRESS) if x.inputs["securityGroupId"] == group]
    assert [(x.inputs["ipProtocol"], x.inputs["fromPort"], x.inputs["toPort"], x.inputs["referencedSecurityGroupId"])
            for x in rules] == [("tcp", 2049, 2049, r.one(SG, "efs-cms-sg").id)]
    assert [x for x in r.of_type(EGRESS) if x.inputs["securityGroupId"] == group] == []


def test_the_service_starts_after_its_mount_targets_and_nfs_rule(r):
    deps = r.one(SERVICE).dependencies
    fs = r.one(FS, "efs-cms-uploads-fs")
    targets = [t.urn for t in r.of_type(MOUNT_TARGET) if t.inputs["fileSystemId"] == fs.id]
    assert set(targets) <= set(deps) and len(targets) == 2
    assert r.one(INGRESS, "efs-cms-nfs-0").urn in deps


def test_a_scheduled_task_gets_the_nfs_rule_and_its_schedule_waits_for_the_mount_targets(r):
    rule = r.one(INGRESS, "efs-reindex-nfs-0").inputs
    assert rule["securityGroupId"] == r.one(SG, "efs-reindex-index-sg").id
    assert rule["referencedSecurityGroupId"] == r.one(SG, "efs-reindex-sg").id
    fs = r.one(FS, "efs-reindex-index-fs")
    targets = {t.urn for t in r.of_type(MOUNT_TARGET) if t.inputs["fileSystemId"] == fs.id}
    assert targets <= set(r.one(SCHEDULE).dependencies)


def test_in_an_existing_vpc_the_mount_targets_go_in_its_private_subnets():
    r = plan.render(make_config(
        {"network": {"existing": {"vpcId": "vpc-0abc", "publicSubnetIds": ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
                                  "privateSubnetIds": ["subnet-0b1b2c3d", "subnet-0b1b2c3e"]}}},
        services={"web": {"containers": {"app": {"image": {"uri": "public.ecr.aws/nginx/nginx:1.27"},
                                                 "ports": [8080], "mounts": [{"volume": "d", "path": "/d"}]}},
                          "volumes": {"d": {"efs": {"create": True}}}}}))
    assert [t.inputs["subnetId"] for t in r.of_type(MOUNT_TARGET)] == ["subnet-0b1b2c3d", "subnet-0b1b2c3e"]
    [target] = requests(Payload(MOUNT_TARGET, "t", r.of_type(MOUNT_TARGET)[0].inputs))
    assert target.params["SubnetId"] == "subnet-0b1b2c3d"


def test_a_service_without_volumes_has_no_efs_policy_nor_file_system():
    r = plan.render(make_config())
    assert r.of_type(FS) == [] and [p for p in r.of_type(POLICY) if p.name.endswith("-efs-policy")] == []


def test_every_efs_request_passes_the_api_model(r):
    checked = []
    for res in [*r.of_type(FS), *r.of_type(MOUNT_TARGET), *r.of_type(BACKUP), *r.of_type(TASK)]:
        for q in requests(Payload(res.type, res.name, res.inputs)):
            checked.append(q.operation)
            assert problems(q.service, q.operation, q.params) == [], (res.name, q.operation)
    assert {"CreateFileSystem", "PutLifecycleConfiguration", "CreateMountTarget", "PutBackupPolicy",
            "RegisterTaskDefinition"} <= set(checked)


def test_cost_prices_each_created_file_system_at_its_expected_size(cfg, r):
    from deploy.cli.commands.cost import config_assumptions
    from deploy.offline.cost.model import Assumptions

    est = estimate(r, "us-east-1", assumptions=Assumptions(**config_assumptions(cfg)))
    lines = {line.item: line for line in est.lines if line.category == "storage"}
    assert lines["EFS Standard storage efs-cms-uploads-fs"].quantity == 20
    assert round(lines["EFS Standard storage efs-cms-uploads-fs"].monthly, 2) == 6.00  # 20 GB x $0.30
    assert round(lines["EFS Standard storage efs-reindex-index-fs"].monthly, 2) == 0.30
    assert est.per_request["aws:efs/backupPolicy:BackupPolicy"] == 2


def test_cost_in_a_region_without_a_confirmed_efs_price_says_so(r):
    est = estimate(r, "ap-northeast-2")
    line = next(x for x in est.lines if x.item == "EFS Standard storage efs-cms-uploads-fs")
    assert line.unit_price is None and line.note == "no confirmed ap-northeast-2 EFS price"


def test_the_diagram_draws_both_file_systems_and_what_mounts_them(r):
    text = diagram.mermaid(diagram.build(r))
    assert 'efs_efs_cms_uploads_fs[("EFS<br/>efs-cms-uploads-fs<br/>encrypted, backups on, 2 mount targets")]' in text
    assert "svc_efs_cms_svc -.->|mounts /var/www/uploads| efs_efs_cms_uploads_fs" in text
    assert "svc_efs_cms_svc -.->|mounts /var/www/assets| efs_fs_0123456789abcdef0" in text
    assert "-.->|mounts /index| efs_efs_reindex_index_fs" in text
