"""Rules that relate several settings, or check values against AWS's own tables (pure).

`check(cfg)` returns every problem it finds; it never stops at the first. Each problem
names the config key it is about and what is allowed. Stack-wide sections are checked
here; services in `service_rules.py`, workload kinds and EC2 placement in
`workload_rules.py`.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Iterator

from pydantic.alias_generators import to_camel

from .. import iam, limits, naming, subnets
from .model import StackConfig
from .problems import (  # noqa: F401 - Problem and SECRET_PLACEHOLDER are part of this module's API
    BUCKET, CERT_ARN, PREFIX, SECRET_PLACEHOLDER, Problem, in_range, kms, missing_endpoints, retention,
    strategy_problems,
)
from .service_rules import routing_conflicts, service, target_container, target_port  # noqa: F401
from .workload_rules import capacity, workloads


def check(cfg: StackConfig) -> list[Problem]:
    problems = [
        *_stack(cfg),
        *_network(cfg),
        *_cluster(cfg),
        *_registry(cfg),
        *_load_balancer(cfg),
        *retention("logs.retentionDays", cfg.logs.retention_days),
        *kms("logs.kmsKeyArn", cfg.logs.kms_key_arn),
    ]
    for name, svc in cfg.services.items():
        problems.extend(service(cfg, name, svc))
    problems.extend(routing_conflicts(cfg))
    problems.extend(capacity(cfg))
    problems.extend(workloads(cfg))
    return problems


# --- stack -------------------------------------------------------------------------------


def _stack(cfg: StackConfig) -> Iterator[Problem]:
    if not PREFIX.match(cfg.prefix):
        key = "name" if cfg.name else "stack name"
        yield Problem(key, f"{cfg.prefix!r} must be lowercase letters, digits and hyphens "
                           "(it prefixes AWS resource names); set `name` to such a prefix")
    if not naming.fits_lb_limit(naming.alb_name(cfg.prefix)) and cfg.web_services():
        yield Problem("name", f"the load balancer name {naming.alb_name(cfg.prefix)!r} plus Pulumi's "
                              f"{limits.AUTONAME_SUFFIX}-character suffix exceeds AWS's "
                              f"{limits.LB_NAME_MAX} characters; set a shorter `name`")
    if not cfg.services:
        yield Problem("services", "define at least one service", ("services",))


# --- network -----------------------------------------------------------------------------


def _network(cfg: StackConfig) -> Iterator[Problem]:
    net = cfg.network
    yield from retention("network.flowLogs.retentionDays", net.flow_logs.retention_days)
    if net.existing is not None:
        ex = net.existing
        if len(ex.public_subnet_ids) != len(ex.private_subnet_ids):
            yield Problem("network.existing", "give as many public as private subnets (one of each per AZ)")
        for key in ("cidr", "az_count", "availability_zones", "nat", "endpoints", "flow_logs"):
            if key in net.model_fields_set:
                yield Problem(f"network.{to_camel(key)}", "cannot be set with `network.existing` "
                                                  "(the existing VPC is used as it is)")
        return
    try:
        vpc = ipaddress.IPv4Network(net.cidr, strict=True)
    except ValueError as exc:
        yield Problem("network.cidr", f"{net.cidr!r} is not a valid IPv4 network address ({exc}); "
                                      "use e.g. 10.0.0.0/16")
    else:
        largest = subnets.max_vpc_prefix()
        if not 16 <= vpc.prefixlen <= largest:
            yield Problem("network.cidr", f"/{vpc.prefixlen} is too {'large' if vpc.prefixlen < 16 else 'small'}: "
                                          f"a VPC is /16 to /28, and the subnets of {subnets.MAX_AZS} AZs need "
                                          f"/16 to /{largest}")
    if net.availability_zones is not None:
        azs = net.availability_zones
        if len(azs) != net.az_count:
            yield Problem("network.availabilityZones", f"lists {len(azs)} zones but azCount is {net.az_count}")
        if len(set(azs)) != len(azs):
            yield Problem("network.availabilityZones", "lists a zone twice")
        for az in azs:
            if cfg.region and not re.fullmatch(re.escape(cfg.region) + r"[a-z]", az):
                yield Problem("network.availabilityZones", f"{az!r} is not a zone of {cfg.region} "
                                                           f"(e.g. {cfg.region}a)")
    endpoints = net.endpoints
    if net.nat == "none" and (endpoints.interface or endpoints.s3):
        missing = missing_endpoints(net, ("ecr.api", "ecr.dkr", "logs"))
        if missing:
            yield Problem("network.endpoints", "with `nat: none`, private tasks reach AWS only through "
                                               f"endpoints; add {', '.join(missing)} (or use a NAT)")
        refs = [ref for svc in cfg.services.values() for c in svc.containers.values() for ref in c.secrets.values()]
        wanted = sorted({iam.secret_service(ref) for ref in refs if ref != SECRET_PLACEHOLDER})
        for service in missing_endpoints(net, wanted, s3=False):
            yield Problem("network.endpoints.interface", f"containers read secrets from {service}; with "
                                                         f"`nat: none` add the `{service}` endpoint")


# --- cluster / registry ------------------------------------------------------------------


def _cluster(cfg: StackConfig) -> Iterator[Problem]:
    yield from strategy_problems("cluster.capacityProviderStrategy", cfg.cluster.capacity_provider_strategy)


def _registry(cfg: StackConfig) -> Iterator[Problem]:
    reg = cfg.registry
    if reg.kms_key_arn is not None and reg.encryption != "KMS":
        yield Problem("registry.kmsKeyArn", "is used only with `registry.encryption: KMS`")
    yield from kms("registry.kmsKeyArn", reg.kms_key_arn)


# --- load balancer -----------------------------------------------------------------------


def _load_balancer(cfg: StackConfig) -> Iterator[Problem]:
    lb = cfg.load_balancer
    for i, cidr in enumerate(lb.ingress_cidrs):
        try:
            network = ipaddress.ip_network(cidr, strict=True)
        except ValueError:
            yield Problem(f"loadBalancer.ingressCidrs[{i}]", f"{cidr!r} is not a CIDR block (e.g. 203.0.113.0/24)")
            continue
        if network.version == 6:
            yield Problem(f"loadBalancer.ingressCidrs[{i}]", f"{cidr!r} is IPv6; the load balancer is IPv4-only "
                                                            "(its VPC has no IPv6 range)")
    if lb.certificate_arn is not None and not CERT_ARN.match(lb.certificate_arn):
        yield Problem("loadBalancer.certificateArn",
                      "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)")
    if lb.certificate_arn and lb.domain:
        yield Problem("loadBalancer.domain", "set either `certificateArn` or `domain` + `hostedZoneId`, not both")
    if lb.domain and not lb.hosted_zone_id:
        yield Problem("loadBalancer.hostedZoneId", "is required with `domain` (to validate the certificate)")
    if lb.hosted_zone_id and not lb.domain:
        yield Problem("loadBalancer.domain", "is required with `hostedZoneId`")
    if lb.tls_policy not in limits.TLS_POLICIES:
        yield Problem("loadBalancer.tlsPolicy", f"{lb.tls_policy!r} is not a current TLS 1.3 policy; use one of "
                                                f"{', '.join(limits.TLS_POLICIES)}")
    if lb.access_logs is not None and not BUCKET.match(lb.access_logs.bucket):
        yield Problem("loadBalancer.accessLogs.bucket", f"{lb.access_logs.bucket!r} is not an S3 bucket name")
    if lb.https is True and not (lb.certificate_arn or lb.domain):
        yield Problem("loadBalancer.https", "HTTPS needs a certificate: set `certificateArn`, or `domain` "
                                            "and `hostedZoneId` to issue one")
