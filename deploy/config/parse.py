"""Turn a stack's raw config into one validated `StackConfig`, or one `ConfigError` listing every problem.

Each top-level section and each service is validated on its own, so a broken service does
not hide the problems of another; then the rules (`deploy.config.rules`) judge how the
settings relate. Problems that only follow from a section that failed to read are dropped
(`_masked`): they would be judged against defaults, not against what the user wrote.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from ..aws import regions
from ..aws.tokens import SECRET_PLACEHOLDER
from . import hints
from . import model as m
from .model import SCALARS, SECTIONS, Service, StackConfig
from .model.types import Prefix
from .problems import ConfigError, Problem, counted, short
from .rules import check
from .source import PROJECT_DIR, RawConfig, read_stack_file, read_stack_text
from .terraform_state import StateError, StateReader, network_ids, offline_reader, root_outputs

_SCALAR_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    "name": TypeAdapter(Prefix | None),
    "protect": TypeAdapter(bool),
    "tags": TypeAdapter(dict[str, str]),
    "dashboard": TypeAdapter(bool),
}


def load(path: Path, project: str, stack: str) -> StackConfig:
    """Read and validate a stack file."""
    return parse(read_stack_file(path, project, stack))


def load_text(text: str, where: str, project: str, stack: str) -> StackConfig:
    """Validate the text of a stack file (an earlier version of one); `where` names it in problems."""
    return parse(read_stack_text(text, where, project, stack))


def parse(raw: RawConfig, states: StateReader | None = None) -> StackConfig:
    """Validate everything; raise one ConfigError with every problem found.

    `states` reads the Terraform state of `network.existing.fromTerraform`; by default local files of the project
    (an S3 state is refused: the offline commands call no AWS). The program passes one that reads S3 too.
    """
    problems: list[Problem] = []
    failed: set[str] = set()
    fields: dict[str, Any] = {}
    own: dict[str, Any] = {}

    known = [*SECTIONS, *SCALARS]
    for full_key, value in raw.values.items():
        namespace, _, key = full_key.rpartition(":")
        if namespace in ("", raw.project):
            own[key] = value
        elif _looks_ours(namespace, key, raw.project, known):
            # A typo in the namespace would silently drop the section (an HTTPS stack serving plain HTTP).
            problems.append(Problem(full_key, f"namespace {namespace!r} is not this project's ({raw.project!r}); "
                                              f"did you mean `{raw.project}:{key}`?"))
    region_problem = _region(raw.values.get("aws:region"))
    region = raw.values.get("aws:region") if region_problem is None else ""  # region rules skip an unknown one
    if region_problem is not None:
        problems.append(region_problem)

    for key, value in own.items():
        if key in SECTIONS:
            try:
                fields[key] = SECTIONS[key].model_validate(value if value is not None else {})
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
            top = {k: hints.annotation_kinds(f.annotation) for n, f in StackConfig.model_fields.items()
                   if (k := f.alias or n) in known}
            problems.append(Problem(key, "unknown config key" + _did_you_mean(key, top, value)))

    try:
        cfg = StackConfig.model_validate(
            {"project": raw.project, "stack": raw.stack, "region": region, **fields, "secret_keys": raw.secret_keys})
    except ValidationError as exc:
        problems.extend(_from_pydantic("", exc))
        raise ConfigError(problems) from None

    problems.extend(p for p in check(cfg) if not _masked(p, failed))
    if problems:
        raise ConfigError(problems)
    return _with_terraform_network(cfg, states or offline_reader(PROJECT_DIR))


FROM_TERRAFORM = "network.existing.fromTerraform"


def _with_terraform_network(cfg: StackConfig, states: StateReader) -> StackConfig:
    """The config with the IDs its Terraform state holds, read once a checked config says where they are."""
    existing = cfg.network.existing
    source = existing.from_terraform if existing is not None else None
    if source is None:
        return cfg
    names = {key: getattr(source.outputs, field) for field, key in (
        ("vpc_id", "vpcId"), ("public_subnet_ids", "publicSubnetIds"), ("private_subnet_ids", "privateSubnetIds"),
        ("private_route_table_ids", "privateRouteTableIds"))}
    try:
        outputs = root_outputs(states(source.state), source.state)
        ids = network_ids(outputs, names, route_tables=cfg.network.endpoints.s3)
    except StateError as exc:
        raise ConfigError(Problem(f"{FROM_TERRAFORM}.{key}" if key else FROM_TERRAFORM, message)
                          for key, message in exc.problems) from None
    return cfg.model_copy(update={"terraform_network": ids})


def _looks_ours(namespace: str, key: str, project: str, known: list[str]) -> bool:
    """A key of another namespace that is one of this project's keys, or whose namespace is a near miss of it."""
    if namespace == "aws":
        return key in known  # `aws:services` is a misplaced section; `aws:profile` is the provider's own
    simplified = re.sub(r"[^a-z0-9]", "", namespace.lower())
    return key in known or simplified == re.sub(r"[^a-z0-9]", "", project.lower()) or bool(
        difflib.get_close_matches(namespace, [project], n=1, cutoff=0.75))


def _region(value: Any) -> Problem | None:
    if value is None or value == "":
        return Problem("aws:region", "is required, e.g. `aws:region: us-east-1`")
    if value == SECRET_PLACEHOLDER:
        return Problem("aws:region", "cannot be a secure value: the program and the offline plan need to read it")
    if not isinstance(value, str) or regions.partition(value) is None:
        close = difflib.get_close_matches(str(value), regions.REGIONS, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else "e.g. us-east-1, eu-west-1, ap-northeast-2"
        return Problem("aws:region", f"{short(value)} is not an AWS Region; {hint} (Regions: {regions.SOURCE})")
    return None


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


# --- pydantic's errors, in the rules' words ------------------------------------------------

_MESSAGES = {
    "missing": "is required",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_parsing_size": "is too large a number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "literal_error": "must be {expected}",
    "string_too_short": "must not be empty",
}


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "model_type":
        return "must be a mapping" + _keys_of(ctx.get("class_name"))
    if kind in ("too_short", "too_long") and isinstance(ctx.get("min_length", ctx.get("max_length")), int):
        if kind == "too_short":
            return f"needs at least {counted(ctx['min_length'], 'item')}"
        return f"allows at most {counted(ctx['max_length'], 'item')}"
    template = _MESSAGES.get(kind)
    if template is not None:
        try:
            return template.format(**ctx)
        except (KeyError, IndexError):
            pass
    text = err["msg"].removeprefix("Value error, ")
    text = "must be " + text.removeprefix("Input should be ") if text.startswith("Input should be ") else text
    # pydantic names the model class ("instance of DependsOn"); the stack file knows only mappings.
    return re.sub(r"(a valid dictionary or )?(an )?instance of (\w+)", "a mapping", text)


_SHOWN_KEYS = 4
"""A mapping's keys are listed in a message when it has at most this many (`dependsOn[]`: container, condition)."""


def _keys_of(class_name: object) -> str:
    """` with container and condition`: the keys of the model a mapping stands for, as the stack file writes them."""
    model = getattr(m, str(class_name), None)
    fields = getattr(model, "model_fields", None)
    if not fields:
        return ""
    required = [f.alias or n for n, f in fields.items() if f.is_required()]
    optional = [f.alias or n for n, f in fields.items() if not f.is_required()]
    if len(fields) <= _SHOWN_KEYS:
        mark = " (required)" if optional else ""
        keys = [f"`{k}`{mark}" for k in required] + [f"`{k}`" for k in optional]
    elif required:
        keys = [f"`{k}`" for k in required] + ["other settings"]
    else:
        return ""
    return " with " + (keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} and {keys[-1]}")


def _from_pydantic(prefix: str, exc: ValidationError) -> Iterable[Problem]:
    for err in exc.errors():
        key = prefix
        for part in err["loc"]:
            if isinstance(part, int):
                key += f"[{part}]"  # list positions read like the rules' keys: dependsOn[0]
            elif part == "[key]" or str(part).startswith("function-"):
                continue  # a mapping's key was invalid: the key itself is already in the path
            else:
                key = f"{key}.{part}" if key else str(part)
        loc = [str(part) for part in err["loc"]]
        if err["type"] == "extra_forbidden":
            model = _model_at(exc.title, err["loc"][:-1])
            not_yet = hints.unsupported(getattr(model, "__name__", None), loc[-1])
            if not_yet is not None:
                yield Problem(key, not_yet)
                continue
            yield Problem(key, "unknown key" + _did_you_mean(loc[-1], _sibling_keys(model), err.get("input")))
            continue
        message = _message(err)
        if err["type"] != "missing" and "input" in err and not isinstance(err["input"], (dict, list)):
            shown = "an empty value" if err["input"] is None else short(err["input"])
            # A message that already quotes the value (`'x' is not a CIDR block`) says it once.
            if not re.search(r"(?<![\w.])" + re.escape(shown) + r"(?![\w.])", message):
                message = f"{message} (got {shown})"
        yield Problem(key, message)


def _sibling_keys(model: Any) -> dict[str, frozenset[str]]:
    """Allowed keys at the level of an unknown key, with the kinds of value each takes, for the hint."""
    if model is None:
        return {}
    return {f.alias or name: hints.annotation_kinds(f.annotation) for name, f in model.model_fields.items()}


def _model_at(title: str, loc: tuple[int | str, ...]) -> Any:
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
    if get_origin(annotation) in (dict, list):
        return True
    return any(_is_collection(a) for a in get_args(annotation))


def _inner_model(annotation: Any) -> Any:
    if hasattr(annotation, "model_fields"):
        return annotation
    for arg in reversed(get_args(annotation)):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(key: str, candidates: dict[str, frozenset[str]], value: Any) -> str:
    close = hints.suggestion(key, candidates, value)
    if close is not None:
        return f"; did you mean `{close}`?"
    allowed = sorted(candidates)
    return f"; allowed: {', '.join(allowed)}" if allowed else ""
