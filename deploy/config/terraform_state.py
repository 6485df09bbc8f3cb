"""The network IDs a Terraform state holds in its root-module outputs (pure: no Pulumi, no AWS call).

`network.existing.fromTerraform` names a state and the outputs that hold the VPC, its
subnets and its private route tables. This module reads what such a state says; where the
bytes come from is the caller's: `read_local` for a file of the project (read when the
config is loaded, so the offline plan shows the real IDs), and for `s3://bucket/key` a
reader that the program installs at deploy time (`deploy.stack.terraform_s3`). Offline,
`offline_reader` refuses an S3 state with a message that says how to plan from a copy.

The state file format (Terraform 0.12 and later write format version 4; Terraform 1.x
still does), from hashicorp/terraform `internal/states/statefile`:
- `read.go`: the format version is the top-level `"version"` number, sniffed before the
  rest is parsed; 1 to 3 are legacy formats that Terraform upgrades in memory, anything
  else is refused ("The state file uses format version %d, which is not supported...").
- `version4.go` (`stateV4`): `"version": 4`, `"terraform_version"`, `"serial"`,
  `"lineage"`, `"outputs"` (root-module outputs only: `outputStateV4` is `{"value": <JSON
  of the value>, "type": <cty type JSON>, "sensitive": bool, omitted when false}`),
  `"resources"`, `"check_results"`.
- zclconf/go-cty `cty/json.go` (`Type.MarshalJSON`): a type is `"string"`, `"number"`,
  `"bool"`, `"dynamic"`, or `["list", T]`, `["set", T]`, `["map", T]`, `["object", {...}]`,
  `["tuple", [T, ...]]`. A splat such as `aws_subnet.private[*].id` is a tuple, a variable
  of `list(string)` a list: both are JSON arrays of strings in `"value"`, which is what is
  checked here.
- `internal/command/state_pull.go`: `terraform state pull` writes the state with
  `statefile.Write` ("upgrade the state format of the local copy to the current version"),
  so a state pulled with Terraform 0.12 or later is format 4 whatever its backend stores.
- The state holds the root module's outputs only (`RootOutputs`): the outputs of a module
  such as terraform-aws-modules/vpc are in it when the root module re-exports them.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STATE_FORMAT = 4
"""The only state format read: what Terraform 0.12 to 1.x write (statefile/version4.go)."""

MAX_STATE_BYTES = 64 * 1024 * 1024
"""A larger file is refused before it is read. A state holds every attribute of every resource of its root module;
a network's is far smaller (tens of kilobytes for a terraform-aws-modules/vpc root)."""

S3_URL = re.compile(r"s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(?P<key>[^\x00]+)")
"""An S3 object: a bucket name as S3 allows it (3-63 lowercase letters, digits, dots, hyphens) and a key."""

ID_PATTERNS = {
    "vpc": re.compile(r"vpc-[0-9a-f]+"),
    "subnet": re.compile(r"subnet-[0-9a-f]+"),
    "rtb": re.compile(r"rtb-[0-9a-f]+"),
}

StateReader = Callable[[str], bytes]
"""A state's location (as written in the config) -> its bytes; raises StateError when it cannot be read."""


class StateError(Exception):
    """What is wrong with a state, keyed below `network.existing.fromTerraform` (`state`, `outputs.vpcId`)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {m}" for k, m in problems))


def _error(key: str, message: str) -> StateError:
    return StateError([(key, message)])


# --- where the state is ---------------------------------------------------------------------


def location_problem(location: str) -> str | None:
    """Why `location` names no state: neither `s3://bucket/key` nor a file path."""
    if location.startswith("s3://"):
        if S3_URL.fullmatch(location) is None:
            return f"{location!r} is not s3://<bucket>/<key> (a bucket name of 3 to 63 lowercase letters, digits, " \
                   "dots and hyphens, then the object key)"
        return None
    if "://" in location:
        return f"{location!r}: only a local path or s3://<bucket>/<key> is read"
    if not location.strip() or "\x00" in location:
        return "must be a path to a state file (e.g. tf.tfstate) or s3://<bucket>/<key>"
    return None


def s3_location(location: str) -> tuple[str, str] | None:
    """(bucket, key) of an `s3://` location, else None (a local path)."""
    found = S3_URL.fullmatch(location)
    return (found["bucket"], found["key"]) if found else None


def read_local(location: str, project_dir: Path) -> bytes:
    """The bytes of a local state file; a relative path is relative to the project directory."""
    path = Path(location)
    path = path if path.is_absolute() else project_dir / path
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _error("state", f"{location!r} does not exist (looked for {path}); write it with `terraform state "
                              "pull > <file>` in the Terraform directory") from None
    except OSError as exc:
        raise _error("state", f"{location!r} cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _error("state", f"{location!r} is a directory; name the state file in it (e.g. "
                              f"{location.rstrip('/')}/terraform.tfstate)")
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise _error("state", f"{location!r} is not a regular file")
    if info.st_size > MAX_STATE_BYTES:
        raise _error("state", too_large(location, info.st_size))
    try:
        with path.open("rb") as f:
            data = f.read(MAX_STATE_BYTES + 1)
    except OSError as exc:
        raise _error("state", f"{location!r} cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_STATE_BYTES:  # grew while being read
        raise _error("state", too_large(location, len(data)))
    return data


def too_large(location: str, size: int, limit: int | None = None) -> str:
    return f"{location!r} is {_size(size)}; a state file is read up to {_size(limit or MAX_STATE_BYTES)} (is it " \
           "a state file?)"


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n / 2**10:.0f} KB" if n >= 2**10 else f"{n} bytes"


def offline_reader(project_dir: Path) -> StateReader:
    """What the offline commands read: local files; an S3 state is refused, since they call no AWS."""
    def read(location: str) -> bytes:
        if s3_location(location) is not None:
            raise _error("state", f"{location!r} is read from S3 when the program runs (`preview`, `up`), and the "
                                  "offline commands call no AWS; to plan offline, copy the state (`terraform state "
                                  "pull > tf.tfstate`) and point `state` at the copy, e.g. with --config-file")
        return read_local(location, project_dir)
    return read


# --- what the state says --------------------------------------------------------------------


def root_outputs(data: bytes, location: str) -> dict[str, Any]:
    """Output name -> value of a format-4 state's root module."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _error("state", f"{location!r} is not a Terraform state: not UTF-8 text (byte {exc.start})") from None
    try:
        state = json.loads(text)
    except RecursionError:
        raise _error("state", f"{location!r} is not a Terraform state: JSON nested too deeply") from None
    except ValueError as exc:
        line, column, msg = getattr(exc, "lineno", 0), getattr(exc, "colno", 0), getattr(exc, "msg", str(exc))
        raise _error("state", f"{location!r} is not valid JSON (line {line}, column {column}: {msg})") from None
    if not isinstance(state, dict):
        raise _error("state", f"{location!r} is not a Terraform state: not a JSON object")
    version = state.get("version")
    if version is None:
        if state and all(isinstance(v, dict) and "value" in v for v in state.values()):
            raise _error("state", f"{location!r} looks like the output of `terraform output -json`, not a state; "
                                  "write the state with `terraform state pull > <file>`")
        raise _error("state", f"{location!r} is not a Terraform state: it has no \"version\"")
    if version != STATE_FORMAT or isinstance(version, bool):
        written = state.get("terraform_version")
        by = f" (written by Terraform {written})" if isinstance(written, str) and written else ""
        raise _error("state", f"{location!r} is a state of format version {_shown(version)}{by}; only format "
                              f"{STATE_FORMAT} is read, which Terraform 0.12 and later write: run `terraform state "
                              "pull > <file>` with Terraform 1.x, which writes the current format")
    outputs = state.get("outputs", {})
    if not isinstance(outputs, dict):
        raise _error("state", f"{location!r}: \"outputs\" is not a JSON object")
    found = {}
    for name, entry in outputs.items():
        if isinstance(entry, dict) and "value" in entry:
            found[name] = entry["value"]
    return found


@dataclass(frozen=True)
class NetworkIds:
    """The existing network's IDs, as the stack uses them."""

    vpc_id: str
    public_subnet_ids: tuple[str, ...]
    private_subnet_ids: tuple[str, ...]
    private_route_table_ids: tuple[str, ...] | None = None
    """None: not read (no S3 gateway endpoint)."""


def network_ids(outputs: Mapping[str, Any], names: Mapping[str, str], route_tables: bool) -> NetworkIds:
    """The IDs from `outputs` by output name; `names` maps `vpcId`, `publicSubnetIds`, `privateSubnetIds` and
    `privateRouteTableIds` to the output names. Every missing or malformed output is reported at once."""
    problems: list[tuple[str, str]] = []

    def get(key: str) -> Any:
        name = names[key]
        if name not in outputs:
            have = ", ".join(sorted(outputs)) or "none"
            problems.append((f"outputs.{key}", f"the state has no output {name!r} (its root-module outputs: {have}); "
                                               "a module's outputs are in the state only when the root module "
                                               "re-exports them with an `output` block"))
            return None
        return outputs[name]

    vpc_id = get("vpcId")
    if vpc_id is not None and not (isinstance(vpc_id, str) and ID_PATTERNS["vpc"].fullmatch(vpc_id)):
        problems.append(("outputs.vpcId", f"output {names['vpcId']!r} is {_shown(vpc_id)}, not a VPC ID (vpc-...)"))
        vpc_id = None
    public = _ids(problems, "publicSubnetIds", names, get("publicSubnetIds"), "subnet", 2)
    private = _ids(problems, "privateSubnetIds", names, get("privateSubnetIds"), "subnet", 2)
    tables = _ids(problems, "privateRouteTableIds", names, get("privateRouteTableIds"), "rtb", 1) \
        if route_tables else None
    if public is not None and private is not None and len(public) != len(private):
        problems.append(("outputs", f"output {names['publicSubnetIds']!r} has {len(public)} subnets and "
                                    f"{names['privateSubnetIds']!r} {len(private)}: the stack needs one public and one "
                                    "private subnet per AZ"))
    if problems or vpc_id is None or public is None or private is None:
        raise StateError(problems)
    return NetworkIds(vpc_id=vpc_id, public_subnet_ids=public, private_subnet_ids=private,
                      private_route_table_ids=tables)


def _ids(problems: list[tuple[str, str]], key: str, names: Mapping[str, str], value: Any, kind: str,
         at_least: int) -> tuple[str, ...] | None:
    if value is None:
        return None
    what = {"subnet": "subnet IDs (subnet-...)", "rtb": "route table IDs (rtb-...)"}[kind]
    if not isinstance(value, list) or not all(isinstance(v, str) and ID_PATTERNS[kind].fullmatch(v) for v in value):
        problems.append((f"outputs.{key}", f"output {names[key]!r} is {_shown(value)}, not a list of {what}"))
        return None
    if len(value) < at_least:
        problems.append((f"outputs.{key}", f"output {names[key]!r} lists {len(value)}; at least {at_least} needed"))
        return None
    return tuple(value)


def _shown(value: Any, limit: int = 80) -> str:
    text = json.dumps(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."
