"""Permissions granted to the application (the task role)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import StackConfig
from ..problems import Problem


def check(cfg: StackConfig) -> Iterator[Problem]:
    for name, svc in cfg.services.items():
        for i, st in enumerate(svc.task_role.statements):
            if "*" in st.actions and st.effect == "Allow":
                yield Problem(f"services.{name}.taskRole.statements[{i}].actions",
                              '"*" grants every AWS action; list the actions the application needs')
