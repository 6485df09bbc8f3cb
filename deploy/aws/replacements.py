"""Inputs whose change replaces a resource, per resource type the stack creates (pure data).

pulumi-aws is bridged from the Terraform AWS provider and follows its schema: an attribute
marked `ForceNew: true` (`RequiresReplace()` in the plugin-framework resources) cannot be
updated in place, so changing it deletes the resource and creates a new one (Pulumi
creates the new one first unless `deleteBeforeReplace`). Each entry names those inputs in
the camelCase of the Pulumi SDK and of the plan JSON (`cidr_block` -> `cidrBlock`; the
bridge also renames some: `capacity_provider_strategy` -> `capacityProviderStrategies`,
`volume` -> `volumes`, a metric alarm's `alarm_name` -> `name`), cites the provider source
file it was read from (github.com/hashicorp/terraform-provider-aws, `internal/service/...`)
with the commit of that copy where the copy names it, and says in plain words what a
replacement means for that resource.

Inputs are top-level. A dotted path (`autoScalingGroupProvider.autoScalingGroupArn`) is
a nested attribute that is itself `ForceNew`; a top-level input covers everything under
it (`containerDefinitions[0].image`). Replacements forced from a `CustomizeDiff` (or a
framework `ModifyPlan`) depend on the old and new values, not on the attribute alone:
they are listed in `conditional`, each with the condition. `assumed` marks the ones whose
condition the stack's own configuration always meets; `forces_replacement` counts those.

`region` is replacing on every Region-aware resource (provider 6.0 added it to all but
the global services, IAM and Route 53 here): the provider guide says "Changing the value
of `region` will force resource replacement." (`website/docs/guides/
enhanced-region-support.html.markdown`). The stack sets the Region on the provider, so
plans rarely carry it as an input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from . import tokens as tok

PROVIDER: Final = "terraform-provider-aws"
REGION: Final = "region"
REGION_SOURCE: Final = PROVIDER + " website/docs/guides/enhanced-region-support.html.markdown"


@dataclass(frozen=True)
class Conditional:
    """A replacement the provider forces from the old and new values (`CustomizeDiff`)."""

    input: str
    """The input (camelCase, top-level or dotted) whose change may replace the resource."""
    when: str
    """When it does, and the provider function that decides it."""
    assumed: bool = False
    """The stack's configuration always meets the condition: count the input as replacing."""


@dataclass(frozen=True)
class Replacement:
    inputs: tuple[str, ...]
    """Inputs whose change replaces the resource (`ForceNew` in the provider schema)."""
    source: str
    """The provider source file whose schema was read: `terraform-provider-aws internal/service/...`."""
    consequence: str
    """What a replacement means for this resource, for a person."""
    routine: bool = False
    """Replacement is the normal way this resource changes (an immutable revision)."""
    notes: tuple[str, ...] = ()
    conditional: tuple[Conditional, ...] = ()
    commit: str = ""
    """The commit of the copy of `source` that was read; empty where that copy names none."""


def _tf(path: str) -> str:
    return f"{PROVIDER} internal/service/{path}"


def _regional(*inputs: str) -> tuple[str, ...]:
    return (*inputs, REGION)


_RULE_PEERS: Final = ("cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId")


def _rule_peer_kind(side: str) -> tuple[Conditional, ...]:
    """A security group rule whose peer changes kind is replaced (its ModifyPlan sets RequiresReplace)."""
    return tuple(Conditional(name, f"the rule's {side} changes kind, to or from {name} (between "
                                   + ", ".join(_RULE_PEERS) + "); a new value of the same kind is in place")
                 for name in _RULE_PEERS)


_NEWER_INPUTS = "inputs of the installed SDK that the source read does not have (not confirmed): "

REPLACEMENTS: Final[dict[str, Replacement]] = {
    # --- network -------------------------------------------------------------------------
    tok.VPC: Replacement(
        _regional("cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"),
        _tf("ec2/vpc_.go"),
        "a new VPC: every subnet, route table, security group, endpoint, NAT gateway, load balancer and task in it"
        " is replaced with it",
        commit="00081ce41cc691433ac19bf42227cdabffd0454d",
        notes=("enableDnsHostnames, enableDnsSupport and the IPv6 settings are updated in place",
               "resourceVPCCustomizeDiff ignores a cidrBlock change when ipv4NetmaskLength is set (IPAM)"),
        conditional=(Conditional(
            "instanceTenancy",
            "any change except dedicated -> default (resourceVPCCustomizeDiff forces it new; that one change is"
            " ModifyVpcTenancy)",
            assumed=True),)),
    tok.SUBNET: Replacement(
        _regional("vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "ipv4IpamPoolId",
                  "ipv4NetmaskLength", "ipv6IpamPoolId", "ipv6Native", "ipv6NetmaskLength", "outpostArn"),
        _tf("ec2/vpc_subnet.go"),
        "a new subnet: every task, NAT gateway, endpoint and load balancer network interface in it is replaced"
        " in the new one",
        commit="00cda125a19d31754cb0d073cf551264c57955cb",
        notes=("mapPublicIpOnLaunch and the DNS/IPv6 assignment flags are updated in place",),
        conditional=(Conditional(
            "ipv6CidrBlock",
            "a change of the IPv6 block while assignIpv6AddressOnCreation was true (customdiff.ForceNewIf)"),)),
    tok.ROUTE_TABLE: Replacement(
        _regional("vpcId"),
        _tf("ec2/vpc_route_table.go"),
        "a new route table: its subnets are associated with the new one and follow the main route table until then",
        commit="022092419b7cda11527df3c6b51cbfe1876c1722",
        notes=("inline routes and propagatingVgws are updated in place",)),
    tok.ROUTE: Replacement(
        _regional("routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"),
        _tf("ec2/vpc_route.go"),
        "the route is deleted and created again: traffic to that destination has no path until it is back",
        commit="0128541e0711766f28540143a9d73738aced60aa",
        notes=("a new target (gatewayId, natGatewayId, ...) is ReplaceRoute, in place",)),
    tok.ROUTE_TABLE_ASSOCIATION: Replacement(
        _regional("subnetId", "gatewayId"),
        _tf("ec2/vpc_route_table_association.go"),
        "the subnet is associated again: its traffic follows the VPC's main route table for a moment",
        commit="0be71beb458ad8875e0acc5c91519c0ceeb214aa",
        notes=("routeTableId is updated in place (ReplaceRouteTableAssociation)",)),
    tok.INTERNET_GATEWAY: Replacement(
        _regional(),
        _tf("ec2/vpc_internet_gateway.go"),
        "a new internet gateway: the public subnets lose their internet route until their routes point to it",
        commit="08923b68b5ad6fcfdd38362fb5247e39a9b07add",
        notes=("no attribute of the schema is ForceNew; vpcId is updated in place (detach, attach)",)),
    tok.NAT_GATEWAY: Replacement(
        _regional("allocationId", "availabilityMode", "connectivityType", "privateIp", "subnetId", "vpcId"),
        _tf("ec2/vpc_nat_gateway.go"),
        "a new NAT gateway: outbound connections from the private subnets through it are cut and must reconnect",
        notes=("the secondary addresses are associated and disassociated in place",),
        conditional=(
            Conditional("secondaryPrivateIpAddressCount",
                        "a change on a private NAT gateway (connectivityType private; resourceNATGatewayCustomizeDiff)"),
            Conditional("availabilityZoneAddresses",
                        "a regional NAT gateway switching between automatic and listed zones, i.e. the list going from"
                        " empty to set or back (validateRegionalNATGatewayAvailabilityZoneAddress)"),
        )),
    tok.DASHBOARD: Replacement(
        _regional("dashboardName"),
        _tf("cloudwatch/dashboard.go"),
        "a new dashboard under the new name; the old one is deleted with its layout",
        commit="0620f2a6a126dfcbc4aecbc9a117b0fbea1656ff",
        notes=("the body is PutDashboard, in place",)),
    tok.EIP: Replacement(
        _regional("address", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool"),
        _tf("ec2/ec2_eip.go"),
        "a new public IP address: anything that allow-lists the old address stops admitting the stack's traffic",
        commit="01606926a0c0ab9174aec440f976a48b0baee722",
        notes=("the association (instance, networkInterface) is updated in place",)),
    tok.NETWORK_INTERFACE: Replacement(
        _regional("subnetId", "interfaceType"),
        _tf("ec2/vpc_network_interface.go"),
        "a new network interface with a new private IP: a NAT instance's routes and Elastic IP move to it, "
        "and its instance is replaced to attach it",
        commit="01c08000ddb14181b5bd19201d8fca311dc570e4",
        notes=("sourceDestCheck, securityGroups and description are modified in place",),
        conditional=(
            Conditional("privateIps", "a new set that no longer holds the primary private IP (ForceNewIf)"),
            Conditional("privateIpLists", "a different first (primary) address with privateIpListEnabled "
                                         "(ForceNewIf)"),
        )),
    tok.SECURITY_GROUP: Replacement(
        _regional("name", "namePrefix", "description", "vpcId"),
        _tf("ec2/vpc_security_group.go"),
        "a new security group: the tasks, endpoints and load balancer using it move to the new group, and rules"
        " that reference the old one follow its new ID",
        commit="01606926a0c0ab9174aec440f976a48b0baee722",
        notes=("name and namePrefix are auto-named by Pulumi: a new logical name gives a new physical name",
               "inline ingress and egress rules are updated in place")),
    tok.DEFAULT_SECURITY_GROUP: Replacement(
        _regional("vpcId"),
        _tf("ec2/vpc_default_security_group.go"),
        "the VPC's default group is adopted again and its rules are removed and written again",
        commit="01f431114674c27cf790fafb67ac274bf8f765e1",
        notes=("deleting it only forgets it (schema.NoopContext); the group stays with the VPC",)),
    tok.INGRESS_RULE: Replacement(
        _regional("securityGroupId"),
        _tf("ec2/vpc_security_group_ingress_rule.go"),
        "the rule is deleted and added again: connections it admits are refused for a moment",
        commit="00a322094b4b9ade8a81b244345dbcf4b52ee8d6",
        notes=("ports, protocol, description and the source value are ModifySecurityGroupRules, in place",),
        conditional=_rule_peer_kind("source")),
    tok.EGRESS_RULE: Replacement(
        _regional("securityGroupId"),
        _tf("ec2/vpc_security_group_egress_rule.go"),
        "the rule is deleted and added again: connections it admits are refused for a moment",
        commit="050ac11163cab8cdae5936a7f40b0e528ff780df",
        notes=("the schema is the shared resourceSecurityGroupRule of vpc_security_group_ingress_rule.go",),
        conditional=_rule_peer_kind("destination")),
    tok.FLOW_LOG: Replacement(
        _regional("deliverCrossAccountRole", "destinationOptions", "eniId", "iamRoleArn", "logDestination",
                  "logDestinationType", "logFormat", "maxAggregationInterval", "regionalNatGatewayId", "subnetId",
                  "trafficType", "transitGatewayAttachmentId", "transitGatewayId", "vpcId"),
        _tf("ec2/vpc_flow_log.go"),
        "a new flow log: traffic is not recorded between the deletion and the creation",
        commit="00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
        notes=("only tags are updated in place",)),
    tok.VPC_ENDPOINT: Replacement(
        _regional("resourceConfigurationArn", "serviceName", "serviceNetworkArn", "serviceRegion",
                  "vpcEndpointType", "vpcId"),
        _tf("ec2/vpc_endpoint.go"),
        "a new endpoint with new network interfaces: tasks that reach AWS through it lose that path until the new"
        " one is available",
        commit="008db85aad5e56627b1eecab8830464a282552ed",
        notes=("dnsOptions.privateDnsPreference and dnsOptions.privateDnsSpecifiedDomains are ForceNew inside a"
               " block that is not",
               "subnetIds, securityGroupIds, routeTableIds and policy are updated in place"),
        conditional=(Conditional(
            "privateDnsEnabled",
            "a change on an endpoint that is not of type Interface (the Gateway endpoint)"),)),
    # --- compute ---------------------------------------------------------------------------
    tok.LAUNCH_TEMPLATE: Replacement(
        _regional("name", "namePrefix"),
        _tf("ec2/ec2_launch_template.go"),
        "a new launch template: the Auto Scaling group points to it, and instances launched from then on use it",
        commit="025e4f81cab8553cb052aebfcc5987e2aa8c702a",
        notes=("every other change is a new version of the same template (CreateLaunchTemplateVersion), in place",
               _NEWER_INPUTS + "networkPerformanceOptions, secondaryInterfaces")),
    tok.ASG: Replacement(
        _regional("name", "namePrefix", "initialLifecycleHooks"),
        _tf("autoscaling/group.go"),
        "a new Auto Scaling group: every container instance is replaced and the tasks on them are rescheduled",
        commit="00a919d1548eb437816d4838f320502ad34183ff",
        notes=("sizes, launchTemplate, vpcZoneIdentifiers and the rest are UpdateAutoScalingGroup, in place",
               _NEWER_INPUTS + "availabilityZoneDistribution, capacityReservationSpecification,"
               " instanceLifecyclePolicy")),
    tok.CAPACITY_PROVIDER: Replacement(
        _regional("name", "cluster", "autoScalingGroupProvider.autoScalingGroupArn",
                  "managedInstancesProvider.instanceLaunchTemplate.capacityOptionType"),
        _tf("ecs/capacity_provider.go"),
        "a new capacity provider: the cluster and the services that use it must move to the new one",
        commit="00946284020053b82745d449178fd739d836a232",
        notes=("managedScaling, managedTerminationProtection and managedDraining are UpdateCapacityProvider, in"
               " place",),
        conditional=(
            Conditional("autoScalingGroupProvider",
                        "the block is added or removed (the block itself is ForceNew)"),
            Conditional("managedInstancesProvider",
                        "the block is added or removed (the block itself is ForceNew)"),
        )),
    # --- IAM (global: no region) -----------------------------------------------------------------
    tok.ROLE: Replacement(
        ("name", "namePrefix", "path"),
        _tf("iam/role.go"),
        "a new role with a new ARN: what assumes it (tasks, schedules, instances) follows the new ARN, and its"
        " policies are attached again",
        commit="0040ea6911af00bea2cca6dbb14e86829826ad8e",
        notes=("assumeRolePolicy, description, maxSessionDuration and permissionsBoundary are updated in place",)),
    tok.ROLE_POLICY: Replacement(
        ("name", "namePrefix", "role"),
        _tf("iam/role_policy.go"),
        "the inline policy is deleted and written again: the permissions it grants are missing for a moment",
        commit="02f97af85f89a04e8ed89f5e8b64a9a67f3cfe07",
        notes=("the policy document is PutRolePolicy, in place",)),
    tok.ROLE_POLICY_ATTACHMENT: Replacement(
        ("policyArn", "role"),
        _tf("iam/role_policy_attachment.go"),
        "the managed policy is detached and attached again: its permissions are missing for a moment",
        commit="04c79849dbe7fbe76c3054b364357bcdaade9ac5",
        notes=("no update operation: every input is ForceNew",)),
    tok.INSTANCE_PROFILE: Replacement(
        ("name", "namePrefix", "path"),
        _tf("iam/instance_profile.go"),
        "a new instance profile: instances launched from then on use it",
        commit="013f1736b90439e5a19567a87d3e5cd11858c420",
        notes=("role is updated in place (remove, add)",)),
    # --- ECS -------------------------------------------------------------------------------
    tok.CLUSTER: Replacement(
        _regional("name"),
        _tf("ecs/cluster.go"),
        "a new ECS cluster: every service and task in it is recreated (downtime)",
        commit="00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
        notes=("configuration, settings and serviceConnectDefaults are UpdateCluster, in place",)),
    tok.CLUSTER_CAPACITY_PROVIDERS: Replacement(
        _regional("clusterName"),
        _tf("ecs/cluster_capacity_providers.go"),
        "the cluster's capacity providers and default strategy are set again on the new cluster",
        commit="0619e62a2f25aefdfc36b5c74a98d9f6dcc6d794",
        notes=("capacityProviders and defaultCapacityProviderStrategies are PutClusterCapacityProviders, in place",)),
    tok.ACCOUNT_SETTING: Replacement(
        _regional("name"),
        _tf("ecs/account_setting_default.go"),
        "the old setting is reset to its default and the new one is set for the account",
        commit="01f431114674c27cf790fafb67ac274bf8f765e1",
        notes=("value is PutAccountSettingDefault, in place",)),
    tok.TASK_DEFINITION: Replacement(
        _regional("containerDefinitions", "cpu", "enableFaultInjection", "ephemeralStorage", "executionRoleArn",
                  "family", "ipcMode", "memory", "networkMode", "pidMode", "placementConstraints",
                  "proxyConfiguration", "requiresCompatibilities", "runtimePlatform", "taskRoleArn", "volumes"),
        _tf("ecs/task_definition.go"),
        "a new task definition revision; the service rolls its tasks to it (the normal way: ECS task definitions"
        " are immutable)",
        routine=True,
        notes=("ECS registers a new revision for every change; skipDestroy, trackLatest and tags are the only"
               " inputs updated in place",
               "every nested attribute of the blocks (volumes, proxyConfiguration, ...) is ForceNew too")),
    tok.SERVICE: Replacement(
        _regional("name", "cluster", "iamRole", "launchType", "schedulingStrategy"),
        _tf("ecs/service.go"),
        "the ECS service is deleted and recreated: its tasks stop, and requests fail until the new tasks are"
        " healthy",
        notes=("desiredCount, taskDefinition, loadBalancers, networkConfiguration, serviceConnectConfiguration and"
               " the deployment settings are UpdateService, in place",
               "deploymentController.type was ForceNew in earlier provider versions (commit"
               " 00a919d1548eb437816d4838f320502ad34183ff); the newest source read updates it in place"),
        conditional=(Conditional(
            "capacityProviderStrategies",
            "a change while forceNewDeployment is false: capacityProviderStrategyCustomizeDiff forces the"
            " replacement in earlier provider versions (commit 00a919d1548eb437816d4838f320502ad34183ff), and the"
            " newest source refuses the plan instead (\"force_new_deployment should be true when"
            " capacity_provider_strategy is being updated\"); the stack never sets forceNewDeployment, so the"
            " change cannot be applied to the running service as it is",
            assumed=True),)),
    # --- registry --------------------------------------------------------------------------------
    tok.REPOSITORY: Replacement(
        _regional("name", "encryptionConfigurations"),
        _tf("ecr/repository.go"),
        "a new ECR repository: the images in the old one are not carried over and are deleted with it",
        commit="0072eea2d6046230a1fb7717741c17fd2122175e",
        notes=("imageTagMutability and imageScanningConfiguration are updated in place",
               _NEWER_INPUTS + "imageTagMutabilityExclusionFilters")),
    tok.LIFECYCLE_POLICY: Replacement(
        _regional("policy", "repository"),
        _tf("ecr/lifecycle_policy.go"),
        "the lifecycle policy is deleted and put again; the images are not affected",
        routine=True,
        commit="00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
        notes=("no update operation: a new policy document is always a replacement",)),
    tok.REPOSITORY_POLICY: Replacement(
        _regional("repository"),
        _tf("ecr/repository_policy.go"),
        "the repository policy is set again on the new repository",
        commit="004b82babcaf4d20bbc12b4e19caea237c681216",
        notes=("the policy document is SetRepositoryPolicy, in place",)),
    tok.IMAGE: Replacement(
        (),
        "pulumi-awsx ecr.Image (a remote component: a build and a push, no Terraform schema)",
        "the image is built and pushed again; no AWS resource of its own is replaced",
        notes=("not a provider resource: nothing to read in the Terraform AWS provider",)),
    # --- load balancing ------------------------------------------------------------------------
    tok.LOAD_BALANCER: Replacement(
        _regional("name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"),
        _tf("elbv2/load_balancer.go"),
        "a new ALB with a new DNS name: clients and DNS records that use the old name stop reaching the stack",
        commit="00edc94be7a89c4c485415cdec27094875f61bfc",
        notes=("subnets, securityGroups and the attributes are updated in place on an application load balancer",
               _NEWER_INPUTS + "enablePrefixForIpv6SourceNat, healthCheckLogs, secondaryIpsAutoAssignedPerSubnet"),
        conditional=(
            Conditional("subnetMappings",
                        "application type: a mapping changes, or mappings are added or removed while the others"
                        " change (customizeDiffLoadBalancerALB)"),
            Conditional("subnets",
                        "network type only: the number of subnets does not grow (customizeDiffLoadBalancerNLB)"),
            Conditional("securityGroups",
                        "network type only: the first group is added or the last one removed"
                        " (customizeDiffLoadBalancerNLB)"),
        )),
    tok.LISTENER: Replacement(
        _regional("loadBalancerArn"),
        _tf("elbv2/listener.go"),
        "the listener is deleted and created again: connections on its port are refused for a moment",
        notes=("port, protocol, certificateArn, sslPolicy and defaultActions are ModifyListener, in place",)),
    tok.LISTENER_RULE: Replacement(
        _regional("listenerArn"),
        _tf("elbv2/listener_rule.go"),
        "the rule is deleted and created again: requests it routes fall to the listener's default action for a"
        " moment",
        commit="032c4f076a6cb8e54a85cb60f237cb80ab18b36b",
        notes=("priority is explicitly not ForceNew; actions, conditions and transforms are updated in place",)),
    tok.TARGET_GROUP: Replacement(
        _regional("name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId",
                  "ipAddressType"),
        _tf("elbv2/target_group.go"),
        "a new target group: the service's tasks are registered again, and the listener rule forwards to the new"
        " group once they are healthy",
        commit="013cfb4cddc9c44a28f34abad0c11768bcdb9b85",
        notes=("healthCheck, deregistrationDelay, stickiness and the other attributes are updated in place",
               _NEWER_INPUTS + "targetControlPort")),
    tok.CERTIFICATE: Replacement(
        _regional("certificateAuthorityArn", "domainName", "keyAlgorithm", "subjectAlternativeNames",
                  "validationMethod", "validationOptions"),
        _tf("acm/certificate.go"),
        "a new certificate: it must be validated again before the HTTPS listener can use it",
        commit="01661ea3cbe6b07ed725b03c587d24ceb464484a",
        notes=("an imported certificate (certificateBody, privateKey, certificateChain) is re-imported in place",)),
    tok.CERTIFICATE_VALIDATION: Replacement(
        _regional("certificateArn", "validationRecordFqdns"),
        _tf("acm/certificate_validation.go"),
        "the validation is awaited again",
        commit="004eea7f9b6658d88d652e89e10c7520a10ad6b8",
        notes=("no update operation: every input is ForceNew",)),
    tok.WEB_ACL_ASSOCIATION: Replacement(
        _regional("resourceArn", "webAclArn"),
        _tf("wafv2/web_acl_association.go"),
        "the ACL is detached from the load balancer and attached again (or the new one attached): for a moment "
        "requests reach the ALB unfiltered",
        commit="011a8eed43ed7763ef9de18cbb776eb29c762452",
        notes=("both attributes are ForceNew: the association has no update, so a new webAclArn replaces it",)),
    tok.RECORD: Replacement(
        ("name", "zoneId"),
        _tf("route53/record.go"),
        "the DNS record is deleted and created again: lookups fail until resolvers see the new one",
        commit="00655c1681ea1e49ab10cd32d3f8bee372b2095b",
        notes=("type and setIdentifier are not ForceNew in the source read: the update rewrites the record set",
               "Route 53 is global: the resource has no region")),
    # --- logs, alarms, scaling -------------------------------------------------------------------
    tok.LOG_GROUP: Replacement(
        _regional("name", "namePrefix", "logGroupClass"),
        _tf("logs/group.go"),
        "a new log group: the old one and its logs are deleted with it unless retained (skipDestroy)",
        commit="0073593e7d6993ba482409f4dc35438daaa79bb3",
        notes=("retentionInDays and kmsKeyId are updated in place",
               _NEWER_INPUTS + "deletionProtectionEnabled")),
    # --- storage ------------------------------------------------------------------------
    tok.EFS_FILE_SYSTEM: Replacement(
        _regional("availabilityZoneName", "creationToken", "encrypted", "kmsKeyId", "performanceMode"),
        _tf("efs/file_system.go"),
        "a new, empty file system: the old one and every file in it are deleted (restore from its AWS Backup "
        "recovery points); tasks mount the new one from their next start",
        commit="0389f4671dd9086cbe548d8eeabf0df30d1c38d9",
        notes=("lifecyclePolicies, protection, throughputMode and provisionedThroughputInMibps are updated in place",
               "turning encryption at rest on or off, or changing its key, needs a new file system")),
    tok.EFS_MOUNT_TARGET: Replacement(
        _regional("fileSystemId", "ipAddress", "subnetId"),
        _tf("efs/mount_target.go"),
        "the mount target is deleted and created again: tasks in its AZ cannot mount the file system until it "
        "is back",
        commit="0593466d96e383de3f75587805537f6e590ebf4e",
        notes=("securityGroups are updated in place (ModifyMountTargetSecurityGroups)",
               _NEWER_INPUTS + "ipAddressType, ipv6Address")),
    tok.EFS_BACKUP_POLICY: Replacement(
        _regional("fileSystemId"),
        _tf("efs/backup_policy.go"),
        "the policy of another file system: backups of the old one stop",
        commit="0053447c4da49d4bb8e7a3a46f35f56b48452e46",
        notes=("backupPolicy.status is PutBackupPolicy, in place",)),
    tok.METRIC_ALARM: Replacement(
        _regional("name"),
        _tf("cloudwatch/metric_alarm.go"),
        "a new alarm: its state and history start again, and its actions wait until it has evaluated",
        commit="055611a654738da73e7b1e2b5d2b7672c6d4d531",
        notes=("Terraform's alarm_name is `name` in Pulumi; every other input is PutMetricAlarm, in place",
               _NEWER_INPUTS + "evaluationCriteria, evaluationInterval, evaluationWindow, warmUpConfiguration")),
    tok.SNS_TOPIC: Replacement(
        _regional("name", "namePrefix", "fifoTopic"),
        _tf("sns/topic.go"),
        "a new topic with a new ARN: its subscriptions are made again, and each email address confirms again",
        commit="cda04ab9f781590765d09e3883f1f56e29710079",
        notes=("every other attribute is SetTopicAttributes, in place",)),
    tok.SNS_TOPIC_POLICY: Replacement(
        _regional("arn"),
        _tf("sns/topic_policy.go"),
        "the policy is written again on the new topic",
        commit="0964ed39dadd350ec504a9535b4f507e649153d9",
        notes=("the policy document is SetTopicAttributes, in place",)),
    tok.SNS_SUBSCRIPTION: Replacement(
        _regional("endpoint", "protocol", "topic"),
        _tf("sns/topic_subscription.go"),
        "a new subscription: an email address must confirm it again before it receives alerts",
        commit="7adaa6e634f93cf5e0cb386225284a9da853a7c8",
        notes=("delivery, filter and redrive policies are SetSubscriptionAttributes, in place",)),
    tok.SCALING_TARGET: Replacement(
        _regional("resourceId", "scalableDimension", "serviceNamespace"),
        _tf("appautoscaling/target.go"),
        "the scalable target is registered again: scaling pauses until its policies are back",
        commit="0105d2191ae7e43ba37ba011b916843eddf361ed",
        notes=("minCapacity, maxCapacity and roleArn are RegisterScalableTarget, in place",
               _NEWER_INPUTS + "suspendedState")),
    tok.SCALING_POLICY: Replacement(
        _regional("name", "resourceId", "scalableDimension", "serviceNamespace"),
        _tf("appautoscaling/policy.go"),
        "the scaling policy is deleted and created again, with new alarms: scaling pauses meanwhile",
        commit="048320e88399c508ae6481be5d8ef6fd6f71a9f6",
        notes=("the policy configuration is PutScalingPolicy, in place",
               _NEWER_INPUTS + "predictiveScalingPolicyConfiguration")),
    tok.SCHEDULED_ACTION: Replacement(
        _regional("name", "resourceId", "scalableDimension", "serviceNamespace"),
        _tf("appautoscaling/scheduled_action.go"),
        "the scheduled action is deleted and put again under its new name: a change due meanwhile may be missed",
        commit="048320e88399c508ae6481be5d8ef6fd6f71a9f6",
        notes=("schedule, timezone, scalableTargetAction, startTime and endTime are PutScheduledAction, in place "
               "(the same in the copy at 552c04685ba292dfddee527549fd43a1fd5db195)",)),
    # --- queues, schedules, discovery --------------------------------------------------------------
    tok.QUEUE: Replacement(
        _regional("name", "namePrefix", "fifoQueue"),
        _tf("sqs/queue.go"),
        "a new queue with a new URL: messages waiting in the old one are lost with it",
        commit="00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
        notes=("every other attribute is SetQueueAttributes, in place",)),
    tok.SCHEDULE: Replacement(
        _regional("name", "namePrefix", "groupName"),
        _tf("scheduler/schedule.go"),
        "a new schedule: a run due while it is recreated may be missed",
        commit="02f524b9e9cc109457eeba63867c83e70af99455",
        notes=("scheduleExpression, target and state are UpdateSchedule, in place",)),
    tok.HTTP_NAMESPACE: Replacement(
        _regional("name", "description"),
        _tf("servicediscovery/http_namespace.go"),
        "a new Cloud Map namespace: every service using Service Connect is redeployed into it",
        commit="04a2e6e5bc625ec85ea8c678219b483fc674877e",
        notes=("only tags are updated in place",)),
}


def _covers(name: str, path: str) -> bool:
    """`name` is `path` or a parent of it: `cidrBlock` covers `cidrBlock`, not `cidrBlockX`."""
    return path == name or path.startswith((name + ".", name + "["))


def entry(type_token: str) -> Replacement | None:
    return REPLACEMENTS.get(type_token)


def conditions(type_token: str, path: str) -> tuple[Conditional, ...]:
    """The value-dependent replacements that concern the input at `path`."""
    found = REPLACEMENTS.get(type_token)
    if found is None:
        return ()
    return tuple(c for c in found.conditional if _covers(c.input, path) or _covers(path, c.input))


def forces_replacement(type_token: str, path: str) -> bool:
    """Whether changing the input at `path` (`cidrBlock`, `networkConfiguration.subnets`,
    `containerDefinitions[0].image`) replaces a resource of `type_token`: a `ForceNew` input
    covers it, or a conditional replacement whose condition the stack always meets."""
    found = REPLACEMENTS.get(type_token)
    if found is None:
        return False
    if any(_covers(name, path) for name in found.inputs):
        return True
    return any(c.assumed and _covers(c.input, path) for c in found.conditional)
