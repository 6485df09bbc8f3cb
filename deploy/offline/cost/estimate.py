"""Read a rendered stack (the offline plan) into an itemised monthly estimate (pure).

Works on what the engine would send to AWS (`Rendered.resources`: type, camelCase inputs,
mock `state`), so it prices exactly what `pulumi up` would create, whichever component
created it. Relationships are followed by value, as AWS does: a service's `taskDefinition`
is its task definition's ARN, a NAT gateway's `allocationId` its Elastic IP's ID.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...aws import tokens as t
from ...aws.prices import PriceTable, table_for
from ..engine import Rendered
from ..view import View
from . import lines as build
from .model import FREE, PER_REQUEST, PRICED, Assumptions, Line


@dataclass
class Estimate:
    project: str
    stack: str
    region: str
    table: PriceTable
    own_table: bool
    assumptions: Assumptions
    lines: list[Line] = field(default_factory=list)
    unpriced_types: dict[str, int] = field(default_factory=dict)
    """Resources that cost money this estimate cannot price (type -> count): the total leaves them out."""
    scaling_schedules: bool = False
    """The plan has scheduled actions or predictive policies: capacity that changes by time of day."""
    per_request: dict[str, int] = field(default_factory=dict)
    """Resources billed per request (type -> count), named with the estimate but not in the total."""

    @property
    def complete(self) -> bool:
        """Every resource that costs money by the hour or month is priced."""
        return not self.unpriced_types

    @property
    def total(self) -> float:
        return sum(line.monthly for line in self.lines)

    def by_category(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for line in self.lines:
            totals[line.category] = totals.get(line.category, 0.0) + line.monthly
        return totals


DEFAULT_ASSUMPTIONS = Assumptions()


def estimate(rendered: Rendered, region: str, assumptions: Assumptions = DEFAULT_ASSUMPTIONS,
             table: PriceTable | None = None) -> Estimate:
    """Itemise the monthly cost of everything in `rendered` at `region`'s prices."""
    own = True
    if table is None:
        table, own = table_for(region)
    est = Estimate(rendered.project, rendered.stack, region, table, own, assumptions)
    view = View(rendered.resources)
    for section in (build.network, build.load_balancers, build.endpoints, build.services, build.schedules, build.ec2_groups,
                    build.logs, build.alarms, build.insights, build.registries, build.file_systems):
        est.lines.extend(section(view, table, assumptions))
    est.scaling_schedules = bool(view.of(t.SCHEDULED_ACTION)) or any(
        p.inputs.get("policyType") == "PredictiveScaling" for p in view.of(t.SCALING_POLICY))
    types = {r.name: r.type for r in view.custom}
    missing = {name for line in est.lines if line.unit_price is None for name in line.resources}
    for name in sorted(missing):  # priced types whose price is missing (an instance type, a region), once each
        est.unpriced_types[types.get(name, name)] = est.unpriced_types.get(types.get(name, name), 0) + 1
    for r in view.custom:
        if r.type in PER_REQUEST:
            est.per_request[r.type] = est.per_request.get(r.type, 0) + 1
        elif r.type not in FREE and r.type not in PRICED:
            est.unpriced_types[r.type] = est.unpriced_types.get(r.type, 0) + 1
    return est
