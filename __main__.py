"""Pulumi entry point: read this stack's config, validate it, run the one stack program."""

import pulumi

from deploy.config import ConfigError, parse, read_runtime
from deploy.program import build, export

try:
    config = parse(read_runtime(pulumi.get_project(), pulumi.get_stack()))
except ConfigError as exc:
    # Nothing has been created: report every problem at once, by config key.
    raise pulumi.RunError(f"invalid configuration for stack {pulumi.get_stack()}:\n{exc}") from None

export(build(config))
