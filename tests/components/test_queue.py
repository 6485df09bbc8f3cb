"""WorkerQueue: the SQS queue and dead-letter queue of a worker; the URL and the permissions it hands the worker."""

import json

import pytest

from components.queue import CONSUMER_ACTIONS, PRODUCER_ACTIONS, WorkerQueue, consumer_statement, producer_statement
from deploy.offline import plan
from tests.conftest import inputs_json, make_config
from tests.factories import queue_args

QUEUE = "aws:sqs/queue:Queue"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
DAY = 86400


def build(**overrides):
    def program():
        q = WorkerQueue("p-worker", queue_args(**overrides))
        return {"url": q.url, "arn": q.arn, "name": q.name}

    return program


# --- the component ------------------------------------------------------------------------------------


def test_a_work_queue_and_a_dead_letter_queue(render):
    r = render(build())
    assert sorted(q.name for q in r.of_type(QUEUE)) == ["p-worker-dlq", "p-worker-queue"]
    component = r.one("ecsapp:worker:Queue")
    assert {q.parent for q in r.of_type(QUEUE)} == {component.urn}


def test_both_queues_use_sqs_managed_encryption(render):
    for q in render(build()).of_type(QUEUE):
        assert q.inputs["sqsManagedSseEnabled"] is True, q.name
        assert "kmsMasterKeyId" not in q.inputs


def test_redrive_policy_names_the_dead_letter_queue_and_the_receive_count(render):
    r = render(build(max_receive_count=7))
    dlq = r.one(QUEUE, "p-worker-dlq")
    redrive = inputs_json(r.one(QUEUE, "p-worker-queue"), "redrivePolicy")
    assert redrive == {"deadLetterTargetArn": dlq.state["arn"], "maxReceiveCount": 7}
    assert "redrivePolicy" not in dlq.inputs  # the dead-letter queue itself redrives nowhere


def test_visibility_timeout_and_retention_in_seconds(render):
    r = render(build(visibility_timeout=300, message_retention_days=6, dead_letter_retention_days=10))
    queue = r.one(QUEUE, "p-worker-queue").inputs
    assert queue["visibilityTimeoutSeconds"] == 300
    assert queue["messageRetentionSeconds"] == 6 * DAY
    assert r.one(QUEUE, "p-worker-dlq").inputs["messageRetentionSeconds"] == 10 * DAY


def test_config_defaults_keep_messages_four_days_and_failures_fourteen_in_the_queues(render):
    r = render(build())  # queue_args: a worker whose `queue: {}` takes every default of the config model
    assert r.one(QUEUE, "p-worker-queue").inputs["messageRetentionSeconds"] == 345600
    assert r.one(QUEUE, "p-worker-queue").inputs["visibilityTimeoutSeconds"] == 60
    assert r.one(QUEUE, "p-worker-dlq").inputs["messageRetentionSeconds"] == 1209600
    assert inputs_json(r.one(QUEUE, "p-worker-queue"), "redrivePolicy")["maxReceiveCount"] == 5


def test_consumers_long_poll(render):
    assert render(build()).one(QUEUE, "p-worker-queue").inputs["receiveWaitTimeSeconds"] == 20


def test_component_exposes_the_work_queues_url_arn_and_name(render):
    r = render(build())
    queue = r.one(QUEUE, "p-worker-queue")
    assert r.outputs == {"url": queue.state["url"], "arn": queue.state["arn"], "name": queue.state["name"]}


def test_tags_name_each_queue(render):
    r = render(build(tags={"Stack": "test"}))
    assert r.one(QUEUE, "p-worker-queue").inputs["tags"] == {"Stack": "test", "Name": "p-worker"}
    assert r.one(QUEUE, "p-worker-dlq").inputs["tags"] == {"Stack": "test", "Name": "p-worker-dlq"}


def test_a_fifo_queue_has_a_fifo_dead_letter_queue_and_names_ending_in_fifo(render):
    r = render(build(fifo=True, content_based_deduplication=True))
    queue, dlq = r.one(QUEUE, "p-worker-queue"), r.one(QUEUE, "p-worker-dlq")
    assert queue.inputs["fifoQueue"] is True and dlq.inputs["fifoQueue"] is True
    assert queue.inputs["contentBasedDeduplication"] is True
    assert "contentBasedDeduplication" not in dlq.inputs  # moved messages keep their deduplication IDs
    assert "name" not in queue.inputs  # auto-named: pulumi-aws appends `.fifo` itself
    assert queue.state["name"] == "p-worker-queue.fifo" and dlq.state["name"] == "p-worker-dlq.fifo"
    assert inputs_json(queue, "redrivePolicy")["deadLetterTargetArn"] == dlq.state["arn"]
    assert dlq.state["arn"].endswith(":p-worker-dlq.fifo")


def test_a_fifo_queue_without_content_based_deduplication_sends_none(render):
    assert "contentBasedDeduplication" not in render(build(fifo=True)).one(QUEUE, "p-worker-queue").inputs


def test_a_standard_queue_sends_no_fifo_inputs(render):
    r = render(build(content_based_deduplication=True))  # only FIFO queues deduplicate: ignored here
    for q in r.of_type(QUEUE):
        assert "fifoQueue" not in q.inputs and "contentBasedDeduplication" not in q.inputs, q.name


def test_producer_statement_grants_send_and_get_url_on_exactly_the_named_queues():
    arns = ["arn:aws:sqs:us-east-1:123456789012:p-a-queue", "arn:aws:sqs:us-east-1:123456789012:p-b-queue.fifo"]
    assert producer_statement(arns) == {"Sid": "SendToQueues", "Effect": "Allow",
                                        "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"], "Resource": arns}
    assert PRODUCER_ACTIONS == ["sqs:SendMessage", "sqs:GetQueueUrl"]
    assert not any(a.startswith("kms:") for a in PRODUCER_ACTIONS)  # SQS-managed keys need no KMS permission


# --- consumer_statement (pure) --------------------------------------------------------------------------


def test_consumer_statement_grants_exactly_the_consumer_actions_on_the_one_queue():
    arn = "arn:aws:sqs:us-east-1:123456789012:p-worker-queue"
    statement = consumer_statement(arn)
    assert statement == {"Sid": "ConsumeQueue", "Effect": "Allow", "Action": CONSUMER_ACTIONS, "Resource": arn}
    assert sorted(CONSUMER_ACTIONS) == sorted(["sqs:ReceiveMessage", "sqs:DeleteMessage",
                                               "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
                                               "sqs:GetQueueUrl"])
    assert not any("*" in a for a in CONSUMER_ACTIONS)
    assert "sqs:SendMessage" not in CONSUMER_ACTIONS and "sqs:PurgeQueue" not in CONSUMER_ACTIONS


# --- in the stack -------------------------------------------------------------------------------------

IMAGE = {"uri": "public.ecr.aws/docker/library/python:3.12-slim"}


def worker_stack(queue=None, **fields):
    body = {"kind": "worker", "containers": {"main": {"image": IMAGE, "environment": {"MODE": "consume"}},
                                             "sidecar": {"image": IMAGE, "essential": False}},
            "queue": queue if queue is not None else {}, **fields}
    return plan.render(make_config(services={"worker": body}))


@pytest.fixture(scope="module")
def worker():
    return worker_stack(queue={"envVar": "JOBS_URL", "visibilityTimeout": 120},
                        taskRole={"statements": [{"actions": ["s3:GetObject"],
                                                  "resources": ["arn:aws:s3:::reports/*"]}]})


def test_the_queue_url_reaches_every_container_as_the_env_var(worker):
    url = worker.one(QUEUE, "test-worker-queue").state["url"]
    definitions = inputs_json(worker.one(TASK), "containerDefinitions")
    assert len(definitions) == 2
    for d in definitions:
        env = {e["name"]: e["value"] for e in d["environment"]}
        assert env["JOBS_URL"] == url, d["name"]
        assert "QUEUE_URL" not in env
    main = next(d for d in definitions if d["name"] == "main")
    assert {e["name"]: e["value"] for e in main["environment"]}["MODE"] == "consume"


def test_the_default_env_var_is_queue_url():
    r = worker_stack()
    definitions = inputs_json(r.one(TASK), "containerDefinitions")
    url = r.one(QUEUE, "test-worker-queue").state["url"]
    assert all({"name": "QUEUE_URL", "value": url} in d["environment"] for d in definitions)


def test_the_task_role_may_consume_exactly_its_queue(worker):
    queue = worker.one(QUEUE, "test-worker-queue")
    policy = inputs_json(worker.one(ROLE_POLICY, "test-worker-task-policy"), "policy")
    consume = [s for s in policy["Statement"] if s.get("Sid") == "ConsumeQueue"]
    assert consume == [{"Sid": "ConsumeQueue", "Effect": "Allow", "Action": CONSUMER_ACTIONS,
                        "Resource": queue.state["arn"]}]
    dlq = worker.one(QUEUE, "test-worker-dlq")
    assert dlq.state["arn"] not in json.dumps(policy)  # only the work queue, not its dead letters


def test_the_task_role_keeps_the_configured_statements_and_grants_no_wildcard(worker):
    policy = inputs_json(worker.one(ROLE_POLICY, "test-worker-task-policy"), "policy")
    configured = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::reports/*"]}
    assert configured in policy["Statement"]
    for s in policy["Statement"]:
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        assert "*" not in actions and not any(a.endswith(":*") for a in actions)
        if s.get("Sid") == "ConsumeQueue":
            assert "*" not in s["Resource"]


def test_the_queue_component_is_configured_from_the_worker(worker):
    assert worker.one(QUEUE, "test-worker-queue").inputs["visibilityTimeoutSeconds"] == 120
    assert worker.one("ecsapp:worker:Queue").name == "test-worker"


def test_the_stack_outputs_the_queue_url(worker):
    assert worker.outputs["queueUrls"] == {"worker": worker.one(QUEUE, "test-worker-queue").state["url"]}


def test_a_worker_without_queue_gets_no_queue_and_no_queue_permissions():
    cfg = make_config(services={"worker": {"kind": "worker", "containers": {"main": {"image": IMAGE}}}})
    r = plan.render(cfg)
    assert r.of_type(QUEUE) == [] and r.of_type("ecsapp:worker:Queue") == []
    assert [p.name for p in r.of_type(ROLE_POLICY) if p.name.endswith("task-policy")] == []
    assert "queueUrls" not in r.outputs
    definitions = inputs_json(r.one(TASK), "containerDefinitions")
    assert definitions[0]["environment"] == []
