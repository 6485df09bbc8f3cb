"""One-off tasks of a deployed stack, straight from the AWS APIs (boto3); log events are in `logs`.

    ctx = tasks.stack_context("prod")                      # outputs + region
    result = tasks.run_once(ctx.session(), ctx.outputs, "web", ["python", "manage.py", "migrate"])
    result.outcome.exit_code                                 # the container's exit code, or None

The stack outputs only name things (`clusterName`, `serviceNames`, `scheduleNames`,
`logGroupNames`); how a task runs is read live: an ECS service's network configuration,
capacity provider strategy (or launch type) and platform version from `DescribeServices`,
a scheduled task's from its EventBridge Scheduler target (`GetSchedule`). A one-off task
therefore lands in the same subnets, security groups and capacity as the service's tasks.

Every function takes boto3 clients (or a `boto3.Session`), so tests point them at a local
server through `AWS_ENDPOINT_URL`, which boto3 reads itself. AWS errors become one-line
`Failure`s (`aws_errors`); the helpers that only compute are pure.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config.source import project_name, stack_file
from ..errors import ArgumentError, Failure, literal
from . import terraform_states

POLL_SECONDS = 6.0
"""How often a running task is described (the interval of boto3's `tasks_stopped` waiter)."""
STARTED_BY = "deploy-run"
"""`startedBy` of the tasks `run_once` starts: `aws ecs list-tasks --started-by deploy-run` finds them."""
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

Clock = Callable[[], float]
Sleep = Callable[[float], None]


# --- pure helpers ------------------------------------------------------------------------


def parse_duration(text: str) -> int:
    """`30s`, `10m`, `2h`, `1d` -> seconds; ValueError for anything else (zero included)."""
    match = re.fullmatch(r"\s*(\d{1,9})([smhd])\s*", text or "")
    if match is None or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not a duration: a whole number and s, m, h or d (30s, 10m, 2h, 1d)")
    return int(match.group(1)) * _UNITS[match.group(2)]


def region(stack_region: str, env: Mapping[str, str] = os.environ) -> tuple[str, str]:
    """(region, where it comes from): AWS_REGION or AWS_DEFAULT_REGION when set, else the stack's `aws:region`."""
    for var in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        if env.get(var, "").strip():
            return env[var].strip(), var
    return stack_region, "aws:region of the stack"


def task_id(task_arn: str) -> str:
    """`arn:aws:ecs:...:task/<cluster>/<id>` (or the old `task/<id>`) -> `<id>`."""
    return task_arn.rsplit("/", 1)[-1]


def log_stream_name(prefix: str, container: str, task: str) -> str:
    """The stream the awslogs driver writes a container of a task to: `<prefix>/<container>/<task id>`."""
    return f"{prefix}/{container}/{task_id(task)}"


def log_location(container: Mapping[str, Any], task_arn: str) -> tuple[str, str] | None:
    """(log group, log stream) of a container definition's awslogs configuration, or None without one.

    Without `awslogs-stream-prefix` the stream is named after the Docker container ID, which
    the task does not report: None too.
    """
    config = container.get("logConfiguration") or {}
    options = config.get("options") or {}
    if config.get("logDriver") != "awslogs" or not options.get("awslogs-group") or \
            not options.get("awslogs-stream-prefix"):
        return None
    return options["awslogs-group"], log_stream_name(options["awslogs-stream-prefix"], container["name"], task_arn)


def choose_container(task_definition: Mapping[str, Any], name: str | None) -> Mapping[str, Any]:
    """The container definition named `name`, else the first essential one (ArgumentError naming `container`)."""
    containers = list(task_definition.get("containerDefinitions") or [])
    names = ", ".join(c["name"] for c in containers) or "none"
    if name is not None:
        for c in containers:
            if c["name"] == name:
                return c
        raise ArgumentError("{container}: " + literal(f"no container {name} in task definition "
                                                      f"{task_definition.get('family')}; containers: {names}"),
                            container=name)
    for c in containers:
        if c.get("essential", True):  # ECS's default
            return c
    raise Failure(f"task definition {task_definition.get('family')} has no essential container ({names})")


@dataclass(frozen=True)
class Placement:
    """Where and how a service's tasks run, as RunTask takes it."""

    service: str
    source: str
    """`ECS service <name>` or `schedule <name>`: where the settings were read."""
    cluster: str
    task_definition: str
    network_configuration: Mapping[str, Any] | None = None
    capacity_provider_strategy: Sequence[Mapping[str, Any]] = ()
    launch_type: str | None = None
    platform_version: str | None = None


def run_request(placement: Placement, container: str, command: Sequence[str]) -> dict[str, Any]:
    """The RunTask arguments: one task, the service's placement, the container's command replaced (if given).

    RunTask refuses a launch type together with a strategy; the strategy wins, as it does for
    the service (ECS reports `launchType` on some services that run on a strategy).
    """
    request: dict[str, Any] = {"cluster": placement.cluster, "taskDefinition": placement.task_definition,
                               "count": 1, "startedBy": STARTED_BY}
    if placement.network_configuration:
        request["networkConfiguration"] = dict(placement.network_configuration)
    if placement.capacity_provider_strategy:
        request["capacityProviderStrategy"] = [dict(s) for s in placement.capacity_provider_strategy]
    elif placement.launch_type:
        request["launchType"] = placement.launch_type
    if placement.platform_version:
        request["platformVersion"] = placement.platform_version
    if command:
        request["overrides"] = {"containerOverrides": [{"name": container, "command": list(command)}]}
    return request


@dataclass(frozen=True)
class Outcome:
    exit_code: int | None
    """The container's exit code when the task stopped because its essential container exited; else None."""
    reason: str
    """Why the task stopped (`stoppedReason`, with the container's own reason when it has one)."""


def outcome(task: Mapping[str, Any], container: str) -> Outcome:
    """What a STOPPED task (DescribeTasks) says about `container`.

    An exit code counts only when the task stopped because an essential container exited
    (`stopCode` EssentialContainerExited, or no stop code and no other reason): a task
    stopped by someone, by a Spot interruption or one that never started has no result.
    """
    reason = str(task.get("stoppedReason") or "")
    stop_code = task.get("stopCode")
    found = next((c for c in task.get("containers") or [] if c.get("name") == container), None)
    code = found.get("exitCode") if found is not None else None
    ran = stop_code == "EssentialContainerExited" or (
        stop_code is None and (not reason or reason.startswith("Essential container in task exited")))
    if isinstance(code, int) and ran:
        return Outcome(code, reason)
    parts = [reason or str(stop_code or "")]
    if found is None:
        parts.append(f"the task reports no container {container}")
    elif found.get("reason"):
        parts.append(str(found["reason"]))
    return Outcome(None, " ".join("; ".join(p for p in parts if p).split()) or "no reason given")


# --- the stack: outputs and region --------------------------------------------------------


@dataclass(frozen=True)
class StackContext:
    stack: str
    outputs: Mapping[str, Any]
    region: str
    region_source: str

    def session(self) -> Any:
        """A boto3 Session in the stack's region (credentials and AWS_ENDPOINT_URL as boto3 finds them)."""
        import boto3  # type: ignore[import-untyped]  # no stubs pinned: the clients are typed Any

        return boto3.Session(region_name=self.region)


def read_outputs_file(path: Path) -> dict[str, Any]:
    """Outputs saved with `python -m deploy outputs --stack S --json > FILE` (ArgumentError naming `outputs_file`)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ArgumentError("{outputs_file}: " + literal(f"cannot read {path}: {str(exc).splitlines()[0]}"),
                            outputs_file=path) from exc
    if not isinstance(data, dict):
        raise ArgumentError("{outputs_file}: " + literal(f"{path} is not a JSON object of outputs, as "
                                                         "`outputs --json` prints them"), outputs_file=path)
    return data


def stack_context(stack: str, *, config_file: Path | None = None, outputs_file: Path | None = None,
                  local: bool | None = None, env: Mapping[str, str] = os.environ) -> StackContext:
    """The stack's outputs (from `outputs_file`, else through the Automation API) and its region."""
    name, path = stack_file(stack.split("/")[-1] if stack else stack, config_file)
    cfg = terraform_states.load(path, project_name(), name)
    if outputs_file is not None:
        outputs = read_outputs_file(outputs_file)
    else:
        from . import api

        outputs = {k: v.value for k, v in api.outputs(stack or name, local=local).items()}
    where, source = region(cfg.region, env)
    return StackContext(stack or name, outputs, where, source)


def output_names(outputs: Mapping[str, Any], key: str) -> dict[str, str]:
    value = outputs.get(key)
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def unknown_service(service: str, known: Sequence[str]) -> ArgumentError:
    return ArgumentError("{service}: " + literal(f"no service {service} in the stack outputs; services: "
                                                 f"{', '.join(sorted(known)) or 'none (deploy the stack first)'}"),
                         service=service)


# --- AWS calls ----------------------------------------------------------------------------


@contextlib.contextmanager
def aws_errors(where: str = "") -> Iterator[None]:
    """Every boto3/botocore error of the block as one `Failure` line; `where` (the region) is appended."""
    from botocore import exceptions as boto

    suffix = f" ({where})" if where else ""
    try:
        yield
    except boto.NoCredentialsError as exc:
        raise Failure("no AWS credentials: configure them (aws configure, AWS_PROFILE, or an OIDC role in CI), "
                      "then retry") from exc
    except boto.ClientError as exc:
        error = exc.response.get("Error", {})
        operation = getattr(exc, "operation_name", "") or "the call"
        text = f"AWS refused {operation}: {error.get('Code', 'error')}: {error.get('Message', '')}".strip()
        raise Failure(" ".join(text.split()) + suffix) from exc
    except boto.BotoCoreError as exc:
        raise Failure(f"AWS call failed: {' '.join(str(exc).split())}{suffix}") from exc


def placement(ecs: Any, scheduler: Any, outputs: Mapping[str, Any], service: str) -> Placement:
    """How `service` runs: from its live ECS service, or for a scheduled task from its schedule's target."""
    services, schedules = output_names(outputs, "serviceNames"), output_names(outputs, "scheduleNames")
    cluster = outputs.get("clusterName")
    if service in services:
        if not cluster:
            raise Failure("the stack outputs have no clusterName: deploy the stack first (up)")
        found = ecs.describe_services(cluster=cluster, services=[services[service]]).get("services") or []
        live = next((s for s in found if s.get("status") != "INACTIVE"), None)
        if live is None:
            raise Failure(f"ECS service {services[service]} does not exist in cluster {cluster}: deploy the "
                          "stack (up), or check that the outputs are this stack's")
        return Placement(service, f"ECS service {services[service]}", str(cluster), live["taskDefinition"],
                         _network(live.get("networkConfiguration")), _strategy(live.get("capacityProviderStrategy")),
                         live.get("launchType"), live.get("platformVersion"))
    if service in schedules:
        try:
            target = scheduler.get_schedule(Name=schedules[service])["Target"]
        except Exception as exc:
            if _code(exc) == "ResourceNotFoundException":
                raise Failure(f"schedule {schedules[service]} does not exist: deploy the stack (up)") from exc
            raise
        ecs_parameters = target.get("EcsParameters") or {}
        vpc = (ecs_parameters.get("NetworkConfiguration") or {}).get("awsvpcConfiguration")
        network = {"awsvpcConfiguration": {"subnets": list(vpc.get("Subnets") or []),
                                           "securityGroups": list(vpc.get("SecurityGroups") or []),
                                           "assignPublicIp": vpc.get("AssignPublicIp") or "DISABLED"}} if vpc else None
        return Placement(service, f"schedule {schedules[service]}", str(target["Arn"]).rsplit("/", 1)[-1],
                         ecs_parameters["TaskDefinitionArn"], network,
                         _strategy(ecs_parameters.get("CapacityProviderStrategy")),
                         ecs_parameters.get("LaunchType"), ecs_parameters.get("PlatformVersion"))
    raise unknown_service(service, [*services, *schedules])


def _network(config: Mapping[str, Any] | None) -> dict[str, Any] | None:
    vpc = (config or {}).get("awsvpcConfiguration")
    if not vpc:
        return None
    return {"awsvpcConfiguration": {k: vpc[k] for k in ("subnets", "securityGroups", "assignPublicIp") if k in vpc}}


def _strategy(items: Sequence[Mapping[str, Any]] | None) -> tuple[dict[str, Any], ...]:
    return tuple({k: item[k] for k in ("capacityProvider", "weight", "base") if k in item} for item in items or ())


def _code(exc: BaseException) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


def start_task(ecs: Any, request: Mapping[str, Any]) -> dict[str, Any]:
    """RunTask; the started task, or a `Failure` with ECS's reason when it placed none."""
    response = ecs.run_task(**request)
    started = response.get("tasks") or []
    if not started:
        failures = "; ".join(f"{f.get('reason', '?')}" + (f" ({f['detail']})" if f.get("detail") else "")
                             for f in response.get("failures") or []) or "no reason given"
        raise Failure(f"ECS started no task: {failures}")
    return dict(started[0])


def describe_task(ecs: Any, cluster: str, task_arn: str) -> dict[str, Any]:
    found = ecs.describe_tasks(cluster=cluster, tasks=[task_arn]).get("tasks") or []
    if not found:
        raise Failure(f"task {task_id(task_arn)} is not in cluster {cluster} any more (ECS keeps stopped tasks "
                      "for about an hour)")
    return dict(found[0])


def wait_stopped(ecs: Any, cluster: str, task_arn: str, *, timeout: float, poll_seconds: float | None = None,
                 on_poll: Callable[[Mapping[str, Any]], None] | None = None, sleep: Sleep = time.sleep,
                 clock: Clock = time.monotonic) -> dict[str, Any]:
    """Describe the task until it is STOPPED or `timeout` seconds passed; the last description either way."""
    deadline = clock() + timeout
    interval = POLL_SECONDS if poll_seconds is None else poll_seconds
    while True:
        task = describe_task(ecs, cluster, task_arn)
        if on_poll is not None:
            on_poll(task)
        left = deadline - clock()
        if task.get("lastStatus") == "STOPPED" or left <= 0:
            return task
        sleep(min(interval, left))


class TaskLog:
    """The new events of one log stream on each `read()` (GetLogEvents, forward tokens)."""

    def __init__(self, logs: Any, group: str, stream: str):
        self.logs, self.group, self.stream = logs, group, stream
        self._token: str | None = None

    def read(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        while True:
            args: dict[str, Any] = {"logGroupName": self.group, "logStreamName": self.stream, "startFromHead": True}
            if self._token is not None:
                args["nextToken"] = self._token
            try:
                page = self.logs.get_log_events(**args)
            except Exception as exc:
                if _code(exc) == "ResourceNotFoundException":  # the container has not written yet
                    return events
                raise
            events += page.get("events") or []
            token = page.get("nextForwardToken")
            if not token or token == self._token:  # the same token back: the end of the stream, for now
                return events
            self._token = token


@dataclass(frozen=True)
class Started:
    """A task `run_once` started: what to print, and how to stop it."""

    task_arn: str
    cluster: str
    container: str
    placement: Placement
    log: tuple[str, str] | None
    """(log group, log stream) of the container, when it logs with awslogs."""

    @property
    def task_id(self) -> str:
        return task_id(self.task_arn)


@dataclass(frozen=True)
class RunResult:
    started: Started
    task: Mapping[str, Any]
    """The last DescribeTasks answer (RunTask's, without waiting)."""
    outcome: Outcome | None
    """None when not waited for, or when the task was still running at the timeout (`timed_out`)."""
    timed_out: bool = False


def run_once(session: Any, outputs: Mapping[str, Any], service: str, command: Sequence[str], *,
             container: str | None = None, wait: bool = True, timeout: float = 1800,
             on_started: Callable[[Started], None] | None = None, on_log: Callable[[str], None] | None = None,
             poll_seconds: float | None = None, sleep: Sleep = time.sleep, clock: Clock = time.monotonic,
             where: str = "") -> RunResult:
    """Run the service's task definition once, as the service runs it, with `command` for `container`.

    `container` defaults to the task definition's first essential container; an empty
    `command` keeps the container's own. With `wait`, follows the container's log stream
    (`on_log`, one message at a time) until the task stops or `timeout` seconds pass.
    AWS errors raise `Failure` (`where`, e.g. the region, is appended to the line).
    """
    with aws_errors(where):
        ecs, logs = session.client("ecs"), session.client("logs")
        found = placement(ecs, session.client("scheduler"), outputs, service)
        definition = ecs.describe_task_definition(taskDefinition=found.task_definition)["taskDefinition"]
        chosen = choose_container(definition, container)
        task = start_task(ecs, run_request(found, chosen["name"], command))
        started = Started(task["taskArn"], found.cluster, chosen["name"], found, log_location(chosen, task["taskArn"]))
        if on_started is not None:
            on_started(started)
        if not wait:
            return RunResult(started, task, None)
        stream = TaskLog(logs, *started.log) if started.log is not None else None

        def forward(_: Mapping[str, Any]) -> None:
            for event in stream.read() if stream is not None else ():
                if on_log is not None:
                    on_log(str(event.get("message", "")).rstrip("\n"))

        last = wait_stopped(ecs, found.cluster, started.task_arn, timeout=timeout, poll_seconds=poll_seconds,
                            on_poll=forward, sleep=sleep, clock=clock)
    if last.get("lastStatus") != "STOPPED":
        return RunResult(started, last, None, timed_out=True)
    return RunResult(started, last, outcome(last, chosen["name"]))
