"""The CrossGuard side: real pulumi-policy objects, the same cases as the pure engine, the pack entry point.

Resource policies get `ResourceValidationArgs` whose props are wrapped by pulumi-policy's
unknown-checking proxy, exactly as the analyzer builds them; stack policies get
`PolicyResource`s linked by property dependencies, as the engine sends them at preview.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime import proto
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.policy import _NotApplicableError, _PolicyAnalyzerServicer
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from policies.controls import BY_ID, REGISTRY, UNKNOWN, PolicyConfigError, Res
from policies.controls.model import identities
from policies.controls.pulumi_adapter import ACCEPTANCE_POLICY, policies
from tests.conftest import ROOT
from tests.policies.test_support import Case, all_cases

OPTS = PolicyResourceOptions(protect=False, ignore_changes=[], delete_before_replace=None, aliases=[],
                             custom_timeouts=PolicyCustomTimeouts(0, 0, 0), additional_secret_outputs=[])
POLICIES = {p.name: p for p in policies()}


def engine_props(props):
    """Props as the analyzer hands them over: unknowns as Pulumi's sentinel strings, behind its proxy."""
    def convert(v):
        if v is UNKNOWN:
            return UNKNOWN_STRING_VALUE
        if isinstance(v, dict):
            return {k: convert(x) for k, x in v.items()}
        if isinstance(v, list):
            return [convert(x) for x in v]
        return v
    return unknown_checking_proxy(convert(copy.deepcopy(dict(props))))


def validate_resource(control_id: str, r: Res, config=None):
    """(violation messages, not-applicable reason or None) from the ResourceValidationPolicy."""
    messages: list[str] = []
    args = ResourceValidationArgs(r.type, engine_props(r.props), r.urn, r.name, OPTS, None, config)
    try:
        POLICIES[BY_ID[control_id].policy_name].validate(args, lambda m, urn=None: messages.append(m))
    except _NotApplicableError as na:
        return messages, na.reason or ""
    return messages, None


def policy_resources(resources) -> list[PolicyResource]:
    """The stack as the engine sends it: references are property dependencies, not matching IDs."""
    built = {r.urn: PolicyResource(r.type, engine_props(r.props), r.urn, r.name, OPTS, None, None, [], {})
             for r in resources}
    for r in resources:
        for prop, value in r.props.items():
            text = json.dumps(value, default=str)
            deps = [built[o.urn] for o in resources if o is not r and any(
                f'"{i}"' in text for i in identities(o))]
            if deps:
                built[r.urn].property_dependencies[prop] = deps
    return list(built.values())


def validate_stack(control_id: str, resources, config=None):
    reported: list[tuple[str, str]] = []
    args = StackValidationArgs(policy_resources(resources), config)
    try:
        POLICIES[BY_ID[control_id].policy_name].validate(args, lambda m, urn=None: reported.append((m, urn)))
    except _NotApplicableError as na:
        return reported, na.reason or ""
    return reported, None


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: f"{c.control}: {c.label}")
def test_crossguard_agrees_with_the_engine_on_every_case(case: Case):
    control = BY_ID[case.control]
    if control.stack_level:
        reported, _ = validate_stack(case.control, case.resources)
        messages = [m for m, _ in reported]
        if case.status == "fail":  # reported against the offending resource's URN, not the stack
            assert {u for _, u in reported} <= {r.urn for r in case.resources} and all(reported)
    else:
        messages, na = [], []
        for r in case.resources:
            if r.type in control.types:
                found, reason = validate_resource(case.control, r)
                messages += found
                na.append(reason is not None)
        if case.status == "not_applicable":
            assert all(na) and na, case.label
    if case.status == "fail":
        assert messages and all(case.expect in m for m in messages), (case.label, messages)
    else:
        assert messages == [], (case.label, messages)


def test_every_control_is_one_policy_with_its_id_severity_and_level():
    assert [p.name for p in policies()] == [c.policy_name for c in REGISTRY] + [ACCEPTANCE_POLICY]
    for control in REGISTRY:
        policy = POLICIES[control.policy_name]
        assert isinstance(policy, StackValidationPolicy if control.stack_level else ResourceValidationPolicy)
        assert policy.description.startswith(f"{control.id}: ")
        assert policy.enforcement_level == EnforcementLevel(control.enforcement)
        assert policy.severity == Severity(control.severity)
        assert "exceptions" in policy.config_schema.properties


def test_a_waived_resource_is_not_reported_and_others_still_are():
    from tests.policies.test_ecr_elb import alb

    config = {"exceptions": [{"resource": "dev-alb", "reason": "dev has no log bucket"}]}
    assert validate_resource("ELB.5", alb(name="dev-alb"), config) == ([], None)
    messages, _ = validate_resource("ELB.5", alb(name="prod-alb"), config)
    assert messages == ["access logs are not enabled (accessLogs.enabled with an S3 bucket)"]


def test_a_reasonless_exception_stops_the_pack_instead_of_silently_waiving():
    from tests.policies.test_ecr_elb import alb

    with pytest.raises(PolicyConfigError, match=r"elb-5.exceptions\[0\].reason: required"):
        validate_resource("ELB.5", alb(name="dev-alb"), {"exceptions": [{"resource": "dev-alb"}]})


def test_unknown_values_at_preview_make_a_policy_not_applicable_instead_of_raising():
    task = Res("aws:ecs/taskDefinition:TaskDefinition", "web-task", "urn:web-task",
               {"family": "web", "containerDefinitions": UNKNOWN})
    assert validate_resource("ECS.4", task) == ([], "containerDefinitions is not known until deployment")


def test_stack_policy_reports_on_the_offending_resource_by_urn():
    from tests.policies.test_network import VPC_RES

    reported, na = validate_stack("EC2.6", [VPC_RES])
    assert na is None and reported == [("vpc: no VPC flow log capturing rejected traffic (trafficType ALL or "
                                         "REJECT)", VPC_RES.urn)]


def _servicer():
    return _PolicyAnalyzerServicer("ecs-app-controls", "1.0.0", policies(), EnforcementLevel.ADVISORY)


def _analyze(servicer, type_: str, props: dict, name: str):
    struct = struct_pb2.Struct()
    struct.update(props)
    return servicer.Analyze(proto.AnalyzeRequest(type=type_, properties=struct, urn=f"urn:{name}", name=name), None)


def test_the_analyzer_applies_a_stack_config_file_production_makes_elb6_mandatory():
    """Through pulumi-policy's own analyzer service: Configure with prod.json, then Analyze an ALB."""
    unprotected = {"loadBalancerType": "application", "enableDeletionProtection": False,
                   "dropInvalidHeaderFields": True, "accessLogs": {"enabled": True, "bucket": "logs"}}
    servicer = _servicer()
    before = [d for d in _analyze(servicer, "aws:lb/loadBalancer:LoadBalancer", unprotected, "alb").diagnostics]
    assert [(d.policyName, d.enforcementLevel) for d in before] == [("elb-6", proto.ADVISORY)]

    prod = json.loads((ROOT / "policies" / "config" / "prod.json").read_text())
    request = proto.ConfigureAnalyzerRequest()
    for name, value in prod.items():
        level = value.pop("enforcementLevel", None) if isinstance(value, dict) else value
        config = proto.PolicyConfig(enforcementLevel=proto.MANDATORY if level == "mandatory" else proto.ADVISORY)
        config.properties.update(value if isinstance(value, dict) else {})
        request.policyConfig[name].CopyFrom(config)
    servicer.Configure(request, None)
    after = _analyze(servicer, "aws:lb/loadBalancer:LoadBalancer", unprotected, "alb").diagnostics
    assert [(d.policyName, d.enforcementLevel, d.severity) for d in after] == [
        ("elb-6", proto.MANDATORY, proto.POLICY_SEVERITY_MEDIUM)]
    assert after[0].message.startswith("ELB.6: Load balancers have deletion protection\n")


def test_the_analyzer_describes_every_policy_with_its_config_schema():
    info = _servicer().GetAnalyzerInfo(None, None)
    assert len(info.policies) == len(REGISTRY) + 1  # the controls and the acceptance check
    rel5 = next(p for p in info.policies if p.name == "rel-5")
    assert rel5.configSchema.properties["maxSeconds"]["default"] == 60
    assert rel5.policy_type == proto.PolicyType.POLICY_TYPE_RESOURCE


def _python(code: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], check=False, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.integration
def test_the_pack_entry_point_builds_every_policy_from_the_pack_directory():
    """Runs policies/__main__.py the way `pulumi.policy` does (runpy on the pack dir), PolicyPack replaced."""
    code = ("import json, runpy, pulumi_policy\n"
            "class Recorder:\n"
            "    def __init__(self, name, policies, **kw): print(json.dumps([name] + [p.name for p in policies]))\n"
            "pulumi_policy.PolicyPack = Recorder\n"
            "runpy.run_path('.', run_name='__main__')\n")
    result = _python(code, ROOT / "policies")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["ecs-app-controls"] + [c.policy_name for c in REGISTRY] + [ACCEPTANCE_POLICY]


@pytest.mark.integration
def test_deploy_check_needs_no_pulumi_policy():
    code = ("import sys; sys.modules['pulumi_policy'] = None\n"
            "import deploy.offline.compliance, policies.controls\n"
            "print(len(policies.controls.REGISTRY))\n")
    result = _python(code, ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(REGISTRY))


def _acceptance(resources) -> list[tuple[str, str]]:
    reported: list[tuple[str, str]] = []
    args = StackValidationArgs(policy_resources(resources), None)
    POLICIES[ACCEPTANCE_POLICY].validate(args, lambda m, urn=None: reported.append((m, urn)))
    return reported


def test_the_acceptance_policy_is_mandatory_and_refuses_what_aws_would():
    provider = Res("pulumi:providers:aws", "default", "urn:provider", {"region": "us-east-1"})
    good = Res("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "web-egress", "urn:egress",
               {"securityGroupId": "sg-1", "ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0",
                "description": "Image pulls and AWS APIs"})
    bad = Res(good.type, "web-egress", "urn:egress", {**good.props, "description": "the application's own calls"})
    assert POLICIES[ACCEPTANCE_POLICY].enforcement_level == EnforcementLevel.MANDATORY
    assert _acceptance([provider, good]) == []
    [(message, urn)] = _acceptance([provider, bad])
    assert urn == "urn:egress"
    assert message.startswith("web-egress: AuthorizeSecurityGroupEgress.IpPermissions[0].IpRanges[0].Description may "
                              "contain only a-z, A-Z, 0-9, spaces and")


def test_the_acceptance_policy_judges_the_known_values_of_a_payload_whose_others_are_unknown():
    partly_known = Res("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "web-egress", "urn:egress",
                       {"securityGroupId": UNKNOWN, "ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0",
                        "description": "the application's own calls"})
    unknown_description = Res(partly_known.type, "api-egress", "urn:api-egress",
                              {**partly_known.props, "description": UNKNOWN})
    assert [urn for _, urn in _acceptance([partly_known, unknown_description])] == ["urn:egress"]
