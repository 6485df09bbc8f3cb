"""Ec2Capacity: an Auto Scaling group of ECS container instances, as a capacity provider.

Creates the container-instance role (AmazonEC2ContainerServiceforEC2Role only) and its
instance profile; a security group with no ingress (awsvpc tasks carry their own groups);
a launch template with the ECS-optimised Amazon Linux 2023 AMI for the instances'
architecture (resolved from AWS's public SSM parameter), IMDSv2 required with a hop limit
of 1, an encrypted gp3 root volume, no public IP and user data that joins the cluster; an
Auto Scaling group over the private subnets of every AZ with a mixed instances policy
(several types, optional Spot share), scale-in protection and the `AmazonECSManaged` tag;
and an ECS capacity provider with managed scaling, managed termination protection and
managed draining.

Why hop limit 1: the instance's own processes (the ECS agent runs in host network mode)
reach IMDS in one hop, while a container behind the Docker bridge needs two, so bridge
containers cannot read the instance role's credentials. Tasks in `awsvpc` mode have their
own network interface, where the hop limit does not apply: `ECS_AWSVPC_BLOCK_IMDS=true`
in the agent configuration blocks them. Tasks get credentials from their task role only.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from deploy.aws import tokens

AMI_PARAMETERS = {
    "x86_64": "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
    "arm64": "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
}
INSTANCE_ROLE_POLICY = "arn:{partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
IMDS_HOP_LIMIT = 1


@dataclass(frozen=True, kw_only=True)
class Ec2CapacityArgs:
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[str]]
    """Private subnets, one per AZ."""
    instance_types: Sequence[str]
    """One architecture; the first is the preferred type."""
    architecture: str
    """`x86_64` or `arm64`: picks the AMI."""
    partition: str
    """ARN partition of the region (`aws`, `aws-cn`, `aws-us-gov`), for the managed policy's ARN."""
    min_size: int
    max_size: int
    on_demand_base: int
    spot_percentage: int
    """Share of instances above the base bought on Spot."""
    target_capacity: int
    root_volume_size: int
    volume_kms_key_arn: str | None = None
    agent_stop_timeout: int
    awsvpc_trunking: bool
    cluster_name: pulumi.Input[str] | None = None
    """The cluster instances join (set by the `Cluster` component that owns this capacity)."""
    tags: Mapping[str, str] = field(default_factory=dict)


def user_data(cluster_name: str, stop_timeout: int, spot: bool, trunking: bool) -> str:
    """ECS agent configuration for /etc/ecs/ecs.config. Holds no secrets: it is readable in the console."""
    settings = {
        "ECS_CLUSTER": cluster_name,
        "ECS_AWSVPC_BLOCK_IMDS": "true",
        "ECS_ENABLE_SPOT_INSTANCE_DRAINING": "true" if spot else "false",
        "ECS_CONTAINER_STOP_TIMEOUT": f"{stop_timeout}s",

        "ECS_ENABLE_CONTAINER_METADATA": "true",
    }
    if trunking:
        # Only when asked: writing false would opt the instances out of an account-wide setting.
        settings["ECS_ENABLE_HIGH_DENSITY_ENI"] = "true"
    body = "\n".join(f"{k}={v}" for k, v in settings.items())
    return f"#!/bin/bash\ncat <<'EOF' >> /etc/ecs/ecs.config\n{body}\nEOF\n"


def _group_tags(tags: Mapping[str, str]) -> list[aws.autoscaling.GroupTagArgsDict]:
    """The group's tags, propagated to its instances; `AmazonECSManaged` marks it as an ECS capacity provider's."""
    managed: aws.autoscaling.GroupTagArgsDict = {"key": "AmazonECSManaged", "value": "true", "propagate_at_launch": True}
    own: list[aws.autoscaling.GroupTagArgsDict] = [{"key": k, "value": v, "propagate_at_launch": True}
                                                  for k, v in sorted(tags.items())]
    return [managed, *own]


class Ec2Capacity(pulumi.ComponentResource):
    provider_name: pulumi.Output[str]

    def __init__(self, name: str, args: Ec2CapacityArgs, opts: pulumi.ResourceOptions | None = None):
        if args.cluster_name is None:  # before anything is registered: nothing half-created
            raise ValueError("Ec2CapacityArgs.cluster_name: the cluster the instances join is required")
        super().__init__(tokens.EC2_CAPACITY, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = {**args.tags, "Name": name}
        role = aws.iam.Role(f"{name}-instance-role", assume_role_policy=pulumi.Output.json_dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "ec2.amazonaws.com"}}]}),
            description="ECS container instances", tags=tags, opts=child)
        aws.iam.RolePolicyAttachment(f"{name}-instance-ecs", role=role.name, policy_arn=INSTANCE_ROLE_POLICY.format(partition=args.partition),
                                     opts=child)
        profile = aws.iam.InstanceProfile(f"{name}-profile", role=role.name, tags=tags, opts=child)
        sg = aws.ec2.SecurityGroup(f"{name}-sg", vpc_id=args.vpc_id, description="ECS container instances",
                                   tags={**tags, "Name": f"{name}-instances"}, opts=child)
        aws.vpc.SecurityGroupEgressRule(f"{name}-egress", security_group_id=sg.id, ip_protocol="-1",
                                        cidr_ipv4="0.0.0.0/0", description="ECS, ECR and image pulls", opts=child)
        group_deps: list[pulumi.Resource] = []
        if args.awsvpc_trunking:
            # Account-wide: more awsvpc tasks per instance on Nitro types (ENI trunking). Only instances
            # registered after the setting get trunk interfaces, so the group waits for it.
            group_deps.append(aws.ecs.AccountSettingDefault(f"{name}-trunking", name="awsvpcTrunking",
                                                            value="enabled", opts=child))

        ami = aws.ssm.get_parameter_output(name=AMI_PARAMETERS[args.architecture],
                                           opts=pulumi.InvokeOutputOptions(parent=self))
        spot = args.spot_percentage > 0
        data = pulumi.Output.from_input(args.cluster_name).apply(lambda cluster: base64.b64encode(
            user_data(cluster, args.agent_stop_timeout, spot, args.awsvpc_trunking).encode()).decode())
        ebs: aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgsDict = {"volume_size": args.root_volume_size, "volume_type": "gp3", "encrypted": "true",
               "delete_on_termination": "true"}
        if args.volume_kms_key_arn:
            ebs["kms_key_id"] = args.volume_kms_key_arn
        self.launch_template = aws.ec2.LaunchTemplate(
            f"{name}-lt", image_id=ami.value, iam_instance_profile={"arn": profile.arn},
            metadata_options={"http_endpoint": "enabled", "http_tokens": "required",
                              "http_put_response_hop_limit": IMDS_HOP_LIMIT, "instance_metadata_tags": "disabled"},
            block_device_mappings=[{"device_name": "/dev/xvda", "ebs": ebs}],
            network_interfaces=[{"device_index": 0, "associate_public_ip_address": "false",
                                 "security_groups": [sg.id], "delete_on_termination": "true"}],
            monitoring={"enabled": True}, user_data=data, update_default_version=True,
            tag_specifications=[{"resource_type": "instance", "tags": tags},
                                {"resource_type": "volume", "tags": tags}],
            tags=tags, opts=child)

        self.group = aws.autoscaling.Group(
            f"{name}-asg", vpc_zone_identifiers=args.subnet_ids, min_size=args.min_size, max_size=args.max_size,
            # Managed termination protection needs every instance protected from scale-in; ECS lifts it when
            # an instance has no tasks left.
            protect_from_scale_in=True, capacity_rebalance=spot, health_check_type="EC2",
            default_instance_warmup=180,
            mixed_instances_policy={
                "launch_template": {
                    "launch_template_specification": {"launch_template_id": self.launch_template.id,
                                                      "version": "$Latest"},
                    "overrides": [{"instance_type": t} for t in args.instance_types],
                },
                "instances_distribution": {
                    "on_demand_base_capacity": args.on_demand_base,
                    "on_demand_percentage_above_base_capacity": 100 - args.spot_percentage,
                    "on_demand_allocation_strategy": "prioritized",
                    "spot_allocation_strategy": "price-capacity-optimized",
                },
            },
            tags=_group_tags(tags),
            # ECS managed scaling owns the desired capacity.
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["desiredCapacity"], depends_on=group_deps))

        self.capacity_provider = aws.ecs.CapacityProvider(
            f"{name}-cp", auto_scaling_group_provider={
                "auto_scaling_group_arn": self.group.arn,
                "managed_termination_protection": "ENABLED",
                "managed_draining": "ENABLED",
                "managed_scaling": {"status": "ENABLED", "target_capacity": args.target_capacity,
                                    "minimum_scaling_step_size": 1, "maximum_scaling_step_size": 10,
                                    "instance_warmup_period": 180},
            }, tags=tags, opts=child)
        self.provider_name = self.capacity_provider.name
        self.security_group_id = sg.id
        self.register_outputs({"providerName": self.provider_name, "groupName": self.group.name})
