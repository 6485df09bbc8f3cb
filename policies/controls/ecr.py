"""ECR controls: image scanning, immutable tags and lifecycle policies."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .model import MANDATORY, Control, Res, Stack, Violation, get, known

REPOSITORY = "aws:ecr/repository:Repository"
LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
FSBP = "AWS Foundational Security Best Practices"


def scan_on_push(r: Res, _: Mapping) -> Iterator[str]:
    # Registry-level (enhanced) scanning also satisfies AWS's rule; it is not modelled here,
    # so a stack that relies on it records an exception with that reason.
    if known(get(r.props, "imageScanningConfiguration.scanOnPush"), "scanOnPush") is not True:
        yield "imageScanningConfiguration.scanOnPush is not true: images are not scanned for vulnerabilities"


def immutable_tags(r: Res, _: Mapping) -> Iterator[str]:
    mutability = known(r.props.get("imageTagMutability"), "imageTagMutability")
    if mutability != "IMMUTABLE":  # the provider's default is MUTABLE; AWS passes only IMMUTABLE
        yield f"imageTagMutability is {mutability or 'MUTABLE (the default)'}: a pushed tag can be overwritten"


def lifecycle_policy(stack: Stack, _: Mapping) -> Iterator[Violation]:
    covered: set[str] = set()
    for policy in stack.of_type(LIFECYCLE_POLICY):
        value = policy.props.get("repository")
        covered.update(r.urn for r in stack.referenced(policy, "repository", value, (REPOSITORY,)))
    for repo in stack.of_type(REPOSITORY):
        if repo.urn not in covered:
            yield Violation(repo, "no lifecycle policy: old and untagged images accumulate without limit")


CONTROLS = [
    Control("ECR.1", "ECR repositories scan images on push", "high", MANDATORY, (REPOSITORY,), FSBP,
            validate=scan_on_push),
    Control("ECR.2", "ECR repositories have immutable tags", "medium", MANDATORY, (REPOSITORY,), FSBP,
            validate=immutable_tags),
    Control("ECR.3", "ECR repositories have a lifecycle policy", "medium", MANDATORY, (REPOSITORY,), FSBP,
            validate_stack=lifecycle_policy),
]
