"""`run --stack S --service NAME [--container C] [--no-wait] [--timeout 30m] -- CMD...`: a one-off task.

Runs the service's task definition once, in the service's own subnets, security groups and
capacity, with CMD instead of the container's command; prints the container's log while it
runs and exits with the container's exit code. See docs/operations.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ...errors import ArgumentError, literal
from ..app import EXIT_FAILURE, EXIT_OK
from ..operations import add_arguments, stack_name

DESCRIPTION = """\
Run the service's task definition once, as the service runs its tasks (subnets, security
groups, capacity provider strategy or launch type, platform version), with CMD as the
command of the container; print its log; exit with its exit code. The task definition is
the one the service runs now, with its image. Region: AWS_REGION or AWS_DEFAULT_REGION if
set, else the stack's aws:region.
"""
EXAMPLES = """\
examples:
  # database migrations before a release, in the web service's network, with its image and secrets
  python -m deploy run --stack prod --service web -- python manage.py migrate --noinput
  python -m deploy release --stack prod --service web --image-tag 3f2a1b9
  # a named container, without waiting (prints the task ARN)
  python -m deploy run --stack dev --service web --container app --no-wait -- ./bin/reindex
  # without the Pulumi CLI: outputs saved with `python -m deploy outputs --stack prod --json`
  python -m deploy run --stack prod --service web --outputs-file prod-outputs.json -- ./migrate

The exit code is the container's. A task that stops for another reason (stopped by someone,
never started, Spot interruption) exits 1 with the task's stoppedReason.
"""


def outputs_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--outputs-file", type=Path, metavar="FILE",
                   help="read the stack outputs from FILE (as `outputs --stack S --json` prints them) instead of "
                        "asking the Pulumi CLI")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run a service's task once with another command, e.g. database migrations "
                                   "(needs AWS credentials)",
                       description=DESCRIPTION,
                       epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(p)
    p.add_argument("--service", required=True, help="the service (or scheduled task) whose task definition runs")
    p.add_argument("--container", help="the container whose command CMD replaces (default: the first essential one)")
    p.add_argument("--no-wait", action="store_true", help="start the task, print its ARN and return")
    p.add_argument("--timeout", default="30m", help="stop waiting after this long: 90s, 30m, 2h (default 30m); "
                                                    "the task keeps running")
    outputs_argument(p)
    p.add_argument("cmd", nargs="*", metavar="CMD", help="the command, after `--` (default: the container's own)")
    p.set_defaults(handler=run)


def duration(value: str, flag: str) -> int:
    """A `30s` / `10m` / `2h` / `1d` flag in seconds; a usage error (exit 2) naming the flag otherwise."""
    from ...ops.tasks import parse_duration

    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ArgumentError("{" + flag + "}: " + literal(str(exc)), **{flag: value}) from exc


def stop_hint(started: Any, region: str) -> str:
    return f"aws ecs stop-task --cluster {started.cluster} --task {started.task_id} --region {region}"


def run(args: argparse.Namespace) -> int:
    from ...ops import tasks

    timeout = duration(args.timeout, "timeout")
    ctx = tasks.stack_context(stack_name(args), config_file=args.config_file, outputs_file=args.outputs_file,
                              local=args.local)
    where = f"region {ctx.region}, from {ctx.region_source}"
    current: list[Any] = []

    def on_started(started: tasks.Started) -> None:
        current.append(started)
        print(f"Started task {started.task_id} of {started.placement.source} on cluster {started.cluster} "
              f"({started.container}: {' '.join(args.cmd) or 'its own command'})", file=sys.stderr, flush=True)
        if started.log is None:
            print(f"note: container {started.container} does not log to CloudWatch with awslogs and a stream "
                  "prefix: no log to show", file=sys.stderr)

    def on_log(line: str) -> None:
        print(line, flush=True)

    try:
        result = tasks.run_once(ctx.session(), ctx.outputs, args.service, args.cmd, container=args.container,
                                wait=not args.no_wait, timeout=timeout, on_started=on_started, on_log=on_log,
                                where=where)
    except KeyboardInterrupt:
        if not current:
            raise
        print(f"interrupted: task {current[0].task_id} keeps running; stop it with: "
              f"{stop_hint(current[0], ctx.region)}", file=sys.stderr)
        return EXIT_FAILURE
    started = result.started
    if args.no_wait:
        print(started.task_arn)
        print(f"follow its log: python -m deploy logs --stack {ctx.stack} --service {args.service} --follow",
              file=sys.stderr)
        return EXIT_OK
    if result.timed_out:
        print(f"task {started.task_id} is still {result.task.get('lastStatus', 'running')} after --timeout "
              f"{args.timeout} and keeps running; stop it with: {stop_hint(started, ctx.region)}", file=sys.stderr)
        return EXIT_FAILURE
    if result.outcome is None or result.outcome.exit_code is None:
        print(f"task {started.task_id} stopped without an exit code of {started.container}: "
              f"{result.outcome.reason if result.outcome else 'unknown'}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"task {started.task_id}: {started.container} exited with code {result.outcome.exit_code}",
          file=sys.stderr)
    return result.outcome.exit_code
