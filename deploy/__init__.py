"""Run a containerised application on AWS ECS with Pulumi.

The package is layered; each folder imports only the ones below it (CI checks this with
import-linter, see `pyproject.toml`):

    deploy.cli       the `python -m deploy` command line (nothing imports it)
    deploy.ops       operations on real stacks through the Automation API (embeddable)
    deploy.offline   the mock engine and what reads a rendered plan: plan, cost, diagram, compliance
    deploy.stack     the one stack program: config -> component Args -> components
    deploy.config    read, parse, check and resolve a stack's configuration
    deploy.aws       pure AWS facts: limits, sizes, instance types, prices, names, subnet maths
    deploy.errors    the error hierarchy every layer raises

Importing this package has no side effects.
"""
