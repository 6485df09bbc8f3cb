"""The offline plans of stack files, each rendered and accepted in a fresh Python process.

Every operation that changes a real stack (`preview`, `up`, `release`) first renders the
plan offline and runs the acceptance check, so a payload AWS would refuse stops before the
Pulumi CLI is started, as an invalid config does (exit 2, one line per problem). The
renders run in subprocesses because the offline engine installs Pulumi mocks into the
process's global runtime state, and the caller may run real Pulumi programs in its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..config.problems import ConfigError, Problem
from ..config.source import PROJECT_DIR
from ..errors import Failure

Renderer = Callable[[Sequence[Path]], list[dict[str, Any]]]
"""Stack files -> their `plan --json` objects (raises ConfigError or Failure)."""

USAGE_EXIT = 2


def render_in_subprocess(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """`plan --json` of each stack file, side by side, each in a fresh Python process."""
    procs = [subprocess.Popen([sys.executable, "-m", "deploy", "plan", "--json", "--config-file", str(p)],
                              cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in paths]
    plans = []
    for path, proc in zip(paths, procs, strict=True):
        out, err = proc.communicate()
        if proc.returncode == USAGE_EXIT:
            raise ConfigError(_problems(err, path))
        if proc.returncode != 0:
            reason = next((ln for ln in err.splitlines() if ln.strip()), f"exit code {proc.returncode}")
            raise Failure(f"the offline plan of {path.name} failed: {reason}")
        plans.append(json.loads(out))
    return plans


def _problems(stderr: str, path: Path) -> list[Problem]:
    """The problems the plan printed, one per line, `key: message` (contract)."""
    found = []
    for line in (ln for ln in stderr.splitlines() if ln.strip()):
        key, sep, message = line.partition(": ")
        found.append(Problem(key, message) if sep else Problem(path.name, line))
    return found or [Problem(path.name, "the offline plan refused the configuration")]
