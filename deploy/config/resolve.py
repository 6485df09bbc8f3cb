"""Every value derived from the configuration, computed once (pure, no Pulumi).

The config model holds what the user wrote, with its defaults. Everything that follows
from several settings lives here: the name prefix, tags, whether the ALB serves HTTPS,
each service's capacity strategy, subnets tier and public IP, the container and port the
load balancer targets, listener rule priorities, health-check grace periods, scaling
targets, Service Connect names and ports, log group and component names.

The functions are used twice: by the rules (to judge what the stack would do) and by
`resolve(cfg)`, which the stack program calls once on a checked configuration. Nothing
here raises for a config that passed the rules; a `ResolveError` means it was not checked.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..aws import certificates, ec2_prices, elb, instances, naming, regions
from ..aws.tokens import EC2
from .model import (
    Autoscaling,
    Container,
    LogRouter,
    NatInstance,
    Network,
    RestartPolicy,
    Send,
    Service,
    StackConfig,
    StrategyItem,
)
from .model.service import Canary, Deployment, Linear, Routing, TestTraffic
from .terraform_state import NetworkIds

FIRST_PRIORITY = 100
PRIORITY_STEP = 10
DEFAULT_CPU_TARGET = 70
"""Target tracking on CPU when autoscaling names no other target."""


class ResolveError(ValueError):
    """A value that a checked configuration always has is missing: the rules did not run."""


# --- stack-wide ---------------------------------------------------------------------------


def prefix(cfg: StackConfig) -> str:
    """Every physical name starts with it: `name`, else the stack name."""
    return cfg.name or cfg.stack


def tags(cfg: StackConfig) -> dict[str, str]:
    """Tags on every resource: Project, Stack, ManagedBy, then the config's own (which win)."""
    return {"Project": cfg.project, "Stack": cfg.stack, "ManagedBy": "pulumi", **cfg.tags}


def https(cfg: StackConfig) -> bool:
    """HTTPS needs a certificate; with one it is on unless `loadBalancer.https: false`."""
    lb = cfg.load_balancer
    has_certificate = bool(lb.certificate_arn or lb.domain)
    return has_certificate if lb.https is None else lb.https and has_certificate


def alb_ingress_cidrs(cfg: StackConfig) -> list[str] | None:
    """The IPv4 ranges the ALB admits; None: the VPC's own range (an internal ALB given no other source)."""
    lb = cfg.load_balancer
    if lb.ingress_cidrs is not None:
        return list(lb.ingress_cidrs)
    if lb.ingress_security_group_ids:
        return []  # only the members of those groups
    return None if lb.internal else ["0.0.0.0/0"]


def web_services(cfg: StackConfig) -> dict[str, Service]:
    """Services behind the load balancer."""
    return {k: s for k, s in cfg.services.items() if s.web and s.load_balancer is not None}


def certificate_names(cfg: StackConfig) -> list[str]:
    """The names of the certificate the stack issues: `domain` first (the common name), then the alternative
    names; none without `domain`."""
    lb = cfg.load_balancer
    return [lb.domain, *lb.alternative_names] if lb.domain else []


def alias_hosts(cfg: StackConfig) -> list[str]:
    """Service hosts that get an alias record to the ALB in `hostedZoneId`: each literal host (no wildcard) that a
    name of the issued certificate covers, other than `domain` (which has its own), lowercase and sorted. Those are
    the hosts known to live in the zone: the certificate's names are validated there."""
    lb = cfg.load_balancer
    names = certificate_names(cfg)
    if not (https(cfg) and lb.hosted_zone_id and names):
        return []
    hosts = {h.lower().rstrip(".") for svc in web_services(cfg).values() if svc.load_balancer is not None
             for h in svc.load_balancer.hosts if "*" not in h and "?" not in h}
    return sorted(h for h in hosts if h != names[0].lower() and any(certificates.covers(n, h) for n in names))


def health_check_path(r: Routing) -> str:
    """The path the target group probes: the configured one, else /health (gRPC: AWS's own default method)."""
    if r.health_check.path is not None:
        return r.health_check.path
    return elb.GRPC_DEFAULT_HEALTH_CHECK_PATH if r.protocol_version == "GRPC" else "/health"


def health_check_matcher(r: Routing) -> str:
    """The codes that mean healthy: the configured ones, else 200-399 (gRPC: AWS's default, 12)."""
    if r.health_check.matcher is not None:
        return r.health_check.matcher
    return elb.GRPC_DEFAULT_MATCHER if r.protocol_version == "GRPC" else "200-399"


def service_connect_namespace(cfg: StackConfig) -> str | None:
    """Cloud Map namespace of the stack's Service Connect names, when any service calls another."""
    if not any(s.calls for s in cfg.services.values()):
        return None
    return f"{prefix(cfg)}.{cfg.project}.internal"


def called(cfg: StackConfig) -> set[str]:
    """Services that another service calls by name."""
    return {target for svc in cfg.services.values() for target in svc.calls}


def call_cycle(cfg: StackConfig) -> list[str] | None:
    """A chain of services that call each other round (a -> b -> a), if any."""
    def visit(name: str, path: list[str]) -> list[str] | None:
        svc = cfg.services.get(name)
        for callee in sorted(set(svc.calls) - {name} if svc else ()):  # calling itself is a problem of its own
            if callee in path:
                return [*path[path.index(callee):], callee]
            found = visit(callee, [*path, callee])
            if found:
                return found
        return None

    for start in sorted(cfg.services):
        found = visit(start, [start])
        if found:
            return found
    return None


def send_env(send: Send) -> str:
    """The environment variable that carries a sent-to queue's URL: `env`, else `<SERVICE>_QUEUE_URL`
    (`thumbnailer` -> `THUMBNAILER_QUEUE_URL`). Service names start with a letter and hold only letters,
    digits and hyphens, so the default is always a valid name."""
    return send.env or send.service.upper().replace("-", "_") + "_QUEUE_URL"


def sends(svc: Service) -> dict[str, str]:
    """Worker -> the environment variable that carries its queue's URL, for each worker `svc` sends to."""
    return {s.service: send_env(s) for s in svc.sends}


def creation_order(cfg: StackConfig) -> list[str]:
    """Service names, every callee before its callers (then by name). ECS Service Connect: tasks
    started before the service they call is registered in the namespace cannot resolve it."""
    done: list[str] = []

    def place(name: str, seen: frozenset[str]) -> None:
        if name in done or name in seen or name not in cfg.services:
            return
        for callee in sorted(set(cfg.services[name].calls)):
            place(callee, seen | {name})
        done.append(name)

    for name in sorted(cfg.services):
        place(name, frozenset())
    return done


def nat_instance(cfg: StackConfig) -> NatInstance | None:
    """The NAT instance of `nat: instance` (its settings, or their defaults); None with any other `nat`."""
    net = cfg.network
    if net.existing is not None or net.nat != "instance":
        return None
    return net.nat_instance or NatInstance()


def nat_instance_architecture(nat: NatInstance) -> str:
    """`x86_64` or `arm64`: what the NAT instance's AMI is built for (the type is a validated one)."""
    found = instances.lookup(nat.type)
    return found.architecture if found is not None else "x86_64"


def ec2_architecture(cfg: StackConfig) -> str | None:
    """`x86_64` or `arm64`: the architecture of the EC2 capacity's first (preferred) instance type."""
    ec2 = cfg.cluster.ec2
    if ec2 is None:
        return None
    first = instances.lookup(ec2.instance_types[0])
    return first.architecture if first is not None else None


def exec_services(cfg: StackConfig) -> list[str]:
    """Services with ECS Exec on (`exec: true`), by name."""
    return sorted(n for n, s in cfg.services.items() if s.exec)


def secret_services(cfg: StackConfig) -> bool:
    """The services section holds `secure:` values: container definitions must stay secret."""
    return "services" in cfg.secret_keys or f"{cfg.project}:services" in cfg.secret_keys


# --- network ------------------------------------------------------------------------------


def cheapest_network(net: Network) -> bool:
    """No NAT and no endpoints: tasks need public IPs in public subnets to reach ECR."""
    return net.existing is None and net.nat == "none" and not net.endpoints.interface and not net.endpoints.s3


def existing_network(cfg: StackConfig) -> NetworkIds | None:
    """The existing VPC's IDs: as written in `network.existing`, or as its Terraform state holds them."""
    ex = cfg.network.existing
    if ex is None:
        return None
    if ex.from_terraform is not None:
        if cfg.terraform_network is None:
            raise ResolveError("network.existing.fromTerraform: the state was not read (the config was not parsed)")
        return cfg.terraform_network
    if ex.vpc_id is None or ex.public_subnet_ids is None or ex.private_subnet_ids is None:
        raise ResolveError("network.existing: IDs missing (the rules did not run)")
    return NetworkIds(vpc_id=ex.vpc_id, public_subnet_ids=tuple(ex.public_subnet_ids),
                      private_subnet_ids=tuple(ex.private_subnet_ids),
                      private_route_table_ids=tuple(ex.private_route_table_ids) if ex.private_route_table_ids else None)


def missing_endpoints(net: Network, interface: Iterable[str], s3: bool = True) -> list[str]:
    """Endpoints a network without NAT lacks: the `interface` ones (in that order), then `s3`."""
    have = set(net.endpoints.interface)
    return [e for e in interface if e not in have] + (["s3"] if s3 and not net.endpoints.s3 else [])


# --- services -----------------------------------------------------------------------------


def strategy(cfg: StackConfig, svc: Service) -> list[StrategyItem]:
    """A service's capacity provider strategy: its own, else the cluster's default."""
    return svc.capacity_provider_strategy or cfg.cluster.capacity_provider_strategy


def on_ec2(cfg: StackConfig, svc: Service) -> bool:
    """The service's tasks run on the stack's EC2 capacity."""
    return any(i.provider == EC2 for i in strategy(cfg, svc))


def assign_public_ip(net: Network, svc: Service, ec2: bool = False) -> bool:
    """Tasks get public IPs only on Fargate, and by default only in the cheapest network."""
    if ec2:
        return False
    if svc.assign_public_ip is not None:
        return svc.assign_public_ip
    return cheapest_network(net)


def target(svc: Service) -> tuple[str, Container] | None:
    """The container the load balancer targets: the named one, else the only one with ports."""
    r = svc.load_balancer
    if r is not None and r.container is not None:
        c = svc.containers.get(r.container)
        return (r.container, c) if c is not None else None
    with_ports = [(n, c) for n, c in svc.containers.items() if c.ports]
    return with_ports[0] if len(with_ports) == 1 else None


def target_port(svc: Service) -> int | None:
    """The port the load balancer targets: the named one, else the target container's first."""
    r = svc.load_balancer
    if r is not None and r.port is not None:
        return r.port
    found = target(svc)
    return found[1].ports[0] if found and found[1].ports else None


def connect_port(svc: Service) -> tuple[str, int] | None:
    """(container, port) a called service is reached on: its load balancer target, else its first port."""
    if svc.web and svc.load_balancer is not None:
        found = target(svc)
        port = target_port(svc)
        if found is not None and port is not None:
            return found[0], port
    for cname, c in sorted(svc.containers.items()):
        if c.ports:
            return cname, c.ports[0]
    return None


def _literal(pattern: str) -> int:
    """How much of a condition value is literal: the characters before its first wildcard."""
    return len(re.split(r"[*?]", pattern, maxsplit=1)[0])


def specificity(name: str, svc: Service) -> tuple[int, int, int, int, str]:
    """Sort key of a listener rule, most specific first: exact hosts, then wildcard hosts, then any host;
    within those, the longest literal path prefix first; the catch-all path last; a rule limited to source
    CIDRs before the same conditions for any client; then by name."""
    r = svc.load_balancer
    if r is None:
        return (3, 0, 0, 1, name)
    hosts = 2 if not r.hosts else (1 if any("*" in h or "?" in h for h in r.hosts) else 0)
    paths = [p for p in r.paths] or ["/*"]
    shortest = min(_literal(p) for p in paths)
    catch_all = int(not r.hosts and not r.source_cidrs and all(p in ("/*", "/", "*") for p in paths))
    return (hosts, catch_all, -shortest, int(not r.source_cidrs), name)


def listener_priorities(cfg: StackConfig) -> dict[str, int]:
    """Listener rule priority per web service.

    Explicit priorities are kept. The others are numbered in order of `specificity`, skipping
    numbers already taken. ALB evaluates rules from the lowest number, so `/cart/users/*`
    comes before `/cart/*`, `api.example.com` before `*.example.com`, and the catch-all last.
    """
    web = web_services(cfg)
    taken = {r.priority for s in web.values() if (r := s.load_balancer) is not None and r.priority is not None}

    result: dict[str, int] = {}
    n = FIRST_PRIORITY
    for name, svc in sorted(web.items(), key=lambda item: specificity(*item)):
        r = svc.load_balancer
        if r is not None and r.priority is not None:
            result[name] = r.priority
            continue
        while n in taken:
            n += PRIORITY_STEP
        result[name] = n
        taken.add(n)
        n += PRIORITY_STEP
    return result


def shadows(first: Service, second: Service) -> bool:
    """Every request `second`'s listener rule matches is matched by `first`'s too (ALB wildcards: * and ?)."""
    a, b = first.load_balancer, second.load_balancer
    if a is None or b is None:
        return False

    def covers(patterns: list[str], values: list[str], case: bool) -> bool:
        if not patterns:
            return True  # no condition: any value
        if not values:
            return False  # the second matches any value; the first only some
        norm = (lambda v: v) if case else str.lower
        return all(any(fnmatch.fnmatchcase(norm(v), norm(p)) for p in patterns) for v in values)

    def within(blocks: list[str], inner: list[str]) -> bool:
        if not blocks:
            return True  # no source-ip condition: any client
        if not inner:
            return False
        outer = [ipaddress.ip_network(c) for c in blocks]
        return all(any(n.version == o.version and n.subnet_of(o) for o in outer)  # type: ignore[arg-type]
                   for n in map(ipaddress.ip_network, inner))

    # Paths are case sensitive, hosts are not (botocore elbv2 PathPatternConditionConfig / HostHeaderConditionConfig).
    return (covers(a.paths, b.paths, True) and covers(a.hosts, b.hosts, False)
            and within(a.source_cidrs, b.source_cidrs))


FARGATE_STOP_TIMEOUT = 30
"""Seconds: ECS's default stopTimeout on Fargate (botocore ecs ContainerDefinition.stopTimeout)."""


def log_router(svc: Service) -> LogRouter | None:
    """The FireLens sidecar of a service that routes its logs through one (`logging.driver: firelens`)."""
    return svc.logging.router if svc.logging.driver == "firelens" else None


def stop_timeout(cfg: StackConfig, svc: Service, container: Container) -> int:
    """A container's own stopTimeout, else its capacity's default: the agent's setting on EC2, 30 s on Fargate.
    Always written into the definition, so every container says how long it has to stop."""
    if container.stop_timeout is not None:
        return container.stop_timeout
    ec2 = cfg.cluster.ec2
    return ec2.agent_stop_timeout if on_ec2(cfg, svc) and ec2 is not None else FARGATE_STOP_TIMEOUT


WAITED_TO_EXIT = ("COMPLETE", "SUCCESS")
"""`dependsOn` conditions that wait for a container to exit: that container is meant to stop."""


def restart_policy(svc: Service, name: str, container: Container) -> RestartPolicy | None:
    """A container's restart policy: its own, else on for a sidecar (not essential), off (None) otherwise.

    A sidecar that stops leaves the task running without it, so restarting it in place is the
    useful default. A container another one waits for to COMPLETE or SUCCESS (an init step) is
    meant to exit: restarting it would run it again, so it gets none.
    """
    if container.restart_policy is not None:
        return container.restart_policy
    if container.essential:
        return None
    waited = any(d.container == name and d.condition in WAITED_TO_EXIT
                 for other in svc.containers.values() for d in other.depends_on)
    return None if waited else RestartPolicy(enabled=True)


GRACE_PERIOD_FLOOR = 60
"""Seconds: the least grace a new task gets. A longer grace period does not slow a healthy deployment
(ECS counts a task healthy as soon as its target group does); a shorter one kills slow starters."""


def health_check_grace_period(svc: Service) -> int:
    """Seconds ECS ignores failing load balancer health checks of a new task.

    The target group needs `interval x healthyThreshold` seconds of passing probes to mark
    a target healthy; the container's own `startPeriod` is the application's boot time.
    Anything shorter lets ECS kill tasks that are merely starting; the default is also never
    below GRACE_PERIOD_FLOOR, which costs a healthy deployment nothing.
    """
    r = svc.load_balancer
    if r is None:
        return 0
    if r.health_check_grace_period is not None:
        return r.health_check_grace_period
    found = target(svc)
    start = found[1].health_check.start_period if found and found[1].health_check else 0
    return max(GRACE_PERIOD_FLOOR, start + r.health_check.interval * r.health_check.healthy_threshold)


def platform(architecture: str) -> str:
    """Docker platform for a task's CPU architecture."""
    return "linux/arm64" if architecture == "ARM64" else "linux/amd64"


def scaling_targets(a: Autoscaling) -> tuple[int | None, int | None, int | None]:
    """(cpu, memory, requests) targets; CPU at 70% when nothing else drives the scaling."""
    if a.cpu_target is None and a.memory_target is None and a.requests_per_target is None \
            and a.messages_per_task is None:
        return DEFAULT_CPU_TARGET, None, None
    return a.cpu_target, a.memory_target, a.requests_per_target


# --- the resolved stack -------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Where the load balancer sends a web service's traffic."""

    container: str
    port: int
    priority: int
    grace_period: int


@dataclass(frozen=True)
class Served:
    """How a called service is reached by name (ECS Service Connect)."""

    container: str
    port: int
    port_name: str
    discovery_name: str


ECS_STRATEGIES = {"rolling": "ROLLING", "blue-green": "BLUE_GREEN", "linear": "LINEAR", "canary": "CANARY"}
"""Config strategy -> ECS DeploymentConfiguration strategy (botocore ecs model, DeploymentStrategy)."""
GREEN_START_MINUTES = 5
"""What `rollout_minutes` allows for the new revision's tasks to start and pass their health checks."""
DEFAULT_UPDATE_TIMEOUT_MINUTES = 20
"""The AWS provider's default create/update timeout of an ECS service that waits for steady state."""


@dataclass(frozen=True)
class Rollout:
    """How a blue-green, linear or canary deployment reaches and moves traffic."""

    strategy: str
    """ECS name: BLUE_GREEN, LINEAR or CANARY."""
    test_header: tuple[str, str] | None
    """(name, value) of the header that selects the new revision: on the production listener (without a test
    port) and for Service Connect callers."""
    test_port: int | None
    """Or a test listener on this port."""
    test_priority: int | None
    """The test listener rule's priority (the production rule's minus one on the production listener)."""
    minutes: int
    """Expected minutes from the start of a deployment to its end (`rollout_minutes`)."""


def shift_minutes(dep: Deployment) -> int:
    """Minutes production traffic takes to move entirely to the new revision, after test traffic."""
    if dep.strategy == "canary":
        return (dep.canary or Canary()).bake_time
    if dep.strategy == "linear":
        lin = dep.linear or Linear()
        return (math.ceil(100 / lin.step_percent) - 1) * lin.step_bake_time
    return 0


def rollout_minutes(dep: Deployment, deregistration_delay: int = 0) -> int:
    """A traffic-shifting deployment from start to end: the new revision starts and passes its health checks
    (GREEN_START_MINUTES), traffic moves (`shift_minutes`), both run for `bakeTime`, the old targets drain."""
    return GREEN_START_MINUTES + shift_minutes(dep) + dep.bake_time + math.ceil(deregistration_delay / 60)


def update_timeout_minutes(dep: Deployment, deregistration_delay: int = 0) -> int:
    """`pulumi up` waits for the whole deployment: the provider's default plus the rollout."""
    if not dep.shifts_traffic or not dep.wait_for_steady_state:
        return DEFAULT_UPDATE_TIMEOUT_MINUTES
    return DEFAULT_UPDATE_TIMEOUT_MINUTES + rollout_minutes(dep, deregistration_delay)


def test_traffic(dep: Deployment) -> TestTraffic:
    return dep.test_traffic or TestTraffic()


def rollout(svc: Service, route: Route | None) -> Rollout | None:
    dep = svc.deployment
    if not dep.shifts_traffic:
        return None
    tt = test_traffic(dep)
    on_port = tt.port is not None and route is not None
    priority = None
    if route is not None:
        priority = route.priority if on_port else route.priority - 1
    delay = svc.load_balancer.deregistration_delay if svc.load_balancer is not None else 0
    # The header also selects the new revision for Service Connect callers, with a test port too.
    return Rollout(ECS_STRATEGIES[dep.strategy], (tt.header, tt.value),
                   tt.port if on_port else None, priority, rollout_minutes(dep, delay))


@dataclass(frozen=True)
class ScalingTargets:
    cpu: int | None
    memory: int | None
    requests: int | None


@dataclass(frozen=True)
class ResolvedService:
    name: str
    config: Service
    component: str
    """Logical name of the service's components and the prefix of their children."""
    tags: dict[str, str]
    on_ec2: bool
    strategy: list[StrategyItem]
    public_ip: bool
    """Tasks get public IPs and run in the public subnets."""
    log_group_name: str
    log_retention_days: int
    platform: str
    repositories: dict[str, str]
    """Container -> logical name of its ECR registry component (containers built or tagged in the stack)."""
    stop_timeouts: dict[str, int] = field(default_factory=dict)
    """Container -> seconds between SIGTERM and SIGKILL."""
    log_router_log_group_name: str | None = None
    """The FireLens router's own log group (`logging.driver: firelens`)."""
    restart_policies: dict[str, RestartPolicy | None] = field(default_factory=dict)
    """Container -> its restart policy; None: ECS's default (not restarted)."""
    sends: dict[str, str] = field(default_factory=dict)
    """Worker -> environment variable carrying its queue URL, for each worker whose queue this service sends to."""
    route: Route | None = None
    connect: bool = False
    """Takes part in Service Connect (calls another service, or is called)."""
    served: Served | None = None
    scaling: ScalingTargets | None = None
    rollout: Rollout | None = None
    """blue-green, linear and canary deployments."""
    file_systems: dict[str, str] = field(default_factory=dict)
    """Volume -> logical name of the EFS file system component the stack creates for it (`efs.create`)."""


@dataclass(frozen=True)
class Connection:
    """One declared call: `caller` may reach `target` on `port`."""

    name: str
    caller: str
    target: str
    port: int


@dataclass(frozen=True)
class Resolved:
    config: StackConfig
    prefix: str
    tags: dict[str, str]
    https: bool
    namespace: str | None
    flow_log_group_name: str
    exec_log_group_name: str | None
    """The ECS Exec session log group, when any service has `exec: true`."""
    partition: str
    """ARN partition of the region: `aws`, `aws-cn`, `aws-us-gov`, ..."""
    ec2_architecture: str | None
    secret_container_definitions: bool
    services: dict[str, ResolvedService] = field(default_factory=dict)
    """By name, in creation order: every service a service calls comes before it."""
    connections: list[Connection] = field(default_factory=list)


def resolve(cfg: StackConfig) -> Resolved:
    """Every derived value of a checked configuration."""
    p = prefix(cfg)
    stack_tags = tags(cfg)
    namespace = service_connect_namespace(cfg)
    priorities = listener_priorities(cfg)
    callees = called(cfg)
    services = {name: _service(cfg, p, stack_tags, name, svc, priorities.get(name), namespace is not None,
                               name in callees)
                for name, svc in ((n, cfg.services[n]) for n in creation_order(cfg))}
    connections = []
    for caller, svc in sorted(cfg.services.items()):
        for callee in sorted(set(svc.calls)):
            served = services[callee].served
            if served is None:
                raise ResolveError(f"services.{callee}: called by {caller} but exposes no port")
            connections.append(Connection(f"{naming.service_component_name(p, callee)}-from-{caller}", caller,
                                          callee, served.port))
    return Resolved(
        config=cfg, prefix=p, tags=stack_tags, https=https(cfg), namespace=namespace,
        flow_log_group_name=naming.flow_log_group_name(cfg.project, cfg.stack),
        exec_log_group_name=naming.exec_log_group_name(cfg.project, cfg.stack) if exec_services(cfg) else None,
        partition=regions.partition(cfg.region) or "aws",
        ec2_architecture=ec2_architecture(cfg), secret_container_definitions=secret_services(cfg),
        services=services, connections=connections)


def _service(cfg: StackConfig, p: str, stack_tags: dict[str, str], name: str, svc: Service, priority: int | None,
             namespace: bool, is_called: bool) -> ResolvedService:
    component = naming.service_component_name(p, name)
    ec2 = on_ec2(cfg, svc)
    route = None
    if svc.web and svc.load_balancer is not None:
        found, port = target(svc), target_port(svc)
        if found is None or port is None or priority is None:
            raise ResolveError(f"services.{name}.loadBalancer: no target container, port or priority")
        route = Route(found[0], port, priority, health_check_grace_period(svc))
    served = None
    if namespace and is_called:
        reached = connect_port(svc)
        if reached is None:
            raise ResolveError(f"services.{name}: called by name but exposes no port")
        served = Served(reached[0], reached[1], naming.port_name(*reached), name)
    scaling = None
    if svc.autoscaling is not None:
        scaling = ScalingTargets(*scaling_targets(svc.autoscaling))
    return ResolvedService(
        name=name, config=svc, component=component, tags={**stack_tags, "Service": name}, on_ec2=ec2,
        strategy=strategy(cfg, svc), public_ip=assign_public_ip(cfg.network, svc, ec2),
        log_group_name=naming.log_group_name(cfg.project, cfg.stack, name),
        log_retention_days=svc.log_retention_days or cfg.logs.retention_days, platform=platform(svc.architecture),
        log_router_log_group_name=naming.log_router_log_group_name(cfg.project, cfg.stack, name)
        if log_router(svc) is not None else None,
        repositories={c: naming.registry_component_name(component, c)
                      for c, container in sorted(svc.containers.items()) if container.image.from_repository},
        stop_timeouts={c: stop_timeout(cfg, svc, container) for c, container in sorted(svc.containers.items())},
        restart_policies={c: restart_policy(svc, c, container) for c, container in sorted(svc.containers.items())},
        sends=sends(svc), route=route, connect=namespace and (bool(svc.calls) or is_called), served=served,
        scaling=scaling,
        rollout=rollout(svc, route) if svc.kind != "scheduled" else None,
        # The volume's name is part of the file system's logical name: renaming a volume replaces its file system.
        file_systems={v: f"{component}-{v}" for v, volume in sorted(svc.volumes.items()) if volume.efs.create})


# --- what to know before a deploy ----------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """One line `validate` says about a valid config, keyed like a problem: `note: key: message`."""

    key: str
    message: str
    warning: bool = False
    """The stack deploys, but a mandatory policy control (`check`, `pulumi preview --policy-pack`) refuses it."""

    @property
    def label(self) -> str:
        return "warning" if self.warning else "note"

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


def notes(cfg: StackConfig) -> list[Note]:
    """What a valid config needs outside this stack, and what the policy pack will refuse, said before anything
    is created (one line each)."""
    found = [*_policy_warnings(cfg)]
    if cfg.logs.kms_key_arn:
        found.append(Note("logs.kmsKeyArn", "the key's policy must allow the CloudWatch Logs service principal "
                                            f"(logs.{cfg.region}.amazonaws.com) kms:Encrypt*, kms:Decrypt*, "
                                            "kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe*, or creating the "
                                            "log groups fails (docs/operations.md, KMS keys)"))
    ec2 = cfg.cluster.ec2
    if ec2 is not None and ec2.volume_kms_key_arn:
        found.append(Note("cluster.ec2.volumeKmsKeyArn", "the key's policy must allow the role "
                                                         "AWSServiceRoleForAutoScaling to use the key and create "
                                                         "grants, or instances never launch (docs/operations.md, KMS "
                                                         "keys)"))
    if any(s.secrets_kms_key_arns for s in cfg.services.values()):
        found.append(Note("services.<name>.secretsKmsKeyArns", "the execution role may decrypt with these keys; "
                                                               "their key policies must allow the account's IAM "
                                                               "principals (the default key policy does)"))
    for name, svc in sorted(cfg.services.items()):
        lg = svc.logging
        if log_router(svc) is not None and lg.options:
            # ECS developer guide, "Send Amazon ECS logs to an AWS service or AWS Partner": the router calls the
            # destination with the task's IAM role.
            found.append(Note(f"services.{name}.logging.options",
                              f"the log router sends to {lg.options.get('Name', 'its output')} with the task role: "
                              "grant what that output needs (e.g. firehose:PutRecordBatch) in `taskRole`, or "
                              "credentials in `secretOptions` for a destination outside AWS"))
    found += _unpriced_instance_types(cfg)
    found += _existing_network_notes(cfg)
    return found


def _existing_network_notes(cfg: StackConfig) -> list[Note]:
    """What was read from a Terraform state, and what endpoints in a VPC shared with others do to it."""
    ex = cfg.network.existing
    if ex is None:
        return []
    found = []
    ids = cfg.terraform_network
    if ex.from_terraform is not None and ids is not None:
        tables = f"; private route tables {', '.join(ids.private_route_table_ids)}" \
            if ids.private_route_table_ids else ""
        found.append(Note("network.existing.fromTerraform",
                          f"read from {ex.from_terraform.state}: VPC {ids.vpc_id}; public subnets "
                          f"{', '.join(ids.public_subnet_ids)}; private subnets {', '.join(ids.private_subnet_ids)}"
                          f"{tables}"))
    if cfg.network.endpoints.interface:
        found.append(Note("network.endpoints.interface",
                          "their private DNS names apply to the whole existing VPC: every workload in it then reaches "
                          f"{', '.join(sorted(cfg.network.endpoints.interface))} through them, and creating one "
                          "fails if the VPC already has an endpoint of that service with private DNS "
                          "(docs/from-terraform.md, Endpoints)"))
    return found


def _unpriced_instance_types(cfg: StackConfig) -> list[Note]:
    """Instance types `cost` cannot price in the stack's region: the estimate would list them as not priced."""
    nat = nat_instance(cfg)
    chosen = {"cluster.ec2.instanceTypes": cfg.cluster.ec2.instance_types if cfg.cluster.ec2 else [],
              "network.natInstance.type": [nat.type] if nat else []}
    found = []
    for key, types in chosen.items():
        for t in types:
            reason = ec2_prices.unpriced_reason(cfg.region, t)
            if reason:
                found.append(Note(key, f"{t} has no confirmed on-demand price in {cfg.region} ({reason}): `cost` "
                                       "lists it as not priced and exits 1 without --allow-unpriced"))
    return found


def _policy_warnings(cfg: StackConfig) -> list[Note]:
    """Valid settings that a mandatory control of the policy pack (docs/policies.md) fails."""
    found = []
    public = sorted(n for n, s in cfg.services.items() if assign_public_ip(cfg.network, s, on_ec2(cfg, s)))
    by_default = [n for n in public if cfg.services[n].assign_public_ip is None]
    if by_default:
        found.append(Note("network.nat", f"`none` without endpoints gives public IPs to the tasks of "
                                         f"{', '.join(by_default)}, which fails the mandatory control ECS.2 of `check` and "
                                         "`pulumi preview --policy-pack policies`; add `network.endpoints` (s3 and "
                                         "ecr.api, ecr.dkr, logs) or a NAT, or waive ECS.2 for them in "
                                         f"policies/config/{cfg.stack}.json", warning=True))
    for name in public:
        if name not in by_default:
            found.append(Note(f"services.{name}.assignPublicIp", "true fails the mandatory control ECS.2 of `check` "
                                                                 "and `pulumi preview --policy-pack policies`",
                              warning=True))
    if web_services(cfg) and not https(cfg):
        lb = cfg.load_balancer
        why, fix = (("`https: false`", "remove it") if lb.certificate_arn or lb.domain else
                    ("no certificate", "set `domain` and `hostedZoneId`, or `certificateArn`, for HTTPS"))
        found.append(Note("loadBalancer", f"{why}: the load balancer serves plain HTTP, which fails the mandatory "
                                          "control ELB.1 of `check` unless the stack's policy config accepts it; "
                                          f"{fix}", warning=True))
    for name in exec_services(cfg):
        task = f"{naming.service_component_name(prefix(cfg), name)}-task"
        found.append(Note(f"services.{name}.exec", "ECS Exec needs writable root filesystems, which fail the "
                                                   "mandatory control ECS.5 of `check` and `pulumi preview "
                                                   f"--policy-pack policies`; accept ECS.5 for {task} in "
                                                   f"policies/config/{cfg.stack}.json (`check` prints the exception)",
                          warning=True))
    if cfg.protect and web_services(cfg) and not cfg.load_balancer.deletion_protection:
        found.append(Note("loadBalancer.deletionProtection", "`protect: true` marks the stack production, where "
                                                             "the control ELB.6 is mandatory and fails without it; "
                                                             "set it to true", warning=True))
    return found
