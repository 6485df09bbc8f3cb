"""The `deploy check` report: a table by control, then one summary line; or the same as JSON.

JSON shape (stable; documented in docs/policies.md):
    {"project", "stack", "production": bool, "policyConfig": str|null, "resources": int,
     "summary": {"controls", "pass", "fail", "mandatoryFailures", "advisoryFailures", "waived",
                 "notApplicable", "disabled"},
     "controls": [{"id", "policy", "title", "severity", "enforcement", "source", "status",
                   "checked", "reason", "violations": [{"resource", "type", "urn", "message"}],
                   "waived": [{"resource", "type", "urn", "message", "reason"}]}],
     "unusedExceptions": [{"control", "resource", "reason"}],
     "advice": [{"control", "message", "exception": str|null}],
     "productionBy": str|null,
     "exitCode": 0|1}
`status` is one of pass, fail, waived, not_applicable, disabled.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Any

from policies.controls import Evaluation, PolicyConfig
from policies.controls.engine import FAIL, NOT_APPLICABLE, PASS, WAIVED, ControlResult

from ..engine import Rendered
from .advice import Advice

WIDTH = 110
"""Advice is wrapped to this width; the exceptions to paste stay on one line."""
_SHOWN = {PASS: "pass", FAIL: "FAIL", WAIVED: "waived", NOT_APPLICABLE: "n/a", "disabled": "disabled"}


def summary(evaluation: Evaluation) -> dict[str, int]:
    results = evaluation.results
    failed = [r for r in results if r.status == FAIL]
    return {
        "controls": len(results),
        "pass": sum(r.status == PASS for r in results),
        "fail": len(failed),
        "mandatoryFailures": sum(r.blocking for r in failed),
        "advisoryFailures": sum(not r.blocking for r in failed),
        "waived": sum(r.status == WAIVED for r in results),
        "notApplicable": sum(r.status == NOT_APPLICABLE for r in results),
        "disabled": sum(r.status == "disabled" for r in results),
    }


def summary_line(evaluation: Evaluation) -> str:
    s = summary(evaluation)

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 or word.endswith('pass') else 's'}"

    parts = [f"{s['pass']} pass", f"{s['waived']} waived", n(s["advisoryFailures"], "advisory failure"),
             n(s["mandatoryFailures"], "mandatory failure"), f"{s['notApplicable']} not applicable"]
    if s["disabled"]:
        parts.append(f"{s['disabled']} disabled")
    return f"Summary: {s['controls']} controls: {', '.join(parts)} -> exit {evaluation.exit_code}"


def as_text(rendered: Rendered, config: PolicyConfig, evaluation: Evaluation, advice: Sequence[Advice] = ()) -> str:
    kind = "production stack" if config.production else "not marked production"
    if config.production_by:
        kind += f" by {config.production_by}"
    lines = [f"Policy check: {rendered.project}/{rendered.stack} ({kind}; policy config "
             f"{config.source or 'none: default levels'})",
             f"{len(evaluation.results)} controls over {len(rendered.resources)} planned resources", ""]
    width = max(len(r.control.id) for r in evaluation.results) + 2
    lines.append(f"{'CONTROL':<{width}}{'SEVERITY':<10}{'ENFORCEMENT':<13}{'STATUS':<9}TITLE")
    indent = " " * (width + 32)
    for r in evaluation.results:
        title = r.control.title + (f" ({r.reason})" if r.status in (NOT_APPLICABLE, "disabled") and r.reason else "")
        lines.append(f"{r.control.id:<{width}}{r.control.severity:<10}{r.enforcement:<13}{_SHOWN[r.status]:<9}"
                     f"{title}")
        for f in r.violations:
            lines.append(f"{indent}{f.resource.name}: {f.message}")
        for f in r.waived:
            lines.append(f"{indent}{f.resource.name}: {f.message}")
            lines.append(f"{indent}  waived: {f.waiver.reason if f.waiver else ''}")
    if evaluation.unused_waivers:
        lines += ["", "Exceptions that matched no finding (remove them from the policy config):"]
        lines += [f"  {w.control} {w.resource}: {w.reason}" for w in evaluation.unused_waivers]
    if advice:
        lines += ["", "What to do:"]
        for a in advice:
            lines += _wrap(f"{a.control}: {a.message}")
            if a.exception:
                lines.append(f"    {a.exception}")
    lines += ["", summary_line(evaluation)]
    return "\n".join(lines)


def _wrap(text: str) -> list[str]:
    """`text` in lines of WIDTH, never breaking inside a `code span` (a key or a command)."""
    kept = re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", "\0"), text)
    lines = textwrap.wrap(kept, WIDTH, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False,
                          break_long_words=False)
    return [line.replace("\0", " ") for line in lines]


def _finding(f: Any) -> dict[str, Any]:
    return {"resource": f.resource.name, "type": f.resource.type, "urn": f.resource.urn, "message": f.message}


def _control(r: ControlResult) -> dict[str, Any]:
    c = r.control
    return {"id": c.id, "policy": c.policy_name, "title": c.title, "severity": c.severity,
            "enforcement": r.enforcement, "source": c.source, "status": r.status, "checked": r.checked,
            "reason": r.reason or None,
            "violations": [_finding(f) for f in r.violations],
            "waived": [{**_finding(f), "reason": f.waiver.reason if f.waiver else None} for f in r.waived]}


def as_json(rendered: Rendered, config: PolicyConfig, evaluation: Evaluation,
            advice: Sequence[Advice] = ()) -> dict[str, Any]:
    return {
        "project": rendered.project,
        "stack": rendered.stack,
        "production": config.production,
        "policyConfig": config.source,
        "resources": len(rendered.resources),
        "summary": summary(evaluation),
        "controls": [_control(r) for r in evaluation.results],
        "unusedExceptions": [{"control": w.control, "resource": w.resource, "reason": w.reason}
                             for w in evaluation.unused_waivers],
        "advice": [a.as_json() for a in advice],
        "productionBy": config.production_by,
        "exitCode": evaluation.exit_code,
    }
