"""EC2 capacity: launch templates and Auto Scaling groups (the EC2 capacity provider's instances).

Props as pulumi_aws sends them: launch template booleans such as `encrypted` and
`associatePublicIpAddress` are strings ("true"/"false") in the provider's schema, so they
are read with `flag()`, which also accepts real booleans.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .model import (
    ADVISORY,
    MANDATORY,
    Control,
    NotApplicable,
    Res,
    Stack,
    Undecided,
    Violation,
    flag,
    get,
    items,
    known,
    objects,
    require_two_azs,
)

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
GROUP = "aws:autoscaling/group:Group"
FSBP = "AWS Foundational Security Best Practices"


def imdsv2_required(r: Res, _: Mapping) -> Iterator[str]:
    options = known(r.props.get("metadataOptions"), "metadataOptions") or {}
    if known(options.get("httpEndpoint"), "httpEndpoint") == "disabled":
        return  # no instance metadata service at all
    tokens = known(options.get("httpTokens"), "httpTokens")
    if tokens != "required":
        yield f"metadataOptions.httpTokens is {tokens or 'not set (IMDSv1 allowed)'}; use required (IMDSv2 only)"


def no_public_ip(r: Res, _: Mapping) -> Iterator[str]:
    for i, nic in enumerate(objects(r.props.get("networkInterfaces"), "networkInterfaces")):
        if flag(known(get(nic, "associatePublicIpAddress"), "associatePublicIpAddress")) is True:
            yield f"networkInterfaces[{i}].associatePublicIpAddress is true"


def ebs_encrypted(r: Res, _: Mapping) -> Iterator[str]:
    # Like AWS's rule, only an explicit `false` fails: unset volumes follow the account's
    # EBS encryption-by-default setting (EC2.7), which a template cannot see.
    for mapping in objects(r.props.get("blockDeviceMappings"), "blockDeviceMappings"):
        if flag(known(get(mapping, "ebs.encrypted"), "ebs.encrypted")) is False:
            yield f"blockDeviceMappings {mapping.get('deviceName', '?')}: ebs.encrypted is false"


def _load_balanced(r: Res) -> bool:
    return any(len(items(r.props.get(k), k)) for k in ("targetGroupArns", "loadBalancers", "trafficSources"))


def elb_health_checks(r: Res, _: Mapping) -> Iterator[str]:
    if not _load_balanced(r):
        raise NotApplicable("the group is not attached to a load balancer")
    check = known(r.props.get("healthCheckType"), "healthCheckType") or "EC2"
    if "ELB" not in str(check).upper().split(","):
        yield f"healthCheckType is {check}; a load-balanced group should use ELB health checks"


def multi_az(stack: Stack, _: Mapping) -> Iterator[Violation | Undecided]:
    for group in stack.of_type(GROUP):
        try:
            zones = group.props.get("availabilityZones")
            if not group.props.get("vpcZoneIdentifiers") and isinstance(zones, list):
                if len({z for z in zones if isinstance(z, str)}) < 2:
                    yield Violation(group, f"availabilityZones has {len(zones)} zone(s); at least two are needed")
                continue
            for message in require_two_azs(stack, group, "vpcZoneIdentifiers",
                                           group.props.get("vpcZoneIdentifiers"), "the Auto Scaling group"):
                yield Violation(group, message)
        except NotApplicable as na:
            yield Undecided(group, na.reason)


def _overrides(r: Res) -> list:
    return objects(get(r.props, "mixedInstancesPolicy.launchTemplate.overrides"), "overrides")


def several_instance_types(r: Res, _: Mapping) -> Iterator[str]:
    overrides = _overrides(r)
    types = {o.get("instanceType") for o in overrides if isinstance(o, dict) and o.get("instanceType")}
    flexible = any(isinstance(o, dict) and o.get("instanceRequirements") for o in overrides)
    if len(types) < 2 and not flexible:
        yield "one instance type: when it runs short in an AZ the group cannot scale; list several in " \
              "mixedInstancesPolicy.launchTemplate.overrides"


def uses_launch_template(r: Res, _: Mapping) -> Iterator[str]:
    # An ID still unknown at preview is a reference all the same: presence is what counts.
    direct = known(r.props.get("launchTemplate"), "launchTemplate") or {}
    mixed = known(get(r.props, "mixedInstancesPolicy.launchTemplate.launchTemplateSpecification"),
                  "launchTemplateSpecification") or {}
    if r.props.get("launchConfiguration"):
        yield "uses a launch configuration; launch templates replace them (IMDSv2, versions, mixed instances)"
    elif not (direct.get("id") or direct.get("name") or mixed.get("launchTemplateId")
              or mixed.get("launchTemplateName")):
        yield "no launch template (launchTemplate or mixedInstancesPolicy.launchTemplate.launchTemplateSpecification)"


CONTROLS = [
    Control("EC2.170", "Launch templates require IMDSv2", "low", MANDATORY, (LAUNCH_TEMPLATE,), FSBP,
            validate=imdsv2_required),
    Control("EC2.25", "Launch templates do not assign public IP addresses", "high", MANDATORY, (LAUNCH_TEMPLATE,),
            FSBP, validate=no_public_ip),
    Control("EC2.181", "Launch templates encrypt their EBS volumes", "medium", MANDATORY, (LAUNCH_TEMPLATE,), FSBP,
            validate=ebs_encrypted),
    Control("AutoScaling.1", "Load-balanced Auto Scaling groups use ELB health checks", "low", MANDATORY, (GROUP,),
            FSBP, validate=elb_health_checks),
    Control("AutoScaling.2", "Auto Scaling groups span at least two Availability Zones", "medium", MANDATORY,
            (GROUP,), FSBP, validate_stack=multi_az),
    Control("AutoScaling.6", "Auto Scaling groups use several instance types", "medium", ADVISORY, (GROUP,), FSBP,
            validate=several_instance_types),
    Control("AutoScaling.9", "Auto Scaling groups launch from a launch template", "medium", MANDATORY, (GROUP,),
            FSBP, validate=uses_launch_template),
]
