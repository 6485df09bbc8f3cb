"""`validate --stack S [--config-file F]`: check the stack configuration only."""

from __future__ import annotations

import argparse

from ..app import EXIT_OK, load_config, stack_arguments


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check the stack configuration only (exit 0 or 2)")
    stack_arguments(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...config.problems import counted
    from ...config.resolve import notes

    cfg = load_config(args.stack, args.config_file)
    print(f"{cfg.project}/{cfg.stack}: configuration is valid ({counted(len(cfg.services), 'service')})")
    for note in notes(cfg):
        print(f"{note.label}: {note}")
    return EXIT_OK
