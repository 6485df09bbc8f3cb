"""Names: the prefix, service names, and the AWS names derived from them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...aws import limits, naming
from .. import resolve
from ..model import Service, StackConfig
from ..problems import Problem, counted, short

SERVICE_NAME = re.compile(r"[a-z]([a-z0-9-]*[a-z0-9])?")
PREFIX = re.compile(r"[a-z]([a-z0-9-]*[a-z0-9])?")


def check(cfg: StackConfig) -> Iterator[Problem]:
    prefix = resolve.prefix(cfg)
    if cfg.name is None and not PREFIX.fullmatch(prefix):
        yield Problem("stack name", f"{prefix!r} must be lowercase letters, digits and hyphens (it prefixes AWS "
                                    "resource names); set `name` to such a prefix")
    if not naming.fits_lb_limit(naming.alb_name(prefix)) and resolve.web_services(cfg):
        yield Problem("name", f"the load balancer name {naming.alb_name(prefix)!r} plus Pulumi's "
                              f"{limits.AUTONAME_SUFFIX}-character suffix exceeds AWS's "
                              f"{limits.LB_NAME_MAX} characters; set a shorter `name`: at most "
                              f"{counted(naming.max_prefix_length(), 'character')}, and the prefix and each web "
                              f"service's name have {naming.shared_length(naming.WEB_NAMES)} together")
    if not cfg.services:
        yield Problem("services", "define at least one service", ("services",))
    if prefix.startswith("internal") and resolve.web_services(cfg):
        yield Problem("name" if cfg.name else "stack name",
                      f"the load balancer would be named {naming.alb_name(prefix)!r}, and ELB refuses names that begin "
                      "with \"internal-\"; choose another prefix")
    for name, svc in cfg.services.items():
        key = f"services.{name}"
        if not SERVICE_NAME.fullmatch(name):
            yield Problem(key, "service names are lowercase letters, digits and hyphens, starting with a letter")
            continue
        names = derived_names(svc)
        component = naming.service_component_name(prefix, name)
        worst = naming.overflow(component, names)
        if worst is not None:
            physical, limit, what = worst
            shared = naming.shared_length(names)
            longest = shared - len(prefix)
            fix = (f"use a service name of at most {counted(longest, 'character')} or a shorter `name`"
                   if longest >= 1 else "set a shorter `name`")
            yield Problem(key, f"the {what} name {physical!r} plus Pulumi's {limits.AUTONAME_SUFFIX}-character "
                               f"suffix exceeds AWS's {limit} characters: the prefix {prefix!r} and the service "
                               f"name have {counted(shared, 'character')} together; {fix}")
        for cname, container in svc.containers.items():
            if not container.image.from_repository:
                continue
            registry = naming.registry_component_name(component, cname)
            if not re.fullmatch(r"[a-z0-9].*[a-z0-9]|[a-z0-9]", cname.lower()):
                yield Problem(f"{key}.containers.{cname}", "names the container's ECR repository, whose name must "
                                                           "start and end with a letter or digit; rename it")
            elif naming.overflow(registry, naming.REPOSITORY_NAMES):
                yield Problem(f"{key}.containers.{cname}", f"the ECR repository name {short(registry + '-repo')} "
                                                           f"plus Pulumi's {limits.AUTONAME_SUFFIX}-character suffix "
                                                           f"exceeds AWS's {naming.REPOSITORY} characters; use a "
                                                           "shorter container or service name")
    yield from _collisions(cfg, prefix)


def derived_names(svc: Service) -> tuple[tuple[str, int, str], ...]:
    """Every physical name a service's components derive from its component name."""
    names = list(naming.TASK_NAMES)
    if svc.kind == "scheduled":
        names += naming.SCHEDULED_NAMES
    else:
        names += naming.SERVICE_NAMES
    web = svc.web and svc.load_balancer is not None
    if web:
        names += naming.WEB_NAMES
    dep = svc.deployment
    if svc.kind != "scheduled":
        if dep.shifts_traffic and web:
            names += naming.SHIFTING_NAMES
        if dep.shifts_traffic and (web or dep.hooks):
            names += naming.DEPLOY_ROLE_NAMES
        if dep.alarms and web:
            names += naming.WEB_ALARM_NAMES
        if dep.alarms and svc.queue is not None:
            names += naming.QUEUE_ALARM_NAMES
    if svc.autoscaling is not None:
        names += naming.SCALING_NAMES
        if svc.autoscaling.messages_per_task is not None:
            names += naming.QUEUE_SCALING_NAMES
        if svc.autoscaling.predictive is not None:
            names += naming.PREDICTIVE_NAMES
    if svc.queue is not None:
        names += naming.FIFO_QUEUE_NAMES if svc.queue.fifo else naming.QUEUE_NAMES
    return tuple(names)


def _collisions(cfg: StackConfig, prefix: str) -> Iterator[Problem]:
    """Two settings that derive the same name would register the same URN twice, which Pulumi refuses."""
    owners: dict[str, str] = {}
    for name, svc in sorted(cfg.services.items()):
        component = naming.service_component_name(prefix, name)
        for cname, container in sorted(svc.containers.items()):
            if not container.image.from_repository:
                continue
            registry = naming.registry_component_name(component, cname)
            key = f"services.{name}.containers.{cname}"
            if registry in owners:
                yield Problem(key, f"its ECR repository {registry!r} is also the one of {owners[registry]}; rename one")
            owners.setdefault(registry, key)
        lowered: dict[str, str] = {}
        for cname in sorted(svc.containers):
            if cname.lower() in lowered:
                yield Problem(f"services.{name}.containers.{cname}", f"differs from container "
                                                                     f"{lowered[cname.lower()]!r} only by case; their "
                                                                     "port and volume names would collide")
            lowered.setdefault(cname.lower(), cname)
