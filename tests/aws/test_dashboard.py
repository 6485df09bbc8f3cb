"""The dashboard body: which metrics each kind of service shows, with which dimensions, and where."""

from deploy.aws.acceptance import dashboard_body
from deploy.aws.dashboard import GRID_WIDTH, ServiceMetrics, body

WEB = ServiceMetrics(name="web", cluster_name="p-cluster", service_name="p-web-svc",
                     target_groups=("targetgroup/p-web-tg/1111",), load_balancer="app/p-alb/2222")
WORKER = ServiceMetrics(name="worker", cluster_name="p-cluster", service_name="p-worker-svc",
                        queue_name="p-worker-queue")
SERVICE_DIMS = ["ClusterName", "p-cluster", "ServiceName", "p-web-svc"]
TG_DIMS = ["TargetGroup", "targetgroup/p-web-tg/1111", "LoadBalancer", "app/p-alb/2222"]


def graphs(*services: ServiceMetrics, insights: bool = True, alarms: tuple[str, ...] = ()) -> dict[str, dict]:
    """Metric widgets by title."""
    return {w["properties"]["title"]: w for w in body("eu-west-1", services, alarms, insights)["widgets"]
            if w["type"] == "metric"}


def rows(widget: dict) -> list[list]:
    """(namespace, metric, dimensions...) of each metric row, options left out."""
    return [[x for x in row if not isinstance(x, dict)] for row in widget["properties"]["metrics"]]


def test_a_web_service_shows_cpu_memory_tasks_and_its_target_groups_metrics():
    shown = graphs(WEB)
    assert rows(shown["web: CPU and memory %"]) == [["AWS/ECS", "CPUUtilization", *SERVICE_DIMS],
                                                    ["AWS/ECS", "MemoryUtilization", *SERVICE_DIMS]]
    assert rows(shown["web: running vs desired tasks"]) == [
        ["ECS/ContainerInsights", "RunningTaskCount", *SERVICE_DIMS],
        ["ECS/ContainerInsights", "DesiredTaskCount", *SERVICE_DIMS]]
    assert rows(shown["web: requests and target 5XX"]) == [["AWS/ApplicationELB", "RequestCount", *TG_DIMS],
                                                           ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", *TG_DIMS]]
    p99 = shown["web: target response time p99 (s)"]
    assert rows(p99) == [["AWS/ApplicationELB", "TargetResponseTime", *TG_DIMS]]
    assert p99["properties"]["stat"] == "p99"
    assert rows(shown["web: healthy vs unhealthy hosts"]) == [
        ["AWS/ApplicationELB", "HealthyHostCount", *TG_DIMS], ["AWS/ApplicationELB", "UnHealthyHostCount", *TG_DIMS]]
    assert not any("SQS" in str(w) for w in shown.values())


def test_a_queue_worker_shows_its_backlog_and_oldest_message_and_no_load_balancer():
    shown = graphs(WORKER)
    assert rows(shown["worker: messages visible"]) == [
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "p-worker-queue"]]
    assert rows(shown["worker: age of oldest message (s)"]) == [
        ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "p-worker-queue"]]
    assert "worker: CPU and memory %" in shown
    assert not any("ApplicationELB" in str(w) for w in shown.values())


def test_every_target_group_given_gets_its_own_lines_blue_and_green():
    both = ServiceMetrics(name="web", cluster_name="c", service_name="s", load_balancer="app/p-alb/2222",
                          target_groups=("targetgroup/blue/1", "targetgroup/green/2"))
    p99 = rows(graphs(both)["web: target response time p99 (s)"])
    assert [row[3] for row in p99] == ["targetgroup/blue/1", "targetgroup/green/2"]
    assert len(rows(graphs(both)["web: requests and target 5XX"])) == 4


def test_without_container_insights_there_are_no_task_counts_to_show():
    assert "web: running vs desired tasks" not in graphs(WEB, insights=False)


def test_every_metric_widget_shows_the_stacks_region_and_the_graphs_never_overlap():
    widgets = body("eu-west-1", [WEB, WORKER], ["arn:aws:cloudwatch:eu-west-1:1:alarm:a"], True)["widgets"]
    assert {w["properties"]["region"] for w in widgets if w["type"] == "metric"} == {"eu-west-1"}
    cells = [(x, y) for w in widgets for x in range(w["x"], w["x"] + w["width"])
             for y in range(w["y"], w["y"] + w["height"])]
    assert len(cells) == len(set(cells))
    assert all(w["x"] + w["width"] <= GRID_WIDTH for w in widgets)


def test_alarms_come_first_in_widgets_of_at_most_100():
    arns = [f"arn:aws:cloudwatch:eu-west-1:1:alarm:a{i}" for i in range(150)]
    widgets = body("eu-west-1", [WEB], arns, True)["widgets"]
    alarm_widgets = [w for w in widgets if w["type"] == "alarm"]
    assert [len(w["properties"]["alarms"]) for w in alarm_widgets] == [100, 50]
    assert widgets[:2] == alarm_widgets
    assert not [w for w in body("eu-west-1", [WEB], [], True)["widgets"] if w["type"] == "alarm"]


def test_the_body_passes_the_body_check():
    import json

    text = json.dumps(body("eu-west-1", [WEB, WORKER], ["arn:aws:cloudwatch:eu-west-1:1:alarm:a"], True))
    assert list(dashboard_body.problems(text)) == []
