"""WorkerQueue: an SQS queue for a worker, with a dead-letter queue.

Creates the dead-letter queue and the work queue, both encrypted with SQS-managed keys
(SSE-SQS), both standard or both FIFO; messages received `max_receive_count` times move to
the dead-letter queue. The worker's task role is granted exactly this queue
(`consumer_statement`), and each service that sends to it exactly `producer_statement`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from deploy.aws import tokens

DAY = 86400
CONSUMER_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                    "sqs:GetQueueAttributes", "sqs:GetQueueUrl"]
PRODUCER_ACTIONS = ["sqs:SendMessage", "sqs:GetQueueUrl"]
"""SendMessageBatch is authorised by sqs:SendMessage too. No KMS actions: the queues use SQS-managed keys, which
need none; only a customer managed key needs kms:GenerateDataKey and kms:Decrypt for producers (SQS Developer
Guide, "Amazon SQS Key management": Configuring AWS KMS permissions)."""


@dataclass(frozen=True, kw_only=True)
class WorkerQueueArgs:
    visibility_timeout: int
    message_retention_days: int
    max_receive_count: int
    dead_letter_retention_days: int
    fifo: bool = False
    """FIFO queues (the work queue and its dead-letter queue: botocore sqs CreateQueue.Attributes, "The dead-letter
    queue of a FIFO queue must also be a FIFO queue"); their names end in `.fifo`, which pulumi-aws appends to the
    auto-name when `fifo_queue` is true."""
    content_based_deduplication: bool | None = None
    """FIFO only: SQS derives deduplication IDs from message bodies (None: not sent, SQS's default false)."""
    protect: bool
    """Pulumi `protect` on the stateful resources: a plain `pulumi destroy` stops at them (config `protect`)."""
    tags: Mapping[str, str] = field(default_factory=dict)


def consumer_statement(queue_arn: pulumi.Input[str]) -> dict:
    """What a worker needs to consume its queue, and nothing else."""
    return {"Sid": "ConsumeQueue", "Effect": "Allow", "Action": CONSUMER_ACTIONS, "Resource": queue_arn}


def producer_statement(queue_arns: Sequence[pulumi.Input[str]]) -> dict:
    """What a service needs to send to these queues (each named by ARN), and nothing else."""
    return {"Sid": "SendToQueues", "Effect": "Allow", "Action": PRODUCER_ACTIONS, "Resource": list(queue_arns)}


class WorkerQueue(pulumi.ComponentResource):
    url: pulumi.Output[str]
    arn: pulumi.Output[str]
    name: pulumi.Output[str]

    def __init__(self, name: str, args: WorkerQueueArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.WORKER_QUEUE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self, protect=args.protect)  # both are queues: stateful
        fifo = True if args.fifo else None  # a standard queue sends no FifoQueue attribute, as before
        self.dead_letter = aws.sqs.Queue(
            f"{name}-dlq", sqs_managed_sse_enabled=True, fifo_queue=fifo,
            message_retention_seconds=args.dead_letter_retention_days * DAY,
            tags={**args.tags, "Name": f"{name}-dlq"}, opts=child)
        self.queue = aws.sqs.Queue(
            f"{name}-queue", sqs_managed_sse_enabled=True, fifo_queue=fifo,
            content_based_deduplication=args.content_based_deduplication if args.fifo else None,
            visibility_timeout_seconds=args.visibility_timeout,
            message_retention_seconds=args.message_retention_days * DAY,
            receive_wait_time_seconds=20,  # long polling: fewer empty receives, lower cost
            redrive_policy=pulumi.Output.json_dumps({"deadLetterTargetArn": self.dead_letter.arn,
                                                     "maxReceiveCount": args.max_receive_count}),
            tags={**args.tags, "Name": name}, opts=child)
        self.url = self.queue.url
        self.arn = self.queue.arn
        self.name = self.queue.name
        self.register_outputs({"url": self.url, "deadLetterUrl": self.dead_letter.url})
