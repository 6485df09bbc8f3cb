"""The README shows real output: the dev diagram, the dev cost estimate and the prod policy report."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def command(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "deploy", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=120).stdout.strip()


def blocks(lang: str = "") -> list[str]:
    """Fenced code blocks whose info string is `lang` ("" for plain fences)."""
    found, current, info = [], None, ""
    for line in README.splitlines():
        if line.startswith("```"):
            if current is None:
                current, info = [], line[3:].strip()
            else:
                if info == lang:
                    found.append("\n".join(current).strip())
                current = None
        elif current is not None:
            current.append(line)
    return found


@pytest.mark.integration
def test_the_dev_diagram_is_the_one_the_stack_draws():
    assert command("diagram", "--stack", "dev", "--no-png") in blocks("mermaid")


@pytest.mark.parametrize("args", [("cost", "--stack", "dev"), ("check", "--stack", "prod")],
                         ids=["dev-cost", "prod-check"])
@pytest.mark.integration
def test_pasted_reports_are_current(args):
    output = command(*args)
    assert output and output in blocks(), f"re-paste `python -m deploy {' '.join(args)}` into README.md"


def test_the_set_up_commands_are_the_ones_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text()
    setup = README[README.index("## Set-up"):README.index("## What gets created")]
    commands = [x for x in ci.splitlines() if x.startswith(("python3 -m venv", "venv/bin/pip install -r requirements-dev"))]
    assert len(commands) == 2, commands
    for line in commands:
        assert line.strip() in setup
