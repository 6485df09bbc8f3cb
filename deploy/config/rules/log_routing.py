"""How logs leave a task (`logging`), and what reaches a container from outside the image: environment files,
private registry credentials."""

from __future__ import annotations

from collections.abc import Iterator

from ...aws import arns
from ..model import Service, StackConfig
from ..problems import Problem

LOG_ROUTER = "log_router"
"""The FireLens sidecar's container name, AWS's own in its FireLens examples (ECS developer guide, "Example Amazon
ECS task definition: Route logs to FireLens")."""


def check(cfg: StackConfig) -> Iterator[Problem]:
    for name, svc in cfg.services.items():
        yield from _logging(f"services.{name}", svc)
        for cname, c in sorted(svc.containers.items()):
            image = c.image
            if image.credentials_secret_arn is None:
                continue
            key = f"services.{name}.containers.{cname}.image.credentialsSecretArn"
            # botocore ecs ContainerDefinition.repositoryCredentials: private registry authentication; ECR images
            # are pulled with the execution role's ECR permissions instead (ECS developer guide, "Using non-AWS
            # container images in Amazon ECS").
            if image.uri is None:
                yield Problem(key, "applies to an image given by `uri`; the stack's own ECR repository (`build`, "
                                   "`tag`) is pulled with the execution role")
            elif arns.ecr_repository_arn(image.uri) is not None:
                yield Problem(key, f"{image.uri} is in ECR, which the execution role pulls from without registry "
                                   "credentials; remove it, or use an image of another registry")


def _logging(key: str, svc: Service) -> Iterator[Problem]:
    lg = svc.logging
    lkey = f"{key}.logging"
    if lg.driver == "awslogs":
        for field, alias in (("options", "options"), ("secret_options", "secretOptions"), ("router", "router")):
            if field in lg.model_fields_set:
                yield Problem(f"{lkey}.{alias}", "applies to `driver: firelens` only; awslogs sends each container "
                                                 "to the service's log group")
        # Docker, "Configure logging drivers": max-buffer-size "controls the size of the buffer used for
        # intermediate message storage when mode is set to non-blocking" (also botocore ecs LogConfiguration.options).
        if lg.max_buffer_size is not None and lg.mode != "non-blocking":
            yield Problem(f"{lkey}.maxBufferSize", "needs `mode: non-blocking`: only that mode buffers logs")
        return
    for field, alias in (("mode", "mode"), ("max_buffer_size", "maxBufferSize")):
        if getattr(lg, field) is not None:
            yield Problem(f"{lkey}.{alias}", "applies to `driver: awslogs` only; with firelens the router buffers")
    if lg.options and "Name" not in lg.options:
        yield Problem(f"{lkey}.options", "needs `Name`, the Fluent Bit output plugin (e.g. cloudwatch_logs, http, "
                                         "kinesis_firehose, s3)")
    for name in sorted(set(lg.options) & set(lg.secret_options)):
        yield Problem(f"{lkey}.secretOptions.{name}", "is also set in `options`; keep one")
    if LOG_ROUTER in svc.containers:
        yield Problem(f"{key}.containers.{LOG_ROUTER}", "is the name of the FireLens sidecar the stack adds with "
                                                        "`logging.driver: firelens`; rename the container")
