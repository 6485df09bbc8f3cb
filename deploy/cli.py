"""`python -m deploy <command>`: the command line.

Each command lives in `deploy/commands/<name>.py`, which defines `register(subparsers)`:
it adds its parser(s) and sets `handler=<function(args) -> int>`. Commands are found by
listing that package, so adding one touches no other file.

Exit codes (contract): 0 success; 2 invalid configuration or usage (one line per problem
on stderr, naming the config key); 1 any other failure, with a one-line reason.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path
from typing import Optional, Sequence

from .config import ConfigError, StackConfig, load, project_name

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Wrong command-line usage: exit 2."""


class Failure(Exception):
    """A failure to report in one line: exit 1."""


def stack_arguments(p: argparse.ArgumentParser) -> None:
    """`--stack` / `--config-file`, shared by every command that reads a stack."""
    p.add_argument("--stack", "-s", help="stack name: reads Pulumi.<stack>.yaml")
    p.add_argument("--config-file", type=Path, help="read this file (Pulumi.<stack>.yaml format) instead")


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


def parser(argv: Optional[Sequence[str]] = None) -> argparse.ArgumentParser:
    """The argument parser. With a known command in `argv`, only that command's module is
    imported: the Automation API commands import the Pulumi automation SDK, which `plan`
    should not pay for."""
    root = argparse.ArgumentParser(prog="python -m deploy", description="Run a containerised application on "
                                   "AWS ECS: validate, plan offline, deploy.")
    sub = root.add_subparsers(dest="command", required=True, metavar="command")
    from . import commands

    names = sorted(m.name for m in pkgutil.iter_modules(commands.__path__))
    wanted = [argv[0]] if argv and argv[0] in names else names
    for name in wanted:
        importlib.import_module(f"{commands.__name__}.{name}").register(sub)
    return root


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser(argv).parse_args(argv)
    try:
        return int(args.handler(args))
    except (ConfigError, UsageError) as exc:
        for line in str(exc).splitlines():
            print(line, file=sys.stderr)
        return EXIT_USAGE
    except Failure as exc:
        print(str(exc).splitlines()[0] if str(exc) else "failed", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        # The reader went away (`| head`): not a failure of ours.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - the contract is one line, no traceback
        print(f"error: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return EXIT_FAILURE
