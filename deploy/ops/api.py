"""Deploy from Python: preview, up, refresh, destroy, outputs and image-only releases of a stack.

    from deploy import api

    result = api.up(stack="dev", on_output=my_logger.info)
    print(result.outputs["albUrl"].value, result.changes)

Every function drives the Pulumi CLI through the Automation API over this project directory
as a local program, so it runs exactly what `pulumi up -s <stack>` runs, with the same
`Pulumi.<stack>.yaml`. Each validates the stack configuration offline first (a bad config
raises `ConfigError` before the CLI is touched) and raises `Failure` (one line: CLI missing,
no AWS credentials, stack locked or missing, failed update naming the resource) or
`ArgumentError` (wrong arguments). All three derive from `deploy.errors.DeployError`.
`python -m deploy` is a thin layer over these functions.

Backend: whatever the user is logged in to, or with `local=True` (or ECS_APP_LOCAL_BACKEND=1)
a file backend in `<project>/.pulumi-state` whose secrets use the passphrase in
PULUMI_CONFIG_PASSPHRASE / PULUMI_CONFIG_PASSPHRASE_FILE. Tests and embedders may pass
`pulumi_command` (an `auto.PulumiCommand`, or a fake of one).
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pulumi import automation as auto

from ..config.model import StackConfig
from ..config.problems import ConfigError
from ..config.source import PROJECT_DIR, project_name, stack_file
from ..errors import ArgumentError, DeployError, Failure
from . import plans, terraform_states
from . import release as releases
from . import workspace as plumbing
from .failures import describe

__all__ = ["ArgumentError", "ConfigError", "DeployError", "Failure", "ReleaseResult", "Result", "destroy",
           "outputs", "preview", "refresh", "release", "up"]

OnOutput = Callable[[str], Any]


@dataclass(frozen=True)
class Result:
    operation: str
    stack: str
    changes: dict[str, int]
    """Resources by kind of change: `create`, `update`, `replace`, `delete`, `same`, ..."""
    seconds: float
    outputs: dict[str, auto.OutputValue] = field(default_factory=dict)
    """Stack outputs after the operation (`.value`, `.secret`); empty for preview and destroy."""
    stdout: str = ""

    def summary(self) -> list[str]:
        """Changes by kind, duration and outputs (secrets masked), one line each."""
        return plumbing.summary_lines(self.operation, self.stack, self.changes, self.seconds, self.outputs)


@dataclass(frozen=True)
class ReleaseResult(Result):
    service: str = ""
    container: str = ""
    key: str = ""
    value: str = ""
    task_definition_arn: str | None = None
    revision: int | None = None


def preview(stack: str, *, config_file: Path | None = None, local: bool | None = None, create: bool = False,
            on_output: OnOutput = print, pulumi_command: auto.PulumiCommand | None = None,
            render: plans.Renderer | None = None) -> Result:
    """What `up` would change (`pulumi preview`), once the offline plan is one AWS accepts."""
    _accepted(stack, config_file, render)
    with _operation(stack, "preview", local, create, pulumi_command) as (s, log, started):
        result = s.preview(on_output=on_output, on_event=log, **_config_file(config_file))
    return Result("preview", stack, {str(k): v for k, v in (result.change_summary or log.changes).items()},
                  time.monotonic() - started,
                  stdout=result.stdout)


def up(stack: str, *, config_file: Path | None = None, local: bool | None = None, create: bool = False,
       on_output: OnOutput = print, pulumi_command: auto.PulumiCommand | None = None,
       message: str | None = None, render: plans.Renderer | None = None) -> Result:
    """Create or update the stack (`pulumi up --yes --skip-preview`), once the offline plan is one AWS accepts."""
    _accepted(stack, config_file, render)
    with _operation(stack, "up", local, create, pulumi_command) as (s, log, started):
        result = s.up(on_output=on_output, on_event=log, message=message, **_config_file(config_file))
    return Result("up", stack, _changes(result.summary, log), time.monotonic() - started, dict(result.outputs),
                  result.stdout)


def refresh(stack: str, *, config_file: Path | None = None, local: bool | None = None,
            on_output: OnOutput = print, pulumi_command: auto.PulumiCommand | None = None) -> Result:
    """Read the real state of every resource back into the stack (`pulumi refresh --yes`)."""
    _validate(stack, config_file)
    with _operation(stack, "refresh", local, False, pulumi_command) as (s, log, started):
        result = s.refresh(on_output=on_output, on_event=log, **_config_file(config_file))
        current = s.outputs()
    return Result("refresh", stack, _changes(result.summary, log), time.monotonic() - started, dict(current),
                  result.stdout)


def destroy(stack: str, *, config_file: Path | None = None, local: bool | None = None, yes: bool = False,
            force: bool = False, confirm: Callable[[str], bool] | None = None, on_output: OnOutput = print,
            pulumi_command: auto.PulumiCommand | None = None) -> Result:
    """Delete every resource of the stack; its history and config stay.

    A stack whose config sets `protect: true` is refused unless `force`. Unless `yes`,
    `confirm(stack)` must return True (without a `confirm`, nothing is destroyed).
    """
    cfg = _validate(stack, config_file)
    if cfg.protect and not force:
        raise Failure(f"stack {stack} is protected (`{cfg.project}:protect: true`): destroy refused; "
                      "pass {force} to destroy it anyway", force=True)
    if not yes:
        if confirm is None:
            raise ArgumentError("destroy: confirm first: pass {yes} or answer the prompt", yes=True)
        if not confirm(stack):
            raise Failure(f"destroy of stack {stack} cancelled: nothing was changed")
    with _operation(stack, "destroy", local, False, pulumi_command) as (s, log, started):
        result = s.destroy(on_output=on_output, on_event=log, **_config_file(config_file))
    return Result("destroy", stack, _changes(result.summary, log), time.monotonic() - started, {}, result.stdout)


def outputs(stack: str, *, local: bool | None = None,
            pulumi_command: auto.PulumiCommand | None = None) -> dict[str, auto.OutputValue]:
    """The stack's current outputs (`pulumi stack output --json`)."""
    with _operation(stack, "outputs", local, False, pulumi_command) as (s, _, _started):
        return dict(s.outputs())


def release(stack: str, service: str, *, image_tag: str | None = None, image: str | None = None,
            container: str | None = None, local: bool | None = None, on_output: OnOutput = print,
            pulumi_command: auto.PulumiCommand | None = None,
            render: Callable[[list[Path]], list[dict[str, Any]]] | None = None) -> ReleaseResult:
    """Deploy a new image of one service and change nothing else.

    Sets exactly one config key (`...containers.<c>.image.tag` for `image_tag`, `.uri` for
    `image`) with `pulumi config set --path`, proves offline that only the service's task
    definition and ECS service change (else `Failure`), and runs `up` targeted at those
    two. On failure the config key gets its previous value back. `render` renders
    `plan --json` of stack files (default: in subprocesses, see `deploy.ops.release`).
    """
    short = _short(stack)
    cfg = _validate(stack, None)
    change = releases.choose(cfg, service, image_tag=image_tag, image=image, container=container)
    _, path = stack_file(short, None)
    # The raw file, not the parsed config: `secure:` values must be copied, not decrypted.
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    with tempfile.TemporaryDirectory(prefix="release-") as tmp:
        released = Path(tmp) / path.name  # same file name: same stack name, same URNs
        released.write_text(yaml.safe_dump(releases.apply(document, change), sort_keys=False), encoding="utf-8")
        terraform_states.load(released, cfg.project, short)  # the released value must be valid too (exit 2 otherwise)
        with terraform_states.local_copies([path, released], cfg.project, short) as renderable:
            before, after = (render or plans.render_in_subprocess)(renderable)
    targets = releases.release_targets(before, after, change)
    on_output(f"Release {change.key} = {change.value}: updating only {', '.join(targets)}")
    restored = False
    try:
        with _operation(stack, "release", local, False, pulumi_command) as (s, log, started):
            s.set_config(change.key, auto.ConfigValue(change.value), path=True)
            try:
                result = s.up(target=targets, on_output=on_output, on_event=log,
                              message=f"release {change.service}/{change.container} {change.value}")
            except Exception:
                restored = _restore(s, change)
                raise
    except Failure as exc:
        if restored:
            raise exc.extended(f"; {change.key} is back to its previous value in {path.name}") from exc
        raise
    arn = ((result.outputs.get("taskDefinitionArns") or auto.OutputValue({}, False)).value or {}).get(service)
    revision = int(arn.rsplit(":", 1)[1]) if isinstance(arn, str) and arn.rsplit(":", 1)[-1].isdigit() else None
    return ReleaseResult("release", stack, _changes(result.summary, log), time.monotonic() - started,
                         dict(result.outputs), result.stdout, change.service, change.container, change.key,
                         change.value, arn if isinstance(arn, str) else None, revision)


def default_command() -> auto.PulumiCommand | None:
    """The Pulumi CLI used when a function gets no `pulumi_command`: None lets the SDK run `pulumi`
    from PATH. The seam through which `python -m deploy` can be driven without a CLI in tests."""
    return None


# --- internals ---------------------------------------------------------------------------


def _short(stack: str) -> str:
    """`org/project/dev` -> `dev`: the stack file is Pulumi.<last part>.yaml, as the CLI reads it."""
    if not stack or not stack.strip():
        raise ArgumentError("{stack}: required", stack=None)
    return stack.split("/")[-1]


def _accepted(stack: str, config_file: Path | None, render: plans.Renderer | None) -> StackConfig:
    """The valid config, whose offline plan passed the acceptance check (ConfigError otherwise)."""
    cfg = _validate(stack, config_file)
    name, path = stack_file(_short(stack), config_file)
    with terraform_states.local_copies([path], cfg.project, name) as renderable:
        (render or plans.render_in_subprocess)(renderable)
    return cfg


def _validate(stack: str, config_file: Path | None) -> StackConfig:
    name, path = stack_file(_short(stack), config_file)
    return terraform_states.load(path, project_name(), name)


def _config_file(config_file: Path | None) -> dict[str, Any]:
    """The `config_file` keyword of the SDK's operations, when a file other than the stack's is read."""
    return {"config_file": str(Path(config_file).resolve())} if config_file is not None else {}


def _changes(summary: Any, log: plumbing.EngineLog) -> dict[str, int]:
    return dict(getattr(summary, "resource_changes", None) or log.changes)


@contextlib.contextmanager
def _operation(stack: str, operation: str, local: bool | None, create: bool,
               pulumi_command: auto.PulumiCommand | None) -> Iterator[tuple[auto.Stack, Any, float]]:
    """Select (or create) the stack; map every Automation error of the block to one `Failure` line."""
    use_local = plumbing.wants_local(local)
    if use_local and plumbing.missing_passphrase():
        raise Failure("the local backend keeps secrets with a passphrase: set PULUMI_CONFIG_PASSPHRASE (or "
                      "PULUMI_CONFIG_PASSPHRASE_FILE) first")
    log = plumbing.EngineLog()
    try:
        command = pulumi_command if pulumi_command is not None else default_command()
        options = plumbing.workspace_options(PROJECT_DIR, local=use_local, pulumi_command=command)
        if use_local:
            (PROJECT_DIR / plumbing.STATE_DIR).mkdir(parents=True, exist_ok=True)
        select = auto.create_or_select_stack if create else auto.select_stack
        s = select(stack, work_dir=str(PROJECT_DIR), opts=options)
        yield s, log, time.monotonic()
    except DeployError:
        raise
    except Exception as exc:
        failure = describe(exc, stack=stack, operation=operation, errors=log.errors, failed=log.failed)
        if failure is None:
            raise
        raise failure from exc


def _restore(s: auto.Stack, change: releases.ImageChange) -> bool:
    """Put the config key back as it was, so a failed release leaves the stack file unchanged."""
    try:
        if change.previous is None:
            s.remove_config(change.key, path=True)
        else:
            s.set_config(change.key, auto.ConfigValue(change.previous), path=True)
    except Exception:  # noqa: BLE001 - the update's own error is the one to report
        return False
    return True
