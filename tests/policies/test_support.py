"""Shared helpers for the policy tests, and the rule that every control has a passing and a failing case.

Each `tests/policies/test_<service>.py` declares `CASES`: (control ID, label, resources,
expected status, text the violation must contain). The same cases run through the pure
engine (`deploy check`'s path) there, and through the real pulumi-policy objects in
`test_pack.py` (CrossGuard's path), so both paths are held to one table.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

from policies.controls import BY_ID, REGISTRY, PolicyConfig, Res, Stack
from policies.controls.engine import ControlResult, run_control
from policies.controls.model import DISABLED
from policies.controls.settings import parse

CASE_MODULES = ("test_ecs", "test_ecr_elb", "test_network", "test_compute", "test_iam_storage", "test_reliability")


class Case(NamedTuple):
    control: str
    label: str
    resources: tuple[Res, ...]
    status: str
    """pass, fail or not_applicable."""
    expect: str = ""
    """Text every violation message must contain (fail cases)."""


def res(type_: str, props: dict[str, Any], name: str = "r", id: str | None = None,
        outputs: dict[str, Any] | None = None) -> Res:
    """A resource as the engine sends it: camelCase props; `id` like the offline plan's mock IDs."""
    return Res(type=type_, name=name, urn=f"urn:pulumi:test::ecs-app::{type_}::{name}", props=props,
               id=id or f"{name}-id", outputs=outputs or {})


def run(control_id: str, *resources: Res, config: dict[str, Any] | None = None) -> ControlResult:
    """One control over a stack made of `resources`, with an optional policy config object. Without one, a
    control that only applies to production stacks (SEC.2) runs at its production level."""
    control = BY_ID[control_id]
    if config is not None:
        policy = parse(config)
    elif control.enforcement == DISABLED and control.production_enforcement:
        policy = PolicyConfig({control.id: control.production_enforcement})
    else:
        policy = PolicyConfig({})
    return run_control(control, Stack(resources), policy)


def assert_case(case: Case) -> ControlResult:
    result = run(case.control, *case.resources)
    assert result.status == case.status, (case.label, [f.message for f in result.findings], result.reason)
    if case.status == "fail":
        assert result.violations and all(case.expect in f.message for f in result.violations), \
            (case.label, [f.message for f in result.violations])
    else:
        assert not result.findings, (case.label, [f.message for f in result.findings])
    return result


def all_cases() -> list[Case]:
    return [c for m in CASE_MODULES for c in importlib.import_module(f"tests.policies.{m}").CASES]


def test_every_control_has_a_passing_and_a_violating_case():
    statuses: dict[str, set[str]] = {}
    for case in all_cases():
        assert case.control in BY_ID, f"case {case.label!r} names unknown control {case.control}"
        statuses.setdefault(case.control, set()).add(case.status)
    missing = [c.id for c in REGISTRY if not {"pass", "fail"} <= statuses.get(c.id, set())]
    assert missing == []


def test_case_labels_are_unique_so_failures_point_at_one_case():
    labels = [(c.control, c.label) for c in all_cases()]
    assert len(labels) == len(set(labels))


def _with_unknown_leaves(value: Any) -> list[Any]:
    """Copies of `value` with one node (a prop, a nested key, a list item) replaced by UNKNOWN each."""
    from policies.controls import UNKNOWN

    found: list[Any] = []
    if isinstance(value, dict):
        for k, v in value.items():
            found += [{**value, k: x} for x in [UNKNOWN] + _with_unknown_leaves(v)]
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += [value[:i] + [x] + value[i + 1:] for x in [UNKNOWN] + _with_unknown_leaves(v)]
    return found


def _variants(r: Res) -> list[Res]:
    """The resource with no props, with every prop unknown, and with each node unknown in turn."""
    from dataclasses import replace

    from policies.controls import UNKNOWN

    found = [replace(r, props={}), replace(r, props={k: UNKNOWN for k in r.props})]
    return found + [replace(r, props=p) for p in _with_unknown_leaves(dict(r.props))]


def test_no_control_crashes_on_missing_or_unknown_values():
    """At preview any input may be unknown, and optional ones absent: a control decides or says n/a."""
    for case in all_cases():
        for i, r in enumerate(case.resources):
            for variant in _variants(r):
                stack = case.resources[:i] + (variant,) + case.resources[i + 1:]
                result = run(case.control, *stack)
                assert result.status in ("pass", "fail", "not_applicable"), (case.label, variant.props)
