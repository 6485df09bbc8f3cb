"""A stack's policy config: enforcement levels, parameters and exceptions (pure Python).

The file is exactly what `pulumi preview --policy-pack policies --policy-pack-config F`
reads: a JSON object keyed by policy name (`ecs-2`, `elb-6`; or `all`), each value an
enforcement level or an object with `enforcementLevel`, the policy's parameters,
`exceptions` and an optional `comment`. Pulumi hands each policy its own object
(`args.get_config()`); `deploy check` reads the same file through `parse()`.

An exception names its control (the key it sits under), the resource (a name, a glob
pattern such as `dev-*-rule`, or a URN) and a non-empty reason. Exceptions live here,
never in the policy code.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import ADVISORY, DISABLED, MANDATORY, Control, Res
from .registry import BY_POLICY_NAME, REGISTRY

LEVELS = (ADVISORY, MANDATORY, "remediate", DISABLED)
BLOCKING = (MANDATORY, "remediate")
"""Levels at which a failing control stops the deployment (Pulumi reports a remediate policy that still fails as
mandatory)."""
COMMON_KEYS = ("enforcementLevel", "exceptions", "comment")
_STRICTNESS = {DISABLED: 0, ADVISORY: 1, MANDATORY: 2, "remediate": 2}
"""How far a level goes: a production level is met by it or by a stricter one."""


class PolicyConfigError(Exception):
    """Invalid policy config: one line per problem, each naming the key."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Waiver:
    control: str
    resource: str
    reason: str

    def matches(self, r: Res) -> bool:
        return r.urn == self.resource or fnmatch.fnmatchcase(r.name, self.resource)


@dataclass(frozen=True)
class PolicyConfig:
    levels: Mapping[str, str]
    """Control ID -> effective enforcement level."""
    properties: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Control ID -> its config object (parameters and exceptions), as Pulumi would pass it."""
    source: str | None = None
    level_keys: Mapping[str, str] = field(default_factory=dict)
    """Control ID -> the key of the file that set its level (`all` or the policy's name)."""
    production_by: str | None = None
    """What marks the stack production when the file alone does not (`protect: true`), else None."""

    def level(self, control: Control) -> str:
        return self.levels.get(control.id, control.enforcement)

    def waivers(self, control: Control) -> list[Waiver]:
        return waivers(control, self.properties.get(control.id, {}))

    def params(self, control: Control) -> dict[str, Any]:
        return control.settings(self.properties.get(control.id, {}))

    @property
    def production(self) -> bool:
        """Marked production: every control that blocks a production deployment (ELB.6) is at its production level.
        The controls that only report in production (SEC.2) follow the mark, they do not make it."""
        markers = [c for c in REGISTRY if c.production_enforcement in BLOCKING]
        return bool(markers) and all(self._at_production_level(c) for c in markers)

    def _at_production_level(self, c: Control) -> bool:
        return _STRICTNESS.get(self.level(c), 0) >= _STRICTNESS.get(c.production_enforcement or "", 0)

    def as_production(self, why: str) -> PolicyConfig:
        """This config for a stack that is production for another reason (`why`, e.g. `protect: true`).

        Each production-dependent control is raised to its production level, over a level of `all`.
        A level the file sets for that control by name, lower than the production one, is a
        PolicyConfigError: the file and the stack disagree, and neither silently wins.
        """
        levels = dict(self.levels)
        problems = []
        for c in REGISTRY:
            if not c.production_enforcement or self._at_production_level(c):
                continue
            key = self.level_keys.get(c.id)
            if key == c.policy_name:
                where = f"{self.source}: " if self.source else ""
                problems.append(f"{where}{key}.enforcementLevel: {self.level(c)}, but {why} marks the stack "
                                f"production, where {c.id} is {c.production_enforcement}; remove the level, or the "
                                "reason")
            else:
                levels[c.id] = c.production_enforcement
        if problems:
            raise PolicyConfigError(problems)
        if levels == self.levels:
            return self  # the file already says production, everywhere it matters
        return PolicyConfig(levels, self.properties, self.source, self.level_keys, why)


def waivers(control: Control, config: Mapping[str, Any]) -> list[Waiver]:
    """The exceptions in one policy's config object; PolicyConfigError if one lacks a resource or reason."""
    problems: list[str] = []
    found = _waivers(control, config.get("exceptions"), control.policy_name, problems)
    if problems:
        raise PolicyConfigError(problems)
    return found


def _waivers(control: Control, raw: Any, key: str, problems: list[str]) -> list[Waiver]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{key}.exceptions: must be a list of {{resource, reason}} objects")
        return []
    found = []
    for i, item in enumerate(raw):
        where = f"{key}.exceptions[{i}]"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: must be an object with resource and reason")
            continue
        for extra in sorted(set(item) - {"resource", "reason"}):
            problems.append(f"{where}.{extra}: unknown key; an exception has resource and reason")
        resource, reason = item.get("resource"), item.get("reason")
        if not isinstance(resource, str) or not resource.strip():
            problems.append(f"{where}.resource: required: the resource name, a glob pattern or a URN")
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"{where}.reason: required: say why {control.id} does not apply to this resource")
        if isinstance(resource, str) and resource.strip() and isinstance(reason, str) and reason.strip():
            found.append(Waiver(control.id, resource.strip(), reason.strip()))
    return found


def parse(data: Any, source: str | None = None) -> PolicyConfig:
    """Validate a policy config object the way `deploy check` needs it; every problem at once."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise PolicyConfigError([f"{source or 'policy config'}: must be a JSON object keyed by policy name"])
    levels: dict[str, str] = {}
    level_keys: dict[str, str] = {}
    properties: dict[str, dict[str, Any]] = {}
    everything = data.get("all")
    if everything is not None:
        level = everything.get("enforcementLevel") if isinstance(everything, Mapping) else everything
        if level not in LEVELS:
            problems.append(f"all: {level!r} is not an enforcement level ({', '.join(LEVELS)})")
        else:
            levels.update({c.id: level for c in REGISTRY})
            level_keys.update({c.id: "all" for c in REGISTRY})
    for key, value in data.items():
        if key == "all":
            continue
        control = BY_POLICY_NAME.get(key)
        if control is None:
            hint = difflib.get_close_matches(str(key), list(BY_POLICY_NAME), n=1)
            problems.append(f"{key}: unknown policy" + (f"; did you mean `{hint[0]}`?" if hint else ""))
            continue
        if isinstance(value, str):
            value = {"enforcementLevel": value}
        if not isinstance(value, Mapping):
            problems.append(f"{key}: must be an enforcement level or an object")
            continue
        level = value.get("enforcementLevel")
        if level is not None:
            if level in LEVELS:
                levels[control.id] = level
                level_keys[control.id] = key
            else:
                problems.append(f"{key}.enforcementLevel: {level!r} is not one of {', '.join(LEVELS)}")
        for extra in sorted(set(value) - set(COMMON_KEYS) - set(control.params)):
            allowed = ", ".join(list(COMMON_KEYS) + list(control.params))
            problems.append(f"{key}.{extra}: unknown key; {control.id} accepts {allowed}")
        for name, schema in control.params.items():
            if name in value:
                problems += _check_param(f"{key}.{name}", value[name], schema)
        if "comment" in value and not isinstance(value["comment"], str):
            problems.append(f"{key}.comment: must be a string")
        _waivers(control, value.get("exceptions"), key, problems)
        properties[control.id] = {k: v for k, v in value.items() if k != "enforcementLevel"}
    if problems:
        raise PolicyConfigError([f"{source}: {p}" if source else p for p in problems])
    return PolicyConfig(levels, properties, source, level_keys)


def _check_param(key: str, value: Any, schema: Mapping[str, Any]) -> list[str]:
    if schema.get("type") == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
        return [f"{key}: must be an integer"]
    if "minimum" in schema and value < schema["minimum"]:
        return [f"{key}: must be at least {schema['minimum']}"]
    if "maximum" in schema and value > schema["maximum"]:
        return [f"{key}: must be at most {schema['maximum']}"]
    return []


def load(path: Path, display: str | None = None) -> PolicyConfig:
    name = display or str(path)
    try:
        data = json.loads(path.read_text())
    except OSError as exc:
        raise PolicyConfigError([f"{name}: cannot be read ({exc.strerror or exc})"]) from exc
    except json.JSONDecodeError as exc:
        raise PolicyConfigError([f"{name}: not valid JSON (line {exc.lineno}: {exc.msg})"]) from exc
    return parse(data, name)


def defaults() -> PolicyConfig:
    return PolicyConfig({})


def config_schema(control: Control) -> dict[str, dict[str, Any]]:
    """The JSON schema of one policy's config object (Pulumi validates it before the pack runs)."""
    exception = {"type": "object", "additionalProperties": False, "required": ["resource", "reason"],
                 "properties": {"resource": {"type": "string", "minLength": 1},
                                "reason": {"type": "string", "pattern": "\\S"}}}
    return {"exceptions": {"type": "array", "items": exception,
                           "description": "Resources this control is waived for, each with the reason."},
            "comment": {"type": "string", "description": "Why this policy is configured the way it is."},
            **{k: dict(v) for k, v in control.params.items()}}
