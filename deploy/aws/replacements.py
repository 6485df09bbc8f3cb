"""Inputs whose change replaces a resource, per resource type the stack creates (pure data).

pulumi-aws is bridged from the Terraform AWS provider and follows its schema: an attribute
marked `ForceNew: true` cannot be updated in place, so changing it deletes and recreates
the resource (Pulumi creates the new one first unless `deleteBeforeReplace`). Each entry
cites the provider source file whose schema it reads (github.com/hashicorp/
terraform-provider-aws, `internal/service/...`), names the inputs in the camelCase of the
Pulumi SDK and the plan JSON, and says what a replacement means for that resource.

Inputs are top-level; a nested path (`networkConfiguration.subnets`) is covered by its
top-level input when that one is listed. Where the provider forces a replacement from a
`CustomizeDiff` function instead of the schema, `notes` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from . import tokens as tok

_TF: Final = "terraform-provider-aws "


@dataclass(frozen=True)
class Replacement:
    inputs: tuple[str, ...]
    """Top-level inputs whose change replaces the resource."""
    source: str
    """The provider source file whose schema marks them `ForceNew`."""
    consequence: str
    """What a replacement (or deletion) means for this resource, for a person."""
    routine: bool = False
    """Replacement is the normal way this resource changes (an immutable revision)."""
    notes: tuple[str, ...] = ()


_TAGS_ONLY = "a new resource with a new ID; what refers to it follows the new ID"

REPLACEMENTS: Final[dict[str, Replacement]] = {
    # --- network -------------------------------------------------------------------------
    tok.VPC: Replacement(
        ("cidrBlock", "instanceTenancy"), _TF + "internal/service/ec2/vpc_.go",
        "a new VPC: every subnet, security group, endpoint, NAT gateway and task in it is replaced"),
    tok.SUBNET: Replacement(
        ("vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"), _TF + "internal/service/ec2/vpc_subnet.go",
        "a new subnet: the tasks, NAT gateways and load balancer nodes in it move to the new one"),
    tok.ROUTE_TABLE: Replacement(
        ("vpcId",), _TF + "internal/service/ec2/vpc_route_table.go",
        "a new route table: its subnets are associated with the new one"),
    tok.ROUTE: Replacement(
        ("routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"),
        _TF + "internal/service/ec2/vpc_route.go",
        "the route is removed and added again: traffic on it stops for a moment"),
    tok.ROUTE_TABLE_ASSOCIATION: Replacement(
        ("subnetId", "gatewayId"), _TF + "internal/service/ec2/vpc_route_table_association.go",
        "the subnet is associated again: its traffic follows the main route table for a moment"),
    tok.INTERNET_GATEWAY: Replacement(
        (), _TF + "internal/service/ec2/vpc_internet_gateway.go", _TAGS_ONLY,
        notes=("vpcId is updated in place (detach, attach)",)),
    tok.NAT_GATEWAY: Replacement(
        ("allocationId", "connectivityType", "subnetId", "privateIp"), _TF + "internal/service/ec2/vpc_nat_gateway.go",
        "a new NAT gateway: outbound connections of the private subnets through it are cut and must reconnect"),
    tok.EIP: Replacement(
        ("domain", "publicIpv4Pool", "networkBorderGroup"), _TF + "internal/service/ec2/ec2_eip.go",
        "a new public IP address: anything allow-listing the old address stops admitting the stack's traffic"),
    tok.SECURITY_GROUP: Replacement(
        ("name", "namePrefix", "description", "vpcId"), _TF + "internal/service/ec2/vpc_security_group.go",
        "a new security group: the tasks or load balancer using it are moved to the new group"),
    tok.DEFAULT_SECURITY_GROUP: Replacement(
        ("vpcId",), _TF + "internal/service/ec2/vpc_default_security_group.go",
        "the VPC's default group is adopted again and its rules removed"),
    tok.INGRESS_RULE: Replacement(
        ("securityGroupId",), _TF + "internal/service/vpc/security_group_ingress_rule.go",
        "the rule is removed and added again: connections it admits are refused for a moment"),
    tok.EGRESS_RULE: Replacement(
        ("securityGroupId",), _TF + "internal/service/vpc/security_group_egress_rule.go",
        "the rule is removed and added again: connections it admits are refused for a moment"),
    tok.FLOW_LOG: Replacement(
        ("vpcId", "subnetId", "eniId", "trafficType", "logDestination", "logDestinationType", "logFormat",
         "iamRoleArn", "maxAggregationInterval", "destinationOptions"),
        _TF + "internal/service/ec2/vpc_flow_log.go",
        "a new flow log: records are not captured between the deletion and the creation"),
    tok.VPC_ENDPOINT: Replacement(
        ("vpcId", "serviceName", "vpcEndpointType"), _TF + "internal/service/ec2/vpc_endpoint.go",
        "a new endpoint: tasks that reach AWS through it lose that path until the new one is available"),
    # --- compute ---------------------------------------------------------------------------
    tok.LAUNCH_TEMPLATE: Replacement(
        ("name", "namePrefix"), _TF + "internal/service/ec2/ec2_launch_template.go",
        "a new launch template: the Auto Scaling group refers to the new one"),
    tok.ASG: Replacement(
        ("name", "namePrefix"), _TF + "internal/service/autoscaling/group.go",
        "a new Auto Scaling group: every container instance is replaced and the tasks on them rescheduled"),
    tok.CAPACITY_PROVIDER: Replacement(
        ("name", "autoScalingGroupProvider.autoScalingGroupArn"), _TF + "internal/service/ecs/capacity_provider.go",
        "a new capacity provider: services using it must move to the new one"),
    # --- IAM -------------------------------------------------------------------------------
    tok.ROLE: Replacement(
        ("name", "namePrefix", "path"), _TF + "internal/service/iam/role.go",
        "a new role with a new ARN: what assumes it (tasks, schedules, instances) follows the new ARN"),
    tok.ROLE_POLICY: Replacement(
        ("name", "namePrefix", "role"), _TF + "internal/service/iam/role_policy.go",
        "the inline policy is written again: permissions it grants are missing for a moment"),
    tok.ROLE_POLICY_ATTACHMENT: Replacement(
        ("policyArn", "role"), _TF + "internal/service/iam/role_policy_attachment.go",
        "the managed policy is attached again: its permissions are missing for a moment"),
    tok.INSTANCE_PROFILE: Replacement(
        ("name", "namePrefix"), _TF + "internal/service/iam/instance_profile.go",
        "a new instance profile: new container instances use it"),
    # --- ECS -------------------------------------------------------------------------------
    tok.CLUSTER: Replacement(
        ("name",), _TF + "internal/service/ecs/cluster.go",
        "a new ECS cluster: every service and task in it is recreated (downtime)"),
    tok.CLUSTER_CAPACITY_PROVIDERS: Replacement(
        ("clusterName",), _TF + "internal/service/ecs/cluster_capacity_providers.go",
        "the cluster's capacity providers are set again"),
    tok.ACCOUNT_SETTING: Replacement(
        ("name",), _TF + "internal/service/ecs/account_setting_default.go", "the account setting is set again"),
    tok.TASK_DEFINITION: Replacement(
        ("family", "containerDefinitions", "cpu", "memory", "networkMode", "executionRoleArn", "taskRoleArn",
         "requiresCompatibilities", "runtimePlatform", "volumes", "placementConstraints", "ephemeralStorage",
         "pidMode", "ipcMode", "proxyConfiguration"),
        _TF + "internal/service/ecs/task_definition.go",
        "a new task definition revision; the service rolls its tasks to it", routine=True,
        notes=("task definitions are immutable in ECS: every change registers a new revision",)),
    tok.SERVICE: Replacement(
        ("name", "cluster", "launchType", "schedulingStrategy", "iamRole", "capacityProviderStrategies"),
        _TF + "internal/service/ecs/service.go",
        "the ECS service is deleted and recreated: its tasks stop, and requests fail until the new tasks are healthy",
        notes=("capacityProviderStrategies is not ForceNew in the schema: capacityProviderStrategyCustomizeDiff "
               "forces the replacement unless forceNewDeployment is true, and the newest provider versions refuse "
               "the update instead (\"force_new_deployment should be true when capacity_provider_strategy is being "
               "updated\"); either way the change cannot be applied to the running service as it is",
               "loadBalancers, deploymentController and networkConfiguration are updated in place")),
    # --- registry ----------------------------------------------------------------------------
    tok.REPOSITORY: Replacement(
        ("name", "encryptionConfigurations"), _TF + "internal/service/ecr/repository.go",
        "a new ECR repository: the images in the old one are not carried over and are deleted with it"),
    tok.LIFECYCLE_POLICY: Replacement(
        ("repository",), _TF + "internal/service/ecr/lifecycle_policy.go", "the lifecycle policy is set again"),
    tok.REPOSITORY_POLICY: Replacement(
        ("repository",), _TF + "internal/service/ecr/repository_policy.go", "the repository policy is set again"),
    tok.IMAGE: Replacement(
        (), "awsx ecr.Image (a component: a build and push, no AWS resource of its own)",
        "the image is built and pushed again"),
    # --- load balancing ------------------------------------------------------------------------
    tok.LOAD_BALANCER: Replacement(
        ("name", "namePrefix", "internal", "loadBalancerType"), _TF + "internal/service/elbv2/load_balancer.go",
        "a new ALB with a new DNS name: clients and DNS records that use the old name stop reaching the stack"),
    tok.LISTENER: Replacement(
        ("loadBalancerArn",), _TF + "internal/service/elbv2/listener.go",
        "the listener is recreated: connections on its port are refused for a moment"),
    tok.LISTENER_RULE: Replacement(
        ("listenerArn",), _TF + "internal/service/elbv2/listener_rule.go",
        "the rule is recreated: requests it routes fall to the default action for a moment"),
    tok.TARGET_GROUP: Replacement(
        ("name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"),
        _TF + "internal/service/elbv2/target_group.go",
        "a new target group: the service's tasks are registered again and the listener rule points to the new group"),
    tok.CERTIFICATE: Replacement(
        ("domainName", "subjectAlternativeNames", "validationMethod", "privateKey", "certificateBody",
         "certificateChain", "certificateAuthorityArn"),
        _TF + "internal/service/acm/certificate.go",
        "a new certificate: it must be validated again before the HTTPS listener can use it"),
    tok.CERTIFICATE_VALIDATION: Replacement(
        ("certificateArn", "validationRecordFqdns"), _TF + "internal/service/acm/certificate_validation.go",
        "the validation is awaited again"),
    tok.RECORD: Replacement(
        ("zoneId", "name", "type", "setIdentifier"), _TF + "internal/service/route53/record.go",
        "the DNS record is deleted and created again: lookups fail until resolvers see the new one"),
    # --- logs, alarms, scaling -------------------------------------------------------------------
    tok.LOG_GROUP: Replacement(
        ("name", "namePrefix", "logGroupClass"), _TF + "internal/service/logs/group.go",
        "a new log group: the old one and its logs are deleted with it unless retained"),
    tok.METRIC_ALARM: Replacement(
        ("name",), _TF + "internal/service/cloudwatch/metric_alarm.go",
        "a new alarm: its state and history start again"),
    tok.SCALING_TARGET: Replacement(
        ("resourceId", "scalableDimension", "serviceNamespace"), _TF + "internal/service/appautoscaling/target.go",
        "the scalable target is registered again with its policies"),
    tok.SCALING_POLICY: Replacement(
        ("name", "resourceId", "scalableDimension", "serviceNamespace"),
        _TF + "internal/service/appautoscaling/policy.go",
        "the scaling policy is recreated: its alarms are created again"),
    # --- queues, schedules, discovery --------------------------------------------------------------
    tok.QUEUE: Replacement(
        ("name", "namePrefix", "fifoQueue"), _TF + "internal/service/sqs/queue.go",
        "a new queue with a new URL: messages waiting in the old one are lost with it"),
    tok.SCHEDULE: Replacement(
        ("name", "namePrefix", "groupName"), _TF + "internal/service/scheduler/schedule.go",
        "a new schedule: a run due while it is recreated may be missed"),
    tok.HTTP_NAMESPACE: Replacement(
        ("name",), _TF + "internal/service/servicediscovery/http_namespace.go",
        "a new Cloud Map namespace: every service using Service Connect is redeployed into it"),
}


READ_IN_SOURCE: Final = frozenset({tok.SERVICE})
"""Types whose entry was checked line by line against the provider source at the commit cited in
docs/diff.md; the others follow the same files' schemas as documented in the provider's resource
reference and are checked against the SDK's argument names by the tests."""


def entry(type_token: str) -> Replacement | None:
    return REPLACEMENTS.get(type_token)


def forces_replacement(type_token: str, path: str) -> bool:
    """Whether changing the input at `path` (`cidrBlock`, `networkConfiguration.subnets`,
    `containerDefinitions[0].image`) replaces a resource of `type_token`."""
    found = REPLACEMENTS.get(type_token)
    if found is None:
        return False
    return any(path == p or path.startswith((p + ".", p + "[")) for p in found.inputs)
