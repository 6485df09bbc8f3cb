"""`refresh --stack S [--config-file F] [--local]`: read the real state of every resource into the stack."""

from __future__ import annotations

import argparse

from ..app import EXIT_OK
from ..operations import add_arguments, print_summary, stack_name, stream


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("refresh", help="read the resources' real state into the stack (needs the Pulumi CLI)")
    add_arguments(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...ops import api

    result = api.refresh(stack_name(args), config_file=args.config_file, local=args.local, on_output=stream)
    print_summary(result)
    return EXIT_OK
