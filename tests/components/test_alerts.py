"""Alerts component: the SNS topic the stack's alarms notify, or an existing topic passed through."""

from __future__ import annotations

from components.alerts import Alerts, AlertsArgs
from deploy.offline.engine import ACCOUNT
from deploy.stack import args
from tests.conftest import inputs_json, make_config
from tests.factories import resolved

TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
EXISTING = "arn:aws:sns:us-east-1:123456789012:oncall"


def build(alerts: AlertsArgs):
    def program():
        return {"topicArns": Alerts("p", alerts).topic_arns}

    return program


def test_cloudwatch_alarms_of_this_account_may_publish_to_the_topic(render):
    r = render(build(AlertsArgs(emails=["oncall@example.com"])))
    topic, policy = r.one(TOPIC, "p-alerts"), r.one(TOPIC_POLICY, "p-alerts-policy")
    assert policy.inputs["arn"] == topic.state["arn"]
    assert inputs_json(policy, "policy")["Statement"] == [{
        "Sid": "CloudWatchAlarms", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": "sns:Publish", "Resource": topic.state["arn"],
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]


def test_one_email_subscription_per_address_to_the_topic(render):
    r = render(build(AlertsArgs(emails=["oncall@example.com", "team@example.com"])))
    topic = r.one(TOPIC).state["arn"]
    subscriptions = r.of_type(SUBSCRIPTION)
    assert sorted((s.inputs["topic"], s.inputs["protocol"], s.inputs["endpoint"]) for s in subscriptions) == [
        (topic, "email", "oncall@example.com"), (topic, "email", "team@example.com")]


def test_an_existing_topic_alone_creates_nothing_and_is_notified(render):
    r = render(build(AlertsArgs(topic_arn=EXISTING)))
    assert [x.type for x in r.resources] == ["ecsapp:monitoring:Alerts"]
    assert r.outputs["topicArns"] == [EXISTING]


def test_with_addresses_and_an_existing_topic_both_topics_are_notified(render):
    r = render(build(AlertsArgs(emails=["oncall@example.com"], topic_arn=EXISTING)))
    assert r.outputs["topicArns"] == [r.one(TOPIC).state["arn"], EXISTING]


def test_the_config_without_alerts_asks_for_no_alerts():
    assert args.alerts(resolved(make_config())) is None


def test_alerts_of_the_config_reach_the_args():
    cfg = make_config({"alerts": {"email": ["oncall@example.com"], "snsTopicArn": EXISTING}})
    found = args.alerts(resolved(cfg))
    assert found is not None
    assert (list(found.emails), found.topic_arn) == (["oncall@example.com"], EXISTING)
