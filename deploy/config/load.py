"""Read a stack's configuration from a `Pulumi.<stack>.yaml` file or from the Pulumi runtime,
and turn it into one validated `StackConfig` or one `ConfigError` listing every problem.

Both sources give the same flat map `{"<namespace>:<key>": value}`: the file as YAML
values, the runtime as strings (objects JSON-encoded). `secure:` values cannot be
decrypted offline; they become the opaque placeholder `SECRET_PLACEHOLDER`.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import yaml
from pydantic import TypeAdapter, ValidationError

from .model import SCALARS, SECTIONS, Service, StackConfig

_SCALAR_ADAPTERS = {
    "name": TypeAdapter(Optional[str]),
    "protect": TypeAdapter(bool),
    "tags": TypeAdapter(dict[str, str]),
}
from .rules import SECRET_PLACEHOLDER, Problem, check



class ConfigError(Exception):
    """Invalid configuration: `problems` holds one entry per problem, each naming its key."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.key)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class RawConfig:
    """A stack's config as Pulumi stores it, before validation."""

    project: str
    stack: str
    values: Mapping[str, Any]
    secret_keys: frozenset[str] = frozenset()


def project_name(project_dir: Path) -> str:
    data = yaml.safe_load((project_dir / "Pulumi.yaml").read_text()) or {}
    return str(data["name"])


def read_stack_file(path: Path, project: str, stack: str) -> RawConfig:
    """Read a `Pulumi.<stack>.yaml`-format file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError([Problem("--config-file", f"{path} does not exist")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem("--config-file", f"{path} cannot be read: {exc}")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise ConfigError([Problem("--config-file", f"{path} is not valid YAML{where}: {reason}")]) from None
    if not isinstance(data, dict):
        raise ConfigError([Problem("--config-file", f"{path} must be a mapping with a `config:` key")])
    config = data.get("config") or {}
    if not isinstance(config, dict):
        raise ConfigError([Problem("config", "must be a mapping of config keys")])
    secret: set[str] = set()
    values = {key: _strip_secure(key, value, secret) for key, value in config.items()}
    return RawConfig(project, stack, values, frozenset(secret))


def _strip_secure(key: str, value: Any, secret: set[str]) -> Any:
    if isinstance(value, dict) and set(value) == {"secure"}:
        secret.add(key.split(".")[0])
        return SECRET_PLACEHOLDER
    if isinstance(value, dict):
        return {k: _strip_secure(key, v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_secure(key, v, secret) for v in value]
    return value


def read_runtime(project: str, stack: str) -> RawConfig:
    """The config `pulumi up` hands to this program (values are strings, objects JSON)."""
    from pulumi.runtime import config as rc

    merged = {**rc.get_config_env(), **rc.CONFIG.get()}
    secret = set(rc.get_config_secret_keys_env()) | set(rc._SECRET_KEYS.get())  # noqa: SLF001
    values = {key: _decode(value) for key, value in merged.items()}
    return RawConfig(project, stack, values, frozenset(secret))


def _decode(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    # Plain scalars ("10", "true") stay strings; pydantic coerces them per field.
    return decoded if isinstance(decoded, (dict, list)) else value


def parse(raw: RawConfig) -> StackConfig:
    """Validate everything; raise one ConfigError with every problem found."""
    problems: list[Problem] = []
    failed: set[str] = set()
    fields: dict[str, Any] = {}
    own: dict[str, Any] = {}

    for full_key, value in raw.values.items():
        namespace, _, key = full_key.rpartition(":")
        if namespace in ("", raw.project):
            own[key] = value
    region = raw.values.get("aws:region")
    if not region:
        problems.append(Problem("aws:region", "is required, e.g. `aws:region: us-east-1`"))
        region = ""  # rules that depend on the region skip an unknown one

    known = [*SECTIONS, *SCALARS]
    for key, value in own.items():
        if key in SECTIONS:
            model = SECTIONS[key]
            try:
                fields[key] = model.model_validate(value if value is not None else {})
            except ValidationError as exc:
                problems.extend(_from_pydantic(key, exc))
                failed.add(key)
        elif key == "services":
            fields["services"] = _parse_services(value, problems, failed)
        elif key in SCALARS:
            try:
                fields[key] = _SCALAR_ADAPTERS[key].validate_python(value)
            except ValidationError as exc:
                problems.extend(_from_pydantic(key, exc))
                failed.add(key)
        else:
            problems.append(Problem(key, "unknown config key" + _did_you_mean(key, known)))

    try:
        cfg = StackConfig.model_validate(
            {"project": raw.project, "stack": raw.stack, "region": region, **fields,
             "secret_keys": raw.secret_keys}
        )
    except ValidationError as exc:
        problems.extend(_from_pydantic("", exc))
        raise ConfigError(problems) from None

    problems.extend(p for p in check(cfg) if not _masked(p, failed))
    if problems:
        raise ConfigError(problems)
    return cfg


def _masked(problem: Problem, failed: set[str]) -> bool:
    """A rule problem about, or judged against, a section that already failed its shape."""
    if any(_under(problem.key, f) for f in failed):
        return True
    return any(_under(f, b) or _under(b, f) for b in problem.basis for f in failed)


def _parse_services(value: Any, problems: list[Problem], failed: set[str]) -> dict[str, Service]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem("services", "must be a mapping of service name to service settings"))
        failed.add("services")
        return {}
    adapter = TypeAdapter(Service)
    parsed: dict[str, Service] = {}
    for name, body in value.items():
        try:
            parsed[str(name)] = adapter.validate_python(body if body is not None else {})
        except ValidationError as exc:
            problems.extend(_from_pydantic(f"services.{name}", exc))
            failed.add(f"services.{name}")
    return parsed


def _under(key: str, section: str) -> bool:
    return key == section or key.startswith(section + ".")


def _from_pydantic(prefix: str, exc: ValidationError) -> Iterable[Problem]:
    for err in exc.errors():
        key = prefix
        for part in err["loc"]:
            if isinstance(part, int):
                key += f"[{part}]"  # list positions read like rules.py's keys: dependsOn[0]
            elif not str(part).startswith("function-"):
                key = f"{key}.{part}" if key else str(part)
        loc = [str(part) for part in err["loc"]]
        if err["type"] == "extra_forbidden":
            siblings = _sibling_keys(exc, err["loc"][:-1])
            yield Problem(key, "unknown key" + _did_you_mean(loc[-1], siblings))
            continue
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            message = "is required"
        elif "input" in err and not isinstance(err["input"], (dict, list)):
            message = f"{message} (got {err['input']!r})"
        yield Problem(key, message)


def _sibling_keys(exc: ValidationError, parent_loc: tuple) -> list[str]:
    """Allowed keys at the level of an unknown key, for the 'did you mean' hint."""
    model = _model_at(exc.title, parent_loc)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(title: str, loc: tuple) -> Any:
    from . import model as m

    current = getattr(m, title, None)
    skip = False
    for part in loc:
        if skip:  # a dict key (e.g. a container's name) or a list index
            skip = False
            continue
        if current is None or not hasattr(current, "model_fields"):
            return None
        field = next((f for n, f in current.model_fields.items() if part in (n, f.alias)), None)
        if field is None:
            return None
        skip = _is_collection(field.annotation)
        current = _inner_model(field.annotation)
    return current


def _is_collection(annotation: Any) -> bool:
    from typing import get_args, get_origin

    if get_origin(annotation) in (dict, list):
        return True
    return any(_is_collection(a) for a in get_args(annotation))


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    if hasattr(annotation, "model_fields"):
        return annotation
    for arg in reversed(get_args(annotation)):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(key: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.6)
    if close:
        return f"; did you mean `{close[0]}`?"
    allowed = sorted(candidates)
    return f"; allowed: {', '.join(allowed)}" if allowed else ""


def load(path: Path, project: str, stack: str) -> StackConfig:
    return parse(read_stack_file(path, project, stack))
