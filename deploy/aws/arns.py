"""IAM helpers that decide exactly which ARNs a role may touch (pure, no Pulumi)."""

from __future__ import annotations

import re

from . import regions

_ECR_URI = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(?P<repo>[^:@]+)"
)


def ecr_repository_arn(image_uri: str) -> str | None:
    """ARN of the ECR repository an image URI points at; None for images outside ECR."""
    m = _ECR_URI.match(image_uri)
    if m is None:
        return None
    partition = regions.partition(m["region"]) or ("aws-cn" if ".amazonaws.com.cn/" in image_uri else "aws")
    return f"arn:{partition}:ecr:{m['region']}:{m['account']}:repository/{m['repo']}"


_SECRET_SUFFIX = re.compile(r".*-[A-Za-z0-9]{6}")
"""Secrets Manager ends every secret's ARN with a hyphen and 6 random characters
(Secrets Manager user guide, "Secret ARN": "arn:aws:secretsmanager:<Region>:<AccountId>:secret:SecretName-6RandomCharacters")."""


def secret_resource_arn(value_from: str, region: str, account: str, partition: str) -> str:
    """The ARN to grant for a container secret's `valueFrom`.

    Secrets Manager references may carry a JSON key, version stage and version id after the
    secret ARN (`arn:...:secret:name-AbCdEf:key:stage:id`); IAM wants the secret ARN alone.
    A reference without the 6-character suffix is granted as `name-??????`, the form the
    Secrets Manager user guide gives for policies on a secret known by name; a grant of the
    bare name would never match the real ARN. SSM parameter names are expanded to ARNs in
    this account, region and partition.
    """
    if value_from.startswith("arn:"):
        parts = value_from.split(":")
        if parts[2] == "secretsmanager":
            arn = ":".join(parts[:7])
            return arn if _SECRET_SUFFIX.fullmatch(parts[6]) else f"{arn}-??????"
        return value_from
    name = value_from.lstrip("/")
    return f"arn:{partition}:ssm:{region}:{account}:parameter/{name}"


def secret_service(value_from: str) -> str:
    """`secretsmanager` or `ssm`: which read action a secret reference needs."""
    return "secretsmanager" if value_from.startswith("arn:") and value_from.split(":")[2] == "secretsmanager" else "ssm"


_S3_URI = re.compile(r"s3://(?P<bucket>[^/]+)/(?P<key>.+)")


def s3_object_arn(uri: str, partition: str) -> str:
    """`s3://bucket/key` -> `arn:<partition>:s3:::bucket/key` (S3 ARNs carry no region or account)."""
    m = _S3_URI.fullmatch(uri)
    if m is None:
        raise ValueError(f"{uri!r} is not an s3://bucket/key URI")
    return f"arn:{partition}:s3:::{m['bucket']}/{m['key']}"


def s3_bucket_arn(object_arn: str) -> str:
    """The bucket of an S3 object ARN."""
    return object_arn.split("/", 1)[0]
