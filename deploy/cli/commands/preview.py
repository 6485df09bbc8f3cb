"""`preview --stack S [--config-file F] [--local] [--create]`: what `up` would change (Automation API)."""

from __future__ import annotations

import argparse

from ..app import EXIT_OK
from ..operations import add_arguments, print_summary, stack_name, stream


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("preview", help="show what `up` would change (needs the Pulumi CLI and AWS credentials)")
    add_arguments(p, create=True)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...ops import api

    result = api.preview(stack_name(args), config_file=args.config_file, local=args.local, create=args.create,
                         on_output=stream)
    print_summary(result)
    return EXIT_OK
