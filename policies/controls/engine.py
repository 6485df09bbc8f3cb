"""Run every control over a whole stack and say, per control, pass / fail / waived / not applicable.

This is what `python -m deploy check` uses over the offline plan. It applies the same
validators, levels and exceptions as the CrossGuard pack, so both agree on what fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import DISABLED, Control, NotApplicable, Res, Stack, Undecided, Violation
from .registry import REGISTRY
from .settings import BLOCKING, PolicyConfig, Waiver

PASS, FAIL, WAIVED, NOT_APPLICABLE = "pass", "fail", "waived", "not_applicable"
BLOCKING_LEVELS = BLOCKING  # Pulumi treats a remediate policy that still fails as mandatory


@dataclass(frozen=True)
class Finding:
    resource: Res
    message: str
    waiver: Waiver | None = None


@dataclass
class ControlResult:
    control: Control
    enforcement: str
    status: str = NOT_APPLICABLE
    checked: int = 0
    """Resources the control decided on (pass or fail)."""
    findings: list[Finding] = field(default_factory=list)
    not_applicable: list[tuple[Res, str]] = field(default_factory=list)
    reason: str = ""
    """Why the whole control is not applicable or disabled."""

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.waiver is None]

    @property
    def waived(self) -> list[Finding]:
        return [f for f in self.findings if f.waiver is not None]

    @property
    def blocking(self) -> bool:
        return self.status == FAIL and self.enforcement in BLOCKING_LEVELS


@dataclass
class Evaluation:
    results: list[ControlResult]
    unused_waivers: list[Waiver]

    @property
    def exit_code(self) -> int:
        return 1 if any(r.blocking for r in self.results) else 0


def evaluate(resources: Iterable[Res], config: PolicyConfig,
             controls: Iterable[Control] = REGISTRY) -> Evaluation:
    stack = Stack(resources)
    controls = list(controls)
    results: list[ControlResult] = []
    used: set[Waiver] = set()
    for control in controls:
        result = run_control(control, stack, config)
        results.append(result)
        used.update(f.waiver for f in result.waived if f.waiver is not None)
    unused = [w for c in controls if config.level(c) != DISABLED for w in config.waivers(c) if w not in used]
    return Evaluation(results, unused)


def run_control(control: Control, stack: Stack, config: PolicyConfig) -> ControlResult:
    result = ControlResult(control, config.level(control))
    if result.enforcement == DISABLED:
        by_default = control.enforcement == DISABLED and control.id not in config.levels
        result.status = DISABLED
        if not by_default:
            result.reason = "disabled in the policy config"
        elif config.production:
            result.reason = (f"the policy config marks the stack production but leaves it off; set "
                             f"\"{control.policy_name}\": \"{control.production_enforcement}\"")
        else:
            result.reason = "applies to production stacks only"
        return result
    subjects = stack.of_type(control.types)
    if not subjects:
        result.reason = "no " + ", ".join(t.split(":")[-1] for t in control.types) + " in the stack"
        return result
    waivers, params = config.waivers(control), config.params(control)

    def record(resource: Res, message: str) -> None:
        waiver = next((w for w in waivers if w.matches(resource)), None)
        result.findings.append(Finding(resource, message, waiver))

    if control.validate_stack is not None:
        undecided: dict[str, Res] = {}
        for item in control.validate_stack(stack, params):
            if isinstance(item, Undecided):
                undecided.setdefault(item.resource.urn, item.resource)
                result.not_applicable.append((item.resource, item.reason))
            elif isinstance(item, Violation):
                record(item.resource, item.message)
        result.checked = len([r for r in subjects if r.urn not in undecided])
    elif control.validate is not None:
        for r in subjects:
            try:
                messages = list(control.validate(r, params))
            except NotApplicable as na:
                result.not_applicable.append((r, na.reason))
                continue
            result.checked += 1
            for message in messages:
                record(r, message)
    result.status = _status(result)
    if result.status == NOT_APPLICABLE:
        result.reason = "; ".join(sorted({reason for _, reason in result.not_applicable}))
    return result


def _status(result: ControlResult) -> str:
    if result.violations:
        return FAIL
    if result.findings:
        return WAIVED
    return PASS if result.checked else NOT_APPLICABLE
