"""The config `pulumi up` hands this program (values are strings, objects JSON-encoded)."""

from __future__ import annotations

from ..config.source import RawConfig, json_value
from . import sdk


def read_runtime(project: str, stack: str) -> RawConfig:
    """The running stack's config in the same flat shape a stack file gives."""
    merged, secret = sdk.runtime_config()
    return RawConfig(project, stack, {key: json_value(value) for key, value in merged.items()}, frozenset(secret))

