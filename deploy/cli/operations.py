"""What the Automation API commands of `python -m deploy` share: arguments, streaming, the summary.

Kept out of `deploy/cli/commands/` because every module there is a command.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..config.source import stack_file
from ..errors import ArgumentError
from ..ops.workspace import LOCAL_ENV, STATE_DIR
from .app import stack_arguments


def add_arguments(p: argparse.ArgumentParser, *, config_file: bool = True, create: bool = False) -> None:
    """`--stack` (and `--config-file`), `--local`, and `--create` where a stack may be created."""
    if config_file:
        stack_arguments(p)
    else:
        p.add_argument("--stack", "-s", help="stack name (org/project/stack for Pulumi Cloud); reads "
                                             "Pulumi.<stack>.yaml")
    p.add_argument("--local", action="store_true", default=None,
                   help=f"use the local file backend in {STATE_DIR}/ with a passphrase (also: {LOCAL_ENV}=1)")
    if create:
        p.add_argument("--create", action="store_true", help="create the stack first if it does not exist")


def stack_name(args: argparse.Namespace) -> str:
    """The stack to operate on: `--stack`, or the name in `--config-file Pulumi.<name>.yaml`."""
    if getattr(args, "config_file", None) is None and (args.stack is None or not args.stack.strip()):
        raise ArgumentError("{stack}: required (or {config_file})", stack=None, config_file=None)
    if getattr(args, "config_file", None) is None:
        return str(args.stack)  # may be org/project/stack: the API reads Pulumi.<last part>.yaml
    name, _ = stack_file(args.stack, args.config_file)
    return name


def stream(line: str) -> None:
    """Progress, one line at a time, as the CLI prints it."""
    print(line, flush=True)


def print_summary(result: Any, extra: list[str] | None = None) -> None:
    print()
    for line in [*result.summary(), *(extra or [])]:
        print(line)
    sys.stdout.flush()


def confirm_on_terminal(stack: str) -> bool:
    """Ask on the terminal; without one (CI, pipes) refuse rather than wait for an answer that never comes."""
    if not sys.stdin.isatty():
        raise ArgumentError("destroy: stdin is not a terminal, so nobody can confirm; pass {yes} to destroy stack "
                            + stack.replace("{", "{{").replace("}", "}}") + " without asking", yes=True)
    answer = input(f"Destroy every resource of stack {stack}? Type the stack name to confirm: ")
    return answer.strip() == stack
