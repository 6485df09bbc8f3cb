"""Rules for EC2 capacity and the workload kinds (`deploy/config/rules/capacity.py`, `workloads.py`), and the
kind, queue, schedule and EC2 parts of the service model and the other rules: each rule is shown by one failing
config that must name its exact key and say what is wrong; valid configs of every kind pass.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from deploy.config import resolve
from deploy.config.parse import parse
from deploy.config.problems import ConfigError, Problem
from deploy.config.resolve import connect_port
from tests.conftest import make_config, raw_config

IMAGE = {"uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/busybox:1.36"}  # pulls with or without a NAT
KMS_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ALL_EC2_ENDPOINTS = ["ecs", "ecs-agent", "ecs-telemetry", "ecr.api", "ecr.dkr", "logs"]


# --- builders ----------------------------------------------------------------------------


def web(port: int = 8080, **fields: Any) -> dict[str, Any]:
    return {"containers": {"app": {"image": IMAGE, "ports": [port]}}, **fields}


def worker(**fields: Any) -> dict[str, Any]:
    return {"kind": "worker", "containers": {"main": {"image": IMAGE}}, **fields}


def scheduled(**fields: Any) -> dict[str, Any]:
    return {"kind": "scheduled", "containers": {"main": {"image": IMAGE}},
            "schedule": {"expression": "cron(0 3 * * ? *)"}, **fields}


def on_ec2(body: dict[str, Any], architecture: str = "ARM64") -> dict[str, Any]:
    return {**body, "architecture": architecture, "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}]}


def ec2(*types: str, **fields: Any) -> dict[str, Any]:
    """A `cluster` override with EC2 capacity of these instance types (default: Graviton m7g.large)."""
    return {"cluster": {"ec2": {"instanceTypes": list(types or ["m7g.large"]), **fields}}}


def problems_of(services: dict[str, Any] | None = None, overrides: dict[str, Any] | None = None) -> list[Problem]:
    """Parse the config; it must fail. Returns every problem reported."""
    with pytest.raises(ConfigError) as info:
        parse(raw_config(copy.deepcopy(overrides), services=copy.deepcopy(services)))
    return info.value.problems


def assert_only_problem(services, overrides, key: str, fragment: str) -> Problem:
    """The config fails with exactly one problem, at `key`, whose message contains `fragment`."""
    found = problems_of(services, overrides)
    assert [p.key for p in found] == [key], found
    assert fragment in found[0].message, found[0]
    return found[0]


def valid(services: dict[str, Any] | None = None, overrides: dict[str, Any] | None = None):
    return make_config(copy.deepcopy(overrides), services=copy.deepcopy(services))


# --- one failing config per rule -------------------------------------------------------------------------

EC2_RULES = [
    pytest.param({"web": web()}, {"cluster": {"ec2": {"instanceTypes": ["m6i.large"]}, "capacityProviderStrategy": [
        {"provider": "FARGATE", "weight": 1}, {"provider": "EC2", "weight": 1}]}},
        "cluster.capacityProviderStrategy", "mixes EC2 with FARGATE/FARGATE_SPOT", id="cluster-strategy-mixes-ec2"),
    pytest.param({"worker": worker(capacityProviderStrategy=[{"provider": "FARGATE", "base": 1, "weight": 1},
                                                             {"provider": "EC2", "weight": 1}], architecture="ARM64")},
                 ec2(), "services.worker.capacityProviderStrategy", "ECS refuses a strategy that combines",
                 id="service-strategy-mixes-ec2-and-fargate"),
    pytest.param({"worker": worker(capacityProviderStrategy=[{"provider": "FARGATE_SPOT", "weight": 1},
                                                             {"provider": "EC2", "weight": 1}])},
                 ec2("m6i.large"), "services.worker.capacityProviderStrategy", "mixes EC2 with FARGATE/FARGATE_SPOT",
                 id="service-strategy-mixes-ec2-and-fargate-spot"),
    pytest.param({"worker": on_ec2(worker())}, None, "services.worker.capacityProviderStrategy",
                 "uses EC2 but the cluster has no EC2 capacity; add `cluster.ec2`", id="service-ec2-without-group"),
    pytest.param({"web": web()}, {"cluster": {"capacityProviderStrategy": [{"provider": "EC2", "weight": 1}]}},
                 "cluster.capacityProviderStrategy", "uses EC2 but the cluster has no EC2 capacity",
                 id="cluster-ec2-without-group"),
    pytest.param({"web": web()}, ec2("m7g.large", "m9z.large"), "cluster.ec2.instanceTypes[1]",
                 "'m9z.large' is not a known instance type; families: ", id="unknown-instance-type"),
    pytest.param({"web": web()}, ec2("m7g.large", "m6i.large"), "cluster.ec2.instanceTypes",
                 "mixes x86_64 and arm64 types", id="mixed-architectures"),
    pytest.param({"web": web()}, ec2(minSize=3, maxSize=2), "cluster.ec2.minSize",
                 "must not exceed maxSize (2) (got 3)", id="min-above-max"),
    pytest.param({"web": web()}, ec2(onDemandBase=5, maxSize=4), "cluster.ec2.onDemandBase",
                 "must not exceed maxSize (4) (got 5)", id="on-demand-base-above-max"),
    pytest.param({"web": web()}, ec2(volumeKmsKeyArn="alias/ebs"), "cluster.ec2.volumeKmsKeyArn",
                 "must be a KMS key or alias ARN (arn:aws:kms:<region>:<account>:key/<id>) (got 'alias/ebs')",
                 id="volume-kms-key-not-an-arn"),
    pytest.param({"web": web()}, {"network": {"nat": "none", "endpoints": {
        "s3": True, "interface": ["ecr.api", "ecr.dkr", "logs"]}}, **ec2()},
        "network.endpoints", "reach ECS only through endpoints; add ecs, ecs-agent, ecs-telemetry (or use a NAT)",
        id="no-nat-without-ecs-endpoints"),
    pytest.param({"web": web()}, {"network": {"nat": "none"}, **ec2()},
                 "network.endpoints", "add ecs, ecs-agent, ecs-telemetry, ecr.api, ecr.dkr, logs, s3",
                 id="no-nat-and-no-endpoints"),
    pytest.param({"worker": on_ec2(worker(ephemeralStorage=30))}, ec2(), "services.worker.ephemeralStorage",
                 "is a Fargate setting; EC2 tasks use the instance's volume", id="ephemeral-storage-on-ec2"),
    pytest.param({"worker": on_ec2(worker(assignPublicIp=True))}, ec2(), "services.worker.assignPublicIp",
                 "EC2 tasks in awsvpc mode cannot have public IPs", id="public-ip-on-ec2"),
    pytest.param({"worker": on_ec2(worker(), architecture="ARM64")}, ec2("m6i.large", "c6i.large"),
                 "services.worker.architecture",
                 "ARM64 tasks cannot run on the cluster's x86_64 instances (m6i.large, c6i.large); set `architecture: X86_64`",
                 id="arm64-task-on-x86-instances"),
    pytest.param({"worker": on_ec2(worker(), architecture="X86_64")}, ec2("m7g.large"),
                 "services.worker.architecture", "X86_64 tasks cannot run on the cluster's arm64 instances "
                                                 "(m7g.large); set `architecture: ARM64`", id="x86-task-on-arm64-instances"),
    pytest.param({"worker": on_ec2(worker(cpu=8192, memory=16384))}, ec2("m7g.large", "m7g.xlarge"),
                 "services.worker.cpu", "the largest, m7g.xlarge, offers 4096 units and about 14745 MiB for tasks",
                 id="task-bigger-than-every-type"),
    pytest.param({"worker": on_ec2(worker(cpu=1024, memory=7400))}, ec2("m7g.large"),
                 "services.worker.cpu", "holds a task of 1024 CPU units and 7400 MiB",
                 id="task-memory-above-90-percent-of-the-instance"),
    pytest.param({"worker": on_ec2(worker(cpu=64))}, ec2(), "services.worker.cpu",
                 "must be 128 to 196608 (got 64)", id="ec2-task-cpu-below-minimum"),
    pytest.param({"web": web(placement="binpack")}, None, "services.web.placement",
                 "placement strategies apply to EC2 tasks only", id="placement-on-fargate"),
]

KIND_RULES = [
    pytest.param({"worker": worker(loadBalancer={})}, None, "services.worker.loadBalancer",
                 "a worker gets no load balancer; use `kind: web`", id="load-balancer-on-worker"),
    pytest.param({"job": scheduled(loadBalancer={"paths": ["/job/*"]})}, None, "services.job.loadBalancer",
                 "a scheduled task gets no load balancer; use `kind: web`", id="load-balancer-on-scheduled"),
    pytest.param({"web": web(queue={})}, None, "services.web.queue", "only `kind: worker` services have a queue",
                 id="queue-on-web"),
    pytest.param({"job": scheduled(queue={})}, None, "services.job.queue", "only `kind: worker`",
                 id="queue-on-scheduled"),
    pytest.param({"worker": worker(schedule={"expression": "rate(1 hour)"})}, None, "services.worker.schedule",
                 "only `kind: scheduled` tasks have a schedule", id="schedule-on-worker"),
    pytest.param({"job": {"kind": "scheduled", "containers": {"main": {"image": IMAGE}}}}, None,
                 "services.job.schedule", "is required for `kind: scheduled`", id="scheduled-without-schedule"),
    pytest.param({"job": scheduled(autoscaling={"max": 3})}, None, "services.job.autoscaling",
                 "scheduled tasks are not a service; set `schedule.taskCount`", id="autoscaling-on-scheduled"),
    pytest.param({"job": scheduled(schedule={"expression": "rate(1 hour)", "timezone": "Mars/Olympus_Mons"})}, None,
                 "services.job.schedule.timezone", "'Mars/Olympus_Mons' is not an IANA time zone",
                 id="unknown-timezone"),
    pytest.param({"worker": worker(queue={"envVar": "1QUEUE"})}, None, "services.worker.queue.envVar",
                 "'1QUEUE' is not a valid environment variable name", id="queue-env-var-invalid"),
    pytest.param({"worker": worker(queue={}, containers={"main": {"image": IMAGE,
                                                                  "environment": {"QUEUE_URL": "x"}}})}, None,
                 "services.worker.containers.main.environment.QUEUE_URL", "is set by the queue (`queue.envVar`)",
                 id="queue-env-var-clashes-with-environment"),
    pytest.param({"worker": worker(queue={"envVar": "JOBS"}, containers={"main": {
        "image": IMAGE, "secrets": {"JOBS": "/prod/jobs"}}})}, None,
        "services.worker.containers.main.environment.JOBS", "is set by the queue",
        id="queue-env-var-clashes-with-secret"),
    pytest.param({"worker": worker(autoscaling={"max": 4, "messagesPerTask": 10})}, None,
                 "services.worker.autoscaling.messagesPerTask", "needs a `queue`",
                 id="messages-per-task-without-queue"),
    pytest.param({"worker": worker(queue={}, autoscaling={"max": 4, "messagesPerTask": 10, "cpuTarget": 60})}, None,
                 "services.worker.autoscaling", "would fight over the task count", id="messages-per-task-and-cpu"),
    pytest.param({"worker": worker(queue={}, autoscaling={"max": 4, "messagesPerTask": 10, "memoryTarget": 60})},
                 None, "services.worker.autoscaling", "queue scaling and CPU/memory target tracking",
                 id="messages-per-task-and-memory"),
    pytest.param({"worker": worker(autoscaling={"max": 4, "requestsPerTarget": 100})}, None,
                 "services.worker.autoscaling.requestsPerTarget", "needs `loadBalancer` (it tracks ALB requests)",
                 id="request-tracking-on-worker"),
    pytest.param({"web": web(autoscaling={"min": 0, "max": 4})}, None, "services.web.autoscaling.min",
                 "0 tasks is only for queue workers", id="min-zero-without-queue"),
    pytest.param({"worker": worker(queue={}, autoscaling={"min": 0, "max": 4})}, None,
                 "services.worker.autoscaling.min", "0 tasks is only for queue workers (`messagesPerTask`)",
                 id="min-zero-with-queue-but-cpu-scaling"),
    pytest.param({"worker": worker(queue={})}, {"network": {"nat": "none", "endpoints": {
        "s3": True, "interface": ["ecr.api", "ecr.dkr", "logs"]}}},
        "network.endpoints.interface", "workers use SQS; with `nat: none` add the `sqs` endpoint",
        id="no-nat-queue-without-sqs-endpoint"),
]

PRIVATE_NO_NAT = {"network": {"nat": "none", "endpoints": {"s3": True, "interface": ["ecr.api", "ecr.dkr", "logs"]}}}
WRITABLE_APP = {"containers": {"app": {"image": IMAGE, "ports": [8080], "readonlyRootFilesystem": False}}}

EXEC_RULES = [
    pytest.param({"job": scheduled(exec=True)}, None, "services.job.exec",
                 "a scheduled task has no ECS service to turn ECS Exec on for", id="exec-on-scheduled"),
    pytest.param({"web": web(exec=True)}, None, "services.web.containers.app.readonlyRootFilesystem",
                 "must be false with `exec: true` (true is the default): the SSM agent of ECS Exec writes to the root "
                 "filesystem (ECS developer guide, ECS Exec considerations); set it to false and accept ECS.5 for this "
                 "task definition in policies/config/test.json, or turn exec off", id="exec-with-read-only-root"),
    pytest.param({"web": {**WRITABLE_APP, "exec": True}}, PRIVATE_NO_NAT, "network.endpoints.interface",
                 "ECS Exec sessions of web reach Session Manager only through endpoints with `nat: none`; add the "
                 "`ssmmessages` endpoint", id="exec-without-nat-needs-ssmmessages"),
    pytest.param({"web": {**WRITABLE_APP, "exec": True}},
                 {"network": {"nat": "none", "endpoints": {"s3": True, "interface": [
                     "ecr.api", "ecr.dkr", "logs", "ssmmessages"]}}, "logs": {"kmsKeyArn": KMS_ARN}},
                 "network.endpoints.interface", "encrypted with `logs.kmsKeyArn` of web reach Session Manager only "
                 "through endpoints with `nat: none`; add the `kms` endpoint", id="exec-with-key-without-nat-needs-kms"),
]


def test_exec_with_writable_containers_and_a_nat_is_valid():
    cfg = make_config(services={"web": {**WRITABLE_APP, "exec": True}})
    assert cfg.services["web"].exec is True


@pytest.mark.parametrize("services,overrides,key,fragment", EXEC_RULES)
def test_exec_rule(services, overrides, key, fragment):
    assert_only_problem(services, overrides, key, fragment)


CALL_RULES = [
    pytest.param({"web": web(calls=["web"])}, None, "services.web.calls[0]",
                 "a service does not need to call itself by name", id="calls-itself"),
    pytest.param({"web": web(calls=["nope"]), "api": web(9000, loadBalancer={"paths": ["/api/*"]})}, None,
                 "services.web.calls[0]", "'nope' is not a service of this stack; services: api, web",
                 id="calls-unknown-service"),
    pytest.param({"web": web(calls=["job"]), "job": scheduled()}, None, "services.web.calls[0]",
                 "'job' is a scheduled task; only services can be called", id="calls-scheduled-task"),
    pytest.param({"web": web(calls=["worker"]), "worker": worker()}, None, "services.web.calls[0]",
                 "'worker' exposes no port", id="calls-service-without-ports"),
    pytest.param({"web": web(calls=["api", "nope"]), "api": web(9000, loadBalancer={"paths": ["/api/*"]})}, None,
                 "services.web.calls[1]", "'nope' is not a service", id="calls-key-names-the-position"),
    pytest.param({"web": web(), "job": scheduled(calls=["web"])}, None, "services.job.calls",
                 "scheduled tasks cannot call by name (Service Connect needs an ECS service)",
                 id="scheduled-task-calls"),
]


SEND_RULES = [
    pytest.param({"web": web(sends=["nope"]), "jobs": worker(queue={})}, None, "services.web.sends[0]",
                 "'nope' is not a service of this stack; workers with a queue: jobs", id="sends-to-unknown-service"),
    pytest.param({"web": web(sends=["jobs"]), "jobs": worker()}, None, "services.web.sends[0]",
                 "'jobs' is a worker without a `queue`; only a worker's queue can be sent to; no worker of this "
                 "stack has a `queue`", id="sends-to-worker-without-queue"),
    pytest.param({"web": web(sends=["api"]), "api": web(9000, loadBalancer={"paths": ["/api/*"]}),
                  "jobs": worker(queue={})}, None, "services.web.sends[0]",
                 "'api' is a web service; only a worker's queue can be sent to; workers with a queue: jobs",
                 id="sends-to-web-service"),
    pytest.param({"jobs": worker(queue={}, sends=["jobs"])}, None, "services.jobs.sends[0]",
                 "a worker does not send to its own queue through `sends`", id="sends-to-itself"),
    pytest.param({"web": web(sends=["jobs", {"service": "jobs", "env": "OTHER_URL"}]), "jobs": worker(queue={})},
                 None, "services.web.sends[1]", "'jobs' is listed twice (also at sends[0])", id="sends-twice"),
    pytest.param({"web": web(sends=["mail", {"service": "jobs", "env": "MAIL_QUEUE_URL"}]), "mail": worker(queue={}),
                  "jobs": worker(queue={})}, None, "services.web.sends[1]",
                 "MAIL_QUEUE_URL would carry the queue URLs of both 'mail' and 'jobs'; set `env` on one of them", id="sends-env-twice"),
    pytest.param({"web": web(sends=["jobs"], containers={"app": {"image": IMAGE, "ports": [8080], "environment": {
        "JOBS_QUEUE_URL": "x"}}}), "jobs": worker(queue={})}, None, "services.web.sends[0]",
                 "its URL would be in JOBS_QUEUE_URL, which container app already sets in `environment`; remove it "
                 "there or set `env`", id="sends-env-clashes-with-environment"),
    pytest.param({"web": web(sends=[{"service": "jobs", "env": "DB_URL"}], containers={"app": {
        "image": IMAGE, "ports": [8080], "secrets": {"DB_URL": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}}}),
        "jobs": worker(queue={})}, None, "services.web.sends[0]",
        "which container app already sets in `secrets`", id="sends-env-clashes-with-secret"),
    pytest.param({"fan": worker(queue={}, sends=[{"service": "jobs", "env": "QUEUE_URL"}]), "jobs": worker(queue={})},
                 None, "services.fan.sends[0]", "which carries this worker's own queue URL (`queue.envVar`)",
                 id="sends-env-clashes-with-own-queue"),
    pytest.param({"web": web(sends=[{"service": "jobs", "env": "9JOBS"}]), "jobs": worker(queue={})}, None,
                 "services.web.sends[0].env", "'9JOBS' is not a valid environment variable name",
                 id="sends-env-invalid"),
    pytest.param({"jobs": worker(queue={"contentBasedDeduplication": True})}, None,
                 "services.jobs.queue.contentBasedDeduplication",
                 "applies only to FIFO queues; set `queue.fifo: true` or remove it", id="deduplication-without-fifo"),
]


@pytest.mark.parametrize("services,overrides,key,fragment", SEND_RULES)
def test_sends_and_fifo_rule(services, overrides, key, fragment):
    assert_only_problem(services, overrides, key, fragment)


def test_a_producer_may_call_its_worker_and_the_worker_may_call_the_producer():
    cfg = valid({"web": web(sends=["jobs"]), "jobs": worker(queue={}, calls=["web"])})
    assert resolve.resolve(cfg).services["web"].sends == {"jobs": "JOBS_QUEUE_URL"}


def test_sends_names_default_and_configured_env_vars():
    cfg = valid({"web": web(sends=["thumb-nailer", {"service": "mail", "env": "MAIL_JOBS"}]),
                 "thumb-nailer": worker(queue={"fifo": True}), "mail": worker(queue={})})
    assert resolve.sends(cfg.services["web"]) == {"thumb-nailer": "THUMB_NAILER_QUEUE_URL", "mail": "MAIL_JOBS"}


@pytest.mark.parametrize("services,overrides,key,fragment", EC2_RULES)
def test_ec2_rule(services, overrides, key, fragment):
    assert_only_problem(services, overrides, key, fragment)


@pytest.mark.parametrize("services,overrides,key,fragment", KIND_RULES)
def test_workload_kind_rule(services, overrides, key, fragment):
    assert_only_problem(services, overrides, key, fragment)


@pytest.mark.parametrize("services,overrides,key,fragment", CALL_RULES)
def test_calls_rule(services, overrides, key, fragment):
    assert_only_problem(services, overrides, key, fragment)


@pytest.mark.parametrize("prefix", ["ecs-prod", "aws-team", "fargate-x"])
def test_ec2_capacity_refuses_a_reserved_provider_name_prefix(prefix):
    problem = assert_only_problem({"web": web()}, {"name": prefix, **ec2()}, "name",
                                  "ECS refuses names starting with aws, ecs, fargate; set another `name`")
    assert repr(prefix) in problem.message


def test_a_reserved_prefix_is_fine_without_ec2_capacity():
    assert resolve.prefix(valid({"web": web()}, {"name": "ecs-prod"})) == "ecs-prod"


@pytest.mark.parametrize("expression", [
    "rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(1 week)", "rate(five minutes)",
    "cron(0 3 * * ?)",  # five fields: AWS cron has six (with the year)
    "cron(0 3 * * ? * *)", "0 3 * * ? *", "every day at 3", "at(2026-12-01 09:00)", "",
])
def test_bad_schedule_expressions_are_refused(expression):
    problem = assert_only_problem({"job": scheduled(schedule={"expression": expression})}, None,
                                  "services.job.schedule.expression", "is not a schedule: use cron(")
    assert repr(expression) in problem.message


@pytest.mark.parametrize("expression", [
    "rate(1 minute)", "rate(1 hour)", "rate(5 minutes)", "rate(12 hours)", "rate(1 day)", "rate(30 days)",
    "cron(0 3 * * ? *)", "cron(30 2 ? * MON-FRI *)", "cron(0/15 * * * ? *)", "at(2026-12-01T09:00:00)",
])
def test_good_schedule_expressions_pass(expression):
    cfg = valid({"job": scheduled(schedule={"expression": expression})})
    assert cfg.services["job"].schedule.expression == expression


@pytest.mark.parametrize("expression", ["cron(0 3 * * * *)", "cron(0 9 * * MON-FRI *)", "cron(0 9 1 * MON *)"])
def test_cron_with_both_day_fields_set_is_refused(expression):
    assert_only_problem({"job": scheduled(schedule={"expression": expression})}, None,
                        "services.job.schedule.expression", "exactly one of day-of-month")


@pytest.mark.parametrize("timezone", ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"])
def test_iana_time_zones_pass(timezone):
    cfg = valid({"job": scheduled(schedule={"expression": "cron(0 3 * * ? *)", "timezone": timezone})})
    assert cfg.services["job"].schedule.timezone == timezone


# --- a section that fails its shape does not cause rule problems elsewhere ------------------------------


@pytest.mark.parametrize("cluster,key", [
    pytest.param({"ec2": {"instanceTypes": ["m7g.large"], "spotPercentage": 101}}, "cluster.ec2.spotPercentage",
                 id="bad-ec2-field"),
    pytest.param({"ec2": {"instanceTypes": ["m7g.large"]}, "containerInsights": "bogus"}, "cluster.containerInsights",
                 id="unrelated-bad-cluster-field"),
])
def test_an_unreadable_cluster_reports_only_its_own_problem(cluster, key):
    found = problems_of({"worker": on_ec2(worker())}, {"cluster": cluster})
    assert [p.key for p in found] == [key], found


def test_an_unreadable_cluster_does_not_size_its_ec2_services_as_fargate_tasks():
    found = problems_of({"worker": worker(cpu=300, memory=700)},
                        {"cluster": {"ec2": {"instanceTypes": ["m6i.large"]}, "containerInsights": "bogus",
                                     "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}]}})
    assert [p.key for p in found] == ["cluster.containerInsights"], found


def test_calling_a_service_that_failed_its_shape_reports_only_that_services_problem():
    found = problems_of({"web": web(calls=["api"]),
                         "api": worker(containers={"main": {"image": IMAGE, "ports": [9000]}},
                                       queue={"messageRetentionDays": 15})})
    assert [p.key for p in found] == ["services.api.queue.messageRetentionDays"], found


# --- valid configs ---------------------------------------------------------------------------------------


def test_a_valid_config_of_every_kind():
    cfg = valid({
        "web": web(calls=["api"]),
        "api": web(9000, loadBalancer={"paths": ["/api/*"]}),
        "worker": worker(queue={}, autoscaling={"min": 0, "max": 10, "messagesPerTask": 100}),
        "job": scheduled(capacityProviderStrategy=[{"provider": "FARGATE_SPOT", "weight": 1}]),
    })
    assert {n: s.kind for n, s in cfg.services.items()} == {
        "web": "web", "api": "web", "worker": "worker", "job": "scheduled"}


def test_a_valid_ec2_worker():
    cfg = valid({"worker": on_ec2(worker(queue={}, placement="spread", cpu=1024, memory=2048,
                                         autoscaling={"min": 0, "max": 10, "messagesPerTask": 50}))},
                ec2("m7g.large", "m6g.large", minSize=0, maxSize=6, onDemandBase=1, spotPercentage=50,
                    volumeKmsKeyArn=KMS_ARN, awsvpcTrunking=True))
    assert resolve.on_ec2(cfg, cfg.services["worker"])
    assert cfg.cluster.ec2.instance_types == ["m7g.large", "m6g.large"]


def test_a_valid_ec2_web_service_and_scheduled_task_by_the_cluster_default():
    cfg = valid({"web": web(), "job": scheduled()},
                {"cluster": {"ec2": {"instanceTypes": ["m6i.large"]},
                             "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}]}})
    assert resolve.on_ec2(cfg, cfg.services["web"]) and resolve.on_ec2(cfg, cfg.services["job"])


def test_fargate_cpu_memory_pairs_do_not_apply_to_ec2_tasks():
    cfg = valid({"worker": on_ec2(worker(cpu=300, memory=700))}, ec2())
    assert (cfg.services["worker"].cpu, cfg.services["worker"].memory) == (300, 700)
    fargate = problems_of({"worker": worker(cpu=300, memory=700, architecture="ARM64")})
    assert [p.key for p in fargate] == ["services.worker.cpu"]
    assert "is not a Fargate CPU size" in fargate[0].message


def test_a_task_using_exactly_90_percent_of_the_instance_memory_fits():
    valid({"worker": on_ec2(worker(cpu=2048, memory=7372))}, ec2("m7g.large"))


def test_no_nat_with_every_ec2_endpoint_is_valid():
    cfg = valid({"worker": on_ec2(worker())}, {"network": {"nat": "none", "endpoints": {
        "s3": True, "interface": ALL_EC2_ENDPOINTS}}, **ec2()})
    assert cfg.network.nat == "none"


def test_no_nat_queue_worker_with_the_sqs_endpoint_is_valid():
    valid({"worker": worker(queue={})}, {"network": {"nat": "none", "endpoints": {
        "s3": True, "interface": ["ecr.api", "ecr.dkr", "logs", "sqs"]}}})


def test_no_nat_queue_worker_without_any_endpoint_uses_public_ips_and_is_valid():
    valid({"worker": worker(queue={})}, {"network": {"nat": "none"}})


def test_min_size_equal_to_max_size_and_on_demand_base_equal_to_max_size_are_valid():
    group = valid({"web": web()}, ec2(minSize=3, maxSize=3, onDemandBase=3)).cluster.ec2
    assert (group.min_size, group.max_size, group.on_demand_base) == (3, 3, 3)


def test_ec2_tasks_may_set_assign_public_ip_false():
    valid({"worker": on_ec2(worker(assignPublicIp=False))}, ec2())


def test_every_problem_is_reported_at_once():
    # GIVEN five rule problems in one EC2 worker and its cluster (each value fits its own field's limits,
    # so the sections read and every rule runs)
    found = problems_of({"worker": on_ec2(worker(ephemeralStorage=30, assignPublicIp=True, placement="spread",
                                                 queue={"messageRetentionDays": 14, "deadLetterRetentionDays": 7}),
                                          architecture="X86_64")},
                        ec2(minSize=9, maxSize=3))
    assert {p.key for p in found} == {
        "cluster.ec2.minSize", "services.worker.ephemeralStorage", "services.worker.assignPublicIp",
        "services.worker.architecture", "services.worker.queue.deadLetterRetentionDays"}


def test_a_field_outside_its_limits_masks_the_rule_problems_of_its_service():
    # GIVEN the same EC2 worker, but a queue envVar that is not an environment variable name
    found = problems_of({"worker": on_ec2(worker(ephemeralStorage=30, assignPublicIp=True,
                                                 queue={"envVar": "bad-name"}), architecture="X86_64")},
                        ec2(minSize=9, maxSize=3))
    # THEN the service reports only its shape problem; the cluster's rule problem is still reported
    assert [(p.key, p.message) for p in found] == [
        ("cluster.ec2.minSize", "must not exceed maxSize (3) (got 9)"),
        ("services.worker.queue.envVar", "'bad-name' is not a valid environment variable name")]


# --- the model: kinds, defaults and shapes ---------------------------------------------------------------


def test_web_services_get_a_load_balancer_without_asking():
    cfg = valid({"web": {"containers": {"app": {"image": IMAGE, "ports": [8080]}}}})
    routing = cfg.services["web"].load_balancer
    assert routing is not None and routing.paths == ["/*"]
    assert set(resolve.web_services(cfg)) == {"web"}


def test_workers_and_scheduled_tasks_get_no_load_balancer():
    cfg = valid({"worker": worker(), "job": scheduled()})
    assert cfg.services["worker"].load_balancer is None
    assert cfg.services["job"].load_balancer is None
    assert resolve.web_services(cfg) == {}


def test_queue_and_schedule_defaults():
    cfg = valid({"worker": worker(queue={}), "job": scheduled()})
    q = cfg.services["worker"].queue
    assert (q.visibility_timeout, q.message_retention_days, q.max_receive_count, q.dead_letter_retention_days,
            q.env_var) == (60, 4, 5, 14, "QUEUE_URL")
    s = cfg.services["job"].schedule
    assert (s.timezone, s.task_count, s.retries, s.max_event_age, s.enabled) == ("UTC", 1, 2, 3600, True)


def test_ec2_capacity_defaults():
    group = valid({"web": web()}, ec2()).cluster.ec2
    assert (group.min_size, group.max_size, group.on_demand_base, group.spot_percentage, group.target_capacity,
            group.root_volume_size, group.agent_stop_timeout, group.awsvpc_trunking, group.volume_kms_key_arn) == (
        1, 4, 0, 0, 100, 30, 30, False, None)


def test_a_service_without_a_strategy_runs_where_the_cluster_default_says():
    cfg = valid({"web": web(), "worker": on_ec2(worker())},
                {"cluster": {"ec2": {"instanceTypes": ["m7g.large"]},
                             "capacityProviderStrategy": [{"provider": "FARGATE", "weight": 1}]}})
    assert not resolve.on_ec2(cfg, cfg.services["web"])
    assert resolve.on_ec2(cfg, cfg.services["worker"])
    assert [i.provider for i in resolve.strategy(cfg, cfg.services["web"])] == ["FARGATE"]


@pytest.mark.parametrize("services,overrides,key", [
    pytest.param({"web": web()}, ec2(spotPercentage=101), "cluster.ec2.spotPercentage", id="spot-above-100"),
    pytest.param({"web": web()}, ec2(targetCapacity=0), "cluster.ec2.targetCapacity", id="target-capacity-0"),
    pytest.param({"web": web()}, ec2(rootVolumeSize=20), "cluster.ec2.rootVolumeSize", id="root-volume-below-ami"),
    pytest.param({"web": web()}, ec2(agentStopTimeout=121), "cluster.ec2.agentStopTimeout", id="stop-timeout"),
    pytest.param({"web": web()}, {"cluster": {"ec2": {"instanceTypes": []}}}, "cluster.ec2.instanceTypes",
                 id="no-instance-types"),
    pytest.param({"web": web()}, {"cluster": {"capacityProviderStrategy": [{"provider": "EC3", "weight": 1}]}},
                 "cluster.capacityProviderStrategy[0].provider", id="unknown-provider"),
    pytest.param({"w": worker(placement="random")}, None, "services.w.placement", id="unknown-placement"),
    pytest.param({"w": {**worker(), "kind": "cron"}}, None, "services.w.kind", id="unknown-kind"),
    pytest.param({"w": worker(queue={"messageRetentionDays": 15})}, None,
                 "services.w.queue.messageRetentionDays", id="queue-retention-above-14-days"),
    pytest.param({"w": worker(queue={"visibilityTimeout": 43201})}, None,
                 "services.w.queue.visibilityTimeout", id="visibility-above-12-hours"),
    pytest.param({"w": worker(queue={"maxReceiveCount": 0})}, None, "services.w.queue.maxReceiveCount",
                 id="max-receive-count-0"),
    pytest.param({"j": scheduled(schedule={"expression": "rate(1 hour)", "retries": 186})}, None,
                 "services.j.schedule.retries", id="retries-above-185"),
    pytest.param({"j": scheduled(schedule={"expression": "rate(1 hour)", "maxEventAge": 59})}, None,
                 "services.j.schedule.maxEventAge", id="event-age-below-60"),
    pytest.param({"j": scheduled(schedule={"expression": "rate(1 hour)", "taskCount": 11})}, None,
                 "services.j.schedule.taskCount", id="task-count-above-10"),
    pytest.param({"j": scheduled(schedule={"timezone": "UTC"})}, None, "services.j.schedule.expression",
                 id="schedule-without-expression"),
])
def test_shape_constraints_name_their_key(services, overrides, key):
    assert key in [p.key for p in problems_of(services, overrides)]


# --- connect_port ----------------------------------------------------------------------------------------


def test_connect_port_is_the_load_balancer_target_of_a_web_service():
    cfg = valid({"web": {"containers": {"proxy": {"image": IMAGE, "ports": [80]},
                                        "app": {"image": IMAGE, "ports": [8080, 9090]}},
                         "loadBalancer": {"container": "app", "port": 9090}}})
    assert connect_port(cfg.services["web"]) == ("app", 9090)


def test_connect_port_of_a_worker_is_its_first_containers_first_port():
    cfg = valid({"w": {"kind": "worker", "containers": {"b": {"image": IMAGE, "ports": [7000, 7001]},
                                                        "a": {"image": IMAGE}}}})
    assert connect_port(cfg.services["w"]) == ("b", 7000)
    assert connect_port(valid({"w": worker()}).services["w"]) is None


def test_queue_scaling_needs_container_insights():
    found = problems_of({"worker": worker(queue={}, autoscaling={"min": 0, "max": 4, "messagesPerTask": 10})},
                        {"cluster": {"containerInsights": "disabled"}})
    assert [p.key for p in found] == ["services.worker.autoscaling.messagesPerTask"]
    assert "Container Insights" in found[0].message


def test_dead_letter_queue_keeps_messages_at_least_as_long_as_the_queue():
    found = problems_of({"worker": worker(queue={"messageRetentionDays": 14, "deadLetterRetentionDays": 7})})
    assert [p.key for p in found] == ["services.worker.queue.deadLetterRetentionDays"]
    assert "messages keep their age" in found[0].message


# --- logging, environment files, registry credentials (`rules/log_routing.py`, `rules/containers.py`) ------------

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:logs/token-AbCdEf"
FIRELENS = {"driver": "firelens"}
OTHER_REGISTRY = "registry.example.com/team/web:1.4.2"


def web_logging(**logging: Any) -> dict[str, Any]:
    return web(logging=logging)


LOGGING_RULES = [
    pytest.param({"web": web_logging(options={"Name": "http"})}, None, "services.web.logging.options",
                 "applies to `driver: firelens` only; awslogs sends each container to the service's log group",
                 id="options-with-awslogs"),
    pytest.param({"web": web_logging(maxBufferSize="25m")}, None, "services.web.logging.maxBufferSize",
                 "needs `mode: non-blocking`: only that mode buffers logs", id="buffer-without-non-blocking"),
    pytest.param({"web": web_logging(mode="blocking", maxBufferSize="25m")}, None,
                 "services.web.logging.maxBufferSize", "needs `mode: non-blocking`", id="buffer-with-blocking"),
    pytest.param({"web": web_logging(**FIRELENS, mode="non-blocking")}, None, "services.web.logging.mode",
                 "applies to `driver: awslogs` only; with firelens the router buffers", id="mode-with-firelens"),
    pytest.param({"web": web_logging(**FIRELENS, options={"Host": "logs.example.com"})}, None,
                 "services.web.logging.options", "needs `Name`, the Fluent Bit output plugin",
                 id="firelens-output-without-name"),
    pytest.param({"web": web_logging(**FIRELENS, options={"Name": "http", "HTTP_Passwd": "x"},
                                     secretOptions={"HTTP_Passwd": SECRET})}, None,
                 "services.web.logging.secretOptions.HTTP_Passwd", "is also set in `options`; keep one",
                 id="option-both-plain-and-secret"),
    pytest.param({"web": {"containers": {"log_router": {"image": IMAGE, "ports": [8080]}}, "logging": FIRELENS}},
                 None, "services.web.containers.log_router", "is the name of the FireLens sidecar",
                 id="container-named-like-the-router"),
    pytest.param({"web": {"containers": {f"c{i}": {"image": IMAGE, **({"ports": [8080]} if i == 0 else {})}
                                         for i in range(10)},
                          "logging": FIRELENS}}, None, "services.web.containers",
                 "10 containers and the log router; a task definition holds at most 10", id="router-is-the-11th"),
    pytest.param({"web": web_logging(**FIRELENS, router={"cpu": 300})}, None, "services.web.containers",
                 "container cpu adds up to 300 with the log router, more than the task's cpu 256", id="router-cpu"),
    pytest.param({"web": {"containers": {"app": {"image": IMAGE, "ports": [8080], "memoryReservation": 480}},
                          "logging": FIRELENS}}, None, "services.web.containers",
                 "container memory adds up to 530 MiB with the log router, more than the task's memory 512 MiB "
                 "(the default)", id="router-memory-reservation-counts"),
    pytest.param({"web": web_logging(**FIRELENS, router={"memory": 32})}, None, "services.web.logging.router.memory",
                 "must not be below memoryReservation (50 MiB) (got 32)", id="router-hard-limit-below-reservation"),
    pytest.param({"web": {"containers": {"app": {"image": {**IMAGE, "credentialsSecretArn": SECRET},
                                                 "ports": [8080]}}}}, None,
                 "services.web.containers.app.image.credentialsSecretArn",
                 "is in ECR, which the execution role pulls from without registry credentials", id="creds-for-ecr"),
    pytest.param({"web": {"containers": {"app": {"image": {"build": {"context": "./app"}, "credentialsSecretArn": SECRET},
                                                 "ports": [8080]}}}}, None,
                 "services.web.containers.app.image.credentialsSecretArn",
                 "applies to an image given by `uri`; the stack's own ECR repository", id="creds-for-a-build"),
    pytest.param({"web": web_logging(**FIRELENS)}, PRIVATE_NO_NAT, "services.web.logging.router.image",
                 "'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.31.11' is not in us-east-1's private ECR; "
                 "with `nat: none` private tasks pull only through the ECR endpoints", id="router-from-ecr-public-no-nat"),
]


def test_a_router_copied_to_this_regions_ecr_starts_without_a_nat():
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:2.31.11"
    cfg = make_config(PRIVATE_NO_NAT, services={"web": web_logging(**FIRELENS, router={"image": image})})
    assert cfg.services["web"].logging.router.image == image


@pytest.mark.parametrize("services,overrides,key,fragment", LOGGING_RULES)
def test_logging_rule(services, overrides, key, fragment):
    assert_only_problem(services, overrides, key, fragment)


ENV_FILE_SHAPES = [
    pytest.param(["https://acme.example.com/web.env"], "services.web.containers.app.environmentFiles[0]",
                 "'https://acme.example.com/web.env' is not an S3 object URI; write s3://<bucket>/<key>.env",
                 id="not-s3"),
    pytest.param(["s3://acme-config/web.txt"], "services.web.containers.app.environmentFiles[0]",
                 "'s3://acme-config/web.txt' has no .env extension", id="wrong-extension"),
    pytest.param(["s3://acme-config/web/.env"], "services.web.containers.app.environmentFiles[0]",
                 "has no .env extension", id="only-an-extension"),
    pytest.param([f"s3://acme-config/{i}.env" for i in range(11)], "services.web.containers.app.environmentFiles",
                 "lists 11 files; a container takes at most 10 environment files", id="eleven-files"),
    pytest.param(["s3://acme-config/a.env", "s3://acme-config/a.env"], "services.web.containers.app.environmentFiles",
                 "lists s3://acme-config/a.env more than once", id="twice"),
]


@pytest.mark.parametrize("files,key,fragment", ENV_FILE_SHAPES)
def test_environment_files_must_be_s3_env_objects_at_most_ten(files, key, fragment):
    found = problems_of({"web": {"containers": {"app": {"image": IMAGE, "ports": [8080], "environmentFiles": files}}}})
    assert [p.key for p in found] == [key], found
    assert fragment in found[0].message


def test_a_buffer_size_is_a_docker_size_string():
    found = problems_of({"web": web_logging(mode="non-blocking", maxBufferSize="25 megabytes")})
    assert [(p.key, p.message) for p in found] == [(
        "services.web.logging.maxBufferSize", "must be a size such as 25m, 512k or 1g (bytes with an optional k, m "
                                              "or g) (got '25 megabytes')")]


def test_credentials_must_be_a_secrets_manager_arn():
    found = problems_of({"web": {"containers": {"app": {
        "image": {"uri": OTHER_REGISTRY, "credentialsSecretArn": "/registry/password"}, "ports": [8080]}}}})
    assert [p.key for p in found] == ["services.web.containers.app.image.credentialsSecretArn"]
    assert found[0].message.startswith("must be a Secrets Manager secret ARN")


def test_valid_logging_environment_files_and_registry_credentials():
    cfg = make_config(services={
        "web": {"containers": {"app": {"image": {"uri": OTHER_REGISTRY, "credentialsSecretArn": SECRET},
                                       "ports": [8080], "environmentFiles": ["s3://acme-config/web/prod.env"]}},
                "logging": {**FIRELENS, "options": {"Name": "http", "Host": "logs.example.com"},
                            "secretOptions": {"HTTP_Passwd": SECRET}, "router": {"cpu": 64}}},
        "worker": worker(logging={"mode": "non-blocking", "maxBufferSize": "25m"})})
    assert cfg.services["web"].logging.router.cpu == 64
    assert resolve.log_router(cfg.services["worker"]) is None
