"""Dashboard: the stack's CloudWatch dashboard.

Creates one `aws.cloudwatch.Dashboard` named `dashboard_name`, whose body
(`deploy.aws.dashboard.body`) shows, per ECS service, CPU and memory, running vs desired
tasks (with Container Insights), the target groups' requests, 5XX, p99 response time and
healthy hosts, and the queue's backlog and oldest message; and the status of the alarms
given. The body waits for the names and ARN suffixes it shows (they are Outputs) and is
then one JSON string, sent as PutDashboard's `DashboardBody`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from deploy.aws import tokens
from deploy.aws.dashboard import ServiceMetrics, body


@dataclass(frozen=True, kw_only=True)
class DashboardService:
    """One ECS service on the dashboard (scheduled tasks have no ECS service and are not shown)."""

    name: str
    """The service's name in the stack: the heading of its widgets."""
    cluster_name: pulumi.Input[str]
    service_name: pulumi.Input[str]
    """The ECS service's name (the `ServiceName` dimension)."""
    target_group_arn_suffixes: Sequence[pulumi.Input[str]] = field(default_factory=tuple)
    """Every target group in front of the service (blue and green alike); empty for workers."""
    load_balancer_arn_suffix: pulumi.Input[str] | None = None
    """The ALB of those target groups; None without a target group."""
    queue_name: pulumi.Input[str] | None = None
    """The worker's SQS queue; None without one."""


@dataclass(frozen=True, kw_only=True)
class DashboardArgs:
    dashboard_name: str
    """PutDashboard's name: A-Z, a-z, 0-9, `-` and `_`, at most 255 (`deploy.aws.naming.dashboard_name`)."""
    region: str
    """Where the metrics are: the stack's region."""
    container_insights: bool
    """Container Insights is on: the running and desired task counts exist to be shown."""
    services: Sequence[DashboardService]
    """In the order their widgets are laid out."""
    alarm_arns: Sequence[pulumi.Input[str]] = field(default_factory=tuple)
    """Alarms whose status the dashboard shows at the top; none: no alarm widget."""


class Dashboard(pulumi.ComponentResource):
    name: pulumi.Output[str]

    def __init__(self, name: str, args: DashboardArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.DASHBOARD_COMPONENT, name, None, opts)
        services = [pulumi.Output.all(s.cluster_name, s.service_name, list(s.target_group_arn_suffixes),
                                      s.load_balancer_arn_suffix, s.queue_name) for s in args.services]
        names = [s.name for s in args.services]

        def render(values: list[Any]) -> str:
            resolved, alarms = values[:-1], values[-1]
            metrics = [ServiceMetrics(name=n, cluster_name=cluster, service_name=service,
                                      target_groups=tuple(groups), load_balancer=lb, queue_name=queue)
                       for n, (cluster, service, groups, lb, queue) in zip(names, resolved, strict=True)]
            return json.dumps(body(args.region, metrics, list(alarms), args.container_insights))

        dashboard_body = pulumi.Output.all(*services, list(args.alarm_arns)).apply(render)
        self.dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard", dashboard_name=args.dashboard_name, dashboard_body=dashboard_body,
            opts=pulumi.ResourceOptions(parent=self))
        self.name = self.dashboard.dashboard_name
        self.register_outputs({"name": self.name})
