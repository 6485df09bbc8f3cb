"""Reading a stack's configuration (a `Pulumi.<stack>.yaml` file or the Pulumi runtime) and
turning it into one `StackConfig` or one `ConfigError` that names every problem by key."""

from __future__ import annotations

import json
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy.aws.tokens import SECRET_PLACEHOLDER
from deploy.config.parse import parse
from deploy.config.problems import ConfigError, Problem
from deploy.config.source import RawConfig, project_name, read_stack_file
from deploy.stack.runtime import read_runtime
from tests.conftest import PROJECT, REGION, ROOT, make_config, raw_config, service

IMAGE_URI = "public.ecr.aws/nginx/nginx-unprivileged:1.27"


def problems_of(raw: RawConfig) -> list[Problem]:
    with pytest.raises(ConfigError) as info:
        parse(raw)
    return info.value.problems


def messages_by_key(raw: RawConfig) -> dict[str, str]:
    found = problems_of(raw)
    by_key = {p.key: p.message for p in found}
    assert len(by_key) == len(found), f"one problem per key expected: {found}"
    return by_key


def write_stack_file(tmp_path: Path, config: dict[str, Any], name: str = "Pulumi.test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"config": config}, sort_keys=False))
    return path


# --- unknown keys: "did you mean" --------------------------------------------------------


@pytest.mark.parametrize("typo,suggestion", [
    pytest.param("netwrk", "network", id="netwrk"),
    pytest.param("servics", "services", id="servics"),
    pytest.param("loadbalancer", "loadBalancer", id="loadbalancer"),
])
def test_unknown_top_level_key_suggests_the_closest_key(typo, suggestion):
    # GIVEN a typo in a top-level key of the project namespace
    raw = raw_config({typo: {}})
    # THEN it is reported under its own name, with the closest known key
    by_key = messages_by_key(raw)
    assert by_key[typo] == f"unknown config key; did you mean `{suggestion}`?"


@pytest.mark.parametrize("overrides,key,suggestion", [
    pytest.param({"services": {"web": service(memroy=512)}}, "services.web.memroy", "memory",
                 id="service-memroy"),
    pytest.param({"services": {"web": service(containers={"app": {"imgae": {"uri": IMAGE_URI}, "ports": [8080]}})}},
                 "services.web.containers.app.imgae", "image", id="container-imgae"),
    pytest.param({"network": {"flowLogs": {"retentionDay": 7}}}, "network.flowLogs.retentionDay", "retentionDays",
                 id="flow-logs-retentionDay"),
    pytest.param({"loadBalancer": {"certArn": "x"}}, "loadBalancer.certArn", "certificateArn",
                 id="load-balancer-certArn"),
    pytest.param({"services": {"web": service(loadBalancer={"healthCheck": {"pth": "/"}})}},
                 "services.web.loadBalancer.healthCheck.pth", "path", id="target-health-check-pth"),
    pytest.param({"services": {"web": service(autoscaling={"max": 4, "cpuTaget": 50})}},
                 "services.web.autoscaling.cpuTaget", "cpuTarget", id="autoscaling-cpuTaget"),
])
def test_unknown_nested_key_suggests_a_key_of_its_own_level(overrides, key, suggestion):
    by_key = messages_by_key(raw_config(overrides))
    assert by_key[key] == f"unknown key; did you mean `{suggestion}`?"


@pytest.mark.parametrize("overrides,key,message", [
    pytest.param({"services": {"web": service(gpu=1)}}, "services.web.gpu",
                 'not supported yet (GPUs); the README section "Not supported yet" shows how to add it next to the '
                 "stack", id="gpu-is-not-cpu"),
    pytest.param({"services": {"web": service(containers={"app": {"image": {"uri": IMAGE_URI}, "ports": [8080],
                                                                  "mountPoints": [{"containerPath": "/data"}]}})}},
                 "services.web.containers.app.mountPoints", "unknown key; did you mean `mounts`?",
                 id="mountPoints-is-mounts-not-entryPoint"),
    pytest.param({"services": {"job": {"kind": "scheduled", "containers": {"job": {"image": {"uri": IMAGE_URI}}},
                                       "schedule": {"expression": "rate(1 hour)", "timeout": 60}}}},
                 "services.job.schedule.timeout", "unknown key; allowed: enabled, expectedDuration, expression, "
                 "maxEventAge, retries, taskCount, timezone", id="timeout-is-not-timezone"),
    pytest.param({"services": {"web": service(containers={"app": {"image": {"uri": IMAGE_URI}, "port": 8080}})}},
                 "services.web.containers.app.port", "unknown key; allowed: command, cpu, dependsOn, entryPoint, "
                 "environment, environmentFiles, essential, healthCheck, image, memory, memoryReservation, mounts, ports, "
                 "readonlyRootFilesystem, restartPolicy, secrets, stopTimeout, user, workingDirectory, writablePaths",
                 id="one-port-is-not-the-list-ports"),
])
def test_an_unknown_key_gets_no_hint_that_would_mislead(overrides, key, message):
    assert messages_by_key(raw_config(overrides))[key] == message


@pytest.mark.parametrize("overrides,key,suggestion", [
    pytest.param({"services": {"web": service(desiredcount=2)}}, "services.web.desiredcount", "desiredCount",
                 id="desiredcount"),
    pytest.param({"services": {"web": service(containers={"app": {"image": {"uri": IMAGE_URI}, "ports": [8080],
                                                                  "healthcheck": {"command": ["CMD", "true"]}}})}},
                 "services.web.containers.app.healthcheck", "healthCheck", id="healthcheck"),
    pytest.param({"loadBalancer": {"internl": True}}, "loadBalancer.internl", "internal", id="internl"),
])
def test_a_key_written_in_the_wrong_case_or_with_a_typo_gets_its_hint(overrides, key, suggestion):
    assert messages_by_key(raw_config(overrides))[key] == f"unknown key; did you mean `{suggestion}`?"


def test_misspelt_required_key_is_also_reported_missing():
    # GIVEN `imgae` instead of the required `image`
    raw = raw_config({"services": {"web": service(containers={"app": {"imgae": {"uri": IMAGE_URI}}})}})
    # THEN both the unknown key and the missing one are named
    by_key = messages_by_key(raw)
    assert by_key == {"services.web.containers.app.image": "is required",
                      "services.web.containers.app.imgae": "unknown key; did you mean `image`?"}


def test_far_off_unknown_top_level_key_lists_the_allowed_keys():
    by_key = messages_by_key(raw_config({"zzzzzz": 1}))
    assert by_key["zzzzzz"] == ("unknown config key; allowed: alerts, cluster, dashboard, loadBalancer, logs, name, "
                                "network, "
                                "protect, registry, services, tags")


def test_far_off_unknown_nested_key_lists_the_keys_of_its_level():
    by_key = messages_by_key(raw_config({"network": {"flowLogs": {"qqqqq": 7}}}))
    assert by_key["network.flowLogs.qqqqq"] == "unknown key; allowed: enabled, retentionDays, trafficType"


def test_far_off_unknown_service_key_lists_service_keys_in_camel_case():
    by_key = messages_by_key(raw_config({"services": {"web": service(qqqqqq=1)}}))
    message = by_key["services.web.qqqqqq"]
    assert message.startswith("unknown key; allowed: architecture, assignPublicIp, autoscaling, ")
    assert "desiredCount" in message and "desired_count" not in message


# --- namespaces --------------------------------------------------------------------------


def test_keys_of_other_namespaces_are_ignored():
    # GIVEN keys that belong to the AWS provider and to other projects
    raw = raw_config({"aws:profile": "dev-admin", "aws:skipCredentialsValidation": True,
                      "other-project:netwrk": {"x": 1}, "docker:host": "unix:///var/run/docker.sock"})
    # WHEN parsed
    cfg = parse(raw)
    # THEN they change nothing
    assert cfg == make_config()


@pytest.mark.parametrize("key", ["ecsapp:loadBalancer", "ecs_app:network", "ECS-App:cluster", "other-project:services",
                                 "aws:services"])
def test_a_key_of_ours_in_another_namespace_is_an_error_with_the_right_key(key):
    # A typo in the namespace would drop the whole section silently: an HTTPS stack would serve plain HTTP.
    with pytest.raises(ConfigError) as info:
        parse(raw_config({key: {}}))
    [problem] = info.value.problems
    assert problem.key == key and problem.message.endswith(f"did you mean `ecs-app:{key.split(':')[1]}`?")


def test_keys_without_namespace_belong_to_the_project():
    raw = RawConfig(PROJECT, "test", {"aws:region": REGION, "services": {"web": service()}, "protect": True})
    cfg = parse(raw)
    assert cfg.protect is True
    assert list(cfg.services) == ["web"]


def test_project_name_comes_from_pulumi_yaml():
    assert project_name(ROOT) == "ecs-app"


# --- stack files -------------------------------------------------------------------------


def test_secure_values_become_the_placeholder_and_their_key_is_secret(tmp_path):
    # GIVEN a stack file with an encrypted value deep inside `services`
    body = service()
    body["containers"]["app"]["environment"] = {"API_KEY": {"secure": "v1:abc:def"}, "GREETING": "hi"}
    path = write_stack_file(tmp_path, {"aws:region": REGION, f"{PROJECT}:services": {"web": body}})
    # WHEN read and parsed
    raw = read_stack_file(path, PROJECT, "test")
    cfg = parse(raw)
    # THEN the value is the opaque placeholder and the top-level key is recorded as secret
    environment = cfg.services["web"].containers["app"].environment
    assert environment == {"API_KEY": SECRET_PLACEHOLDER, "GREETING": "hi"}
    assert raw.secret_keys == frozenset({f"{PROJECT}:services"})
    assert cfg.secret_keys == frozenset({f"{PROJECT}:services"})


def test_stack_file_without_secure_values_has_no_secret_keys(tmp_path):
    path = write_stack_file(tmp_path, {"aws:region": REGION, f"{PROJECT}:services": {"web": service()}})
    assert read_stack_file(path, PROJECT, "test").secret_keys == frozenset()


def test_stack_file_and_in_memory_config_parse_to_the_same_result(tmp_path):
    path = write_stack_file(tmp_path, {"aws:region": REGION, f"{PROJECT}:services": {"web": service()}})
    assert parse(read_stack_file(path, PROJECT, "test")) == make_config()


def test_missing_stack_file_is_keyed_by_its_path(tmp_path):
    missing = tmp_path / "Pulumi.nope.yaml"
    with pytest.raises(ConfigError, match="does not exist") as info:
        read_stack_file(missing, PROJECT, "nope")
    assert [(p.key, p.message) for p in info.value.problems] == [(str(missing), "does not exist")]


def test_invalid_yaml_is_keyed_by_the_file_and_says_where(tmp_path):
    path = tmp_path / "Pulumi.bad.yaml"
    path.write_text("config:\n  aws:region: [unclosed\n")
    with pytest.raises(ConfigError, match="is not valid YAML at line 3") as info:
        read_stack_file(path, PROJECT, "bad")
    assert [p.key for p in info.value.problems] == [str(path)]
    assert info.value.problems[0].message.startswith("is not valid YAML at line 3, column 1: ")


def test_stack_file_that_is_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "Pulumi.list.yaml"
    path.write_text("- aws:region\n- us-east-1\n")
    with pytest.raises(ConfigError, match="must be a mapping with a `config:` key") as info:
        read_stack_file(path, PROJECT, "list")
    assert [(p.key, p.message) for p in info.value.problems] == [
        (str(path), "must be a mapping with a `config:` key")]


def test_config_section_that_is_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "Pulumi.list.yaml"
    path.write_text("config:\n  - aws:region\n")
    with pytest.raises(ConfigError, match="must be a mapping of config keys") as info:
        read_stack_file(path, PROJECT, "list")
    assert [(p.key, p.message) for p in info.value.problems] == [("config", "must be a mapping of config keys")]


def test_empty_stack_file_reports_what_is_missing(tmp_path):
    path = tmp_path / "Pulumi.empty.yaml"
    path.write_text("")
    found = problems_of(read_stack_file(path, PROJECT, "empty"))
    assert [p.key for p in found] == ["aws:region", "services"]


# --- the Pulumi runtime ------------------------------------------------------------------


@pytest.fixture
def pulumi_env(monkeypatch):
    """Set config the way `pulumi up` passes it: PULUMI_CONFIG (JSON object of strings, objects
    JSON-encoded) and PULUMI_CONFIG_SECRET_KEYS (JSON list). In-process config that other tests
    (the mocks) may have set is cleared."""
    from pulumi.runtime import config as rc

    # The SDK's own ContextVars have these (mutable) defaults; the tests only read them.
    monkeypatch.setattr(rc, "CONFIG", ContextVar("test_config", default={}))  # noqa: B039
    monkeypatch.setattr(rc, "_SECRET_KEYS", ContextVar("test_secret_keys", default=set()))  # noqa: B039
    monkeypatch.delenv("PULUMI_CONFIG_SECRET_KEYS", raising=False)

    def set_config(values: dict[str, Any], secret_keys: list[str] | None = None) -> None:
        encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
        monkeypatch.setenv("PULUMI_CONFIG", json.dumps(encoded))
        if secret_keys is not None:
            monkeypatch.setenv("PULUMI_CONFIG_SECRET_KEYS", json.dumps(secret_keys))

    return set_config


REALISTIC = {
    "aws:region": "eu-west-1",
    "aws:profile": "deployer",
    f"{PROJECT}:protect": True,
    f"{PROJECT}:tags": {"CostCenter": "platform"},
    f"{PROJECT}:network": {"cidr": "10.30.0.0/16", "azCount": 3, "nat": "per-az",
                           "flowLogs": {"retentionDays": 90}},
    f"{PROJECT}:logs": {"retentionDays": 14},
    f"{PROJECT}:services": {
        "web": {"cpu": 512, "memory": 1024, "desiredCount": 2,
                "containers": {"app": {"image": {"build": {"context": "./app"}}, "ports": [8080],
                                       "environment": {"GREETING": "hi"}}},
                "loadBalancer": {"paths": ["/*"]},
                "autoscaling": {"min": 2, "max": 6, "cpuTarget": 60}},
        "worker": {"kind": "worker",
                   "containers": {"job": {"image": {"uri": IMAGE_URI}, "command": ["run", "--forever"]}}},
    },
}


def test_runtime_config_parses_like_the_equivalent_stack_file(pulumi_env, tmp_path):
    # GIVEN the same config as a stack file and as `pulumi up` passes it (all values strings)
    pulumi_env(REALISTIC)
    path = write_stack_file(tmp_path, REALISTIC, "Pulumi.prod.yaml")
    # WHEN both are read and parsed
    from_runtime = parse(read_runtime(PROJECT, "prod"))
    from_file = parse(read_stack_file(path, PROJECT, "prod"))
    # THEN they are the same configuration
    assert from_runtime == from_file
    assert from_runtime.region == "eu-west-1"
    assert from_runtime.protect is True  # "true" from the runtime
    assert from_runtime.network.az_count == 3
    assert list(from_runtime.services) == ["web", "worker"]


def test_runtime_values_are_decoded_from_json_strings(pulumi_env):
    pulumi_env({"aws:region": REGION, f"{PROJECT}:tags": {"Team": "a"}, f"{PROJECT}:name": "blue"})
    raw = read_runtime(PROJECT, "test")
    assert raw.values == {"aws:region": REGION, f"{PROJECT}:tags": {"Team": "a"}, f"{PROJECT}:name": "blue"}


def test_runtime_secret_keys_are_recorded(pulumi_env):
    pulumi_env({"aws:region": REGION, f"{PROJECT}:services": {"web": service()}},
               secret_keys=[f"{PROJECT}:services"])
    cfg = parse(read_runtime(PROJECT, "test"))
    assert cfg.secret_keys == frozenset({f"{PROJECT}:services"})


def test_runtime_string_numbers_are_accepted(pulumi_env):
    # GIVEN numbers written as strings inside the JSON-encoded services object
    pulumi_env({"aws:region": REGION, f"{PROJECT}:services": {"web": service(cpu="512", memory="1024")}})
    # WHEN parsed
    cfg = parse(read_runtime(PROJECT, "test"))
    # THEN pydantic coerces them to integers
    assert cfg.services["web"].cpu == 512
    assert cfg.services["web"].memory == 1024


def test_runtime_problems_name_their_keys(pulumi_env):
    pulumi_env({f"{PROJECT}:services": {"web": service(cpu=300)}, f"{PROJECT}:netwrk": {}})
    by_key = messages_by_key(read_runtime(PROJECT, "test"))
    assert set(by_key) == {"aws:region", "netwrk", "services.web.cpu"}


# --- types and the error itself ----------------------------------------------------------


def test_wrong_type_names_the_key_and_the_value():
    by_key = messages_by_key(raw_config({"services": {"web": service(cpu="big")}}))
    assert by_key == {"services.web.cpu": "must be a whole number (got 'big')"}


@pytest.mark.parametrize("overrides,key,message", [
    pytest.param({"tags": "team-a"}, "tags", "must be a mapping (got 'team-a')", id="tags-not-a-mapping"),
    pytest.param({"name": 5}, "name", "must be a string (got 5)", id="name-not-a-string"),
    pytest.param({"services": ["web"]}, "services", "must be a mapping of service name to service settings",
                 id="services-not-a-mapping"),
    pytest.param({"network": {"azCount": "three"}}, "network.azCount", "must be a whole number (got 'three')",
                 id="az-count-word"),
])
def test_wrong_type_of_a_section_or_scalar_names_its_key(overrides, key, message):
    assert messages_by_key(raw_config(overrides)) == {key: message}


def test_a_service_that_fails_its_shape_is_not_also_reported_as_no_services():
    # GIVEN the only service is malformed
    found = problems_of(raw_config({"services": {"web": service(cpu="big")}}))
    # THEN only its own problem is reported, not "define at least one service"
    assert [p.key for p in found] == ["services.web.cpu"]


def test_a_section_that_fails_its_shape_is_not_checked_by_the_rules_again():
    # GIVEN a network whose azCount breaks the shape, and zones that a rule would refuse
    # (listed twice, and fewer than azCount)
    found = problems_of(raw_config({"network": {"azCount": 7, "availabilityZones": ["us-east-1a", "us-east-1a"]}}))
    # THEN only the shape problem is reported; the rules do not run on a half-read section
    assert [(p.key, p.message) for p in found] == [("network.azCount", "must be 2 to 6 (got 7)")]


def test_one_bad_service_does_not_hide_another_services_problems():
    found = problems_of(raw_config({"services": {"web": service(cpu="big"), "api": service(cpu=300)}}))
    assert [p.key for p in found] == ["services.api.cpu", "services.web.cpu"]


def test_problems_are_sorted_by_key():
    # GIVEN problems found in this order: unknown key, region, network rule, logs rule, service
    raw = raw_config({"zeta": 1, "aws:region": None, "network": {"cidr": "banana"},
                      "logs": {"retentionDays": 10}, "services": {"web": service(cpu=300)}})
    # WHEN parsed
    keys = [p.key for p in problems_of(raw)]
    # THEN they come sorted by key
    assert keys == ["aws:region", "logs.retentionDays", "network.cidr", "services.web.cpu", "zeta"]


def test_str_of_config_error_is_one_key_message_line_per_problem():
    raw = raw_config({"aws:region": None, "logs": {"retentionDays": 10}, "services": {"web": service(cpu=300)}})
    with pytest.raises(ConfigError) as info:
        parse(raw)
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert lines == [f"{p.key}: {p.message}" for p in info.value.problems]
    assert lines[0] == "aws:region: is required, e.g. `aws:region: us-east-1`"
    assert lines[2].startswith("services.web.cpu: 300 is not a Fargate CPU size")


def test_config_error_sorts_the_problems_it_is_given():
    error = ConfigError([Problem("b.key", "second"), Problem("a.key", "first")])
    assert [p.key for p in error.problems] == ["a.key", "b.key"]
    assert str(error) == "a.key: first\nb.key: second"


# --- bugs: how loading should behave -----------------------------------------------------


def test_bad_top_level_scalar_does_not_hide_the_other_problems():
    found = problems_of(raw_config({"tags": "team-a", "logs": {"retentionDays": 10}}))
    assert [p.key for p in found] == ["logs.retentionDays", "tags"]


def test_list_indexes_are_written_the_same_way_in_every_key():
    found = problems_of(raw_config({"services": {"web": service(containers={"app": {
        "image": {"uri": IMAGE_URI}, "ports": [8080], "dependsOn": [{"container": "app", "condition": "READY"}]}})}}))
    assert [p.key for p in found] == ["services.web.containers.app.dependsOn[0].condition"]


def test_broken_network_does_not_cause_a_false_assign_public_ip_problem():
    # GIVEN nat: none (public IPs allowed) but an azCount that breaks the shape
    found = problems_of(raw_config({"network": {"nat": "none", "azCount": 7},
                                    "services": {"web": service(assignPublicIp=True)}}))
    # THEN only the azCount is wrong
    assert [p.key for p in found] == ["network.azCount"]


def test_missing_region_does_not_cause_false_availability_zone_problems():
    found = problems_of(raw_config({"aws:region": None,
                                    "network": {"availabilityZones": ["eu-west-1a", "eu-west-1b"]}}))
    assert [p.key for p in found] == ["aws:region"]


def test_stack_file_path_that_is_a_directory_is_keyed_by_the_path(tmp_path):
    with pytest.raises(ConfigError, match="cannot be read") as info:
        read_stack_file(tmp_path, PROJECT, "test")
    assert [p.key for p in info.value.problems] == [str(tmp_path)]
    assert info.value.problems[0].message.startswith("cannot be read: ")


def test_invalid_yaml_problem_is_one_line(tmp_path):
    path = tmp_path / "Pulumi.bad.yaml"
    path.write_text("config:\n  aws:region: [unclosed\n")
    with pytest.raises(ConfigError, match="is not valid YAML") as info:
        read_stack_file(path, PROJECT, "bad")
    lines = str(info.value).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: is not valid YAML")
