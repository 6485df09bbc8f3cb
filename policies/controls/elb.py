"""Elastic Load Balancing (v2) controls for the application load balancer and its listeners."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .model import (
    ADVISORY,
    MANDATORY,
    Control,
    NotApplicable,
    Res,
    Stack,
    Undecided,
    Violation,
    get,
    items,
    known,
    require_two_azs,
)

LOAD_BALANCERS = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
LISTENERS = ("aws:lb/listener:Listener", "aws:alb/listener:Listener")
LISTENER_RULES = ("aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule")
WEB_ACL_ASSOCIATIONS = ("aws:wafv2/webAclAssociation:WebAclAssociation",
                        "aws:wafregional/webAclAssociation:WebAclAssociation")
FSBP = "AWS Foundational Security Best Practices"
CATALOG = "AWS Security Hub control catalog (not in FSBP)"

# ELB.17's list (Security Hub, current). Note ELBSecurityPolicy-TLS13-1-2-2021-06 is NOT on it:
# it still offers TLS 1.2 CBC ciphers; the "-Res-" (restricted) variant is the compliant one.
RECOMMENDED_TLS_POLICIES = frozenset({
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
})


def _lb_type(r: Res) -> str:
    return known(r.props.get("loadBalancerType"), "loadBalancerType") or "application"


def _application(r: Res) -> None:
    if _lb_type(r) != "application":
        raise NotApplicable(f"a {_lb_type(r)} load balancer, not an application load balancer")


def _protocol(listener: Res) -> str:
    # An ALB listener without a protocol is HTTP (the provider's default); NLB listeners must set one.
    return known(listener.props.get("protocol"), "protocol") or "HTTP"


def _redirects_to_https(actions: list) -> bool:
    return (len(actions) == 1 and isinstance(actions[0], dict) and actions[0].get("type") == "redirect"
            and str(get(actions[0], "redirect.protocol", "")).upper() == "HTTPS")


def _actions(r: Res, key: str) -> list:
    """The actions of a listener or rule; NotApplicable while any of them is unknown."""
    actions = items(r.props.get(key), key)
    for a in actions:
        known(a, key)
    return actions


def http_redirects_to_https(stack: Stack, _: Mapping) -> Iterator[Violation | Undecided]:
    rules = stack.of_type(LISTENER_RULES)
    for listener in stack.of_type(LISTENERS):
        try:
            if _protocol(listener) != "HTTP":
                continue
            problems = []
            if not _redirects_to_https(_actions(listener, "defaultActions")):
                problems.append("its default action does not redirect to HTTPS")
            attached = [r for r in rules if listener.urn in {
                x.urn for x in stack.referenced(r, "listenerArn", r.props.get("listenerArn"), LISTENERS)}]
            serving = sorted(r.name for r in attached if not _redirects_to_https(_actions(r, "actions")))
        except NotApplicable as na:
            yield Undecided(listener, na.reason)  # unknown at preview: decided when `pulumi up` runs it again
            continue
        if serving:
            problems.append(f"listener rules {', '.join(serving)} serve plain HTTP")
        if problems:
            yield Violation(listener, f"HTTP listener on port {listener.props.get('port', 80)}: "
                                      + "; ".join(problems))


def drop_invalid_headers(r: Res, _: Mapping) -> Iterator[str]:
    _application(r)
    if known(r.props.get("dropInvalidHeaderFields"), "dropInvalidHeaderFields") is not True:
        yield "dropInvalidHeaderFields is not true: malformed headers reach the targets"


def access_logs(r: Res, _: Mapping) -> Iterator[str]:
    _application(r)
    logs = known(r.props.get("accessLogs"), "accessLogs") or {}
    if known(logs.get("enabled"), "accessLogs.enabled") is not True or not logs.get("bucket"):
        yield "access logs are not enabled (accessLogs.enabled with an S3 bucket)"


def deletion_protection(r: Res, _: Mapping) -> Iterator[str]:
    if known(r.props.get("enableDeletionProtection"), "enableDeletionProtection") is not True:
        yield "enableDeletionProtection is not true"


def desync_mitigation(r: Res, _: Mapping) -> Iterator[str]:
    _application(r)
    mode = known(r.props.get("desyncMitigationMode"), "desyncMitigationMode") or "defensive"  # AWS default
    if mode not in ("defensive", "strictest"):
        yield f"desyncMitigationMode is {mode}; use defensive or strictest"


def multi_az(stack: Stack, _: Mapping) -> Iterator[Violation | Undecided]:
    for lb in stack.of_type(LOAD_BALANCERS):
        prop, subnets = "subnets", lb.props.get("subnets")
        if not subnets and lb.props.get("subnetMappings"):
            prop, subnets = "subnetMappings", [get(m, "subnetId") for m in lb.props["subnetMappings"]]
        try:
            for message in require_two_azs(stack, lb, prop, subnets, "the load balancer"):
                yield Violation(lb, message)
        except NotApplicable as na:
            yield Undecided(lb, na.reason)


def web_acl(stack: Stack, _: Mapping) -> Iterator[Violation | Undecided]:
    """ELB.16 (alb-waf-enabled): an application load balancer is associated with a WAF web ACL. Internal ALBs are
    left out, as checkov's CKV2_AWS_28 does: nothing on the internet reaches them."""
    associations = stack.of_type(WEB_ACL_ASSOCIATIONS)
    for lb in stack.of_type(LOAD_BALANCERS):
        try:
            _application(lb)
            if known(lb.props.get("internal"), "internal") is True:
                continue
        except NotApplicable:
            continue
        attached = [a for a in associations
                    if lb in stack.referenced(a, "resourceArn", a.props.get("resourceArn"), LOAD_BALANCERS)]
        if not attached:
            yield Violation(lb, "no AWS WAF web ACL is associated with this internet-facing load balancer "
                                "(loadBalancer.webAclArn)")


def recommended_tls_policy(r: Res, _: Mapping) -> Iterator[str]:
    if _protocol(r) not in ("HTTPS", "TLS"):
        raise NotApplicable("not an HTTPS or TLS listener")
    policy = known(r.props.get("sslPolicy"), "sslPolicy")
    if policy not in RECOMMENDED_TLS_POLICIES:
        yield f"sslPolicy is {policy or 'not set (AWS default ELBSecurityPolicy-2016-08)'}; use a recommended " \
              "policy such as ELBSecurityPolicy-TLS13-1-2-Res-2021-06"


CONTROLS = [
    Control("ELB.1", "HTTP listeners of application load balancers redirect to HTTPS", "medium", MANDATORY,
            LISTENERS, FSBP, validate_stack=http_redirects_to_https),
    Control("ELB.4", "Application load balancers drop invalid HTTP headers", "medium", MANDATORY, LOAD_BALANCERS,
            FSBP, validate=drop_invalid_headers),
    Control("ELB.5", "Application load balancers write access logs", "medium", ADVISORY, LOAD_BALANCERS, FSBP,
            validate=access_logs),
    Control("ELB.6", "Load balancers have deletion protection", "medium", ADVISORY, LOAD_BALANCERS, FSBP,
            validate=deletion_protection, production_enforcement=MANDATORY),
    Control("ELB.12", "Application load balancers use defensive or strictest desync mitigation", "medium",
            MANDATORY, LOAD_BALANCERS, FSBP, validate=desync_mitigation),
    Control("ELB.13", "Load balancers span at least two Availability Zones", "medium", MANDATORY, LOAD_BALANCERS,
            FSBP, validate_stack=multi_az),
    Control("ELB.16", "Internet-facing application load balancers are protected by an AWS WAF web ACL", "medium",
            ADVISORY, LOAD_BALANCERS, CATALOG, validate_stack=web_acl),
    Control("ELB.17", "HTTPS listeners use a recommended TLS security policy", "medium", MANDATORY, LISTENERS, FSBP,
            validate=recommended_tls_policy),
]
