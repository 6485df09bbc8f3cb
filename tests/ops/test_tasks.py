"""`deploy.ops.tasks`: one-off tasks, the pure helpers and the AWS calls against a moto server."""

from __future__ import annotations

import time

import pytest

from deploy.errors import ArgumentError, Failure
from deploy.ops import tasks

pytest_plugins = ["tests.ops.moto_aws"]  # the fixtures `aws` and `moto_endpoint`

WEB_DEFINITION = {"family": "test-web", "containerDefinitions": [
    {"name": "init", "essential": False},
    {"name": "app", "logConfiguration": {"logDriver": "awslogs", "options": {
        "awslogs-group": "/ecs/test-web", "awslogs-stream-prefix": "web"}}},
    {"name": "side", "essential": True, "logConfiguration": {"logDriver": "awslogs", "options": {
        "awslogs-group": "/ecs/test-web"}}},
]}
def now_ms() -> int:
    return int(time.time() * 1000)


TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/test-cluster/0123456789abcdef0123456789abcdef"


# --- pure helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("10m", 600), ("2h", 7200), ("1d", 86400),
                                               (" 5m ", 300)])
def test_durations_in_seconds_minutes_hours_and_days(text, seconds):
    assert tasks.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["10", "m", "0s", "-5m", "1w", "1.5h", "10 m", "", "10M"])
def test_anything_else_is_not_a_duration(text):
    with pytest.raises(ValueError, match="is not a duration: a whole number and s, m, h or d"):
        tasks.parse_duration(text)


@pytest.mark.parametrize(("env", "expected"), [
    ({}, ("eu-west-1", "aws:region of the stack")),
    ({"AWS_DEFAULT_REGION": "us-west-2"}, ("us-west-2", "AWS_DEFAULT_REGION")),
    ({"AWS_REGION": "ap-northeast-2", "AWS_DEFAULT_REGION": "us-west-2"}, ("ap-northeast-2", "AWS_REGION")),
    ({"AWS_REGION": " ", "AWS_DEFAULT_REGION": ""}, ("eu-west-1", "aws:region of the stack")),
], ids=["stack", "default-region", "region-first", "blank-ignored"])
def test_region_from_the_environment_when_set_else_from_the_stack(env, expected):
    assert tasks.region("eu-west-1", env) == expected


def test_the_log_stream_is_prefix_container_and_task_id():
    assert tasks.task_id(TASK_ARN) == "0123456789abcdef0123456789abcdef"
    assert tasks.task_id("arn:aws:ecs:us-east-1:123456789012:task/abc") == "abc"  # the old ARN format
    assert tasks.log_location(WEB_DEFINITION["containerDefinitions"][1], TASK_ARN) == (
        "/ecs/test-web", "web/app/0123456789abcdef0123456789abcdef")


@pytest.mark.parametrize("container", [
    {"name": "side", "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/x"}}},
    {"name": "fluent", "logConfiguration": {"logDriver": "awsfirelens", "options": {}}},
    {"name": "none"},
], ids=["no-stream-prefix", "firelens", "no-log-configuration"])
def test_no_log_location_without_awslogs_and_a_stream_prefix(container):
    assert tasks.log_location(container, TASK_ARN) is None


def test_the_default_container_is_the_first_essential_one():
    assert tasks.choose_container(WEB_DEFINITION, None)["name"] == "app"  # essential unless it says otherwise
    assert tasks.choose_container(WEB_DEFINITION, "side")["name"] == "side"


def test_an_unknown_container_names_the_argument_and_lists_the_containers():
    with pytest.raises(ArgumentError, match=r"^container='db': no container db in task definition test-web; "
                                            r"containers: init, app, side$"):
        tasks.choose_container(WEB_DEFINITION, "db")


def test_run_request_takes_the_strategy_over_the_launch_type_and_overrides_only_with_a_command():
    placement = tasks.Placement("web", "ECS service test-web-svc", "test-cluster", "arn:td/test-web:3",
                                {"awsvpcConfiguration": {"subnets": ["subnet-1"]}},
                                ({"capacityProvider": "FARGATE_SPOT", "weight": 1},), "FARGATE", "1.4.0")
    request = tasks.run_request(placement, "app", ["python", "manage.py", "migrate"])
    assert "launchType" not in request and request["capacityProviderStrategy"] == [
        {"capacityProvider": "FARGATE_SPOT", "weight": 1}]
    assert request["overrides"] == {"containerOverrides": [{"name": "app", "command": ["python", "manage.py",
                                                                                        "migrate"]}]}
    assert request["count"] == 1 and request["platformVersion"] == "1.4.0"
    on_ec2 = tasks.Placement("web", "ECS service x", "c", "td", launch_type="EC2")
    assert tasks.run_request(on_ec2, "app", [])["launchType"] == "EC2"
    assert "overrides" not in tasks.run_request(on_ec2, "app", [])


def stopped(stop_code=None, stopped_reason="", **container):
    task = {"lastStatus": "STOPPED", "stoppedReason": stopped_reason, "containers": [{"name": "app", **container}]}
    if stop_code is not None:
        task["stopCode"] = stop_code
    return task


def test_the_exit_code_counts_when_the_essential_container_exited():
    task = stopped("EssentialContainerExited", "Essential container in task exited", exitCode=3)
    assert tasks.outcome(task, "app") == tasks.Outcome(3, "Essential container in task exited")


@pytest.mark.parametrize(("task", "reason"), [
    (stopped("UserInitiated", "Task stopped by user", exitCode=143), "Task stopped by user"),
    (stopped("TaskFailedToStart", "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
             reason="CannotPullContainerError: ref not found"),
     "CannotPullContainerError: pull image manifest has been retried 5 time(s); CannotPullContainerError: "
     "ref not found"),
    (stopped("SpotInterruption", "Your Spot Task was interrupted."), "Your Spot Task was interrupted."),
    (stopped("EssentialContainerExited", "Essential container in task exited"),
     "Essential container in task exited"),
], ids=["stopped-by-user", "never-started", "spot", "no-exit-code"])
def test_a_task_stopped_for_another_reason_has_no_exit_code_and_says_why(task, reason):
    assert tasks.outcome(task, "app") == tasks.Outcome(None, reason)


def test_an_outputs_file_must_be_a_json_object(tmp_path):
    path = tmp_path / "outputs.json"
    path.write_text("[1, 2]")
    with pytest.raises(ArgumentError, match=r"^outputs_file=.*is not a JSON object of outputs"):
        tasks.read_outputs_file(path)
    path.write_text("{not json")
    with pytest.raises(ArgumentError, match=r"^outputs_file=.*cannot read .*outputs.json: Expecting"):
        tasks.read_outputs_file(path)
    with pytest.raises(ArgumentError, match=r"cannot read .*missing.json: \[Errno 2\]"):
        tasks.read_outputs_file(tmp_path / "missing.json")


@pytest.mark.integration
def test_a_one_off_task_runs_like_the_service_with_the_command_replaced_and_forwards_its_log(aws):
    outputs = aws.deploy_stack()
    sleeps: list[float] = []

    def container_writes(started: tasks.Started) -> None:  # what the awslogs driver would write
        aws.put_log(*started.log, "Applying accounts.0002_email... OK", "done")

    lines: list[str] = []
    result = tasks.run_once(aws.session, outputs, "web", ["python", "manage.py", "migrate"],
                            on_started=container_writes, on_log=lines.append, sleep=sleeps.append)

    task = aws.task(result.started.task_arn)
    assert task["overrides"]["containerOverrides"] == [{"name": "app", "command": ["python", "manage.py",
                                                                                    "migrate"]}]
    assert task["taskDefinitionArn"] == outputs["taskDefinitionArns"]["web"]
    assert task["capacityProviderName"] == "FARGATE_SPOT" and task["launchType"] == ""  # the strategy, not FARGATE
    assert task["platformVersion"] == "1.4.0" and task["startedBy"] == "deploy-run"
    subnet, groups = aws.task_network(task)
    assert subnet == outputs["privateSubnetIds"][0] and groups == [outputs["securityGroups"]["web"]]
    assert lines == ["Applying accounts.0002_email... OK", "done"]
    # moto stops a task one step per DescribeTasks: waited through three polls, then read the exit code.
    assert sleeps == [tasks.POLL_SECONDS] * 3
    assert result.outcome == tasks.Outcome(0, "") and not result.timed_out


@pytest.mark.integration
def test_a_scheduled_task_runs_with_its_schedule_targets_network_and_strategy(aws):
    outputs = aws.deploy_stack()
    aws.set_transition("immediate")
    result = tasks.run_once(aws.session, outputs, "nightly", ["./bin/report", "--dry-run"])
    assert result.started.placement.source == "schedule test-nightly-schedule"
    assert result.started.container == "job"  # the first container is not essential
    assert result.started.log == ("/ecs/test-nightly", f"nightly/job/{result.started.task_id}")
    task = aws.task(result.started.task_arn)
    assert task["overrides"]["containerOverrides"] == [{"name": "job", "command": ["./bin/report", "--dry-run"]}]
    assert task["capacityProviderName"] == "FARGATE" and task["platformVersion"] == "LATEST"
    assert aws.task_network(task) == (outputs["publicSubnetIds"][0], [outputs["securityGroups"]["nightly"]])


@pytest.mark.integration
def test_a_task_stopped_while_waiting_has_no_exit_code_but_the_stopped_reason(aws):
    outputs = aws.deploy_stack()

    def someone_stops_it(started: tasks.Started) -> None:
        aws.client("ecs").stop_task(cluster=started.cluster, task=started.task_arn, reason="Task stopped by user")

    result = tasks.run_once(aws.session, outputs, "web", ["sleep", "600"], on_started=someone_stops_it,
                            sleep=lambda _: None)
    assert result.task["lastStatus"] == "STOPPED"
    assert result.outcome == tasks.Outcome(None, "Task stopped by user")


@pytest.mark.integration
def test_waiting_ends_at_the_timeout_with_the_task_still_running(aws):
    outputs = aws.deploy_stack()
    aws.set_transition("manual", times=10_000)  # moto keeps it RUNNING
    result = tasks.run_once(aws.session, outputs, "web", ["sleep", "600"], timeout=0.3, poll_seconds=0.05)
    assert result.timed_out and result.outcome is None and result.task["lastStatus"] == "RUNNING"


@pytest.mark.integration
def test_without_waiting_the_task_is_started_and_left_running(aws):
    outputs = aws.deploy_stack()
    aws.set_transition("manual", times=10_000)
    result = tasks.run_once(aws.session, outputs, "web", ["./bin/reindex"], container="side", wait=False)
    assert result.outcome is None and not result.timed_out
    task = aws.task(result.started.task_arn)
    assert task["lastStatus"] == "RUNNING"
    assert task["overrides"]["containerOverrides"] == [{"name": "side", "command": ["./bin/reindex"]}]


@pytest.mark.integration
def test_a_container_the_stopped_task_does_not_report_has_no_exit_code(aws):
    outputs = aws.deploy_stack()
    aws.set_transition("immediate")
    result = tasks.run_once(aws.session, outputs, "web", ["true"], container="side")  # moto reports only `app`
    assert result.outcome == tasks.Outcome(None, "the task reports no container side")


@pytest.mark.integration
def test_unknown_services_list_the_services_and_schedules_of_the_stack(aws):
    outputs = aws.deploy_stack()
    with pytest.raises(ArgumentError, match=r"^service='api': .*; services: nightly, web$"):
        tasks.run_once(aws.session, outputs, "api", ["true"])


@pytest.mark.integration
def test_a_service_missing_from_ecs_and_aws_errors_are_one_line_failures(aws):
    outputs = aws.deploy_stack()
    gone = {**outputs, "serviceNames": {"web": "test-old-svc"}}
    with pytest.raises(Failure, match=r"^ECS service test-old-svc does not exist in cluster test-cluster: "):
        tasks.run_once(aws.session, gone, "web", ["true"])
    elsewhere = {**outputs, "clusterName": "other-cluster"}
    with pytest.raises(Failure) as caught:
        tasks.run_once(aws.session, elsewhere, "web", ["true"], where="region us-east-1")
    assert str(caught.value) == ("AWS refused DescribeServices: ClusterNotFoundException: Cluster not found. "
                                 "(region us-east-1)")
