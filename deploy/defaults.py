"""Computed defaults that depend on several settings (pure, no Pulumi)."""

from __future__ import annotations

from .config.model import Network, Routing, Service, StackConfig
from .config.rules import target_container

FIRST_PRIORITY = 100
PRIORITY_STEP = 10


def listener_priorities(cfg: StackConfig) -> dict[str, int]:
    """Listener rule priority per web service.

    Explicit priorities are kept. The others are numbered in a stable order: services with
    host conditions first (most specific), catch-all path `/*` last, then by name, skipping
    numbers already taken. ALB evaluates rules from the lowest number, so a catch-all rule
    never shadows a more specific one.
    """
    web = cfg.web_services()
    taken = {s.load_balancer.priority for s in web.values() if s.load_balancer.priority is not None}

    def specificity(item: tuple[str, Service]) -> tuple:
        name, svc = item
        r = svc.load_balancer
        catch_all = not r.hosts and set(r.paths) <= {"/*", "/"}
        return (not r.hosts, catch_all, name)

    result: dict[str, int] = {}
    n = FIRST_PRIORITY
    for name, svc in sorted(web.items(), key=specificity):
        if svc.load_balancer.priority is not None:
            result[name] = svc.load_balancer.priority
            continue
        while n in taken:
            n += PRIORITY_STEP
        result[name] = n
        taken.add(n)
        n += PRIORITY_STEP
    return result


def health_check_grace_period(svc: Service) -> int:
    """Seconds ECS ignores failing load balancer health checks of a new task.

    The target group needs `interval x healthyThreshold` seconds of passing probes to mark
    a target healthy; the container's own `startPeriod` is the application's boot time.
    Anything shorter lets ECS kill tasks that are merely starting.
    """
    r: Routing = svc.load_balancer
    if r.health_check_grace_period is not None:
        return r.health_check_grace_period
    target = target_container(svc)
    start = target[1].health_check.start_period if target and target[1].health_check else 0
    return start + r.health_check.interval * r.health_check.healthy_threshold


def cheapest_network(net: Network) -> bool:
    """No NAT and no endpoints: tasks need public IPs in public subnets to reach ECR."""
    return net.existing is None and net.nat == "none" and not net.endpoints.interface and not net.endpoints.s3


def assign_public_ip(net: Network, svc: Service, on_ec2: bool = False) -> bool:
    """Tasks get public IPs only on Fargate, and by default only in the cheapest network."""
    if on_ec2:
        return False
    if svc.assign_public_ip is not None:
        return svc.assign_public_ip
    return cheapest_network(net)


def platform(architecture: str) -> str:
    """Docker platform for a task's CPU architecture."""
    return "linux/arm64" if architecture == "ARM64" else "linux/amd64"


DEFAULT_CPU_TARGET = 70


def scaling_targets(a) -> tuple[int | None, int | None, int | None]:
    """(cpu, memory, requests) targets; CPU at 70% when nothing else drives the scaling."""
    if a.cpu_target is None and a.memory_target is None and a.requests_per_target is None \
            and a.messages_per_task is None:
        return DEFAULT_CPU_TARGET, None, None
    return a.cpu_target, a.memory_target, a.requests_per_target


def service_connect_namespace(cfg) -> str | None:
    """Cloud Map namespace of the stack's Service Connect names, when any service calls another."""
    if not any(s.calls for s in cfg.services.values()):
        return None
    return f"{cfg.prefix}.{cfg.project}.internal"
