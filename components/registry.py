"""Registry: an ECR repository for one built image, and the image itself.

Creates an ECR repository that scans on push (FSBP ECR.1), refuses to overwrite a tag
(ECR.2) and is encrypted (AES256, or KMS); a lifecycle policy (ECR.3) that expires
untagged images after N days and keeps the last M images; and, when a build context is
given, an `awsx.ecr.Image` built for the task's platform and pushed there. With a `tag`
instead, the task runs `<repository>:<tag>`, an image pushed by CI (see `release`). Immutable tags
work with it because awsx tags every build uniquely and the task uses the digest URI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_awsx as awsx

from deploy.aws import tokens


@dataclass(frozen=True, kw_only=True)
class ImageBuildArgs:
    context: str
    """Docker build context directory."""
    platform: str
    """`linux/amd64` or `linux/arm64`, matching the task's CPU architecture."""
    dockerfile: str | None = None
    target: str | None = None
    args: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class RegistryArgs:
    encryption: str
    """`AES256` or `KMS`."""
    kms_key_arn: str | None = None
    """KMS key for `KMS` (None: the AWS managed key)."""
    untagged_expiry_days: int
    keep_last: int
    """Images kept; older ones are expired."""
    force_delete: bool
    build: ImageBuildArgs | None = None
    """Build and push an image from this context."""
    tag: str | None = None
    protect: bool
    """Pulumi `protect` on the stateful resources: a plain `pulumi destroy` stops at them (config `protect`)."""
    """Use an image already pushed to the repository under this tag (e.g. by CI); no build."""
    tags: Mapping[str, str] = field(default_factory=dict)


def lifecycle_policy(untagged_expiry_days: int, keep_last: int) -> str:
    """ECR lifecycle policy JSON. A `tagStatus: any` rule must carry the highest priority."""
    return json.dumps({"rules": [
        {"rulePriority": 1, "description": f"Expire untagged images after {untagged_expiry_days} days",
         "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                       "countNumber": untagged_expiry_days},
         "action": {"type": "expire"}},
        {"rulePriority": 2, "description": f"Keep the last {keep_last} images",
         "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep_last},
         "action": {"type": "expire"}},
    ]})


class Registry(pulumi.ComponentResource):
    repository_url: pulumi.Output[str]
    image_uri: pulumi.Output[str] | None

    def __init__(self, name: str, args: RegistryArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.REGISTRY, name, None, opts)
        encryption: aws.ecr.RepositoryEncryptionConfigurationArgsDict = {"encryption_type": args.encryption}
        if args.encryption == "KMS" and args.kms_key_arn:
            encryption["kms_key"] = args.kms_key_arn
        self.repository = aws.ecr.Repository(
            f"{name}-repo",
            image_tag_mutability="IMMUTABLE",
            image_scanning_configuration={"scan_on_push": True},
            encryption_configurations=[encryption],
            force_delete=args.force_delete,
            tags={**args.tags, "Name": name},
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )
        aws.ecr.LifecyclePolicy(
            f"{name}-lifecycle",
            repository=self.repository.name,
            policy=lifecycle_policy(args.untagged_expiry_days, args.keep_last),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.repository_url = self.repository.repository_url
        self.repository_arn = self.repository.arn
        self.image_uri = None
        if args.tag is not None:
            self.image_uri = pulumi.Output.concat(self.repository.repository_url, ":", args.tag)
        elif args.build is not None:
            b = args.build
            image = awsx.ecr.Image(
                f"{name}-image",
                repository_url=self.repository.repository_url,
                context=b.context,
                dockerfile=b.dockerfile,
                target=b.target,
                args=dict(b.args) or None,
                platform=b.platform,
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.image_uri = image.image_uri
        self.register_outputs({"repositoryUrl": self.repository_url, "imageUri": self.image_uri})
