"""`release --stack S --service NAME (--image-tag TAG | --image URI) [--container C] [--local]`.

The image-only deployment CI runs many times a day: sets one config key, updates only that
service's task definition and ECS service, prints the new task definition revision. See
docs/operations.md and examples/release-workflow.yml.
"""

from __future__ import annotations

import argparse

from ...errors import ArgumentError
from ..app import EXIT_OK
from ..operations import add_arguments, print_summary, stack_name, stream


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("release", help="deploy a new image of one service, nothing else (needs the Pulumi CLI)")
    add_arguments(p)
    p.add_argument("--service", required=True, help="the service to release")
    image = p.add_mutually_exclusive_group(required=True)
    image.add_argument("--image-tag", help="a tag pushed to the stack's ECR repository of the container")
    image.add_argument("--image", help="an image URI (for containers that run an image URI)")
    p.add_argument("--container", help="the container, when the service has several that take the image")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...ops import api

    if args.config_file is not None:
        raise ArgumentError("--config-file: release writes the stack's own Pulumi.<stack>.yaml through "
                         "`pulumi config set`; use --stack")
    result = api.release(stack_name(args), args.service, image_tag=args.image_tag, image=args.image,
                         container=args.container, local=args.local, on_output=stream)
    revision = f"revision {result.revision}" if result.revision is not None else "revision unknown"
    print_summary(result, [f"Released {result.service}/{result.container}: {result.key} = {result.value}",
                           f"Task definition: {result.task_definition_arn or 'not in the stack outputs'} "
                           f"({revision})"])
    return EXIT_OK
