"""`destroy --stack S [--config-file F] [--local] [--yes] [--force]`: delete every resource of the stack.

Asks for the stack name on the terminal unless `--yes` (and refuses without a terminal);
refuses a stack whose config sets `protect: true` unless `--force`.
"""

from __future__ import annotations

import argparse

from ..app import EXIT_OK
from ..operations import add_arguments, confirm_on_terminal, print_summary, stack_name, stream


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("destroy", help="delete every resource of the stack (needs the Pulumi CLI)")
    add_arguments(p)
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    p.add_argument("--force", action="store_true", help="destroy even a stack whose config sets `protect: true`")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...ops import api

    result = api.destroy(stack_name(args), config_file=args.config_file, local=args.local, yes=args.yes,
                         force=args.force, confirm=confirm_on_terminal, on_output=stream)
    print_summary(result)
    return EXIT_OK
