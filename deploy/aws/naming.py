"""The naming scheme: logical names of the resources whose AWS names are limited (pure).

Every resource of a stack is named from one prefix (config `name`, default: the stack
name), so `dev` and `prod` resources are told apart in the AWS console. Renaming a
prefix or a service replaces its resources: names are identity.
"""

from __future__ import annotations

from . import limits


def alb_name(prefix: str) -> str:
    return f"{prefix}-alb"


def service_component_name(prefix: str, service: str) -> str:
    return f"{prefix}-{service}"


def registry_component_name(service_component: str, container: str) -> str:
    """The ECR registry of one container; lowercase because ECR repository names are."""
    return f"{service_component}-{container}".lower()


def target_group_name(prefix: str, service: str) -> str:
    return f"{service_component_name(prefix, service)}-tg"


def log_group_name(project: str, stack: str, service: str) -> str:
    return f"/ecs/{project}/{stack}/{service}"


def flow_log_group_name(project: str, stack: str) -> str:
    return f"/vpc/{project}/{stack}/flow-logs"


def port_name(container: str, port: int) -> str:
    """The name of a container's port mapping; Service Connect refers to ports by it."""
    return f"{container}-{port}"


def physical_length(logical: str) -> int:
    """Length of the AWS name Pulumi auto-generates from a logical name."""
    return len(logical) + limits.AUTONAME_SUFFIX


def fits_lb_limit(logical: str) -> bool:
    return physical_length(logical) <= limits.LB_NAME_MAX


def max_service_name_length(prefix: str) -> int:
    """Longest service name whose target group name still fits AWS's 32 characters."""
    return limits.LB_NAME_MAX - limits.AUTONAME_SUFFIX - physical_overhead(prefix)


def physical_overhead(prefix: str) -> int:
    return len(target_group_name(prefix, ""))
