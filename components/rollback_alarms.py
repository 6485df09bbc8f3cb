"""Rollback alarms: CloudWatch alarms that mean "this deployment is bad", which ECS watches during a deployment
and rolls back on (the service's `alarms`, ECS DeploymentConfiguration.alarms).

Web services, on their target groups (both of a blue-green, linear or canary service, so the new revision's
errors count wherever its traffic is): the 5xx share of requests, unhealthy targets, and optionally the p99
response time. Queue workers: the dead-letter queue growing (messages the new revision fails to process) and
the age of the oldest message (it stops consuming). Each alarm looks at 60 s periods (standard resolution,
$0.10 per metric a month) and fires after `periods` of them in a row; missing data is not breaching, so an idle
service never rolls back.

Metrics: AWS/ApplicationELB HTTPCode_Target_5XX_Count, RequestCount, UnHealthyHostCount, TargetResponseTime
(dimensions TargetGroup, LoadBalancer: "CloudWatch metrics for your Application Load Balancer", ELB User
Guide); AWS/SQS ApproximateNumberOfMessagesVisible and ApproximateAgeOfOldestMessage (dimension QueueName:
"Available CloudWatch metrics for Amazon SQS"). RATE() and FILL() are CloudWatch metric math functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

PERIOD = 60
"""Seconds per evaluation period: the shortest standard-resolution period (ALB metrics are per minute)."""


@dataclass(frozen=True, kw_only=True)
class RollbackAlarmArgs:
    error_rate: float | None = None
    """Web: percent of requests answered 5xx by the targets."""
    unhealthy_hosts: int | None = None
    p99_latency: float | None = None
    """Web: seconds."""
    queue_age: int | None = None
    """Queue workers: seconds the oldest message may wait."""
    dead_letter_growth: bool = False
    """Queue workers: alarm as soon as messages arrive in the dead-letter queue."""
    periods: int = 2
    extra_alarm_names: Sequence[str] = ()
    actions: Sequence[pulumi.Input[str]] = ()
    """SNS topics notified when an alarm fires and clears."""
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Targets:
    """What a web service's alarms watch."""

    load_balancer: pulumi.Input[str]
    target_groups: Sequence[pulumi.Input[str]]
    """ARN suffixes (targetgroup/<name>/<id>)."""


@dataclass(frozen=True)
class Queues:
    queue_name: pulumi.Input[str]
    dead_letter_name: pulumi.Input[str]


def create(name: str, args: RollbackAlarmArgs, parent: pulumi.Resource, targets: Targets | None = None,
           queues: Queues | None = None) -> list[aws.cloudwatch.MetricAlarm]:
    """The alarms of service `name`, children of `parent`."""
    opts = pulumi.ResourceOptions(parent=parent)

    def alarm(logical: str, description: str, operator: str, threshold: float,
              queries: list[aws.cloudwatch.MetricAlarmMetricQueryArgsDict] | None = None,
              single: tuple[str, str, str, dict[str, pulumi.Input[str]]] | None = None) -> aws.cloudwatch.MetricAlarm:
        """`queries`: metric math; `single`: (namespace, metric, statistic, dimensions) of one metric."""
        namespace, metric, statistic, dims = single if single is not None else (None, None, None, None)
        return aws.cloudwatch.MetricAlarm(
            logical, alarm_description=description, comparison_operator=operator, threshold=threshold,
            evaluation_periods=args.periods, datapoints_to_alarm=args.periods, treat_missing_data="notBreaching",
            alarm_actions=list(args.actions), ok_actions=list(args.actions), tags=dict(args.tags),
            metric_queries=queries, namespace=namespace, metric_name=metric, statistic=statistic,
            period=PERIOD if single is not None else None, dimensions=dims, opts=opts)

    found = []
    if targets is not None:
        def elb(metric_id: str, metric: str, tg: pulumi.Input[str], stat: str) -> aws.cloudwatch.MetricAlarmMetricQueryArgsDict:
            return {"id": metric_id, "return_data": False, "metric": {
                "namespace": "AWS/ApplicationELB", "metric_name": metric, "period": PERIOD, "stat": stat,
                "dimensions": {"TargetGroup": tg, "LoadBalancer": targets.load_balancer}}}

        tgs = list(targets.target_groups)
        if args.error_rate is not None:
            queries = [q for i, tg in enumerate(tgs) for q in (elb(f"e{i}", "HTTPCode_Target_5XX_Count", tg, "Sum"),
                                                                elb(f"r{i}", "RequestCount", tg, "Sum"))]
            errors = " + ".join(f"FILL(e{i}, 0)" for i in range(len(tgs)))
            requests = " + ".join(f"FILL(r{i}, 0)" for i in range(len(tgs)))
            queries.append({"id": "rate", "label": "5xx % of requests", "return_data": True,
                            "expression": f"100 * ({errors}) / ({requests})"})
            found.append(alarm(f"{name}-5xx", f"{name}: targets answer {args.error_rate:g}% or more of requests "
                                              "with 5xx (rolls a deployment back)",
                               "GreaterThanOrEqualToThreshold", args.error_rate, queries))
        if args.unhealthy_hosts is not None:
            queries = [elb(f"u{i}", "UnHealthyHostCount", tg, "Maximum") for i, tg in enumerate(tgs)]
            queries.append({"id": "unhealthy", "label": "unhealthy targets", "return_data": True,
                            "expression": " + ".join(f"FILL(u{i}, 0)" for i in range(len(tgs)))})
            found.append(alarm(f"{name}-unhealthy", f"{name}: {args.unhealthy_hosts} or more unhealthy targets "
                                                    "(rolls a deployment back)",
                               "GreaterThanOrEqualToThreshold", args.unhealthy_hosts, queries))
        if args.p99_latency is not None:
            queries = [elb(f"t{i}", "TargetResponseTime", tg, "p99") for i, tg in enumerate(tgs)]
            queries.append({"id": "p99", "label": "p99 response time (s)", "return_data": True,
                            "expression": f"MAX([{', '.join(f'FILL(t{i}, 0)' for i in range(len(tgs)))}])"
                            if len(tgs) > 1 else "FILL(t0, 0)"})
            found.append(alarm(f"{name}-p99", f"{name}: p99 response time of {args.p99_latency:g} s or more "
                                              "(rolls a deployment back)",
                               "GreaterThanOrEqualToThreshold", args.p99_latency, queries))
    if queues is not None and args.dead_letter_growth:
        found.append(alarm(
            f"{name}-dlq-growing", f"{name}: messages arrive in the dead-letter queue (rolls a deployment back)",
            "GreaterThanThreshold", 0, [
                {"id": "dlq", "return_data": False, "metric": {
                    "namespace": "AWS/SQS", "metric_name": "ApproximateNumberOfMessagesVisible", "period": PERIOD,
                    "stat": "Maximum", "dimensions": {"QueueName": queues.dead_letter_name}}},
                {"id": "growth", "label": "dead-letter messages per second", "return_data": True,
                 "expression": "RATE(dlq)"}]))
    if queues is not None and args.queue_age is not None:
        found.append(alarm(
            f"{name}-queue-age", f"{name}: the oldest message waits {args.queue_age} s or more (rolls a "
                                 "deployment back)", "GreaterThanOrEqualToThreshold", args.queue_age,
            single=("AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", {"QueueName": queues.queue_name})))
    return found
