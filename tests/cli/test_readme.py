"""The README shows real output: the dev diagram, the dev cost estimate and the prod policy report; and its
minimal stack does what the README says it does."""

import json
import subprocess
import sys

import pytest

from deploy.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def command(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "deploy", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=120).stdout.strip()


def blocks(lang: str = "", text: str = README) -> list[str]:
    """Fenced code blocks of `text` whose info string is `lang` ("" for plain fences)."""
    found, current, info = [], None, ""
    for line in text.splitlines():
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


@pytest.mark.integration
def test_the_prod_report_in_the_policy_guide_is_current():
    guide = (ROOT / "docs" / "policies.md").read_text()
    assert command("check", "--stack", "prod") in blocks("", guide), "re-paste `check --stack prod` into docs/policies.md"


@pytest.mark.parametrize("stack", ["dev", "prod"])
@pytest.mark.integration
def test_the_diagrams_in_the_diagram_guide_are_current(stack):
    guide = (ROOT / "docs" / "diagram.md").read_text()
    assert command("diagram", "--stack", stack, "--no-png") in blocks("mermaid", guide), \
        f"re-paste `python -m deploy diagram --stack {stack} --no-png` into docs/diagram.md"


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


MINIMAL = README[README.index("A minimal stack"):README.index("Rules checked before anything is created")]
"""The README's minimal stack, what `check` says about it, and the two ways to make it pass."""


@pytest.fixture
def minimal_stack(tmp_path):
    """The minimal stack exactly as the README shows it, saved under the name the README gives it."""
    name = MINIMAL.split("`", 2)[1]
    assert name == "Pulumi.demo.yaml"
    path = tmp_path / name
    path.write_text(blocks("yaml", MINIMAL)[0] + "\n")
    return path


def test_the_minimal_stack_is_valid_and_validate_warns_about_plain_http(minimal_stack, capsys):
    assert main(["validate", "--config-file", str(minimal_stack)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "ecs-app/demo: configuration is valid (1 service)"
    assert out[1].startswith("warning: loadBalancer: no certificate:") and "ELB.1" in out[1]


def test_check_on_the_minimal_stack_exits_1_and_says_what_the_readme_shows(minimal_stack, capsys):
    assert main(["check", "--config-file", str(minimal_stack)]) == 1
    out = capsys.readouterr().out
    [shown] = [b for b in blocks("", MINIMAL) if b.startswith("What to do:")]
    assert shown in out, "re-paste the advice of `python -m deploy check` on the minimal stack into README.md"
    assert out.splitlines()[-1].endswith("1 mandatory failure, 13 not applicable, 1 disabled -> exit 1")


def test_the_minimal_stack_with_the_readmes_policy_exception_passes_check(minimal_stack, tmp_path, capsys):
    policy = tmp_path / "demo.json"
    policy.write_text(blocks("json", MINIMAL)[0])
    assert "policies/config/demo.json" in MINIMAL and json.loads(policy.read_text())["elb-1"]["exceptions"]
    assert main(["check", "--config-file", str(minimal_stack), "--policy-config", str(policy)]) == 0
    out = capsys.readouterr().out
    elb1 = next(line for line in out.splitlines() if line.startswith("ELB.1 "))
    assert elb1.split()[3] == "waived" and "What to do:" not in out
    advisory = {line.split()[0] for line in out.splitlines() if "  advisory     FAIL " in line}
    assert advisory == {"ECS.20", "ELB.5", "ELB.6", "ELB.16", "CloudWatch.16"}
    assert all(f"{c}:" in MINIMAL for c in advisory)


def test_the_minimal_stack_with_the_readmes_https_lines_passes_check(minimal_stack, capsys):
    minimal, https = blocks("yaml", MINIMAL)[:2]
    added = set(https.splitlines()) - set(minimal.splitlines())
    assert added == {"  ecs-app:loadBalancer: {domain: app.example.com, hostedZoneId: Z0123456789ABCDEFGHIJ}"}
    minimal_stack.write_text(https + "\n")
    assert main(["check", "--config-file", str(minimal_stack)]) == 0
    out = capsys.readouterr().out
    assert next(line for line in out.splitlines() if line.startswith("ELB.1 ")).split()[3] == "pass"



# --- the NAT table: each row is what `cost` says for the dev stack with that network ---------------

ENDPOINTS = {"s3": True, "interface": ["ecr.api", "ecr.dkr", "logs"]}
NAT_ROWS = {
    "`nat: none`": {"nat": "none"},
    "`nat: instance` (dev)": {},
    "`nat: instance`, `natInstance.perAz: true`": {"natInstance": {"type": "t4g.nano", "perAz": True}},
    "`nat: regional`": {"nat": "regional"},
    "`nat: single`": {"nat": "single"},
    "`nat: per-az`": {"nat": "per-az"},
    "`nat: none` + `endpoints: {s3: true, interface: [ecr.api, ecr.dkr, logs]}`": {"nat": "none",
                                                                                 "endpoints": ENDPOINTS},
    "`nat: single` + the same endpoints": {"nat": "single", "endpoints": ENDPOINTS},
}
"""README row label -> what the row changes in the dev stack's `network`."""


def nat_table() -> dict[str, list[str]]:
    """The README's NAT table: the money cells of each row, by its `network` label."""
    section = README.split("### How the NAT choice changes the bill", 1)[1].split("\n#", 1)[0]
    rows = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("| `nat")]
    return {cells[0].strip(): [c.strip() for c in cells[2:]] for cells in rows}


def nat_row(network: dict[str, object]) -> list[str]:
    """Way out and total in us-east-1 and ap-northeast-2 for the dev stack with `network` changed. The way
    out is the network lines (NAT, endpoints, public IPs) and the NAT instances' compute lines."""
    from dataclasses import replace

    from deploy.cli.commands.cost import config_assumptions
    from deploy.config import yaml_safe
    from deploy.config.parse import parse
    from deploy.config.source import read_stack_text
    from deploy.offline import plan
    from deploy.offline.cost import estimate
    from deploy.offline.cost.estimate import DEFAULT_ASSUMPTIONS

    doc = yaml_safe.load((ROOT / "Pulumi.dev.yaml").read_text())
    changed = {**doc["config"]["ecs-app:network"], **network}
    if changed["nat"] != "instance":
        del changed["natInstance"]
    doc["config"]["ecs-app:network"] = changed
    cfg = parse(read_stack_text(json.dumps(doc), "dev variant", "ecs-app", "dev"))
    rendered = plan.render(cfg)
    assumptions = replace(DEFAULT_ASSUMPTIONS, **config_assumptions(cfg))
    cells = []
    for region in ("us-east-1", "ap-northeast-2"):
        est = estimate(rendered, region, assumptions)
        out = [ln for ln in est.lines
               if ln.category == "network" or any(r.startswith("dev-nat-") for r in ln.resources)]
        priced = all(ln.unit_price is not None for ln in out)
        cells += [f"{sum(ln.monthly for ln in out):.2f}" if priced else "not priced",
                  f"{est.total:.2f}" + ("" if priced else " + not priced")]
    return cells


@pytest.mark.integration
def test_the_nat_table_is_what_cost_says_for_each_network():
    table = nat_table()
    assert set(table) == set(NAT_ROWS)
    assert table == {label: nat_row(change) for label, change in NAT_ROWS.items()}


def test_the_counts_of_the_acceptance_check_are_the_codes():
    import importlib

    from deploy.aws.acceptance import documented, plan_rules

    builders = importlib.import_module("deploy.aws.acceptance.requests").BUILDERS
    text = " ".join(README.split())
    assert f"enums and patterns of {len(builders)} resource types' requests" in text
    assert f"against **{len(documented.RULES)} rules AWS documents but does not model**" in text
    assert f"against **{len(plan_rules.RULES)} rules of the whole plan**" in text


@pytest.mark.parametrize("stack", ["dev", "prod"])
@pytest.mark.integration
def test_the_cost_table_totals_are_what_cost_says(stack):
    data = json.loads(command("cost", "--stack", stack, "--json", "--allow-unpriced"))
    row = next(line for line in README.splitlines() if line.startswith(f"| {stack} | **"))
    assert row.split("**")[1] == f"{data['total']:.2f}"
