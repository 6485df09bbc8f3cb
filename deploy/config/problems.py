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
    """The repr of a value for a message, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 4] + "...'" if text[0] in "'\"" else text[:limit - 3] + "..."


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
