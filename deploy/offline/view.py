"""Lookups over a rendered plan, shared by its readers (cost, diagram) (pure).

Relationships are followed by value, as AWS follows them: a service's `taskDefinition` is
its task definition's ARN, a NAT gateway's `allocationId` its Elastic IP's ID.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..aws import fargate
from .engine import Resource


class View:
    """The custom resources of a plan (components create nothing in AWS by themselves)."""

    def __init__(self, resources: Iterable[Resource]):
        self.custom = [r for r in resources if r.custom]

    def of(self, type_: str) -> list[Resource]:
        return sorted((r for r in self.custom if r.type == type_), key=lambda r: r.name)

    def by_id(self, type_: str, id_: Any) -> Resource | None:
        return next((r for r in self.of(type_) if id_ is not None and r.id == id_), None)

    def by_arn(self, type_: str, arn: Any) -> Resource | None:
        return next((r for r in self.of(type_) if arn is not None and r.state.get("arn") == arn), None)


def task_size(task_inputs: dict[str, Any]) -> tuple[float, float, str]:
    """(vCPU, memory GB, CPU architecture) from a task definition's inputs as sent to AWS."""
    arch = (task_inputs.get("runtimePlatform") or {}).get("cpuArchitecture") or "X86_64"
    return fargate.vcpu(int(task_inputs.get("cpu") or 0)), int(task_inputs.get("memory") or 0) / 1024, arch


def container_definitions(task_definition: Resource) -> list[dict[str, Any]]:
    """The container definitions of a task definition (empty when they are secret or unreadable)."""
    raw = task_definition.inputs.get("containerDefinitions") or "[]"
    try:
        containers = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return []
    return [c for c in containers if isinstance(c, dict)] if isinstance(containers, list) else []


CLOUDWATCH_OUTPUTS = ("cloudwatch_logs", "cloudwatch")
"""Fluent Bit's CloudWatch Logs outputs: the C plugin and the older Go plugin of AWS for Fluent Bit."""


def log_group(container: dict[str, Any]) -> str | None:
    """The log group a container definition writes to: its awslogs group, or the group its FireLens
    cloudwatch_logs output names."""
    config = container.get("logConfiguration") or {}
    options = config.get("options") or {}
    if config.get("logDriver") == "awsfirelens":
        return options.get("log_group_name") if options.get("Name") in CLOUDWATCH_OUTPUTS else None
    return options.get("awslogs-group")


def log_output(container: dict[str, Any]) -> str | None:
    """Where a container's logs go outside CloudWatch Logs, through FireLens: its Fluent Bit output's plugin and
    host (`http logs.example.com`); None for awslogs and the CloudWatch outputs."""
    config = container.get("logConfiguration") or {}
    options = config.get("options") or {}
    if config.get("logDriver") != "awsfirelens" or options.get("Name") in CLOUDWATCH_OUTPUTS:
        return None
    where = options.get("Host") or options.get("bucket") or options.get("delivery_stream") or options.get("stream")
    return " ".join(str(x) for x in (options.get("Name") or "custom", where) if x)


def container_log_groups(task_definition: Resource) -> set[str]:
    """Log groups the containers of a task definition write to (awslogs driver)."""
    return {g for c in container_definitions(task_definition) if (g := log_group(c))}
