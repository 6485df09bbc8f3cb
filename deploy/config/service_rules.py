"""Rules for one service: task size, containers, routing, scaling, public IPs (pure)."""

from __future__ import annotations

import re
from typing import Iterator

from .. import fargate, limits, naming
from .model import Container, Routing, Service, StackConfig
from .problems import (
    CONTAINER_NAME, ENV_NAME, FORBIDDEN_ENV, SECRET_ARN, SECRET_PLACEHOLDER, SERVICE_NAME, SSM_ARN, SSM_NAME, Problem,
    based_on, in_range, retention, strategy_basis, strategy_problems,
)


def service(cfg: StackConfig, name: str, svc: Service) -> Iterator[Problem]:
    key = f"services.{name}"
    if not SERVICE_NAME.match(name):
        yield Problem(key, "service names are lowercase letters, digits and hyphens, starting with a letter")
    elif svc.web and svc.load_balancer is not None:
        tg = naming.target_group_name(cfg.prefix, name)
        if not naming.fits_lb_limit(tg):
            longest = naming.max_service_name_length(cfg.prefix)
            fix = (f"use a service name of at most {longest} characters or a shorter `name`" if longest >= 1
                   else "set a shorter `name`")
            yield Problem(key, f"target group name {tg!r} plus Pulumi's {limits.AUTONAME_SUFFIX}-character "
                               f"suffix exceeds AWS's {limits.LB_NAME_MAX} characters; {fix}")
    on_cluster = strategy_basis(svc)
    if not cfg.on_ec2(svc):
        # EC2 tasks are sized against the instances (workload_rules.py).
        yield from based_on(on_cluster, _size(key, svc))
    yield from _containers(key, svc)
    if svc.capacity_provider_strategy is not None:
        yield from strategy_problems(f"{key}.capacityProviderStrategy", svc.capacity_provider_strategy)
    strategy = svc.capacity_provider_strategy or cfg.cluster.capacity_provider_strategy
    spot = any(i.provider == "FARGATE_SPOT" and (i.weight or i.base) for i in strategy)
    if svc.architecture == "ARM64" and spot:
        where = "its" if svc.capacity_provider_strategy is not None else "the cluster's default"
        yield Problem(f"{key}.capacityProviderStrategy",
                      f"ARM64 tasks cannot run on FARGATE_SPOT ({where} strategy uses it); use X86_64 for "
                      "Spot savings or a FARGATE-only strategy", on_cluster)
    yield from retention(f"{key}.logRetentionDays", svc.log_retention_days)
    if svc.web and svc.load_balancer is not None:
        yield from _routing(f"{key}.loadBalancer", svc, svc.load_balancer)
    yield from _scaling(key, svc)
    dep = svc.deployment
    if dep.maximum_percent <= dep.minimum_healthy_percent:
        yield Problem(f"{key}.deployment.maximumPercent",
                      f"must be above minimumHealthyPercent ({dep.minimum_healthy_percent}) or no "
                      "deployment can start a new task")
    yield from based_on(("network", *on_cluster), _public_ip(cfg, key, svc))
    for i, st in enumerate(svc.task_role.statements):
        if "*" in st.actions and st.effect == "Allow":
            yield Problem(f"{key}.taskRole.statements[{i}].actions",
                          '"*" grants every AWS action; list the actions the application needs')


def _size(key: str, svc: Service) -> Iterator[Problem]:
    if svc.cpu not in fargate.CPU_VALUES:
        yield Problem(f"{key}.cpu", f"{svc.cpu} is not a Fargate CPU size; use one of "
                                    f"{', '.join(map(str, fargate.CPU_VALUES))} (1024 = 1 vCPU)")
    elif not fargate.is_valid_size(svc.cpu, svc.memory):
        yield Problem(f"{key}.memory", f"{svc.memory} MiB is not allowed with cpu {svc.cpu}; Fargate allows "
                                       f"{fargate.describe_memory_options(svc.cpu)} MiB")
    if svc.ephemeral_storage is not None:
        yield from in_range(f"{key}.ephemeralStorage", svc.ephemeral_storage, limits.FARGATE_EPHEMERAL_GIB, " GiB")


def _containers(key: str, svc: Service) -> Iterator[Problem]:
    containers = svc.containers
    if not containers:
        yield Problem(f"{key}.containers", "define at least one container")
        return
    if len(containers) > limits.MAX_CONTAINERS_PER_TASK:
        yield Problem(f"{key}.containers", f"{len(containers)} containers; a task definition holds at most "
                                           f"{limits.MAX_CONTAINERS_PER_TASK}")
    if not any(c.essential for c in containers.values()):
        yield Problem(f"{key}.containers", "at least one container must be essential")
    seen_ports: dict[int, str] = {}
    for cname, c in containers.items():
        ckey = f"{key}.containers.{cname}"
        if not CONTAINER_NAME.match(cname):
            yield Problem(ckey, "container names are letters, digits, hyphens and underscores (up to 255)")
        yield from _container(ckey, cname, c, containers)
        for port in c.ports:
            if not 1 <= port <= 65535:
                yield Problem(f"{ckey}.ports", f"{port} is not a port; use 1 to 65535")
            elif port in seen_ports:
                yield Problem(f"{ckey}.ports", f"port {port} is already used by container {seen_ports[port]!r}; "
                                               "ports must be unique in a task (awsvpc mode)")
            else:
                seen_ports[port] = cname
    cpu_sum = sum(c.cpu or 0 for c in containers.values())
    if cpu_sum > svc.cpu:
        yield Problem(f"{key}.containers", f"container cpu adds up to {cpu_sum}, more than the task's {svc.cpu}")
    mem_sum = sum((c.memory_reservation or c.memory or 0) for c in containers.values())
    if mem_sum > svc.memory:
        yield Problem(f"{key}.containers",
                      f"container memory adds up to {mem_sum} MiB, more than the task's {svc.memory} MiB")


def _container(ckey: str, cname: str, c: Container, containers: dict[str, Container]) -> Iterator[Problem]:
    if c.memory is not None and c.memory_reservation is not None and c.memory_reservation > c.memory:
        yield Problem(f"{ckey}.memoryReservation", f"({c.memory_reservation}) must not exceed memory ({c.memory})")
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
    for section, names in (("environment", c.environment), ("secrets", c.secrets)):
        for name in names:
            if not ENV_NAME.match(name):
                yield Problem(f"{ckey}.{section}", f"{name!r} is not a valid environment variable name")
            if name in FORBIDDEN_ENV:
                yield Problem(f"{ckey}.{section}.{name}", "AWS credentials must not be set in a task definition "
                                                          "(FSBP ECS.8); grant access through `taskRole`")
    for name in set(c.environment) & set(c.secrets):
        yield Problem(f"{ckey}.secrets.{name}", "is also set in `environment`; keep one")
    for name, ref in c.secrets.items():
        if ref == SECRET_PLACEHOLDER:
            continue  # a `secure:` value, unreadable offline
        if not (SECRET_ARN.match(ref) or SSM_ARN.match(ref) or (not ref.startswith("arn:") and SSM_NAME.match(ref))):
            yield Problem(f"{ckey}.secrets.{name}", "must be a Secrets Manager secret ARN, an SSM parameter ARN, "
                                                    "or an SSM parameter name such as /app/db-password")
    if c.image.tag is not None and not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", c.image.tag):
        yield Problem(f"{ckey}.image.tag", f"{c.image.tag!r} is not a Docker tag (letters, digits, _ . -; up to 128)")
    for i, path in enumerate(c.writable_paths):
        if not path.startswith("/"):
            yield Problem(f"{ckey}.writablePaths[{i}]", f"{path!r} must be an absolute path")
    if c.health_check is not None and c.health_check.timeout >= c.health_check.interval:
        yield Problem(f"{ckey}.healthCheck.timeout", "must be less than the interval")


def _routing(key: str, svc: Service, r: Routing) -> Iterator[Problem]:
    target = target_container(svc)
    if r.container is not None and r.container not in svc.containers:
        yield Problem(f"{key}.container", f"{r.container!r} is not a container of this service; containers: "
                                          f"{', '.join(svc.containers)}")
        return
    if target is None:
        yield Problem(f"{key}.container", "name the container to route to (several containers have ports)"
                      if any(c.ports for c in svc.containers.values())
                      else "no container has `ports`; add the port the load balancer should target")
        return
    cname, container = target
    if not container.ports:
        yield Problem(f"{key}.container", f"container {cname!r} has no `ports`; add the port the load balancer "
                                          "should target")
        return
    port = target_port(svc)
    if port is None or port not in container.ports:
        yield Problem(f"{key}.port", f"container {cname!r} does not expose port {port}; its ports: "
                                     f"{container.ports or 'none'}")
    for i, path in enumerate(r.paths):
        if not path.startswith("/"):
            yield Problem(f"{key}.paths[{i}]", f"{path!r} must start with '/'")
    if not r.paths and not r.hosts:
        yield Problem(f"{key}.paths", "a listener rule needs `paths` or `hosts`")
    if r.priority is not None:
        yield from in_range(f"{key}.priority", r.priority, limits.LISTENER_RULE_PRIORITY)
    hc = r.health_check
    if not hc.path.startswith("/"):
        yield Problem(f"{key}.healthCheck.path", f"{hc.path!r} must start with '/'")
    yield from in_range(f"{key}.healthCheck.interval", hc.interval, limits.TG_INTERVAL, " s")
    yield from in_range(f"{key}.healthCheck.timeout", hc.timeout, limits.TG_TIMEOUT, " s")
    yield from in_range(f"{key}.healthCheck.healthyThreshold", hc.healthy_threshold, limits.TG_THRESHOLD)
    yield from in_range(f"{key}.healthCheck.unhealthyThreshold", hc.unhealthy_threshold, limits.TG_THRESHOLD)
    if hc.timeout >= hc.interval:
        yield Problem(f"{key}.healthCheck.timeout", f"({hc.timeout} s) must be less than the interval "
                                                    f"({hc.interval} s)")
    if not re.fullmatch(r"\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*", hc.matcher):
        yield Problem(f"{key}.healthCheck.matcher", f"{hc.matcher!r} must be HTTP codes like 200 or 200-399")
    yield from in_range(f"{key}.deregistrationDelay", r.deregistration_delay, limits.DEREGISTRATION_DELAY, " s")


def target_container(svc: Service) -> tuple[str, Container] | None:
    """The container the load balancer targets: the named one, else the only one with ports."""
    r = svc.load_balancer
    if r is not None and r.container is not None:
        c = svc.containers.get(r.container)
        return (r.container, c) if c is not None else None
    with_ports = [(n, c) for n, c in svc.containers.items() if c.ports]
    return with_ports[0] if len(with_ports) == 1 else None


def target_port(svc: Service) -> int | None:
    r = svc.load_balancer
    if r is not None and r.port is not None:
        return r.port
    target = target_container(svc)
    return target[1].ports[0] if target and target[1].ports else None


def _scaling(key: str, svc: Service) -> Iterator[Problem]:
    a = svc.autoscaling
    if a is None:
        return
    if not a.min <= svc.desired_count <= a.max:
        yield Problem(f"{key}.desiredCount", f"({svc.desired_count}) must be within autoscaling "
                                             f"min {a.min} and max {a.max}")
    if a.min > a.max:
        yield Problem(f"{key}.autoscaling.min", f"({a.min}) must not exceed max ({a.max})")
    for field, value in (("cpuTarget", a.cpu_target), ("memoryTarget", a.memory_target)):
        if value is not None and not 1 <= value <= 100:
            yield Problem(f"{key}.autoscaling.{field}", f"must be a percentage from 1 to 100 (got {value})")
    if a.requests_per_target is not None and not (svc.web and svc.load_balancer is not None):
        yield Problem(f"{key}.autoscaling.requestsPerTarget", "needs `loadBalancer` (it tracks ALB requests)")
    if a.messages_per_task is not None:
        if svc.queue is None:
            yield Problem(f"{key}.autoscaling.messagesPerTask", "needs a `queue` (it scales on the queue's backlog)")
        if a.cpu_target is not None or a.memory_target is not None:
            yield Problem(f"{key}.autoscaling", "queue scaling and CPU/memory target tracking would fight over "
                                                "the task count; use one")
    elif a.min == 0:
        yield Problem(f"{key}.autoscaling.min", "0 tasks is only for queue workers (`messagesPerTask`), which "
                                                "start again when messages arrive; use 1 or more")


def _public_ip(cfg: StackConfig, key: str, svc: Service) -> Iterator[Problem]:
    net = cfg.network
    if svc.assign_public_ip is None or net.existing is not None or cfg.on_ec2(svc):
        return  # EC2 tasks: workload_rules.py refuses public IPs outright
    cheapest = net.nat == "none" and not net.endpoints.interface and not net.endpoints.s3
    if svc.assign_public_ip and not cheapest:
        yield Problem(f"{key}.assignPublicIp", "public IPs on tasks are only for `network.nat: none` without "
                                               "endpoints; with a NAT or endpoints tasks stay private (FSBP ECS.2)")
    if not svc.assign_public_ip and cheapest:
        yield Problem(f"{key}.assignPublicIp", "with `network.nat: none` and no endpoints, private tasks cannot "
                                               "pull images; add a NAT or endpoints, or leave this unset")


def routing_conflicts(cfg: StackConfig) -> Iterator[Problem]:
    seen_priority: dict[int, str] = {}
    seen_conditions: dict[tuple, str] = {}
    for name, svc in cfg.web_services().items():
        r = svc.load_balancer
        assert r is not None
        if r.priority is not None:
            if r.priority in seen_priority:
                yield Problem(f"services.{name}.loadBalancer.priority",
                              f"{r.priority} is already used by service {seen_priority[r.priority]!r}")
            seen_priority[r.priority] = name
        conditions = (tuple(sorted(r.hosts)), tuple(sorted(r.paths)))
        if conditions in seen_conditions:
            yield Problem(f"services.{name}.loadBalancer", f"routes the same hosts and paths as service "
                                                           f"{seen_conditions[conditions]!r}; one would never "
                                                           "receive traffic")
        seen_conditions[conditions] = name
