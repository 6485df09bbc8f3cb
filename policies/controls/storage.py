"""Data at rest: CloudWatch log retention and SQS queue encryption."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .model import ADVISORY, MANDATORY, Control, Res, flag, known

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
QUEUE = "aws:sqs/queue:Queue"


def log_retention(r: Res, config: Mapping) -> Iterator[str]:
    minimum = LOG_RETENTION.settings(config)["minRetentionDays"]
    days = known(r.props.get("retentionInDays"), "retentionInDays")
    # Stricter than AWS, which accepts "never expire": unbounded retention is unbounded cost,
    # and this stack always sets a retention.
    if not days:
        yield f"no retention (logs never expire); set retentionInDays (at least {minimum})"
    elif int(days) < minimum:
        yield f"retentionInDays is {days}; keep logs at least {minimum} days"


def queue_encrypted(r: Res, _: Mapping) -> Iterator[str]:
    # New queues get SSE-SQS by default: only an explicit opt-out without a KMS key fails.
    sse = flag(known(r.props.get("sqsManagedSseEnabled"), "sqsManagedSseEnabled"))
    if sse is False and not known(r.props.get("kmsMasterKeyId"), "kmsMasterKeyId"):
        yield "sqsManagedSseEnabled is false and no kmsMasterKeyId: messages are stored unencrypted"


LOG_RETENTION = Control(
    "CloudWatch.16", "Log groups keep logs for a minimum period", "medium", ADVISORY, (LOG_GROUP,),
    "AWS Security Hub control catalog (not in FSBP)", validate=log_retention,
    params={"minRetentionDays": {"type": "integer", "minimum": 1, "default": 365,
                                 "description": "Fewest days a log group must keep logs (AWS default 365)."}})

CONTROLS = [
    LOG_RETENTION,
    Control("SQS.1", "SQS queues are encrypted at rest", "medium", MANDATORY, (QUEUE,),
            "AWS Foundational Security Best Practices", validate=queue_encrypted),
]
