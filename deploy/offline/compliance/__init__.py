"""Compliance of a rendered stack: the CrossGuard pack's validators run over the offline plan.

`check(rendered, policy_config)` turns every planned resource into the validators' `Res`
shape and evaluates the whole registry with the stack's policy config (the same file
`pulumi preview --policy-pack policies --policy-pack-config` reads). No Pulumi CLI and no
`pulumi_policy` are needed: the validators are plain modules in `policies/controls`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policies.controls import UNKNOWN, Evaluation, PolicyConfig, Res, evaluate
from policies.controls import settings as policy_settings

from ...aws.tokens import SECRET_PLACEHOLDER
from ...config.source import PROJECT_DIR
from ..engine import Rendered, Resource

POLICY_DIR = PROJECT_DIR / "policies"
CONFIG_DIR = POLICY_DIR / "config"


def as_resource(r: Resource) -> Res:
    """An offline plan resource as the validators see it. Secrets the plan cannot read become UNKNOWN."""
    return Res(type=r.type, name=r.name, urn=r.urn, props=_unknown_secrets(r.inputs), id=r.id,
               outputs=_unknown_secrets({k: v for k, v in r.state.items() if k not in r.inputs}))


def _unknown_secrets(value: Any) -> Any:
    if value == SECRET_PLACEHOLDER:
        return UNKNOWN
    if isinstance(value, dict):
        return {k: _unknown_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unknown_secrets(v) for v in value]
    return value


def default_config_path(stack: str) -> Path:
    return CONFIG_DIR / f"{stack}.json"


def load_policy_config(stack: str, path: Path | None = None, protected: bool = False) -> PolicyConfig:
    """The stack's policy config: `path`, else `policies/config/<stack>.json` when it exists, else defaults.

    A `protected` stack (config `protect: true`) is production whatever the file says: its
    production-dependent controls (ELB.6) are raised to their production level. Raises
    `PolicyConfigError` (one line per problem) for an unreadable or invalid file, or one that
    lowers such a control by name for a protected stack.
    """
    if path is None:
        path = default_config_path(stack)
        config = policy_settings.load(path, _display(path)) if path.exists() else policy_settings.defaults()
    else:
        config = policy_settings.load(path, _display(path))
    return config.as_production(PROTECTED) if protected else config


PROTECTED = "`protect: true`"
"""What marks a stack production besides its policy config."""


def config_display(stack: str, config: PolicyConfig) -> str:
    """Where the stack's policy config is (or would be), as messages name it: `policies/config/dev.json`."""
    return config.source or _display(default_config_path(stack))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(POLICY_DIR.parent))
    except ValueError:
        return str(path)


def check(rendered: Rendered, config: PolicyConfig) -> Evaluation:
    return evaluate((as_resource(r) for r in rendered.resources), config)
