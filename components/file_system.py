"""FileSystem: an Amazon EFS file system that one service's tasks mount.

Creates a security group for the mount targets (no rules of its own: the service that
mounts the file system adds an ingress rule on TCP 2049 from its task group, and a
security group keeps no egress rule, since replies to admitted traffic pass anyway); the
file system, encrypted at rest (the AWS managed key, or a customer managed one), with an
optional lifecycle policy to Infrequent Access; its backup policy, on (AWS Backup's
daily default plan: FSBP EFS.2); and one mount target per private subnet, so a task in
any AZ mounts it in its own AZ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from deploy.aws import tokens

NFS_PORT = 2049
"""EFS serves NFS on TCP 2049 (EFS User Guide, "Using VPC security groups")."""


@dataclass(frozen=True, kw_only=True)
class FileSystemArgs:
    vpc_id: pulumi.Input[str]
    subnet_ids: Sequence[pulumi.Input[str]]
    """One mount target in each: the private subnets, one per AZ (EFS allows one mount target per AZ)."""
    kms_key_arn: str | None = None
    """None: the AWS managed key aws/elasticfilesystem."""
    transition_to_ia_days: int | None = None
    """Days without access before a file moves to Infrequent Access; None: never."""
    protect: bool
    """Pulumi `protect` on the file system: a plain `pulumi destroy` stops at it (config `protect`)."""
    tags: Mapping[str, str] = field(default_factory=dict)


def nfs_ingress(name: str, task_group_id: pulumi.Input[str], mount_target_group_ids: Sequence[pulumi.Input[str]],
                opts: pulumi.ResourceOptions) -> list[pulumi.Resource]:
    """NFS (TCP 2049) from the tasks' group into each file system's mount-target group, and nothing else."""
    return [aws.vpc.SecurityGroupIngressRule(
        f"{name}-nfs-{i}", security_group_id=group, ip_protocol="tcp", from_port=NFS_PORT, to_port=NFS_PORT,
        referenced_security_group_id=task_group_id, description=f"NFS from the tasks of {name}", opts=opts)
        for i, group in enumerate(mount_target_group_ids)]


class FileSystem(pulumi.ComponentResource):
    id: pulumi.Output[str]
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: FileSystemArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.FILE_SYSTEM_COMPONENT, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.security_group = aws.ec2.SecurityGroup(
            f"{name}-sg", vpc_id=args.vpc_id, description=f"Mount targets of {name}: NFS from its tasks only",
            tags={**args.tags, "Name": f"{name}-mount-targets"}, opts=child)
        lifecycle: list[aws.efs.FileSystemLifecyclePolicyArgsDict] | None = None
        if args.transition_to_ia_days is not None:
            days = args.transition_to_ia_days
            lifecycle = [{"transition_to_ia": f"AFTER_{days}_DAY{'S' if days > 1 else ''}"}]
        self.file_system = aws.efs.FileSystem(
            f"{name}-fs", encrypted=True, kms_key_id=args.kms_key_arn, performance_mode="generalPurpose",
            # Bursting: no charge beyond storage (elastic throughput bills every GB read and written).
            throughput_mode="bursting", lifecycle_policies=lifecycle, tags={**args.tags, "Name": name},
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect))
        aws.efs.BackupPolicy(f"{name}-backup", file_system_id=self.file_system.id,
                             backup_policy={"status": "ENABLED"}, opts=child)
        self.mount_targets = [
            aws.efs.MountTarget(f"{name}-mt-{i}", file_system_id=self.file_system.id, subnet_id=subnet,
                                security_groups=[self.security_group.id], opts=child)
            for i, subnet in enumerate(args.subnet_ids)]
        self.id = self.file_system.id
        self.arn = self.file_system.arn
        self.security_group_id = self.security_group.id
        self.register_outputs({"fileSystemId": self.id, "securityGroupId": self.security_group_id})
