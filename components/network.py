"""Network: the VPC the stack runs in, or an existing one passed through.

Creates (unless `existing` is given): a VPC with DNS support; per AZ a public and a
private subnet (CIDRs from `deploy.subnets`, stable when AZs are added), neither of
which auto-assigns public IPs (FSBP EC2.15); an internet gateway and a public route
table; the way out of the private subnets (`nat`): none, one NAT gateway with an Elastic
IP (`single`) or one per AZ (`per-az`), one regional NAT gateway (`regional`: AWS places
it in each AZ with workloads and gives it its addresses), or NAT instances (`instance`,
`components.nat_instance`: one, or one per AZ with `nat_instance_per_az`); one private route
table per AZ; the VPC's default security group stripped of all rules (FSBP EC2.2); flow
logs to a CloudWatch log group through a role scoped to that group (FSBP EC2.6); and
optionally an S3 gateway endpoint and interface endpoints with their security group.

With `existing`, nothing of the above is created but the endpoints: the S3 gateway endpoint
on the given private route tables, and the interface endpoints in the given private subnets.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.nat_instance import NatInstance, NatInstanceArgs
from deploy.aws import subnets, tokens


@dataclass(frozen=True, kw_only=True)
class ExistingNetworkArgs:
    vpc_id: str
    public_subnet_ids: Sequence[str]
    private_subnet_ids: Sequence[str]
    """Where the tasks and the interface endpoints go."""
    private_route_table_ids: Sequence[str] = ()
    """The private subnets' route tables: where the S3 gateway endpoint adds its route (with `s3_endpoint`)."""


@dataclass(frozen=True, kw_only=True)
class NatInstanceSettings:
    instance_type: str
    architecture: str
    """`x86_64` or `arm64`, the architecture of `instance_type`."""
    per_az: bool
    """One NAT instance per AZ, each AZ's private subnets routed to their own."""


@dataclass(frozen=True, kw_only=True)
class NetworkArgs:
    region: str
    """AWS region, for endpoint service names."""
    cidr: str
    """VPC IPv4 range."""
    az_count: int
    """Availability Zones to span (2-6)."""
    availability_zones: Sequence[str] | None = None
    """Explicit AZ names; None: the region's first `az_count` available zones."""
    nat: str
    """`none`, `single` (one NAT gateway for all AZs), `per-az`, `regional` or `instance`."""
    nat_instance: NatInstanceSettings | None = None
    """With `nat: instance`."""
    flow_logs: bool
    flow_log_group_name: str
    flow_log_retention_days: int
    flow_log_traffic_type: str
    log_kms_key_arn: str | None = None
    s3_endpoint: bool
    interface_endpoints: Sequence[str] = ()
    """Service suffixes, e.g. `ecr.api`, `ecr.dkr`, `logs`."""
    existing: ExistingNetworkArgs | None = None
    """Use this VPC and these subnets; only the endpoints (`s3_endpoint`, `interface_endpoints`) are created in it."""
    protect: bool
    """Pulumi `protect` on the stateful resources: a plain `pulumi destroy` stops at them (config `protect`)."""
    tags: Mapping[str, str] = field(default_factory=dict)


def _nth(i: int, zones: list[str]) -> str:
    return zones[i]


class Network(pulumi.ComponentResource):
    vpc_id: pulumi.Output[str]
    private_route_table_ids: list[pulumi.Output[str]]
    public_subnet_ids: pulumi.Output[list]
    private_subnet_ids: pulumi.Output[list]
    private_subnets: list[pulumi.Input[str]]
    """The private subnet IDs one by one (one resource per subnet, e.g. EFS mount targets)."""
    vpc_cidr: pulumi.Output[str]

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.NETWORK, name, None, opts)
        self._name = name
        self._args = args
        if args.existing is not None:
            self._use_existing(args.existing)
        else:
            self._create()
        self.register_outputs({
            "vpcId": self.vpc_id,
            "publicSubnetIds": self.public_subnet_ids,
            "privateSubnetIds": self.private_subnet_ids,
        })

    def _opts(self, **kwargs) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **kwargs)

    def _tags(self, role: str) -> dict[str, str]:
        return {**self._args.tags, "Name": f"{self._name}-{role}"}

    def _use_existing(self, ex: ExistingNetworkArgs) -> None:
        vpc = aws.ec2.get_vpc_output(id=ex.vpc_id, opts=pulumi.InvokeOutputOptions(parent=self))
        self.vpc_id = pulumi.Output.from_input(ex.vpc_id)
        self.vpc_cidr = vpc.cidr_block
        self.public_subnet_ids = pulumi.Output.from_input(list(ex.public_subnet_ids))
        self.private_subnet_ids = pulumi.Output.from_input(list(ex.private_subnet_ids))
        self.private_subnets = list(ex.private_subnet_ids)
        self.private_route_table_ids = [pulumi.Output.from_input(t) for t in ex.private_route_table_ids]
        # The tasks' subnets may lie in a secondary CIDR block of the VPC, which the VPC's own CIDR does not cover:
        # the endpoints admit each private subnet as well.
        subnet_cidrs = [aws.ec2.get_subnet_output(id=s, opts=pulumi.InvokeOutputOptions(parent=self)).cidr_block
                        for s in ex.private_subnet_ids] if self._args.interface_endpoints else []
        self._endpoints(self.vpc_id, vpc.cidr_block, list(ex.private_subnet_ids), subnet_cidrs)

    def _create(self) -> None:
        a, n = self._args, self._name
        layout = subnets.allocate(a.cidr, a.az_count)
        if a.availability_zones is not None:
            zones: pulumi.Output[list[str]] = pulumi.Output.from_input(list(a.availability_zones))
        else:
            # Standard zones only: opted-in Local Zones and Wavelength Zones are "available" too, sort
            # first (us-east-1-bos-1a) and lack NAT gateways and most instance types.
            found = aws.get_availability_zones_output(
                state="available", filters=[{"name": "opt-in-status", "values": ["opt-in-not-required"]},
                                            {"name": "zone-type", "values": ["availability-zone"]}],
                opts=pulumi.InvokeOutputOptions(parent=self))
            # Sorted so a change in AWS's answer order never moves a subnet.
            zones = found.names.apply(lambda names: sorted(names)[: a.az_count])

        vpc = aws.ec2.Vpc(f"{n}-vpc", cidr_block=a.cidr, enable_dns_hostnames=True, enable_dns_support=True,
                          tags=self._tags("vpc"), opts=self._opts())
        self.vpc = vpc
        self.vpc_id = vpc.id
        self.vpc_cidr = vpc.cidr_block

        # EC2.2: the default security group must allow nothing; adopting it with no rules strips them.
        aws.ec2.DefaultSecurityGroup(f"{n}-default-sg", vpc_id=vpc.id, ingress=[], egress=[],
                                     tags=self._tags("default-sg-closed"), opts=self._opts())

        igw = aws.ec2.InternetGateway(f"{n}-igw", vpc_id=vpc.id, tags=self._tags("igw"), opts=self._opts())
        public_rt = aws.ec2.RouteTable(f"{n}-public-rt", vpc_id=vpc.id, tags=self._tags("public-rt"),
                                       opts=self._opts())
        aws.ec2.Route(f"{n}-public-default", route_table_id=public_rt.id, destination_cidr_block="0.0.0.0/0",
                      gateway_id=igw.id, opts=self._opts())

        public, private, private_rts = [], [], []
        nats: list[pulumi.Output[str]] = []  # NAT gateway IDs
        instances: list[pulumi.Output[str]] = []  # NAT instance network interface IDs
        for i, cidrs in enumerate(layout):
            az = zones.apply(functools.partial(_nth, i))
            pub = aws.ec2.Subnet(f"{n}-public-{i}", vpc_id=vpc.id, cidr_block=cidrs.public, availability_zone=az,
                                 map_public_ip_on_launch=False, tags={**self._tags(f"public-{i}"), "Tier": "public"},
                                 opts=self._opts())
            aws.ec2.RouteTableAssociation(f"{n}-public-{i}-rta", subnet_id=pub.id, route_table_id=public_rt.id,
                                          opts=self._opts())
            priv = aws.ec2.Subnet(f"{n}-private-{i}", vpc_id=vpc.id, cidr_block=cidrs.private, availability_zone=az,
                                  map_public_ip_on_launch=False,
                                  tags={**self._tags(f"private-{i}"), "Tier": "private"}, opts=self._opts())
            rt = aws.ec2.RouteTable(f"{n}-private-{i}-rt", vpc_id=vpc.id, tags=self._tags(f"private-{i}-rt"),
                                    opts=self._opts())
            aws.ec2.RouteTableAssociation(f"{n}-private-{i}-rta", subnet_id=priv.id, route_table_id=rt.id,
                                          opts=self._opts())
            public.append(pub)
            private.append(priv)
            private_rts.append(rt)
            if a.nat == "per-az" or (a.nat == "single" and i == 0):
                eip = aws.ec2.Eip(f"{n}-nat-{i}-eip", domain="vpc", tags=self._tags(f"nat-{i}-eip"),
                                  opts=self._opts())
                nats.append(aws.ec2.NatGateway(f"{n}-nat-{i}", allocation_id=eip.id, subnet_id=pub.id,
                                               tags=self._tags(f"nat-{i}"), opts=self._opts(depends_on=[igw])).id)
            ni = a.nat_instance
            if a.nat == "instance" and ni is not None and (ni.per_az or i == 0):
                nat_instance = NatInstance(f"{n}-nat-{i}", NatInstanceArgs(
                    vpc_id=vpc.id, vpc_cidr=vpc.cidr_block, subnet_id=pub.id, instance_type=ni.instance_type,
                    architecture=ni.architecture, tags=a.tags),
                    opts=self._opts(depends_on=[igw]))
                instances.append(nat_instance.network_interface_id)
        if a.nat == "regional":
            # One gateway for the VPC, no subnet, no Elastic IP: in automatic mode AWS expands it to each AZ
            # that has workloads and allocates its addresses (Amazon VPC User Guide, "Regional NAT gateways").
            nats.append(aws.ec2.NatGateway(f"{n}-nat", availability_mode="regional", vpc_id=vpc.id,
                                           connectivity_type="public", tags=self._tags("nat"),
                                           opts=self._opts(depends_on=[igw])).id)
        for i, rt in enumerate(private_rts):
            if nats:
                aws.ec2.Route(f"{n}-private-{i}-default", route_table_id=rt.id, destination_cidr_block="0.0.0.0/0",
                              nat_gateway_id=nats[i] if a.nat == "per-az" else nats[0], opts=self._opts())
            elif instances:
                aws.ec2.Route(f"{n}-private-{i}-default", route_table_id=rt.id, destination_cidr_block="0.0.0.0/0",
                              network_interface_id=instances[i] if len(instances) > 1 else instances[0],
                              opts=self._opts())

        self.public_subnet_ids = pulumi.Output.all(*[s.id for s in public])
        self.private_subnet_ids = pulumi.Output.all(*[s.id for s in private])
        self.private_subnets = [s.id for s in private]
        self.private_route_table_ids = [rt.id for rt in private_rts]
        self.nat_gateway_count = len(nats)
        if a.flow_logs:
            self._flow_logs(vpc)
        self._endpoints(vpc.id, vpc.cidr_block, [s.id for s in private], [])

    def _flow_logs(self, vpc: aws.ec2.Vpc) -> None:
        a, n = self._args, self._name
        group = aws.cloudwatch.LogGroup(f"{n}-flow-logs", name=a.flow_log_group_name,
                                        retention_in_days=a.flow_log_retention_days, kms_key_id=a.log_kms_key_arn,
                                        tags=self._tags("flow-logs"), opts=self._opts(protect=a.protect))
        role = aws.iam.Role(f"{n}-flow-logs-role", assume_role_policy=pulumi.Output.json_dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                           "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}}],
        }), tags=self._tags("flow-logs-role"), opts=self._opts())
        # The VPC user guide's minimum for publishing flow logs to CloudWatch Logs ("IAM role for publishing
        # flow logs"): CreateLogGroup, CreateLogStream, PutLogEvents, DescribeLogGroups, DescribeLogStreams.
        # All but DescribeLogGroups are scoped to this group; DescribeLogGroups lists groups and takes no group ARN.
        aws.iam.RolePolicy(f"{n}-flow-logs-write", role=role.id, policy=pulumi.Output.json_dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow",
                           "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                                      "logs:DescribeLogStreams"],
                           "Resource": [group.arn, pulumi.Output.concat(group.arn, ":*")]},
                          {"Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": "*"}],
        }), opts=self._opts())
        aws.ec2.FlowLog(f"{n}-flow-log", vpc_id=vpc.id, traffic_type=a.flow_log_traffic_type,
                        log_destination_type="cloud-watch-logs", log_destination=group.arn, iam_role_arn=role.arn,
                        max_aggregation_interval=60, tags=self._tags("flow-log"), opts=self._opts())

    def _endpoints(self, vpc_id: pulumi.Input[str], vpc_cidr: pulumi.Input[str],
                   private_subnet_ids: Sequence[pulumi.Input[str]], subnet_cidrs: Sequence[pulumi.Input[str]]) -> None:
        """The S3 gateway endpoint on the private route tables, and the interface endpoints in the private subnets
        behind one security group admitting HTTPS from the VPC's CIDR and from each of `subnet_cidrs`."""
        a, n = self._args, self._name
        if a.s3_endpoint:
            aws.ec2.VpcEndpoint(f"{n}-s3", vpc_id=vpc_id, service_name=f"com.amazonaws.{a.region}.s3",
                                vpc_endpoint_type="Gateway", route_table_ids=self.private_route_table_ids,
                                tags=self._tags("s3"), opts=self._opts())
        if not a.interface_endpoints:
            return
        sg = aws.ec2.SecurityGroup(f"{n}-endpoints-sg", vpc_id=vpc_id,
                                   description="Interface endpoints: HTTPS from inside the VPC",
                                   tags=self._tags("endpoints-sg"), opts=self._opts())
        aws.vpc.SecurityGroupIngressRule(f"{n}-endpoints-https", security_group_id=sg.id, ip_protocol="tcp",
                                         from_port=443, to_port=443, cidr_ipv4=vpc_cidr,
                                         description="HTTPS from the VPC", opts=self._opts())
        for i, cidr in enumerate(subnet_cidrs):
            aws.vpc.SecurityGroupIngressRule(f"{n}-endpoints-https-private-{i}", security_group_id=sg.id,
                                             ip_protocol="tcp", from_port=443, to_port=443, cidr_ipv4=cidr,
                                             description=f"HTTPS from private subnet {i}", opts=self._opts())
        for service in sorted(a.interface_endpoints):
            aws.ec2.VpcEndpoint(f"{n}-{service.replace('.', '-')}", vpc_id=vpc_id,
                                service_name=f"com.amazonaws.{a.region}.{service}", vpc_endpoint_type="Interface",
                                private_dns_enabled=True, subnet_ids=list(private_subnet_ids),
                                security_group_ids=[sg.id], tags=self._tags(service), opts=self._opts())
