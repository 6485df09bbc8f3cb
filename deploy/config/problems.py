"""What a check of the configuration reports: one `Problem` per finding, all of them in one `ConfigError`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from ..errors import DeployError


@dataclass(frozen=True)
class Problem:
    key: str
    """The config key it is about, as written in the stack file: `services.web.containers.app.ports`."""
    message: str
    """What is wrong and what is allowed."""
    basis: tuple[str, ...] = field(default=(), compare=False)
    """Config sections the judgment relied on besides `key` (e.g. `cluster` for a service run by
    the cluster's default strategy). When one of them could not be read, the problem is not
    reported: it would be judged against defaults, not against what the user wrote."""

    def __str__(self) -> str:
        return f"{printable(self.key, MAX_KEY)}: {printable(self.message, MAX_MESSAGE)}"


MAX_KEY = 200
MAX_MESSAGE = 600
"""A problem is one line a person reads: a 10,000-character value is shown by its start."""


def printable(text: str, limit: int) -> str:
    """`text` with control characters escaped (`\\n`, `\\x1b`), cut to `limit` characters."""
    escaped = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return escaped if len(escaped) <= limit else escaped[:limit - 1] + "…"


def short(value: object, limit: int = 60) -> str:
    """A value as the stack file writes it, for a message, cut to `limit` characters.

    Strings keep their quotes (`'x'`); YAML's words stand for the rest: `null`, `true`,
    `false`, `[a, b]`, `{k: v}`, never Python's `None` or `True`.
    """
    text = _yaml_flow(value)
    return text if len(text) <= limit else text[:limit - 4] + "...'" if text[0] in "'\"" else text[:limit - 3] + "..."


def _yaml_flow(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_flow(v)}" for k, v in value.items()) + "}"
    return repr(value)


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """A number with its noun: `1 item`, `2 items`."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def defaulted(model: object, field: str) -> bool:
    """`field` of a config model was not written: its value is the model's default."""
    written = getattr(model, "model_fields_set", None)
    return written is not None and field not in written


def by_default(model: object, field: str) -> str:
    """`", the default"` to add inside a parenthesis that shows a default value, else ``: `(30 s, the default)`."""
    return ", the default" if defaulted(model, field) else ""


def valued(model: object, field: str, unit: str = "") -> str:
    """A setting's value for a message, labelled when it is the default: `30 s (the default)`, `60 s`."""
    return f"{getattr(model, field)}{unit}" + (" (the default)" if defaulted(model, field) else "")


class ConfigError(DeployError):
    """Invalid configuration: `problems` holds one entry per problem, each naming its key (exit 2)."""

    exit_code = 2

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: p.key)
        super().__init__("\n".join(str(p) for p in self.problems))


def based_on(basis: tuple[str, ...], problems: Iterable[Problem]) -> Iterator[Problem]:
    """The same problems, also relying on `basis`."""
    for p in problems:
        yield replace(p, basis=p.basis + basis) if basis else p
