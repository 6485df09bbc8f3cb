"""What an Application Load Balancer accepts in listener rules and target group health checks (pure).

Shared by the config rules (which name the setting) and the acceptance check (which names
the payload). Sources: botocore elbv2 model documentation (Matcher.HttpCode, Matcher.GrpcCode,
HostHeaderConditionConfig.Values, PathPatternConditionConfig.Values, SourceIpConditionConfig.Values,
CreateTargetGroupInput.HealthCheckPath and ProtocolVersion), the ALB quotas page
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html:
"Condition values per rule: 5", "Condition wildcards per rule: 5") and the provider's
TargetGroupStickiness docs (pulumi-aws 7.51.1 `lb/_inputs.py`, `cookie_duration`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import Final

MAX_CONDITION_VALUES: Final = 5
MAX_WILDCARDS: Final = 5
MAX_CONDITION_VALUE_LENGTH: Final = 128
MATCHER_CODES: Final = (200, 499)
GRPC_MATCHER_CODES: Final = (0, 99)
"""Matcher.GrpcCode: "You can specify values between 0 and 99 ... The default value is 12."."""
GRPC_DEFAULT_MATCHER: Final = "12"
GRPC_DEFAULT_HEALTH_CHECK_PATH: Final = "/AWS.ALB/healthcheck"
"""CreateTargetGroupInput.HealthCheckPath: "[GRPC protocol version] The path of a custom health check method with
the format /package.service/method. The default is /AWS.ALB/healthcheck" (botocore writes the brand out)."""
PROTOCOL_VERSIONS: Final = ("HTTP1", "HTTP2", "GRPC")
"""CreateTargetGroupInput.ProtocolVersion: GRPC, HTTP2 or the default HTTP1."""
STICKINESS_DURATION: Final = (1, 604800)
"""An lb_cookie's duration in seconds: "The range is 1 second to 1 week (604800 seconds). The default value is 1 day
(86400 seconds)." (pulumi-aws 7.51.1 TargetGroupStickiness.cookie_duration)."""
STICKINESS_DEFAULT_DURATION: Final = 86400

_HTTP_CODES = re.compile(r"(\d{3})(-(\d{3}))?")


_GRPC_CODES = re.compile(r"(\d{1,2})(-(\d{1,2}))?")
_GRPC_METHOD = re.compile(r"/[^/*?\s]+\.[^/*?\s]+/[^/*?\s]+")


def matcher_problem(matcher: str, grpc: bool = False) -> str | None:
    """An ALB health check's success codes: HTTP 200 to 499 (gRPC target groups: gRPC codes 0 to 99), as single
    codes, lists and ranges."""
    low, high = GRPC_MATCHER_CODES if grpc else MATCHER_CODES
    pattern = _GRPC_CODES if grpc else _HTTP_CODES
    for part in matcher.split(","):
        m = pattern.fullmatch(part)
        codes = [int(m.group(1)), int(m.group(3) or m.group(1))] if m else []
        if not codes or not all(low <= c <= high for c in codes) or codes[0] > codes[1]:
            if grpc:
                return f"must be gRPC codes from {low} to {high}, like 0 or 0-5 or 12 (got {matcher!r})"
            return f"must be HTTP codes from {low} to {high}, like 200 or 200-399 (got {matcher!r})"
    return None


def grpc_path_problem(path: str) -> str | None:
    """A gRPC health check calls one method: /package.service/method."""
    if _GRPC_METHOD.fullmatch(path):
        return None
    return (f"must be a gRPC method, /package.service/method like /grpc.health.v1.Health/Check (got {path!r}; "
            f"AWS's default is {GRPC_DEFAULT_HEALTH_CHECK_PATH})")


def host_problem(hosts: Sequence[str]) -> str | None:
    """Host header values: at most 128 characters, at least one '.', only letters after the last '.'."""
    for host in hosts:
        if len(host) > MAX_CONDITION_VALUE_LENGTH:
            return f"each host must be at most {MAX_CONDITION_VALUE_LENGTH} characters (got {len(host)}: {host[:40]!r}...)"
        if "." not in host:
            return f"each host must include a '.' (got {host!r})"
        last = host.rsplit(".", 1)[1].replace("*", "a").replace("?", "a")
        if not re.fullmatch(r"[A-Za-z]+", last):
            return f"each host may have only letters after its last '.' (got {host!r})"
    return None


def path_problem(paths: Sequence[str]) -> str | None:
    """Path pattern values: at most 128 characters each."""
    for path in paths:
        if len(path) > MAX_CONDITION_VALUE_LENGTH:
            return (f"each path pattern must be at most {MAX_CONDITION_VALUE_LENGTH} characters (got {len(path)}: "
                    f"{path[:40]!r}...)")
    return None


def quota_problem(values: Sequence[str], source_cidrs: Sequence[str] = (), headers: Sequence[str] = ()) -> str | None:
    """All condition values of one rule (paths, hosts, HTTP header values and source CIDRs together): at most 5,
    with at most 5 wildcards (CIDRs take none: "Wildcards are not supported", SourceIpConditionConfig.Values)."""
    total = len(values) + len(source_cidrs) + len(headers)
    if total > MAX_CONDITION_VALUES:
        what = "paths, hosts and sourceCidrs" if source_cidrs else "paths and hosts"
        if headers:
            what += " and the deployment's test header"
        return (f"a listener rule takes at most {MAX_CONDITION_VALUES} condition values ({what} "
                f"together); got {total}")
    wildcards = sum(v.count("*") + v.count("?") for v in [*values, *headers])
    if wildcards > MAX_WILDCARDS:
        return f"a listener rule takes at most {MAX_WILDCARDS} wildcards (* and ?) in its conditions; got {wildcards}"
    return None


def source_cidr_problem(cidr: str) -> str | None:
    """A listener rule's source-ip value. botocore elbv2 SourceIpConditionConfig.Values: "The source IP addresses,
    in CIDR format. You can use both IPv4 and IPv6 addresses. Wildcards are not supported." """
    try:
        network = ipaddress.ip_network(cidr, strict=True)
    except ValueError:
        return f"{cidr!r} is not a CIDR block with its host bits zero, without wildcards (e.g. 203.0.113.0/24 or 2001:db8::/32)"
    if "/" not in cidr:
        return f"{cidr!r} is an address, not a CIDR block; write {cidr}/{network.max_prefixlen} for one address"
    return None
