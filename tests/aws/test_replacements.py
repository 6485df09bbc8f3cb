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
    module, cls = token.split(":")[1].split("/")[0], token.rsplit(":", 1)[1]
    return getattr(importlib.import_module(f"pulumi_aws.{module}"), f"{cls}Args")


def test_every_resource_type_the_stack_creates_has_a_decision():
    assert PROVIDER_TOKENS, "no provider tokens found"
    missing = [t for t in PROVIDER_TOKENS if t not in rp.REPLACEMENTS]
    assert missing == []


@pytest.mark.parametrize("token", PROVIDER_TOKENS)
def test_every_listed_input_is_an_input_of_the_resource_in_the_pinned_sdk(token):
    cls = args_class(token)
    for path in rp.REPLACEMENTS[token].inputs:
        top = path.split(".")[0]
        assert isinstance(getattr(cls, snake(top), None), property), f"{token}: {top} is not an input"


def test_each_entry_cites_its_source_and_says_what_a_replacement_means():
    for token, entry in rp.REPLACEMENTS.items():
        assert entry.source.startswith(("terraform-provider-aws internal/service/", "awsx ")), token
        assert len(entry.consequence) > 20 and not entry.consequence.endswith("."), token


def test_the_traps_force_a_replacement_and_scaling_does_not():
    assert rp.forces_replacement(tok.SUBNET, "cidrBlock")
    assert rp.forces_replacement(tok.SUBNET, "availabilityZone")
    assert rp.forces_replacement(tok.LOAD_BALANCER, "name")
    assert rp.forces_replacement(tok.LOAD_BALANCER, "internal")
    assert rp.forces_replacement(tok.REPOSITORY, "name")
    assert rp.forces_replacement(tok.SERVICE, "capacityProviderStrategies[0].capacityProvider")
    assert rp.forces_replacement(tok.TARGET_GROUP, "port")
    assert rp.forces_replacement(tok.TASK_DEFINITION, "containerDefinitions[0].image")
    assert not rp.forces_replacement(tok.SERVICE, "desiredCount")
    assert not rp.forces_replacement(tok.SERVICE, "loadBalancers[0].targetGroupArn")
    assert not rp.forces_replacement(tok.SERVICE, "networkConfiguration.subnets")
    assert not rp.forces_replacement(tok.SUBNET, "cidrBlockX")  # a prefix of a name is not the name
    assert not rp.forces_replacement("aws:unknown/thing:Thing", "name")


def test_only_the_task_definition_changes_by_replacement_routinely():
    assert [t for t, e in rp.REPLACEMENTS.items() if e.routine] == [tok.TASK_DEFINITION]
