"""Operations render their offline plan in subprocesses; the unit tests render in-process instead."""

from __future__ import annotations

import pytest

from deploy.config.parse import load
from deploy.config.source import PROJECT_DIR, project_name
from deploy.offline import plan
from deploy.ops import plans


def in_process(paths):
    """The accepted offline plans of stack files, rendered here (same result as the subprocesses)."""
    project = project_name(PROJECT_DIR)
    return [plan.as_json(plan.render(load(p, project, p.name[len("Pulumi."):-len(".yaml")]))) for p in paths]


@pytest.fixture(autouse=True)
def plans_in_process(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("integration") is None:
        monkeypatch.setattr(plans, "render_in_subprocess", in_process)
