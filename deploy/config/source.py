"""Where a stack's configuration comes from: the project directory and its `Pulumi.<stack>.yaml` files.

A stack file gives the flat map `{"<namespace>:<key>": value}` that Pulumi stores, as YAML
values. `secure:` values cannot be decrypted offline; they become the opaque placeholder
`SECRET_PLACEHOLDER`, and their keys are remembered. (Under `pulumi up` the same map comes
from the engine instead: `deploy.stack.runtime`.) The engine hands a mapping and the same
mapping written as a JSON string (`pulumi config set ecs-app:services '{...}'`, or a `pulumi
new` prompt) alike, so a top-level string holding a JSON object or list is read as that
object here too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..aws.tokens import SECRET_PLACEHOLDER
from ..errors import ArgumentError, literal
from . import yaml_safe
from .problems import ConfigError, Problem

PROJECT_DIR = Path(__file__).resolve().parents[2]
"""The project this package belongs to: `Pulumi.yaml`, the stack files, `__main__.py`."""


@dataclass(frozen=True)
class RawConfig:
    """A stack's config as Pulumi stores it, before validation."""

    project: str
    stack: str
    values: Mapping[str, Any]
    secret_keys: frozenset[str] = frozenset()


def project_name(project_dir: Path = PROJECT_DIR) -> str:
    """The `name` in the project's `Pulumi.yaml`: the namespace of its config keys."""
    data = yaml.safe_load((project_dir / "Pulumi.yaml").read_text(encoding="utf-8")) or {}
    return str(data["name"])


def stack_names(project_dir: Path = PROJECT_DIR) -> list[str]:
    """The stacks that have a `Pulumi.<stack>.yaml` in the project."""
    return sorted(p.name[len("Pulumi."):-len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))


def stack_file(stack: str | None, config_file: Path | None, project_dir: Path = PROJECT_DIR) -> tuple[str, Path]:
    """(stack name, file to read) for a stack name or an explicit config file.

    A config file of any name stands for any stack: its stack name is `stack` when given,
    else the `<name>` of `Pulumi.<name>.yaml`, else the file's stem.
    """
    if config_file is not None:
        if stack is None:
            name = config_file.name
            stack = name[len("Pulumi."):-len(".yaml")] if name.startswith("Pulumi.") and name.endswith(".yaml") \
                else config_file.stem
        return stack, config_file
    if stack is None or not stack.strip():
        raise ArgumentError("{stack}: required (or {config_file})", stack=None, config_file=None)
    path = project_dir / f"Pulumi.{stack}.yaml"
    if path.parent != project_dir or not path.is_file():
        available = ", ".join(stack_names(project_dir)) or "none"
        raise ArgumentError("{stack}: " + literal(f"no stack {stack!r} here; stacks: {available}"), stack=None)
    return stack, path


def read_stack_file(path: Path, project: str, stack: str) -> RawConfig:
    """Read a `Pulumi.<stack>.yaml`-format file; ConfigError (keyed by the file) if it cannot be read."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem(where, "does not exist")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(where, f"cannot be read: {exc}")]) from None
    return read_stack_text(text, where, project, stack)


def read_stack_text(text: str, where: str, project: str, stack: str) -> RawConfig:
    """The same, from the text of a stack file (`where` names it in problems: a path, `FILE@REF`)."""
    try:
        data = yaml_safe.load(text) or {}
    except yaml_safe.YamlLimit as exc:
        raise ConfigError([Problem(where, str(exc))]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise ConfigError([Problem(where, f"is not valid YAML{at}: {reason}")]) from None
    if not isinstance(data, dict):
        raise ConfigError([Problem(where, "must be a mapping with a `config:` key")])
    config = data.get("config") or {}
    if not isinstance(config, dict):
        raise ConfigError([Problem("config", "must be a mapping of config keys")])
    odd = [k for k in config if not isinstance(k, str)]
    if odd:
        raise ConfigError([Problem("config", f"keys are `<namespace>:<key>` strings (got {k!r})") for k in odd])
    secret: set[str] = set()
    values = {key: _strip_secure(key, json_value(value), secret) for key, value in config.items()}
    return RawConfig(project, stack, values, frozenset(secret))


def json_value(value: Any) -> Any:
    """A string that holds a JSON object or list, as that value; else `value`.

    Pulumi hands a program object and list config values JSON-encoded; plain scalars ("10",
    "true") stay strings, which pydantic coerces per field.
    """
    if not isinstance(value, str) or not value.lstrip().startswith(("{", "[")):
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return decoded if isinstance(decoded, (dict, list)) else value


def _strip_secure(key: str, value: Any, secret: set[str]) -> Any:
    if isinstance(value, dict) and set(value) == {"secure"}:
        secret.add(key.split(".")[0])
        return SECRET_PLACEHOLDER
    if isinstance(value, dict):
        return {k: _strip_secure(key, v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_secure(key, v, secret) for v in value]
    return value
