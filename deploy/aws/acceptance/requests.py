"""The AWS API requests the provider sends for a resource, rebuilt from its Pulumi inputs (pure).

For each resource type the stack creates, `requests(resource)` returns the calls the
provider makes to create it, with the members that come one-to-one from the inputs:
container definitions pass through unchanged (their JSON is the `RegisterTaskDefinition`
payload), Scheduler targets, scaling policies and alarms are the inputs in the API's
spelling, and names are the physical names the provider will use. Members that the
provider computes, or whose mapping is not one-to-one, are left out: the checks never
judge what they cannot see.

The physical name of an auto-named resource (no `name` input) is the logical name plus
Pulumi's random suffix (`-` and 7 hex characters, `AUTONAME_SUFFIX`), which is how long it
will be at deploy time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import tokens as t
from ..limits import AUTONAME_SUFFIX
from ..naming import FIFO_SUFFIX

AUTONAME_EXAMPLE = "-" + "a" * (AUTONAME_SUFFIX - 1)
"""What Pulumi appends to a logical name: a hyphen and 7 random hex characters."""


@dataclass(frozen=True)
class Payload:
    """A planned resource as the checks see it: the engine's type token, logical name and inputs."""

    type: str
    name: str
    inputs: Mapping[str, Any]
    urn: str = ""


@dataclass(frozen=True)
class Request:
    service: str
    """botocore service name: ecs, scheduler, elbv2, ..."""
    operation: str
    params: dict[str, Any]
    inputs: dict[str, str] = field(default_factory=dict)
    """API member -> the Pulumi input it comes from, for messages (`Name` -> `name`)."""


def physical_name(p: Payload, key: str = "name") -> str:
    """The name AWS will see: the `name` input, else the logical name with Pulumi's suffix."""
    given = p.inputs.get(key)
    return str(given) if isinstance(given, str) and given else p.name + AUTONAME_EXAMPLE


def json_input(p: Payload, key: str) -> Any:
    """An input that the provider sends as a JSON document (None when absent, secret or not JSON)."""
    raw = p.inputs.get(key)
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _pascal(value: Any) -> Any:
    """camelCase keys -> PascalCase, recursively (the Scheduler, ELB, CloudWatch and Application Auto
    Scaling APIs spell members the way Pulumi does, capitalised)."""
    if isinstance(value, Mapping):
        return {k[:1].upper() + k[1:]: _pascal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_pascal(v) for v in value]
    return value


def _drop_none(value: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if v is not None}


# --- ECS ------------------------------------------------------------------------------------


def _task_definition(p: Payload) -> Iterator[Request]:
    i = p.inputs
    containers = json_input(p, "containerDefinitions")
    storage = i.get("ephemeralStorage") or {}
    yield Request("ecs", "RegisterTaskDefinition", _drop_none({
        "family": i.get("family"), "containerDefinitions": containers if isinstance(containers, list) else None,
        "networkMode": i.get("networkMode"), "requiresCompatibilities": i.get("requiresCompatibilities"),
        "cpu": i.get("cpu"), "memory": i.get("memory"), "runtimePlatform": i.get("runtimePlatform"),
        "executionRoleArn": i.get("executionRoleArn"), "taskRoleArn": i.get("taskRoleArn"),
        "volumes": [_volume(v) for v in i.get("volumes") or []] or None,
        "ephemeralStorage": {"sizeInGiB": storage["sizeInGib"]} if "sizeInGib" in storage else None,
    }), {"containerDefinitions": "containerDefinitions", "family": "family"})


def _volume(v: Mapping[str, Any]) -> dict[str, Any]:
    """A task volume: the provider's `efsVolumeConfiguration` is the API's EFSVolumeConfiguration, member for member."""
    efs = v.get("efsVolumeConfiguration")
    if not isinstance(efs, Mapping):
        return {"name": v.get("name")}
    auth = efs.get("authorizationConfig")
    return {"name": v.get("name"), "efsVolumeConfiguration": _drop_none({
        "fileSystemId": _text(efs.get("fileSystemId")), "rootDirectory": efs.get("rootDirectory"),
        "transitEncryption": efs.get("transitEncryption"), "transitEncryptionPort": efs.get("transitEncryptionPort"),
        "authorizationConfig": _drop_none({"accessPointId": auth.get("accessPointId"), "iam": auth.get("iam")})
        if isinstance(auth, Mapping) else None})}


def _minutes(value: Any) -> Any:
    """The provider types deployment minutes as strings; the API as integers."""
    try:
        return int(value) if isinstance(value, str) else value
    except ValueError:
        return value


def _deployment_configuration(i: Mapping[str, Any]) -> dict[str, Any] | None:
    """ECS DeploymentConfiguration from the provider's top-level inputs (circuit breaker, percents, alarms) and
    its `deploymentConfiguration` block (strategy, bake times, canary, linear, lifecycle hooks)."""
    d = i.get("deploymentConfiguration") or {}
    canary, linear = d.get("canaryConfiguration"), d.get("linearConfiguration")
    hooks = [_drop_none({"targetType": h.get("targetType"), "hookTargetArn": h.get("hookTargetArn"),
                         "roleArn": h.get("roleArn"), "lifecycleStages": h.get("lifecycleStages")})
             for h in d.get("lifecycleHooks") or []]
    config = _drop_none({
        "deploymentCircuitBreaker": i.get("deploymentCircuitBreaker"),
        "maximumPercent": i.get("deploymentMaximumPercent"),
        "minimumHealthyPercent": i.get("deploymentMinimumHealthyPercent"),
        "alarms": i.get("alarms"), "strategy": d.get("strategy"),
        "bakeTimeInMinutes": _minutes(d.get("bakeTimeInMinutes")),
        "canaryConfiguration": _drop_none({"canaryPercent": canary.get("canaryPercent"), "canaryBakeTimeInMinutes":
                                           _minutes(canary.get("canaryBakeTimeInMinutes"))}) if canary else None,
        "linearConfiguration": _drop_none({"stepPercent": linear.get("stepPercent"), "stepBakeTimeInMinutes":
                                           _minutes(linear.get("stepBakeTimeInMinutes"))}) if linear else None,
        "lifecycleHooks": hooks or None,
    })
    return config or None


def _service_connect(value: Any) -> Any:
    """The provider lists a client alias's `testTrafficRules`; the API takes one ServiceConnectTestTrafficRules."""
    if not isinstance(value, Mapping):
        return value
    services = []
    for svc in value.get("services") or []:
        aliases = []
        for alias in svc.get("clientAlias") or []:
            rules = alias.get("testTrafficRules")
            if isinstance(rules, list):
                alias = {**alias, "testTrafficRules": rules[0]} if rules else \
                    {k: v for k, v in alias.items() if k != "testTrafficRules"}
            aliases.append(alias)
        services.append({**svc, "clientAliases": aliases} if "clientAlias" in svc else svc)
        services[-1].pop("clientAlias", None)
    return {**value, "services": services} if services else value


def _awsvpc(network: Any) -> dict[str, Any] | None:
    """A Pulumi `networkConfiguration` as the API's `awsvpcConfiguration` (ECS and Scheduler spell it alike)."""
    if not isinstance(network, Mapping):
        return None
    return {"awsvpcConfiguration": _drop_none({
        "subnets": network.get("subnets"), "securityGroups": network.get("securityGroups"),
        # The provider sends the boolean input as the API's ENABLED / DISABLED.
        "assignPublicIp": "ENABLED" if network.get("assignPublicIp") else "DISABLED"})}


def _service(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("ecs", "CreateService", _drop_none({
        "serviceName": physical_name(p), "desiredCount": i.get("desiredCount"),
        "platformVersion": i.get("platformVersion"), "propagateTags": i.get("propagateTags"),
        "healthCheckGracePeriodSeconds": i.get("healthCheckGracePeriodSeconds"),
        "availabilityZoneRebalancing": i.get("availabilityZoneRebalancing"),
        "capacityProviderStrategy": i.get("capacityProviderStrategies"),
        "loadBalancers": i.get("loadBalancers"),
        "serviceConnectConfiguration": _service_connect(i.get("serviceConnectConfiguration")),
        "enableExecuteCommand": i.get("enableExecuteCommand"),
        "deploymentConfiguration": _deployment_configuration(i),
        "networkConfiguration": _awsvpc(i.get("networkConfiguration")),
    }), {"serviceName": "name", "enableExecuteCommand": "enableExecuteCommand",
         "deploymentConfiguration": "deploymentConfiguration", "networkConfiguration": "networkConfiguration"})


def _cluster(p: Payload) -> Iterator[Request]:
    yield Request("ecs", "CreateCluster", _drop_none({"clusterName": physical_name(p),
                                                       "settings": p.inputs.get("settings"),
                                                       "configuration": _cluster_configuration(p.inputs)}),
                  {"clusterName": "name", "configuration": "configuration"})


def _cluster_configuration(inputs: Mapping[str, Any]) -> dict[str, Any] | None:
    """The cluster's `configuration` in the API's spelling; the provider names one member differently
    (`s3BucketEncryptionEnabled` is the API's `s3EncryptionEnabled`)."""
    config = inputs.get("configuration")
    if not isinstance(config, Mapping):
        return None
    result = dict(config)
    execute = config.get("executeCommandConfiguration")
    if isinstance(execute, Mapping):
        execute = dict(execute)
        logs = execute.get("logConfiguration")
        if isinstance(logs, Mapping):
            logs = dict(logs)
            if "s3BucketEncryptionEnabled" in logs:
                logs["s3EncryptionEnabled"] = logs.pop("s3BucketEncryptionEnabled")
            execute["logConfiguration"] = logs
        result["executeCommandConfiguration"] = execute
    return result


def _capacity_provider(p: Payload) -> Iterator[Request]:
    yield Request("ecs", "CreateCapacityProvider", {"name": physical_name(p)}, {"name": "name"})


# --- EventBridge Scheduler ----------------------------------------------------------------------


def _schedule(p: Payload) -> Iterator[Request]:
    i = p.inputs
    target = dict(i.get("target") or {})
    ecs = dict(target.get("ecsParameters") or {})
    network = ecs.pop("networkConfiguration", None)
    if network is not None:
        ecs["networkConfiguration"] = _awsvpc(network)
    if "capacityProviderStrategies" in ecs:
        ecs["capacityProviderStrategy"] = ecs.pop("capacityProviderStrategies")
    target["ecsParameters"] = ecs
    yield Request("scheduler", "CreateSchedule", _drop_none({
        "Name": physical_name(p), "ScheduleExpression": i.get("scheduleExpression"),
        "ScheduleExpressionTimezone": i.get("scheduleExpressionTimezone"), "State": i.get("state"),
        "FlexibleTimeWindow": _pascal(i.get("flexibleTimeWindow")), "Target": _pascal(target),
        "Description": i.get("description"),
    }), {"Name": "name", "Target": "target", "ScheduleExpression": "scheduleExpression"})


# --- EFS ------------------------------------------------------------------------------------

FILE_SYSTEM_PLACEHOLDER = "fs-00000000"
"""The ID of a file system the stack creates, unknown until it exists (the checks judge the other members)."""


def _matching(value: Any, pattern: str, placeholder: str) -> str:
    """An ID given in the config as written; one assigned at deploy time (a mock's) as a well-formed placeholder."""
    return value if isinstance(value, str) and re.fullmatch(pattern, value) else placeholder


def _file_system(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("efs", "CreateFileSystem", _drop_none({
        # The provider sends a unique creation token of its own (create.UniqueId) unless one is set.
        "CreationToken": i.get("creationToken") or p.name + AUTONAME_EXAMPLE,
        "PerformanceMode": i.get("performanceMode"), "Encrypted": i.get("encrypted"), "KmsKeyId": i.get("kmsKeyId"),
        "ThroughputMode": i.get("throughputMode")}), {"KmsKeyId": "kmsKeyId", "PerformanceMode": "performanceMode"})
    policies = i.get("lifecyclePolicies") or []
    if policies:
        yield Request("efs", "PutLifecycleConfiguration", {"FileSystemId": FILE_SYSTEM_PLACEHOLDER, "LifecyclePolicies": [
            _drop_none({"TransitionToIA": lp.get("transitionToIa"), "TransitionToArchive": lp.get("transitionToArchive"),
                        "TransitionToPrimaryStorageClass": lp.get("transitionToPrimaryStorageClass")})
            for lp in policies]}, {"LifecyclePolicies": "lifecyclePolicies"})


def _mount_target(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("efs", "CreateMountTarget", _drop_none({
        "FileSystemId": _matching(i.get("fileSystemId"), r"fs-[0-9a-f]{8,40}", FILE_SYSTEM_PLACEHOLDER),
        "SubnetId": _matching(i.get("subnetId"), r"subnet-[0-9a-f]{8,40}", "subnet-00000000"),
        "SecurityGroups": [_matching(g, r"sg-[0-9a-f]{8,40}", "sg-00000000") for g in i.get("securityGroups") or []]
        or None}), {"SubnetId": "subnetId", "SecurityGroups": "securityGroups"})


def _backup_policy(p: Payload) -> Iterator[Request]:
    policy = p.inputs.get("backupPolicy") or {}
    yield Request("efs", "PutBackupPolicy", {
        "FileSystemId": _matching(p.inputs.get("fileSystemId"), r"fs-[0-9a-f]{8,40}", FILE_SYSTEM_PLACEHOLDER),
        "BackupPolicy": _drop_none({"Status": policy.get("status")})}, {"BackupPolicy": "backupPolicy"})


# --- EC2 / VPC --------------------------------------------------------------------------------


def _security_group(p: Payload) -> Iterator[Request]:
    yield Request("ec2", "CreateSecurityGroup", _drop_none({
        "GroupName": physical_name(p), "Description": p.inputs.get("description")}),
        {"GroupName": "name", "Description": "description"})


def _rule(operation: str) -> Callable[[Payload], Iterator[Request]]:
    """A security group rule: one `IpPermission` with its CIDR or referenced group and its description."""

    def build(p: Payload) -> Iterator[Request]:
        i = p.inputs
        permission: dict[str, Any] = _drop_none({"IpProtocol": i.get("ipProtocol"), "FromPort": i.get("fromPort"),
                                                 "ToPort": i.get("toPort")})
        if i.get("referencedSecurityGroupId") is not None:
            permission["UserIdGroupPairs"] = [_drop_none({"GroupId": i["referencedSecurityGroupId"],
                                                          "Description": i.get("description")})]
        elif i.get("cidrIpv4") is not None:
            permission["IpRanges"] = [_drop_none({"CidrIp": i["cidrIpv4"], "Description": i.get("description")})]
        yield Request("ec2", operation, {"IpPermissions": [permission]}, {"IpPermissions": "description"})
    return build


def _launch_template(p: Payload) -> Iterator[Request]:
    i = p.inputs
    meta = i.get("metadataOptions") or {}
    interfaces = [_drop_none({"DeviceIndex": n.get("deviceIndex"), "NetworkInterfaceId": _text(n.get("networkInterfaceId")),
                              "AssociatePublicIpAddress": _flag(n.get("associatePublicIpAddress")),
                              "DeleteOnTermination": _flag(n.get("deleteOnTermination"))})
                  for n in i.get("networkInterfaces") or []]
    data = _drop_none({
        "InstanceType": i.get("instanceType"),
        "MetadataOptions": _drop_none({"HttpTokens": meta.get("httpTokens"), "HttpEndpoint": meta.get("httpEndpoint"),
                                       "HttpPutResponseHopLimit": meta.get("httpPutResponseHopLimit")}) or None,
        "NetworkInterfaces": interfaces or None})
    yield Request("ec2", "CreateLaunchTemplate", _drop_none({"LaunchTemplateName": physical_name(p),
                                                             "LaunchTemplateData": data or None}),
                  {"LaunchTemplateName": "name", "LaunchTemplateData": "instanceType"})


def _nat_gateway(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("ec2", "CreateNatGateway", _drop_none({
        "AvailabilityMode": i.get("availabilityMode"), "ConnectivityType": i.get("connectivityType"),
        "SubnetId": _text(i.get("subnetId")), "VpcId": _text(i.get("vpcId")),
        "AllocationId": _text(i.get("allocationId"))}),
        {"AvailabilityMode": "availabilityMode", "SubnetId": "subnetId", "VpcId": "vpcId"})


def _network_interface(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("ec2", "CreateNetworkInterface", _drop_none({
        "SubnetId": _text(i.get("subnetId")) or "subnet-0", "Description": i.get("description")}),
        {"Description": "description", "SubnetId": "subnetId"})
    if i.get("sourceDestCheck") is not None:
        yield Request("ec2", "ModifyNetworkInterfaceAttribute", {
            "NetworkInterfaceId": "eni-0", "SourceDestCheck": {"Value": bool(i["sourceDestCheck"])}},
            {"SourceDestCheck": "sourceDestCheck"})


def _route(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("ec2", "CreateRoute", _drop_none({
        "RouteTableId": _text(i.get("routeTableId")) or "rtb-0", "DestinationCidrBlock": i.get("destinationCidrBlock"),
        "NatGatewayId": _text(i.get("natGatewayId")), "GatewayId": _text(i.get("gatewayId")),
        "NetworkInterfaceId": _text(i.get("networkInterfaceId"))}),
        {"DestinationCidrBlock": "destinationCidrBlock"})


def _text(value: Any) -> str | None:
    """An ID known at plan time, or None (unknown until deploy: the check leaves it out)."""
    return value if isinstance(value, str) and value else None


def _flag(value: Any) -> bool | None:
    """The provider's string booleans ("true"/"false") as the API's."""
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(value) if isinstance(value, str) else None


def _asg(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("autoscaling", "CreateAutoScalingGroup", _drop_none({
        "AutoScalingGroupName": physical_name(p), "MinSize": i.get("minSize"), "MaxSize": i.get("maxSize"),
        "DefaultInstanceWarmup": i.get("defaultInstanceWarmup"), "HealthCheckType": i.get("healthCheckType"),
        "DesiredCapacity": i.get("desiredCapacity"), "HealthCheckGracePeriod": i.get("healthCheckGracePeriod"),
    }), {"AutoScalingGroupName": "name"})


# --- IAM ----------------------------------------------------------------------------------


def _role(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("iam", "CreateRole", _drop_none({
        "RoleName": physical_name(p), "Description": i.get("description"),
        "AssumeRolePolicyDocument": i.get("assumeRolePolicy") if isinstance(i.get("assumeRolePolicy"), str)
        else None}), {"RoleName": "name", "Description": "description"})


def _role_policy(p: Payload) -> Iterator[Request]:
    policy = p.inputs.get("policy")
    yield Request("iam", "PutRolePolicy", _drop_none({
        "PolicyName": physical_name(p), "RoleName": p.inputs.get("role") if isinstance(p.inputs.get("role"), str)
        else None, "PolicyDocument": policy if isinstance(policy, str) else None}), {"PolicyName": "name"})


def _instance_profile(p: Payload) -> Iterator[Request]:
    yield Request("iam", "CreateInstanceProfile", {"InstanceProfileName": physical_name(p)},
                  {"InstanceProfileName": "name"})


# --- logs, registry, queues, namespaces -----------------------------------------------------


def _log_group(p: Payload) -> Iterator[Request]:
    i = p.inputs
    name = physical_name(p)
    yield Request("logs", "CreateLogGroup", _drop_none({"logGroupName": name, "kmsKeyId": i.get("kmsKeyId")}),
                  {"logGroupName": "name"})
    if i.get("retentionInDays") is not None:
        yield Request("logs", "PutRetentionPolicy", {"logGroupName": name, "retentionInDays": i["retentionInDays"]},
                      {"retentionInDays": "retentionInDays"})


def _repository(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("ecr", "CreateRepository", _drop_none({
        "repositoryName": physical_name(p), "imageTagMutability": i.get("imageTagMutability"),
        "imageScanningConfiguration": i.get("imageScanningConfiguration"),
    }), {"repositoryName": "name"})


def _lifecycle_policy(p: Payload) -> Iterator[Request]:
    text = p.inputs.get("policy")
    repository = p.inputs.get("repository")
    yield Request("ecr", "PutLifecyclePolicy", _drop_none({
        "repositoryName": repository if isinstance(repository, str) else None,
        "lifecyclePolicyText": text if isinstance(text, str) else None}), {"lifecyclePolicyText": "policy"})


def _queue(p: Payload) -> Iterator[Request]:
    i = p.inputs
    fifo = _flag(i.get("fifoQueue"))
    name = physical_name(p)
    if fifo and not (isinstance(i.get("name"), str) and i.get("name")):
        name += FIFO_SUFFIX  # pulumi-aws appends it to a FIFO queue's auto-name (deploy.aws.naming.FIFO_SUFFIX)
    redrive = i.get("redrivePolicy")
    # CreateQueue takes its attributes as strings ("Valid values are true and false").
    attributes = {k: ("true" if v else "false") if isinstance(v, bool) else v for k, v in _drop_none({
        "FifoQueue": fifo, "ContentBasedDeduplication": _flag(i.get("contentBasedDeduplication")),
        "RedrivePolicy": redrive if isinstance(redrive, str) else None}).items()}
    yield Request("sqs", "CreateQueue", _drop_none({"QueueName": name, "Attributes": attributes or None}),
                  {"QueueName": "name", "Attributes.FifoQueue": "fifoQueue",
                   "Attributes.ContentBasedDeduplication": "contentBasedDeduplication",
                   "Attributes.RedrivePolicy": "redrivePolicy"})


def _namespace(p: Payload) -> Iterator[Request]:
    yield Request("servicediscovery", "CreateHttpNamespace", _drop_none({
        "Name": p.inputs.get("name"), "Description": p.inputs.get("description")}),
        {"Name": "name", "Description": "description"})


# --- load balancing -----------------------------------------------------------------------


def _load_balancer(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("elbv2", "CreateLoadBalancer", _drop_none({
        "Name": physical_name(p), "Type": i.get("loadBalancerType"),
        "Scheme": "internal" if i.get("internal") else "internet-facing"}), {"Name": "name"})


def _target_group(p: Payload) -> Iterator[Request]:
    i = p.inputs
    hc = i.get("healthCheck") or {}
    # The provider sends the matcher as gRPC codes for a GRPC target group, else as HTTP codes
    # (terraform-provider-aws internal/service/elbv2/target_group.go, resourceTargetGroupCreate).
    codes = "GrpcCode" if i.get("protocolVersion") == "GRPC" else "HttpCode"
    yield Request("elbv2", "CreateTargetGroup", _drop_none({
        "Name": physical_name(p), "Protocol": i.get("protocol"), "ProtocolVersion": i.get("protocolVersion"),
        "Port": i.get("port"), "TargetType": i.get("targetType"), "HealthCheckPath": hc.get("path"),
        "HealthCheckIntervalSeconds": hc.get("interval"), "HealthCheckTimeoutSeconds": hc.get("timeout"),
        "HealthyThresholdCount": hc.get("healthyThreshold"), "UnhealthyThresholdCount": hc.get("unhealthyThreshold"),
        "Matcher": {codes: hc["matcher"]} if hc.get("matcher") else None,
    }), {"Name": "name", "Matcher": "healthCheck.matcher", "ProtocolVersion": "protocolVersion",
         "HealthCheckPath": "healthCheck.path"})
    # Then the attributes, in one ModifyTargetGroupAttributes call (the provider's targetGroupAttributes).
    attributes = []
    if i.get("deregistrationDelay") is not None:
        attributes.append({"Key": "deregistration_delay.timeout_seconds", "Value": str(i["deregistrationDelay"])})
    sticky = i.get("stickiness")
    if isinstance(sticky, Mapping):
        attributes.append({"Key": "stickiness.enabled", "Value": "true" if sticky.get("enabled", True) else "false"})
        if sticky.get("type") is not None:
            attributes.append({"Key": "stickiness.type", "Value": str(sticky["type"])})
        if sticky.get("type") == "lb_cookie" and sticky.get("cookieDuration") is not None:
            attributes.append({"Key": "stickiness.lb_cookie.duration_seconds", "Value": str(sticky["cookieDuration"])})
    if attributes:
        yield Request("elbv2", "ModifyTargetGroupAttributes", {"Attributes": attributes},
                      {"Attributes": "stickiness" if isinstance(sticky, Mapping) else "deregistrationDelay"})


def _listener(p: Payload) -> Iterator[Request]:
    """CreateListener: the production listeners and the deployment test listeners (`testTraffic.port`)."""
    i = p.inputs
    certificate = i.get("certificateArn")
    yield Request("elbv2", "CreateListener", _drop_none({
        "Port": i.get("port"), "Protocol": i.get("protocol"), "SslPolicy": i.get("sslPolicy"),
        "Certificates": [{"CertificateArn": certificate}] if isinstance(certificate, str) else None,
        "DefaultActions": [_drop_none({"Type": a.get("type")}) for a in i.get("defaultActions") or []] or None,
    }), {"Port": "port", "Protocol": "protocol", "SslPolicy": "sslPolicy"})


def _listener_rule(p: Payload) -> Iterator[Request]:
    i = p.inputs
    conditions = []
    for c in i.get("conditions") or []:
        if c.get("pathPattern"):
            conditions.append({"Field": "path-pattern", "PathPatternConfig": _pascal(c["pathPattern"])})
        if c.get("hostHeader"):
            conditions.append({"Field": "host-header", "HostHeaderConfig": _pascal(c["hostHeader"])})
        if c.get("sourceIp"):
            conditions.append({"Field": "source-ip", "SourceIpConfig": _drop_none({
                "Values": (c["sourceIp"] or {}).get("values")})})
        if c.get("httpHeader"):
            h = c["httpHeader"]
            conditions.append({"Field": "http-header", "HttpHeaderConfig": _drop_none({
                "HttpHeaderName": h.get("httpHeaderName"), "Values": h.get("values")})})
    actions = []
    for a in i.get("actions") or []:
        action = _drop_none({"Type": a.get("type"), "TargetGroupArn": a.get("targetGroupArn")})
        forward = a.get("forward")
        if isinstance(forward, Mapping):
            action["ForwardConfig"] = {"TargetGroups": [_drop_none({"TargetGroupArn": t.get("arn"),
                                                                    "Weight": t.get("weight")})
                                                        for t in forward.get("targetGroups") or []]}
        actions.append(action)
    yield Request("elbv2", "CreateRule", _drop_none({"Priority": i.get("priority"), "Conditions": conditions,
                                                     "Actions": actions or None}),
                  {"Conditions": "conditions", "Priority": "priority", "Actions": "actions"})


def _certificate(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("acm", "RequestCertificate", _drop_none({
        "DomainName": i.get("domainName"), "ValidationMethod": i.get("validationMethod"),
        "SubjectAlternativeNames": i.get("subjectAlternativeNames") or None}),
        {"DomainName": "domainName", "SubjectAlternativeNames": "subjectAlternativeNames"})


def _web_acl_association(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("wafv2", "AssociateWebACL", _drop_none({
        "WebACLArn": _text(i.get("webAclArn")), "ResourceArn": _text(i.get("resourceArn"))}),
        {"WebACLArn": "webAclArn", "ResourceArn": "resourceArn"})


# --- scaling, alarms and dashboards ---------------------------------------------------------


def _bound(value: Any) -> Any:
    """Step bounds are strings in the provider's schema and doubles in the API."""
    try:
        return float(value) if isinstance(value, str) else value
    except ValueError:
        return value


def _scaling_policy(p: Payload) -> Iterator[Request]:
    i = p.inputs
    step = i.get("stepScalingPolicyConfiguration")
    if isinstance(step, Mapping):
        step = {**step, "stepAdjustments": [
            {**s, **{k: _bound(s[k]) for k in ("metricIntervalLowerBound", "metricIntervalUpperBound") if k in s}}
            for s in step.get("stepAdjustments") or []]}
    yield Request("application-autoscaling", "PutScalingPolicy", _drop_none({
        "PolicyName": physical_name(p), "ServiceNamespace": i.get("serviceNamespace"),
        "ResourceId": i.get("resourceId"), "ScalableDimension": i.get("scalableDimension"),
        "PolicyType": i.get("policyType"), "StepScalingPolicyConfiguration": _pascal(step),
        "TargetTrackingScalingPolicyConfiguration": _pascal(i.get("targetTrackingScalingPolicyConfiguration")),
        "PredictiveScalingPolicyConfiguration": _pascal(_predictive(i.get("predictiveScalingPolicyConfiguration"))),
    }), {"PolicyName": "name"})


def _predictive(config: Any) -> Any:
    """A metric specification's target is a string in the provider's schema and a double in the API."""
    if not isinstance(config, Mapping):
        return config
    return {**config, "metricSpecifications": [
        {**m, "targetValue": _bound(m["targetValue"])} if isinstance(m, Mapping) and "targetValue" in m else m
        for m in config.get("metricSpecifications") or []]}


def _scheduled_action(p: Payload) -> Iterator[Request]:
    i = p.inputs
    # PutScheduledAction; the action's name is the `name` input (Required in the provider's schema).
    yield Request("application-autoscaling", "PutScheduledAction", _drop_none({
        "ScheduledActionName": physical_name(p), "ServiceNamespace": i.get("serviceNamespace"),
        "ResourceId": i.get("resourceId"), "ScalableDimension": i.get("scalableDimension"),
        "Schedule": i.get("schedule"), "Timezone": i.get("timezone"),
        "ScalableTargetAction": _pascal(i.get("scalableTargetAction")),
        "StartTime": i.get("startTime"), "EndTime": i.get("endTime")}),
        {"ScheduledActionName": "name", "Schedule": "schedule", "Timezone": "timezone",
         "ScalableTargetAction": "scalableTargetAction", "StartTime": "startTime", "EndTime": "endTime"})


def _scaling_target(p: Payload) -> Iterator[Request]:
    i = p.inputs
    yield Request("application-autoscaling", "RegisterScalableTarget", _drop_none({
        "ServiceNamespace": i.get("serviceNamespace"), "ResourceId": i.get("resourceId"),
        "ScalableDimension": i.get("scalableDimension"), "MinCapacity": i.get("minCapacity"),
        "MaxCapacity": i.get("maxCapacity")}))


def _alarm(p: Payload) -> Iterator[Request]:
    i = p.inputs
    metrics = []
    for q in i.get("metricQueries") or []:
        metric = q.get("metric")
        entry = _drop_none({"Id": q.get("id"), "Expression": q.get("expression"), "Label": q.get("label"),
                            "ReturnData": q.get("returnData")})
        if isinstance(metric, Mapping):
            dims = metric.get("dimensions") or {}
            entry["MetricStat"] = _drop_none({
                "Metric": _drop_none({"Namespace": metric.get("namespace"), "MetricName": metric.get("metricName"),
                                      "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()] or None}),
                "Period": metric.get("period"), "Stat": metric.get("stat")})
        metrics.append(entry)
    dims = i.get("dimensions") or {}
    yield Request("cloudwatch", "PutMetricAlarm", _drop_none({
        "AlarmName": physical_name(p), "AlarmDescription": i.get("alarmDescription"),
        "EvaluationPeriods": i.get("evaluationPeriods"), "DatapointsToAlarm": i.get("datapointsToAlarm"),
        "Threshold": i.get("threshold"),
        "ComparisonOperator": i.get("comparisonOperator"), "TreatMissingData": i.get("treatMissingData"),
        "Namespace": i.get("namespace"), "MetricName": i.get("metricName"), "Statistic": i.get("statistic"),
        "Period": i.get("period"), "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()] or None,
        "Metrics": metrics or None, "AlarmActions": i.get("alarmActions"), "OKActions": i.get("okActions")}),
        {"AlarmName": "name", "Metrics": "metricQueries", "Namespace": "namespace", "MetricName": "metricName"})


# --- notifications ------------------------------------------------------------------------


def _topic(p: Payload) -> Iterator[Request]:
    yield Request("sns", "CreateTopic", {"Name": physical_name(p)}, {"Name": "name"})


def _topic_policy(p: Payload) -> Iterator[Request]:
    arn, policy = p.inputs.get("arn"), p.inputs.get("policy")
    yield Request("sns", "SetTopicAttributes", _drop_none({
        "TopicArn": arn if isinstance(arn, str) else None, "AttributeName": "Policy",
        "AttributeValue": policy if isinstance(policy, str) else None}), {"AttributeValue": "policy"})


def _subscription(p: Payload) -> Iterator[Request]:
    i = p.inputs
    topic = i.get("topic")
    yield Request("sns", "Subscribe", _drop_none({
        "TopicArn": topic if isinstance(topic, str) else None, "Protocol": i.get("protocol"),
        "Endpoint": i.get("endpoint")}), {"Protocol": "protocol", "Endpoint": "endpoint"})


def _dashboard(p: Payload) -> Iterator[Request]:
    body = p.inputs.get("dashboardBody")
    yield Request("cloudwatch", "PutDashboard", _drop_none({
        "DashboardName": physical_name(p, "dashboardName"), "DashboardBody": body if isinstance(body, str) else None}),
        {"DashboardName": "dashboardName", "DashboardBody": "dashboardBody"})


BUILDERS: dict[str, Callable[[Payload], Iterator[Request]]] = {
    t.TASK_DEFINITION: _task_definition,
    t.SERVICE: _service,
    t.CLUSTER: _cluster,
    t.CAPACITY_PROVIDER: _capacity_provider,
    t.SCHEDULE: _schedule,
    t.SECURITY_GROUP: _security_group,
    t.INGRESS_RULE: _rule("AuthorizeSecurityGroupIngress"),
    t.EGRESS_RULE: _rule("AuthorizeSecurityGroupEgress"),
    t.LAUNCH_TEMPLATE: _launch_template,
    t.ASG: _asg,
    t.NAT_GATEWAY: _nat_gateway,
    t.NETWORK_INTERFACE: _network_interface,
    t.ROUTE: _route,
    t.ROLE: _role,
    t.ROLE_POLICY: _role_policy,
    t.INSTANCE_PROFILE: _instance_profile,
    t.LOG_GROUP: _log_group,
    t.REPOSITORY: _repository,
    t.LIFECYCLE_POLICY: _lifecycle_policy,
    t.QUEUE: _queue,
    t.HTTP_NAMESPACE: _namespace,
    t.LOAD_BALANCER: _load_balancer,
    t.TARGET_GROUP: _target_group,
    t.LISTENER: _listener,
    t.LISTENER_RULE: _listener_rule,
    t.CERTIFICATE: _certificate,
    t.WEB_ACL_ASSOCIATION: _web_acl_association,
    t.SCALING_POLICY: _scaling_policy,
    t.SCALING_TARGET: _scaling_target,
    t.SCHEDULED_ACTION: _scheduled_action,
    t.METRIC_ALARM: _alarm,
    t.SNS_TOPIC: _topic,
    t.SNS_TOPIC_POLICY: _topic_policy,
    t.SNS_SUBSCRIPTION: _subscription,
    t.DASHBOARD: _dashboard,
    t.EFS_FILE_SYSTEM: _file_system,
    t.EFS_MOUNT_TARGET: _mount_target,
    t.EFS_BACKUP_POLICY: _backup_policy,
}


def requests(p: Payload) -> list[Request]:
    """The API calls that create `p`, as far as they follow from its inputs."""
    builder = BUILDERS.get(p.type)
    return list(builder(p)) if builder is not None else []
