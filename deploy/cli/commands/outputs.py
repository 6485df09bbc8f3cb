"""`outputs --stack S [NAME] [--json] [--show-secrets] [--local]`: the stack's outputs.

Secrets print as `[secret]` unless `--show-secrets`. With a NAME only that value is printed
(strings raw, anything else as JSON), which is what scripts and CI want:
`python -m deploy outputs --stack prod repositoryUrls --json`.
"""

from __future__ import annotations

import argparse
import json

from ...aws.tokens import SECRET_PLACEHOLDER as SECRET_MASK
from ...errors import ArgumentError
from ...ops.workspace import output_text
from ..app import EXIT_OK
from ..operations import add_arguments, stack_name


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("outputs", help="print the stack's outputs (needs the Pulumi CLI)")
    add_arguments(p, config_file=False)
    p.add_argument("name", nargs="?", help="print only this output")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--show-secrets", action="store_true", help="print secret outputs in clear text")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...ops import api

    found = api.outputs(stack_name(args), local=args.local)
    shown = {k: (v.value if args.show_secrets or not v.secret else SECRET_MASK) for k, v in sorted(found.items())}
    if args.name is not None:
        if args.name not in shown:
            raise ArgumentError(f"{args.name}: no such output; outputs of the stack: {', '.join(shown) or 'none'}")
        value = shown[args.name]
        print(json.dumps(value, indent=2) if args.json or not isinstance(value, str) else value)
    elif args.json:
        print(json.dumps(shown, indent=2))
    else:
        for key, value in shown.items():
            print(f"{key}: {output_text(value, False)}")
    return EXIT_OK
