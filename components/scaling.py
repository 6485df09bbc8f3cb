"""ServiceScaling: Application Auto Scaling of one ECS service's task count.

Creates the scalable target (min..max tasks), one scheduled action per schedule (a new min
and/or max from a cron, rate or at expression on), an optional predictive scaling policy
(forecast only, or forecast and scale), and, per enabled metric, a target-tracking
policy (average CPU, average memory, ALB requests per target); for queue workers, step
scaling on the queue's backlog per running task (Container Insights' RunningTaskCount):
while it is at or above `messages_per_task` tasks are added in steps, while it stays below a
quarter of that for 10 minutes one task at a time is removed (never the last), and when the
queue is empty (visible + in flight = 0 for 5 minutes) the count goes to `min`, which may be
zero. Target tracking on a plain backlog count would never converge: the alarm re-fires
every minute while any message waits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from deploy.aws import tokens


@dataclass(frozen=True, kw_only=True)
class ScheduledScaling:
    name: str
    """The scheduled action's name, unique on the scalable target (also its identity: a rename replaces it)."""
    expression: str
    timezone: str
    min: int | None = None
    max: int | None = None
    start_time: str | None = None
    """RFC 3339; None: from now."""
    end_time: str | None = None


@dataclass(frozen=True, kw_only=True)
class PredictiveScaling:
    mode: str
    """ForecastOnly or ForecastAndScale."""
    metric_pair: str
    """A predefined metric pair: ECSServiceCPUUtilization, ECSServiceMemoryUtilization or ALBRequestCount."""
    target_value: int
    scheduling_buffer_time: int
    max_capacity_breach_behavior: str
    max_capacity_buffer: int | None = None


@dataclass(frozen=True, kw_only=True)
class ScalingArgs:
    min: int
    max: int
    cluster_name: pulumi.Input[str] | None = None
    """Set by the `Service` component that owns the scaling, like `service_name`."""
    service_name: pulumi.Input[str] | None = None
    cpu_target: int | None = None
    memory_target: int | None = None
    requests_per_target: int | None = None
    request_label: pulumi.Input[str] | None = None
    """`<alb arn suffix>/<target group arn suffix>`, for request tracking."""
    queue_name: pulumi.Input[str] | None = None
    messages_per_task: int | None = None
    scale_in_cooldown: int
    scale_out_cooldown: int
    schedules: tuple[ScheduledScaling, ...] = ()
    predictive: PredictiveScaling | None = None


def target_tracking_policies(a: ScalingArgs) -> list[tuple[str, str, int]]:
    """(role, predefined metric, target) for each enabled target-tracking policy."""
    policies = [("cpu", "ECSServiceAverageCPUUtilization", a.cpu_target),
                ("memory", "ECSServiceAverageMemoryUtilization", a.memory_target)]
    if a.request_label is not None:
        policies.append(("requests", "ALBRequestCountPerTarget", a.requests_per_target))
    return [(role, metric, target) for role, metric, target in policies if target is not None]


def backlog_steps(messages_per_task: int) -> list[aws.appautoscaling.PolicyStepScalingPolicyConfigurationStepAdjustmentArgsDict]:
    """Step adjustments over the backlog-per-task alarm (threshold `messages_per_task`).

    Bounds are relative to the threshold: +1 task up to 2x the target backlog per task, +2 up
    to 5x, +4 beyond.
    """
    return [
        {"metric_interval_lower_bound": "0", "metric_interval_upper_bound": str(messages_per_task),
         "scaling_adjustment": 1},
        {"metric_interval_lower_bound": str(messages_per_task), "metric_interval_upper_bound": str(4 * messages_per_task),
         "scaling_adjustment": 2},
        {"metric_interval_lower_bound": str(4 * messages_per_task), "scaling_adjustment": 4},
    ]


def _required(value: pulumi.Input[str] | None, field: str) -> pulumi.Input[str]:
    if value is None:
        raise ValueError(f"ScalingArgs.{field}: set by the Service component that owns the scaling")
    return value


class ServiceScaling(pulumi.ComponentResource):
    def __init__(self, name: str, args: ScalingArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.SCALING, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.target = aws.appautoscaling.Target(
            f"{name}-target", service_namespace="ecs", scalable_dimension="ecs:service:DesiredCount",
            resource_id=pulumi.Output.concat("service/", _required(args.cluster_name, "cluster_name"), "/",
                                             _required(args.service_name, "service_name")),
            min_capacity=args.min, max_capacity=args.max, opts=child)
        for role, metric, value in target_tracking_policies(args):
            spec: aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgsDict = {
                "predefined_metric_type": metric}
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
            self._queue(name, args, args.queue_name, args.messages_per_task)
        for schedule in args.schedules:
            action: aws.appautoscaling.ScheduledActionScalableTargetActionArgsDict = {}
            if schedule.min is not None:
                action["min_capacity"] = schedule.min
            if schedule.max is not None:
                action["max_capacity"] = schedule.max
            # The action's name is the user's: it is unique per scalable target, not per account, so it needs
            # no random suffix, and the console lists it under that name.
            aws.appautoscaling.ScheduledAction(
                f"{name}-schedule-{schedule.name}", name=schedule.name, service_namespace=self.target.service_namespace,
                resource_id=self.target.resource_id, scalable_dimension=self.target.scalable_dimension,
                schedule=schedule.expression, timezone=schedule.timezone, scalable_target_action=action,
                start_time=schedule.start_time, end_time=schedule.end_time, opts=child)
        if args.predictive is not None:
            self._predictive(name, args, args.predictive)
        self.register_outputs({})

    def _predictive(self, name: str, a: ScalingArgs, p: PredictiveScaling) -> None:
        pair: aws.appautoscaling.PolicyPredictiveScalingPolicyConfigurationMetricSpecificationPredefinedMetricPairSpecificationArgsDict = {
            "predefined_metric_type": p.metric_pair}
        if p.metric_pair == "ALBRequestCount":
            pair["resource_label"] = _required(a.request_label, "request_label")
        config: aws.appautoscaling.PolicyPredictiveScalingPolicyConfigurationArgsDict = {
            "mode": p.mode, "scheduling_buffer_time": p.scheduling_buffer_time,
            "max_capacity_breach_behavior": p.max_capacity_breach_behavior,
            # The provider's schema types the target as a string; the API takes a double.
            "metric_specifications": [{"target_value": str(p.target_value),
                                       "predefined_metric_pair_specification": pair}]}
        if p.max_capacity_buffer is not None:
            config["max_capacity_buffer"] = p.max_capacity_buffer
        aws.appautoscaling.Policy(
            f"{name}-predictive", policy_type="PredictiveScaling", resource_id=self.target.resource_id,
            scalable_dimension=self.target.scalable_dimension, service_namespace=self.target.service_namespace,
            predictive_scaling_policy_configuration=config, opts=pulumi.ResourceOptions(parent=self))

    def _queue(self, name: str, a: ScalingArgs, queue_name: pulumi.Input[str], mpt: int) -> None:
        child = pulumi.ResourceOptions(parent=self)

        def policy(role: str, adjustment: str, cooldown: int,
                   steps: Sequence[aws.appautoscaling.PolicyStepScalingPolicyConfigurationStepAdjustmentArgsDict]
                   ) -> aws.appautoscaling.Policy:
            return aws.appautoscaling.Policy(
                f"{name}-{role}", resource_id=self.target.resource_id,
                scalable_dimension=self.target.scalable_dimension, service_namespace=self.target.service_namespace,
                policy_type="StepScaling", step_scaling_policy_configuration={
                    "adjustment_type": adjustment, "metric_aggregation_type": "Maximum", "cooldown": cooldown,
                    "step_adjustments": steps}, opts=child)

        out = policy("backlog-out", "ChangeInCapacity", a.scale_out_cooldown, backlog_steps(mpt))
        scale_in = policy("backlog-in", "ChangeInCapacity", a.scale_in_cooldown,
                          [{"metric_interval_upper_bound": "0", "scaling_adjustment": -1}])
        idle = policy("backlog-idle", "ExactCapacity", a.scale_in_cooldown,
                      [{"metric_interval_upper_bound": "0", "scaling_adjustment": a.min}])

        def metric(id_: str, namespace: str, metric_name: str, dimensions: Mapping[str, pulumi.Input[str]]
                   ) -> aws.cloudwatch.MetricAlarmMetricQueryArgsDict:
            return {"id": id_, "return_data": False, "metric": {
                "metric_name": metric_name, "namespace": namespace, "period": 60, "stat": "Maximum",
                "dimensions": dimensions}}

        queue = {"QueueName": queue_name}
        visible = metric("visible", "AWS/SQS", "ApproximateNumberOfMessagesVisible", queue)
        inflight = metric("inflight", "AWS/SQS", "ApproximateNumberOfMessagesNotVisible", queue)
        # Container Insights reports running tasks; no datapoint means none are running.
        tasks = metric("tasks", "ECS/ContainerInsights", "RunningTaskCount",
                       {"ClusterName": _required(a.cluster_name, "cluster_name"),
                        "ServiceName": _required(a.service_name, "service_name")})

        def alarm(role: str, description: str, expression: str, label: str, operator: str, threshold: float,
                  periods: int, action: pulumi.Output[str],
                  queries: list[aws.cloudwatch.MetricAlarmMetricQueryArgsDict]) -> None:
            aws.cloudwatch.MetricAlarm(
                f"{name}-{role}", alarm_description=description, evaluation_periods=periods, threshold=threshold,
                comparison_operator=operator, treat_missing_data="notBreaching",
                metric_queries=[*queries, {"id": "result", "expression": expression, "label": label,
                                           "return_data": True}],
                alarm_actions=[action], opts=child)

        # While each task has `messagesPerTask` or more waiting, add tasks (the alarm re-fires every
        # minute it stays in ALARM); with no task running, any waiting message counts as a full share.
        alarm("backlog", "Backlog per task at or above messagesPerTask: add tasks",
              f"IF(FILL(tasks, 0) < 1, visible * {mpt}, visible / FILL(tasks, 1))", "Messages waiting per task",
              "GreaterThanOrEqualToThreshold", mpt, 1, out.arn, [visible, tasks])
        # Remove one task at a time while the backlog per task stays low; never the last one here.
        alarm("backlog-low", "Backlog per task below a quarter of messagesPerTask: remove a task",
              f"IF(FILL(tasks, 0) > 1, visible / FILL(tasks, 1), {mpt})", "Messages waiting per task",
              "LessThanOrEqualToThreshold", mpt / 4, 10, scale_in.arn, [visible, tasks])
        # Idle means nothing waiting AND nothing in flight: scaling in mid-message would abandon work.
        alarm("idle", "Queue empty: scale to the minimum", "visible + inflight", "Messages visible or in flight",
              "LessThanOrEqualToThreshold", 0, 5, idle.arn, [visible, inflight])
