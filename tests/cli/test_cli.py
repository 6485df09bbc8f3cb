"""`python -m deploy`: the contracted commands, outputs and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from deploy.cli import main
from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deploy", *args], check=False, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def write_stack(tmp_path, config: dict) -> str:
    path = tmp_path / "Pulumi.custom.yaml"
    path.write_text(yaml.safe_dump({"config": config}))
    return str(path)


def test_plan_text_prints_the_tree_and_counts(capsys):
    assert main(["plan", "--stack", "prod"]) == 0
    out = capsys.readouterr().out
    assert "+ ecsapp:service:Service  prod-web" in out
    assert "    + " not in out.split("Resources by type:")[0].splitlines()[2]  # top level is not indented
    assert "aws:ec2/natGateway:NatGateway" in out.split("Resources by type:")[1]


def test_validate_ok(capsys):
    assert main(["validate", "--stack", "prod"]) == 0
    assert "configuration is valid (4 services)" in capsys.readouterr().out


@pytest.mark.integration
def test_invalid_config_exits_2_with_one_key_named_line_per_problem_and_no_traceback(tmp_path):
    path = write_stack(tmp_path, {
        "aws:region": "us-east-1",
        "ecs-app:network": {"cidr": "10.0.0.0/8"},
        "ecs-app:services": {"web": {"cpu": 300, "containers": {"app": {"image": {"uri": "nginx"}, "ports": [80]}},
                                     "loadBalancer": {"healthCheck": {"path": "health"}}}},
    })
    result = run("validate", "--config-file", path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    # The health-check path is part of the web service's shape; the Fargate size rule then waits for it.
    assert [line.split(":")[0] for line in lines] == ["network.cidr", "services.web.loadBalancer.healthCheck.path"]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_plan_of_an_invalid_config_creates_nothing_and_exits_2(tmp_path, capsys):
    path = write_stack(tmp_path, {"aws:region": "us-east-1", "ecs-app:servces": {}})
    assert main(["plan", "--config-file", path, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "servces: unknown config key; did you mean `services`?" in captured.err


def test_config_file_of_any_stack_name(tmp_path, capsys):
    path = tmp_path / "Pulumi.staging.yaml"
    path.write_text((ROOT / "Pulumi.dev.yaml").read_text())
    assert main(["plan", "--config-file", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stack"] == "staging"
    assert any(r["name"] == "staging-web-svc" for r in data["resources"])


def test_unknown_stack_is_a_usage_error_listing_the_stacks(capsys):
    assert main(["validate", "--stack", "qa"]) == 2
    err = capsys.readouterr().err
    assert err == "--stack: no stack 'qa' here; stacks: dev, prod\n"


def test_missing_stack_argument_is_a_usage_error(capsys):
    assert main(["plan"]) == 2
    assert "--stack: required" in capsys.readouterr().err


def test_unknown_command_is_one_usage_line_and_exit_2(capsys):
    assert main(["deploy-everything"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m deploy: argument command: invalid choice: 'deploy-everything'")
    assert len(err.splitlines()) == 1  # no usage text before it (contract: one line per problem)


def test_secure_values_plan_offline_as_opaque_secrets(tmp_path, capsys):
    data = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    env = data["config"]["ecs-app:services"]["web"]["containers"]["app"]["environment"]
    env["API_KEY"] = {"secure": "v1:AAAABBBBCCCC"}
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["plan", "--config-file", str(path), "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    task = next(r for r in plan["resources"] if r["type"] == "aws:ecs/taskDefinition:TaskDefinition")
    assert task["inputs"]["containerDefinitions"] == "[secret]"
    assert "v1:AAAABBBBCCCC" not in json.dumps(plan)


def test_unexpected_failure_is_one_line_exit_1(tmp_path, monkeypatch, capsys):
    from deploy.offline import plan

    def boom(cfg):
        raise RuntimeError("disk full\nsecond line")

    monkeypatch.setattr(plan, "render", boom)
    assert main(["plan", "--stack", "dev"]) == 1
    assert capsys.readouterr().err == "error: RuntimeError: disk full\n"
