"""`deploy.ops.logs`: a service's log events, the pure helpers and the AWS calls against a moto server."""

from __future__ import annotations

import time

import pytest

from deploy.errors import ArgumentError, Failure
from deploy.ops import logs

pytest_plugins = ["tests.ops.moto_aws"]  # the fixtures `aws` and `moto_endpoint`


def now_ms() -> int:
    return int(time.time() * 1000)


def test_since_is_counted_back_from_now_in_milliseconds_and_never_before_the_epoch():
    assert logs.since_millis("10m", now=1_000_000.5) == (1_000_000.5 - 600) * 1000
    assert logs.since_millis("100000d", now=1_000_000.0) == 0


def test_an_event_is_one_line_with_its_utc_time_and_stream():
    event = {"timestamp": 1_777_777_777_123, "logStreamName": "web/app/abc", "message": "migrated 3\n"}
    assert logs.format_event(event) == "2026-05-03T03:09:37.123Z web/app/abc migrated 3"


def test_an_unknown_service_names_the_argument_and_lists_the_services():
    outputs = {"logGroupNames": {"web": "/ecs/test-web", "nightly": "/ecs/test-nightly"}}
    assert logs.log_group(outputs, "web") == "/ecs/test-web"
    with pytest.raises(ArgumentError, match=r"^service='api': no service api in the stack outputs; "
                                            r"services: nightly, web$"):
        logs.log_group(outputs, "api")


# --- against moto -------------------------------------------------------------------------


@pytest.mark.integration
def test_log_events_of_every_stream_since_the_start(aws):
    aws.deploy_stack()
    start = now_ms() - 60_000
    aws.put_log("/ecs/test-web", "web/app/old", "before", at=start - 1)
    aws.put_log("/ecs/test-web", "web/app/t1", "one", "two", at=start)
    aws.put_log("/ecs/test-web", "web/side/t1", "three", at=start + 5)
    seen: list[tuple[str, str]] = []
    count = logs.follow_events(aws.client("logs"), "/ecs/test-web", start,
                                lambda e: seen.append((e["logStreamName"], e["message"])))
    assert count == 3
    assert sorted(seen) == [("web/app/t1", "one"), ("web/app/t1", "two"), ("web/side/t1", "three")]


@pytest.mark.integration
def test_following_prints_new_events_once_until_the_poll_limit(aws):
    aws.deploy_stack()
    start = now_ms() - 60_000
    aws.put_log("/ecs/test-web", "web/app/t1", "first", at=start)
    arriving = iter([("second", start), ("third", start + 10)])  # the same millisecond as the newest, then later
    waits: list[float] = []

    def meanwhile(seconds: float) -> None:
        waits.append(seconds)
        message, at = next(arriving, (None, 0))
        if message is not None:
            aws.put_log("/ecs/test-web", "web/app/t1", message, at=at)

    seen: list[str] = []
    count = logs.follow_events(aws.client("logs"), "/ecs/test-web", start, lambda e: seen.append(e["message"]),
                                follow=True, max_polls=4, sleep=meanwhile)
    assert seen == ["first", "second", "third"] and count == 3
    assert waits == [logs.FOLLOW_SECONDS] * 3


@pytest.mark.integration
def test_following_stops_when_the_stop_condition_says_so(aws):
    aws.deploy_stack()
    aws.put_log("/ecs/test-web", "web/app/t1", "first")
    polls: list[int] = []
    logs.follow_events(aws.client("logs"), "/ecs/test-web", now_ms() - 60_000, lambda e: None, follow=True,
                        should_stop=lambda: len(polls) >= 2, sleep=lambda _: polls.append(1))
    assert len(polls) == 2


@pytest.mark.integration
def test_a_missing_log_group_is_a_one_line_failure(aws):
    with pytest.raises(Failure, match=r"^AWS refused FilterLogEvents: ResourceNotFoundException: .*\(eu-west-1\)$"):
        logs.follow_events(aws.client("logs"), "/ecs/missing", 0, lambda e: None, where="eu-west-1")
