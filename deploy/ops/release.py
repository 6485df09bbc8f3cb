"""Image-only releases: which config key changes, and proof that nothing else does (pure + one subprocess).

A release sets exactly one key of the stack config, `ecs-app:services.<s>.containers.<c>.image.tag`
(an image in the stack's own ECR repository) or `...image.uri` (any other image), then
updates only that service's task definition and ECS service (`pulumi up --target`).
Before anything touches the Automation API, the offline plan is rendered for the current
and for the released config and the two are compared: if anything but those two resources
would change, the release is refused (that is an `up`, not a release).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ..aws.tokens import IMAGE as BUILD_STEP
from ..aws.tokens import SERVICE as ECS_SERVICE
from ..aws.tokens import TASK_DEFINITION
from ..config.model import StackConfig
from ..errors import ArgumentError, Failure, literal
from ..offline import diff
from .failures import describe_urn


@dataclass(frozen=True)
class ImageChange:
    service: str
    container: str
    field: str
    """`tag` (the stack's ECR repository) or `uri`."""
    value: str
    previous: str | None
    project: str

    @property
    def path(self) -> list[str]:
        return ["services", self.service, "containers", self.container, "image", self.field]

    @property
    def key(self) -> str:
        """The Pulumi config key with `--path` syntax, as `pulumi config set --path` takes it."""
        return f"{self.project}:" + ".".join(self.path)


def choose(cfg: StackConfig, service: str, *, image_tag: str | None = None, image: str | None = None,
           container: str | None = None) -> ImageChange:
    """The one config value a release sets; ArgumentError naming what is allowed otherwise."""
    names = {"image_tag": None, "image": None, "service": None, "container": None}
    if image_tag is not None:
        value, field, flag, other = image_tag, "tag", "{image_tag}", "{image} URI (it runs an image URI)"
    elif image is not None:
        value, field, flag, other = image, "uri", "{image}", "{image_tag} TAG (it runs an image from the stack's " \
                                                            "ECR repository)"
    else:
        raise ArgumentError("{image_tag} / {image}: give exactly one (a tag in the stack's ECR repository, or a "
                            "URI)", **names)
    if image_tag is not None and image is not None:
        raise ArgumentError("{image_tag} / {image}: give exactly one, not both", **names)
    svc = cfg.services.get(service)
    if svc is None:
        raise ArgumentError("{service}: " + literal(f"unknown service {service!r}; services of stack {cfg.stack}: "
                                                    f"{', '.join(sorted(cfg.services)) or 'none'}"), **names)
    from_repository = field == "tag"
    fits = sorted(name for name, c in svc.containers.items() if c.image.from_repository == from_repository)
    if container is not None:
        if container not in svc.containers:
            raise ArgumentError("{container}: " + literal(f"unknown container {container!r} of service {service}; "
                                                          f"containers: {', '.join(sorted(svc.containers))}"),
                                **names)
        if container not in fits:
            raise ArgumentError(literal(f"services.{service}.containers.{container}.image: release it with ")
                                + other, **names)
        chosen = container
    elif len(fits) == 1:
        chosen = fits[0]
    elif not fits:
        raise ArgumentError(flag + literal(f": no container of service {service} takes it; containers: "
                                           f"{', '.join(sorted(svc.containers))}"), **names)
    else:
        raise ArgumentError("{container}: " + literal(f"service {service} has several containers that take ") + flag
                            + literal(f": {', '.join(fits)}; name one"), **names)
    current = svc.containers[chosen].image
    return ImageChange(service, chosen, field, value, getattr(current, field), cfg.project)


def apply(document: dict[str, Any], change: ImageChange) -> dict[str, Any]:
    """A copy of a `Pulumi.<stack>.yaml` document with the release's value set."""
    doc = copy.deepcopy(document)
    config = doc.setdefault("config", {})
    key = f"{change.project}:services" if f"{change.project}:services" in config else "services"
    node = config.setdefault(key, {})
    for part in change.path[1:-1]:
        node = node.setdefault(part, {})
    node[change.field] = change.value
    return doc


def release_targets(before: dict[str, Any], after: dict[str, Any], change: ImageChange) -> list[str]:
    """URNs of the task definition and ECS service of the released service, if nothing else changes.

    `before` / `after` are `plan --json` objects of the current and the released config.
    The resources are found through the contracted stack outputs (`taskDefinitionArns`,
    `serviceNames`, `repositoryUrls`), not through component names, and compared with the
    same diff as `python -m deploy diff` (`deploy.offline.diff`). The only other
    difference tolerated is the disappearance of the released container's image build
    (`build` -> `tag`): the targeted update leaves it alone, and it deletes nothing in ECR.
    """
    old = {r["urn"]: r for r in before["resources"]}
    new = {r["urn"]: r for r in after["resources"]}
    outputs = after.get("outputs") or {}
    arn = str((outputs.get("taskDefinitionArns") or {}).get(change.service, ""))
    family = arn.rsplit("task-definition/", 1)[-1].rsplit(":", 1)[0]
    task = _one(new, TASK_DEFINITION, lambda r: r["inputs"].get("family") == family, change.service)
    name = (outputs.get("serviceNames") or {}).get(change.service)
    service = _one(new, ECS_SERVICE, lambda r: r["name"] == name, change.service)
    repository = (outputs.get("repositoryUrls") or {}).get(f"{change.service}/{change.container}")
    build_step = {urn for urn, r in old.items()
                  if repository and r["type"] == BUILD_STEP and r["inputs"].get("repositoryUrl") == repository}
    changes = diff.compare(diff.from_plan_json(before), diff.from_plan_json(after))
    unexpected = [c for c in changes.changes if c.urn not in {task, service}
                  and not (c.action == diff.DELETE and c.urn in build_step)]
    if unexpected:
        shown = ", ".join(describe_urn(c.urn) + (f" ({c.action})" if c.action != diff.UPDATE else "")
                          for c in unexpected[:4]) + (" ..." if len(unexpected) > 4 else "")
        raise Failure(literal(f"release refused: setting {change.key} would also change {shown}; ")
                      + "deploy that with up (see: python -m deploy diff)")
    return [task, service]


def _one(resources: dict[str, dict], type_: str, match: Any, service: str) -> str:
    found = [urn for urn, r in resources.items() if r["type"] == type_ and match(r)]
    if len(found) != 1:
        raise Failure(f"release: cannot find the {type_.rsplit(':', 1)[-1]} of service {service} in the plan "
                      f"(found {len(found)})")
    return found[0]
