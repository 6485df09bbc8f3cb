"""Alerts: where the stack's alarms send notifications.

With email addresses, an SNS topic the stack creates, whose policy lets CloudWatch alarms of this account publish
to it (aws:SourceAccount), and one email subscription per address (AWS sends each a confirmation mail; until it
is confirmed nothing is delivered). An existing topic is only passed on. The topic is not KMS-encrypted: a topic
encrypted with the AWS managed key cannot receive CloudWatch alarms, which need a customer managed key whose
policy admits cloudwatch.amazonaws.com ("Amazon SNS security best practices" / CloudWatch alarm actions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from deploy.aws import tokens


@dataclass(frozen=True, kw_only=True)
class AlertsArgs:
    emails: Sequence[str] = ()
    topic_arn: str | None = None
    """An existing topic, notified as well."""
    tags: Mapping[str, str] = field(default_factory=dict)


class Alerts(pulumi.ComponentResource):
    topic_arns: list[pulumi.Input[str]]

    def __init__(self, name: str, args: AlertsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.ALERTS_COMPONENT, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.topic_arns = [args.topic_arn] if args.topic_arn else []
        self.topic: aws.sns.Topic | None = None
        if args.emails:
            self.topic = aws.sns.Topic(f"{name}-alerts", tags={**args.tags, "Name": f"{name}-alerts"}, opts=child)
            account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
            aws.sns.TopicPolicy(f"{name}-alerts-policy", arn=self.topic.arn, policy=pulumi.Output.json_dumps({
                "Version": "2012-10-17", "Statement": [{
                    "Sid": "CloudWatchAlarms", "Effect": "Allow",
                    "Principal": {"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish",
                    "Resource": self.topic.arn, "Condition": {"StringEquals": {"aws:SourceAccount": account}}}]}),
                opts=child)
            for i, email in enumerate(args.emails):
                aws.sns.TopicSubscription(f"{name}-alerts-email-{i}", topic=self.topic.arn, protocol="email",
                                          endpoint=email, opts=child)
            self.topic_arns.insert(0, self.topic.arn)
        self.register_outputs({})
