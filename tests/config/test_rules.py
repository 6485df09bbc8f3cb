"""Every validation rule of `deploy/config/rules/`, and the single-field limits of the model
(`deploy/config/model/types.py`) that matter, each shown by one failing config: the problem
must name its exact config key and say what is allowed.

Each case starts from the valid one-web-service config of `conftest.raw_config` and
replaces one top-level key (`overrides`), so the problem under test is the only one.
"""

from __future__ import annotations

from typing import Any

import pytest

from deploy.config import resolve
from deploy.config.parse import load, parse
from deploy.config.problems import ConfigError, Problem
from tests.conftest import FIXTURES, PRIVATE_IMAGE, PROJECT, ROOT, make_config, raw_config, service

IMAGE_URI = PRIVATE_IMAGE
CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
KMS_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
EXISTING = {"vpcId": "vpc-0abc123", "publicSubnetIds": ["subnet-a", "subnet-b"],
            "privateSubnetIds": ["subnet-c", "subnet-d"]}
TF_STATE = "tests/fixtures/terraform/vpc.tfstate"


# --- builders ----------------------------------------------------------------------------


def container(**fields: Any) -> dict[str, Any]:
    """A container running IMAGE_URI, with `fields` added."""
    return {"image": {"uri": IMAGE_URI}, **fields}


def web(**fields: Any) -> dict[str, Any]:
    """Overrides replacing the services with the minimal `web` service with `fields` replaced."""
    return {"services": {"web": service(**fields)}}


def web_containers(**containers: dict[str, Any]) -> dict[str, Any]:
    return web(containers=containers)


def web_lb(**routing: Any) -> dict[str, Any]:
    return web(loadBalancer=routing)


def web_lb_health(**health_check: Any) -> dict[str, Any]:
    return web(loadBalancer={"healthCheck": health_check})


def problems_of(overrides: dict[str, Any] | None = None, stack: str = "test") -> list[Problem]:
    """Parse the config; it must fail. Returns every problem reported."""
    with pytest.raises(ConfigError) as info:
        parse(raw_config(overrides, stack))
    return info.value.problems


def assert_only_problem(overrides: dict[str, Any] | None, key: str, fragment: str, stack: str = "test") -> Problem:
    """The config fails with exactly one problem, at `key`, whose message contains `fragment`."""
    found = problems_of(overrides, stack)
    assert [p.key for p in found] == [key], found
    assert fragment in found[0].message, found[0]
    return found[0]


# --- one failing config per rule ---------------------------------------------------------

TASK_SIZE = [
    pytest.param(web(cpu=300), "services.web.cpu",
                 "300 is not a Fargate CPU size; use one of 256, 512, 1024, 2048, 4096, 8192, 16384",
                 id="cpu-not-a-fargate-size"),
    pytest.param(web(cpu=512, memory=512), "services.web.memory",
                 "512 MiB is not allowed with cpu 512; Fargate allows 1024 to 4096 in steps of 1024 MiB",
                 id="memory-not-allowed-with-cpu-lists-range"),
    pytest.param(web(cpu=256, memory=4096), "services.web.memory",
                 "Fargate allows 512, 1024 or 2048 MiB", id="cpu-256-row-is-irregular"),
    pytest.param(web(cpu=16384, memory=122880 + 8192), "services.web.memory",
                 "32768 to 122880 in steps of 8192", id="cpu-16384-above-120-gib"),
    pytest.param(web(ephemeralStorage=20), "services.web.ephemeralStorage",
                 "must be 21 to 200 GiB (got 20)", id="ephemeral-storage-20-gib"),
]

CONTAINERS = [
    pytest.param(web_containers(app=container(ports=[8080], cpu=200), side=container(cpu=100)),
                 "services.web.containers", "container cpu adds up to 300, more than the task's cpu 256 (the default)",
                 id="container-cpu-sum-above-task"),
    pytest.param(web_containers(app=container(ports=[8080], memory=400), side=container(memoryReservation=200)),
                 "services.web.containers", "container memory adds up to 600 MiB, more than the task's memory 512 MiB (the default)",
                 id="container-memory-sum-above-task"),
    pytest.param(web_containers(app=container(ports=[8080], memory=100, memoryReservation=200)),
                 "services.web.containers.app.memoryReservation", "must not exceed memory (100 MiB) (got 200)",
                 id="memory-reservation-above-memory"),
    pytest.param(web_containers(app=container(ports=[8080]), **{f"side{i}": container() for i in range(10)}),
                 "services.web.containers", "11 containers; a task definition holds at most 10",
                 id="eleven-containers"),
    pytest.param(web_containers(app=container(ports=[8080], essential=False)),
                 "services.web.containers", "at least one container must be essential", id="no-essential-container"),
    pytest.param(web_containers(app=container(ports=[8080], dependsOn=[{"container": "db"}])),
                 "services.web.containers.app.dependsOn[0].container",
                 "'db' is not a container of this task; containers: app", id="depends-on-missing-container"),
    pytest.param(web_containers(app=container(ports=[8080], dependsOn=[{"container": "app"}])),
                 "services.web.containers.app.dependsOn[0].container", "a container cannot depend on itself",
                 id="depends-on-itself"),
    pytest.param(web_containers(app=container(ports=[8080],
                                              dependsOn=[{"container": "side", "condition": "HEALTHY"}]),
                                side=container()),
                 "services.web.containers.app.dependsOn[0].condition", "HEALTHY needs a healthCheck on container 'side'",
                 id="depends-on-healthy-without-health-check"),
    pytest.param(web_containers(app=container(ports=[8080], healthCheck={"command": ["CMD", "true"],
                                                                         "interval": 5, "timeout": 5})),
                 "services.web.containers.app.healthCheck.timeout", "must be less than the interval",
                 id="container-health-check-timeout-equals-interval"),
    pytest.param(web_containers(app=container(ports=[0])), "services.web.containers.app.ports[0]",
                 "must be 1 to 65535 (got 0)", id="port-0"),
    pytest.param(web_containers(app=container(ports=[8080, 70000])), "services.web.containers.app.ports[1]",
                 "must be 1 to 65535 (got 70000)", id="port-70000"),
    pytest.param(web(loadBalancer={"container": "app"},
                     containers={"app": container(ports=[8080]), "side": container(ports=[8080])}),
                 "services.web.containers.side.ports", "port 8080 is already used by container 'app'",
                 id="duplicate-port-across-containers"),
    pytest.param(web_containers(**{"app.v2": container(ports=[8080])}), "services.web.containers.app.v2",
                 "must be letters, digits, hyphens and underscores (up to 255) (got 'app.v2')",
                 id="container-name-with-dot"),
    pytest.param(web_containers(app={"image": {"uri": IMAGE_URI, "build": {"context": "./app"}}, "ports": [8080]}),
                 "services.web.containers.app.image", "set exactly one of `uri` (an image URI) or `build`",
                 id="image-with-uri-and-build"),
    pytest.param(web_containers(app={"image": {}, "ports": [8080]}),
                 "services.web.containers.app.image", "set exactly one of `uri` (an image URI) or `build`",
                 id="image-with-neither"),
    pytest.param(web_containers(app=container(ports=[8080], secrets={"DB_URL": "arn:aws:s3:::bucket/key"})),
                 "services.web.containers.app.secrets.DB_URL",
                 "must be a Secrets Manager secret ARN, an SSM parameter ARN, or an SSM parameter name",
                 id="secret-is-an-s3-arn"),
    pytest.param(web_containers(app=container(ports=[8080], secrets={"DB_URL": "not a parameter"})),
                 "services.web.containers.app.secrets.DB_URL", "an SSM parameter name such as /app/db-password",
                 id="secret-is-garbage"),
    pytest.param(web_containers(app=container(ports=[8080], environment={"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE"})),
                 "services.web.containers.app.environment.AWS_ACCESS_KEY_ID",
                 "AWS credentials must not be set in a task definition (FSBP ECS.8)", id="env-aws-access-key-id"),
    pytest.param(web_containers(app=container(ports=[8080], environment={"DB_URL": "x"},
                                              secrets={"DB_URL": "/app/db-url"})),
                 "services.web.containers.app.secrets.DB_URL", "is also set in `environment`; keep one",
                 id="same-name-in-environment-and-secrets"),
    pytest.param(web_containers(app=container(ports=[8080], environment={"1ST": "x"})),
                 "services.web.containers.app.environment.1ST", "'1ST' is not a valid environment variable name",
                 id="env-name-starting-with-digit"),
    pytest.param(web_containers(app=container(ports=[8080], writablePaths=["/tmp", "var/cache"])),
                 "services.web.containers.app.writablePaths[1]",
                 "must be an absolute path (got 'var/cache')",
                 id="writable-path-relative"),
]

ROUTING = [
    pytest.param(web_lb(container="nope"), "services.web.loadBalancer.container",
                 "'nope' is not a container of this service; containers: app", id="lb-container-missing"),
    pytest.param(web_lb(port=9090), "services.web.loadBalancer.port",
                 "container 'app' does not expose port 9090; its ports: [8080]", id="lb-port-not-exposed"),
    pytest.param(web_containers(app=container()), "services.web.loadBalancer.container",
                 "no container has `ports`", id="no-container-with-ports"),
    pytest.param(web_containers(app=container(ports=[8080]), side=container(ports=[9090])),
                 "services.web.loadBalancer.container",
                 "name the container to route to (several containers have ports)", id="several-with-ports-none-named"),
    pytest.param(web_lb(paths=["/", "api/*"]), "services.web.loadBalancer.paths[1]",
                 "must be a path starting with '/' (got 'api/*')",
                 id="listener-path-without-slash"),
    pytest.param(web_lb(paths=[]), "services.web.loadBalancer.paths", "a listener rule needs `paths` or `hosts`",
                 id="no-paths-no-hosts"),
    pytest.param(web_lb(priority=0), "services.web.loadBalancer.priority", "must be 1 to 50000 (got 0)",
                 id="priority-0"),
    pytest.param(web_lb_health(path="health"), "services.web.loadBalancer.healthCheck.path",
                 "must be a path starting with '/' (got 'health')", id="health-check-path-without-slash"),
    pytest.param(web_lb_health(interval=10, timeout=10), "services.web.loadBalancer.healthCheck.timeout",
                 "must be less than the interval (10 s) (got 10 s)", id="health-check-timeout-equals-interval"),
    pytest.param(web_lb_health(interval=4, timeout=2), "services.web.loadBalancer.healthCheck.interval",
                 "must be 5 to 300 s (got 4)", id="health-check-interval-4"),
    pytest.param(web_lb_health(interval=301), "services.web.loadBalancer.healthCheck.interval",
                 "must be 5 to 300 s (got 301)", id="health-check-interval-301"),
    pytest.param(web_lb_health(timeout=1), "services.web.loadBalancer.healthCheck.timeout",
                 "must be 2 to 120 s (got 1)", id="health-check-timeout-1"),
    pytest.param(web_lb_health(healthyThreshold=1), "services.web.loadBalancer.healthCheck.healthyThreshold",
                 "must be 2 to 10 (got 1)", id="healthy-threshold-1"),
    pytest.param(web_lb_health(unhealthyThreshold=11), "services.web.loadBalancer.healthCheck.unhealthyThreshold",
                 "must be 2 to 10 (got 11)", id="unhealthy-threshold-11"),
    pytest.param(web_lb(deregistrationDelay=3601), "services.web.loadBalancer.deregistrationDelay",
                 "must be 0 to 3600 s (got 3601)", id="deregistration-delay-3601"),
    pytest.param(web_lb(deregistrationDelay=-1), "services.web.loadBalancer.deregistrationDelay",
                 "must be 0 to 3600 s (got -1)", id="deregistration-delay-negative"),
    pytest.param(web_lb_health(matcher="2xx"), "services.web.loadBalancer.healthCheck.matcher",
                 "must be HTTP codes from 200 to 499, like 200 or 200-399 (got '2xx')", id="matcher-2xx"),
    pytest.param(web_lb_health(matcher="200-599"), "services.web.loadBalancer.healthCheck.matcher",
                 "from 200 to 499", id="matcher-above-499"),
]

ROUTING_CONFLICTS = [
    pytest.param({"services": {"web": service(loadBalancer={"paths": ["/web/*"], "priority": 10}),
                               "api": service(loadBalancer={"paths": ["/api/*"], "priority": 10})}},
                 "services.api.loadBalancer.priority", "10 is already used by service 'web'",
                 id="duplicate-listener-priority"),
    pytest.param({"services": {"web": service(loadBalancer={"paths": ["/a", "/b"]}),
                               "api": service(loadBalancer={"paths": ["/b", "/a"]})}},
                 "services.api.loadBalancer", "routes the same hosts and paths as service 'web'",
                 id="identical-routing-conditions"),
]

NETWORK = [
    pytest.param({"network": {"nat": "single", "natInstance": {"type": "t4g.nano"}}}, "network.natInstance",
                 "applies only with `nat: instance` (nat is 'single')", id="nat-instance-settings-without-instance"),
    pytest.param({"network": {"cidr": "10.0.0.1/16"}}, "network.cidr",
                 "'10.0.0.1/16' is not a valid IPv4 network address", id="cidr-with-host-bits"),
    pytest.param({"network": {"cidr": "banana"}}, "network.cidr", "'banana' is not a valid IPv4 network address",
                 id="cidr-garbage"),
    pytest.param({"network": {"cidr": "10.0.0.0/24"}}, "network.cidr", "/24 is too small", id="vpc-24-too-small"),
    pytest.param({"network": {"cidr": "10.0.0.0/8"}}, "network.cidr", "/8 is too large", id="vpc-8-too-large"),
    pytest.param({"network": {"azCount": 3, "availabilityZones": ["us-east-1a", "us-east-1b"]}},
                 "network.availabilityZones", "lists 2 zones but azCount is 3", id="zones-count-mismatch"),
    pytest.param({"network": {"availabilityZones": ["us-east-1a", "us-east-1a"]}},
                 "network.availabilityZones", "lists a zone twice", id="zones-duplicate"),
    pytest.param({"network": {"availabilityZones": ["us-east-1a", "eu-west-1b"]}},
                 "network.availabilityZones", "'eu-west-1b' is not a zone of us-east-1", id="zone-of-another-region"),
    pytest.param({"network": {"existing": EXISTING, "nat": "none"}}, "network.nat",
                 "cannot be set with `network.existing`", id="existing-with-nat"),
    pytest.param({"network": {"existing": EXISTING, "cidr": "10.0.0.0/16"}}, "network.cidr",
                 "cannot be set with `network.existing`", id="existing-with-default-cidr-set-explicitly"),
    pytest.param({"network": {"existing": EXISTING, "azCount": 2}}, "network.azCount",
                 "cannot be set with `network.existing`", id="existing-with-az-count"),
    pytest.param({"network": {"existing": {**EXISTING, "privateSubnetIds": ["subnet-c", "subnet-d", "subnet-e"]}}},
                 "network.existing", "give as many public as private subnets", id="existing-unequal-subnets"),
    pytest.param({"network": {"nat": "none", "endpoints": {"interface": ["ecr.api"]}}}, "network.endpoints",
                 "add ecr.dkr, logs, s3 (or use a NAT)", id="nat-none-partial-interface-endpoints"),
    pytest.param({"network": {"nat": "none", "endpoints": {"s3": True}}}, "network.endpoints",
                 "add ecr.api, ecr.dkr, logs (or use a NAT)", id="nat-none-s3-endpoint-only"),
    pytest.param({"network": {"existing": {"vpcId": "vpc-0abc123", "fromTerraform": {"state": TF_STATE}}}},
                 "network.existing.vpcId", "cannot be set with `fromTerraform`, which reads it from the state's "
                 "outputs; remove one or the other", id="existing-ids-and-from-terraform"),
    pytest.param({"network": {"existing": {"publicSubnetIds": ["subnet-a", "subnet-b"],
                                           "privateSubnetIds": ["subnet-c", "subnet-d"]}}},
                 "network.existing.vpcId", "is required (or `fromTerraform`, to read the IDs from a Terraform "
                 "state)", id="existing-without-vpc-id"),
    pytest.param({"network": {"existing": EXISTING, "endpoints": {"s3": True}}},
                 "network.existing.privateRouteTableIds", "is required with `network.endpoints.s3`: the S3 gateway "
                 "endpoint is a route in the private subnets' route tables", id="existing-s3-endpoint-no-tables"),
    pytest.param({"network": {"existing": {**EXISTING, "privateRouteTableIds": ["rtb-0a1b2c3d"]}}},
                 "network.existing.privateRouteTableIds", "applies only with `network.endpoints.s3`",
                 id="existing-route-tables-without-s3-endpoint"),
    pytest.param({"network": {"existing": {"fromTerraform": {"state": "tests/fixtures/terraform/absent.tfstate"}}}},
                 "network.existing.fromTerraform.state", "'tests/fixtures/terraform/absent.tfstate' does not exist",
                 id="terraform-state-missing"),
]

def scheduled(*schedules: dict[str, Any]) -> dict[str, Any]:
    """The web service autoscaled 1..4 with these schedules."""
    return web(autoscaling={"max": 4, "schedules": list(schedules)})


PEAK = {"name": "peak", "expression": "cron(0 7 ? * MON-FRI *)", "min": 4, "max": 10}
SCHEDULES = [
    pytest.param(scheduled({**PEAK, "min": 12}), "services.web.autoscaling.schedules[0].min",
                 "must not exceed max (10) (got 12)", id="schedule-min-above-max"),
    pytest.param(scheduled({"name": "peak", "expression": "rate(1 day)", "min": 6}),
                 "services.web.autoscaling.schedules[0].min",
                 "is above autoscaling max (4) and the schedule gives no max; give a max of at least 6 too (got 6)",
                 id="schedule-lone-min-above-max"),
    pytest.param({"services": {"web": service(desiredCount=2, autoscaling={"min": 2, "max": 4, "schedules": [
                     {"name": "night", "expression": "rate(1 day)", "max": 1}]})}},
                 "services.web.autoscaling.schedules[0].max",
                 "is below autoscaling min (2) and the schedule gives no min; give a min of at most 1 too (got 1)",
                 id="schedule-lone-max-below-min"),
    pytest.param(scheduled({"name": "peak", "expression": "rate(1 day)"}), "services.web.autoscaling.schedules[0]",
                 "sets neither min nor max; give one or both", id="schedule-without-min-or-max"),
    pytest.param(scheduled(PEAK, {**PEAK, "expression": "rate(1 day)"}), "services.web.autoscaling.schedules",
                 "gives the name peak more than once", id="schedule-names-repeated"),
    pytest.param(scheduled({**PEAK, "name": "peak/weekday"}), "services.web.autoscaling.schedules[0].name",
                 "without :, / or |", id="schedule-name-with-slash"),
    pytest.param(scheduled({**PEAK, "name": "x" * 257}), "services.web.autoscaling.schedules[0].name",
                 "1 to 256 characters", id="schedule-name-too-long"),
    pytest.param(scheduled({**PEAK, "expression": "cron(0 7 * * * *)"}),
                 "services.web.autoscaling.schedules[0].expression", "exactly one of day-of-month",
                 id="schedule-cron-without-question-mark"),
    pytest.param(scheduled({**PEAK, "expression": "rate(0 hours)"}),
                 "services.web.autoscaling.schedules[0].expression", "is not a schedule", id="schedule-rate-zero"),
    pytest.param(scheduled({**PEAK, "expression": "at(2026-02-30T07:00:00)"}),
                 "services.web.autoscaling.schedules[0].expression", "is not a date and time", id="schedule-at-no-date"),
    pytest.param(scheduled({**PEAK, "timezone": "Europe/Munich"}), "services.web.autoscaling.schedules[0].timezone",
                 "'Europe/Munich' is not an IANA time zone", id="schedule-unknown-time-zone"),
    pytest.param(scheduled({**PEAK, "max": 5001}), "services.web.autoscaling.schedules[0].max",
                 "must be 0 to 5000 (got 5001)", id="schedule-max-above-the-ecs-quota"),
    pytest.param(scheduled({**PEAK, "startTime": "2026-12-01 07:00"}), "services.web.autoscaling.schedules[0].startTime",
                 "'2026-12-01 07:00' is not an RFC 3339 date and time with its offset", id="schedule-start-not-rfc3339"),
    pytest.param(scheduled({**PEAK, "endTime": "2026-12-01T07:00:00"}), "services.web.autoscaling.schedules[0].endTime",
                 "is not an RFC 3339 date and time with its offset", id="schedule-end-without-offset"),
    pytest.param(scheduled({**PEAK, "startTime": "2026-12-24T18:00:00+01:00", "endTime": "2026-12-24T17:00:00Z"}),
                 "services.web.autoscaling.schedules[0].endTime",
                 "must be after startTime (2026-12-24T18:00:00+01:00) (got 2026-12-24T17:00:00Z)",
                 id="schedule-ends-when-it-starts"),
]


def predictive(**fields: Any) -> dict[str, Any]:
    return web(autoscaling={"max": 4, "predictive": {"targetValue": 60, **fields}})


PREDICTIVE = [
    pytest.param({"services": {"worker": {"kind": "worker", "containers": {"app": container()},
                                          "autoscaling": {"max": 4, "predictive": {"metric": "requests",
                                                                                   "targetValue": 100}}}}},
                 "services.worker.autoscaling.predictive.metric", "it needs `loadBalancer` (use cpu or memory)",
                 id="predictive-requests-without-load-balancer"),
    pytest.param(predictive(metric="memory", targetValue=150), "services.web.autoscaling.predictive.targetValue",
                 "is a memory utilisation: must be 1 to 100 % (got 150)", id="predictive-memory-above-100"),
    pytest.param(predictive(maxCapacityBreachBehavior="IncreaseMaxCapacity"),
                 "services.web.autoscaling.predictive.maxCapacityBuffer", "is required with maxCapacityBreachBehavior",
                 id="predictive-increase-without-buffer"),
    pytest.param(predictive(maxCapacityBuffer=10), "services.web.autoscaling.predictive.maxCapacityBuffer",
                 "applies only with maxCapacityBreachBehavior IncreaseMaxCapacity (it is HonorMaxCapacity)",
                 id="predictive-buffer-without-increase"),
    pytest.param(predictive(mode="Forecast"), "services.web.autoscaling.predictive.mode",
                 "'ForecastOnly' or 'ForecastAndScale'", id="predictive-unknown-mode"),
    pytest.param(predictive(schedulingBufferTime=3600), "services.web.autoscaling.predictive.schedulingBufferTime",
                 "must be 0 to 3599 s (got 3600)", id="predictive-buffer-time-of-an-hour"),
    pytest.param(predictive(targetValue=None), "services.web.autoscaling.predictive.targetValue",
                 "must be a whole number", id="predictive-without-target"),
]

SCALING = [
    pytest.param(web(desiredCount=10, autoscaling={"min": 1, "max": 4}), "services.web.desiredCount",
                 "must be within autoscaling min 1 and max 4 (got 10)", id="desired-count-above-max"),
    pytest.param(web(desiredCount=1, autoscaling={"min": 2, "max": 4}), "services.web.desiredCount",
                 "must be within autoscaling min 2 and max 4 (got 1)", id="desired-count-below-min"),
    pytest.param(web(autoscaling={"max": 4, "cpuTarget": 0}), "services.web.autoscaling.cpuTarget",
                 "must be 1 to 100 (got 0)", id="cpu-target-0"),
    pytest.param(web(autoscaling={"max": 4, "cpuTarget": 101}), "services.web.autoscaling.cpuTarget",
                 "must be 1 to 100 (got 101)", id="cpu-target-101"),
    pytest.param(web(autoscaling={"max": 4, "memoryTarget": 101}), "services.web.autoscaling.memoryTarget",
                 "must be 1 to 100 (got 101)", id="memory-target-101"),
    pytest.param({"services": {"worker": {"kind": "worker", "containers": {"app": container()},
                                          "autoscaling": {"max": 4, "requestsPerTarget": 100}}}},
                 "services.worker.autoscaling.requestsPerTarget", "needs `loadBalancer`",
                 id="requests-per-target-without-load-balancer"),
    pytest.param(web(desiredCount=0, autoscaling={"min": 0, "max": 4}), "services.web.autoscaling.min",
                 "0 tasks is only for queue workers", id="autoscaling-to-zero-without-queue"),
    *SCHEDULES,
    *PREDICTIVE,
]

LOAD_BALANCER = [
    pytest.param({"loadBalancer": {"https": True}}, "loadBalancer.https", "HTTPS needs a certificate",
                 id="https-without-certificate"),
    pytest.param({"loadBalancer": {"domain": "app.example.com"}}, "loadBalancer.hostedZoneId",
                 "is required with `domain`", id="domain-without-hosted-zone"),
    pytest.param({"loadBalancer": {"hostedZoneId": "Z0123456789ABC"}}, "loadBalancer.domain",
                 "is required with `hostedZoneId`", id="hosted-zone-without-domain"),
    pytest.param({"loadBalancer": {"certificateArn": CERT_ARN, "domain": "app.example.com",
                                   "hostedZoneId": "Z0123456789ABC"}},
                 "loadBalancer.domain", "set either `certificateArn` or `domain` + `hostedZoneId`, not both",
                 id="certificate-and-domain"),
    pytest.param({"loadBalancer": {"certificateArn": "arn:aws:acm:us-east-1:12345:cert/abc"}},
                 "loadBalancer.certificateArn", "must be an ACM certificate ARN", id="malformed-certificate-arn"),
    pytest.param({"loadBalancer": {"certificateArn": CERT_ARN, "tlsPolicy": "ELBSecurityPolicy-2016-08"}},
                 "loadBalancer.tlsPolicy", "'ELBSecurityPolicy-2016-08' is not a current TLS 1.3 policy",
                 id="tls-policy-not-listed"),
    pytest.param({"loadBalancer": {"ingressCidrs": ["0.0.0.0/0", "203.0.113.7/24"]}},
                 "loadBalancer.ingressCidrs[1]", "'203.0.113.7/24' is not a CIDR block", id="ingress-cidr-host-bits"),
    pytest.param({"loadBalancer": {"accessLogs": {"bucket": "My_Bucket"}}}, "loadBalancer.accessLogs.bucket",
                 "must be an S3 bucket name (got 'My_Bucket')", id="access-logs-bucket-name"),
]

DOMAIN = {"domain": "example.com", "hostedZoneId": "Z0123456789ABC"}
WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop-acl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

ROUTING_FEATURES = [
    # certificate names
    pytest.param({"loadBalancer": {"alternativeNames": ["www.example.com"]}}, "loadBalancer.alternativeNames",
                 "needs `domain` (and `hostedZoneId`)", id="alternative-names-without-domain"),
    pytest.param({"loadBalancer": {**DOMAIN, "alternativeNames": ["EXAMPLE.com"]}}, "loadBalancer.alternativeNames",
                 "lists example.com (the `domain`, already on the certificate)", id="alternative-name-is-domain"),
    pytest.param({"loadBalancer": {**DOMAIN, "alternativeNames": ["www.example.com", "WWW.example.com"]}},
                 "loadBalancer.alternativeNames", "lists www.example.com more than once", id="alternative-name-twice"),
    pytest.param({"loadBalancer": {**DOMAIN, "alternativeNames": [f"n{i}.example.com" for i in range(10)]}},
                 "loadBalancer.alternativeNames", "takes at most 9 names: an ACM certificate holds 10 by default, "
                 "`domain` included (got 11", id="alternative-names-above-acm-quota"),
    pytest.param({"loadBalancer": {**DOMAIN, "alternativeNames": ["www..example.com"]}},
                 "loadBalancer.alternativeNames[0]", "must be a domain name", id="alternative-name-malformed"),
    pytest.param({"loadBalancer": {**DOMAIN, "alternativeNames": ["a" * 64 + ".example.com"]}},
                 "loadBalancer.alternativeNames[0]", "each label (between dots) must be at most 63 characters",
                 id="alternative-name-label-too-long"),
    pytest.param({"loadBalancer": {"domain": "a" * 61 + ".com", "hostedZoneId": "Z0123456789ABC"}},
                 "loadBalancer.domain", "must be at most 64 characters (got 65", id="domain-above-common-name-limit"),
    # the web ACL
    pytest.param({"loadBalancer": {"webAclArn": WEB_ACL.replace("regional", "global")}}, "loadBalancer.webAclArn",
                 "is a global (CloudFront) web ACL; a load balancer needs a regional one", id="web-acl-global"),
    pytest.param({"loadBalancer": {"webAclArn": WEB_ACL.replace("us-east-1", "eu-west-1")}},
                 "loadBalancer.webAclArn", "is a web ACL in eu-west-1; the load balancer in us-east-1 needs one "
                 "created in us-east-1", id="web-acl-other-region"),
    pytest.param({"loadBalancer": {"webAclArn": "arn:aws:waf::123456789012:webacl/abc"}}, "loadBalancer.webAclArn",
                 "must be a WAFv2 web ACL ARN", id="web-acl-classic"),
    # per service
    pytest.param(web_lb(protocolVersion="GRPC"), "services.web.loadBalancer.protocolVersion",
                 "GRPC needs HTTPS on the load balancer", id="grpc-without-https"),
    pytest.param(web_lb(protocolVersion="HTTP2"), "services.web.loadBalancer.protocolVersion",
                 "HTTP2 needs HTTPS on the load balancer", id="http2-without-https"),
    pytest.param(web_lb(protocolVersion="HTTP3"), "services.web.loadBalancer.protocolVersion",
                 "'HTTP1', 'HTTP2' or 'GRPC'", id="protocol-version-unknown"),
    pytest.param({"loadBalancer": {"certificateArn": CERT_ARN},
                  **web_lb(protocolVersion="GRPC", healthCheck={"matcher": "200"})},
                 "services.web.loadBalancer.healthCheck.matcher",
                 "must be gRPC codes from 0 to 99, like 0 or 0-5 or 12 (got '200')", id="grpc-with-http-matcher"),
    pytest.param(web_lb_health(matcher="12"), "services.web.loadBalancer.healthCheck.matcher",
                 "must be HTTP codes from 200 to 499, like 200 or 200-399 (got '12'); gRPC codes need "
                 "`protocolVersion: GRPC`", id="http-with-grpc-matcher"),
    pytest.param({"loadBalancer": {"certificateArn": CERT_ARN},
                  **web_lb(protocolVersion="GRPC", healthCheck={"path": "/health"})},
                 "services.web.loadBalancer.healthCheck.path", "must be a gRPC method, /package.service/method",
                 id="grpc-with-http-health-path"),
    pytest.param(web_lb(stickiness={"duration": 604801}), "services.web.loadBalancer.stickiness.duration",
                 "must be 1 to 604800 s (got 604801)", id="stickiness-above-a-week"),
    pytest.param(web_lb(stickiness={"duration": 0}), "services.web.loadBalancer.stickiness.duration",
                 "must be 1 to 604800 s (got 0)", id="stickiness-zero"),
    pytest.param(web_lb(sourceCidrs=["203.0.113.7/24"]), "services.web.loadBalancer.sourceCidrs[0]",
                 "'203.0.113.7/24' is not a CIDR block with its host bits zero", id="source-cidr-host-bits"),
    pytest.param(web_lb(sourceCidrs=["2001:db8::1"]), "services.web.loadBalancer.sourceCidrs[0]",
                 "is an address, not a CIDR block; write 2001:db8::1/128", id="source-cidr-ipv6-address"),
    pytest.param(web_lb(paths=["/a/*", "/b/*", "/c/*"], hosts=["x.example.com"],
                        sourceCidrs=["10.0.0.0/8", "192.168.0.0/16"]),
                 "services.web.loadBalancer", "at most 5 condition values (paths, hosts and sourceCidrs together); "
                 "got 6", id="source-cidrs-count-towards-the-quota"),
]

NAMES = [
    pytest.param({"services": {"Web": service()}}, "services.Web",
                 "service names are lowercase letters, digits and hyphens", id="service-name-uppercase"),
    pytest.param({"services": {"my_web": service()}}, "services.my_web",
                 "service names are lowercase letters, digits and hyphens", id="service-name-underscore"),
    pytest.param({"name": "Bad_Name"}, "name",
                 "must be lowercase letters, digits and hyphens, starting with a letter (it prefixes AWS resource "
                 "names) (got 'Bad_Name')", id="name-not-a-prefix"),
]

CAPACITY = [
    pytest.param({"cluster": {"capacityProviderStrategy": [{"provider": "FARGATE", "base": 1, "weight": 1},
                                                           {"provider": "FARGATE_SPOT", "base": 1, "weight": 1}]}},
                 "cluster.capacityProviderStrategy", "only one capacity provider may have a `base`", id="two-bases"),
    pytest.param({"cluster": {"capacityProviderStrategy": [{"provider": "FARGATE", "base": 1, "weight": 0},
                                                           {"provider": "FARGATE_SPOT", "weight": 0}]}},
                 "cluster.capacityProviderStrategy", "at least one capacity provider needs a `weight` above 0",
                 id="all-weights-zero"),
    pytest.param({"cluster": {"capacityProviderStrategy": [{"provider": "FARGATE", "weight": 1},
                                                           {"provider": "FARGATE", "weight": 2}]}},
                 "cluster.capacityProviderStrategy", "names a capacity provider twice", id="duplicate-provider"),
    pytest.param({"cluster": {"capacityProviderStrategy": []}}, "cluster.capacityProviderStrategy",
                 "needs at least one capacity provider", id="empty-strategy"),
    pytest.param(web(capacityProviderStrategy=[{"provider": "FARGATE_SPOT", "weight": 0}]),
                 "services.web.capacityProviderStrategy", "at least one capacity provider needs a `weight` above 0",
                 id="service-strategy-all-weights-zero"),
]

SERVICE_MISC = [
    pytest.param(web(deployment={"minimumHealthyPercent": 100, "maximumPercent": 100}),
                 "services.web.deployment.maximumPercent", "must be above minimumHealthyPercent (100)",
                 id="deployment-maximum-not-above-minimum"),
    pytest.param(web(assignPublicIp=True), "services.web.assignPublicIp",
                 "public IPs on tasks are only for `network.nat: none` without endpoints", id="public-ip-with-nat"),
    pytest.param({"network": {"nat": "none"}, **web(assignPublicIp=False)}, "services.web.assignPublicIp",
                 "private tasks cannot pull images", id="no-public-ip-in-cheapest-network"),
    pytest.param(web(taskRole={"statements": [{"actions": ["s3:GetObject"], "resources": ["*"]},
                                              {"actions": ["*"], "resources": ["*"]}]}),
                 "services.web.taskRole.statements[1].actions", '"*" grants every AWS action', id="task-role-star"),
]

REGISTRY_AND_KMS = [
    pytest.param({"registry": {"kmsKeyArn": KMS_ARN}}, "registry.kmsKeyArn",
                 "is used only with `registry.encryption: KMS`", id="registry-kms-key-with-aes256"),
    pytest.param({"registry": {"encryption": "KMS", "kmsKeyArn": "my-key"}}, "registry.kmsKeyArn",
                 "must be a KMS key or alias ARN", id="registry-kms-key-malformed"),
    pytest.param({"logs": {"kmsKeyArn": "alias/logs"}}, "logs.kmsKeyArn", "must be a KMS key or alias ARN",
                 id="logs-kms-key-malformed"),
]

STACK = [
    pytest.param({"services": None}, "services", "define at least one service", id="no-services-key"),
    pytest.param({"services": {}}, "services", "define at least one service", id="empty-services"),
    pytest.param({"aws:region": None}, "aws:region", "is required, e.g. `aws:region: us-east-1`",
                 id="region-missing"),
]

RULES = [*TASK_SIZE, *CONTAINERS, *ROUTING, *ROUTING_CONFLICTS, *NETWORK, *SCALING, *LOAD_BALANCER,
         *ROUTING_FEATURES, *NAMES,
         *CAPACITY, *SERVICE_MISC, *REGISTRY_AND_KMS, *STACK]


@pytest.mark.parametrize("overrides,key,fragment", RULES)
def test_rule_reports_its_key_and_what_is_allowed(overrides, key, fragment):
    assert_only_problem(overrides, key, fragment)


# --- shape constraints of the model (pydantic) -------------------------------------------

SHAPES = [
    pytest.param({"network": {"azCount": 1}}, "network.azCount", "must be 2 to 6 (got 1)", id="az-count-1"),
    pytest.param({"network": {"azCount": 7}}, "network.azCount", "must be 2 to 6 (got 7)", id="az-count-7"),
    pytest.param({"network": {"nat": "instance", "natInstance": {"type": "t4g.tiny"}}}, "network.natInstance.type",
                 "'t4g.tiny' is not a known instance type", id="nat-instance-unknown-type"),
    pytest.param({"network": {"nat": "some"}}, "network.nat", "'per-az', 'instance' or 'regional'", id="nat-unknown-mode"),
    pytest.param({"network": {"existing": {**EXISTING, "vpcId": "vpc-XYZ"}}}, "network.existing.vpcId",
                 "must be a VPC ID: vpc- and lowercase hex digits (vpc-0a1b2c3d) (got 'vpc-XYZ')",
                 id="existing-vpc-id-malformed"),
    pytest.param({"network": {"existing": {**EXISTING, "publicSubnetIds": ["subnet-a"]}}},
                 "network.existing.publicSubnetIds", "needs at least 2 items", id="existing-one-public-subnet"),
    pytest.param({"cluster": {"capacityProviderStrategy": [{"provider": "EC2_SPOT", "weight": 1}]}},
                 "cluster.capacityProviderStrategy[0].provider", "'FARGATE', 'FARGATE_SPOT' or 'EC2' (got 'EC2_SPOT')",
                 id="unknown-capacity-provider"),
    pytest.param({"loadBalancer": {"ingressCidrs": []}}, "loadBalancer.ingressCidrs", "needs at least 1 item",
                 id="no-ingress-cidrs"),
    pytest.param({"registry": {"encryption": "AES128"}}, "registry.encryption", "'AES256' or 'KMS'",
                 id="registry-encryption-unknown"),
    pytest.param(web(desiredCount=-1), "services.web.desiredCount", "must be 0 to 5000 (got -1)",
                 id="desired-count-negative"),
    pytest.param(web(architecture="ARM"), "services.web.architecture", "'X86_64' or 'ARM64'",
                 id="architecture-unknown"),
    pytest.param(web(autoscaling={"min": 1}), "services.web.autoscaling.max", "is required",
                 id="autoscaling-max-missing"),
    pytest.param(web(autoscaling={"max": 4, "requestsPerTarget": 0}), "services.web.autoscaling.requestsPerTarget",
                 "must be at least 1 (got 0)", id="requests-per-target-0"),
    pytest.param(web(deployment={"maximumPercent": 250}), "services.web.deployment.maximumPercent",
                 "must be 100 to 200 (got 250)", id="deployment-maximum-250"),
    pytest.param(web_containers(app=container(ports=[8080], stopTimeout=121)),
                 "services.web.containers.app.stopTimeout", "must be 0 to 120 s (got 121)", id="stop-timeout-121"),
    pytest.param(web_containers(app=container(ports=[8080], memory=4)),
                 "services.web.containers.app.memory", "must be at least 6 (got 4)", id="container-memory-4"),
    pytest.param(web_containers(app=container(ports=[8080], healthCheck={"command": ["CMD", "true"], "interval": 4})),
                 "services.web.containers.app.healthCheck.interval", "must be 5 to 300 s (got 4)",
                 id="container-health-check-interval-4"),
    pytest.param(web_containers(app=container(ports=[8080], healthCheck={"command": []})),
                 "services.web.containers.app.healthCheck.command", "needs at least 1 item",
                 id="container-health-check-empty-command"),
    pytest.param(web(taskRole={"statements": [{"actions": [], "resources": ["*"]}]}),
                 "services.web.taskRole.statements[0].actions", "needs at least 1 item", id="task-role-no-actions"),
]


@pytest.mark.parametrize("overrides,key,fragment", SHAPES)
def test_shape_constraint_reports_its_key(overrides, key, fragment):
    assert_only_problem(overrides, key, fragment)


# --- rules with more than one problem, or a message worth a closer look -------------------


@pytest.mark.parametrize("overrides,key", [
    pytest.param({"logs": {"retentionDays": 10}}, "logs.retentionDays", id="logs"),
    pytest.param(web(logRetentionDays=10), "services.web.logRetentionDays", id="service-level"),
    pytest.param({"network": {"flowLogs": {"retentionDays": 10}}}, "network.flowLogs.retentionDays", id="flow-logs"),
])
def test_log_retention_of_10_days_is_refused_and_allowed_values_listed(overrides, key):
    problem = assert_only_problem(overrides, key, "CloudWatch Logs does not accept 10 days")
    assert "use one of 1, 3, 5, 7, 14, 30, 60" in problem.message
    assert problem.message.endswith("3653")


def test_schedules_and_predictive_scaling_are_accepted_with_their_defaults():
    cfg = make_config(scheduled({"name": "night", "expression": "rate(5 minute)", "max": 1}, PEAK))
    a = cfg.services["web"].autoscaling
    assert a is not None
    assert [(s.name, s.timezone, s.min, s.max) for s in a.schedules] == [("night", "UTC", None, 1),
                                                                         ("peak", "UTC", 4, 10)]
    p = make_config(predictive()).services["web"].autoscaling.predictive
    assert (p.mode, p.metric, p.scheduling_buffer_time, p.max_capacity_breach_behavior) == (
        "ForecastOnly", "cpu", 300, "HonorMaxCapacity")


def test_autoscaling_min_above_max_names_min_and_the_desired_count_outside_it():
    # GIVEN min 5 > max 2 (and desiredCount 3, inside neither)
    found = problems_of(web(desiredCount=3, autoscaling={"min": 5, "max": 2}))
    # THEN both the inverted bounds and the unreachable desired count are reported
    by_key = {p.key: p.message for p in found}
    assert set(by_key) == {"services.web.autoscaling.min", "services.web.desiredCount"}
    assert by_key["services.web.autoscaling.min"] == "must not exceed max (2) (got 5)"


def test_existing_network_reports_every_explicitly_set_network_key():
    found = problems_of({"network": {"existing": EXISTING, "availabilityZones": ["us-east-1a", "us-east-1b"],
                                     "flowLogs": {"retentionDays": 7}, "nat": "single"}})
    assert [p.key for p in found] == ["network.availabilityZones", "network.flowLogs", "network.nat"]
    assert all("cannot be set with `network.existing`" in p.message for p in found)


def test_existing_network_alone_is_valid():
    cfg = make_config({"network": {"existing": EXISTING}})
    assert cfg.network.existing is not None
    assert cfg.network.existing.vpc_id == "vpc-0abc123"


def test_aws_credentials_are_refused_in_environment_whatever_the_name():
    found = problems_of(web_containers(app=container(ports=[8080], environment={
        "AWS_SECRET_ACCESS_KEY": "x", "ECS_ENGINE_AUTH_DATA": "y"})))
    assert [p.key for p in found] == ["services.web.containers.app.environment.AWS_SECRET_ACCESS_KEY",
                                      "services.web.containers.app.environment.ECS_ENGINE_AUTH_DATA"]


def test_long_service_name_gives_the_maximum_service_name_length():
    # GIVEN prefix "test": "test-<service>-tg" + 8-character suffix must fit 32 characters
    name = "a" * 17
    problem = assert_only_problem({"services": {name: service()}}, f"services.{name}",
                                  f"target group name 'test-{name}-tg'")
    # THEN the message says how long a service name may be, and why
    assert "use a service name of at most 16 characters" in problem.message
    assert "exceeds AWS's 32 characters" in problem.message


def test_the_length_message_says_the_prefix_and_a_web_service_share_20_characters():
    problem = assert_only_problem({"services": {"a" * 17: service()}}, f"services.{'a' * 17}", "target group")
    assert "the prefix 'test' and the service name have 20 characters together" in problem.message
    # One character left: the count is singular.
    one = assert_only_problem({"name": "p" * 19, "services": {"bb": service()}}, "services.bb", "target group")
    assert one.message.endswith("use a service name of at most 1 character or a shorter `name`")
    alb = {p.key: p.message for p in problems_of({"name": "a" * 21, "services": {"w": service()}})}["name"]
    assert alb.endswith("set a shorter `name`: at most 20 characters, and the prefix and each web service's name "
                        "have 20 together")


def test_service_name_of_the_maximum_length_is_accepted():
    cfg = make_config({"services": {"a" * 16: service()}})
    assert list(cfg.services) == ["a" * 16]


def test_long_service_name_without_load_balancer_has_no_target_group_and_is_accepted():
    cfg = make_config({"services": {"a-very-long-worker-name": {"kind": "worker", "containers": {"app": container()}}}})
    assert resolve.web_services(cfg) == {}


def test_long_prefix_gives_a_load_balancer_name_problem():
    found = problems_of({"name": "a" * 21, "services": {"w": service()}})
    by_key = {p.key: p.message for p in found}
    assert "name" in by_key
    assert f"the load balancer name '{'a' * 21}-alb'" in by_key["name"]
    assert "set a shorter `name`" in by_key["name"]


def test_prefix_of_20_characters_fits_the_load_balancer_name():
    # GIVEN a 20-character prefix: 20 + len("-alb") + 8 = 32, the ALB name just fits
    found = problems_of({"name": "a" * 20, "services": {"w": service()}})
    # THEN only the target group of service "w" (20 + len("-w-tg") + 8 = 35) is too long
    assert [p.key for p in found] == ["services.w"]


@pytest.mark.parametrize("stack", ["My_Stack", "prod.eu", "-dev"])
def test_stack_name_that_is_not_a_valid_prefix_asks_for_a_name(stack):
    problem = assert_only_problem(None, "stack name", f"{stack!r} must be lowercase letters, digits and hyphens",
                                  stack=stack)
    assert "set `name` to such a prefix" in problem.message


def test_invalid_stack_name_is_fine_when_name_is_set():
    cfg = make_config({"name": "prod-eu"}, stack="Prod_EU")
    assert resolve.prefix(cfg) == "prod-eu"


def test_task_role_deny_statement_may_use_star():
    cfg = make_config(web(taskRole={"statements": [{"actions": ["*"], "resources": ["*"], "effect": "Deny"}]}))
    assert cfg.services["web"].task_role.statements[0].effect == "Deny"


def test_load_balancer_hosts_without_paths_are_a_valid_condition():
    cfg = make_config(web_lb(paths=[], hosts=["app.example.com"]))
    assert cfg.services["web"].load_balancer.hosts == ["app.example.com"]


def test_a_rule_limited_to_source_cidrs_comes_before_the_same_paths_for_any_client():
    cfg = make_config({"services": {"a-public": service(loadBalancer={"paths": ["/*"]}),
                                    "office": service(loadBalancer={"paths": ["/*"], "sourceCidrs": ["10.0.0.0/8"]})}})
    priorities = resolve.listener_priorities(cfg)
    assert priorities["office"] < priorities["a-public"]


def test_a_rule_for_any_client_shadows_the_same_paths_limited_to_source_cidrs():
    found = problems_of({"services": {
        "public": service(loadBalancer={"paths": ["/*"], "priority": 100}),
        "office": service(loadBalancer={"paths": ["/*"], "sourceCidrs": ["10.0.0.0/8"], "priority": 200})}})
    assert [(p.key, "service 'public' (priority 100) matches every request" in p.message) for p in found] == [
        ("services.office.loadBalancer", True)]


def test_a_narrower_source_cidr_is_shadowed_by_a_wider_one_but_not_the_other_way_round():
    wide, narrow = {"sourceCidrs": ["10.0.0.0/8"]}, {"sourceCidrs": ["10.1.0.0/16"]}
    found = problems_of({"services": {"wide": service(loadBalancer={"paths": ["/*"], "priority": 100, **wide}),
                                      "narrow": service(loadBalancer={"paths": ["/*"], "priority": 200, **narrow})}})
    assert [p.key for p in found] == ["services.narrow.loadBalancer"]
    make_config({"services": {"wide": service(loadBalancer={"paths": ["/*"], "priority": 200, **wide}),
                              "narrow": service(loadBalancer={"paths": ["/*"], "priority": 100, **narrow})}})


def test_nat_none_with_all_needed_endpoints_is_valid():
    cfg = make_config({"network": {"nat": "none", "endpoints": {"s3": True,
                                                                "interface": ["ecr.api", "ecr.dkr", "logs"]}}})
    assert cfg.network.nat == "none"


# --- every problem at once ---------------------------------------------------------------


def test_unrelated_problems_in_four_sections_are_all_reported():
    # GIVEN four independent mistakes in four sections
    overrides = {
        "network": {"cidr": "10.0.0.0/24"},
        "logs": {"retentionDays": 10},
        "loadBalancer": {"tlsPolicy": "ELBSecurityPolicy-2016-08"},
        **web(cpu=300),
    }
    # WHEN parsed
    found = problems_of(overrides)
    # THEN all four are reported, sorted by key, in one error
    assert [p.key for p in found] == ["loadBalancer.tlsPolicy", "logs.retentionDays", "network.cidr",
                                      "services.web.cpu"]


def test_shape_and_rule_problems_are_reported_together():
    # GIVEN two sections that fail their shape (azCount, retention days) and a service a rule refuses (cpu)
    found = problems_of({"network": {"azCount": 7}, "logs": {"retentionDays": 10}, **web(cpu=300)})
    assert [p.key for p in found] == ["logs.retentionDays", "network.azCount", "services.web.cpu"]
    assert found[2].message.startswith("300 is not a Fargate CPU size")


# --- valid configs -----------------------------------------------------------------------


@pytest.mark.parametrize("stack,services", [
    pytest.param("dev", ["web"], id="dev"),
    pytest.param("prod", ["web", "api", "worker", "nightly-report"], id="prod"),
])
def test_shipped_stack_files_are_valid(stack, services):
    cfg = load(ROOT / f"Pulumi.{stack}.yaml", PROJECT, stack)
    assert cfg.stack == stack
    assert cfg.region == "us-east-1"
    assert list(cfg.services) == services


def test_prod_stack_file_values_are_read_as_written():
    cfg = load(FIXTURES / "Pulumi.mixed.yaml", PROJECT, "prod")
    assert cfg.protect is True
    assert resolve.https(cfg) is True
    assert cfg.network.nat == "per-az"
    assert cfg.services["api"].autoscaling.memory_target == 75
    assert cfg.services["web"].containers["app"].secrets["DATABASE_URL"].startswith("arn:aws:secretsmanager:")


def test_valid_edge_config_at_every_limit_passes():
    # GIVEN the largest Fargate size, the most containers per task and the smallest VPC for 6 AZs
    containers = {"app": container(ports=[8080])}
    containers.update({f"side{i}": container() for i in range(9)})
    overrides = {
        "network": {"cidr": "10.0.0.0/22", "azCount": 6},
        **web(cpu=16384, memory=122880, containers=containers),
    }
    # WHEN parsed
    cfg = make_config(overrides)
    # THEN it is accepted as written
    assert cfg.services["web"].cpu == 16384 and cfg.services["web"].memory == 122880
    assert len(cfg.services["web"].containers) == 10
    assert cfg.network.az_count == 6


@pytest.mark.parametrize("cpu,memory", [(256, 512), (256, 2048), (512, 4096), (4096, 30720), (8192, 16384)])
def test_fargate_table_edges_are_accepted(cpu, memory):
    cfg = make_config(web(cpu=cpu, memory=memory))
    assert (cfg.services["web"].cpu, cfg.services["web"].memory) == (cpu, memory)


# --- bugs: how the rules should behave ---------------------------------------------------


def test_arm64_service_on_fargate_spot_is_accepted_because_it_runs_on_platform_version_latest():
    # GIVEN an ARM64 service whose strategy places tasks on Fargate Spot
    overrides = web(architecture="ARM64", capacityProviderStrategy=[{"provider": "FARGATE_SPOT", "weight": 1}])
    cfg = make_config(overrides)
    # THEN it validates and renders with platform version LATEST, which AWS documents as enough
    from deploy.aws import tokens
    from deploy.offline import plan

    [svc] = plan.render(cfg).of_type(tokens.SERVICE)
    assert svc.inputs["platformVersion"] == "LATEST"
    assert svc.inputs["capacityProviderStrategies"][0]["capacityProvider"] == "FARGATE_SPOT"
    # AND the API model the rule's absence relies on still says so
    import botocore.session

    shape = botocore.session.get_session().get_service_model("ecs").shape_for("CapacityProviderStrategyItem")
    assert ("<code>FARGATE_SPOT</code> supports Linux tasks with the ARM64 architecture on platform version "
            "1.4.0 or later.") in shape.documentation


@pytest.mark.parametrize("secrets,key,fragment", [
    pytest.param({"AWS_SECRET_ACCESS_KEY": "/app/aws-key"},
                 "services.web.containers.app.secrets.AWS_SECRET_ACCESS_KEY",
                 "AWS credentials must not be set in a task definition (FSBP ECS.8)", id="forbidden-credential"),
    pytest.param({"1DB": "/app/db"}, "services.web.containers.app.secrets.1DB",
                 "'1DB' is not a valid environment variable name", id="invalid-name"),
])
def test_problems_with_secret_names_name_the_secrets_key(secrets, key, fragment):
    assert_only_problem(web_containers(app=container(ports=[8080], secrets=secrets)), key, fragment)


def test_one_letter_prefix_is_a_valid_prefix():
    cfg = make_config(None, stack="a")
    assert resolve.prefix(cfg) == "a"


def test_target_group_message_never_suggests_an_impossible_length():
    found = problems_of({"name": "a" * 21, "services": {"w": service()}})
    service_problem = next(p for p in found if p.key == "services.w")
    assert "at most -" not in service_problem.message and "at most 0 " not in service_problem.message


def test_load_balancer_naming_a_container_without_ports_says_so():
    overrides = web(loadBalancer={"container": "side"},
                    containers={"app": container(ports=[8080]), "side": container()})
    problem = assert_only_problem(overrides, "services.web.loadBalancer.container", "'side'")
    assert "None" not in problem.message


def test_ipv6_ingress_cidr_is_refused_because_the_vpc_is_ipv4_only():
    assert_only_problem({"loadBalancer": {"ingressCidrs": ["::/0"]}}, "loadBalancer.ingressCidrs[0]", "IPv4-only")


def test_endpoint_only_network_needs_the_endpoint_of_each_secret_store():
    found = problems_of({
        "network": {"nat": "none", "endpoints": {"s3": True, "interface": ["ecr.api", "ecr.dkr", "logs"]}},
        **web(containers={"app": container(ports=[8080], secrets={
            "DB": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", "TOKEN": "/app/token"})}),
    })
    assert [(p.key, p.message.split(";")[0]) for p in found] == [
        ("network.endpoints.interface", "containers read secrets from secretsmanager"),
        ("network.endpoints.interface", "containers read secrets from ssm"),
    ]


def test_yaml_numbers_and_booleans_in_environment_become_strings():
    cfg = make_config(web(containers={"app": container(
        ports=[8080], environment={"PORT": 8080, "DEBUG": True, "RATIO": 0.5})}))
    assert cfg.services["web"].containers["app"].environment == {"PORT": "8080", "DEBUG": "true", "RATIO": "0.5"}


def test_image_tag_alone_uses_the_stacks_repository():
    cfg = make_config(web(containers={"app": {"image": {"tag": "abc123"}, "ports": [8080]}}))
    assert cfg.services["web"].containers["app"].image.from_repository


def test_image_uri_and_tag_together_are_refused():
    found = problems_of(web(containers={"app": {"image": {"uri": IMAGE_URI, "tag": "x"}, "ports": [8080]}}))
    assert [p.key for p in found] == ["services.web.containers.app.image"]
    assert "exactly one of `uri`" in found[0].message


def test_image_tag_must_be_a_docker_tag():
    assert_only_problem(web(containers={"app": {"image": {"tag": "bad tag!"}, "ports": [8080]}}),
                        "services.web.containers.app.image.tag",
                        "must be a Docker tag (letters, digits, _ . -; up to 128) (got 'bad tag!')")


def test_without_a_nat_private_tasks_pull_only_from_this_regions_private_ecr():
    endpoints = {"network": {"nat": "none", "endpoints": {"s3": True, "interface": ["ecr.api", "ecr.dkr", "logs"]}}}
    found = problems_of({**endpoints, **web(containers={
        "app": container(ports=[8080]),
        "proxy": {"image": {"uri": "public.ecr.aws/nginx/nginx-unprivileged:1.27"}},
        "agent": {"image": {"uri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent:2"}}})})
    assert [p.key for p in found] == ["services.web.containers.agent.image.uri",
                                      "services.web.containers.proxy.image.uri"]
    assert "'public.ecr.aws/nginx/nginx-unprivileged:1.27' is not in us-east-1's private ECR" in found[1].message
    # The same images pull through a NAT gateway, or with public IPs in the cheapest network.
    make_config({"network": {"nat": "single"}, **web(containers={
        "app": container(ports=[8080]), "proxy": {"image": {"uri": "public.ecr.aws/nginx/nginx-unprivileged:1.27"}}})})
    make_config({"network": {"nat": "none"}, **web(containers={
        "app": container(ports=[8080]), "proxy": {"image": {"uri": "public.ecr.aws/nginx/nginx-unprivileged:1.27"}}})})
