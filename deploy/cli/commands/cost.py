"""`cost --stack S [--config-file F] [--json]`: itemised monthly cost estimate, offline."""

from __future__ import annotations

import argparse
import json

from ..app import EXIT_OK, load_config, stack_arguments


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cost", help="monthly cost estimate of the stack, line by line (offline)")
    stack_arguments(p)
    p.add_argument("--json", action="store_true", help="print the estimate as one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...offline import plan
    from ...offline.cost import estimate, report

    cfg = load_config(args.stack, args.config_file)
    result = estimate(plan.render(cfg), cfg.region)
    print(json.dumps(report.as_json(result), indent=2) if args.json else report.as_text(result))
    return EXIT_OK
