"""What the Automation API commands of `python -m deploy` share: arguments, streaming, the summary.

Kept out of `deploy/commands/` because every module there is a command.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Optional

from .automation import LOCAL_ENV, STATE_DIR
from .cli import UsageError, resolve_stack, stack_arguments


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
    name, _ = resolve_stack(args.stack, getattr(args, "config_file", None))
    return name


def stream(line: str) -> None:
    """Progress, one line at a time, as the CLI prints it."""
    print(line, flush=True)


def print_summary(result: Any, extra: Optional[list[str]] = None) -> None:
    print()
    for line in [*result.summary(), *(extra or [])]:
        print(line)
    sys.stdout.flush()


def confirm_on_terminal(stack: str) -> bool:
    """Ask on the terminal; without one (CI, pipes) refuse rather than wait for an answer that never comes."""
    if not sys.stdin.isatty():
        raise UsageError(f"destroy: stdin is not a terminal, so nobody can confirm; pass --yes to destroy stack "
                         f"{stack} without asking")
    answer = input(f"Destroy every resource of stack {stack}? Type the stack name to confirm: ")
    return answer.strip() == stack
