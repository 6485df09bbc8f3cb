"""The load balancer: HTTPS and its certificate, and how each web service is routed."""

from __future__ import annotations

from collections.abc import Iterator

from ...aws import elb
from .. import resolve
from ..model import Routing, Service, StackConfig
from ..problems import Problem, by_default


def check(cfg: StackConfig) -> Iterator[Problem]:
    yield from _https(cfg)
    for name, svc in resolve.web_services(cfg).items():
        if svc.load_balancer is not None:
            yield from _routing(f"services.{name}.loadBalancer", svc, svc.load_balancer)
    problems = list(_conflicts(cfg))
    yield from problems
    if not problems:  # identical conditions are already reported
        yield from _shadowed(cfg)


def _https(cfg: StackConfig) -> Iterator[Problem]:
    lb = cfg.load_balancer
    if lb.certificate_arn and cfg.region and lb.certificate_arn.split(":")[3] != cfg.region:
        # ACM certificates are regional: an ALB uses only certificates of its own Region.
        yield Problem("loadBalancer.certificateArn", f"is a certificate in {lb.certificate_arn.split(':')[3]}; the "
                                                     f"load balancer in {cfg.region} needs one issued in "
                                                     f"{cfg.region} (ACM certificates are regional)", ("aws:region",))
    if lb.certificate_arn and lb.domain:
        yield Problem("loadBalancer.domain", "set either `certificateArn` or `domain` + `hostedZoneId`, not both")
    if lb.domain and not lb.hosted_zone_id:
        yield Problem("loadBalancer.hostedZoneId", "is required with `domain` (to validate the certificate)")
    if lb.hosted_zone_id and not lb.domain:
        yield Problem("loadBalancer.domain", "is required with `hostedZoneId`")
    if lb.https is True and not (lb.certificate_arn or lb.domain):
        yield Problem("loadBalancer.https", "HTTPS needs a certificate: set `certificateArn`, or `domain` "
                                            "and `hostedZoneId` to issue one")


def _routing(key: str, svc: Service, r: Routing) -> Iterator[Problem]:
    found = resolve.target(svc)
    if r.container is not None and r.container not in svc.containers:
        yield Problem(f"{key}.container", f"{r.container!r} is not a container of this service; containers: "
                                          f"{', '.join(svc.containers)}")
        return
    if found is None:
        yield Problem(f"{key}.container", "name the container to route to (several containers have ports)"
                      if any(c.ports for c in svc.containers.values())
                      else "no container has `ports`; add the port the load balancer should target")
        return
    cname, container = found
    if not container.ports:
        yield Problem(f"{key}.container", f"container {cname!r} has no `ports`; add the port the load balancer "
                                          "should target")
        return
    port = resolve.target_port(svc)
    if port is None or port not in container.ports:
        yield Problem(f"{key}.port", f"container {cname!r} does not expose port {port}; its ports: "
                                     f"{container.ports or 'none'}")
    if not r.paths and not r.hosts:
        yield Problem(f"{key}.paths", "a listener rule needs `paths` or `hosts`")
    for field, values, check in (("hosts", r.hosts, elb.host_problem), ("paths", r.paths, elb.path_problem)):
        problem = check(values)
        if problem:
            yield Problem(f"{key}.{field}", problem)
    quota = elb.quota_problem([*r.paths, *r.hosts])
    if quota:
        yield Problem(key, quota)
    hc = r.health_check
    if hc.timeout >= hc.interval:
        yield Problem(f"{key}.healthCheck.timeout", f"must be less than the interval ({hc.interval} s"
                                                    f"{by_default(hc, 'interval')}) (got {hc.timeout} s"
                                                    f"{by_default(hc, 'timeout')})")


def _shadowed(cfg: StackConfig) -> Iterator[Problem]:
    """A rule that a rule of lower priority always matches first never receives a request."""
    web = resolve.web_services(cfg)
    priorities = resolve.listener_priorities(cfg)
    for name, svc in sorted(web.items()):
        for other, first in sorted(web.items()):
            if other != name and priorities[other] < priorities[name] and resolve.shadows(first, svc):
                yield Problem(f"services.{name}.loadBalancer", f"service {other!r} (priority {priorities[other]}) "
                                                               f"matches every request this rule (priority "
                                                               f"{priorities[name]}) matches, so it never receives "
                                                               "traffic; give it a lower priority or narrower conditions")
                break


def _conflicts(cfg: StackConfig) -> Iterator[Problem]:
    seen_priority: dict[int, str] = {}
    seen_conditions: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}
    for name, svc in resolve.web_services(cfg).items():
        r = svc.load_balancer
        if r is None:
            continue
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
