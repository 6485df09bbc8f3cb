"""Single-field limits: the types config fields are declared with (pure).

Each limit of one value (a range, a pattern, membership in an AWS table) is part of the
field's type, declared once next to the field, checked by pydantic while the section is
read, and reported in one style: `<key>: must be 5 to 300 s (got 400)`. Rules that relate
several values live in `deploy.config.rules`.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from ...aws import certificates, elb, instances, limits, subnets, waf
from ...aws.tokens import SECRET_PLACEHOLDER
from .. import terraform_state


@dataclass(frozen=True)
class Bounds:
    """A closed range of integers: `Annotated[int, Bounds(5, 300, " s")]`. Kept on the type so the
    generated reference can print it."""

    low: int
    high: int
    unit: str = ""

    def __str__(self) -> str:
        if self.high == limits.INT32_MAX:  # no limit of its own: the API's integer ceiling
            return f"at least {self.low}{self.unit}"
        return f"{self.low} to {self.high}{self.unit}"

    def check(self, value: int) -> int:
        if not self.low <= value <= self.high:
            raise ValueError(f"must be {self}")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(
            _not_a_boolean, core_schema.no_info_after_validator_function(self.check, handler(source)))


def _not_a_boolean(value: Any) -> Any:
    """YAML `true` is not the number 1 (pydantic would read it as one)."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number, not true or false")  # noqa: TRY004 - pydantic reports ValueErrors
    return value


def count(low: int = 0) -> Bounds:
    """A count or duration with no documented limit of its own: at most the API's 32-bit ceiling."""
    return Bounds(low, limits.INT32_MAX)


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
LambdaArn = Annotated[str, Pattern(r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?",
                                   "a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)")]
AlarmName = Annotated[str, Pattern(r"[^\x00-\x1f]{1,255}", "a CloudWatch alarm name (1 to 255 characters)")]
HeaderName = Annotated[str, Pattern(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}",
                                    "an HTTP header name (letters, digits and !#$%&'*+.^_`|~-, up to 40)")]
Email = Annotated[str, Pattern(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+", "an email address")]
SnsTopicArn = Annotated[str, Pattern(r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?",
                                     "an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)")]
VpcId = Annotated[str, Pattern(r"vpc-[0-9a-f]+", "a VPC ID: vpc- and lowercase hex digits (vpc-0a1b2c3d)")]
TerraformStateLocation = Annotated[str, AfterValidator(_check(terraform_state.location_problem))]
SecurityGroupId = Annotated[str, Pattern(limits.SECURITY_GROUP_ID_PATTERN,
                                         "a security group ID: sg- and 8 or 17 lowercase hex digits "
                                         "(sg-0123456789abcdef0)")]


def _unique(ids: list[str]) -> str | None:
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    return f"lists {', '.join(repeated)} more than once" if repeated else None


def _task_security_groups(ids: list[str]) -> str | None:
    extra = limits.AWSVPC_SECURITY_GROUPS - 1
    if len(ids) > extra:
        return (f"allows at most {extra} security groups (got {len(ids)}): ECS attaches at most "
                f"{limits.AWSVPC_SECURITY_GROUPS} to a task's network interface, and the stack's own task group is "
                "one of them")
    return _unique(ids)


TaskSecurityGroupIds = Annotated[list[SecurityGroupId], AfterValidator(_check(_task_security_groups))]
SecurityGroupIds = Annotated[list[SecurityGroupId], AfterValidator(_check(_unique))]
ImageTag = Annotated[str, Pattern(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}",
                                  "a Docker tag (letters, digits, _ . -; up to 128)")]
UrlPath = Annotated[str, Pattern(r"/.*", "a path starting with '/'")]
AbsolutePath = Annotated[str, Pattern(r"/.*", "an absolute path")]


def _matcher(matcher: str) -> str | None:
    """HTTP codes, or gRPC codes for a GRPC target group: which of the two is the rules' to say (they know the
    service's `protocolVersion`)."""
    return elb.matcher_problem(matcher) if elb.matcher_problem(matcher, grpc=True) else None


Matcher = Annotated[str, AfterValidator(_check(_matcher))]
StickinessDuration = Annotated[int, Bounds(*elb.STICKINESS_DURATION, " s")]
WebAclArn = Annotated[str, Pattern(waf.PATTERN, "a WAFv2 web ACL ARN (arn:aws:wafv2:<region>:<account>:regional/"
                                                "webacl/<name>/<id>)")]


def _certificate_name(name: str) -> str | None:
    return certificates.name_problem(name)


CertificateName = Annotated[str, AfterValidator(_check(_certificate_name))]

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
# botocore ecs Volume.name: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens".
VolumeName = Annotated[str, Pattern(r"[A-Za-z0-9_-]{1,255}",
                                    "letters, digits, hyphens and underscores (up to 255)")]
# botocore efs FileSystemId / AccessPointId patterns (IDs only: the stack builds the ARNs the task role needs).
FileSystemId = Annotated[str, Pattern(r"fs-[0-9a-f]{8,40}", "an EFS file system ID (fs- and 8 to 40 hex digits)")]
AccessPointId = Annotated[str, Pattern(r"fsap-[0-9a-f]{8,40}",
                                       "an EFS access point ID (fsap- and 8 to 40 hex digits)")]

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
SecretsManagerArn = Annotated[str, Pattern(SECRET_ARN.pattern, "a Secrets Manager secret ARN "
                                           "(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)")]

S3_URI = re.compile(r"s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(?P<key>\S+)")


def _environment_file(uri: str) -> str | None:
    # botocore ecs ContainerDefinition.environmentFiles: "The file must have a .env file extension"; the files are
    # S3 objects (EnvironmentFile.type: "The only supported value is s3").
    m = S3_URI.fullmatch(uri)
    if m is None:
        return f"{uri!r} is not an S3 object URI; write s3://<bucket>/<key>.env (ECS reads environment files from S3 only)"
    if not m["key"].endswith(".env") or m["key"].endswith("/.env"):
        return f"{uri!r} has no .env extension; ECS reads only files named <name>.env"
    return None


def _environment_files(uris: list[str]) -> str | None:
    if len(uris) > limits.MAX_ENVIRONMENT_FILES:
        return f"lists {len(uris)} files; a container takes at most {limits.MAX_ENVIRONMENT_FILES} environment files"
    return _unique(uris)


EnvironmentFile = Annotated[str, AfterValidator(_check(_environment_file))]
EnvironmentFiles = Annotated[list[EnvironmentFile], AfterValidator(_check(_environment_files))]

# Docker's size strings (go-units FromHumanSize: "1KiB", "2g", "25m"), as the awslogs `max-buffer-size` option takes
# them (Docker docs, "Configure logging drivers": max-buffer-size, default 1m; ECS: default 10m, botocore ecs
# LogConfiguration.options).
BufferSize = Annotated[str, Pattern(r"[1-9][0-9]*(\.[0-9]+)?\s?[kKmMgG]?[iI]?[bB]?",
                                    "a size such as 25m, 512k or 1g (bytes with an optional k, m or g)")]

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
    if "/" not in cidr:  # EC2 takes CIDR notation only (botocore ec2 IpRange.CidrIp: "The IPv4 address range, in CIDR format")
        return f"{cidr!r} is an address, not a CIDR block; write {cidr}/32 for one address"
    if network.version == 6:
        return f"{cidr!r} is IPv6; the load balancer is IPv4-only (its VPC has no IPv6 range)"
    return None


IngressCidr = Annotated[str, AfterValidator(_check(_ingress_cidr))]


SourceCidr = Annotated[str, AfterValidator(_check(elb.source_cidr_problem))]


def _tls_policy(policy: str) -> str | None:
    if policy in limits.TLS_POLICIES:
        return None
    family = "ELBSecurityPolicy-TLS13-"  # every listed policy's name starts so
    others = ", ".join(p.removeprefix(family) for p in limits.TLS_POLICIES if p != limits.DEFAULT_TLS_POLICY)
    return (f"{policy[:60]!r} is not a current TLS 1.3 policy; use the default {limits.DEFAULT_TLS_POLICY}, or "
            f"{family} followed by one of {others}")


TlsPolicy = Annotated[str, AfterValidator(_check(_tls_policy))]

ImageUri = Annotated[str, Pattern(r"\S+", "an image reference such as registry/name:tag (no spaces)")]


def _health_check_command(command: list[str]) -> str | None:
    if command[:1] in (["CMD"], ["CMD-SHELL"]):
        return None
    return ('must start with "CMD" (run the arguments) or "CMD-SHELL" (run them in the container\'s shell), e.g. '
            f'["CMD", "/app/healthcheck"] (got {command[:3]!r})')


HealthCheckCommand = Annotated[list[str], AfterValidator(_check(_health_check_command))]

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


# EventBridge Scheduler, "Schedule types": the fields of a cron expression and their values
# (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based).
_CRON_FIELDS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("minutes", 0, 59, ()),
    ("hours", 0, 23, ()),
    ("day-of-month", 1, 31, ()),
    ("month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    ("day-of-week", 1, 7, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
    ("year", 1970, 2199, ()),
)


def _cron_field(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> str | None:
    """What is out of range in one field of a cron expression (wildcards , - * / ? L W # allowed)."""
    for part in text.split(","):
        base, _, step = part.partition("/")
        if step and not (step.isdigit() and int(step) >= 1):
            return f"{name} step {step!r} must be a whole number of at least 1"
        for token in re.split(r"[-#]", base.rstrip("LW") if base not in ("L", "W") else ""):
            if token in ("", "*", "?") or token.upper() in names:
                continue
            if not token.isdigit():
                return f"{name} {token!r} is not a number{' or a name (' + ', '.join(names) + ')' if names else ''}"
            if not low <= int(token) <= high:
                return f"{name} {token} is out of range ({low}-{high})"
    return None


def _schedule_expression(expr: str, rate: re.Pattern[str] = _RATE) -> str | None:
    if not (rate.fullmatch(expr) or _CRON.fullmatch(expr) or _AT.fullmatch(expr)):
        return (f"{expr!r} is not a schedule: use cron(min hour day month weekday year), rate(1 hour) / "
                "rate(5 minutes), or at(yyyy-mm-ddThh:mm:ss)")
    if _CRON.fullmatch(expr):
        fields = expr[len("cron("):-1].split()
        if (fields[2] == "?") == (fields[4] == "?"):
            return (f"{expr!r}: exactly one of day-of-month (3rd field) and day-of-week (5th) must be `?`, e.g. "
                    "cron(0 3 * * ? *) or cron(0 9 ? * MON-FRI *)")
        for text, (name, low, high, names) in zip(fields, _CRON_FIELDS, strict=True):
            problem = _cron_field(text, name, low, high, names)
            if problem:
                return f"{expr!r}: {problem}"
    if _AT.fullmatch(expr):
        try:
            datetime.datetime.fromisoformat(expr[len("at("):-1])
        except ValueError:
            return f"{expr!r}: {expr[3:-1]!r} is not a date and time"
    return None


ScheduleExpression = Annotated[str, AfterValidator(_check(_schedule_expression))]

# Application Auto Scaling's PutScheduledAction takes the same cron(...) and at(...) as EventBridge
# Scheduler (its user guide, "Schedule recurring scaling actions using cron expressions", points to the
# EventBridge cron reference), but its rate is looser: "value is a positive integer and unit is minute |
# minutes | hour | hours | day | days" (botocore application-autoscaling PutScheduledAction.Schedule),
# with no singular-for-1 rule, so `rate(5 minute)` is accepted there and refused by Scheduler.
_SCALING_RATE = re.compile(r"rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\)")


def _scaling_schedule_expression(expr: str) -> str | None:
    return _schedule_expression(expr, _SCALING_RATE)


ScalingScheduleExpression = Annotated[str, AfterValidator(_check(_scaling_schedule_expression))]

_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def _rfc3339(text: str) -> str | None:
    """terraform-provider-aws appautoscaling/scheduled_action.go: start_time and end_time are
    `validation.IsRFC3339Time` (Go's time.RFC3339: a date, a time and an offset or Z)."""
    if _RFC3339.fullmatch(text):
        try:
            datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return None
        except ValueError:
            pass
    return f"{text[:40]!r} is not an RFC 3339 date and time with its offset (e.g. 2026-12-01T00:00:00Z)"


Rfc3339Time = Annotated[str, AfterValidator(_check(_rfc3339))]

# botocore application-autoscaling ScheduledActionName: 1 to 256 characters, pattern
# `(?!((^[ ]+.*)|(.*([\u0000-\u001f]|[\u007f-\u009f]|[:/|])+.*)|(.*[ ]+$))).+`: no leading or trailing
# space, no control characters, none of `:`, `/`, `|`.
ScheduledActionName = Annotated[str, Pattern(r"(?! )[^\x00-\x1f\x7f-\x9f:/|]{1,256}(?<! )",
                                             "1 to 256 characters without :, / or | and not starting or ending "
                                             "with a space (an Application Auto Scaling scheduled action name)")]


MAX_TIME_ZONE = 50
"""botocore scheduler CreateScheduleInput.ScheduleExpressionTimezone: 1 to 50 characters."""


def _time_zone(name: str) -> str | None:
    if len(name) > MAX_TIME_ZONE or name not in _zone_names():
        return f"{name[:60]!r} is not an IANA time zone (e.g. Europe/Berlin, UTC)"
    return None


@functools.cache
def _zone_names() -> frozenset[str]:
    """Every IANA zone name (from the tzdata package or the system database): a name is looked up, never
    opened as a file, so `America` (a folder) or a 350-character name is just not a zone."""
    return frozenset(zoneinfo.available_timezones())


TimeZone = Annotated[str, AfterValidator(_check(_time_zone))]
