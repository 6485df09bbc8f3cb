"""The offline plan: render the stack program under mocks and show what it would create."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..config.model import StackConfig
from ..stack import program
from . import acceptance, engine


def render(cfg: StackConfig, accept: bool = True) -> engine.Rendered:
    """Every resource `pulumi up` would register for `cfg`, and the stack outputs (offline placeholders).

    The plan is checked against what AWS accepts (`acceptance.ensure`): a payload AWS would
    refuse raises `AcceptanceError` (exit 2), naming the setting it comes from.
    """
    rendered = engine.render(lambda: program.build(cfg), cfg.project, cfg.stack, cfg.region)
    return acceptance.ensure(rendered, cfg) if accept else rendered


def as_json(rendered: engine.Rendered) -> dict[str, Any]:
    """The contracted `plan --json` object."""
    return rendered.to_json()


def as_text(rendered: engine.Rendered) -> str:
    """An indented resource tree, then counts by type."""
    depth: dict[str, int] = {}
    lines = [f"Stack {rendered.project}/{rendered.stack}: {len(rendered.resources)} resources", ""]
    for r in rendered.resources:
        level = depth[r.parent] + 1 if r.parent is not None and r.parent in depth else 0
        depth[r.urn] = level
        lines.append(f"{'  ' * level}+ {r.type}  {r.name}")
    lines += ["", "Resources by type:"]
    counts = Counter(r.type for r in rendered.resources)
    width = max((len(t) for t in counts), default=0)
    lines += [f"  {t:<{width}}  {n}" for t, n in sorted(counts.items())]
    if rendered.outputs:
        lines += ["", "Outputs (offline placeholders where AWS assigns values):"]
        lines += [f"  {k}: {v}" for k, v in rendered.outputs.items()]
    return "\n".join(lines)
