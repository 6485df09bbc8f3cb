"""VPC and security group controls: default group, flow logs, subnets, internet-open ingress.

Ingress comes in three shapes, all checked: inline `ingress` blocks of a security group,
`aws.vpc.SecurityGroupIngressRule` (what the stack uses) and `aws.ec2.SecurityGroupRule`
of type `ingress`. "Open" means from 0.0.0.0/0 or ::/0.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .elb import LOAD_BALANCERS
from .model import MANDATORY, Control, NotApplicable, Res, Stack, Undecided, Violation, flag, items, known, objects

VPC = "aws:ec2/vpc:Vpc"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
SUBNET = "aws:ec2/subnet:Subnet"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_TYPES = (SECURITY_GROUP, INGRESS_RULE, SG_RULE)
FSBP = "AWS Foundational Security Best Practices"
OURS = "this project (network exposure)"

OPEN = {"0.0.0.0/0", "::/0"}
WEB_PORTS = {80, 443}  # EC2.18's default authorizedTcpPorts
HIGH_RISK_PORTS = (20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500,
                   5601, 8080, 8088, 8888, 9200, 9300)  # EC2.19's list
ALL_PROTOCOLS = {"-1", "all"}


@dataclass(frozen=True)
class Ingress:
    protocol: str
    low: int
    high: int
    source: str

    def __str__(self) -> str:
        ports = "all ports" if (self.low, self.high) == (0, 65535) else \
            str(self.low) if self.low == self.high else f"{self.low}-{self.high}"
        protocol = "all protocols" if self.protocol in ALL_PROTOCOLS else self.protocol
        return f"{protocol} {ports} from {self.source}"

    def ports(self, protocol: str) -> range | None:
        """The ports this rule opens for `protocol` (tcp/udp), or None."""
        if self.protocol in ALL_PROTOCOLS or self.protocol in (protocol, {"tcp": "6", "udp": "17"}[protocol]):
            return range(self.low, self.high + 1)
        return None

    def web_only(self) -> bool:
        """Opens nothing but TCP 80 and/or 443 (counted, not enumerated: a range may be 0-65535)."""
        tcp = self.ports("tcp")
        return self.ports("udp") is None and tcp is not None and sum(p in tcp for p in WEB_PORTS) == len(tcp)


def _rule(protocol: Any, low: Any, high: Any, source: str) -> Ingress:
    protocol = str(known(protocol, "protocol")).lower()
    if protocol in ALL_PROTOCOLS:
        return Ingress(protocol, 0, 65535, source)
    low, high = known(low, "fromPort"), known(high, "toPort")
    low = 0 if low in (None, -1) else int(low)
    high = 65535 if high in (None, -1) else int(high)
    return Ingress(protocol, low, high, source)


def open_ingress(r: Res) -> list[Ingress]:
    """The internet-open ingress a security group or rule resource grants; NotApplicable when unknown."""
    found = []
    if r.type == SECURITY_GROUP:
        for block in objects(r.props.get("ingress"), "ingress"):
            sources = items(block.get("cidrBlocks"), "cidrBlocks") + items(block.get("ipv6CidrBlocks"),
                                                                           "ipv6CidrBlocks")
            found += [_rule(block.get("protocol"), block.get("fromPort"), block.get("toPort"), s)
                      for s in sources if known(s, "cidr") in OPEN]
    elif r.type == INGRESS_RULE:
        for key in ("cidrIpv4", "cidrIpv6"):
            if known(r.props.get(key), key) in OPEN:
                found.append(_rule(r.props.get("ipProtocol"), r.props.get("fromPort"), r.props.get("toPort"),
                                   r.props[key]))
    elif r.type == SG_RULE and known(r.props.get("type"), "type") == "ingress":
        sources = items(r.props.get("cidrBlocks"), "cidrBlocks") + items(r.props.get("ipv6CidrBlocks"),
                                                                         "ipv6CidrBlocks")
        found += [_rule(r.props.get("protocol"), r.props.get("fromPort"), r.props.get("toPort"), s)
                  for s in sources if known(s, "cidr") in OPEN]
    return found


def only_web_ports_open(r: Res, _: Mapping) -> Iterator[str]:
    for rule in open_ingress(r):
        if (rule.ports("tcp") is not None or rule.ports("udp") is not None) and not rule.web_only():
            yield f"ingress {rule}: only TCP 80 and 443 may be open to the internet"


def no_high_risk_ports_open(r: Res, _: Mapping) -> Iterator[str]:
    for rule in open_ingress(r):
        tcp, udp = rule.ports("tcp") or range(0), rule.ports("udp") or range(0)
        risky = [p for p in HIGH_RISK_PORTS if p in tcp or p in udp]
        if risky:
            shown = ", ".join(map(str, risky[:6])) + (", ..." if len(risky) > 6 else "")
            yield f"ingress {rule} opens high-risk port{'s' if len(risky) > 1 else ''} {shown}"


def _group_of(stack: Stack, rule: Res) -> list[Res]:
    if rule.type == SECURITY_GROUP:
        return [rule]
    return stack.referenced(rule, "securityGroupId", rule.props.get("securityGroupId"), (SECURITY_GROUP,))


def open_only_on_load_balancer(stack: Stack, _: Mapping) -> Iterator[Violation | Undecided]:
    alb_groups: set[str] = set()
    for lb in stack.of_type(LOAD_BALANCERS):
        groups = stack.referenced(lb, "securityGroups", lb.props.get("securityGroups"), (SECURITY_GROUP,))
        alb_groups.update(g.urn for g in groups)
    for r in stack.of_type(INGRESS_TYPES):
        try:
            rules = open_ingress(r)
        except NotApplicable as na:
            yield Undecided(r, na.reason)
            continue
        if not rules:
            continue
        groups = _group_of(stack, r)
        if not groups:
            yield Undecided(r, "its security group is not part of this stack")
            continue
        on_alb = all(g.urn in alb_groups for g in groups)
        for rule in rules:
            if not (on_alb and rule.web_only()):
                where = "the load balancer's security group" if on_alb else f"security group {groups[0].name}"
                yield Violation(r, f"ingress {rule} on {where}: only the load balancer's group may be open to "
                                   "the internet, on 80/443")


def default_group_closed(stack: Stack, _: Mapping) -> Iterator[Violation | Undecided]:
    managed: set[str] = set()
    for dsg in stack.of_type(DEFAULT_SG):
        managed.update(v.urn for v in stack.referenced(dsg, "vpcId", dsg.props.get("vpcId"), (VPC,)))
        try:
            if items(dsg.props.get("ingress"), "ingress") or items(dsg.props.get("egress"), "egress"):
                yield Violation(dsg, "the VPC's default security group has rules; it must allow nothing")
        except NotApplicable as na:
            yield Undecided(dsg, na.reason)
        for rule in stack.of_type((INGRESS_RULE, EGRESS_RULE, SG_RULE)):
            targets = stack.referenced(rule, "securityGroupId", rule.props.get("securityGroupId"), (DEFAULT_SG,))
            if any(t.urn == dsg.urn for t in targets):
                yield Violation(rule, f"adds a rule to the default security group {dsg.name}")
    for vpc in stack.of_type(VPC):
        if vpc.urn not in managed:
            yield Violation(vpc, "the default security group is left as AWS creates it (all traffic within the "
                                 "group); adopt it with aws.ec2.DefaultSecurityGroup and no rules")


def flow_logs(stack: Stack, _: Mapping) -> Iterator[Violation]:
    logged: set[str] = set()
    for log in stack.of_type(FLOW_LOG):
        traffic = log.props.get("trafficType")
        if isinstance(traffic, str) and traffic not in ("ALL", "REJECT"):
            continue  # ACCEPT-only logs miss the rejected traffic EC2.6 asks for
        logged.update(v.urn for v in stack.referenced(log, "vpcId", log.props.get("vpcId"), (VPC,)))
    for vpc in stack.of_type(VPC):
        if vpc.urn not in logged:
            yield Violation(vpc, "no VPC flow log capturing rejected traffic (trafficType ALL or REJECT)")


def no_public_ip_on_launch(r: Res, _: Mapping) -> Iterator[str]:
    if flag(known(r.props.get("mapPublicIpOnLaunch"), "mapPublicIpOnLaunch")) is True:
        yield "mapPublicIpOnLaunch is true: instances in this subnet get public IPv4 addresses"
    if flag(known(r.props.get("assignIpv6AddressOnCreation"), "assignIpv6AddressOnCreation")) is True:
        yield "assignIpv6AddressOnCreation is true: network interfaces get public IPv6 addresses"


CONTROLS = [
    Control("EC2.2", "The VPC default security group allows no traffic", "high", MANDATORY, (VPC, DEFAULT_SG),
            FSBP, validate_stack=default_group_closed),
    Control("EC2.6", "VPCs have flow logs", "medium", MANDATORY, (VPC,), FSBP, validate_stack=flow_logs),
    Control("EC2.15", "Subnets do not auto-assign public IP addresses", "medium", MANDATORY, (SUBNET,), FSBP,
            validate=no_public_ip_on_launch),
    Control("EC2.18", "Internet-open ingress only on authorized ports (TCP 80, 443)", "high", MANDATORY,
            INGRESS_TYPES, FSBP, validate=only_web_ports_open),
    Control("EC2.19", "No internet-open ingress to high-risk ports", "critical", MANDATORY, INGRESS_TYPES, FSBP,
            validate=no_high_risk_ports_open),
    Control("NET.1", "Only the load balancer's security group is open to the internet, on 80/443", "high",
            MANDATORY, INGRESS_TYPES, OURS, validate_stack=open_only_on_load_balancer),
]
