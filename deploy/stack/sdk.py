"""Every private Pulumi SDK name this project uses, and nothing else.

The offline engine needs a few internals that the SDK does not export: running a program
to completion on the current event loop, clearing the runtime's bookkeeping between two
renders, recognising a serialized secret, and reading the secret config keys the engine
passes. They are tied to the pinned SDK version (`requirements.txt`); `tests/stack/test_sdk.py`
fails, naming the version, when an upgrade moves or removes one of them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pulumi.runtime import config as _config
from pulumi.runtime import rpc as _rpc
from pulumi.runtime.settings import SETTINGS as _SETTINGS
from pulumi.runtime.stack import run_pulumi_func as _run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

T = TypeVar("T")

PINNED_VERSION = "3.272.0"
"""The SDK version these names were read from."""


def sdk_version() -> str:
    from importlib.metadata import version

    return version("pulumi")


def wait(awaitable: Awaitable[T]) -> T:
    """Run `awaitable` to completion on the runtime's event loop (the SDK's own `_sync_await`)."""
    return _sync_await(awaitable)


def run_program(program: Callable[[], None]) -> None:
    """Run a Pulumi program function and wait for every registration and output it starts."""
    wait(_run_pulumi_func(program))


def reset_runtime() -> None:
    """Forget the RPCs and outputs a previous program left in the process-wide settings."""
    _SETTINGS.rpc_manager.clear()
    _SETTINGS.outputs.clear()


def is_secret_value(value: Any) -> bool:
    """A deserialized property value that stands for a secret (`{sig: secret, value: ...}`)."""
    return isinstance(value, dict) and value.get(_rpc._special_sig_key) == _rpc._special_secret_sig


def deserialize(properties: Any) -> Any:
    """A registration's serialized properties as Python values, unknowns kept."""
    return _rpc.deserialize_properties(properties, keep_unknowns=True)


def runtime_config() -> tuple[dict[str, Any], set[str]]:
    """(config values, secret keys) the engine passes a program, from the environment and in-process."""
    merged = {**_config.get_config_env(), **_config.CONFIG.get()}
    secret = set(_config.get_config_secret_keys_env()) | set(_config._SECRET_KEYS.get())
    return merged, secret


REQUIRED = {
    "pulumi.runtime.sync_await._sync_await": _sync_await,
    "pulumi.runtime.stack.run_pulumi_func": _run_pulumi_func,
    "pulumi.runtime.settings.SETTINGS.rpc_manager": getattr(_SETTINGS, "rpc_manager", None),
    "pulumi.runtime.settings.SETTINGS.outputs": getattr(_SETTINGS, "outputs", None),
    "pulumi.runtime.rpc._special_sig_key": getattr(_rpc, "_special_sig_key", None),
    "pulumi.runtime.rpc._special_secret_sig": getattr(_rpc, "_special_secret_sig", None),
    "pulumi.runtime.rpc.deserialize_properties": getattr(_rpc, "deserialize_properties", None),
    "pulumi.runtime.config._SECRET_KEYS": getattr(_config, "_SECRET_KEYS", None),
    "pulumi.runtime.config.get_config_env": getattr(_config, "get_config_env", None),
    "pulumi.runtime.config.get_config_secret_keys_env": getattr(_config, "get_config_secret_keys_env", None),
}
"""Each private name and what it resolved to (None: gone in this SDK version)."""
