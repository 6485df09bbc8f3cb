"""`python -m deploy <command>`: the command line (contract: docs/architecture in README).

Exit codes: 0 success; 2 invalid configuration or usage (one line per problem on stderr,
naming the config key); 1 any other failure, with a one-line reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Optional, Sequence

from .config import ConfigError, StackConfig, load, project_name

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m deploy", description="Run a containerised application on "
                                     "AWS ECS: validate, plan offline, deploy.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")

    def stack_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--stack", "-s", help="stack name: reads Pulumi.<stack>.yaml")
        p.add_argument("--config-file", type=Path, help="read this file (Pulumi.<stack>.yaml format) instead")

    p = sub.add_parser("plan", help="render the whole stack offline (no Pulumi CLI, no AWS)")
    stack_args(p)
    p.add_argument("--json", action="store_true", help="print the plan as one JSON object")
    p = sub.add_parser("validate", help="check the stack configuration only")
    stack_args(p)
    return parser


def resolve_stack(stack: Optional[str], config_file: Optional[Path]) -> tuple[str, Path]:
    """Stack name and config file path from `--stack` / `--config-file`."""
    if config_file is not None:
        if stack is None:
            name = config_file.name
            stack = name[len("Pulumi."):-len(".yaml")] if name.startswith("Pulumi.") and name.endswith(".yaml") \
                else config_file.stem
        return stack, config_file
    if stack is None:
        raise UsageError("--stack: required (or --config-file)")
    return stack, PROJECT_DIR / f"Pulumi.{stack}.yaml"


def load_config(stack: Optional[str], config_file: Optional[Path]) -> StackConfig:
    name, path = resolve_stack(stack, config_file)
    if config_file is None and not path.exists():
        available = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in PROJECT_DIR.glob("Pulumi.*.yaml"))
        raise UsageError(f"--stack: no file {path.name}; stacks here: {', '.join(available) or 'none'}")
    return load(path, project_name(PROJECT_DIR), name)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        cfg = load_config(args.stack, args.config_file)
        if args.command == "validate":
            print(f"{cfg.project}/{cfg.stack}: configuration is valid ({len(cfg.services)} services)")
            return EXIT_OK
        if args.command == "plan":
            from . import plan

            rendered = plan.render(cfg)
            if args.json:
                print(json.dumps(plan.as_json(rendered), indent=2, sort_keys=False))
            else:
                print(plan.as_text(rendered))
            return EXIT_OK
    except (ConfigError, UsageError) as exc:
        for line in str(exc).splitlines():
            print(line, file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - the contract is one line, no traceback
        print(f"error: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_USAGE
