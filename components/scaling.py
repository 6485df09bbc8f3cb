"""ServiceScaling: Application Auto Scaling of one ECS service's task count.

Creates the scalable target (min..max tasks) and, per enabled metric, a target-tracking
policy (average CPU, average memory, ALB requests per target); for queue workers, step
scaling on the queue's backlog: an alarm on visible messages adds tasks in steps, and an
alarm on an empty queue (visible + in flight = 0 for 5 minutes) sets the count to `min`,
which may be zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True, kw_only=True)
class ScalingArgs:
    min: int
    max: int
    cluster_name: Optional[pulumi.Input[str]] = None
    """Set by the `Service` component that owns the scaling, like `service_name`."""
    service_name: Optional[pulumi.Input[str]] = None
    cpu_target: Optional[int] = None
    memory_target: Optional[int] = None
    requests_per_target: Optional[int] = None
    request_label: Optional[pulumi.Input[str]] = None
    """`<alb arn suffix>/<target group arn suffix>`, for request tracking."""
    queue_name: Optional[pulumi.Input[str]] = None
    messages_per_task: Optional[int] = None
    scale_in_cooldown: int = 300
    scale_out_cooldown: int = 60


def target_tracking_policies(a: ScalingArgs) -> list[tuple[str, str, int]]:
    """(role, predefined metric, target) for each enabled target-tracking policy."""
    policies = [("cpu", "ECSServiceAverageCPUUtilization", a.cpu_target),
                ("memory", "ECSServiceAverageMemoryUtilization", a.memory_target)]
    if a.request_label is not None:
        policies.append(("requests", "ALBRequestCountPerTarget", a.requests_per_target))
    return [(role, metric, target) for role, metric, target in policies if target is not None]


def backlog_steps(messages_per_task: int) -> list[dict]:
    """Step adjustments over the backlog alarm (threshold 1 message): +1, +2, +4 tasks as it grows."""
    return [
        {"metric_interval_lower_bound": "0", "metric_interval_upper_bound": str(messages_per_task),
         "scaling_adjustment": 1},
        {"metric_interval_lower_bound": str(messages_per_task), "metric_interval_upper_bound": str(4 * messages_per_task),
         "scaling_adjustment": 2},
        {"metric_interval_lower_bound": str(4 * messages_per_task), "scaling_adjustment": 4},
    ]


class ServiceScaling(pulumi.ComponentResource):
    def __init__(self, name: str, args: ScalingArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("ecsapp:service:Scaling", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.target = aws.appautoscaling.Target(
            f"{name}-target", service_namespace="ecs", scalable_dimension="ecs:service:DesiredCount",
            resource_id=pulumi.Output.concat("service/", args.cluster_name, "/", args.service_name),
            min_capacity=args.min, max_capacity=args.max, opts=child)
        for role, metric, value in target_tracking_policies(args):
            spec: dict = {"predefined_metric_type": metric}
            if metric == "ALBRequestCountPerTarget":
                spec["resource_label"] = args.request_label
            aws.appautoscaling.Policy(
                f"{name}-{role}", policy_type="TargetTrackingScaling", resource_id=self.target.resource_id,
                scalable_dimension=self.target.scalable_dimension, service_namespace=self.target.service_namespace,
                target_tracking_scaling_policy_configuration={
                    "target_value": value, "predefined_metric_specification": spec,
                    "scale_in_cooldown": args.scale_in_cooldown, "scale_out_cooldown": args.scale_out_cooldown},
                opts=child)
        if args.queue_name is not None and args.messages_per_task is not None:
            self._queue(name, args)
        self.register_outputs({})

    def _queue(self, name: str, a: ScalingArgs) -> None:
        child = pulumi.ResourceOptions(parent=self)
        common = {"resource_id": self.target.resource_id, "scalable_dimension": self.target.scalable_dimension,
                  "service_namespace": self.target.service_namespace, "policy_type": "StepScaling"}
        out = aws.appautoscaling.Policy(f"{name}-backlog-out", step_scaling_policy_configuration={
            "adjustment_type": "ChangeInCapacity", "metric_aggregation_type": "Maximum",
            "cooldown": a.scale_out_cooldown, "step_adjustments": backlog_steps(a.messages_per_task)},
            opts=child, **common)
        idle = aws.appautoscaling.Policy(f"{name}-backlog-idle", step_scaling_policy_configuration={
            "adjustment_type": "ExactCapacity", "metric_aggregation_type": "Maximum", "cooldown": a.scale_in_cooldown,
            "step_adjustments": [{"metric_interval_upper_bound": "0", "scaling_adjustment": a.min}]},
            opts=child, **common)
        aws.cloudwatch.MetricAlarm(
            f"{name}-backlog", alarm_description="Messages waiting: add tasks", namespace="AWS/SQS",
            metric_name="ApproximateNumberOfMessagesVisible", dimensions={"QueueName": a.queue_name},
            statistic="Maximum", period=60, evaluation_periods=1, threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold", treat_missing_data="notBreaching",
            alarm_actions=[out.arn], opts=child)

        def sqs_metric(metric: str) -> dict:
            return {"metric_name": metric, "namespace": "AWS/SQS", "period": 60, "stat": "Maximum",
                    "dimensions": {"QueueName": a.queue_name}}

        # Idle means nothing waiting AND nothing in flight: scaling in mid-message would abandon work.
        aws.cloudwatch.MetricAlarm(
            f"{name}-idle", alarm_description="Queue empty: scale to the minimum", evaluation_periods=5,
            threshold=0, comparison_operator="LessThanOrEqualToThreshold", treat_missing_data="notBreaching",
            metric_queries=[
                {"id": "visible", "metric": sqs_metric("ApproximateNumberOfMessagesVisible"), "return_data": False},
                {"id": "inflight", "metric": sqs_metric("ApproximateNumberOfMessagesNotVisible"),
                 "return_data": False},
                {"id": "backlog", "expression": "visible + inflight", "label": "Messages visible or in flight",
                 "return_data": True},
            ],
            alarm_actions=[idle.arn], opts=child)
