"""ServiceScaling: target tracking, and step scaling on a worker queue's backlog (down to zero when idle)."""

import itertools

import pytest

from components.scaling import ServiceScaling, backlog_steps, target_tracking_policies
from tests.conftest import make_config
from tests.factories import scaling_args

TARGET = "aws:appautoscaling/target:Target"
POLICY = "aws:appautoscaling/policy:Policy"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"

QUEUE = "p-worker-queue"


def worker_config(**autoscaling):
    return make_config(services={"worker": {
        "kind": "worker", "containers": {"main": {"image": {"uri": "busybox:1.36"}}},
        "queue": {}, "autoscaling": {"max": 5, **autoscaling}}})


WIRED = {"cluster_name": "p-cluster", "service_name": "p-worker-svc"}
"""What the owning `Service` sets."""


def args(**overrides):
    """1..4 tasks of a web service; no target is enabled unless the test names one (the config would add CPU)."""
    return scaling_args(**{**WIRED, "cpu_target": None, **overrides})


def queue_args(**overrides):
    """A queue worker of 0..10 tasks at 50 messages per task."""
    cfg = worker_config(min=0, max=10, messagesPerTask=50)
    return scaling_args(cfg, "worker", queue_name=QUEUE, **{**WIRED, **overrides})


def build(a):
    return lambda: ServiceScaling("p-worker-scaling", a)


def policies_of_type(r, policy_type):
    return [p for p in r.of_type(POLICY) if p.inputs["policyType"] == policy_type]


# --- target_tracking_policies (pure) ------------------------------------------------------------------


def test_target_tracking_lists_each_enabled_target():
    assert target_tracking_policies(args(cpu_target=60, memory_target=75)) == [
        ("cpu", "ECSServiceAverageCPUUtilization", 60), ("memory", "ECSServiceAverageMemoryUtilization", 75)]


def test_target_tracking_is_empty_when_no_target_is_set():
    assert target_tracking_policies(args()) == []


def test_request_tracking_needs_a_request_label():
    assert target_tracking_policies(args(requests_per_target=500)) == []
    assert target_tracking_policies(args(requests_per_target=500, request_label="app/a/1/targetgroup/t/2")) == [
        ("requests", "ALBRequestCountPerTarget", 500)]


def test_queue_scaling_alone_has_no_target_tracking():
    assert target_tracking_policies(queue_args()) == []


# --- backlog_steps (pure) -----------------------------------------------------------------------------


def test_backlog_steps_add_one_two_then_four_tasks():
    assert backlog_steps(100) == [
        {"metric_interval_lower_bound": "0", "metric_interval_upper_bound": "100", "scaling_adjustment": 1},
        {"metric_interval_lower_bound": "100", "metric_interval_upper_bound": "400", "scaling_adjustment": 2},
        {"metric_interval_lower_bound": "400", "scaling_adjustment": 4},
    ]


@pytest.mark.parametrize("per_task", [1, 7, 100, 1000])
def test_backlog_steps_are_contiguous_from_the_threshold_and_open_ended(per_task):
    steps = backlog_steps(per_task)
    assert steps[0]["metric_interval_lower_bound"] == "0"
    for lower, upper in itertools.pairwise(steps):
        assert lower["metric_interval_upper_bound"] == upper["metric_interval_lower_bound"]
    assert "metric_interval_upper_bound" not in steps[-1]
    assert [s["scaling_adjustment"] for s in steps] == [1, 2, 4]
    assert steps[1]["metric_interval_lower_bound"] == str(per_task)
    assert steps[2]["metric_interval_lower_bound"] == str(4 * per_task)


# --- the component: target ------------------------------------------------------------------------------


def test_scalable_target_is_the_services_desired_count_between_min_and_max(render):
    target = render(build(queue_args())).one(TARGET)
    assert target.inputs["serviceNamespace"] == "ecs"
    assert target.inputs["scalableDimension"] == "ecs:service:DesiredCount"
    assert target.inputs["resourceId"] == "service/p-cluster/p-worker-svc"
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (0, 10)


def test_target_tracking_policies_carry_targets_and_cooldowns(render):
    r = render(build(args(cpu_target=55, memory_target=80, scale_in_cooldown=120, scale_out_cooldown=30)))
    configs = {p.name: p.inputs["targetTrackingScalingPolicyConfiguration"]
               for p in policies_of_type(r, "TargetTrackingScaling")}
    assert configs["p-worker-scaling-cpu"] == {
        "targetValue": 55, "predefinedMetricSpecification": {"predefinedMetricType": "ECSServiceAverageCPUUtilization"},
        "scaleInCooldown": 120, "scaleOutCooldown": 30}
    assert configs["p-worker-scaling-memory"]["targetValue"] == 80
    assert r.of_type(ALARM) == []


def test_request_tracking_uses_the_request_label(render):
    label = "app/p-alb/0123/targetgroup/p-web-tg/4567"
    r = render(build(args(requests_per_target=900, request_label=label)))
    [policy] = policies_of_type(r, "TargetTrackingScaling")
    spec = policy.inputs["targetTrackingScalingPolicyConfiguration"]["predefinedMetricSpecification"]
    assert spec == {"predefinedMetricType": "ALBRequestCountPerTarget", "resourceLabel": label}


# --- the component: queue backlog ---------------------------------------------------------------------


def test_queue_scaling_creates_three_step_policies_and_no_target_tracking(render):
    r = render(build(queue_args()))
    assert policies_of_type(r, "TargetTrackingScaling") == []
    assert {p.name for p in policies_of_type(r, "StepScaling")} == {
        "p-worker-scaling-backlog-out", "p-worker-scaling-backlog-in", "p-worker-scaling-backlog-idle"}
    assert {a.name for a in r.of_type(ALARM)} == {
        "p-worker-scaling-backlog", "p-worker-scaling-backlog-low", "p-worker-scaling-idle"}


def test_step_policies_scale_the_same_target(render):
    r = render(build(queue_args()))
    target = r.one(TARGET)
    for policy in policies_of_type(r, "StepScaling"):
        assert policy.inputs["resourceId"] == target.inputs["resourceId"]
        assert policy.inputs["scalableDimension"] == "ecs:service:DesiredCount"
        assert policy.inputs["serviceNamespace"] == "ecs"


def queries_of(alarm):
    return {q["id"]: q for q in alarm.inputs["metricQueries"]}


def test_backlog_alarm_divides_visible_messages_by_running_tasks(render):
    alarm = render(build(queue_args(messages_per_task=50))).one(ALARM, "p-worker-scaling-backlog")
    i = alarm.inputs
    assert (i["comparisonOperator"], i["threshold"], i["evaluationPeriods"]) == (
        "GreaterThanOrEqualToThreshold", 50, 1)
    q = queries_of(alarm)
    assert q["result"]["expression"] == "IF(FILL(tasks, 0) < 1, visible * 50, visible / FILL(tasks, 1))"
    assert q["visible"]["metric"]["metricName"] == "ApproximateNumberOfMessagesVisible"
    assert q["visible"]["metric"]["dimensions"] == {"QueueName": QUEUE}
    tasks = q["tasks"]["metric"]
    assert (tasks["namespace"], tasks["metricName"]) == ("ECS/ContainerInsights", "RunningTaskCount")
    assert set(tasks["dimensions"]) == {"ClusterName", "ServiceName"}
    assert [x["id"] for x in i["metricQueries"] if x.get("returnData")] == ["result"]


def test_low_backlog_alarm_removes_one_task_but_never_the_last(render):
    r = render(build(queue_args(messages_per_task=100)))
    alarm = r.one(ALARM, "p-worker-scaling-backlog-low")
    assert (alarm.inputs["comparisonOperator"], alarm.inputs["threshold"], alarm.inputs["evaluationPeriods"]) == (
        "LessThanOrEqualToThreshold", 25, 10)
    # With one task or none the expression answers messagesPerTask, far above the threshold.
    assert queries_of(alarm)["result"]["expression"] == "IF(FILL(tasks, 0) > 1, visible / FILL(tasks, 1), 100)"
    policy = r.one(POLICY, "p-worker-scaling-backlog-in").inputs["stepScalingPolicyConfiguration"]
    assert policy["adjustmentType"] == "ChangeInCapacity"
    assert policy["stepAdjustments"] == [{"metricIntervalUpperBound": "0", "scalingAdjustment": -1}]
    assert alarm.inputs["alarmActions"] == [r.one(POLICY, "p-worker-scaling-backlog-in").state["arn"]]


def test_backlog_policy_adds_tasks_in_the_backlog_steps(render):
    policy = render(build(queue_args(messages_per_task=50, scale_out_cooldown=45))).one(
        POLICY, "p-worker-scaling-backlog-out")
    config = policy.inputs["stepScalingPolicyConfiguration"]
    assert config["adjustmentType"] == "ChangeInCapacity"
    assert config["cooldown"] == 45
    assert config["stepAdjustments"] == [
        {"metricIntervalLowerBound": "0", "metricIntervalUpperBound": "50", "scalingAdjustment": 1},
        {"metricIntervalLowerBound": "50", "metricIntervalUpperBound": "200", "scalingAdjustment": 2},
        {"metricIntervalLowerBound": "200", "scalingAdjustment": 4},
    ]


def test_idle_alarm_sums_visible_and_in_flight_messages_over_five_minutes(render):
    alarm = render(build(queue_args())).one(ALARM, "p-worker-scaling-idle")
    i = alarm.inputs
    assert (i["comparisonOperator"], i["threshold"], i["evaluationPeriods"]) == ("LessThanOrEqualToThreshold", 0, 5)
    queries = {q["id"]: q for q in i["metricQueries"]}
    assert queries["result"]["expression"] == "visible + inflight"
    assert queries["result"]["returnData"] is True
    assert queries["visible"]["metric"]["metricName"] == "ApproximateNumberOfMessagesVisible"
    assert queries["inflight"]["metric"]["metricName"] == "ApproximateNumberOfMessagesNotVisible"
    for q in ("visible", "inflight"):
        assert queries[q]["returnData"] is False
        assert queries[q]["metric"]["dimensions"] == {"QueueName": QUEUE}
        assert (queries[q]["metric"]["namespace"], queries[q]["metric"]["period"]) == ("AWS/SQS", 60)
    assert [q for q in i["metricQueries"] if q.get("returnData")] == [queries["result"]]
    assert "metricName" not in i  # a metric-math alarm names no single metric


@pytest.mark.parametrize("minimum", [0, 2])
def test_idle_policy_sets_the_count_to_min(render, minimum):
    policy = render(build(queue_args(min=minimum))).one(POLICY, "p-worker-scaling-backlog-idle")
    config = policy.inputs["stepScalingPolicyConfiguration"]
    assert config["adjustmentType"] == "ExactCapacity"
    assert config["stepAdjustments"] == [{"metricIntervalUpperBound": "0", "scalingAdjustment": minimum}]


def test_alarms_invoke_their_policies_by_arn(render):
    r = render(build(queue_args()))
    out = r.one(POLICY, "p-worker-scaling-backlog-out")
    idle = r.one(POLICY, "p-worker-scaling-backlog-idle")
    assert r.one(ALARM, "p-worker-scaling-backlog").inputs["alarmActions"] == [out.state["arn"]]
    assert r.one(ALARM, "p-worker-scaling-idle").inputs["alarmActions"] == [idle.state["arn"]]


def test_no_queue_scaling_without_messages_per_task(render):
    r = render(build(args(queue_name=QUEUE, cpu_target=70)))
    assert r.of_type(ALARM) == [] and policies_of_type(r, "StepScaling") == []


def test_every_child_is_parented_to_the_component(render):
    r = render(build(queue_args()))
    component = r.one("ecsapp:service:Scaling")
    assert len(r.children(component)) == len(r.resources) - 1 == 7


def test_config_default_cpu_target_and_cooldowns_reach_the_policy(render):
    cfg = make_config(services={"web": {"containers": {"app": {"image": {"uri": "busybox:1.36"}, "ports": [8080]}},
                                        "autoscaling": {"max": 4}}})
    r = render(build(scaling_args(cfg, **WIRED)))
    target = r.one(TARGET)
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (1, 4)
    [policy] = policies_of_type(r, "TargetTrackingScaling")
    assert policy.inputs["targetTrackingScalingPolicyConfiguration"] == {
        "targetValue": 70, "predefinedMetricSpecification": {"predefinedMetricType": "ECSServiceAverageCPUUtilization"},
        "scaleInCooldown": 300, "scaleOutCooldown": 60}


# --- config -> ScalingArgs -----------------------------------------------------------------------------


def test_queue_scaling_from_config_has_no_default_cpu_target():
    a = scaling_args(worker_config(min=0, messagesPerTask=20), "worker", queue_name="q-name")
    assert (a.cpu_target, a.memory_target, a.requests_per_target) == (None, None, None)
    assert (a.min, a.max, a.queue_name, a.messages_per_task) == (0, 5, "q-name", 20)


def test_a_worker_without_messages_per_task_gets_the_config_default_cpu_target_and_ignores_its_queue():
    a = scaling_args(worker_config(), "worker", queue_name="q-name")
    assert a.cpu_target == 70 and a.queue_name is None


# --- the component: schedules and predictive scaling ------------------------------------------------------

SCHEDULED = "aws:appautoscaling/scheduledAction:ScheduledAction"


def web_config(**autoscaling):
    return make_config(services={"web": {
        "containers": {"app": {"image": {"uri": "busybox:1.36"}, "ports": [8080]}},
        "autoscaling": {"max": 4, **autoscaling}}})


def test_each_schedule_is_a_scheduled_action_on_the_services_target(render):
    cfg = web_config(schedules=[
        {"name": "weekday-peak", "expression": "cron(0 7 ? * MON-FRI *)", "timezone": "Europe/Berlin",
         "min": 4, "max": 20},
        {"name": "night", "expression": "cron(0 20 * * ? *)", "max": 2}])
    r = render(build(scaling_args(cfg, **WIRED)))
    actions = {a.inputs["name"]: a.inputs for a in r.of_type(SCHEDULED)}
    assert set(actions) == {"weekday-peak", "night"}
    peak = actions["weekday-peak"]
    assert peak["schedule"] == "cron(0 7 ? * MON-FRI *)"
    assert peak["timezone"] == "Europe/Berlin"
    assert peak["scalableTargetAction"] == {"minCapacity": 4, "maxCapacity": 20}
    assert (peak["serviceNamespace"], peak["scalableDimension"], peak["resourceId"]) == (
        "ecs", "ecs:service:DesiredCount", "service/p-cluster/p-worker-svc")


def test_a_schedule_giving_only_max_leaves_the_minimum_out(render):
    cfg = web_config(schedules=[{"name": "night", "expression": "rate(1 day)", "max": 2}])
    [night] = render(build(scaling_args(cfg, **WIRED))).of_type(SCHEDULED)
    assert night.inputs["scalableTargetAction"] == {"maxCapacity": 2}
    assert night.inputs["timezone"] == "UTC"


def test_a_schedule_with_dates_sends_its_start_and_end_time(render):
    cfg = web_config(schedules=[{"name": "christmas", "expression": "cron(0 8 * * ? *)", "min": 3,
                                 "startTime": "2026-12-01T00:00:00Z", "endTime": "2026-12-24T18:00:00+01:00"}])
    [action] = render(build(scaling_args(cfg, **WIRED))).of_type(SCHEDULED)
    assert (action.inputs["startTime"], action.inputs["endTime"]) == ("2026-12-01T00:00:00Z",
                                                                      "2026-12-24T18:00:00+01:00")


def test_a_schedule_without_dates_sends_none(render):
    cfg = web_config(schedules=[{"name": "night", "expression": "rate(1 day)", "max": 2}])
    [action] = render(build(scaling_args(cfg, **WIRED))).of_type(SCHEDULED)
    assert "startTime" not in action.inputs and "endTime" not in action.inputs


def test_no_schedule_no_scheduled_action_and_no_predictive_policy(render):
    r = render(build(scaling_args(web_config(), **WIRED)))
    assert r.of_type(SCHEDULED) == []
    assert policies_of_type(r, "PredictiveScaling") == []


def test_predictive_scaling_defaults_to_forecast_only_on_the_cpu_pair(render):
    r = render(build(scaling_args(web_config(predictive={"targetValue": 60}), **WIRED)))
    [policy] = policies_of_type(r, "PredictiveScaling")
    assert policy.name == "p-worker-scaling-predictive"
    assert policy.inputs["resourceId"] == "service/p-cluster/p-worker-svc"
    assert policy.inputs["predictiveScalingPolicyConfiguration"] == {
        "mode": "ForecastOnly", "schedulingBufferTime": 300, "maxCapacityBreachBehavior": "HonorMaxCapacity",
        "metricSpecifications": [{"targetValue": "60",
                                  "predefinedMetricPairSpecification": {"predefinedMetricType":
                                                                        "ECSServiceCPUUtilization"}}]}


def test_predictive_scaling_keeps_the_cpu_target_tracking_beside_it(render):
    r = render(build(scaling_args(web_config(predictive={"targetValue": 60}), **WIRED)))
    assert [p.name for p in policies_of_type(r, "TargetTrackingScaling")] == ["p-worker-scaling-cpu"]


def test_predictive_scaling_on_requests_names_the_target_group(render):
    label = "app/p-alb/0123/targetgroup/p-web-tg/4567"
    cfg = web_config(predictive={"metric": "requests", "targetValue": 1200, "mode": "ForecastAndScale",
                                 "maxCapacityBreachBehavior": "IncreaseMaxCapacity", "maxCapacityBuffer": 10,
                                 "schedulingBufferTime": 600})
    [policy] = policies_of_type(render(build(scaling_args(cfg, **WIRED, request_label=label))), "PredictiveScaling")
    config = policy.inputs["predictiveScalingPolicyConfiguration"]
    assert config["mode"] == "ForecastAndScale"
    assert (config["maxCapacityBreachBehavior"], config["maxCapacityBuffer"]) == ("IncreaseMaxCapacity", 10)
    assert config["schedulingBufferTime"] == 600
    assert config["metricSpecifications"] == [{"targetValue": "1200", "predefinedMetricPairSpecification": {
        "predefinedMetricType": "ALBRequestCount", "resourceLabel": label}}]


def test_predictive_scaling_on_memory_uses_the_memory_pair(render):
    cfg = web_config(predictive={"metric": "memory", "targetValue": 75})
    [policy] = policies_of_type(render(build(scaling_args(cfg, **WIRED))), "PredictiveScaling")
    [spec] = policy.inputs["predictiveScalingPolicyConfiguration"]["metricSpecifications"]
    assert spec["predefinedMetricPairSpecification"] == {"predefinedMetricType": "ECSServiceMemoryUtilization"}
    assert spec["targetValue"] == "75"


def test_scheduled_actions_and_the_predictive_policy_are_children_of_the_scaling_component(render):
    cfg = web_config(schedules=[{"name": "peak", "expression": "cron(0 7 ? * MON-FRI *)", "min": 3}],
                     predictive={"targetValue": 60})
    r = render(build(scaling_args(cfg, **WIRED)))
    component = r.one("ecsapp:service:Scaling").urn
    [action] = r.of_type(SCHEDULED)
    [policy] = policies_of_type(r, "PredictiveScaling")
    assert (action.parent, policy.parent) == (component, component)
