"""Stacks whose network comes from a Terraform state in S3, as the AWS-facing operations see them.

The offline commands refuse `network.existing.fromTerraform.state: s3://...` (they call no
AWS). The operations do call AWS, with the caller's credentials, so they read the state:
`load` validates a stack file with the state read from S3, and `local_copies` hands the
offline plan that every `preview` / `up` / `release` renders first a copy of the stack
file that points at a local copy of the state, so the plan shows the IDs `up` will use.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from ..config.model import StackConfig
from ..config.parse import parse
from ..config.source import RawConfig, json_value, read_stack_file
from ..config.terraform_state import StateReader, s3_location
from ..stack import terraform_s3


def load(path: Path, project: str, stack: str) -> StackConfig:
    """Read and validate a stack file, reading a Terraform state in S3 with the stack's credentials."""
    raw = read_stack_file(path, project, stack)
    return parse(raw, states=terraform_s3.reader(raw))


def s3_state(raw: RawConfig) -> str | None:
    """The `s3://` location of the stack's Terraform state, if it names one."""
    for key in (f"{raw.project}:network", "network"):
        network = raw.values.get(key)
        existing = network.get("existing") if isinstance(network, dict) else None
        source = existing.get("fromTerraform") if isinstance(existing, dict) else None
        state = source.get("state") if isinstance(source, dict) else None
        if isinstance(state, str) and s3_location(state) is not None:
            return state
    return None


@contextlib.contextmanager
def local_copies(paths: Sequence[Path], project: str, stack: str,
                 states: StateReader | None = None) -> Iterator[list[Path]]:
    """`paths` as they are, except a stack file whose Terraform state is in S3: a copy of it (same file name, so the
    same stack name and URNs) whose `state` is a local copy of that object, for the offline plan."""
    with tempfile.TemporaryDirectory(prefix="tfstate-") as tmp:
        result = []
        for i, path in enumerate(paths):
            raw = read_stack_file(path, project, stack)
            location = s3_state(raw)
            if location is None:
                result.append(path)
                continue
            here = Path(tmp) / str(i)
            here.mkdir()
            state = here / "terraform.tfstate"
            state.write_bytes((states or terraform_s3.reader(raw))(location))
            copy = here / path.name
            copy.write_text(yaml.safe_dump(_pointed_at(path, project, str(state)), sort_keys=False), encoding="utf-8")
            result.append(copy)
        yield result


def _pointed_at(path: Path, project: str, state: str) -> dict[str, Any]:
    """The stack file's document (its `secure:` values copied, not decrypted) with the state replaced."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    config = document.get("config") or {}
    for key in (f"{project}:network", "network"):
        network = json_value(config.get(key))
        existing = network.get("existing") if isinstance(network, dict) else None
        source = existing.get("fromTerraform") if isinstance(existing, dict) else None
        if isinstance(source, dict) and isinstance(source.get("state"), str) and s3_location(source["state"]):
            source["state"] = state
            config[key] = network
    return document
