"""Single-field limits: the types config fields are declared with (pure).

Each limit of one value (a range, a pattern, membership in an AWS table) is part of the
field's type, declared once next to the field, checked by pydantic while the section is
read, and reported in one style: `<key>: must be 5 to 300 s (got 400)`. Rules that relate
several values live in `deploy.config.rules`.
"""

from __future__ import annotations

import ipaddress
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from ...aws import instances, limits, subnets
from ...aws.tokens import SECRET_PLACEHOLDER


@dataclass(frozen=True)
class Bounds:
    """A closed range of integers: `Annotated[int, Bounds(5, 300, " s")]`. Kept on the type so the
    generated reference can print it."""

    low: int
    high: int
    unit: str = ""

    def __str__(self) -> str:
        return f"{self.low} to {self.high}{self.unit}"

    def check(self, value: int) -> int:
        if not self.low <= value <= self.high:
            raise ValueError(f"must be {self}")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))


@dataclass(frozen=True)
class Pattern:
    """A string that fully matches `regex`; `what` says what that means, for the message."""

    regex: str
    what: str

    def check(self, value: str) -> str:
        if not re.fullmatch(self.regex, value):
            raise ValueError(f"must be {self.what}")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))


def _check(test: Callable[[Any], str | None]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        problem = test(value)
        if problem:
            raise ValueError(problem)
        return value
    return check


# --- numbers ------------------------------------------------------------------------------

Port = Annotated[int, Bounds(1, 65535)]
Percent = Annotated[int, Bounds(1, 100)]


def _retention(days: int) -> str | None:
    if days in limits.LOG_RETENTION_DAYS:
        return None
    return f"CloudWatch Logs does not accept {days} days; use one of {', '.join(map(str, limits.LOG_RETENTION_DAYS))}"


RetentionDays = Annotated[int, AfterValidator(_check(_retention))]

# --- ARNs and names -----------------------------------------------------------------------

KmsKeyArn = Annotated[str, Pattern(r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[A-Za-z0-9/_-]+",
                                   "a KMS key or alias ARN (arn:aws:kms:<region>:<account>:key/<id>)")]
CertificateArn = Annotated[str, Pattern(r"arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+",
                                        "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)")]
BucketName = Annotated[str, Pattern(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "an S3 bucket name")]
Prefix = Annotated[str, Pattern(r"[a-z]([a-z0-9-]*[a-z0-9])?", "lowercase letters, digits and hyphens, starting "
                                "with a letter (it prefixes AWS resource names)")]
VpcId = Annotated[str, Pattern(r"vpc-[0-9a-f]+", "a VPC ID: vpc- and lowercase hex digits (vpc-0a1b2c3d)")]
ImageTag = Annotated[str, Pattern(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}",
                                  "a Docker tag (letters, digits, _ . -; up to 128)")]
UrlPath = Annotated[str, Pattern(r"/.*", "a path starting with '/'")]
AbsolutePath = Annotated[str, Pattern(r"/.*", "an absolute path")]
Matcher = Annotated[str, Pattern(r"\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*", "HTTP codes like 200 or 200-399")]

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# FSBP ECS.8: long-lived credentials must never be plain environment variables.
FORBIDDEN_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA")


def _env_name(name: str) -> str | None:
    if not ENV_NAME.fullmatch(name):
        return f"{name!r} is not a valid environment variable name"
    if name in FORBIDDEN_ENV:
        return "AWS credentials must not be set in a task definition (FSBP ECS.8); grant access through `taskRole`"
    return None


EnvName = Annotated[str, AfterValidator(_check(_env_name))]
ContainerName = Annotated[str, Pattern(r"[A-Za-z0-9_-]{1,255}",
                                       "letters, digits, hyphens and underscores (up to 255)")]

SECRET_ARN = re.compile(r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+.*")
SSM_ARN = re.compile(r"arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/[A-Za-z0-9/_.-]+")
SSM_NAME = re.compile(r"/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")


def _secret_ref(ref: str) -> str | None:
    if ref == SECRET_PLACEHOLDER:
        return None  # a `secure:` value, unreadable offline
    if SECRET_ARN.fullmatch(ref) or SSM_ARN.fullmatch(ref) or (not ref.startswith("arn:") and SSM_NAME.fullmatch(ref)):
        return None
    return "must be a Secrets Manager secret ARN, an SSM parameter ARN, or an SSM parameter name such as /app/db-password"


SecretRef = Annotated[str, AfterValidator(_check(_secret_ref))]

# --- networks -----------------------------------------------------------------------------


def _vpc_cidr(cidr: str) -> str | None:
    try:
        vpc = ipaddress.IPv4Network(cidr, strict=True)
    except ValueError as exc:
        return f"{cidr!r} is not a valid IPv4 network address ({exc}); use e.g. 10.0.0.0/16"
    largest = subnets.max_vpc_prefix()
    if not 16 <= vpc.prefixlen <= largest:
        size = "large" if vpc.prefixlen < 16 else "small"
        return (f"/{vpc.prefixlen} is too {size}: a VPC is /16 to /28, and the subnets of {subnets.MAX_AZS} AZs "
                f"need /16 to /{largest}")
    return None


VpcCidr = Annotated[str, AfterValidator(_check(_vpc_cidr))]


def _ingress_cidr(cidr: str) -> str | None:
    try:
        network = ipaddress.ip_network(cidr, strict=True)
    except ValueError:
        return f"{cidr!r} is not a CIDR block (e.g. 203.0.113.0/24)"
    if network.version == 6:
        return f"{cidr!r} is IPv6; the load balancer is IPv4-only (its VPC has no IPv6 range)"
    return None


IngressCidr = Annotated[str, AfterValidator(_check(_ingress_cidr))]


def _tls_policy(policy: str) -> str | None:
    if policy in limits.TLS_POLICIES:
        return None
    return f"{policy!r} is not a current TLS 1.3 policy; use one of {', '.join(limits.TLS_POLICIES)}"


TlsPolicy = Annotated[str, AfterValidator(_check(_tls_policy))]

# --- capacity -----------------------------------------------------------------------------


def _instance_type(name: str) -> str | None:
    if instances.lookup(name) is not None:
        return None
    return f"{name!r} is not a known instance type; families: {', '.join(instances.families())}"


InstanceType = Annotated[str, AfterValidator(_check(_instance_type))]

# --- schedules ----------------------------------------------------------------------------

_RATE = re.compile(r"rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)")
_CRON = re.compile(r"cron\((\S+ ){5}\S+\)")
_AT = re.compile(r"at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)")


def _schedule_expression(expr: str) -> str | None:
    if not (_RATE.fullmatch(expr) or _CRON.fullmatch(expr) or _AT.fullmatch(expr)):
        return (f"{expr!r} is not a schedule: use cron(min hour day month weekday year), rate(1 hour) / "
                "rate(5 minutes), or at(yyyy-mm-ddThh:mm:ss)")
    if _CRON.fullmatch(expr):
        fields = expr[len("cron("):-1].split()
        if (fields[2] == "?") == (fields[4] == "?"):
            return (f"{expr!r}: exactly one of day-of-month (3rd field) and day-of-week (5th) must be `?`, e.g. "
                    "cron(0 3 * * ? *) or cron(0 9 ? * MON-FRI *)")
    return None


ScheduleExpression = Annotated[str, AfterValidator(_check(_schedule_expression))]


def _time_zone(name: str) -> str | None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"{name!r} is not an IANA time zone (e.g. Europe/Berlin, UTC)"
    return None


TimeZone = Annotated[str, AfterValidator(_check(_time_zone))]
