"""The "did you mean" rule: a suggestion only when close and of the same kind; "not supported yet" for
features users ask for."""

from __future__ import annotations

import pytest

from deploy.config import hints
from deploy.config.model import Container, LoadBalancer, Service
from deploy.config.parse import _sibling_keys

CONTAINER = _sibling_keys(Container)
SERVICE = _sibling_keys(Service)


@pytest.mark.parametrize("typed,known", [
    ("healthcheck", "healthCheck"),  # case only
    ("desiredcount", "desiredCount"),
    ("desired_count", "desiredCount"),  # snake_case
    ("memroy", "memory"),  # two neighbours swapped
    ("netwrk", "network"),  # one letter left out
    ("cpuTaget", "cpuTarget"),
    ("pth", "path"),  # an abbreviation
    ("certArn", "certificateArn"),
])
def test_a_near_miss_is_close(typed, known):
    assert hints.closeness(typed, known) is not None


@pytest.mark.parametrize("typed,known", [
    ("mountPoints", "entryPoint"),
    ("gpu", "cpu"),  # one letter of three: another word, not a typo
    ("timeout", "timezone"),
    ("env", "environment"),  # too short an abbreviation to be sure
    ("volumes", "command"),
])
def test_a_different_word_is_not_close_either_way(typed, known):
    assert hints.closeness(typed, known) is None
    assert hints.closeness(known, typed) is None


@pytest.mark.parametrize("typed,value,expected", [
    ("memroy", 512, "memory"),
    ("desiredcount", 2, "desiredCount"),
    ("memroy", {"size": 512}, None),  # a mapping is not the number `memory` takes
    ("autoscalling", {"max": 4}, "autoscaling"),
    ("autoscalling", 4, None),  # a number is not the mapping `autoscaling` takes
    ("contaners", {"app": {}}, "containers"),
    ("contaners", ["app"], None),
    ("gpu", 1, None),
])
def test_a_suggestion_takes_the_same_kind_of_value(typed, value, expected):
    assert hints.suggestion(typed, SERVICE, value) == expected


def test_a_list_key_is_not_suggested_for_a_single_value_nor_the_other_way_round():
    assert hints.suggestion("port", CONTAINER, 8080) is None
    assert hints.suggestion("port", CONTAINER, [8080]) == "ports"
    assert hints.suggestion("comand", CONTAINER, ["sh"]) == "command"
    assert hints.suggestion("comand", CONTAINER, "sh -c true") is None


def test_a_key_without_a_value_may_mean_any_kind():
    assert hints.suggestion("memroy", SERVICE, None) == "memory"


@pytest.mark.parametrize("model,key,feature", [
    (Container, "volumesFrom", "volumes other than EFS"),
    (Container, "gpu", "GPUs"),
    (Service, "operatingSystemFamily", "Windows containers"),
    (Service, "proxyConfiguration", "App Mesh"),
    (LoadBalancer, "type", "network load balancers"),
])
def test_features_users_ask_for_are_not_supported_yet_and_point_to_the_readme(model, key, feature):
    message = hints.unsupported(model.__name__, key)
    assert message is not None and message.startswith(f"not supported yet ({feature}")
    assert message.endswith('the README section "Not supported yet" shows how to add it next to the stack')


def test_volumes_and_mounts_are_supported_now():
    assert hints.unsupported("Service", "volumes") is None
    assert hints.unsupported("Container", "mountPoints") is None


def test_the_ecs_name_for_mounts_suggests_mounts_for_a_list_only():
    assert hints.suggestion("mountPoints", CONTAINER, [{"sourceVolume": "data"}]) == "mounts"
    assert hints.suggestion("mountPoints", CONTAINER, {"data": "/data"}) is None
    assert hints.suggestion("mountPoints", SERVICE, [{"sourceVolume": "data"}]) is None


def test_a_key_is_unsupported_only_where_it_would_belong():
    assert hints.unsupported("Routing", "type") is None  # a service's routing has no type to ask for
    assert hints.unsupported("Container", "memory") is None


def test_every_unsupported_key_is_really_missing_from_its_model():
    import deploy.config.model as m

    for model, keys in hints.UNSUPPORTED.items():
        known = {hints.normalised(k) for k in _sibling_keys(getattr(m, model))}
        assert not known & set(keys), model


def test_the_readme_has_the_section_the_messages_point_to():
    from tests.conftest import ROOT

    assert "\n## Not supported yet\n" in (ROOT / "README.md").read_text()
