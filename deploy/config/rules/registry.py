"""ECR repositories of the images the stack builds or runs by tag."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import StackConfig
from ..problems import Problem, short
from ..source import PROJECT_DIR


def check(cfg: StackConfig) -> Iterator[Problem]:
    for name, svc in cfg.services.items():
        for cname, c in svc.containers.items():
            build = c.image.build
            if build is not None and c.image.tag is None and not _is_folder(build.context):
                yield Problem(f"services.{name}.containers.{cname}.image.build.context",
                              f"{short(build.context)} is not a folder of the project ({PROJECT_DIR.name}/); give the "
                              "Docker build context relative to the project")
    reg = cfg.registry
    if reg.kms_key_arn is not None and reg.encryption != "KMS":
        yield Problem("registry.kmsKeyArn", "is used only with `registry.encryption: KMS`")


def _is_folder(context: str) -> bool:
    """A folder of the project; a path the system refuses to look up (too long, a NUL byte) is none."""
    try:
        return (PROJECT_DIR / context).is_dir()
    except (OSError, ValueError):
        return False
