"""LoadBalancer: the one ALB shared by the stack's web services, internet-facing or internal.

Creates a security group admitting 80 (and 443 with HTTPS) only from the configured
CIDRs and security groups, with no egress until services add theirs (to their own task
groups, on their container ports); an ALB in the given subnets of every AZ (public ones, or
private ones for an internal ALB, which has no public addresses) that drops invalid header
fields (FSBP ELB.4), uses defensive desync mitigation (ELB.12), optionally writes access
logs (ELB.5) and protects itself from deletion (ELB.6); an HTTP listener that redirects
to HTTPS when a certificate is configured (ELB.1) and otherwise answers 404 to anything
no service claims; an HTTPS listener with a TLS 1.3 policy (ELB.17). With `domain` +
`hosted_zone_id` it also issues a DNS-validated ACM certificate for the domain and its
alternative names, with one validation record per distinct record ACM asks for (a wildcard
and its apex share one), and points the domain and each alias host at the ALB with an
alias A record (the ALB is IPv4-only: no AAAA). With `web_acl_arn` it associates that AWS
WAF web ACL with the ALB.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from deploy.aws import certificates, naming, tokens

NOT_FOUND: aws.lb.ListenerDefaultActionArgsDict = {"type": "fixed-response",
             "fixed_response": {"content_type": "text/plain", "message_body": "Not found", "status_code": "404"}}


@dataclass(frozen=True, kw_only=True)
class LoadBalancerArgs:
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[str]]
    """Public subnets (private ones when internal), at least two AZs."""
    internal: bool
    """Scheme `internal`: private addresses only, reached from inside the VPC."""
    ingress_cidrs: Sequence[pulumi.Input[str]]
    """IPv4 CIDR blocks that may reach the listeners (e.g. the VPC's range, known only at deploy time)."""
    ingress_security_group_ids: Sequence[str] = ()
    """Security groups whose members may reach the listeners."""
    https: bool
    certificate_arn: str | None = None
    domain: str | None = None
    hosted_zone_id: str | None = None
    alternative_names: Sequence[str] = ()
    """More names on the issued certificate (subject alternative names), validated in `hosted_zone_id`."""
    alias_hosts: Sequence[str] = ()
    """Hosts besides `domain` that get an alias record to the ALB in `hosted_zone_id`."""
    web_acl_arn: str | None = None
    """A regional AWS WAF web ACL to associate with the ALB."""
    tls_policy: str
    deletion_protection: bool
    idle_timeout: int
    access_logs_bucket: str | None = None
    access_logs_prefix: str = ""
    test_ports: Sequence[int] = ()
    """Test listeners (blue-green, linear and canary deployments' test traffic): same protocol and certificate as
    production, answering 404 to anything no service's test rule claims, open to `ingress_cidrs`."""
    protect: bool
    """Pulumi `protect` on the stateful resources: a plain `pulumi destroy` stops at them (config `protect`)."""
    tags: Mapping[str, str] = field(default_factory=dict)


class LoadBalancer(pulumi.ComponentResource):
    listener_arn: pulumi.Output[str]
    """The listener services attach their rules to (HTTPS when enabled)."""
    security_group_id: pulumi.Output[str]
    arn_suffix: pulumi.Output[str]
    url: pulumi.Output[str]

    def __init__(self, name: str, args: LoadBalancerArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.LOAD_BALANCER_COMPONENT, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        name = naming.alb_name(name)  # children: "<prefix>-alb-*"; the ALB's AWS name derives from it
        # A group's description cannot change without replacing it: it stays as first written.
        self.security_group = aws.ec2.SecurityGroup(
            f"{name}-sg", vpc_id=args.vpc_id, description="ALB: HTTP/HTTPS from the allowed CIDRs",
            tags={**args.tags, "Name": f"{name}-sg"}, opts=child)
        ports = [80, 443] if args.https else [80]
        for i, cidr in enumerate(args.ingress_cidrs):
            for port in ports:
                label = f"{'HTTPS' if port == 443 else 'HTTP'} from "
                aws.vpc.SecurityGroupIngressRule(
                    f"{name}-in-{port}-{i}", security_group_id=self.security_group.id, ip_protocol="tcp",
                    from_port=port, to_port=port, cidr_ipv4=cidr, opts=child,
                    description=label + cidr if isinstance(cidr, str) else pulumi.Output.concat(label, cidr))
            for port in args.test_ports:
                label = "Deployment test traffic from "
                aws.vpc.SecurityGroupIngressRule(
                    f"{name}-in-test-{port}-{i}", security_group_id=self.security_group.id, ip_protocol="tcp",
                    from_port=port, to_port=port, cidr_ipv4=cidr, opts=child,
                    description=label + cidr if isinstance(cidr, str) else pulumi.Output.concat(label, cidr))
        for i, group in enumerate(args.ingress_security_group_ids):
            for port in [*ports, *args.test_ports]:
                what = "HTTPS" if port == 443 else "HTTP" if port == 80 else "Deployment test traffic"
                aws.vpc.SecurityGroupIngressRule(
                    f"{name}-in-{port}-sg-{i}", security_group_id=self.security_group.id, ip_protocol="tcp",
                    from_port=port, to_port=port, referenced_security_group_id=group,
                    description=f"{what} from members of {group}", opts=child)

        access_logs: aws.lb.LoadBalancerAccessLogsArgsDict | None = None
        if args.access_logs_bucket:
            access_logs = {"bucket": args.access_logs_bucket, "prefix": args.access_logs_prefix, "enabled": True}
        self.alb = aws.lb.LoadBalancer(
            name, load_balancer_type="application", internal=args.internal,
            security_groups=[self.security_group.id], subnets=args.subnet_ids,
            drop_invalid_header_fields=True, desync_mitigation_mode="defensive",
            enable_deletion_protection=args.deletion_protection, idle_timeout=args.idle_timeout,
            access_logs=access_logs, tags={**args.tags, "Name": name},
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect))

        if args.web_acl_arn:
            aws.wafv2.WebAclAssociation(f"{name}-waf", resource_arn=self.alb.arn, web_acl_arn=args.web_acl_arn,
                                        opts=child)

        certificate_arn: pulumi.Input[str] | None = args.certificate_arn
        if args.https and args.domain and args.hosted_zone_id:
            certificate_arn = self._certificate(name, args)

        if args.https:
            self.https_listener = aws.lb.Listener(
                f"{name}-https", load_balancer_arn=self.alb.arn, port=443, protocol="HTTPS",
                ssl_policy=args.tls_policy, certificate_arn=certificate_arn, default_actions=[NOT_FOUND],
                tags=dict(args.tags), opts=child)
            http_default: aws.lb.ListenerDefaultActionArgsDict = {
                "type": "redirect", "redirect": {"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}}
        else:
            http_default = NOT_FOUND
        self.http_listener = aws.lb.Listener(
            f"{name}-http", load_balancer_arn=self.alb.arn, port=80, protocol="HTTP",
            default_actions=[http_default], tags=dict(args.tags), opts=child)

        self.test_listener_arns: dict[int, pulumi.Output[str]] = {}
        for port in args.test_ports:
            test = aws.lb.Listener(
                f"{name}-test-{port}", load_balancer_arn=self.alb.arn, port=port,
                protocol="HTTPS" if args.https else "HTTP", ssl_policy=args.tls_policy if args.https else None,
                certificate_arn=certificate_arn if args.https else None, default_actions=[NOT_FOUND],
                tags=dict(args.tags), opts=child)
            self.test_listener_arns[port] = test.arn

        main = self.https_listener if args.https else self.http_listener
        self.listener = main
        self.listener_arn = main.arn
        self.security_group_id = self.security_group.id
        self.arn_suffix = self.alb.arn_suffix
        scheme = "https" if args.https else "http"
        host = args.domain if args.https and args.domain else self.alb.dns_name
        self.url = pulumi.Output.concat(scheme, "://", host)
        self.register_outputs({"url": self.url, "dnsName": self.alb.dns_name})

    def _certificate(self, name: str, args: LoadBalancerArgs) -> pulumi.Output[str]:
        child = pulumi.ResourceOptions(parent=self)
        if args.domain is None or args.hosted_zone_id is None:
            raise ValueError("LoadBalancerArgs: a certificate needs domain and hosted_zone_id")
        cert = aws.acm.Certificate(f"{name}-cert", domain_name=args.domain, validation_method="DNS",
                                   subject_alternative_names=list(args.alternative_names) or None,
                                   tags={**args.tags, "Name": f"{name}-cert"},
                                   opts=child)
        # ACM returns one validation option per name, and the same CNAME for `*.x` and `x`: one record per distinct
        # record, named after what it validates. The first keeps its original logical name (no replacement).
        fqdns: list[pulumi.Output[str]] = []
        for i, validated in enumerate(certificates.validation_names([args.domain, *args.alternative_names])):
            option = cert.domain_validation_options.apply(functools.partial(_option, validated=validated))
            suffix = "" if i == 0 else f"-{_slug(validated)}"
            record = aws.route53.Record(f"{name}-cert-validation{suffix}", zone_id=args.hosted_zone_id,
                                        name=option.resource_record_name, type=option.resource_record_type,
                                        records=[option.resource_record_value], ttl=300, allow_overwrite=True,
                                        opts=child)
            fqdns.append(record.fqdn)
        validation = aws.acm.CertificateValidation(f"{name}-cert-validated", certificate_arn=cert.arn,
                                                   validation_record_fqdns=fqdns, opts=child)
        alias: list[aws.route53.RecordAliasArgsDict] = [
            {"name": self.alb.dns_name, "zone_id": self.alb.zone_id, "evaluate_target_health": True}]
        aws.route53.Record(f"{name}-alias", zone_id=args.hosted_zone_id, name=args.domain, type="A",
                           aliases=alias, opts=child)
        for host in args.alias_hosts:
            aws.route53.Record(f"{name}-alias-{_slug(host)}", zone_id=args.hosted_zone_id, name=host, type="A",
                               aliases=alias, opts=child)
        return validation.certificate_arn


def _slug(domain: str) -> str:
    """A name as part of a logical name: `www.example.com` -> `www-example-com` (stable: it is the record's identity)."""
    return domain.lower().replace("*", "wildcard").replace(".", "-")


def _option(options: Sequence[aws.acm.outputs.CertificateDomainValidationOption], *, validated: str
            ) -> aws.acm.outputs.CertificateDomainValidationOption:
    """The validation option ACM returned for `validated` or its wildcard."""
    for option in options:
        if certificates.validated_name((option.domain_name or "").lower()) == validated:
            return option
    raise ValueError(f"ACM returned no validation option for {validated}")
