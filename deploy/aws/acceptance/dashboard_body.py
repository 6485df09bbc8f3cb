"""Is a PutDashboard body one CloudWatch will take? (pure)

botocore models `DashboardBody` as a plain string; the shape of the JSON inside is only in
AWS's "Dashboard Body Structure and Syntax" reference (`SOURCE`), from which this checks:
a JSON object with a `widgets` array of 0 to 500 widgets; each widget an object with a
`type` (metric, text, log, alarm, explorer, custom), its place on the 24-unit grid (`x` 0
to 23, `y` from 0, `width` 1 to 24, `height` 1 to 1000) and a `properties` object; a metric
widget's `region` and its `metrics` rows in the documented form `[namespace, metricName,
dimName, dimValue, ..., {options}]` (or `"."` / `"..."` to repeat the row above, or a
lone `{options}` holding an `expression`), at most 30 dimensions a metric; an alarm
widget's `alarms`, 1 to 100 ARNs.

AWS places a widget without `x` and `y` itself; this check requires both, because a
dashboard laid out by the stack should not move between deploys.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, TypeGuard

SOURCE = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html"
WIDGET_TYPES = ("metric", "text", "log", "alarm", "explorer", "custom")
MAX_WIDGETS = 500
MAX_DIMENSIONS = 30
MAX_ALARMS = 100
GRID: dict[str, tuple[int, int | None]] = {"x": (0, 23), "y": (0, None), "width": (1, 24), "height": (1, 1000)}
SHOWN = 3
"""Problems named in one finding; the rest are counted."""


def check(value: Any) -> str | None:
    """What is wrong with a dashboard body (a JSON string), or None."""
    if not isinstance(value, str):
        return None  # unknown until deploy (or secret): nothing to judge
    found = list(problems(value))
    if not found:
        return None
    more = f" (and {len(found) - SHOWN} more)" if len(found) > SHOWN else ""
    return "; ".join(found[:SHOWN]) + more


def problems(text: str) -> Iterator[str]:
    try:
        body = json.loads(text)
    except ValueError as exc:
        yield f"must be JSON ({exc})"
        return
    if not isinstance(body, Mapping):
        yield "must be a JSON object"
        return
    widgets = body.get("widgets")
    if not isinstance(widgets, list):
        yield "must have a `widgets` array"
        return
    if len(widgets) > MAX_WIDGETS:
        yield f"must have at most {MAX_WIDGETS} widgets (got {len(widgets)})"
    for i, widget in enumerate(widgets):
        yield from (f"widgets[{i}]{p}" for p in _widget(widget))


def _widget(w: Any) -> Iterator[str]:
    if not isinstance(w, Mapping):
        yield " must be an object"
        return
    if w.get("type") not in WIDGET_TYPES:
        yield f".type must be one of {', '.join(WIDGET_TYPES)} (got {w.get('type')!r})"
    for key, (low, high) in GRID.items():
        n = w.get(key)
        if not _integer(n) or n < low or (high is not None and n > high):
            yield f".{key} must be a whole number {_range(low, high)} (got {n!r})"
    props = w.get("properties")
    if not isinstance(props, Mapping):
        yield ".properties must be an object"
        return
    if w.get("type") == "metric":
        yield from _metric_widget(props)
    elif w.get("type") == "alarm":
        alarms = props.get("alarms")
        if not (isinstance(alarms, list) and 1 <= len(alarms) <= MAX_ALARMS
                and all(isinstance(a, str) and a for a in alarms)):
            yield f".properties.alarms must be a list of 1 to {MAX_ALARMS} alarm ARNs (got {alarms!r})"


def _metric_widget(props: Mapping[str, Any]) -> Iterator[str]:
    if not isinstance(props.get("region"), str) or not props["region"]:
        yield ".properties.region is required for a metric widget"
    rows = props.get("metrics")
    if rows is None:
        return  # a widget may graph a search or an alarm's annotation instead
    if not isinstance(rows, list):
        yield ".properties.metrics must be an array of metric arrays"
        return
    for j, row in enumerate(rows):
        problem = _row(row)
        if problem:
            yield f".properties.metrics[{j}] {problem} (got {row!r})"


def _row(row: Any) -> str | None:
    """One metric array: `[namespace, name, dimName, dimValue, ..., {options}]`."""
    if not isinstance(row, list) or not row:
        return "must be a non-empty array"
    items, options = (row[:-1], row[-1]) if isinstance(row[-1], Mapping) else (row, None)
    if not items:  # a math expression or search: only the options object
        return None if options and isinstance(options.get("expression"), str) else \
            "must start with a namespace and a metric name, or hold an `expression`"
    if not all(isinstance(x, str) and x for x in items):
        return "must hold strings before its options object, which comes last"
    if "..." in items:
        return None  # repeats the row above: its length is that row's
    if len(items) < 2:
        return "must start with a namespace and a metric name"
    if len(items) % 2:
        return "must pair every dimension name with a value"
    if (len(items) - 2) // 2 > MAX_DIMENSIONS:
        return f"may have at most {MAX_DIMENSIONS} dimensions"
    return None


def _integer(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _range(low: int, high: int | None) -> str:
    return f"from {low} to {high}" if high is not None else f"of at least {low}"
