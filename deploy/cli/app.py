"""`python -m deploy <command>`: the command line.

Each command lives in `deploy/cli/commands/<name>.py`, which defines `register(subparsers)`:
it adds its parser(s) and sets `handler=<function(args) -> int>`. Commands are found by
listing that package, so adding one touches no other file.

Exit codes (contract): 0 success; 2 invalid configuration or usage (one line per problem
on stderr, naming the config key); 1 any other failure, with a one-line reason. The
errors of the layers below carry their exit code (`deploy.errors`); here they are only
printed, with arguments named as flags (`--image-tag`).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ..config.model import StackConfig
from ..config.parse import load
from ..config.problems import ConfigError
from ..config.source import project_name, stack_file
from ..errors import ArgumentError, DeployError, cli_argument

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (contract) and exit 2, without the usage text."""

    def error(self, message: str) -> NoReturn:
        raise ArgumentError(f"{self.prog}: {message}")


def stack_arguments(p: argparse.ArgumentParser) -> None:
    """`--stack` / `--config-file`, shared by every command that reads a stack."""
    p.add_argument("--stack", "-s", help="stack name: reads Pulumi.<stack>.yaml")
    p.add_argument("--config-file", type=Path, help="read this file (Pulumi.<stack>.yaml format) instead")


def load_config(stack: str | None, config_file: Path | None) -> StackConfig:
    """The validated config of `--stack` or `--config-file`."""
    name, path = stack_file(stack, config_file)
    return load(path, project_name(), name)


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser. With a known command in `argv`, only that command's module is
    imported: the Automation API commands import the Pulumi automation SDK, which `plan`
    should not pay for."""
    root = _Parser(prog="python -m deploy", description="Run a containerised application on AWS ECS: validate, "
                   "plan offline, deploy.")
    sub = root.add_subparsers(dest="command", required=True, metavar="command", parser_class=_Parser)
    from . import commands

    names = sorted(m.name for m in pkgutil.iter_modules(commands.__path__))
    wanted = [argv[0]] if argv and argv[0] in names else names
    for name in wanted:
        importlib.import_module(f"{commands.__name__}.{name}").register(sub)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser(args_list).parse_args(args_list)
        return int(args.handler(args))
    except ConfigError as exc:
        for line in str(exc).splitlines():
            print(line, file=sys.stderr)
        return exc.exit_code
    except DeployError as exc:
        text = exc.render(cli_argument)
        print(text.splitlines()[0] if text else "failed", file=sys.stderr)
        return exc.exit_code
    except SystemExit as exc:  # --help, --version: argparse exits 0 after printing
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
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
