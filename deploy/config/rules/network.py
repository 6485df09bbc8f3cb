"""The network: an existing VPC, the zones, and everything a network without NAT needs.

Without a NAT gateway, tasks and instances reach AWS only through VPC endpoints, or through
public IPs in the cheapest network (no NAT, no endpoints). Every consequence of
`nat: none` is checked here, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic.alias_generators import to_camel

from ...aws import arns, subnets
from ...aws.tokens import SECRET_PLACEHOLDER
from .. import resolve
from ..model import Service, StackConfig
from ..problems import Problem, based_on, counted, valued
from .capacity import strategy_basis

# What tasks in private subnets need to start without a NAT gateway: pull images, write logs.
TASK_ENDPOINTS = ("ecr.api", "ecr.dkr", "logs")
# What EC2 container instances in private subnets need to reach without a NAT gateway.
EC2_ENDPOINTS = ("ecs", "ecs-agent", "ecs-telemetry", "ecr.api", "ecr.dkr", "logs")


def check(cfg: StackConfig) -> Iterator[Problem]:
    net = cfg.network
    if net.existing is not None:
        yield from _existing(cfg)
        return
    yield from _zones(cfg)
    yield from _room_for_the_alb(cfg)
    if net.nat == "none":
        yield from _without_nat(cfg)
    if net.nat_instance is not None and net.nat != "instance":
        yield Problem("network.natInstance", f"applies only with `nat: instance` (nat is {net.nat!r}); remove it "
                                             "or set `nat: instance`")
    for name, svc in cfg.services.items():
        yield from based_on(("network", *strategy_basis(svc)), _public_ip(cfg, f"services.{name}", svc))


_IDS = ("vpc_id", "public_subnet_ids", "private_subnet_ids", "private_route_table_ids")


def _existing(cfg: StackConfig) -> Iterator[Problem]:
    """An existing VPC: its IDs written or read from a Terraform state, never both; endpoints may be added to it,
    nothing else about it is configured here."""
    net = cfg.network
    ex = net.existing
    if ex is None:
        return
    for key in ("cidr", "az_count", "availability_zones", "nat", "nat_instance", "flow_logs"):
        if key in net.model_fields_set:
            yield Problem(f"network.{to_camel(key)}", "cannot be set with `network.existing` "
                                                      "(the existing VPC is used as it is)")
    written = [key for key in _IDS if getattr(ex, key) is not None]
    if ex.from_terraform is not None:
        for key in written:
            yield Problem(f"network.existing.{to_camel(key)}", "cannot be set with `fromTerraform`, which reads it "
                                                               "from the state's outputs; remove one or the other")
        return
    for key in _IDS[:3]:
        if key not in written:
            yield Problem(f"network.existing.{to_camel(key)}", "is required (or `fromTerraform`, to read the IDs "
                                                               "from a Terraform state)")
    if ex.public_subnet_ids is not None and ex.private_subnet_ids is not None \
            and len(ex.public_subnet_ids) != len(ex.private_subnet_ids):
        yield Problem("network.existing", "give as many public as private subnets (one of each per AZ)")
    if net.endpoints.s3 and ex.private_route_table_ids is None:
        yield Problem("network.existing.privateRouteTableIds", "is required with `network.endpoints.s3`: the S3 "
                                                               "gateway endpoint is a route in the private subnets' "
                                                               "route tables")
    if not net.endpoints.s3 and ex.private_route_table_ids is not None:
        yield Problem("network.existing.privateRouteTableIds", "applies only with `network.endpoints.s3`; remove it "
                                                               "or set `endpoints.s3: true`")


def _room_for_the_alb(cfg: StackConfig) -> Iterator[Problem]:
    if not resolve.web_services(cfg):
        return
    prefix = int(cfg.network.cidr.split("/")[1])
    if prefix > subnets.LARGEST_VPC_PREFIX_WITH_ALB:
        yield Problem("network.cidr", f"a /{prefix} VPC gets /{prefix + subnets.PUBLIC_EXTRA_BITS} public subnets, and "
                                      f"an Application Load Balancer needs /{subnets.ALB_SUBNET_PREFIX} or larger; "
                                      f"use a /{subnets.LARGEST_VPC_PREFIX_WITH_ALB} VPC or larger")


def _zones(cfg: StackConfig) -> Iterator[Problem]:
    net = cfg.network
    azs = net.availability_zones
    if azs is None:
        return
    if len(azs) != net.az_count:
        yield Problem("network.availabilityZones", f"lists {counted(len(azs), 'zone')} but azCount is "
                                                   f"{valued(net, 'az_count')}")
    if len(set(azs)) != len(azs):
        yield Problem("network.availabilityZones", "lists a zone twice")
    for az in azs:
        if cfg.region and not re.fullmatch(re.escape(cfg.region) + r"[a-z]", az):
            yield Problem("network.availabilityZones", f"{az!r} is not a zone of {cfg.region} (e.g. {cfg.region}a)")


def _without_nat(cfg: StackConfig) -> Iterator[Problem]:
    net = cfg.network
    endpoints = net.endpoints
    if endpoints.interface or endpoints.s3:
        missing = resolve.missing_endpoints(net, TASK_ENDPOINTS)
        if missing:
            yield Problem("network.endpoints", "with `nat: none`, private tasks reach AWS only through "
                                               f"endpoints; add {', '.join(missing)} (or use a NAT)")
        refs = [ref for svc in cfg.services.values() for c in svc.containers.values() for ref in c.secrets.values()]
        wanted = sorted({arns.secret_service(ref) for ref in refs if ref != SECRET_PLACEHOLDER})
        for service in resolve.missing_endpoints(net, wanted, s3=False):
            yield Problem("network.endpoints.interface", f"containers read secrets from {service}; with "
                                                         f"`nat: none` add the `{service}` endpoint")
        if any(s.queue is not None for s in cfg.services.values()) and "sqs" not in endpoints.interface:
            yield Problem("network.endpoints.interface", "workers use SQS; with `nat: none` add the `sqs` endpoint")
        yield from _exec_endpoints(cfg)
        yield from _private_pulls(cfg)
    if cfg.cluster.ec2 is not None:
        missing = resolve.missing_endpoints(net, EC2_ENDPOINTS)
        if missing:
            yield Problem("network.endpoints", "EC2 instances in private subnets without a NAT reach ECS only "
                                               f"through endpoints; add {', '.join(missing)} (or use a NAT)")


def _exec_endpoints(cfg: StackConfig) -> Iterator[Problem]:
    """ECS Exec from private tasks without a NAT: "you must create the interface Amazon VPC endpoints for the Systems
    Manager Session Manager (ssmmessages)", and with a KMS key "the interface Amazon VPC endpoint for AWS KMS"
    (ECS developer guide, ECS Exec considerations, "ECS Exec and Amazon VPC")."""
    private = [n for n in resolve.exec_services(cfg)
               if not resolve.assign_public_ip(cfg.network, cfg.services[n], resolve.on_ec2(cfg, cfg.services[n]))]
    if not private:
        return
    wanted = ["ssmmessages", *(["kms"] if cfg.logs.kms_key_arn else [])]
    for service in resolve.missing_endpoints(cfg.network, wanted, s3=False):
        why = "ECS Exec sessions" if service == "ssmmessages" else "ECS Exec sessions encrypted with `logs.kmsKeyArn`"
        yield Problem("network.endpoints.interface", f"{why} of {', '.join(private)} reach Session Manager only "
                                                     f"through endpoints with `nat: none`; add the `{service}` "
                                                     "endpoint")


def _private_pulls(cfg: StackConfig) -> Iterator[Problem]:
    """Without a NAT gateway, private tasks pull through the ECR endpoints, which serve only this region's
    private registries (ECR user guide, "Amazon ECR interface VPC endpoints")."""
    private_ecr = re.compile(rf"\d{{12}}\.dkr\.ecr\.{re.escape(cfg.region)}\.amazonaws\.com(\.cn)?/")
    for name, svc in cfg.services.items():
        for cname, c in svc.containers.items():
            uri = c.image.uri
            if uri is not None and cfg.region and not private_ecr.match(uri):
                yield Problem(f"services.{name}.containers.{cname}.image.uri",
                              f"{uri!r} is not in {cfg.region}'s private ECR; with `nat: none` private tasks pull only "
                              "through the ECR endpoints, which serve this region's private registries (not ECR "
                              "Public, Docker Hub or another region): copy the image to ECR here, build it with "
                              "`image.build`, or use a NAT", ("network",))
        router = resolve.log_router(svc)
        if router is not None and cfg.region and not private_ecr.match(router.image):
            # The FireLens sidecar is pulled like any other container: its default comes from ECR Public.
            yield Problem(f"services.{name}.logging.router.image",
                          f"{router.image!r} is not in {cfg.region}'s private ECR; with `nat: none` private tasks "
                          "pull only through the ECR endpoints: copy AWS for Fluent Bit to ECR here (or pull it "
                          "through an ECR pull-through cache) and name it here, or use a NAT", ("network",))


def _public_ip(cfg: StackConfig, key: str, svc: Service) -> Iterator[Problem]:
    if svc.assign_public_ip is None or resolve.on_ec2(cfg, svc):
        return  # EC2 tasks: the capacity rules refuse public IPs outright
    cheapest = resolve.cheapest_network(cfg.network)
    if svc.assign_public_ip and not cheapest:
        yield Problem(f"{key}.assignPublicIp", "public IPs on tasks are only for `network.nat: none` without "
                                               "endpoints; with a NAT or endpoints tasks stay private (FSBP ECS.2)")
    if not svc.assign_public_ip and cheapest:
        yield Problem(f"{key}.assignPublicIp", "with `network.nat: none` and no endpoints, private tasks cannot "
                                               "pull images; add a NAT or endpoints, or leave this unset")
