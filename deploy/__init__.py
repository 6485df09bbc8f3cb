"""Deploy a containerised application on AWS ECS: config, stack program, offline plan, CLI."""

from . import lazy_aws

lazy_aws.enable()
