"""Automation API plumbing shared by `deploy.api`: workspace options, engine events, summaries.

The workspace is always this project directory as a *local program* (`work_dir`), so the
Automation API runs the same `__main__.py`, with the same `Pulumi.<stack>.yaml`, as
`pulumi up -s <stack>` does. Nothing here starts the Pulumi CLI; `deploy.api` does.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import automation as auto

LOCAL_ENV = "ECS_APP_LOCAL_BACKEND"
"""Set to 1/true/yes to use the local file backend without passing `--local`."""
STATE_DIR = ".pulumi-state"
"""The local file backend, inside the project (ignored by git)."""
PASSPHRASE_VARS = ("PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE")
SECRET_MASK = "[secret]"


def wants_local(local: bool | None, env: Mapping[str, str] = os.environ) -> bool:
    """`--local` / `local=True`, else the ECS_APP_LOCAL_BACKEND environment variable."""
    if local is not None:
        return local
    return env.get(LOCAL_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def backend_url(project_dir: Path) -> str:
    """`file://` URL of the local backend: `file:///abs/path` (POSIX) or `file://C:/path` (Windows)."""
    return "file://" + (project_dir / STATE_DIR).resolve().as_posix()


def workspace_options(project_dir: Path, *, local: bool, pulumi_command: auto.PulumiCommand | None = None,
                      env: Mapping[str, str] = os.environ) -> auto.LocalWorkspaceOptions:
    """Options for a LocalWorkspace over `project_dir` as a local program.

    Local backend: `PULUMI_BACKEND_URL` points at `<project>/.pulumi-state` and new stacks
    get the `passphrase` secrets provider. The passphrase itself is NOT copied into the
    options: the CLI inherits it from this process's environment (`PulumiCommand.run`
    merges `os.environ`), and `LocalWorkspace.__repr__` prints `env_vars`, so a copy
    would leak into any log line or traceback that shows the workspace.
    Otherwise the backend is whatever the user is logged in to (`pulumi login`, or
    `PULUMI_BACKEND_URL` already in the environment). `project_settings` is never passed:
    the SDK would rewrite the project's Pulumi.yaml with it.
    """
    env_vars: dict[str, str] = {"PULUMI_SKIP_UPDATE_CHECK": "true"}
    secrets_provider = None
    if local:
        env_vars["PULUMI_BACKEND_URL"] = backend_url(project_dir)
        secrets_provider = "passphrase"
    return auto.LocalWorkspaceOptions(work_dir=str(project_dir), env_vars=env_vars,
                                      secrets_provider=secrets_provider, pulumi_command=pulumi_command)


def missing_passphrase(env: Mapping[str, str] = os.environ) -> bool:
    """The local backend's passphrase provider needs one of PASSPHRASE_VARS (an empty value counts)."""
    return all(var not in env for var in PASSPHRASE_VARS)


@dataclass
class EngineLog:
    """Collects what the engine reports while an operation runs (`on_event` callback).

    The SDK may call it from several gRPC worker threads, hence the lock.
    """

    errors: list[tuple[str, str]] = field(default_factory=list)
    """(resource URN, message) of each error diagnostic about a resource."""
    failed: list[str] = field(default_factory=list)
    """URNs of resource operations that failed."""
    changes: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """URN -> the new outputs of each resource the engine finished."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, event: auto.EngineEvent) -> None:
        with self._lock:
            diag = event.diagnostic_event
            if diag is not None and diag.severity == "error" and diag.urn and "pulumi:pulumi:Stack" not in diag.urn:
                self.errors.append((diag.urn, diag.message.strip()))
            if event.res_op_failed_event is not None:
                self.failed.append(event.res_op_failed_event.metadata.urn)
            if event.summary_event is not None:
                self.changes = {str(k): v for k, v in (event.summary_event.resource_changes or {}).items()}
            done = event.res_outputs_event
            if done is not None and done.metadata.new is not None:
                self.outputs[done.metadata.urn] = dict(done.metadata.new.outputs or {})


# --- summaries (pure) --------------------------------------------------------------------

_ORDER = ("create", "update", "replace", "create-replacement", "delete-replaced", "delete", "read", "refresh",
          "import", "same", "discard")
_WORDS = {"create": "created", "update": "updated", "replace": "replaced", "delete": "deleted", "same": "unchanged",
          "read": "read", "refresh": "refreshed", "import": "imported", "discard": "discarded",
          "create-replacement": "created (replacement)", "delete-replaced": "deleted (replaced)"}


def changes_text(changes: Mapping[str, int], preview: bool = False) -> str:
    """`2 created, 1 updated, 45 unchanged` (`to create` ... for a preview)."""
    parts = []
    for kind in sorted(changes, key=lambda k: (_ORDER.index(k) if k in _ORDER else len(_ORDER), k)):
        count = changes[kind]
        if count:
            word = _WORDS.get(kind, kind)
            if preview and kind in ("create", "update", "replace", "delete"):
                word = f"to {kind}"
            parts.append(f"{count} {word}")
    return ", ".join(parts) or "no changes"


def duration_text(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{seconds:.1f}s"


def output_text(value: Any, secret: bool) -> str:
    if secret:
        return SECRET_MASK
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, sort_keys=True)


def summary_lines(operation: str, stack: str, changes: Mapping[str, int], seconds: float,
                  outputs: Mapping[str, Any]) -> list[str]:
    """The end-of-run summary: changes by kind, duration, outputs (secrets masked).

    `outputs` maps names to objects with `.value` and `.secret` (the SDK's OutputValue).
    """
    verb = {"preview": "Preview", "up": "Update", "refresh": "Refresh", "destroy": "Destroy",
            "release": "Release"}.get(operation, operation)
    lines = [f"{verb} of stack {stack} finished in {duration_text(seconds)}: "
             f"{changes_text(changes, preview=operation == 'preview')}"]
    if outputs:
        lines.append("Outputs:")
        width = max(len(k) for k in outputs)
        lines += [f"  {k:<{width}}  {output_text(v.value, v.secret)}" for k, v in sorted(outputs.items())]
    return lines
