"""NatInstance: an EC2 instance that gives private subnets their way out, for a tenth of a NAT gateway.

Creates, in one public subnet: a network interface with the source/destination check off
(an instance that forwards traffic is neither its source nor its destination) and an
Elastic IP on it; a security group admitting everything from the VPC's CIDR and nothing
from anywhere else; a launch template for the current Amazon Linux 2023 AMI of the type's
architecture (AWS's public SSM parameter), IMDSv2 required, an encrypted gp3 root volume,
no key pair, no instance profile, and user data that turns the instance into a NAT; and
an Auto Scaling group of exactly one instance, so a failed or terminated instance is
replaced by a new one.

The fixed interface is what the private route tables target (`Network`). The launch
template names it as the instance's primary interface (device index 0), as the EC2 Auto
Scaling User Guide shows ("Examples for creating and managing launch templates with the
AWS CLI", Specify an existing network interface,
https://docs.aws.amazon.com/autoscaling/ec2/userguide/examples-launch-templates-aws-cli.html).
An interface is attached to one instance at a time, hence a group of exactly one: a
replacement comes up behind the same interface, private IP and Elastic IP, so no route
changes and nothing on the instance calls an AWS API. The launch template
assigns no public IP itself (FSBP EC2.25): the address is the interface's Elastic IP.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from deploy.aws import tokens

AMI_PARAMETERS = {
    "x86_64": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    "arm64": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
}
"""AWS's public SSM parameters for the latest Amazon Linux 2023 AMI (Amazon Linux 2023 User Guide,
"Get the latest AL2023 AMI ID using Systems Manager parameter store")."""
ROOT_VOLUME_GIB = 8
"""The Amazon Linux 2023 AMIs' root snapshot is 8 GiB; a volume may not be smaller than its snapshot."""


@dataclass(frozen=True, kw_only=True)
class NatInstanceArgs:
    vpc_id: pulumi.Input[str]
    vpc_cidr: pulumi.Input[str]
    """Traffic admitted from (and masqueraded for): the whole VPC."""
    subnet_id: pulumi.Input[str]
    """The public subnet the instance and its interface live in."""
    instance_type: str
    architecture: str
    """`x86_64` or `arm64`: picks the AMI."""
    tags: Mapping[str, str] = field(default_factory=dict)


def user_data(vpc_cidr: str) -> str:
    """Boot script: the Amazon VPC User Guide's NAT configuration for Amazon Linux 2023 ("NAT instances",
    Create a NAT AMI: iptables-services, persistent IP forwarding, MASQUERADE on the default interface,
    an empty FORWARD chain), limited to traffic from the VPC."""
    return "\n".join([
        "#!/bin/bash",
        "set -euxo pipefail",
        "dnf install -y iptables-services",
        "systemctl enable --now iptables",
        'echo "net.ipv4.ip_forward=1" > /etc/sysctl.d/90-nat-instance.conf',
        "sysctl -p /etc/sysctl.d/90-nat-instance.conf",
        "iface=$(ip route show default | awk '{print $5; exit}')",
        f'iptables -t nat -A POSTROUTING -o "$iface" -s {vpc_cidr} -j MASQUERADE',
        "iptables -F FORWARD",
        "service iptables save",
        "",
    ])


class NatInstance(pulumi.ComponentResource):
    network_interface_id: pulumi.Output[str]
    """What the private route tables send 0.0.0.0/0 to."""

    def __init__(self, name: str, args: NatInstanceArgs, opts: pulumi.ResourceOptions | None = None):
        if args.architecture not in AMI_PARAMETERS:  # before anything is registered: nothing half-created
            raise ValueError(f"NatInstanceArgs.architecture: one of {', '.join(AMI_PARAMETERS)} "
                             f"(got {args.architecture!r})")
        super().__init__(tokens.NAT_INSTANCE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = {**args.tags, "Name": name}
        sg = aws.ec2.SecurityGroup(f"{name}-sg", vpc_id=args.vpc_id, description="NAT instance: traffic from the VPC",
                                   tags=tags, opts=child)
        aws.vpc.SecurityGroupIngressRule(f"{name}-from-vpc", security_group_id=sg.id, ip_protocol="-1",
                                         cidr_ipv4=args.vpc_cidr, description="Everything the VPC sends out",
                                         opts=child)
        aws.vpc.SecurityGroupEgressRule(f"{name}-to-internet", security_group_id=sg.id, ip_protocol="-1",
                                        cidr_ipv4="0.0.0.0/0", description="Forwarded traffic to the internet",
                                        opts=child)
        eni = aws.ec2.NetworkInterface(f"{name}-eni", subnet_id=args.subnet_id, security_groups=[sg.id],
                                       source_dest_check=False, description=f"{name}: fixed NAT interface",
                                       tags=tags, opts=child)
        self.elastic_ip = aws.ec2.Eip(f"{name}-eip", domain="vpc", network_interface=eni.id, tags=tags, opts=child)
        ami = aws.ssm.get_parameter_output(name=AMI_PARAMETERS[args.architecture],
                                           opts=pulumi.InvokeOutputOptions(parent=self))
        data = pulumi.Output.from_input(args.vpc_cidr).apply(
            lambda cidr: base64.b64encode(user_data(cidr).encode()).decode())
        self.launch_template = aws.ec2.LaunchTemplate(
            f"{name}-lt", image_id=ami.value, instance_type=args.instance_type,
            metadata_options={"http_endpoint": "enabled", "http_tokens": "required",
                              "http_put_response_hop_limit": 1, "instance_metadata_tags": "disabled"},
            block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {
                "volume_size": ROOT_VOLUME_GIB, "volume_type": "gp3", "encrypted": "true",
                "delete_on_termination": "true"}}],
            # The fixed interface as the primary one; it outlives every instance (no delete on termination).
            network_interfaces=[{"device_index": 0, "network_interface_id": eni.id, "delete_on_termination": "false"}],
            user_data=data, update_default_version=True,
            tag_specifications=[{"resource_type": "instance", "tags": tags},
                                {"resource_type": "volume", "tags": tags}],
            tags=tags, opts=child)
        self.group = aws.autoscaling.Group(
            f"{name}-asg", vpc_zone_identifiers=[args.subnet_id], min_size=1, max_size=1, desired_capacity=1,
            health_check_type="EC2", health_check_grace_period=120,
            launch_template={"id": self.launch_template.id, "version": "$Latest"},
            tags=[{"key": k, "value": v, "propagate_at_launch": True} for k, v in sorted(tags.items())],
            opts=child)
        self.network_interface_id = eni.id
        self.register_outputs({"networkInterfaceId": eni.id, "publicIp": self.elastic_ip.public_ip})
