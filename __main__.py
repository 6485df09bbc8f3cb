"""Pulumi entry point: read this stack's config, validate it, run the one stack program."""

from deploy.stack import lazy_aws

lazy_aws.enable()  # this process runs only the program: load pulumi_aws classes as they are used

import pulumi

from deploy.config.parse import parse
from deploy.config.problems import ConfigError
from deploy.stack import terraform_s3
from deploy.stack.program import build, export
from deploy.stack.runtime import read_runtime

raw = read_runtime(pulumi.get_project(), pulumi.get_stack())
try:
    # A Terraform state in S3 (`network.existing.fromTerraform`) is read now, with the stack's credentials.
    config = parse(raw, states=terraform_s3.reader(raw))
except ConfigError as exc:
    # Nothing has been created: report every problem at once, by config key.
    raise pulumi.RunError(f"invalid configuration for stack {pulumi.get_stack()}:\n{exc}") from None

export(build(config))
