"""A mutation fuzzer over the shipped configs: any input is valid or a key-named ConfigError, and a valid
config renders into a plan AWS accepts. Never a traceback, never a hang."""

from __future__ import annotations

import copy
import os
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deploy.config.parse import parse
from deploy.config.problems import ConfigError
from deploy.config.source import RawConfig
from deploy.offline import plan
from tests.conftest import PROJECT, ROOT

BASES = [yaml.safe_load((ROOT / f"Pulumi.{s}.yaml").read_text())["config"] for s in ("dev", "prod")]

ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.sampled_from(["", " ", "\n", "web\n", "America", "x" * 400, "/*", "*.example.com", "localhost", "0.0.0.0/0",
                     "203.0.113.5", "10.0.0.0/23", "cron(61 3 * * ? *)", "rate(0 minutes)", "[secret]", "CMD",
                     "arn:aws:acm:eu-west-1:123456789012:certificate/x", "internal", "App_", "\x1b[31m", "-1"]),
    st.lists(st.integers(min_value=-5, max_value=70000), max_size=4),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
)


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    """Every path to a value inside a nested config."""
    found = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*path, i))
    return found


def _apply(config: dict, path: tuple, action: str, value: Any, key: str) -> dict:
    doc = copy.deepcopy(config)
    if not path:
        return doc
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete" and isinstance(parent, dict):
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last][key] = value
    elif action == "rename" and isinstance(parent, dict) and key not in parent:
        parent[key] = parent.pop(last)
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> dict:
    config = draw(st.sampled_from(BASES))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_paths(config)))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add", "rename"]))
        key = draw(st.sampled_from(["servces", "ecsapp:loadBalancer", "aws:region", "extra", "Web", "7", "web2"]))
        config = _apply(config, path, action, draw(ODD_VALUES), key)
    return config


# 60 cases in every run; `FUZZ_CASES=2000 pytest tests/config/test_fuzz.py` for a campaign.
@settings(max_examples=int(os.environ.get("FUZZ_CASES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(mutated())
def test_any_mutation_is_valid_or_refused_by_key_and_a_valid_one_renders(config):
    try:
        cfg = parse(RawConfig(PROJECT, "fuzz", config if isinstance(config, dict) else {}))
    except ConfigError as exc:
        assert exc.problems, "a ConfigError names at least one problem"
        for line in str(exc).splitlines():
            key, sep, message = line.partition(": ")
            assert sep and key and message, line
            assert line.isprintable() and len(line) < 900, line
        return
    plan.render(cfg)  # raises AcceptanceError if validate accepted what AWS refuses
