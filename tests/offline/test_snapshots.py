"""The plans of the shipped stacks change only on purpose.

`tests/snapshots/<stack>.plan.json` is the `plan --json` of `Pulumi.<stack>.yaml` as last
reviewed. A change to the code that changes what dev or prod would create fails here until
the snapshot is regenerated and the diff reviewed (see CONTRIBUTING.md):

    venv/bin/python -m deploy plan --stack dev --json > tests/snapshots/dev.plan.json
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from deploy.config.parse import load
from deploy.offline import plan
from tests.conftest import ROOT

SNAPSHOTS = ROOT / "tests" / "snapshots"


def rendered_text(stack: str) -> str:
    cfg = load(ROOT / f"Pulumi.{stack}.yaml", "ecs-app", stack)
    return json.dumps(plan.as_json(plan.render(cfg)), indent=2) + "\n"


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_plan_is_the_reviewed_snapshot(stack):
    expected = (SNAPSHOTS / f"{stack}.plan.json").read_text()
    actual = rendered_text(stack)
    if actual != expected:
        old = {r["urn"]: r for r in json.loads(expected)["resources"]}
        new = {r["urn"]: r for r in json.loads(actual)["resources"]}
        changed = sorted(u for u in old.keys() & new.keys() if old[u] != new[u])
        pytest.fail(f"the {stack} plan changed: added {sorted(new.keys() - old.keys())[:3]}, removed "
                    f"{sorted(old.keys() - new.keys())[:3]}, changed {changed[:3]}; review and regenerate "
                    f"tests/snapshots/{stack}.plan.json")


@pytest.mark.integration
def test_the_command_line_prints_the_same_bytes_in_a_fresh_process():
    result = subprocess.run([sys.executable, "-m", "deploy", "plan", "--stack", "dev", "--json"], check=False,
                            cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (SNAPSHOTS / "dev.plan.json").read_text()
