"""Producers (`sends`) and FIFO queues in the whole stack: the fixture `Pulumi.sends.yaml` has a web service
sending to a FIFO worker's queue and a scheduled task sending to a standard one under an env var of its own."""

from __future__ import annotations

import pytest

from components.queue import CONSUMER_ACTIONS
from deploy.config.parse import load
from deploy.offline import plan
from tests.conftest import FIXTURES, inputs_json, make_config

QUEUE = "aws:sqs/queue:Queue"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
IMAGE = {"uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/busybox:1.36"}


@pytest.fixture(scope="module")
def sends():
    return plan.render(load(FIXTURES / "Pulumi.sends.yaml", "ecs-app", "sends"))


def environment(r, task: str) -> dict[str, str]:
    [container] = inputs_json(r.one(TASK, task), "containerDefinitions")
    return {e["name"]: e["value"] for e in container["environment"]}


def statements(r, policy: str) -> list[dict]:
    return inputs_json(r.one(ROLE_POLICY, policy), "policy")["Statement"]


def test_the_producer_may_send_to_exactly_the_workers_queue_and_nothing_else(sends):
    queue = sends.one(QUEUE, "sends-thumbnailer-queue")
    assert statements(sends, "sends-web-task-policy") == [{
        "Sid": "SendToQueues", "Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"],
        "Resource": [queue.state["arn"]]}]


def test_the_producer_gets_the_queue_url_in_the_default_env_var(sends):
    url = sends.one(QUEUE, "sends-thumbnailer-queue").state["url"]
    assert url.endswith("/sends-thumbnailer-queue.fifo")
    assert environment(sends, "sends-web-task") == {"THUMBNAILER_QUEUE_URL": url}


def test_a_scheduled_task_sends_under_the_env_var_it_names(sends):
    queue = sends.one(QUEUE, "sends-mailer-queue")
    assert environment(sends, "sends-report-task") == {"MAIL_JOBS_URL": queue.state["url"]}
    [send] = statements(sends, "sends-report-task-policy")
    assert send["Resource"] == [queue.state["arn"]] and send["Action"] == ["sqs:SendMessage", "sqs:GetQueueUrl"]


def test_the_producers_task_definition_and_policy_wait_for_the_queue(sends):
    queue = sends.one(QUEUE, "sends-thumbnailer-queue")
    assert queue.urn in sends.one(TASK, "sends-web-task").dependencies
    assert queue.urn in sends.one(ROLE_POLICY, "sends-web-task-policy").dependencies


def test_the_fifo_worker_and_its_dead_letter_queue_are_fifo(sends):
    queue, dlq = sends.one(QUEUE, "sends-thumbnailer-queue"), sends.one(QUEUE, "sends-thumbnailer-dlq")
    assert (queue.inputs["fifoQueue"], dlq.inputs["fifoQueue"], queue.inputs["contentBasedDeduplication"]) == (
        True, True, True)
    assert inputs_json(queue, "redrivePolicy")["deadLetterTargetArn"] == dlq.state["arn"]
    assert "fifoQueue" not in sends.one(QUEUE, "sends-mailer-queue").inputs


def test_the_fifo_worker_still_consumes_its_queue_and_scales_and_alarms_on_its_fifo_name(sends):
    queue = sends.one(QUEUE, "sends-thumbnailer-queue")
    assert statements(sends, "sends-thumbnailer-task-policy") == [{
        "Sid": "ConsumeQueue", "Effect": "Allow", "Action": CONSUMER_ACTIONS, "Resource": queue.state["arn"]}]
    assert environment(sends, "sends-thumbnailer-task") == {"QUEUE_URL": queue.state["url"]}
    assert sends.one(ALARM, "sends-thumbnailer-queue-age").inputs["dimensions"] == {
        "QueueName": "sends-thumbnailer-queue.fifo"}
    backlog = sends.one(ALARM, "sends-thumbnailer-scaling-backlog").inputs["metricQueries"]
    assert {"QueueName": "sends-thumbnailer-queue.fifo"} in [q.get("metric", {}).get("dimensions") for q in backlog]


def test_a_worker_that_calls_its_producer_by_name_renders_without_a_cycle():
    # web sends to jobs, jobs calls web: queues come first, so neither waits for the other's service.
    r = plan.render(make_config(services={
        "web": {"containers": {"app": {"image": IMAGE, "ports": [8080]}}, "sends": ["jobs"]},
        "jobs": {"kind": "worker", "containers": {"main": {"image": IMAGE}}, "queue": {}, "calls": ["web"]}}))
    queue = r.one(QUEUE, "test-jobs-queue")
    assert environment(r, "test-web-task") == {"JOBS_QUEUE_URL": queue.state["url"]}


def test_several_targets_are_granted_in_one_statement_sorted_by_worker():
    worker = {"kind": "worker", "containers": {"main": {"image": IMAGE}}, "queue": {}}
    r = plan.render(make_config(services={
        "web": {"containers": {"app": {"image": IMAGE, "ports": [8080]}}, "sends": ["zeta", "alpha"]},
        "zeta": worker, "alpha": worker}))
    [send] = statements(r, "test-web-task-policy")
    assert send["Resource"] == [r.one(QUEUE, "test-alpha-queue").state["arn"],
                                r.one(QUEUE, "test-zeta-queue").state["arn"]]
    assert set(environment(r, "test-web-task")) == {"ALPHA_QUEUE_URL", "ZETA_QUEUE_URL"}
