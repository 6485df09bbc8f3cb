"""`python -m deploy run` and `logs`: exit codes, what reaches ECS, what is printed; against a moto server."""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

import pytest

from deploy.cli import main
from deploy.cli.app import parser
from deploy.ops import tasks
from tests.cli.test_readme import blocks
from tests.conftest import ROOT

pytest_plugins = ["tests.ops.moto_aws"]  # the fixtures `aws`, `moto_endpoint`, `outputs_file`

MIGRATE = ["python", "manage.py", "migrate", "--noinput"]


def run(outputs_path, *args: str) -> int:
    return main(["run", "--stack", "dev", "--outputs-file", str(outputs_path), *args])


def started_task_id(err: str) -> str:
    match = re.search(r"^Started task (\S+) of ", err, re.MULTILINE)
    assert match, err
    return match.group(1)


@pytest.mark.integration
def test_run_exits_with_the_containers_code_after_running_like_the_service(aws, outputs_file, capsys):
    outputs, path = outputs_file
    aws.set_transition("immediate")
    assert run(path, "--service", "web", "--", *MIGRATE) == 0
    err = capsys.readouterr().err
    task_id = started_task_id(err)
    assert err.splitlines()[-1] == f"task {task_id}: app exited with code 0"
    task = aws.task(task_id)
    assert task["overrides"]["containerOverrides"] == [{"name": "app", "command": MIGRATE}]
    assert task["capacityProviderName"] == "FARGATE_SPOT"
    assert aws.task_network(task) == (outputs["privateSubnetIds"][0], [outputs["securityGroups"]["web"]])


@pytest.mark.integration
def test_run_of_a_task_someone_stops_exits_1_with_the_stopped_reason(aws, outputs_file, capsys, monkeypatch):
    _, path = outputs_file
    aws.set_transition("manual", times=10_000)  # running until stopped
    monkeypatch.setattr(tasks, "POLL_SECONDS", 0.05)
    ecs = aws.client("ecs")

    def operator() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            running = ecs.list_tasks(cluster="test-cluster")["taskArns"]
            if running:
                ecs.stop_task(cluster="test-cluster", task=running[0], reason="Task stopped by user")
                return
            time.sleep(0.02)

    stopper = threading.Thread(target=operator)
    stopper.start()
    code = run(path, "--service", "web", "--", "sleep", "600")
    stopper.join()
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines()[-1] == (f"task {started_task_id(err)} stopped without an exit code of app: "
                                    "Task stopped by user")


@pytest.mark.integration
def test_run_without_waiting_prints_the_task_arn_and_how_to_follow_it(aws, outputs_file, capsys):
    _, path = outputs_file
    aws.set_transition("manual", times=10_000)
    assert run(path, "--service", "nightly", "--no-wait", "--", "./bin/report") == 0
    out, err = capsys.readouterr()
    task = aws.task(out.strip())
    assert task["lastStatus"] == "RUNNING"
    assert task["overrides"]["containerOverrides"] == [{"name": "job", "command": ["./bin/report"]}]
    assert "follow its log: python -m deploy logs --stack dev --service nightly --follow" in err


@pytest.mark.integration
def test_run_stops_waiting_at_the_timeout_and_says_how_to_stop_the_task(aws, outputs_file, capsys, monkeypatch):
    _, path = outputs_file
    aws.set_transition("manual", times=10_000)
    monkeypatch.setattr(tasks, "POLL_SECONDS", 0.05)
    assert run(path, "--service", "web", "--timeout", "1s", "--", "sleep", "600") == 1
    err = capsys.readouterr().err
    task_id = started_task_id(err)
    assert err.splitlines()[-1] == (f"task {task_id} is still RUNNING after --timeout 1s and keeps running; stop it "
                                    f"with: aws ecs stop-task --cluster test-cluster --task {task_id} "
                                    "--region us-east-1")


@pytest.mark.integration
@pytest.mark.parametrize("command", ["run", "logs"])
def test_an_unknown_service_is_a_usage_error_listing_the_services(aws, outputs_file, capsys, command):
    _, path = outputs_file
    assert main([command, "--stack", "dev", "--outputs-file", str(path), "--service", "api"]) == 2
    names = "nightly, web"
    assert capsys.readouterr().err == f"--service: no service api in the stack outputs; services: {names}\n"


@pytest.mark.integration
def test_the_region_comes_from_the_environment_when_set(aws, outputs_file, capsys, monkeypatch):
    _, path = outputs_file  # deployed in us-east-1, the region of Pulumi.dev.yaml
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert run(path, "--service", "web", "--", "true") == 1
    assert capsys.readouterr().err == ("AWS refused DescribeServices: ClusterNotFoundException: Cluster not found. "
                                       "(region eu-west-1, from AWS_DEFAULT_REGION)\n")


@pytest.mark.integration
def test_logs_prints_the_events_of_every_task_since_the_given_time(aws, outputs_file, capsys):
    _, path = outputs_file
    now = int(time.time() * 1000)
    aws.put_log("/ecs/test-web", "web/app/t-old", "three hours ago", at=now - 3 * 3600_000)
    aws.put_log("/ecs/test-web", "web/app/t-new", "five minutes ago", at=now - 5 * 60_000)
    assert main(["logs", "--stack", "dev", "--outputs-file", str(path), "--service", "web", "--since", "1h"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z web/app/t-new five minutes ago",
                                            lines[0])
    assert main(["logs", "--stack", "dev", "--outputs-file", str(path), "--service", "web", "--since", "4h"]) == 0
    assert [line.split(" ", 2)[2] for line in capsys.readouterr().out.splitlines()] == [
        "three hours ago", "five minutes ago"]


# --- bad input: exit 2 or 1, one line, no traceback (no server needed) --------------------


@pytest.fixture
def saved_outputs(tmp_path):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"clusterName": "test-cluster", "serviceNames": {"web": "test-web-svc"},
                                "logGroupNames": {"web": "/ecs/test-web"}}))
    return path


@pytest.mark.parametrize(("args", "line"), [
    (["logs", "--service", "web", "--since", "10x"],
     "--since: '10x' is not a duration: a whole number and s, m, h or d (30s, 10m, 2h, 1d)"),
    (["run", "--service", "web", "--timeout", "30", "--", "true"],
     "--timeout: '30' is not a duration: a whole number and s, m, h or d (30s, 10m, 2h, 1d)"),
    (["run", "--", "true"], "python -m deploy run: the following arguments are required: --service"),
], ids=["since", "timeout", "no-service"])
def test_bad_arguments_exit_2_naming_the_flag(saved_outputs, capsys, args, line):
    assert main([*args[:1], "--stack", "dev", "--outputs-file", str(saved_outputs), *args[1:]]) == 2
    assert capsys.readouterr().err == line + "\n"


def test_an_unreadable_outputs_file_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "outputs.json"
    path.write_text("Outputs:\n  clusterName: x\n")  # the text form, not --json
    assert main(["logs", "--stack", "dev", "--outputs-file", str(path), "--service", "web"]) == 2
    assert capsys.readouterr().err.startswith(f"--outputs-file: cannot read {path}: Expecting value")


def test_without_aws_credentials_the_commands_fail_in_one_line(saved_outputs, capsys, monkeypatch):
    for var in [v for v in os.environ if v.startswith("AWS_")]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance metadata lookup either
    for command in (["run", "--", "true"], ["logs"]):
        assert main([command[0], "--stack", "dev", "--outputs-file", str(saved_outputs), "--service", "web",
                     *command[1:]]) == 1
        assert capsys.readouterr().err == ("no AWS credentials: configure them (aws configure, AWS_PROFILE, or an "
                                           "OIDC role in CI), then retry\n")


def test_the_documented_run_and_logs_commands_are_ones_the_parser_accepts():
    found = []
    for doc in (ROOT / "docs" / "operations.md", ROOT / "README.md"):
        for block in blocks("bash", doc.read_text()):
            found += [shlex.split(line.split("python -m deploy ", 1)[1], comments=True)
                      for line in block.splitlines() if re.search(r"python -m deploy (run|logs) ", line)]
    assert len(found) >= 7 and {argv[0] for argv in found} == {"run", "logs"}
    for argv in found:
        parser(argv).parse_args(argv)  # a usage error raises ArgumentError


# --- Ctrl-C, as a person presses it ------------------------------------------------------


def start(args: list[str]) -> tuple[subprocess.Popen, queue.Queue]:
    process = subprocess.Popen([sys.executable, "-m", "deploy", *args], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in process.stderr], daemon=True).start()
    return process, lines


def wait_for(lines: queue.Queue, prefix: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = lines.get(timeout=deadline - time.monotonic())
        if line.startswith(prefix):
            return line
    raise AssertionError(f"no line starting with {prefix!r}")


@pytest.mark.integration
def test_ctrl_c_while_waiting_says_how_to_stop_the_task_that_keeps_running(aws, outputs_file):
    _, path = outputs_file
    aws.set_transition("manual", times=10_000)
    process, lines = start(["run", "--stack", "dev", "--outputs-file", str(path), "--service", "web", "--",
                            "sleep", "600"])
    try:
        task_id = started_task_id(wait_for(lines, "Started task"))
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 1
    finally:
        process.kill()
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert rest[-1].strip() == (f"interrupted: task {task_id} keeps running; stop it with: aws ecs stop-task "
                                f"--cluster test-cluster --task {task_id} --region us-east-1")
    assert aws.task(task_id)["lastStatus"] == "RUNNING" and not any("Traceback" in x for x in rest)


@pytest.mark.integration
def test_following_logs_prints_until_ctrl_c_and_exits_0(aws, outputs_file):
    _, path = outputs_file
    aws.put_log("/ecs/test-web", "web/app/t1", "ready")
    process, _ = start(["logs", "--stack", "dev", "--outputs-file", str(path), "--service", "web", "--follow"])
    printed: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [printed.put(x) for x in process.stdout], daemon=True).start()
    try:
        first = printed.get(timeout=60)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
    assert first.rstrip().endswith("web/app/t1 ready")
