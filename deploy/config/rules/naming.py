"""Names: the prefix, service names, and the AWS names derived from them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...aws import limits, naming
from .. import resolve
from ..model import StackConfig
from ..problems import Problem

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
                              f"{limits.LB_NAME_MAX} characters; set a shorter `name`")
    if not cfg.services:
        yield Problem("services", "define at least one service", ("services",))
    for name, svc in cfg.services.items():
        key = f"services.{name}"
        if not SERVICE_NAME.fullmatch(name):
            yield Problem(key, "service names are lowercase letters, digits and hyphens, starting with a letter")
        elif svc.web and svc.load_balancer is not None:
            tg = naming.target_group_name(prefix, name)
            if not naming.fits_lb_limit(tg):
                longest = naming.max_service_name_length(prefix)
                fix = (f"use a service name of at most {longest} characters or a shorter `name`" if longest >= 1
                       else "set a shorter `name`")
                yield Problem(key, f"target group name {tg!r} plus Pulumi's {limits.AUTONAME_SUFFIX}-character "
                                   f"suffix exceeds AWS's {limits.LB_NAME_MAX} characters; {fix}")
