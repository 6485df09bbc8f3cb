"""Log events of a deployed stack's services, straight from CloudWatch Logs (boto3): the `logs` command.

    ctx = tasks.stack_context("prod")
    group = logs.log_group(ctx.outputs, "web")
    logs.follow_events(ctx.session().client("logs"), group, logs.since_millis("10m", time.time()), print)

The log group of a service comes from the stack output `logGroupNames`. AWS errors become
one-line `Failure`s (`tasks.aws_errors`); the helpers that only compute are pure.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

from .tasks import Sleep, aws_errors, output_names, parse_duration, unknown_service

FOLLOW_SECONDS = 2.0
"""How often `follow_events` asks for new log events."""


def since_millis(since: str, now: float) -> int:
    """The start (epoch milliseconds, as CloudWatch Logs takes it) of `--since 10m` at `now` (epoch seconds)."""
    return max(0, int((now - parse_duration(since)) * 1000))


def format_event(event: Mapping[str, Any]) -> str:
    """`2026-05-01T12:00:00.123Z <stream> <message>`: one line per log event."""
    stamp = datetime.fromtimestamp(event["timestamp"] / 1000, tz=timezone.utc)
    text = str(event.get("message", "")).rstrip("\n")
    return f"{stamp.strftime('%Y-%m-%dT%H:%M:%S.')}{stamp.microsecond // 1000:03d}Z {event.get('logStreamName', '')} {text}"


def log_group(outputs: Mapping[str, Any], service: str) -> str:
    """The log group of a service (output `logGroupNames`); ArgumentError naming `service` for an unknown one."""
    groups = output_names(outputs, "logGroupNames")
    if service not in groups:
        raise unknown_service(service, list(groups))
    return groups[service]


def log_events(logs: Any, group: str, start_ms: int) -> Iterator[dict[str, Any]]:
    """Every event of the log group from `start_ms` on, all pages (FilterLogEvents)."""
    for page in logs.get_paginator("filter_log_events").paginate(logGroupName=group, startTime=start_ms):
        yield from page.get("events") or []


def follow_events(logs: Any, group: str, start_ms: int, on_event: Callable[[Mapping[str, Any]], None], *,
                  follow: bool = False, poll_seconds: float | None = None,
                  should_stop: Callable[[], bool] | None = None, max_polls: int | None = None,
                  sleep: Sleep = time.sleep, where: str = "") -> int:
    """Pass each event of the group since `start_ms` to `on_event`; with `follow`, then the new ones, until
    `should_stop()` is true or after `max_polls` reads (else until interrupted). Returns the count passed.

    Each read starts at the newest timestamp seen, and the events already passed at that
    timestamp are skipped by ID, so none is passed twice.
    """
    interval = FOLLOW_SECONDS if poll_seconds is None else poll_seconds
    newest, seen, count, polls = start_ms, set[str](), 0, 0
    while True:
        with aws_errors(where):
            for event in log_events(logs, group, newest):
                key = str(event.get("eventId") or (event["timestamp"], event.get("logStreamName"), event["message"]))
                if key in seen:
                    continue
                if event["timestamp"] > newest:
                    newest, seen = event["timestamp"], set()
                if event["timestamp"] == newest:
                    seen.add(key)
                on_event(event)
                count += 1
        polls += 1
        if not follow or (max_polls is not None and polls >= max_polls) or (should_stop is not None and should_stop()):
            return count
        sleep(interval)
