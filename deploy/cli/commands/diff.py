"""`diff --stack S [--config-file F] (--against FILE | --against-ref REF) [--json] [--fail-on-replace]`.

What `pulumi up` would do to the stack as configured by `--against` (a file) or as
committed at `--against-ref` (a git revision) to make it the stack as configured now:
resources created, changed input by input (old -> new), replaced, deleted, like
`terraform plan`, offline. A change that forces a replacement is marked, with what the
replacement means for that resource. `--fail-on-replace` exits 1 when anything would be
replaced or deleted (other than a task definition's new revision): a gate for CI.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ...errors import ArgumentError, Failure, literal
from ..app import EXIT_OK, load_config, stack_arguments


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="what would change between another version of the stack config and this one "
                                    "(offline), with replacement warnings")
    stack_arguments(p)
    against = p.add_mutually_exclusive_group(required=True)
    against.add_argument("--against", type=Path, metavar="FILE", help="the earlier config: a stack file")
    against.add_argument("--against-ref", metavar="GIT_REF",
                         help="the earlier config: the stack file as committed at this git revision")
    p.add_argument("--json", action="store_true", help="print the changes as one JSON object")
    p.add_argument("--fail-on-replace", action="store_true",
                   help="exit 1 when a resource would be replaced or deleted (a new task definition "
                        "revision excepted)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...config.parse import load, load_text
    from ...config.problems import ConfigError
    from ...config.source import project_name, stack_file
    from ...offline import diff, plan

    stack, path = stack_file(args.stack, args.config_file)
    current = load_config(args.stack, args.config_file)
    if args.against is not None:
        where = str(args.against)
        if not args.against.is_file():
            raise ArgumentError("{against}: " + literal(f"no file {where}"), against=None)
        read = lambda: load(args.against, project_name(), stack)
    else:
        from ...ops import history

        text = history.file_at_ref(path, args.against_ref)
        where = f"{path.name}@{args.against_ref}"
        read = lambda: load_text(text, where, project_name(), stack)
    try:
        earlier = read()
    except ConfigError as exc:
        raise Failure(f"the earlier config ({where}) is not valid under the current rules: "
                      f"{exc.problems[0].key}: {exc.problems[0].message}") from exc
    # The earlier version was deployed as it was: only the new one must pass the acceptance check.
    changes = diff.compare_renders(plan.render(earlier, accept=False), plan.render(current))
    title = f"Stack {current.project}/{current.stack} ({where} -> {path.name})"
    print(json.dumps(changes.to_json(), indent=2) if args.json else diff.as_text(changes, title))
    risky = changes.risky
    if args.fail_on_replace and risky:
        print(f"{len(risky)} resource(s) would be replaced or deleted: "
              + ", ".join(c.name for c in risky[:6]) + (" ..." if len(risky) > 6 else ""), file=sys.stderr)
        return 1
    return EXIT_OK
