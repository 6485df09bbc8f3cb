"""The config `pulumi up` hands this program (values are strings, objects JSON-encoded)."""

from __future__ import annotations

import json
from typing import Any

from ..config.source import RawConfig
from . import sdk


def read_runtime(project: str, stack: str) -> RawConfig:
    """The running stack's config in the same flat shape a stack file gives."""
    merged, secret = sdk.runtime_config()
    return RawConfig(project, stack, {key: _decode(value) for key, value in merged.items()}, frozenset(secret))


def _decode(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    # Plain scalars ("10", "true") stay strings; pydantic coerces them per field.
    return decoded if isinstance(decoded, (dict, list)) else value
