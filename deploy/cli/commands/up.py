"""`up --stack S [--config-file F] [--local] [--create] [--message M]`: create or update the stack."""

from __future__ import annotations

import argparse

from ..app import EXIT_OK
from ..operations import add_arguments, print_summary, stack_name, stream


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("up", help="create or update the stack (needs the Pulumi CLI and AWS credentials)")
    add_arguments(p, create=True)
    p.add_argument("--message", "-m", help="message recorded with the update")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...ops import api

    result = api.up(stack_name(args), config_file=args.config_file, local=args.local, create=args.create,
                    on_output=stream, message=args.message)
    print_summary(result)
    return EXIT_OK
