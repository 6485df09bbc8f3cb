"""Settings the config used to accept and AWS refuses at deploy time: each is now a key-named problem."""

from __future__ import annotations

from typing import Any

import pytest

from deploy.config.parse import parse
from deploy.config.problems import ConfigError, Problem
from deploy.config.source import read_stack_file
from tests.conftest import PRIVATE_IMAGE, make_config, raw_config, service


def problems(overrides: dict[str, Any] | None = None, services: dict[str, Any] | None = None) -> list[Problem]:
    with pytest.raises(ConfigError) as info:
        parse(raw_config(overrides, services=services))
    return info.value.problems


def only(overrides: dict[str, Any] | None = None, services: dict[str, Any] | None = None) -> Problem:
    [problem] = problems(overrides, services)
    return problem


def web(**fields: Any) -> dict[str, Any]:
    return {"web": service(**fields)}


def app(**fields: Any) -> dict[str, Any]:
    return {"containers": {"app": {"image": {"uri": PRIVATE_IMAGE}, "ports": [8080], **fields}}}


# --- regions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("region,words", [
    ("nowhere", "'nowhere' is not an AWS Region; e.g. us-east-1"),
    ("mars-central-1", "'mars-central-1' is not an AWS Region"),
    ("ap-northeast-02", "did you mean `ap-northeast-2`?"),
    ("[secret]", "cannot be a secure value"),
    (12, "12 is not an AWS Region"),
])
def test_the_region_must_be_an_aws_region(region, words):
    problem = only({"aws:region": region})
    assert problem.key == "aws:region" and words in problem.message


def test_china_and_govcloud_regions_are_regions():
    assert make_config({"aws:region": "cn-north-1"}).region == "cn-north-1"
    assert make_config({"aws:region": "us-gov-west-1"}).region == "us-gov-west-1"


# --- container health checks, ports, images -----------------------------------------------------


def test_a_container_health_check_times_out_after_at_most_60_seconds():
    problem = only(services={"web": app(healthCheck={"command": ["CMD", "true"], "interval": 90, "timeout": 61})})
    assert (problem.key, problem.message) == ("services.web.containers.app.healthCheck.timeout",
                                              "must be 2 to 60 s (got 61)")


def test_a_health_check_command_starts_with_cmd_or_cmd_shell():
    problem = only(services={"web": app(healthCheck={"command": ["curl", "-f", "localhost"]})})
    assert problem.key == "services.web.containers.app.healthCheck.command"
    assert problem.message.startswith('must start with "CMD" (run the arguments) or "CMD-SHELL"')
    make_config(services={"web": app(healthCheck={"command": ["CMD-SHELL", "curl -f localhost || exit 1"]})})


def test_an_empty_image_uri_is_refused():
    problem = only(services={"web": {"containers": {"app": {"image": {"uri": ""}, "ports": [8080]}}}})
    assert problem.key == "services.web.containers.app.image.uri" and "an image reference" in problem.message


def test_an_ingress_address_without_a_prefix_length_is_refused():
    problem = only({"loadBalancer": {"ingressCidrs": ["203.0.113.5"]}})
    assert problem.key == "loadBalancer.ingressCidrs[0]"
    assert problem.message == "'203.0.113.5' is an address, not a CIDR block; write 203.0.113.5/32 for one address"


@pytest.mark.parametrize("value,key", [(True, "services.web.cpu"), (1e20, "services.web.desiredCount"),
                                       (10**30, "services.web.desiredCount")])
def test_booleans_and_huge_numbers_are_not_counts(value, key):
    field = key.rsplit(".", 1)[1]
    problem = only(services={"web": {**app(), field: value}})
    assert problem.key == key
    assert problem.message in ("must be a whole number, not true or false", "is too large a number (got 1e+20)",
                               "must be 0 to 5000 (got 1000000000000000000000000000000)")


# --- schedules --------------------------------------------------------------------------------


@pytest.mark.parametrize("expression,words", [
    ("cron(61 3 * * ? *)", "minutes 61 is out of range (0-59)"),
    ("cron(0 25 * * ? *)", "hours 25 is out of range (0-23)"),
    ("cron(0 3 ? * 8 *)", "day-of-week 8 is out of range (1-7)"),
    ("cron(0 3 1 13 ? *)", "month 13 is out of range (1-12)"),
    ("at(2026-02-30T09:00:00)", "is not a date and time"),
])
def test_schedule_fields_out_of_range_are_refused(expression, words):
    problem = only(services={"job": {"kind": "scheduled", "containers": {"job": {"image": {"uri": PRIVATE_IMAGE}}},
                                     "schedule": {"expression": expression}}})
    assert problem.key == "services.job.schedule.expression" and words in problem.message


@pytest.mark.parametrize("zone", ["America", "x" * 350, "Mars/Olympus"])
def test_a_time_zone_is_looked_up_not_opened(zone):
    problem = only(services={"job": {"kind": "scheduled", "containers": {"job": {"image": {"uri": PRIVATE_IMAGE}}},
                                     "schedule": {"expression": "rate(1 day)", "timezone": zone}}})
    assert problem.key == "services.job.schedule.timezone" and "is not an IANA time zone" in problem.message


# --- names ------------------------------------------------------------------------------------


def test_a_prefix_starting_with_internal_would_name_the_alb_internal_dash():
    problem = only({"name": "internal"})
    assert problem.key == "name" and "ELB refuses names that begin with \"internal-\"" in problem.message


def test_every_name_a_worker_derives_must_fit_not_only_the_target_group():
    # prefix "test": "test-<41 chars>" is 46; + "-execution-role" (15) + 8 = 69 > 64 (IAM roles)
    name = "w" * 41
    problem = only(services={name: {"kind": "worker", "containers": {"w": {"image": {"uri": PRIVATE_IMAGE}}}}})
    assert problem.key == f"services.{name}"
    assert f"the execution role name 'test-{name}-execution-role' plus Pulumi's 8-character suffix exceeds " \
           "AWS's 64 characters" in problem.message
    assert "use a service name of at most 36 characters" in problem.message
    make_config(services={"w" * 36: {"kind": "worker", "containers": {"w": {"image": {"uri": PRIVATE_IMAGE}}}}})


def test_a_schedule_name_must_fit_64_characters():
    name = "j" * 40  # test-<40>-schedule + 8 = 67 > 64
    problem = only(services={name: {"kind": "scheduled", "containers": {"j": {"image": {"uri": PRIVATE_IMAGE}}},
                                    "schedule": {"expression": "rate(1 day)"}}})
    assert "64 characters" in problem.message


def test_containers_that_differ_only_by_case_collide():
    found = problems(services={"web": {"containers": {
        "app": {"image": {"uri": PRIVATE_IMAGE}, "ports": [8080]}, "App": {"image": {"uri": PRIVATE_IMAGE}}}}})
    assert [(p.key, p.message.split(";")[0]) for p in found] == [
        ("services.web.containers.app", "differs from container 'App' only by case")]


def test_two_services_whose_registry_names_collide_are_refused():
    found = problems(services={"web": {"containers": {"a-b": {"image": {"build": {"context": "./app"}}, "ports": [8080]}}},
                               "web-a": {"kind": "worker", "containers": {"b": {"image": {"tag": "v1"}}}}})
    assert [p.key for p in found] == ["services.web-a.containers.b"]
    assert "its ECR repository 'test-web-a-b' is also the one of services.web.containers.a-b" in found[0].message


def test_a_container_with_an_ecr_repository_starts_and_ends_with_a_letter_or_digit():
    problem = only(services={"web": {"containers": {"app_": {"image": {"tag": "v1"}, "ports": [8080]}}}})
    assert problem.key == "services.web.containers.app_" and "start and end with a letter or digit" in problem.message


# --- listener rules and certificates ---------------------------------------------------------------


def test_a_listener_rule_takes_at_most_five_condition_values():
    problem = only(services=web(loadBalancer={"paths": ["/a/*", "/b/*", "/c/*"], "hosts": ["a.example.com",
                                                                                           "b.example.com", "c.example.com"]}))
    assert problem.key == "services.web.loadBalancer" and "at most 5 condition values" in problem.message


def test_a_listener_rule_takes_at_most_five_wildcards():
    problem = only(services=web(loadBalancer={"paths": ["/*/*/*", "/x/*/*/*"]}))
    assert "at most 5 wildcards" in problem.message


@pytest.mark.parametrize("host,words", [("localhost", "must include a '.'"), ("api.example.c0m", "only letters after"),
                                        ("a" * 125 + ".com", "at most 128 characters")])
def test_host_values_are_names_alb_accepts(host, words):
    problem = only(services=web(loadBalancer={"hosts": [host]}))
    assert problem.key == "services.web.loadBalancer.hosts" and words in problem.message


def test_path_values_are_at_most_128_characters():
    problem = only(services=web(loadBalancer={"paths": ["/" + "p" * 128]}))
    assert problem.key == "services.web.loadBalancer.paths" and "at most 128 characters" in problem.message


def test_the_certificate_must_be_in_the_stacks_region():
    problem = only({"loadBalancer": {"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"}})
    assert problem.key == "loadBalancer.certificateArn" and "is a certificate in eu-west-1" in problem.message


# --- the stack file itself -----------------------------------------------------------------------


@pytest.mark.parametrize("text,words", [
    ("config:\n  ecs-app:tags: &a\n    x: *a\n", "an alias refers to a value that contains it"),
    ("config:\n  ecs-app:tags: " + "[" * 3000 + "]" * 3000 + "\n", "nests deeper than 64 levels"),
    ("a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
                                                for p, c in zip("abcdef", "bcdefg")) + "config: {x: *g}\n",
     "expands to more than 100000 values"),
    ("config:\n  aws:region: us-east-1\n  aws:region: eu-west-1\n", "key 'aws:region' is given twice (lines 2 and 3)"),
    ("config:\n  7: x\n", "keys are `<namespace>:<key>` strings (got 7)"),
])
def test_stack_files_that_are_not_stack_files_are_refused_quickly(tmp_path, text, words):
    path = tmp_path / "Pulumi.x.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        read_stack_file(path, "ecs-app", "x")
    assert words in str(info.value)


def test_control_characters_and_huge_values_are_shown_escaped_and_short():
    found = problems({"ecs-app:netw\x1b[31mork": {}, "loadBalancer": {"tlsPolicy": "x" * 10000}})
    text = "\n".join(str(p) for p in found)
    assert "\x1b" not in text and "netw\\x1b[31mork" in text
    assert max(len(line) for line in text.splitlines()) < 700


def test_validate_notes_the_key_policies_a_customer_managed_key_needs(capsys, tmp_path):
    import yaml

    from deploy.cli import main

    kms = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    path = tmp_path / "Pulumi.keys.yaml"
    path.write_text(yaml.safe_dump({"config": {
        "aws:region": "us-east-1", "ecs-app:logs": {"kmsKeyArn": kms},
        "ecs-app:cluster": {"ec2": {"instanceTypes": ["m7g.large"], "volumeKmsKeyArn": kms}},
        "ecs-app:services": {"web": {"containers": {"app": {"image": {"uri": PRIVATE_IMAGE}, "ports": [8080]}}}}}}))
    assert main(["validate", "--config-file", str(path)]) == 0
    notes = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("note: ")]
    assert [n.split(":", 2)[1].strip() for n in notes] == ["logs.kmsKeyArn", "cluster.ec2.volumeKmsKeyArn"]
    assert "logs.us-east-1.amazonaws.com" in notes[0] and "AWSServiceRoleForAutoScaling" in notes[1]


def test_a_vpc_too_small_for_the_albs_subnets_is_refused_only_with_web_services():
    problem = only({"network": {"cidr": "10.0.0.0/23"}})
    assert problem.key == "network.cidr" and "needs /27 or larger; use a /22 VPC or larger" in problem.message
    make_config({"network": {"cidr": "10.0.0.0/23"}},
                services={"w": {"kind": "worker", "containers": {"w": {"image": {"uri": PRIVATE_IMAGE}}}}})


def test_more_than_fifty_tags_with_the_stacks_own_are_refused():
    problem = only({"tags": {f"team{i}": "x" for i in range(46)}})
    assert problem.key == "tags" and "a resource would carry 51 tags; AWS takes at most 50: drop 1" in problem.message
    make_config({"tags": {f"team{i}": "x" for i in range(45)}})


def test_tags_with_the_reserved_aws_prefix_are_refused():
    assert only({"tags": {"aws:owner": "me"}}).message == "the aws: prefix is reserved for AWS's own tags"


def test_a_build_context_must_be_a_folder_of_the_project():
    problem = only(services={"web": {"containers": {"app": {"image": {"build": {"context": "./nope"}},
                                                            "ports": [8080]}}}})
    assert problem.key == "services.web.containers.app.image.build.context"
    make_config(services={"web": {"containers": {"app": {"image": {"build": {"context": "./app"}}, "ports": [8080]}}}})


def test_writable_paths_that_would_share_a_volume_are_refused():
    problem = only(services={"web": app(writablePaths=["/tmp/x", "/tmp-x"])})
    assert problem.key == "services.web.containers.app.writablePaths[1]"
    assert "would share the task volume 'app-tmp-x'" in problem.message


def test_a_rule_that_a_higher_priority_rule_always_shadows_is_refused():
    problem = only(services={"cart": service(loadBalancer={"paths": ["/cart/*"], "priority": 100}),
                             "users": service(loadBalancer={"paths": ["/cart/users/*"], "priority": 200})})
    assert problem.key == "services.users.loadBalancer"
    assert problem.message.startswith("service 'cart' (priority 100) matches every request this rule (priority 200)")
    # Derived priorities put the narrower rule first: no problem.
    make_config(services={"cart": service(loadBalancer={"paths": ["/cart/*"]}),
                          "users": service(loadBalancer={"paths": ["/cart/users/*"]})})


def test_services_that_call_each_other_round_are_refused():
    problem = only(services={
        "a": {**app(), "calls": ["b"]},
        "b": {"kind": "worker", "containers": {"b": {"image": {"uri": PRIVATE_IMAGE}, "ports": [9000]}}, "calls": ["a"]}})
    assert problem.key == "services.a.calls" and problem.message.startswith("a -> b -> a call each other round")


def _ec2_worker(**fields: Any) -> dict[str, Any]:
    return {"kind": "worker", "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}], "architecture": "ARM64",
            "containers": {"w": {"image": {"uri": PRIVATE_IMAGE}}}, **fields}


def test_ec2_capacity_must_hold_every_awsvpc_task_without_trunking():
    # m7g.large: 3 network interfaces, 2 for tasks; 2 instances hold 4 tasks, the service wants 8.
    ec2 = {"cluster": {"ec2": {"instanceTypes": ["m7g.large"], "maxSize": 2}}}
    problem = only(ec2, services={"worker": _ec2_worker(desiredCount=8)})
    assert problem.key == "cluster.ec2.maxSize"
    assert "run up to 8 tasks, but at most 4 fit on 2 instances (maxSize)" in problem.message and "raise maxSize to 4" in problem.message
    make_config({"cluster": {"ec2": {"instanceTypes": ["m7g.large"], "maxSize": 4}}},
                services={"worker": _ec2_worker(desiredCount=8)})
    make_config({"cluster": {"ec2": {"instanceTypes": ["m7g.large"], "maxSize": 2, "awsvpcTrunking": True}}},
                services={"worker": _ec2_worker(desiredCount=8)})


def test_network_interfaces_follow_the_ec2_table():
    from deploy.aws import instances

    assert [instances.lookup(t).network_interfaces for t in ("t3.micro", "t3.medium", "m5.large", "t3.xlarge",
                                                             "m5.4xlarge", "m5.16xlarge", "c5.9xlarge")] == [
        2, 3, 3, 4, 8, 15, 8]


def test_a_container_with_capitals_gets_a_port_name_ecs_accepts():
    from deploy.offline import plan
    from tests.conftest import inputs_json

    cfg = make_config(services={"web": {"containers": {"WebApp": {"image": {"uri": PRIVATE_IMAGE}, "ports": [8080]}}}})
    task = plan.render(cfg).one("aws:ecs/taskDefinition:TaskDefinition")  # the acceptance check passes
    assert inputs_json(task, "containerDefinitions")[0]["portMappings"][0]["name"] == "webapp-8080"


def test_a_service_name_with_a_trailing_newline_is_refused():
    problem = only(services={"web\n": app()})
    assert problem.key == "services.web\n" and "lowercase letters, digits and hyphens" in problem.message
    assert str(problem).startswith("services.web\\n: ")  # shown escaped


def test_a_stack_name_that_leaves_the_project_is_no_stack():
    from deploy.config.source import stack_file
    from deploy.errors import ArgumentError

    with pytest.raises(ArgumentError, match=r"no stack '\.\./Pulumi' here; stacks: dev, prod"):
        stack_file("../Pulumi", None)


# --- container restart policies -----------------------------------------------------------------


def test_a_restart_attempt_period_is_60_to_1800_seconds():
    problem = only(services={"web": app(restartPolicy={"enabled": True, "restartAttemptPeriod": 30})})
    assert (problem.key, problem.message) == ("services.web.containers.app.restartPolicy.restartAttemptPeriod",
                                              "must be 60 to 1800 s (got 30)")
    make_config(services={"web": app(restartPolicy={"enabled": True, "restartAttemptPeriod": 1800})})


def test_a_restart_policy_ignores_at_most_50_exit_codes():
    problem = only(services={"web": app(restartPolicy={"enabled": True, "ignoredExitCodes": list(range(51))})})
    assert problem.key == "services.web.containers.app.restartPolicy.ignoredExitCodes"
    assert problem.message.startswith("allows at most 50 items")


def test_an_ignored_exit_code_is_an_exit_status_of_0_to_255():
    problem = only(services={"web": app(restartPolicy={"enabled": True, "ignoredExitCodes": [0, 256]})})
    assert problem.key == "services.web.containers.app.restartPolicy.ignoredExitCodes[1]"
    assert problem.message == "must be 0 to 255 (got 256)"


def test_a_restart_policy_must_say_whether_it_is_enabled():
    problem = only(services={"web": app(restartPolicy={"ignoredExitCodes": [0]})})
    assert problem.key == "services.web.containers.app.restartPolicy.enabled"


# --- security groups of tasks and of the load balancer ----------------------------------------------

GROUPS = [f"sg-{i:017x}" for i in range(1, 6)]


def test_tasks_join_at_most_four_groups_besides_their_own():
    # ECS AwsVpcConfiguration: "There's a limit of 5 security groups that can be specified".
    problem = only(services={"web": {**app(), "securityGroupIds": GROUPS}})
    assert problem.key == "services.web.securityGroupIds"
    assert problem.message == ("allows at most 4 security groups (got 5): ECS attaches at most 5 to a task's network "
                               "interface, and the stack's own task group is one of them")
    assert make_config(services={"web": {**app(), "securityGroupIds": GROUPS[:4]}}).services["web"].security_group_ids \
        == GROUPS[:4]


def test_a_scheduled_task_joins_at_most_four_groups_too():
    job = {"kind": "scheduled", "containers": {"job": {"image": {"uri": PRIVATE_IMAGE}}},
           "schedule": {"expression": "rate(1 hour)"}, "securityGroupIds": GROUPS}
    problem = only(services={"job": job})
    assert problem.key == "services.job.securityGroupIds" and "at most 4 security groups" in problem.message


@pytest.mark.parametrize("value", ["sg-123", "sg-0123456789ABCDEF0", "0123456789abcdef0", "sg-0123456789abcdef01",
                                   "db-access"])
def test_a_security_group_id_is_sg_and_8_or_17_hex_digits(value):
    problem = only(services={"web": {**app(), "securityGroupIds": [GROUPS[0], value]}})
    assert problem.key == "services.web.securityGroupIds[1]"
    assert problem.message.startswith("must be a security group ID: sg- and 8 or 17 lowercase hex digits")


def test_a_security_group_listed_twice_is_refused():
    problem = only(services={"web": {**app(), "securityGroupIds": ["sg-0a1b2c3d", "sg-0a1b2c3d"]}})
    assert (problem.key, problem.message) == ("services.web.securityGroupIds", "lists sg-0a1b2c3d more than once")


def test_load_balancer_ingress_groups_are_security_group_ids():
    problem = only({"loadBalancer": {"ingressSecurityGroupIds": ["bastion"]}})
    assert problem.key == "loadBalancer.ingressSecurityGroupIds[0]" and "a security group ID" in problem.message
