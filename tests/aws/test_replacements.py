"""The replacement table: every resource type decided, every input a real input of the provider's SDK."""

from __future__ import annotations

import importlib
import re

import pytest

from deploy.aws import replacements as rp
from deploy.aws import tokens as tok

PROVIDER_TOKENS = sorted(v for k, v in vars(tok).items()
                         if k.isupper() and isinstance(v, str) and v.startswith("aws:") and "/get" not in v)


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def args_class(token: str) -> type:
    """`aws:<module>/<file>:<Class>` -> `pulumi_aws.<module>.<Class>Args`."""
    module, cls = token.split(":")[1].split("/")[0], token.rsplit(":", 1)[1]
    return getattr(importlib.import_module(f"pulumi_aws.{module}"), f"{cls}Args")


def is_input(token: str, path: str) -> bool:
    top = re.split(r"[.\[]", path)[0]
    return isinstance(getattr(args_class(token), snake(top), None), property)


def test_every_resource_type_the_stack_creates_has_a_decision():
    assert len(PROVIDER_TOKENS) > 40, "the token scan found too few provider types"
    assert [t for t in PROVIDER_TOKENS if t not in rp.REPLACEMENTS] == []
    assert tok.IMAGE in rp.REPLACEMENTS


def test_the_table_names_no_type_the_stack_does_not_create():
    known = set(PROVIDER_TOKENS) | {tok.IMAGE}
    assert [t for t in rp.REPLACEMENTS if t not in known] == []


@pytest.mark.parametrize("token", PROVIDER_TOKENS)
def test_every_listed_input_is_an_input_of_the_resource_in_the_installed_sdk(token):
    entry = rp.REPLACEMENTS[token]
    paths = [*entry.inputs, *(c.input for c in entry.conditional)]
    assert [p for p in paths if not is_input(token, p)] == []


def test_the_camel_case_conversion_finds_the_args_class_and_rejects_a_made_up_input():
    assert args_class(tok.SUBNET).__name__ == "SubnetArgs"
    assert is_input(tok.SERVICE, "capacityProviderStrategies")
    assert not is_input(tok.SERVICE, "capacityProviderStrategy")  # Terraform's name, renamed by the bridge
    assert not is_input(tok.SUBNET, "cidrBlocks")


def test_region_replaces_every_regional_resource_and_the_global_ones_have_none():
    global_types = {tok.ROLE, tok.ROLE_POLICY, tok.ROLE_POLICY_ATTACHMENT, tok.INSTANCE_PROFILE, tok.RECORD}
    for token in PROVIDER_TOKENS:
        assert (rp.REGION in rp.REPLACEMENTS[token].inputs) == (token not in global_types), token
        assert is_input(token, rp.REGION) == (token not in global_types), token


def test_each_entry_cites_its_source_and_says_what_a_replacement_means():
    for token, entry in rp.REPLACEMENTS.items():
        if token.startswith("aws:"):
            assert re.fullmatch(r"terraform-provider-aws internal/service/[a-z0-9]+/\w+\.go", entry.source), token
        assert entry.commit == "" or re.fullmatch(r"[0-9a-f]{40}", entry.commit), token
        assert len(entry.consequence) > 20 and not entry.consequence.endswith("."), token
        assert len(set(entry.inputs)) == len(entry.inputs), token
        assert all(c.when for c in entry.conditional), token


def test_the_subnet_and_network_facts_read_in_the_schema():
    for name in ("cidrBlock", "vpcId", "availabilityZone", "availabilityZoneId"):
        assert rp.forces_replacement(tok.SUBNET, name), name
    assert not rp.forces_replacement(tok.SUBNET, "mapPublicIpOnLaunch")
    assert not rp.forces_replacement(tok.SUBNET, "cidrBlockX")  # a prefix of a name is not the name
    assert rp.forces_replacement(tok.VPC, "cidrBlock")
    assert not rp.forces_replacement(tok.VPC, "enableDnsHostnames")
    assert rp.forces_replacement(tok.ROUTE_TABLE_ASSOCIATION, "subnetId")
    assert not rp.forces_replacement(tok.ROUTE_TABLE_ASSOCIATION, "routeTableId")
    assert not rp.forces_replacement(tok.INTERNET_GATEWAY, "vpcId")


def test_the_load_balancing_facts_read_in_the_schema():
    assert rp.forces_replacement(tok.LOAD_BALANCER, "name")
    assert rp.forces_replacement(tok.LOAD_BALANCER, "internal")
    assert not rp.forces_replacement(tok.LOAD_BALANCER, "subnets")  # an ALB's subnets change in place
    assert not rp.forces_replacement(tok.LOAD_BALANCER, "idleTimeout")
    for name in ("name", "port", "protocol", "vpcId", "targetType"):
        assert rp.forces_replacement(tok.TARGET_GROUP, name), name
    assert not rp.forces_replacement(tok.TARGET_GROUP, "healthCheck.path")
    assert not rp.forces_replacement(tok.LISTENER_RULE, "priority")
    assert not rp.forces_replacement(tok.LISTENER, "port")


def test_the_registry_and_service_facts_read_in_the_schema():
    assert rp.forces_replacement(tok.REPOSITORY, "name")
    assert not rp.forces_replacement(tok.REPOSITORY, "imageTagMutability")
    assert rp.forces_replacement(tok.SERVICE, "name")
    assert rp.forces_replacement(tok.SERVICE, "cluster")
    assert not rp.forces_replacement(tok.SERVICE, "desiredCount")
    assert not rp.forces_replacement(tok.SERVICE, "taskDefinition")
    assert not rp.forces_replacement(tok.SERVICE, "loadBalancers[0].targetGroupArn")
    assert not rp.forces_replacement(tok.SERVICE, "networkConfiguration.subnets")
    assert rp.forces_replacement(tok.TASK_DEFINITION, "containerDefinitions[0].image")


def test_a_customize_diff_replacement_counts_only_when_the_stack_always_meets_its_condition():
    [strategy] = rp.conditions(tok.SERVICE, "capacityProviderStrategies[0].capacityProvider")
    assert strategy.assumed and "forceNewDeployment" in strategy.when
    assert rp.forces_replacement(tok.SERVICE, "capacityProviderStrategies[0].capacityProvider")
    assert rp.forces_replacement(tok.VPC, "instanceTenancy")
    [ipv6] = rp.conditions(tok.SUBNET, "ipv6CidrBlock")
    assert not ipv6.assumed and not rp.forces_replacement(tok.SUBNET, "ipv6CidrBlock")
    assert rp.conditions(tok.SERVICE, "desiredCount") == ()
    assert rp.conditions("aws:unknown/thing:Thing", "name") == ()


def test_auto_named_types_replace_on_name_and_name_prefix():
    for token in (tok.SECURITY_GROUP, tok.LOAD_BALANCER, tok.TARGET_GROUP, tok.ROLE, tok.LOG_GROUP, tok.QUEUE,
                  tok.SCHEDULE, tok.LAUNCH_TEMPLATE, tok.ASG, tok.INSTANCE_PROFILE, tok.ROLE_POLICY):
        assert rp.forces_replacement(token, "name") and rp.forces_replacement(token, "namePrefix"), token


def test_only_immutable_revisions_are_routine_replacements():
    routine = {t for t, e in rp.REPLACEMENTS.items() if e.routine}
    assert routine == {tok.TASK_DEFINITION, tok.LIFECYCLE_POLICY}
    assert not rp.REPLACEMENTS[tok.LAUNCH_TEMPLATE].routine  # a new version is an in-place update


def test_an_unknown_type_replaces_nothing():
    assert rp.entry("aws:unknown/thing:Thing") is None
    assert not rp.forces_replacement("aws:unknown/thing:Thing", "name")
    assert rp.REPLACEMENTS[tok.IMAGE].inputs == ()
