"""Will AWS accept what the stack sends? Every planned payload, checked before anything is created (pure).

Mocks accept any value the SDK's types accept; AWS does not. For each planned resource,
`check(payloads, region)` rebuilds the API requests the provider will send (`requests`),
validates them against AWS's own API models from botocore (`api`: required members,
types, lengths, ranges, enums, patterns), against the rules AWS documents but does not
model (`documented`, each with its source), and against what only the whole plan shows
(`plan_rules`: image pulls without a route, a certificate from another region, ARNs of
another partition, derived names that collide).

It needs only botocore and `regex` besides the standard library, so the offline plan and
the CrossGuard pack (`policies/`) run the same checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import api, plan_rules
from .requests import Payload, requests

__all__ = ["Finding", "Payload", "check", "rule_count"]


@dataclass(frozen=True)
class Finding:
    resource: str
    """Logical name of the planned resource."""
    type: str
    input: str
    """Where in the payload: `<API operation>.<member path>` (e.g. `RegisterTaskDefinition.containerDefinitions[0]
    .healthCheck.timeout`), or the input name for plan-wide rules."""
    message: str
    """What AWS allows, and what the plan has."""
    source: str
    rule: str
    urn: str = ""

    def __str__(self) -> str:
        return f"{self.type} {self.resource}: {self.input} {self.message} [{self.source}]"


def check(payloads: Iterable[Payload], region: str) -> list[Finding]:
    """Every finding over the planned resources, in plan order."""
    items = list(payloads)
    found: list[Finding] = []
    for p in items:
        for request in requests(p):
            for b in api.problems(request.service, request.operation, request.params):
                found.append(Finding(p.name, p.type, f"{request.operation}.{b.path}", b.message, b.source, b.rule,
                                     p.urn))
    for f in plan_rules.check(items, region):
        found.append(Finding(f.resource.name, f.resource.type, f.input, f.message, f.source, f.rule, f.resource.urn))
    return found


def rule_count() -> dict[str, int]:
    """How many checks there are, by kind (for reports): documented rules, plan rules, API operations covered."""
    from .documented import RULES
    from .requests import BUILDERS

    return {"documented": len(RULES), "plan": len(plan_rules.RULES), "resourceTypes": len(BUILDERS)}
