"""ECR repositories of the images the stack builds or runs by tag."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import StackConfig
from ..problems import Problem


def check(cfg: StackConfig) -> Iterator[Problem]:
    reg = cfg.registry
    if reg.kms_key_arn is not None and reg.encryption != "KMS":
        yield Problem("registry.kmsKeyArn", "is used only with `registry.encryption: KMS`")
