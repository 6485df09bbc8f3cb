"""Print an estimate: a table for people, a stable JSON object for programs (pure).

JSON shape (stable; amounts in USD per month, rounded to 4 decimals):

    {"project", "stack", "region", "currency": "USD", "hoursPerMonth": 730,
     "total": float, "byCategory": {category: float},
     "lines": [{"category", "item", "quantity", "unit", "unitPrice": float|null, "monthly",
                "resources": [logical names], "note"}],
     "assumptions": [str], "notIncluded": [str], "notPriced": {type token: count},
     "prices": {"region", "readOn", "ownRegion": bool, "sources": [str], "notes": [str]},
     "perRequest": {type token: count}, "complete": bool}

`notPriced` counts resources that cost money by the hour or month but have no price here
(an instance type or a region missing from the table, a type the estimate does not know):
the total leaves them out, their lines say "not priced", and `complete` is false.
`perRequest` counts resources billed only per request (queues, schedules), which an
offline plan cannot count.
"""

from __future__ import annotations

from typing import Any

from . import model
from .estimate import Estimate
from .model import NOT_INCLUDED

CATEGORY_ORDER = ("network", "load balancer", "compute", "logs", "monitoring", "registry", "storage")


def as_json(est: Estimate) -> dict[str, Any]:
    return {
        "project": est.project, "stack": est.stack, "region": est.region, "currency": "USD",
        "hoursPerMonth": model.HOURS_PER_MONTH,
        "total": round(est.total, 4),
        "byCategory": {k: round(v, 4) for k, v in sorted(est.by_category().items(), key=_category_key)},
        "lines": [{"category": line.category, "item": line.item, "quantity": round(line.quantity, 4),
                   "unit": line.unit, "unitPrice": line.unit_price, "monthly": round(line.monthly, 4),
                   "resources": list(line.resources), "note": line.note} for line in _ordered(est)],
        "assumptions": _assumptions(est),
        "notIncluded": list(NOT_INCLUDED),
        "notPriced": dict(sorted(est.unpriced_types.items())),
        "prices": {"region": est.table.region, "readOn": est.table.read_on, "ownRegion": est.own_table,
                   "sources": list(est.table.sources), "notes": list(est.table.notes)},
        "perRequest": dict(sorted(est.per_request.items())),
        "complete": est.complete,
    }


def as_text(est: Estimate) -> str:
    lines = [f"Monthly cost estimate for {est.project}/{est.stack} in {est.region} (USD, list prices of "
             f"{est.table.region} read {est.table.read_on})", ""]
    header = ("category", "item", "quantity", "unit price", "$/month")
    rows = [(line.category, line.item, _quantity(line), _price(line), f"{line.monthly:,.2f}", line.note)
            for line in _ordered(est)]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    for cells in [header, *rows]:
        # text columns left-aligned, the amount right-aligned, the note trailing
        row = "  ".join(c.ljust(w) if i < 4 else c.rjust(w) for i, (c, w) in enumerate(zip(cells[:5], widths,
                                                                                            strict=True)))
        note = cells[5] if len(cells) > 5 else ""
        lines.append(f"  {row}" + (f"  {note}" if note else ""))
    total_width = sum(widths) + 2 * (len(widths) - 1)
    lines.append("  " + "-" * total_width)
    label = "Total" if est.complete else "Total (incomplete: see Not priced)"
    lines.append("  " + label.ljust(max(total_width - len(f"{est.total:,.2f}"), len(label) + 2))
                 + f"{est.total:,.2f}")
    lines.append("  by category: " + ", ".join(f"{k} {v:,.2f}" for k, v in sorted(est.by_category().items(),
                                                                                   key=_category_key)))
    lines += ["", "Assumptions:"] + [f"  - {a}" for a in _assumptions(est)]
    if est.unpriced_types:
        lines += ["", "Not priced (they cost money; the total leaves them out):"]
        lines += [f"  - {t}: {n}" for t, n in sorted(est.unpriced_types.items())]
    lines += ["", "Not included:"] + [f"  - {n}" for n in NOT_INCLUDED]
    lines += [f"  - {model.PER_REQUEST[t]}: {n}" for t, n in sorted(est.per_request.items())]
    lines += ["", f"Prices: {est.table.region}, read {est.table.read_on}:"]
    lines += [f"  {s}" for s in est.table.sources] + [f"  note: {n}" for n in est.table.notes]
    return "\n".join(lines)


def _assumptions(est: Estimate) -> list[str]:
    found = list(est.assumptions.lines())
    if est.scaling_schedules:
        found.append(est.assumptions.SCALING_SCHEDULES)
    if not est.own_table:
        found.insert(0, f"no price table for {est.region}: {est.table.region} prices stand in "
                        f"(regional prices differ, typically by 0-25%)")
    return found


def _ordered(est: Estimate) -> list[Any]:
    return sorted(est.lines, key=lambda line: _category_key((line.category, 0)))


def _category_key(item: tuple[str, Any]) -> int:
    return CATEGORY_ORDER.index(item[0]) if item[0] in CATEGORY_ORDER else len(CATEGORY_ORDER)


def _quantity(line: Any) -> str:
    return f"{line.quantity:,.2f} {line.unit}".strip() if line.unit else "-"


def _price(line: Any) -> str:
    if line.unit_price is None:
        return "not priced"
    return f"${line.unit_price:.6g}" if line.unit else "-"
