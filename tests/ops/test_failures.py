"""Every failure of an Automation API run ends as one actionable line (exit 1)."""

from __future__ import annotations

import os
import stat

import pytest
from pulumi import automation as auto

from deploy.cli import main
from deploy.errors import Failure
from deploy.ops import api, failures
from tests.ops.test_api import SVC_URN, FakePulumi

QUIET = {"on_output": lambda _: None}


@pytest.fixture
def fake(monkeypatch) -> FakePulumi:
    monkeypatch.delenv("ECS_APP_LOCAL_BACKEND", raising=False)
    return FakePulumi()


def failure(fake: FakePulumi, operation=api.up, **kwargs) -> str:
    with pytest.raises(Failure) as caught:
        operation("dev", pulumi_command=fake.command, **QUIET, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.integration
def test_no_pulumi_cli_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # the SDK's own PulumiCommand finds nothing to run
    assert main(["up", "--stack", "dev"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("the Pulumi CLI is not installed") and failures.INSTALL_URL in err
    assert len(err.splitlines()) == 1


@pytest.mark.integration
def test_a_too_old_pulumi_cli_is_named(tmp_path, monkeypatch, capsys):
    script = tmp_path / "pulumi"
    script.write_text("#!/bin/sh\necho v2.25.0\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK", raising=False)
    assert main(["preview", "--stack", "dev"]) == 1
    assert "does not work with this SDK: Minimum version requirement failed" in capsys.readouterr().err


def test_locked_stack_says_how_to_unlock(fake):
    fake.fail = {"up": ("", "error: [409] Conflict: Another update is currently in progress.")}
    assert "locked by another update" in failure(fake) and "`pulumi cancel --stack dev`" in failure(fake)
    fake.fail = {"up": ("", "error: the stack is currently locked by 1 lock(s). Either wait for the other "
                            "process(es) to end or delete the lock file with `pulumi cancel`.")}
    assert "locked by another update" in failure(fake)


def test_missing_stack_offers_to_create_it(fake):
    fake.fail = {"stack select": ("", "error: no stack named 'dev' found")}
    assert "stack dev does not exist" in failure(fake) and "run up with create=True to create it" in failure(fake)
    assert "create and deploy it with up and create=True" in failure(fake, api.refresh)


def test_missing_aws_credentials(fake):
    fake.fail = {"up": ("  pulumi:providers:aws default_7_51_1:\n    error: pulumi:providers:aws resource "
                        "'default_7_51_1' has a problem: No valid credential sources found.", "error: update failed")}
    message = failure(fake)
    assert message.startswith("no valid AWS credentials") and "No valid credential sources found" in message


def test_failed_update_names_the_failing_resource_from_the_engine_events(fake):
    fake.events = (
        {"diagnosticEvent": {"urn": SVC_URN, "severity": "error", "color": "never", "prefix": "error: ",
                             "message": "creating ECS Service (dev-web-svc): InvalidParameterException: The target "
                                        "group does not have an associated load balancer.\n"}},
        {"resOpFailedEvent": {"metadata": {"op": "create", "urn": SVC_URN, "type": "aws:ecs/service:Service",
                                           "provider": ""}, "status": 1, "steps": 1}},
        {"diagnosticEvent": {"urn": "urn:pulumi:dev::ecs-app::pulumi:pulumi:Stack::ecs-app-dev",
                             "severity": "error", "message": "update failed"}},
    )
    fake.fail = {"up": ("Updating (dev)", "error: update failed")}
    assert failure(fake) == ("up of stack dev failed at aws:ecs/service:Service dev-web-svc: creating ECS Service "
                             "(dev-web-svc): InvalidParameterException: The target group does not have an "
                             "associated load balancer.")


def test_failed_update_without_events_reads_the_diagnostics_the_cli_printed(fake):
    stdout = ("Updating (dev)\n\nDiagnostics:\n  pulumi:pulumi:Stack (ecs-app-dev):\n    error: update failed\n\n"
              "  aws:ecs:Service (dev-web-svc):\n    error: 1 error occurred:\n"
              "    \t* creating ECS Service (dev-web-svc): AccessDeniedException: not allowed\n")
    fake.fail = {"up": (stdout, "error: update failed")}
    assert failure(fake) == ("up of stack dev failed at aws:ecs:Service (dev-web-svc): creating ECS Service "
                             "(dev-web-svc): AccessDeniedException: not allowed")


def test_not_logged_in_and_passphrase_problems(fake):
    fake.fail = {"stack select": ("", "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive "
                                      "CLI sessions")}
    assert failure(fake).startswith("not logged in to a Pulumi backend")
    fake.fail = {"up": ("", "error: constructing secrets manager of type \"passphrase\": passphrase must be set "
                            "with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables")}
    assert "set PULUMI_CONFIG_PASSPHRASE" in failure(fake)
    fake.fail = {"up": ("", "error: incorrect passphrase")}
    assert "does not decrypt" in failure(fake)


def test_other_cli_errors_give_their_first_error_line(fake):
    fake.fail = {"up": ("", "warning: something\nerror: could not load plugin aws\nmore detail")}
    assert failure(fake) == "up of stack dev failed: could not load plugin aws"


def test_errors_that_are_not_pulumi_failures_are_not_disguised():
    assert failures.describe(ValueError("bug"), stack="dev", operation="up") is None
    assert failures.describe(FileNotFoundError(2, "missing", "Pulumi.dev.yaml"), stack="dev",
                                      operation="up") is None


def test_command_output_and_urn_helpers():
    error = auto.CommandError(auto.CommandResult("out\nmore", "err", 3))
    assert failures.command_output(error) == (3, "out\nmore", "err")
    assert failures.describe_urn(SVC_URN) == "aws:ecs/service:Service dev-web-svc"
    assert failures.describe_urn("aws:ecs:Service (x)") == "aws:ecs:Service (x)"
