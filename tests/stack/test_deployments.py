"""Deployments across the whole stack: prod's canary `web` with its rollback alarms and alert topic, a test
listener from a service's `testTraffic.port`, and Service Connect test traffic to a called service."""

from __future__ import annotations

import pytest

from deploy.config.parse import load
from deploy.offline import plan
from tests.conftest import PRIVATE_IMAGE, PROJECT, ROOT, make_config, service

SERVICE = "aws:ecs/service:Service"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
RULE = "aws:lb/listenerRule:ListenerRule"
LISTENER = "aws:lb/listener:Listener"
ROLE = "aws:iam/role:Role"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
QUEUE = "aws:sqs/queue:Queue"


@pytest.fixture(scope="module")
def prod():
    return plan.render(load(ROOT / "Pulumi.prod.yaml", PROJECT, "prod"))


# --- prod: web on canary -------------------------------------------------------------------------------


def test_prods_web_sends_10_percent_for_5_minutes_then_bakes_10(prod):
    assert prod.one(SERVICE, "prod-web-svc").inputs["deploymentConfiguration"] == {
        "strategy": "CANARY", "bakeTimeInMinutes": "10",
        "canaryConfiguration": {"canaryPercent": 10, "canaryBakeTimeInMinutes": "5"}}


def test_pulumi_waits_41_minutes_for_prods_web(prod):
    # 20 (provider) + 5 (new tasks) + 5 (canary) + 10 (bake) + 1 (30 s deregistration delay)
    assert prod.one(SERVICE, "prod-web-svc").custom_timeouts == {"create": "41m", "update": "41m"}


def test_prods_web_test_rule_is_on_the_https_listener_just_before_its_production_rule(prod):
    https = prod.one(LISTENER, "prod-alb-https").state["arn"]
    production, test = prod.one(RULE, "prod-web-rule"), prod.one(RULE, "prod-web-test-rule")
    assert production.inputs["listenerArn"] == test.inputs["listenerArn"] == https
    assert test.inputs["priority"] == production.inputs["priority"] - 1
    [lb] = prod.one(SERVICE, "prod-web-svc").inputs["loadBalancers"]
    assert lb["advancedConfiguration"] == {
        "alternateTargetGroupArn": prod.one(TARGET_GROUP, "prod-web-tg-alt").state["arn"],
        "productionListenerRule": production.state["arn"], "testListenerRule": test.state["arn"],
        "roleArn": prod.one(ROLE, "prod-web-deploy-role").state["arn"]}


def test_prods_web_rolls_back_on_2_percent_5xx_an_unhealthy_target_or_a_2_s_p99(prod):
    alarms = {a.name: a for a in prod.of_type(ALARM) if a.name.startswith("prod-web-")}
    assert {n: a.inputs["threshold"] for n, a in alarms.items()} == {
        "prod-web-5xx": 2, "prod-web-unhealthy": 1, "prod-web-p99": 2}
    assert prod.one(SERVICE, "prod-web-svc").inputs["alarms"] == {
        "alarmNames": [alarms[n].state["name"] for n in ("prod-web-5xx", "prod-web-unhealthy", "prod-web-p99")],
        "enable": True, "rollback": True}


def test_prods_rolling_services_keep_one_target_group_and_no_deploy_role(prod):
    for name in ("api", "worker"):
        assert prod.one(SERVICE, f"prod-{name}-svc").inputs["deploymentConfiguration"] == {"strategy": "ROLLING"}
        assert prod.one(SERVICE, f"prod-{name}-svc").custom_timeouts == {}
    assert sorted(tg.name for tg in prod.of_type(TARGET_GROUP)) == ["prod-api-tg", "prod-web-tg", "prod-web-tg-alt"]
    assert [r.name for r in prod.of_type(ROLE) if "deploy" in r.name] == ["prod-web-deploy-role"]


def test_prods_worker_rolls_back_on_its_own_queues(prod):
    dlq = prod.one(ALARM, "prod-worker-dlq-growing")
    [metric] = [q["metric"] for q in dlq.inputs["metricQueries"] if "metric" in q]
    assert metric["dimensions"] == {"QueueName": prod.one(QUEUE, "prod-worker-dlq").state["name"]}
    age = prod.one(ALARM, "prod-worker-queue-age")
    assert age.inputs["dimensions"] == {"QueueName": prod.one(QUEUE, "prod-worker-queue").state["name"]}
    assert prod.one(SERVICE, "prod-worker-svc").inputs["alarms"]["alarmNames"] == [
        dlq.state["name"], age.state["name"]]


def test_every_prod_alarm_notifies_the_oncall_address_through_the_stacks_topic(prod):
    topic = prod.one(TOPIC).state["arn"]
    [subscription] = prod.of_type(SUBSCRIPTION)
    assert (subscription.inputs["topic"], subscription.inputs["protocol"], subscription.inputs["endpoint"]) == (
        topic, "email", "oncall@example.com")
    watched = {n for svc in prod.of_type(SERVICE) for n in svc.inputs["alarms"]["alarmNames"]}
    rollback = [a for a in prod.of_type(ALARM) if a.state["name"] in watched]
    assert len(rollback) == len(watched) == 7  # web 3, api 2, worker 2
    assert all(a.inputs["alarmActions"] == a.inputs["okActions"] == [topic] for a in rollback)


# --- a test listener -----------------------------------------------------------------------------------


def test_a_test_port_adds_a_listener_that_the_services_test_rule_uses():
    cfg = make_config(services={"web": service(deployment={"strategy": "linear", "testTraffic": {"port": 9000}})})
    r = plan.render(cfg)
    [test_listener] = [x for x in r.of_type(LISTENER) if x.inputs["port"] == 9000]
    production = r.one(RULE, "test-web-rule")
    test = r.one(RULE, "test-web-test-rule")
    assert test.inputs["listenerArn"] == test_listener.state["arn"] != production.inputs["listenerArn"]
    assert test.inputs["priority"] == production.inputs["priority"]
    assert not any("httpHeader" in c for c in test.inputs["conditions"])


# --- Service Connect test traffic ----------------------------------------------------------------------


def test_a_blue_green_service_called_by_name_takes_test_traffic_by_header_and_its_caller_is_unchanged():
    cfg = make_config(services={
        "web": service(calls=["api"]),
        "api": {"kind": "worker", "containers": {"api": {"image": {"uri": PRIVATE_IMAGE}, "ports": [7000]}},
                "deployment": {"strategy": "blue-green", "testTraffic": {"header": "X-Preview", "value": "on"}}}})
    r = plan.render(cfg)
    [served] = r.one(SERVICE, "test-api-svc").inputs["serviceConnectConfiguration"]["services"]
    assert served["clientAlias"][0]["testTrafficRules"] == [{"header": {"name": "X-Preview",
                                                                        "value": {"exact": "on"}}}]
    assert r.one(SERVICE, "test-api-svc").inputs["deploymentConfiguration"]["strategy"] == "BLUE_GREEN"
    assert r.one(SERVICE, "test-web-svc").inputs["deploymentConfiguration"] == {"strategy": "ROLLING"}
    assert "services" not in r.one(SERVICE, "test-web-svc").inputs["serviceConnectConfiguration"]


def test_a_web_service_tested_on_a_port_still_gives_its_service_connect_callers_the_test_header():
    cfg = make_config(services={
        "web": service(deployment={"strategy": "blue-green", "testTraffic": {"port": 9000}}),
        "front": service(calls=["web"], loadBalancer={"paths": ["/front/*"]})})
    rendered = plan.render(cfg)
    web = next(r for r in rendered.resources if r.type == "aws:ecs/service:Service" and r.name == "test-web-svc")
    alias = web.inputs["serviceConnectConfiguration"]["services"][0]["clientAlias"][0]
    assert alias["testTrafficRules"] == [{"header": {"name": "X-Deployment-Test", "value": {"exact": "green"}}}]
    # on the test listener the rule needs no header: the port is the test
    rule = next(r for r in rendered.resources if r.name == "test-web-test-rule")
    assert [c for c in rule.inputs["conditions"] if "httpHeader" in c] == []
