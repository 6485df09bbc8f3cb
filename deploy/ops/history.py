"""Earlier versions of a stack file, from the git history of the project (one `git` process).

`diff --against-ref main` compares the stack as it is in the working tree with the stack
as it was at a commit, branch or tag, without checking anything out.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..errors import ArgumentError, Failure, literal

TIMEOUT_S = 30


def file_at_ref(path: Path, ref: str) -> str:
    """The text of `path` (a file inside a git work tree) as committed at `ref`."""
    if not ref.strip() or ref.startswith("-"):
        raise ArgumentError("{against_ref}: " + literal(f"{ref!r} is not a git revision (a commit, branch or tag)"),
                            against_ref=None)
    if shutil.which("git") is None:
        raise Failure("git is not installed: install git, or compare with {against} FILE", against=None)
    folder = path.resolve().parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        raise Failure(literal(f"{folder} is not inside a git repository; compare with ") + "{against} FILE",
                      against=None)
    relative = path.resolve().relative_to(Path(top.strip()).resolve()).as_posix()
    if _git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is None:
        raise ArgumentError("{against_ref}: " + literal(f"no commit, branch or tag {ref!r} in this repository"),
                            against_ref=None)
    text = _git(folder, "show", f"{ref}:{relative}")
    if text is None:
        raise ArgumentError("{against_ref}: " + literal(f"{relative} does not exist at {ref}"), against_ref=None)
    return text


def _git(cwd: Path, *args: str) -> str | None:
    """stdout of a git command, or None when it fails."""
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Failure(literal(f"git {args[0]} failed: {exc}")) from exc
    return proc.stdout if proc.returncode == 0 else None
