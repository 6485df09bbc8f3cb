"""The acceptance check of a rendered plan: would AWS accept every payload? Findings named by config key.

`deploy.aws.acceptance` decides what AWS refuses; this module feeds it the rendered
resources and says which setting each finding comes from, so an unacceptable plan fails
like an invalid config: exit 2, one line per problem, nothing created. Every offline render
(`plan`, `cost`, `check`, `diagram`, the renders of `release`, and `preview` / `up`
before they call the Pulumi CLI) goes through `ensure`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..aws import acceptance, naming
from ..config.model import StackConfig
from ..config.problems import ConfigError, Problem
from ..config.resolve import resolve
from .engine import Rendered


class AcceptanceError(ConfigError):
    """The plan holds payloads AWS would refuse (exit 2, like an invalid config)."""


def payloads(rendered: Rendered) -> list[acceptance.Payload]:
    """The custom resources of a plan as the checks read them (components send nothing to AWS)."""
    return [acceptance.Payload(r.type, r.name, r.inputs, r.urn) for r in rendered.resources if r.custom]


def findings(rendered: Rendered, region: str) -> list[acceptance.Finding]:
    return acceptance.check(payloads(rendered), region)


def problems(rendered: Rendered, cfg: StackConfig) -> list[Problem]:
    """One problem per finding, keyed by the config setting it follows from."""
    origins = _origins(cfg)
    by_name = {r.name: r for r in rendered.resources}
    result = []
    for f in findings(rendered, cfg.region):
        key = _key(f, origins, by_name.get(f.resource))
        result.append(Problem(key, f"{f.message} (AWS would refuse {f.type} {f.resource}: {f.input}; {f.source})"))
    return result


def ensure(rendered: Rendered, cfg: StackConfig) -> Rendered:
    """`rendered`, or AcceptanceError listing everything AWS would refuse."""
    found = problems(rendered, cfg)
    if found:
        raise AcceptanceError(found)
    return rendered


def _origins(cfg: StackConfig) -> list[tuple[str, str]]:
    """(logical-name prefix, config key), most specific first."""
    r = resolve(cfg)
    found = [(naming.alb_name(r.prefix), "loadBalancer"), (f"{r.prefix}-ec2", "cluster.ec2"),
             (f"{r.prefix}-cluster", "cluster"), (f"{r.prefix}-capacity", "cluster"),
             (f"{r.prefix}-namespace", "cluster")]
    for name, s in r.services.items():
        for container, registry in s.repositories.items():
            found.append((registry, f"services.{name}.containers.{container}.image"))
        for caller in (c for c in r.connections if c.target == name):
            found.append((caller.name, f"services.{caller.caller}.calls"))
        found.append((s.component, f"services.{name}"))
        a = s.config.autoscaling
        if a is not None:
            # The component names of `ServiceScaling` and its children (components/scaling.py).
            key = f"services.{name}.autoscaling"
            found.append((f"{s.component}-scaling", key))
            found += [(f"{s.component}-scaling-schedule-{x.name}", f"{key}.schedules[{i}]")
                      for i, x in enumerate(a.schedules)]
            if a.predictive is not None:
                found.append((f"{s.component}-scaling-predictive", f"{key}.predictive"))
    return sorted(found, key=lambda item: -len(item[0]))


def _key(f: acceptance.Finding, origins: Iterable[tuple[str, str]], resource: object) -> str:
    base = next((key for prefix, key in origins if f.resource == prefix or f.resource.startswith(prefix + "-")),
                "network")
    marker = "RegisterTaskDefinition.containerDefinitions["
    if base.startswith("services.") and f.input.startswith(marker) and resource is not None:
        index = int(f.input[len(marker):].split("]", 1)[0])
        tail = f.input[len(marker):].split("]", 1)[1].lstrip(".")
        raw = getattr(resource, "inputs", {}).get("containerDefinitions")
        try:
            containers = json.loads(raw) if isinstance(raw, str) else []
            name = containers[index]["name"]
        except (ValueError, IndexError, KeyError, TypeError):
            return base
        field = tail.split("[", 1)[0].split(".", 1)[0]
        container_key = f"{base}.containers.{name}"
        if field == "portMappings":
            return f"{container_key}.ports"
        return f"{container_key}.{tail}" if field in _CONTAINER_FIELDS else container_key
    return base


_CONTAINER_FIELDS = {"healthCheck", "stopTimeout", "image", "user", "command", "entryPoint", "environment", "secrets",
                     "cpu", "memory", "memoryReservation", "workingDirectory", "dependsOn"}
