"""Thin adapters from the registry to pulumi_policy's ResourceValidationPolicy / StackValidationPolicy.

The only module of `controls` that imports `pulumi_policy`. It converts what the engine
sends into `Res` (unknown preview values become `UNKNOWN` instead of raising inside a
validator), reads the policy's config (`args.get_config()`: parameters and exceptions,
from `--policy-pack-config`), skips waived resources and reports the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from .model import UNKNOWN, Control, NotApplicable, Res, Stack, Undecided, Violation
from .registry import REGISTRY
from .settings import config_schema, waivers

SECURITY_HUB_DOCS = "https://docs.aws.amazon.com/securityhub/latest/userguide/{service}-controls.html#{anchor}"


def plain(value: Any) -> Any:
    """A copy of engine props as plain dicts and lists, with UNKNOWN where the engine does not know yet.

    pulumi_policy wraps props in proxies that raise UnknownValueError on access to an unknown
    value; that error would turn the whole policy into an advisory "can't run during preview".
    """
    if isinstance(value, (str, bytes)):
        return value
    if isinstance(value, Mapping):
        result = {}
        for key in value:
            try:
                result[key] = plain(value[key])
            except UnknownValueError:
                result[key] = UNKNOWN
        return result
    if isinstance(value, Sequence):
        result_list = []
        for i in range(len(value)):
            try:
                result_list.append(plain(value[i]))
            except UnknownValueError:
                result_list.append(UNKNOWN)
        return result_list
    return value


def as_resource(resource_type: str, props: Any, urn: str, name: str,
                property_dependencies: Mapping[str, Sequence[PolicyResource]] | None = None) -> Res:
    deps = {k: tuple(d.urn for d in v) for k, v in (property_dependencies or {}).items()}
    return Res(type=resource_type, name=name, urn=urn, props=plain(props), property_dependencies=deps)


def _metadata(control: Control) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "description": f"{control.id}: {control.title}",
        "display_name": f"{control.id} {control.title}",
        "enforcement_level": EnforcementLevel(control.enforcement),
        "severity": Severity(control.severity),
        "config_schema": PolicyConfigSchema(config_schema(control)),
        "tags": [control.id.split(".")[0].lower(), "reliability" if control.id.startswith("REL.") else "security"],
    }
    if control.source.startswith("AWS"):
        service, number = control.id.split(".")
        meta["framework"] = PolicyComplianceFramework(name="AWS Security Hub", reference=control.id,
                                                      specification=control.source)
        meta["url"] = SECURITY_HUB_DOCS.format(service=service.lower(), anchor=f"{service.lower()}-{number}")
    return meta


def resource_policy(control: Control) -> ResourceValidationPolicy:
    validator = control.validate
    if validator is None:
        raise ValueError(f"{control.id} validates the whole stack, not one resource")

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in control.types:
            return
        config = args.get_config()
        res = as_resource(args.resource_type, args.props, args.urn, args.name)
        if any(w.matches(res) for w in waivers(control, config)):
            return
        try:
            messages = list(validator(res, control.settings(config)))
        except NotApplicable as na:
            args.not_applicable(na.reason)
            return
        for message in messages:
            report_violation(message, None)

    return ResourceValidationPolicy(control.policy_name, validate=validate, **_metadata(control))


def stack_policy(control: Control) -> StackValidationPolicy:
    validator = control.validate_stack
    if validator is None:
        raise ValueError(f"{control.id} validates one resource at a time, not the stack")

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        config = args.get_config()
        stack = Stack(as_resource(r.resource_type, r.props, r.urn, r.name, r.property_dependencies)
                      for r in args.resources)
        if not stack.of_type(control.types):
            args.not_applicable("no " + ", ".join(t.split(":")[-1] for t in control.types) + " in the stack")
        exempt = waivers(control, config)
        for item in validator(stack, control.settings(config)):
            if isinstance(item, Violation) and not isinstance(item, Undecided) \
                    and not any(w.matches(item.resource) for w in exempt):
                report_violation(f"{item.resource.name}: {item.message}", item.resource.urn)

    return StackValidationPolicy(control.policy_name, validate=validate, **_metadata(control))


ACCEPTANCE_POLICY = "aws-acceptance"


def acceptance_policy() -> StackValidationPolicy:
    """Every payload of the stack against what AWS accepts (`deploy.aws.acceptance`), mandatory: the same
    check `python -m deploy plan` runs, so `pulumi preview --policy-pack policies` refuses the same plans."""
    from deploy.aws import acceptance

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        region = ""
        payloads = []
        for r in args.resources:
            props = plain(r.props)
            if r.resource_type == "pulumi:providers:aws" and isinstance(props.get("region"), str):
                region = props["region"]
            payloads.append(acceptance.Payload(r.resource_type, r.name, _without_unknowns(props), r.urn))
        for finding in acceptance.check(payloads, region):
            report_violation(f"{finding.resource}: {finding.input} {finding.message} [{finding.source}]",
                             finding.urn or None)

    return StackValidationPolicy(
        ACCEPTANCE_POLICY, validate=validate, enforcement_level=EnforcementLevel.MANDATORY,
        description="Every planned payload is one AWS accepts: API models (botocore), documented limits, "
                    "regions and partitions, unique names")


def _without_unknowns(value: Any) -> Any:
    """Values unknown at preview become absent: the checks judge what is known and skip the rest."""
    if value is UNKNOWN:
        return None
    if isinstance(value, Mapping):
        return {k: _without_unknowns(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_unknowns(v) for v in value]
    return value


def policies() -> list:
    """One CrossGuard policy per control of the registry, and the acceptance check."""
    return [*(stack_policy(c) if c.stack_level else resource_policy(c) for c in REGISTRY), acceptance_policy()]
