"""What an Application Load Balancer accepts in listener rules and target group health checks (pure).

Shared by the config rules (which name the setting) and the acceptance check (which names
the payload). Sources: botocore elbv2 model documentation (Matcher.HttpCode,
HostHeaderConditionConfig.Values, PathPatternConditionConfig.Values) and the ALB quotas page
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html:
"Condition values per rule: 5", "Condition wildcards per rule: 5").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

MAX_CONDITION_VALUES: Final = 5
MAX_WILDCARDS: Final = 5
MAX_CONDITION_VALUE_LENGTH: Final = 128
MATCHER_CODES: Final = (200, 499)

_HTTP_CODES = re.compile(r"(\d{3})(-(\d{3}))?")


def matcher_problem(matcher: str) -> str | None:
    """An ALB health check's success codes: 200 to 499, as single codes, lists and ranges."""
    low, high = MATCHER_CODES
    for part in matcher.split(","):
        m = _HTTP_CODES.fullmatch(part)
        codes = [int(m.group(1)), int(m.group(3) or m.group(1))] if m else []
        if not codes or not all(low <= c <= high for c in codes) or codes[0] > codes[1]:
            return f"must be HTTP codes from {low} to {high}, like 200 or 200-399 (got {matcher!r})"
    return None


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


def quota_problem(values: Sequence[str]) -> str | None:
    """All condition values of one rule (paths and hosts together): at most 5, with at most 5 wildcards."""
    if len(values) > MAX_CONDITION_VALUES:
        return (f"a listener rule takes at most {MAX_CONDITION_VALUES} condition values (paths and hosts "
                f"together); got {len(values)}")
    wildcards = sum(v.count("*") + v.count("?") for v in values)
    if wildcards > MAX_WILDCARDS:
        return f"a listener rule takes at most {MAX_WILDCARDS} wildcards (* and ?) in its conditions; got {wildcards}"
    return None
