"""The Automation API layer (`deploy.api`, `python -m deploy preview|up|refresh|destroy|outputs`) without a Pulumi CLI.

A fake `PulumiCommand` (the SDK's own testing pattern: `MagicMock(spec=PulumiCommand)`
whose `run` answers like the CLI) is injected, so the real SDK builds every command line;
the tests assert on those argv lists, the working directory, the environment, the backend
URL, the streamed output and the summary. Engine events reach the SDK through the event-log
file it passes with `--event-log` (CLI versions up to 3.205, which the fake reports).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from unittest.mock import MagicMock

import pytest
from pulumi.automation import CommandResult, PulumiCommand
from pulumi.automation.errors import create_command_error
from semver import VersionInfo

from deploy.cli import main
from deploy.config.problems import ConfigError
from deploy.config.source import PROJECT_DIR
from deploy.errors import ArgumentError, Failure, cli_argument
from deploy.ops import api
from deploy.ops import workspace as automation

PASSPHRASE = "correct horse battery staple"
SVC_URN = "urn:pulumi:dev::ecs-app::ecsapp:service:Service$aws:ecs/service:Service::dev-web-svc"


@dataclass
class Call:
    args: list[str]
    cwd: str
    env: dict[str, str]
    inherited_passphrase: str | None
    """What the real `run` would pass on from os.environ (it merges it into the child's env)."""


class FakePulumi:
    """Answers like the Pulumi CLI; records every command. `fail[verb]` makes that command fail."""

    def __init__(self, outputs: dict | None = None, secret_outputs: tuple[str, ...] = (),
                 changes: dict | None = None, progress: tuple[str, ...] = ("Updating (dev)", "  + done"),
                 events: tuple[dict, ...] = (), fail: dict[str, tuple[str, str]] | None = None):
        self.outputs = outputs if outputs is not None else {"albUrl": "http://dev-alb.example", "dbPassword": "s3"}
        self.secret_outputs = secret_outputs or ("dbPassword",)
        self.changes = changes or {"create": 2, "update": 1, "same": 47}
        self.progress, self.events, self.fail = progress, events, fail or {}
        self.calls: list[Call] = []
        self.command = MagicMock(spec=PulumiCommand)
        self.command.command = "pulumi"
        self.command.version = VersionInfo.parse("3.200.0")
        self.command.run.side_effect = self.run

    def argv(self, verb: str) -> list[list[str]]:
        return [c.args for c in self.calls if c.args[0] == verb]

    def run(self, args: list[str], cwd: str, additional_env: dict, on_output: Callable | None = None,
            on_error: Callable | None = None) -> CommandResult:
        args = list(args)
        self.calls.append(Call(args, cwd, dict(additional_env), os.environ.get("PULUMI_CONFIG_PASSPHRASE")))
        verb = " ".join(args[:2]) if args[0] in ("stack", "config") else args[0]
        if verb in self.fail:
            stdout, stderr = self.fail[verb]
            self._events(args, self.events)
            raise create_command_error(CommandResult(stdout, stderr, 255))
        if verb == "stack output":
            shown = {k: (v if "--show-secrets" in args or k not in self.secret_outputs else "[secret]")
                     for k, v in self.outputs.items()}
            return CommandResult(json.dumps(shown), "", 0)
        if verb == "stack history":
            return CommandResult(json.dumps([{
                "kind": "update", "startTime": "2026-11-25T12:00:00.000000Z", "endTime": "2026-11-25T12:01:00.000000Z",
                "message": "", "environment": {}, "config": {}, "result": "succeeded", "version": 7,
                "resourceChanges": self.changes}]), "", 0)
        if verb in ("up", "preview", "refresh", "destroy"):
            for line in self.progress:
                if on_output:
                    on_output(line)
            self._events(args, (*self.events, {"summaryEvent": {"resourceChanges": self.changes}}))
            return CommandResult("\n".join(self.progress), "", 0)
        return CommandResult("", "", 0)

    @staticmethod
    def _events(args: list[str], events: tuple[dict, ...]) -> None:
        """Write engine events where the SDK listens; the cancel event ends its log watcher at once."""
        if "--event-log" not in args:
            return
        with open(args[args.index("--event-log") + 1], "a", encoding="utf-8") as log:
            log.writelines(json.dumps({"sequence": i, "timestamp": 0, **event}) + "\n" for i, event in enumerate((*events, {"cancelEvent": {}})))


@pytest.fixture
def fake(monkeypatch) -> FakePulumi:
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)
    monkeypatch.delenv(automation.LOCAL_ENV, raising=False)
    return FakePulumi()


def without_event_log(args: list[str]) -> list[str]:
    i = args.index("--event-log")
    return args[:i] + args[i + 2:]


def test_up_runs_the_project_as_a_local_program_in_the_logged_in_backend(fake):
    streamed: list[str] = []
    result = api.up("dev", on_output=streamed.append, pulumi_command=fake.command)
    assert [c.args[:2] for c in fake.calls][:2] == [["stack", "select"], ["up", "--yes"]]
    assert fake.calls[0].args == ["stack", "select", "--stack", "dev"]
    assert without_event_log(fake.argv("up")[0]) == ["up", "--yes", "--skip-preview", "--exec-kind", "auto.local",
                                                     "--stack", "dev"]
    assert {c.cwd for c in fake.calls} == {str(PROJECT_DIR)}  # the project directory: the same __main__.py
    assert all("PULUMI_BACKEND_URL" not in c.env for c in fake.calls)  # whatever `pulumi login` chose
    assert streamed == ["Updating (dev)", "  + done"]  # streamed line by line, in order
    assert result.changes == {"create": 2, "update": 1, "same": 47}
    assert result.outputs["albUrl"].value == "http://dev-alb.example" and result.outputs["dbPassword"].secret


def test_summary_gives_changes_by_kind_duration_and_outputs_with_secrets_masked(fake):
    lines = api.up("dev", on_output=lambda _: None, pulumi_command=fake.command).summary()
    assert lines[0].startswith("Update of stack dev finished in ")
    assert lines[0].endswith(": 2 created, 1 updated, 47 unchanged")
    assert "  albUrl      http://dev-alb.example" in lines and "  dbPassword  [secret]" in lines
    assert not any("s3" == line.split()[-1] for line in lines)


def test_local_backend_uses_a_file_url_and_the_passphrase_provider_and_never_prints_the_passphrase(
        fake, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(automation, "STATE_DIR", str(tmp_path / "state"))  # absolute: keeps the repo clean
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE)
    fake.fail = {"stack select": ("", "error: no stack named 'dev' found")}
    result = api.preview("dev", local=True, create=True, pulumi_command=fake.command)
    init = fake.argv("stack")[-1]
    assert init == ["stack", "init", "dev", "--secrets-provider", "passphrase"]  # after select said "no stack"
    url = f"file://{(tmp_path / 'state').as_posix()}"
    assert {c.env.get("PULUMI_BACKEND_URL") for c in fake.calls} == {url}
    assert (tmp_path / "state").is_dir()
    # The passphrase reaches the CLI through the inherited environment only, never through the options
    assert all(c.inherited_passphrase == PASSPHRASE and PASSPHRASE not in json.dumps(c.env) for c in fake.calls)
    assert result.changes == {"create": 2, "update": 1, "same": 47}
    print(result.summary(), repr(result))
    out = capsys.readouterr()
    assert PASSPHRASE not in out.out + out.err


def test_workspace_repr_never_contains_the_passphrase(monkeypatch):
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE)
    options = automation.workspace_options(PROJECT_DIR, local=True, pulumi_command=MagicMock(spec=PulumiCommand))
    assert PASSPHRASE not in repr(options.env_vars) and options.secrets_provider == "passphrase"
    assert options.work_dir == str(PROJECT_DIR) and options.project_settings is None  # Pulumi.yaml stays as is


def test_local_backend_url_is_the_ignored_state_directory_of_the_project():
    assert automation.backend_url(PROJECT_DIR) == f"file://{PROJECT_DIR.as_posix()}/.pulumi-state"
    assert ".pulumi-state/" in (PROJECT_DIR / ".gitignore").read_text().splitlines()


@pytest.mark.parametrize("value,expected", [("1", True), ("true", True), ("YES", True), ("", False), ("0", False)])
def test_local_backend_from_the_environment_variable(value, expected):
    assert automation.wants_local(None, {automation.LOCAL_ENV: value}) is expected
    assert automation.wants_local(False, {automation.LOCAL_ENV: "1"}) is False  # an explicit choice wins


def test_local_backend_without_a_passphrase_fails_before_the_cli(fake, monkeypatch):
    for var in automation.PASSPHRASE_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv(automation.LOCAL_ENV, "1")
    with pytest.raises(Failure, match="set PULUMI_CONFIG_PASSPHRASE"):
        api.up("dev", pulumi_command=fake.command)
    assert fake.calls == []


def test_preview_reads_the_change_summary_from_the_engine_events(fake):
    fake.changes = {"create": 5, "same": 10}
    result = api.preview("dev", on_output=lambda _: None, pulumi_command=fake.command)
    assert without_event_log(fake.argv("preview")[0]) == ["preview", "--exec-kind", "auto.local", "--stack", "dev"]
    assert result.changes == {"create": 5, "same": 10} and result.outputs == {}
    assert result.summary()[0].endswith(": 5 to create, 10 unchanged")


def test_refresh_and_destroy_command_lines(fake):
    api.refresh("dev", on_output=lambda _: None, pulumi_command=fake.command)
    assert without_event_log(fake.argv("refresh")[0])[:4] == ["refresh", "--skip-preview", "--yes", "--exec-kind"]
    api.destroy("dev", yes=True, on_output=lambda _: None, pulumi_command=fake.command)
    assert without_event_log(fake.argv("destroy")[0]) == ["destroy", "--skip-preview", "--yes", "--exec-kind",
                                                          "auto.local", "--stack", "dev"]


def test_config_file_is_validated_offline_and_passed_to_the_cli(fake, tmp_path):
    staging = tmp_path / "Pulumi.staging.yaml"
    staging.write_text((PROJECT_DIR / "Pulumi.dev.yaml").read_text())
    api.up("staging", config_file=staging, on_output=lambda _: None, pulumi_command=fake.command)
    up = fake.argv("up")[0]
    assert up[up.index("--config-file") + 1] == str(staging.resolve())
    assert fake.calls[0].args == ["stack", "select", "--stack", "staging"]


def test_invalid_config_raises_before_the_cli_is_touched(fake, tmp_path):
    bad = tmp_path / "Pulumi.bad.yaml"
    bad.write_text("config:\n  aws:region: us-east-1\n  ecs-app:servces: {}\n")
    with pytest.raises(ConfigError, match="did you mean `services`"):
        api.up("bad", config_file=bad, pulumi_command=fake.command)
    assert fake.calls == []


def test_invalid_config_exits_2_on_the_command_line_even_without_the_pulumi_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no pulumi anywhere
    bad = tmp_path / "Pulumi.bad.yaml"
    bad.write_text("config:\n  aws:region: us-east-1\n  ecs-app:services: {web: {cpu: 300}}\n")
    assert main(["up", "--config-file", str(bad)]) == 2
    assert "services.web" in capsys.readouterr().err


def test_destroy_refuses_a_protected_stack_unless_forced_and_asks_first(fake):
    with pytest.raises(Failure, match="stack prod is protected"):
        api.destroy("prod", yes=True, pulumi_command=fake.command)
    with pytest.raises(ArgumentError, match=r"pass yes=True or answer the prompt") as unconfirmed:
        api.destroy("dev", pulumi_command=fake.command)
    assert "pass --yes or answer" in unconfirmed.value.render(cli_argument)  # the same error on the command line
    asked: list[str] = []
    with pytest.raises(Failure, match="cancelled"):
        api.destroy("dev", confirm=lambda s: asked.append(s) or False, pulumi_command=fake.command)
    assert asked == ["dev"] and fake.calls == []  # nothing reached the CLI
    api.destroy("prod", force=True, confirm=lambda s: s == "prod", on_output=lambda _: None,
                pulumi_command=fake.command)
    assert fake.argv("destroy")


def test_destroy_without_a_terminal_refuses_instead_of_waiting(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["destroy", "--stack", "dev"]) == 2
    assert "pass --yes" in capsys.readouterr().err


def test_the_command_line_streams_progress_and_prints_the_summary(fake, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(api, "default_command", lambda: fake.command)
    monkeypatch.setattr(automation, "STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE)
    assert main(["up", "--stack", "dev", "--local", "--message", "by hand"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Updating (dev)\n  + done\n\nUpdate of stack dev finished in ")
    assert "dbPassword  [secret]" in out and PASSPHRASE not in out
    up = fake.argv("up")[0]
    assert up[up.index("--message") + 1] == "by hand"
    assert fake.calls[0].env["PULUMI_BACKEND_URL"] == f"file://{(tmp_path / 'state').as_posix()}"


def test_outputs_command_masks_secrets_unless_asked(fake, monkeypatch, capsys):
    monkeypatch.setattr(api, "default_command", lambda: fake.command)
    assert main(["outputs", "--stack", "dev"]) == 0
    assert capsys.readouterr().out.splitlines() == ["albUrl: http://dev-alb.example", "dbPassword: [secret]"]
    assert main(["outputs", "--stack", "dev", "dbPassword", "--show-secrets"]) == 0
    assert capsys.readouterr().out == "s3\n"
    assert main(["outputs", "--stack", "dev", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"albUrl": "http://dev-alb.example", "dbPassword": "[secret]"}
    assert main(["outputs", "--stack", "dev", "nope"]) == 2


def test_outputs_command_prints_a_map_output_as_json_for_another_stack(monkeypatch, capsys):
    # A Terraform stack reads the task groups from a file: `outputs --stack S taskSecurityGroupIds > file`.
    groups = {"web": "sg-0123456789abcdef0", "nightly": "sg-0fedcba9876543210"}
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)
    monkeypatch.delenv(automation.LOCAL_ENV, raising=False)
    fake = FakePulumi(outputs={"albUrl": "http://dev-alb.example", "taskSecurityGroupIds": groups})
    monkeypatch.setattr(api, "default_command", lambda: fake.command)
    assert main(["outputs", "--stack", "dev", "taskSecurityGroupIds"]) == 0
    assert json.loads(capsys.readouterr().out) == groups
    assert main(["outputs", "--stack", "dev"]) == 0
    assert ('taskSecurityGroupIds: {"nightly": "sg-0fedcba9876543210", "web": "sg-0123456789abcdef0"}'
            in capsys.readouterr().out.splitlines())



def test_up_and_preview_refuse_a_plan_aws_would_not_accept_before_the_cli_runs(fake, monkeypatch):
    from deploy.config.problems import Problem
    from deploy.offline.acceptance import AcceptanceError
    from deploy.ops import plans

    def refusing(paths):
        raise AcceptanceError([Problem("services.web", "may contain only a-z, ... (AWS would refuse ...)")])

    monkeypatch.setattr(plans, "render_in_subprocess", refusing)
    for operation in (api.up, api.preview):
        with pytest.raises(ConfigError, match="services.web: may contain only"):
            operation("dev", on_output=lambda _: None, pulumi_command=fake.command)
    assert fake.calls == []  # nothing reached the Pulumi CLI
