"""The errors every layer raises: one base, and what each kind means to a caller.

`DeployError` is the base. Subclasses carry the exit code the command line gives them
(contract: 2 for invalid configuration or usage, 1 for any other failure). Messages name
the arguments they are about through `{argument}` placeholders, so the same error reads
right for a Python caller (`force=True`) and on the command line (`--force`). A message
with arguments is a `str.format` template (wrap other text in `literal()`); one without is
plain text.

    Failure("stack {stack_name} is protected: pass {force} to destroy it", force=True)
    str(error)                  -> "... pass force=True to destroy it"
    error.render(cli_argument)  -> "... pass --force to destroy it"
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, ClassVar

ArgumentStyle = Callable[[str, Any], str]
"""How an argument is named in a message: (name, value) -> text."""


def python_argument(name: str, value: Any) -> str:
    """`force=True`, or the bare name when no value is meant."""
    return name if value is None else f"{name}={value!r}"


def cli_argument(name: str, value: Any) -> str:
    """`--force`, `--image-tag`: the command line's spelling of a keyword argument."""
    return "--" + name.replace("_", "-")


def literal(text: object) -> str:
    """`text` for a message template: its braces are not argument placeholders."""
    return str(text).replace("{", "{{").replace("}", "}}")


class DeployError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, **arguments: Any):
        self.template = message
        self.arguments = arguments
        super().__init__(self.render())

    def render(self, style: ArgumentStyle = python_argument) -> str:
        if not self.arguments:
            return self.template
        return self.template.format_map({k: style(k, v) for k, v in self.arguments.items()})

    def __str__(self) -> str:
        return self.render()

    def extended(self, text: str) -> DeployError:
        """A copy of this error with `text` (plain) appended to its message."""
        extended = copy.copy(self)
        extended.template = self.template + (literal(text) if self.arguments else text)
        extended.args = (extended.render(),)
        return extended


class ArgumentError(DeployError):
    """A call with wrong or missing arguments (on the command line: a usage error, exit 2)."""

    exit_code = 2


class Failure(DeployError):
    """Anything else that stops an operation, said in one line (exit 1)."""

    exit_code = 1
