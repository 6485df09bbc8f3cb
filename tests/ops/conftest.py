"""Operations render their offline plan in subprocesses; the unit tests render in-process instead."""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import pytest

from deploy.config.parse import load
from deploy.config.source import PROJECT_DIR, project_name
from deploy.offline import plan
from deploy.ops import plans


def in_process(paths):
    """The accepted offline plans of stack files, rendered here (same result as the subprocesses)."""
    return [copy.deepcopy(_render(p.name, p.read_text(encoding="utf-8"), str(p))) for p in paths]


@functools.lru_cache(maxsize=32)
def _render(name: str, text: str, path: str) -> dict:
    """One render per distinct file (name and content): the operations' tests render the same stacks often."""
    return plan.as_json(plan.render(load(Path(path), project_name(PROJECT_DIR), name[len("Pulumi."):-len(".yaml")])))


@pytest.fixture(autouse=True)
def plans_in_process(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("integration") is None:
        monkeypatch.setattr(plans, "render_in_subprocess", in_process)
