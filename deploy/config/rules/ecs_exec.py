"""ECS Exec (`services.<name>.exec`): where it applies, and what AWS requires of the containers.

Only what AWS documents is checked (ECS developer guide, "Monitor Amazon ECS containers
with ECS Exec", Considerations). Fargate needs platform version 1.4.0 or later, which the
stack's `LATEST` always is; what a network without NAT needs is in `network`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import StackConfig
from ..problems import Problem

CONSIDERATIONS = "ECS developer guide, ECS Exec considerations"


def check(cfg: StackConfig) -> Iterator[Problem]:
    for name, svc in cfg.services.items():
        if not svc.exec:
            continue
        key = f"services.{name}"
        if svc.kind == "scheduled":
            yield Problem(f"{key}.exec", "a scheduled task has no ECS service to turn ECS Exec on for; use "
                                         "`kind: worker` for a task to open shells in")
            continue
        for cname, c in sorted(svc.containers.items()):
            if c.readonly_root_filesystem:
                # "The SSM agent requires that the container file system can be written to in order to create the
                # required directories and files. Therefore, making the root file system read-only ... isn't
                # supported."
                yield Problem(f"{key}.containers.{cname}.readonlyRootFilesystem",
                              "must be false with `exec: true` (true is the default): the SSM agent of ECS Exec "
                              f"writes to the root filesystem ({CONSIDERATIONS}); set it to false and accept ECS.5 "
                              f"for this task definition in policies/config/{cfg.stack}.json, or turn exec off")
