"""Shared fixtures: Pulumi mocks, config builders.

Every test that creates resources runs them through `deploy.offline.render`, which sets
fresh Pulumi mocks (`preview=False`, so every value is known and every `apply` runs) with
a recording monitor: tests assert on exactly what the engine would send to AWS (camelCase
inputs), on parents and on counts.
"""

from __future__ import annotations

import asyncio
import copy
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# Python 3.12+ creates no implicit event loop; Pulumi's runtime needs one before set_mocks.
asyncio.set_event_loop(asyncio.new_event_loop())

from deploy.stack import lazy_aws

lazy_aws.enable()  # as `python -m deploy` does: load pulumi_aws classes one at a time

from deploy.config.model import StackConfig
from deploy.config.parse import parse
from deploy.config.source import RawConfig
from deploy.offline import engine as offline

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
"""Stack files of the tests' own: `Pulumi.small.yaml` (dev-shaped) and `Pulumi.mixed.yaml` (prod-shaped)."""
PROJECT = "ecs-app"
REGION = "us-east-1"


class _NoProcesses(subprocess.Popen):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any):
        raise AssertionError("a unit test started a process; mark it @pytest.mark.integration")


@pytest.fixture(autouse=True)
def unit_tests_start_no_processes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast unit layer (`-m "not integration"`) never starts a process."""
    if request.node.get_closest_marker("integration") is None:
        monkeypatch.setattr(subprocess, "Popen", _NoProcesses)


@pytest.fixture
def render() -> Callable[..., offline.Rendered]:
    """Run a function that creates resources under mocks; returns what was registered."""

    def run(program: Callable[[], Any], stack: str = "test", region: str = REGION) -> offline.Rendered:
        def wrapped():
            result = program()
            return result if isinstance(result, dict) else None

        return offline.render(wrapped, PROJECT, stack, region)

    return run


def inputs_json(resource: offline.Resource, key: str) -> Any:
    """Decode an input that AWS receives as a JSON string (policies, container definitions)."""
    return json.loads(resource.inputs[key])


PRIVATE_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/nginx-unprivileged:1.27"
"""An image in the test region's private ECR: it pulls in every network, NAT or not."""

MINIMAL_SERVICE: dict[str, Any] = {
    "containers": {"app": {"image": {"uri": PRIVATE_IMAGE}, "ports": [8080]}},
    "loadBalancer": {},
}


def raw_config(overrides: dict[str, Any] | None = None, stack: str = "test",
               services: dict[str, Any] | None = None) -> RawConfig:
    """A valid stack config (one web service) with top-level keys replaced by `overrides`.

    Keys are written as in Pulumi.<stack>.yaml without the namespace (`network`, `services`)
    or fully qualified (`aws:region`).
    """
    values: dict[str, Any] = {"aws:region": REGION,
                              f"{PROJECT}:services": {"web": copy.deepcopy(MINIMAL_SERVICE)}}
    if services is not None:
        values[f"{PROJECT}:services"] = services
    for key, value in (overrides or {}).items():
        full = key if ":" in key else f"{PROJECT}:{key}"
        if value is None:
            values.pop(full, None)
        else:
            values[full] = value
    return RawConfig(PROJECT, stack, values)


def make_config(overrides: dict[str, Any] | None = None, stack: str = "test",
                services: dict[str, Any] | None = None) -> StackConfig:
    return parse(raw_config(overrides, stack, services))


def service(**fields: Any) -> dict[str, Any]:
    """The minimal web service with some fields replaced."""
    body = copy.deepcopy(MINIMAL_SERVICE)
    body.update(fields)
    return body
