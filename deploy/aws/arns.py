"""IAM helpers that decide exactly which ARNs a role may touch (pure, no Pulumi)."""

from __future__ import annotations

import re

_ECR_URI = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(?P<repo>[^:@]+)"
)


def ecr_repository_arn(image_uri: str) -> str | None:
    """ARN of the ECR repository an image URI points at; None for images outside ECR."""
    m = _ECR_URI.match(image_uri)
    if m is None:
        return None
    partition = "aws-cn" if ".amazonaws.com.cn/" in image_uri else "aws"
    return f"arn:{partition}:ecr:{m['region']}:{m['account']}:repository/{m['repo']}"


def secret_resource_arn(value_from: str, region: str, account: str, partition: str = "aws") -> str:
    """The ARN to grant for a container secret's `valueFrom`.

    Secrets Manager references may carry a JSON key, version stage and version id after the
    secret ARN (`arn:...:secret:name-AbCdEf:key:stage:id`); IAM wants the secret ARN alone.
    SSM parameter names are expanded to ARNs in this account and region.
    """
    if value_from.startswith("arn:"):
        parts = value_from.split(":")
        if parts[2] == "secretsmanager":
            return ":".join(parts[:7])
        return value_from
    name = value_from.lstrip("/")
    return f"arn:{partition}:ssm:{region}:{account}:parameter/{name}"


def secret_service(value_from: str) -> str:
    """`secretsmanager` or `ssm`: which read action a secret reference needs."""
    return "secretsmanager" if value_from.startswith("arn:") and value_from.split(":")[2] == "secretsmanager" else "ssm"
