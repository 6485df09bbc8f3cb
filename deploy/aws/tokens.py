"""Names shared by every layer: Pulumi type tokens, capacity provider names, the secret placeholder.

Type tokens are the provider's (`<package>:<module>/<file>:<Class>`, as the engine and the
plan JSON carry them) for every resource type the stack creates, and the project's own
component tokens (`ecsapp:<module>:<Type>`). Readers of a plan (cost, diagram, release,
compliance) match on these constants, never on literals.
"""

from __future__ import annotations

from typing import Final

# --- the project's components ------------------------------------------------------------
COMPONENT_PACKAGE: Final = "ecsapp"
NETWORK: Final = "ecsapp:network:Network"
NAT_INSTANCE: Final = "ecsapp:network:NatInstance"
CLUSTER_COMPONENT: Final = "ecsapp:cluster:Cluster"
EC2_CAPACITY: Final = "ecsapp:cluster:Ec2Capacity"
REGISTRY: Final = "ecsapp:registry:Registry"
TASK_DEFINITION_COMPONENT: Final = "ecsapp:task:TaskDefinition"
LOAD_BALANCER_COMPONENT: Final = "ecsapp:loadbalancer:LoadBalancer"
SERVICE_COMPONENT: Final = "ecsapp:service:Service"
SCALING: Final = "ecsapp:service:Scaling"
CONNECTION: Final = "ecsapp:service:Connection"
WORKER_QUEUE: Final = "ecsapp:worker:Queue"
SCHEDULED_TASK: Final = "ecsapp:scheduled:ScheduledTask"
ALERTS_COMPONENT: Final = "ecsapp:monitoring:Alerts"
DASHBOARD_COMPONENT: Final = "ecsapp:monitoring:Dashboard"
FILE_SYSTEM_COMPONENT: Final = "ecsapp:storage:FileSystem"

# --- Pulumi -------------------------------------------------------------------------------
STACK: Final = "pulumi:pulumi:Stack"

# --- pulumi-aws resources -----------------------------------------------------------------
VPC: Final = "aws:ec2/vpc:Vpc"
SUBNET: Final = "aws:ec2/subnet:Subnet"
ROUTE_TABLE: Final = "aws:ec2/routeTable:RouteTable"
ROUTE: Final = "aws:ec2/route:Route"
ROUTE_TABLE_ASSOCIATION: Final = "aws:ec2/routeTableAssociation:RouteTableAssociation"
INTERNET_GATEWAY: Final = "aws:ec2/internetGateway:InternetGateway"
NAT_GATEWAY: Final = "aws:ec2/natGateway:NatGateway"
EIP: Final = "aws:ec2/eip:Eip"
NETWORK_INTERFACE: Final = "aws:ec2/networkInterface:NetworkInterface"
SECURITY_GROUP: Final = "aws:ec2/securityGroup:SecurityGroup"
DEFAULT_SECURITY_GROUP: Final = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
INGRESS_RULE: Final = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS_RULE: Final = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
FLOW_LOG: Final = "aws:ec2/flowLog:FlowLog"
VPC_ENDPOINT: Final = "aws:ec2/vpcEndpoint:VpcEndpoint"
LAUNCH_TEMPLATE: Final = "aws:ec2/launchTemplate:LaunchTemplate"
ASG: Final = "aws:autoscaling/group:Group"
ROLE: Final = "aws:iam/role:Role"
ROLE_POLICY: Final = "aws:iam/rolePolicy:RolePolicy"
ROLE_POLICY_ATTACHMENT: Final = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
INSTANCE_PROFILE: Final = "aws:iam/instanceProfile:InstanceProfile"
CLUSTER: Final = "aws:ecs/cluster:Cluster"
CLUSTER_CAPACITY_PROVIDERS: Final = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
CAPACITY_PROVIDER: Final = "aws:ecs/capacityProvider:CapacityProvider"
ACCOUNT_SETTING: Final = "aws:ecs/accountSettingDefault:AccountSettingDefault"
TASK_DEFINITION: Final = "aws:ecs/taskDefinition:TaskDefinition"
SERVICE: Final = "aws:ecs/service:Service"
REPOSITORY: Final = "aws:ecr/repository:Repository"
LIFECYCLE_POLICY: Final = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
REPOSITORY_POLICY: Final = "aws:ecr/repositoryPolicy:RepositoryPolicy"
IMAGE: Final = "awsx:ecr:Image"
LOAD_BALANCER: Final = "aws:lb/loadBalancer:LoadBalancer"
LISTENER: Final = "aws:lb/listener:Listener"
LISTENER_RULE: Final = "aws:lb/listenerRule:ListenerRule"
TARGET_GROUP: Final = "aws:lb/targetGroup:TargetGroup"
CERTIFICATE: Final = "aws:acm/certificate:Certificate"
CERTIFICATE_VALIDATION: Final = "aws:acm/certificateValidation:CertificateValidation"
RECORD: Final = "aws:route53/record:Record"
WEB_ACL_ASSOCIATION: Final = "aws:wafv2/webAclAssociation:WebAclAssociation"
LOG_GROUP: Final = "aws:cloudwatch/logGroup:LogGroup"
DASHBOARD: Final = "aws:cloudwatch/dashboard:Dashboard"
METRIC_ALARM: Final = "aws:cloudwatch/metricAlarm:MetricAlarm"
SNS_TOPIC: Final = "aws:sns/topic:Topic"
SNS_TOPIC_POLICY: Final = "aws:sns/topicPolicy:TopicPolicy"
SNS_SUBSCRIPTION: Final = "aws:sns/topicSubscription:TopicSubscription"
SCALING_TARGET: Final = "aws:appautoscaling/target:Target"
SCALING_POLICY: Final = "aws:appautoscaling/policy:Policy"
SCHEDULED_ACTION: Final = "aws:appautoscaling/scheduledAction:ScheduledAction"
QUEUE: Final = "aws:sqs/queue:Queue"
SCHEDULE: Final = "aws:scheduler/schedule:Schedule"
HTTP_NAMESPACE: Final = "aws:servicediscovery/httpNamespace:HttpNamespace"
EFS_FILE_SYSTEM: Final = "aws:efs/fileSystem:FileSystem"
EFS_MOUNT_TARGET: Final = "aws:efs/mountTarget:MountTarget"
EFS_BACKUP_POLICY: Final = "aws:efs/backupPolicy:BackupPolicy"

# --- invokes (data sources) ---------------------------------------------------------------
GET_AVAILABILITY_ZONES: Final = "aws:index/getAvailabilityZones:getAvailabilityZones"
GET_CALLER_IDENTITY: Final = "aws:index/getCallerIdentity:getCallerIdentity"
GET_REGION: Final = "aws:index/getRegion:getRegion"
GET_PARTITION: Final = "aws:index/getPartition:getPartition"
GET_VPC: Final = "aws:ec2/getVpc:getVpc"
GET_SUBNET: Final = "aws:ec2/getSubnet:getSubnet"
GET_PARAMETER: Final = "aws:ssm/getParameter:getParameter"

# --- capacity providers -------------------------------------------------------------------
FARGATE: Final = "FARGATE"
FARGATE_SPOT: Final = "FARGATE_SPOT"
FARGATE_PROVIDERS: Final = (FARGATE, FARGATE_SPOT)
EC2: Final = "EC2"
"""How a capacity provider strategy names the stack's own EC2 capacity provider (`cluster.ec2`)."""

# --- secrets ------------------------------------------------------------------------------
SECRET_PLACEHOLDER: Final = "[secret]"
"""Shown wherever a value Pulumi keeps secret would appear: `secure:` config values, secret
inputs and outputs of an offline plan, secret stack outputs."""
