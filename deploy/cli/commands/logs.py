"""`logs --stack S --service NAME [--since 10m] [--follow]`: the service's log events, from CloudWatch Logs.

Prints every event of the service's log group (output `logGroupNames`) since `--since`, one
line each: timestamp, stream (`<prefix>/<container>/<task id>`), message. `--follow` keeps
asking for new ones until Ctrl-C.
"""

from __future__ import annotations

import argparse
import time

from ..app import EXIT_OK
from ..operations import add_arguments, stack_name
from .run import duration, outputs_argument


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("logs", help="print a service's log events from CloudWatch Logs (needs AWS credentials)",
                       description="Print the events of the service's log group, all tasks and containers. "
                                   "Region: AWS_REGION or AWS_DEFAULT_REGION if set, else the stack's aws:region.")
    add_arguments(p)
    p.add_argument("--service", required=True, help="the service (or scheduled task)")
    p.add_argument("--since", default="10m", help="how far back to start: 30s, 10m, 2h, 1d (default 10m)")
    p.add_argument("--follow", "-f", action="store_true", help="keep printing new events until Ctrl-C")
    outputs_argument(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...ops import logs, tasks

    duration(args.since, "since")
    start = logs.since_millis(args.since, time.time())
    ctx = tasks.stack_context(stack_name(args), config_file=args.config_file, outputs_file=args.outputs_file,
                              local=args.local)
    group = logs.log_group(ctx.outputs, args.service)
    where = f"region {ctx.region}, from {ctx.region_source}"
    with tasks.aws_errors(where):
        client = ctx.session().client("logs")
    try:
        logs.follow_events(client, group, start, lambda event: print(logs.format_event(event), flush=True),
                            follow=args.follow, where=where)
    except KeyboardInterrupt:  # how --follow ends
        if not args.follow:
            raise
    return EXIT_OK
