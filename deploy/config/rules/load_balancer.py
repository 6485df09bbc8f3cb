"""The load balancer: HTTPS and its certificate, and how each web service is routed."""

from __future__ import annotations

from collections.abc import Iterator

from ...aws import certificates, elb, waf
from .. import resolve
from ..model import Routing, Service, StackConfig
from ..problems import Problem, by_default


def check(cfg: StackConfig) -> Iterator[Problem]:
    yield from _https(cfg)
    yield from _certificate_names(cfg)
    yield from _web_acl(cfg)
    for name, svc in resolve.web_services(cfg).items():
        if svc.load_balancer is not None:
            yield from _routing(f"services.{name}.loadBalancer", svc, svc.load_balancer)
            yield from _protocol(f"services.{name}.loadBalancer", svc.load_balancer, resolve.https(cfg))
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


def _certificate_names(cfg: StackConfig) -> Iterator[Problem]:
    lb = cfg.load_balancer
    if lb.domain:
        problem = certificates.name_problem(lb.domain, common_name=True)  # the common name: 64 characters at most
        if problem:
            yield Problem("loadBalancer.domain", problem)
    if not lb.alternative_names:
        return
    key = "loadBalancer.alternativeNames"
    if not lb.domain:
        yield Problem(key, "needs `domain` (and `hostedZoneId`): they are added to the certificate the stack issues "
                           "for it; with `certificateArn`, add them to that certificate in ACM instead")
        return
    names = [n.lower() for n in lb.alternative_names]
    if lb.domain.lower() in names:
        yield Problem(key, f"lists {lb.domain} (the `domain`, already on the certificate)")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        yield Problem(key, f"lists {', '.join(repeated)} more than once")
    total = 1 + len(names)
    if total > certificates.MAX_NAMES:
        # ACM quotas: "Number of domain names per ACM certificate": 10 by default, the first one included.
        yield Problem(key, f"takes at most {certificates.MAX_NAMES - 1} names: an ACM certificate holds "
                           f"{certificates.MAX_NAMES} by default, `domain` included (got {total}; ask AWS for a "
                           "higher quota and issue the certificate yourself, then set `certificateArn`)")


def _web_acl(cfg: StackConfig) -> Iterator[Problem]:
    arn = cfg.load_balancer.web_acl_arn
    problem = waf.web_acl_problem(arn, cfg.region) if arn and cfg.region else None
    if problem:
        yield Problem("loadBalancer.webAclArn", problem, ("aws:region",))


def _protocol(key: str, r: Routing, https: bool) -> Iterator[Problem]:
    """What the target group's protocol version allows: HTTP/2 and gRPC only behind HTTPS, gRPC codes and methods."""
    grpc = r.protocol_version == "GRPC"
    if r.protocol_version in ("HTTP2", "GRPC") and not https:
        # ALB: "To use the feature on your ALB, choose HTTPS as your listener protocol, gRPC as the protocol version
        # for your target group" (AWS What's New, 2020-10-29, ALB end-to-end HTTP/2 and gRPC); HTTP2 target groups
        # take HTTP/2 requests, which clients send to an ALB only over TLS (ELB User Guide, target groups,
        # "Protocol version").
        yield Problem(f"{key}.protocolVersion", f"{r.protocol_version} needs HTTPS on the load balancer: set "
                                                "`loadBalancer.certificateArn`, or `domain` and `hostedZoneId`",
                      ("loadBalancer",))
    hc = r.health_check
    if hc.matcher is not None:
        problem = elb.matcher_problem(hc.matcher, grpc=grpc)
        if problem and not grpc and elb.matcher_problem(hc.matcher, grpc=True) is None:
            problem += "; gRPC codes need `protocolVersion: GRPC`"
        if problem:
            yield Problem(f"{key}.healthCheck.matcher", problem)
    if grpc and hc.path is not None:
        problem = elb.grpc_path_problem(hc.path)
        if problem:
            yield Problem(f"{key}.healthCheck.path", problem)


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
    quota = elb.quota_problem([*r.paths, *r.hosts], r.source_cidrs)
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
    seen_conditions: dict[tuple[tuple[str, ...], ...], str] = {}
    for name, svc in resolve.web_services(cfg).items():
        r = svc.load_balancer
        if r is None:
            continue
        if r.priority is not None:
            if r.priority in seen_priority:
                yield Problem(f"services.{name}.loadBalancer.priority",
                              f"{r.priority} is already used by service {seen_priority[r.priority]!r}")
            seen_priority[r.priority] = name
        conditions = (tuple(sorted(r.hosts)), tuple(sorted(r.paths)), tuple(sorted(r.source_cidrs)))
        if conditions in seen_conditions:
            yield Problem(f"services.{name}.loadBalancer", f"routes the same hosts and paths as service "
                                                           f"{seen_conditions[conditions]!r}; one would never "
                                                           "receive traffic")
        seen_conditions[conditions] = name
