"""The stack's CloudWatch dashboard body: which metrics it shows and where (pure, no Pulumi).

The body is the JSON document PutDashboard takes, in the form AWS's "Dashboard Body
Structure and Syntax" describes
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
`{"widgets": [{"type", "x", "y", "width", "height", "properties"}]}` on a grid 24 units
wide, and each metric as `[namespace, metricName, dimName, dimValue, ..., {options}]`.

Layout: the alarm status first (when there are alarms), then per ECS service a one-line
heading and its graphs, three to a row. Every service gets CPU and memory (`AWS/ECS`) and,
with Container Insights, running against desired tasks (`ECS/ContainerInsights`); a web
service its target groups' requests, 5XX, p99 response time and healthy hosts
(`AWS/ApplicationELB`, one line per target group: blue and green both show); a queue
worker its queue's backlog and oldest message (`AWS/SQS`). The order is the order given,
so the layout stays where it was between deploys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

GRID_WIDTH = 24
GRAPH_WIDTH, GRAPH_HEIGHT = 8, 6
HEADING_HEIGHT = 1
ALARM_HEIGHT = 3
MAX_ALARMS_PER_WIDGET = 100
"""An alarm status widget lists 1 to 100 alarm ARNs (the body reference, `alarms`)."""
PERIOD = 60
"""ECS, ALB and SQS publish these metrics every minute."""

ECS, INSIGHTS, ALB, SQS = "AWS/ECS", "ECS/ContainerInsights", "AWS/ApplicationELB", "AWS/SQS"


@dataclass(frozen=True, kw_only=True)
class ServiceMetrics:
    """The names one ECS service's metrics are published under (resolved values, not Outputs)."""

    name: str
    """The service's name in the stack (`web`): the heading."""
    cluster_name: str
    service_name: str
    """The ECS service's physical name: the `ServiceName` dimension."""
    target_groups: Sequence[str] = field(default_factory=tuple)
    """ARN suffixes (`targetgroup/<name>/<id>`) of the target groups in front of it: the `TargetGroup` dimension."""
    load_balancer: str | None = None
    """ARN suffix (`app/<name>/<id>`) of the ALB: the `LoadBalancer` dimension of the target group metrics."""
    queue_name: str | None = None


def body(region: str, services: Sequence[ServiceMetrics], alarm_arns: Sequence[str],
         container_insights: bool) -> dict[str, Any]:
    """The dashboard body, as a JSON-ready dict."""
    widgets: list[dict[str, Any]] = []
    y = 0
    for start in range(0, len(alarm_arns), MAX_ALARMS_PER_WIDGET):
        widgets.append({"type": "alarm", "x": 0, "y": y, "width": GRID_WIDTH, "height": ALARM_HEIGHT,
                        "properties": {"title": "Alarms", "alarms": list(alarm_arns[start:start + MAX_ALARMS_PER_WIDGET])}})
        y += ALARM_HEIGHT
    for s in services:
        widgets.append({"type": "text", "x": 0, "y": y, "width": GRID_WIDTH, "height": HEADING_HEIGHT,
                        "properties": {"markdown": f"### {s.name}"}})
        y += HEADING_HEIGHT
        graphs = graphs_of(s, container_insights)
        for i, (title, metrics, extra) in enumerate(graphs):
            widgets.append({"type": "metric", "x": (i % 3) * GRAPH_WIDTH, "y": y + (i // 3) * GRAPH_HEIGHT,
                            "width": GRAPH_WIDTH, "height": GRAPH_HEIGHT,
                            "properties": {"title": f"{s.name}: {title}", "view": "timeSeries", "stacked": False,
                                           "region": region, "period": PERIOD, "metrics": metrics, **extra}})
        y += -(-len(graphs) // 3) * GRAPH_HEIGHT
    return {"widgets": widgets}


Graph = tuple[str, list[list[Any]], dict[str, Any]]
"""(title, metric rows, further widget properties)."""


def graphs_of(s: ServiceMetrics, container_insights: bool) -> list[Graph]:
    """The graphs of one service, in the order they are laid out."""
    service = ["ClusterName", s.cluster_name, "ServiceName", s.service_name]
    percent = {"stat": "Average", "yAxis": {"left": {"min": 0, "max": 100}}}
    graphs: list[Graph] = [("CPU and memory %", [[ECS, "CPUUtilization", *service],
                                                 [ECS, "MemoryUtilization", *service]], percent)]
    if container_insights:  # Container Insights publishes the task counts; AWS/ECS does not
        graphs.append(("running vs desired tasks", [[INSIGHTS, "RunningTaskCount", *service],
                                                    [INSIGHTS, "DesiredTaskCount", *service]], {"stat": "Average"}))
    if s.target_groups and s.load_balancer is not None:
        groups = [["TargetGroup", tg, "LoadBalancer", s.load_balancer] for tg in s.target_groups]
        graphs += [
            ("requests and target 5XX", [[ALB, metric, *dims, {"stat": "Sum"}] for dims in groups
                                         for metric in ("RequestCount", "HTTPCode_Target_5XX_Count")], {"stat": "Sum"}),
            ("target response time p99 (s)", [[ALB, "TargetResponseTime", *dims] for dims in groups], {"stat": "p99"}),
            ("healthy vs unhealthy hosts", [[ALB, metric, *dims, {"stat": stat}] for dims in groups
                                            for metric, stat in (("HealthyHostCount", "Minimum"),
                                                                 ("UnHealthyHostCount", "Maximum"))],
             {"stat": "Minimum"}),
        ]
    if s.queue_name is not None:
        queue = ["QueueName", s.queue_name]
        graphs += [("messages visible", [[SQS, "ApproximateNumberOfMessagesVisible", *queue]], {"stat": "Maximum"}),
                   ("age of oldest message (s)", [[SQS, "ApproximateAgeOfOldestMessage", *queue]],
                    {"stat": "Maximum"})]
    return graphs
