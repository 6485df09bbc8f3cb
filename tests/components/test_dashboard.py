"""Dashboard: the one CloudWatch dashboard, what its body shows for a web service and a queue worker."""

from dataclasses import replace

from components.dashboard import Dashboard
from tests.conftest import PRIVATE_IMAGE, inputs_json, make_config, service
from tests.factories import ALB_SUFFIX, CLUSTER_NAME, QUEUE_NAME, TG_SUFFIX, dashboard_args

DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
WORKER = {"kind": "worker", "containers": {"main": {"image": {"uri": PRIVATE_IMAGE}}}, "queue": {}}


def mixed():
    return make_config(services={"web": service(), "worker": WORKER})


def build(args):
    def program():
        return {"name": Dashboard("p", args).name}

    return program


def widgets(r) -> dict[str, dict]:
    """Widgets by title (alarm and metric widgets) or heading (text widgets)."""
    found = inputs_json(r.one(DASHBOARD), "dashboardBody")["widgets"]
    return {w["properties"].get("title") or w["properties"]["markdown"]: w for w in found}


def metrics(widget: dict) -> list[list]:
    return [[x for x in row if not isinstance(x, dict)] for row in widget["properties"]["metrics"]]


def test_one_dashboard_named_after_the_project_and_stack_under_the_component(render):
    r = render(build(dashboard_args(mixed(), services=("web", "worker"))))
    board = r.one(DASHBOARD)
    assert board.inputs["dashboardName"] == "ecs-app-test"
    assert board.parent == r.one("ecsapp:monitoring:Dashboard").urn
    assert r.outputs["name"] == "ecs-app-test"


def test_a_web_service_shows_its_ecs_metrics_and_its_target_groups_alb_metrics(render):
    shown = widgets(render(build(dashboard_args(mixed(), services=("web",)))))
    service_dims = ["ClusterName", CLUSTER_NAME, "ServiceName", "test-web-svc"]
    tg_dims = ["TargetGroup", TG_SUFFIX, "LoadBalancer", ALB_SUFFIX]
    assert "### web" in shown
    assert metrics(shown["web: CPU and memory %"]) == [["AWS/ECS", "CPUUtilization", *service_dims],
                                                       ["AWS/ECS", "MemoryUtilization", *service_dims]]
    assert metrics(shown["web: running vs desired tasks"]) == [
        ["ECS/ContainerInsights", "RunningTaskCount", *service_dims],
        ["ECS/ContainerInsights", "DesiredTaskCount", *service_dims]]
    assert metrics(shown["web: requests and target 5XX"]) == [
        ["AWS/ApplicationELB", "RequestCount", *tg_dims], ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", *tg_dims]]
    assert metrics(shown["web: target response time p99 (s)"]) == [
        ["AWS/ApplicationELB", "TargetResponseTime", *tg_dims]]
    assert shown["web: target response time p99 (s)"]["properties"]["stat"] == "p99"
    assert metrics(shown["web: healthy vs unhealthy hosts"]) == [
        ["AWS/ApplicationELB", "HealthyHostCount", *tg_dims], ["AWS/ApplicationELB", "UnHealthyHostCount", *tg_dims]]
    assert {w["properties"]["region"] for w in shown.values() if w["type"] == "metric"} == {"us-east-1"}


def test_a_queue_worker_shows_its_queues_backlog_and_oldest_message_and_no_alb(render):
    shown = widgets(render(build(dashboard_args(mixed(), services=("worker",)))))
    assert metrics(shown["worker: messages visible"]) == [
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", QUEUE_NAME]]
    assert metrics(shown["worker: age of oldest message (s)"]) == [
        ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", QUEUE_NAME]]
    assert metrics(shown["worker: CPU and memory %"])[0][-1] == "test-worker-svc"
    assert not [t for t in shown if "5XX" in t or "hosts" in t]


def test_both_target_groups_of_a_blue_green_service_are_shown(render):
    args = dashboard_args(mixed())
    web = replace(args.services[0], target_group_arn_suffixes=[TG_SUFFIX, "targetgroup/p-web-green/99"])
    shown = widgets(render(build(replace(args, services=[web]))))
    assert [row[3] for row in metrics(shown["web: target response time p99 (s)"])] == [
        TG_SUFFIX, "targetgroup/p-web-green/99"]


def test_the_alarms_given_are_listed_in_an_alarm_status_widget(render):
    arns = ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:p-web-5xx"]
    shown = widgets(render(build(dashboard_args(alarm_arns=arns))))
    assert shown["Alarms"]["type"] == "alarm" and shown["Alarms"]["properties"]["alarms"] == arns
    assert "Alarms" not in widgets(render(build(dashboard_args())))


def test_without_container_insights_the_task_counts_are_left_out(render):
    cfg = make_config({"cluster": {"containerInsights": "disabled"}})
    shown = widgets(render(build(dashboard_args(cfg))))
    assert "web: running vs desired tasks" not in shown and "web: CPU and memory %" in shown
