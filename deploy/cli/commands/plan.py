"""`plan --stack S [--config-file F] [--json]`: render the whole stack offline."""

from __future__ import annotations

import argparse
import json

from ..app import EXIT_OK, load_config, stack_arguments


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help="render the whole stack offline (no Pulumi CLI, no AWS)")
    stack_arguments(p)
    p.add_argument("--json", action="store_true", help="print the plan as one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...offline import plan

    rendered = plan.render(load_config(args.stack, args.config_file))
    print(json.dumps(plan.as_json(rendered), indent=2) if args.json else plan.as_text(rendered))
    return EXIT_OK
