"""What AWS accepts that its API models do not declare as `min`/`max`/`enum`/`pattern` (pure).

Each rule is attached to one member of an API shape (or to a whole request shape) and
cites where AWS says so. Most sources are the model's own documentation of that member,
quoted word for word; `tests/aws/test_acceptance.py` checks that every quote is still in
the installed botocore model, so a rule cannot outlive AWS's text. The rest cite a page
of AWS documentation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import certificates, elb, limits, naming
from . import dashboard_body

Check = Callable[[Any], str | None]
"""A value -> what is wrong with it (None: accepted)."""


@dataclass(frozen=True)
class Rule:
    id: str
    service: str
    shape: str
    """The API shape the rule belongs to (a structure), as botocore names it."""
    member: str | None
    """The member it constrains; None: the whole structure."""
    check: Check
    quote: str = ""
    """AWS's own words, from the model's documentation of this member (verified by a test)."""
    url: str = ""
    """An AWS documentation page, for rules the model does not document."""

    @property
    def source(self) -> str:
        return self.url or f"botocore {self.service} {self.shape}.{self.member or ''}".rstrip(".")


def _charset(allowed: str, max_length: int) -> Check:
    """Only the characters of a doc's 'a-z, A-Z, 0-9, spaces, and <punctuation>' list, up to `max_length`."""
    compiled = re.compile("[a-zA-Z0-9 " + re.escape(allowed) + "]*")

    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        if len(value) > max_length:
            return f"must be at most {max_length} character{'s' if max_length != 1 else ''} (got {len(value)})"
        bad = sorted({c for c in value if not compiled.fullmatch(c)})
        if bad:
            return (f"may contain only a-z, A-Z, 0-9, spaces and {allowed} (got {''.join(repr(c)[1:-1] for c in bad)!r}"
                    f" in {value!r})")
        return None
    return check


def _name(pattern: str, what: str, max_length: int, forbidden_prefixes: tuple[str, ...] = ()) -> Check:
    compiled = re.compile(pattern)

    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        if len(value) > max_length:
            return f"must be at most {max_length} character{'s' if max_length != 1 else ''} (got {len(value)}: {value!r})"
        if not compiled.fullmatch(value):
            return f"must be {what} (got {value!r})"
        for prefix in forbidden_prefixes:
            if value.lower().startswith(prefix):
                return f"must not start with {prefix!r} (got {value!r})"
        return None
    return check


def _between(low: int, high: int, unit: str = "") -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return None if low <= value <= high else f"must be {low} to {high}{unit} (got {value})"
    return check


def _at_most(limit: int, what: str) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, list) or len(value) <= limit:
            return None
        return f"allows at most {limit} {what}s (got {len(value)})"
    return check


def _health_check_command(value: Any) -> str | None:
    if isinstance(value, list) and value and value[0] in ("CMD", "CMD-SHELL"):
        return None
    return f'must start with "CMD" or "CMD-SHELL" (got {value!r})'


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _alb_matcher(value: Any) -> str | None:
    return elb.matcher_problem(value) if isinstance(value, str) else None


def _grpc_matcher(value: Any) -> str | None:
    return elb.matcher_problem(value, grpc=True) if isinstance(value, str) else None


def _protocol_version(value: Any) -> str | None:
    if not isinstance(value, str) or value in elb.PROTOCOL_VERSIONS:
        return None
    return f"must be one of {', '.join(elb.PROTOCOL_VERSIONS)} (got {value!r})"


def _grpc_health_check_path(request: Any) -> str | None:
    if not isinstance(request, Mapping) or request.get("ProtocolVersion") != "GRPC":
        return None
    path = request.get("HealthCheckPath")
    return elb.grpc_path_problem(path) if isinstance(path, str) else None


def _source_ips(value: Any) -> str | None:
    return next((p for p in map(elb.source_cidr_problem, _strings(value)) if p), None)


def _stickiness_duration(attribute: Any) -> str | None:
    if not isinstance(attribute, Mapping) or attribute.get("Key") != "stickiness.lb_cookie.duration_seconds":
        return None
    low, high = elb.STICKINESS_DURATION
    value = str(attribute.get("Value"))
    if not value.isdigit() or not low <= int(value) <= high:
        return f"stickiness.lb_cookie.duration_seconds must be {low} to {high} s (got {value})"
    return None


def _common_name(value: Any) -> str | None:
    return certificates.name_problem(value, common_name=True) if isinstance(value, str) else None


def _certificate_names(request: Any) -> str | None:
    if not isinstance(request, Mapping):
        return None
    names = 1 + len(request.get("SubjectAlternativeNames") or [])
    if names <= certificates.MAX_NAMES:
        return None
    return (f"takes at most {certificates.MAX_NAMES} domain names (DomainName and SubjectAlternativeNames together, "
            f"ACM's default quota); got {names}")


def _regional_web_acl(value: Any) -> str | None:
    if not isinstance(value, str) or ":regional/webacl/" in value:
        return None
    return f"must be a regional web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>; got {value!r})"


def _host_values(value: Any) -> str | None:
    return elb.host_problem(_strings(value))


def _path_values(value: Any) -> str | None:
    return elb.path_problem(_strings(value))


def _rule_quotas(request: Any) -> str | None:
    if not isinstance(request, Mapping):
        return None
    values = [v for c in request.get("Conditions") or [] for config in ("HostHeaderConfig", "PathPatternConfig")
              for v in _strings((c.get(config) or {}).get("Values"))]
    cidrs = [v for c in request.get("Conditions") or [] for v in _strings((c.get("SourceIpConfig") or {}).get("Values"))]
    headers = [v for c in request.get("Conditions") or []
               for v in _strings((c.get("HttpHeaderConfig") or {}).get("Values"))]
    return elb.quota_problem(values, cidrs, headers)


def _max_capacity_buffer(config: Any) -> str | None:
    if not isinstance(config, Mapping):
        return None
    increase = config.get("MaxCapacityBreachBehavior") == "IncreaseMaxCapacity"
    given = config.get("MaxCapacityBuffer") is not None
    if increase and not given:
        return "MaxCapacityBuffer is required with MaxCapacityBreachBehavior IncreaseMaxCapacity"
    if given and not increase:
        return "MaxCapacityBuffer applies only with MaxCapacityBreachBehavior IncreaseMaxCapacity"
    return None


AAS_PREDICTIVE = ("https://docs.aws.amazon.com/autoscaling/application/APIReference/"
                  "API_PredictiveScalingPolicyConfiguration.html")
_SG_CHARS = "._-:/()#,@[]+=&;{}!$*"
_ECS_NAME = (r"[A-Za-z0-9_-]+", "letters, numbers, underscores and hyphens")
ELB_QUOTAS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html"
MAX_CONDITION_VALUES = elb.MAX_CONDITION_VALUES

def _is_fifo(attributes: Any) -> bool:
    return isinstance(attributes, Mapping) and str(attributes.get("FifoQueue", "false")).lower() == "true"


def _fifo_queue_name(request: Any) -> str | None:
    name = request.get("QueueName") if isinstance(request, Mapping) else None
    if not isinstance(name, str):
        return None
    fifo, suffixed = _is_fifo(request.get("Attributes")), name.endswith(naming.FIFO_SUFFIX)
    if fifo and not suffixed:
        return f"QueueName of a FIFO queue must end with {naming.FIFO_SUFFIX!r} (got {name!r})"
    if suffixed and not fifo:
        return f"QueueName ends with {naming.FIFO_SUFFIX!r}, which only a FIFO queue's may (got {name!r})"
    return None


_FIFO_ONLY = ("ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit")


def _fifo_only_attributes(attributes: Any) -> str | None:
    if not isinstance(attributes, Mapping) or _is_fifo(attributes):
        return None
    given = [a for a in _FIFO_ONLY if a in attributes]
    return f"{', '.join(given)} applies only to FIFO queues (FifoQueue is not true)" if given else None


def _dead_letter_type(attributes: Any) -> str | None:
    if not isinstance(attributes, Mapping) or not isinstance(attributes.get("RedrivePolicy"), str):
        return None
    try:
        target = json.loads(attributes["RedrivePolicy"]).get("deadLetterTargetArn")
    except (ValueError, AttributeError):
        return None
    if not isinstance(target, str) or not target.startswith("arn:"):
        return None  # not known before deploy time
    # A queue's ARN ends with its name, and only FIFO queue names end with `.fifo`.
    fifo, dead_letter_fifo = _is_fifo(attributes), target.endswith(naming.FIFO_SUFFIX)
    if fifo != dead_letter_fifo:
        kinds = ("a FIFO", "a standard") if fifo else ("a standard", "a FIFO")
        return (f"RedrivePolicy of {kinds[0]} queue names {kinds[1]} dead-letter queue ({target!r}); both must be "
                "FIFO, or both standard")
    return None


RULES: tuple[Rule, ...] = (
    # --- EC2 security groups: descriptions and names -------------------------------------------
    Rule("EC2.SecurityGroupDescription", "ec2", "CreateSecurityGroupRequest", "Description",
         _charset(_SG_CHARS, 255),
         quote="Up to 255 characters in length Valid characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&amp;;{}!$*"),
    Rule("EC2.SecurityGroupName", "ec2", "CreateSecurityGroupRequest", "GroupName",
         _name(r"[a-zA-Z0-9 " + re.escape(_SG_CHARS) + "]+", f"a-z, A-Z, 0-9, spaces and {_SG_CHARS}", 255, ("sg-",)),
         quote="Up to 255 characters in length. Can't start with sg-."),
    Rule("EC2.RuleDescription.IpRange", "ec2", "IpRange", "Description", _charset(_SG_CHARS, 255),
         quote="Up to 255 characters in length. Allowed characters are a-z, A-Z, 0-9, spaces, and "
               "._-:/()#,@[]+=&amp;;{}!$*"),
    Rule("EC2.RuleDescription.GroupPair", "ec2", "UserIdGroupPair", "Description",
         _charset("._-:/()#,@[]+=;{}!$*", 255),
         quote="Up to 255 characters in length. Allowed characters are a-z, A-Z, 0-9, spaces, and "
               "._-:/()#,@[]+=;{}!$*"),
    # --- ECS: container definitions, names ------------------------------------------------------
    Rule("ECS.PortMappingName", "ecs", "PortMapping", "name",
         _name(r"[a-z0-9_][a-z0-9_-]*", "lowercase letters, numbers, underscores and hyphens, not starting with a "
               "hyphen", 64),
         quote="The name can include up to 64 characters. The characters can include lowercase letters, numbers, "
               "underscores (_), and hyphens (-). The name can't start with a hyphen."),
    Rule("ECS.ContainerName", "ecs", "ContainerDefinition", "name", _name(*_ECS_NAME, 255),
         quote="Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."),
    Rule("ECS.StopTimeout", "ecs", "ContainerDefinition", "stopTimeout", _between(0, 120, " s"),
         quote="For tasks that use the Fargate launch type, the max stop timeout value is 120 seconds"),
    Rule("ECS.RestartAttemptPeriod", "ecs", "ContainerRestartPolicy", "restartAttemptPeriod",
         _between(*limits.RESTART_ATTEMPT_PERIOD, " s"),
         quote="You can set a minimum restartAttemptPeriod of 60 seconds and a maximum restartAttemptPeriod of 1800 "
               "seconds."),
    Rule("ECS.IgnoredExitCodes", "ecs", "ContainerRestartPolicy", "ignoredExitCodes",
         _at_most(limits.MAX_IGNORED_EXIT_CODES, "exit code"),
         quote="You can specify a maximum of 50 container exit codes."),
    Rule("ECS.HealthCheckCommand", "ecs", "HealthCheck", "command", _health_check_command,
         quote="The string array must start with CMD to run the command arguments directly, or CMD-SHELL to run "
               "the command with the container's default shell."),
    Rule("ECS.HealthCheckInterval", "ecs", "HealthCheck", "interval", _between(5, 300, " s"),
         quote="You may specify between 5 and 300 seconds."),
    Rule("ECS.HealthCheckTimeout", "ecs", "HealthCheck", "timeout", _between(2, 60, " s"),
         quote="You may specify between 2 and 60 seconds."),
    Rule("ECS.HealthCheckRetries", "ecs", "HealthCheck", "retries", _between(1, 10),
         quote="You may specify between 1 and 10 retries."),
    Rule("ECS.HealthCheckStartPeriod", "ecs", "HealthCheck", "startPeriod", _between(0, 300, " s"),
         quote="You can specify between 0 and 300 seconds."),
    Rule("ECS.VolumeName", "ecs", "Volume", "name", _name(*_ECS_NAME, 255),
         quote="Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."),
    Rule("ECS.Family", "ecs", "RegisterTaskDefinitionRequest", "family", _name(*_ECS_NAME, 255),
         quote="Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."),
    Rule("ECS.ServiceName", "ecs", "CreateServiceRequest", "serviceName", _name(*_ECS_NAME, 255),
         quote="Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."),
    Rule("ECS.ClusterName", "ecs", "CreateClusterRequest", "clusterName", _name(*_ECS_NAME, 255),
         quote="Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."),
    Rule("ECS.CapacityProviderName", "ecs", "CreateCapacityProviderRequest", "name",
         _name(*_ECS_NAME, 255, ("aws", "ecs", "fargate")),
         quote='The name can\'t be prefixed with "aws", "ecs", or "fargate".'),
    Rule("ECS.DiscoveryName", "ecs", "ServiceConnectService", "discoveryName",
         _name(r"[a-z0-9_][a-z0-9_-]*", "lowercase letters, numbers, underscores and hyphens, not starting with a "
               "hyphen", 64),
         quote="The name can contain up to 64 characters. The name can include lowercase letters, numbers, "
               "underscores (_), and hyphens (-). The name can't start with a hyphen."),
    Rule("ECS.ClientAliasDnsName", "ecs", "ServiceConnectClientAlias", "dnsName",
         _name(r"[a-z0-9_.][a-z0-9_.-]*", "lowercase letters, numbers, underscores, hyphens and periods, not "
               "starting with a hyphen", 127),
         quote="The name can include up to 127 characters. The name can include lowercase letters, numbers, "
               "underscores (_), hyphens (-), and periods (.). The name can't start with a hyphen."),
    Rule("ECS.AwsVpcSecurityGroups", "ecs", "AwsVpcConfiguration", "securityGroups", _at_most(5, "security group"),
         quote="There's a limit of 5 security groups that can be specified."),
    Rule("ECS.AwsVpcSubnets", "ecs", "AwsVpcConfiguration", "subnets", _at_most(16, "subnet"),
         quote="There's a limit of 16 subnets that can be specified."),
    # --- Elastic Load Balancing -----------------------------------------------------------------
    Rule("ELB.LoadBalancerName", "elbv2", "CreateLoadBalancerInput", "Name",
         _name(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?", "alphanumeric characters or hyphens, not beginning or "
               "ending with a hyphen", 32, ("internal-",)),
         quote='can have a maximum of 32 characters, must contain only alphanumeric characters or hyphens, must not '
               'begin or end with a hyphen, and must not begin with "internal-".'),
    Rule("ELB.TargetGroupName", "elbv2", "CreateTargetGroupInput", "Name",
         _name(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?", "alphanumeric characters or hyphens, not beginning or "
               "ending with a hyphen", 32),
         quote="can have a maximum of 32 characters, must contain only alphanumeric characters or hyphens, and must "
               "not begin or end with a hyphen."),
    Rule("ELB.MatcherHttpCode", "elbv2", "Matcher", "HttpCode", _alb_matcher,
         quote="For Application Load Balancers, you can specify values between 200 and 499"),
    Rule("ELB.MatcherGrpcCode", "elbv2", "Matcher", "GrpcCode", _grpc_matcher,
         quote="You can specify values between 0 and 99."),
    Rule("ELB.ProtocolVersion", "elbv2", "CreateTargetGroupInput", "ProtocolVersion", _protocol_version,
         quote="Specify GRPC to send requests to targets using gRPC. Specify HTTP2 to send requests to targets using "
               "HTTP/2. The default is HTTP1"),
    Rule("ELB.GrpcHealthCheckPath", "elbv2", "CreateTargetGroupInput", None, _grpc_health_check_path,
         url="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html "
             "(HealthCheckPath: [GRPC protocol version] the format /package.service/method)"),
    Rule("ELB.SourceIpValues", "elbv2", "SourceIpConditionConfig", "Values", _source_ips,
         quote="The source IP addresses, in CIDR format. You can use both IPv4 and IPv6 addresses. Wildcards are not "
               "supported."),
    Rule("ELB.StickinessDuration", "elbv2", "TargetGroupAttribute", None, _stickiness_duration,
         url="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html "
             "(stickiness.lb_cookie.duration_seconds: 1 second to 1 week, 604800 seconds)"),
    Rule("ELB.HostHeaderValues", "elbv2", "HostHeaderConditionConfig", "Values", _host_values,
         quote='The maximum length of each string is 128 characters. The comparison is case insensitive. The '
               'following wildcard characters are supported: * (matches 0 or more characters) and ? (matches '
               'exactly 1 character). You must include at least one "." character. You can include only '
               'alphabetical characters after the final "." character.'),
    Rule("ELB.PathPatternValues", "elbv2", "PathPatternConditionConfig", "Values", _path_values,
         quote="The maximum length of each string is 128 characters."),
    Rule("ELB.RuleConditionQuotas", "elbv2", "CreateRuleInput", None, _rule_quotas,
         url=ELB_QUOTAS + " (Condition values per rule: 5; Condition wildcards per rule: 5)"),
    # --- ACM and WAF ---------------------------------------------------------------------------
    Rule("ACM.CommonName", "acm", "RequestCertificateRequest", "DomainName", _common_name,
         quote="the length of the domain name (technically, the Common Name) that you provide cannot exceed 64 "
               "octets (characters), including periods."),
    Rule("ACM.NamesQuota", "acm", "RequestCertificateRequest", None, _certificate_names,
         url="https://docs.aws.amazon.com/acm/latest/userguide/acm-limits.html (Number of domain names per ACM "
             "certificate: 10 by default)"),
    Rule("WAF.RegionalWebAcl", "wafv2", "AssociateWebACLRequest", "WebACLArn", _regional_web_acl,
         url="https://docs.aws.amazon.com/service-authorization/latest/reference/list_awswafv2.html (webacl: "
             "arn:${Partition}:wafv2:${Region}:${Account}:${Scope}/webacl/${Name}/${Id}; CloudFront's scope is "
             "global, attached to a distribution instead)"),
    # --- CloudWatch dashboards ---------------------------------------------------------------
    Rule("CloudWatch.DashboardName", "cloudwatch", "PutDashboardInput", "DashboardName",
         _name(r"[A-Za-z0-9_-]+", 'A-Z, a-z, 0-9, "-" and "_"', naming.DASHBOARD_NAME_MAX),
         quote='The maximum length is 255, and valid characters are A-Z, a-z, 0-9, "-", and "_".'),
    Rule("CloudWatch.DashboardBody", "cloudwatch", "PutDashboardInput", "DashboardBody", dashboard_body.check,
         url=dashboard_body.SOURCE),
    # --- Application Auto Scaling: predictive scaling ------------------------------------------
    Rule("AAS.SchedulingBufferTime", "application-autoscaling", "PredictiveScalingPolicyConfiguration",
         "SchedulingBufferTime", _between(0, 3599, " s"),
         quote="The value must be less than the forecast interval duration of 3600 seconds (60 minutes)."),
    Rule("AAS.MaxCapacityBuffer", "application-autoscaling", "PredictiveScalingPolicyConfiguration", None,
         _max_capacity_buffer, url=AAS_PREDICTIVE + " (MaxCapacityBuffer: \"Required if the MaxCapacityBreachBehavior "
         "property is set to IncreaseMaxCapacity, and cannot be used otherwise.\")"),
    # --- SQS ------------------------------------------------------------------------------------
    Rule("SQS.QueueName", "sqs", "CreateQueueRequest", "QueueName",
         _name(r"[A-Za-z0-9_-]+(\.fifo)?", "alphanumeric characters, hyphens and underscores", 80),
         quote="A queue name can have up to 80 characters. Valid values: alphanumeric characters, hyphens (-), and "
               "underscores (_)."),
    Rule("SQS.FifoQueueName", "sqs", "CreateQueueRequest", None, _fifo_queue_name,
         url="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html "
             "(QueueName: A FIFO queue name must end with the .fifo suffix; a standard queue name has only "
             "alphanumeric characters, hyphens and underscores)"),
    Rule("SQS.FifoOnlyAttributes", "sqs", "CreateQueueRequest", "Attributes", _fifo_only_attributes,
         quote="The following attributes apply only to FIFO (first-in-first-out) queues:"),
    Rule("SQS.DeadLetterQueueType", "sqs", "CreateQueueRequest", "Attributes", _dead_letter_type,
         quote="The dead-letter queue of a FIFO queue must also be a FIFO queue. Similarly, the dead-letter queue of a "
               "standard queue must also be a standard queue."),
)

BY_MEMBER: dict[tuple[str, str, str | None], tuple[Rule, ...]] = {}
for _rule in RULES:
    key = (_rule.service, _rule.shape, _rule.member)
    BY_MEMBER[key] = (*BY_MEMBER.get(key, ()), _rule)
