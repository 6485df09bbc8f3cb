"""The containers of a task: how many, which are essential, ports, sizes, dependencies, environment."""

from __future__ import annotations

from collections.abc import Iterator

from ...aws import limits, naming
from ..model import Container, Service, StackConfig
from ..problems import Problem, by_default, valued
from ..resolve import log_router


def check(cfg: StackConfig) -> Iterator[Problem]:
    for name, svc in cfg.services.items():
        yield from _task(f"services.{name}", svc)


def _task(key: str, svc: Service) -> Iterator[Problem]:
    containers = svc.containers
    if not containers:
        yield Problem(f"{key}.containers", "define at least one container")
        return
    router = log_router(svc)
    if len(containers) + (router is not None) > limits.MAX_CONTAINERS_PER_TASK:
        # The FireLens sidecar is a container of the task like any other.
        counted = f"{len(containers)} containers and the log router" if router else f"{len(containers)} containers"
        yield Problem(f"{key}.containers", f"{counted}; a task definition holds at most "
                                           f"{limits.MAX_CONTAINERS_PER_TASK}")
    if not any(c.essential for c in containers.values()):
        yield Problem(f"{key}.containers", "at least one container must be essential")
    seen_volumes: dict[str, str] = {}
    for cname, c in sorted(containers.items()):
        for i, path in enumerate(c.writable_paths):
            volume = naming.volume_name(cname, path)
            if volume in seen_volumes:
                yield Problem(f"{key}.containers.{cname}.writablePaths[{i}]",
                              f"{path!r} and {seen_volumes[volume]!r} would share the task volume {volume!r}; list "
                              "each path once")
            seen_volumes.setdefault(volume, path)
    seen_ports: dict[int, str] = {}
    for cname, c in containers.items():
        ckey = f"{key}.containers.{cname}"
        yield from _container(ckey, cname, c, containers)
        for port in c.ports:
            if port in seen_ports:
                yield Problem(f"{ckey}.ports", f"port {port} is already used by container {seen_ports[port]!r}; "
                                               "ports must be unique in a task (awsvpc mode)")
            else:
                seen_ports[port] = cname
    with_router = " with the log router" if router is not None else ""
    cpu_sum = sum(c.cpu or 0 for c in containers.values()) + (router.cpu or 0 if router is not None else 0)
    if cpu_sum > svc.cpu:
        yield Problem(f"{key}.containers", f"container cpu adds up to {cpu_sum}{with_router}, more than the task's "
                                           f"cpu {valued(svc, 'cpu')}")
    mem_sum = sum((c.memory_reservation or c.memory or 0) for c in containers.values()) + (
        router.memory_reservation if router is not None else 0)
    if mem_sum > svc.memory:
        yield Problem(f"{key}.containers",
                      f"container memory adds up to {mem_sum} MiB{with_router}, more than the task's memory "
                      f"{valued(svc, 'memory', ' MiB')}")
    if router is not None and router.memory is not None and router.memory < router.memory_reservation:
        yield Problem(f"{key}.logging.router.memory", f"must not be below memoryReservation "
                                                      f"({router.memory_reservation} MiB) (got {router.memory})")


def _container(ckey: str, cname: str, c: Container, containers: dict[str, Container]) -> Iterator[Problem]:
    if c.memory is not None and c.memory_reservation is not None and c.memory_reservation > c.memory:
        yield Problem(f"{ckey}.memoryReservation", f"must not exceed memory ({c.memory} MiB) "
                                                   f"(got {c.memory_reservation})")
    for i, dep in enumerate(c.depends_on):
        if dep.container == cname:
            yield Problem(f"{ckey}.dependsOn[{i}].container", "a container cannot depend on itself")
        elif dep.container not in containers:
            yield Problem(f"{ckey}.dependsOn[{i}].container",
                          f"{dep.container!r} is not a container of this task; containers: "
                          f"{', '.join(containers)}")
        elif dep.condition == "HEALTHY" and containers[dep.container].health_check is None:
            yield Problem(f"{ckey}.dependsOn[{i}].condition",
                          f"HEALTHY needs a healthCheck on container {dep.container!r}")
    for name in sorted(set(c.environment) & set(c.secrets)):
        yield Problem(f"{ckey}.secrets.{name}", "is also set in `environment`; keep one")
    hc = c.health_check
    if hc is not None and hc.timeout >= hc.interval:
        yield Problem(f"{ckey}.healthCheck.timeout", f"must be less than the interval ({hc.interval} s"
                                                     f"{by_default(hc, 'interval')}) (got {hc.timeout} s"
                                                     f"{by_default(hc, 'timeout')})")
