"""EC2 capacity: the container instances' launch template, Auto Scaling group and capacity provider, how the
cluster associates them, and what an EC2 service and task definition send to ECS."""

import base64
import hashlib

import pytest

from components.cluster import Cluster, StrategyEntry
from components.ec2_capacity import Ec2Capacity
from components.service import Service
from components.task_definition import TaskDefinition
from deploy.config import resolve
from deploy.config.model import Network
from deploy.config.model import Service as ServiceConfig
from tests.conftest import inputs_json, make_config
from tests.factories import EC2_CLUSTER, cluster_args, ec2_args, service_args, task_args

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
ASG = "aws:autoscaling/group:Group"
CAPACITY_PROVIDER = "aws:ecs/capacityProvider:CapacityProvider"
CLUSTER_PROVIDERS = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
PROFILE = "aws:iam/instanceProfile:InstanceProfile"
ACCOUNT_SETTING = "aws:ecs/accountSettingDefault:AccountSettingDefault"
SG = "aws:ec2/securityGroup:SecurityGroup"
SERVICE = "aws:ecs/service:Service"

SUBNETS = ["subnet-private-a", "subnet-private-b", "subnet-private-c"]
KMS_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ARM64_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
X86_64_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"


def mock_ami(parameter: str) -> str:
    """What deploy/offline/engine.py's aws:ssm/getParameter mock answers for a parameter name."""
    return "ami-" + hashlib.sha256(parameter.encode()).hexdigest()[:17]


def capacity_args(**overrides):
    fields = {"subnet_ids": SUBNETS, "instance_types": ["m7g.large", "m6g.large"], "cluster_name": "p-cluster"}
    fields.update(overrides)
    return ec2_args(**fields)


def build(**overrides):
    def program():
        capacity = Ec2Capacity("p-ec2", capacity_args(**overrides))
        return {"providerName": capacity.provider_name}

    return program


def settings_of(r) -> dict[str, str]:
    """The ECS agent settings the launch template's user data writes to /etc/ecs/ecs.config."""
    script = base64.b64decode(r.one(LAUNCH_TEMPLATE).inputs["userData"]).decode()
    assert script.startswith("#!/bin/bash\n")
    assert "cat <<'EOF' >> /etc/ecs/ecs.config\n" in script
    body = script.split("cat <<'EOF' >> /etc/ecs/ecs.config\n", 1)[1].split("\nEOF\n", 1)[0]
    return dict(line.split("=", 1) for line in body.splitlines())


# --- launch template -----------------------------------------------------------------------------------


def test_imds_v2_is_required_with_a_hop_limit_of_one(render):
    options = render(build()).one(LAUNCH_TEMPLATE).inputs["metadataOptions"]
    assert options["httpTokens"] == "required"
    assert options["httpPutResponseHopLimit"] == 1
    assert options["httpEndpoint"] == "enabled"


@pytest.mark.parametrize("architecture,parameter", [("arm64", ARM64_PARAMETER), ("x86_64", X86_64_PARAMETER)])
def test_the_ami_is_the_ecs_optimised_al2023_parameter_of_the_architecture(render, architecture, parameter):
    types = ["m7g.large"] if architecture == "arm64" else ["m6i.large"]
    template = render(build(architecture=architecture, instance_types=types)).one(LAUNCH_TEMPLATE)
    assert template.inputs["imageId"] == mock_ami(parameter)


def test_the_two_architectures_get_different_amis(render):
    arm = render(build(architecture="arm64")).one(LAUNCH_TEMPLATE).inputs["imageId"]
    x86 = render(build(architecture="x86_64", instance_types=["m6i.large"])).one(LAUNCH_TEMPLATE).inputs["imageId"]
    assert arm.startswith("ami-") and x86.startswith("ami-") and arm != x86


def test_root_volume_is_encrypted_gp3_deleted_with_the_instance(render):
    [mapping] = render(build(root_volume_size=50)).one(LAUNCH_TEMPLATE).inputs["blockDeviceMappings"]
    assert mapping["deviceName"] == "/dev/xvda"
    ebs = mapping["ebs"]
    assert (ebs["volumeType"], ebs["volumeSize"], ebs["encrypted"], ebs["deleteOnTermination"]) == (
        "gp3", 50, "true", "true")
    assert "kmsKeyId" not in ebs


def test_root_volume_uses_the_kms_key_when_given(render):
    [mapping] = render(build(volume_kms_key_arn=KMS_ARN)).one(LAUNCH_TEMPLATE).inputs["blockDeviceMappings"]
    assert mapping["ebs"]["kmsKeyId"] == KMS_ARN
    assert mapping["ebs"]["encrypted"] == "true"


def test_the_network_interface_has_no_public_ip_and_the_instance_group(render):
    r = render(build())
    [interface] = r.one(LAUNCH_TEMPLATE).inputs["networkInterfaces"]
    assert interface["associatePublicIpAddress"] == "false"
    assert interface["deviceIndex"] == 0
    assert interface["securityGroups"] == [r.one(SG, "p-ec2-sg").id]


def test_the_instance_group_has_no_ingress(render):
    r = render(build())
    assert r.one(SG, "p-ec2-sg").inputs["vpcId"] == "vpc-0abc"
    assert r.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") == []
    assert "ingress" not in r.one(SG, "p-ec2-sg").inputs


def test_instances_get_the_instance_profile(render):
    r = render(build())
    profile = r.one(PROFILE)
    assert r.one(LAUNCH_TEMPLATE).inputs["iamInstanceProfile"] == {"arn": profile.state["arn"]}
    assert profile.inputs["role"] == r.one(ROLE, "p-ec2-instance-role").state["name"]


def test_user_data_joins_the_cluster_and_blocks_imds_for_awsvpc_tasks(render):
    settings = settings_of(render(build(cluster_name="prod-cluster")))
    assert settings["ECS_CLUSTER"] == "prod-cluster"
    assert settings["ECS_AWSVPC_BLOCK_IMDS"] == "true"


def test_user_data_sets_the_agent_stop_timeout(render):
    assert settings_of(render(build(agent_stop_timeout=45)))["ECS_CONTAINER_STOP_TIMEOUT"] == "45s"


@pytest.mark.parametrize("spot_percentage,draining", [(0, "false"), (50, "true"), (100, "true")])
def test_spot_draining_is_on_only_with_a_spot_share(render, spot_percentage, draining):
    settings = settings_of(render(build(spot_percentage=spot_percentage)))
    assert settings["ECS_ENABLE_SPOT_INSTANCE_DRAINING"] == draining


def test_high_density_eni_is_written_only_with_trunking(render):
    assert settings_of(render(build(awsvpc_trunking=True)))["ECS_ENABLE_HIGH_DENSITY_ENI"] == "true"
    # Without trunking the agent keeps its own default: "false" would opt out of an account-wide setting.
    assert "ECS_ENABLE_HIGH_DENSITY_ENI" not in settings_of(render(build(awsvpc_trunking=False)))


def test_user_data_holds_only_agent_settings_and_no_secrets(render):
    r = render(build())
    assert set(settings_of(r)) == {"ECS_CLUSTER", "ECS_AWSVPC_BLOCK_IMDS", "ECS_ENABLE_SPOT_INSTANCE_DRAINING",
                                   "ECS_CONTAINER_STOP_TIMEOUT", "ECS_ENABLE_CONTAINER_METADATA"}
    script = base64.b64decode(r.one(LAUNCH_TEMPLATE).inputs["userData"]).decode().upper()
    for word in ("SECRET", "PASSWORD", "TOKEN", "AWS_ACCESS_KEY", "ECS_ENGINE_AUTH"):
        assert word not in script


def test_trunking_account_setting_only_when_asked(render):
    assert render(build()).of_type(ACCOUNT_SETTING) == []
    setting = render(build(awsvpc_trunking=True)).one(ACCOUNT_SETTING)
    assert (setting.inputs["name"], setting.inputs["value"]) == ("awsvpcTrunking", "enabled")


def test_an_ec2_capacity_without_a_cluster_is_refused(render):
    with pytest.raises(ValueError, match="cluster_name: the cluster the instances join is required"):
        render(build(cluster_name=None))


# --- instance role --------------------------------------------------------------------------------------


def test_instance_role_trusts_ec2(render):
    trust = inputs_json(render(build()).one(ROLE, "p-ec2-instance-role"), "assumeRolePolicy")
    assert trust["Statement"] == [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                   "Principal": {"Service": "ec2.amazonaws.com"}}]


def test_instance_role_has_only_the_ecs_container_instance_policy(render):
    r = render(build())
    [attachment] = r.of_type(ATTACHMENT)
    assert attachment.inputs["policyArn"] == \
        "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
    assert attachment.inputs["role"] == r.one(ROLE, "p-ec2-instance-role").state["name"]
    assert r.of_type("aws:iam/rolePolicy:RolePolicy") == []
    assert len(r.of_type(ROLE)) == 1


# --- Auto Scaling group ---------------------------------------------------------------------------------


def test_group_spans_the_subnets_of_every_az_between_min_and_max(render):
    group = render(build(min_size=2, max_size=7)).one(ASG)
    assert group.inputs["vpcZoneIdentifiers"] == SUBNETS
    assert (group.inputs["minSize"], group.inputs["maxSize"]) == (2, 7)


def test_group_protects_instances_from_scale_in_and_ignores_desired_capacity(render):
    group = render(build()).one(ASG)
    assert group.inputs["protectFromScaleIn"] is True
    assert group.ignore_changes == ("desiredCapacity",)
    assert "desiredCapacity" not in group.inputs


def test_group_launches_every_instance_type_from_the_template(render):
    r = render(build(instance_types=["m7g.large", "m6g.large", "m7g.xlarge"]))
    policy = r.one(ASG).inputs["mixedInstancesPolicy"]["launchTemplate"]
    assert policy["overrides"] == [{"instanceType": "m7g.large"}, {"instanceType": "m6g.large"},
                                   {"instanceType": "m7g.xlarge"}]
    spec = policy["launchTemplateSpecification"]
    assert spec["launchTemplateId"] == r.one(LAUNCH_TEMPLATE).id
    assert spec["version"] == "$Latest"


@pytest.mark.parametrize("base,spot,on_demand_above_base", [(0, 0, 100), (1, 50, 50), (2, 100, 0)])
def test_on_demand_base_and_percentage_follow_the_spot_share(render, base, spot, on_demand_above_base):
    distribution = render(build(on_demand_base=base, spot_percentage=spot)).one(ASG).inputs[
        "mixedInstancesPolicy"]["instancesDistribution"]
    assert distribution["onDemandBaseCapacity"] == base
    assert distribution["onDemandPercentageAboveBaseCapacity"] == on_demand_above_base
    assert distribution["spotAllocationStrategy"] == "price-capacity-optimized"
    assert distribution["onDemandAllocationStrategy"] == "prioritized"


@pytest.mark.parametrize("spot_percentage,rebalance", [(0, False), (30, True)])
def test_capacity_rebalance_only_with_spot(render, spot_percentage, rebalance):
    assert render(build(spot_percentage=spot_percentage)).one(ASG).inputs["capacityRebalance"] is rebalance


def test_group_carries_the_amazon_ecs_managed_tag_and_propagates_tags(render):
    tags = render(build()).one(ASG).inputs["tags"]
    assert {"key": "AmazonECSManaged", "value": "true", "propagateAtLaunch": True} in tags
    assert {"key": "Stack", "value": "test", "propagateAtLaunch": True} in tags
    assert all(t["propagateAtLaunch"] is True for t in tags)


# --- capacity provider ----------------------------------------------------------------------------------


def test_capacity_provider_manages_scaling_termination_protection_and_draining(render):
    r = render(build(target_capacity=90))
    provider = r.one(CAPACITY_PROVIDER).inputs["autoScalingGroupProvider"]
    assert provider["autoScalingGroupArn"] == r.one(ASG).state["arn"]
    assert provider["managedTerminationProtection"] == "ENABLED"
    assert provider["managedDraining"] == "ENABLED"
    assert provider["managedScaling"]["status"] == "ENABLED"
    assert provider["managedScaling"]["targetCapacity"] == 90


def test_component_exposes_the_providers_name(render):
    r = render(build())
    assert r.outputs == {"providerName": r.one(CAPACITY_PROVIDER).state["name"]}


def test_every_child_is_parented_to_the_component(render):
    r = render(build(awsvpc_trunking=True))
    component = r.one("ecsapp:cluster:Ec2Capacity")
    assert len(r.children(component)) == len(r.resources) - 1
    assert {x.type for x in r.children(component)} >= {LAUNCH_TEMPLATE, ASG, CAPACITY_PROVIDER, PROFILE, ROLE,
                                                       ATTACHMENT, SG, ACCOUNT_SETTING}


# --- the cluster's EC2 parts ----------------------------------------------------------------------------


def cluster(**overrides):
    cfg = make_config({"cluster": EC2_CLUSTER})
    fields = {"ec2": ec2_args(cfg, subnet_ids=SUBNETS)}
    fields.update(overrides)
    return lambda: Cluster("app", cluster_args(cfg, **fields))


def test_the_ec2_capacity_is_a_child_of_the_cluster(render):
    r = render(cluster())
    capacity = r.one("ecsapp:cluster:Ec2Capacity")
    assert capacity.name == "app-ec2"
    assert capacity.parent == r.one("ecsapp:cluster:Cluster").urn


def test_instances_join_the_clusters_own_name(render):
    r = render(cluster())
    assert settings_of(r)["ECS_CLUSTER"] == r.one("aws:ecs/cluster:Cluster").state["name"]


def test_cluster_associates_fargate_fargate_spot_and_the_ec2_provider(render):
    r = render(cluster())
    provider = r.one(CAPACITY_PROVIDER)
    assert r.one(CLUSTER_PROVIDERS).inputs["capacityProviders"] == ["FARGATE", "FARGATE_SPOT", provider.state["name"]]


def test_a_default_strategy_naming_ec2_uses_the_providers_name(render):
    r = render(cluster(default_strategy=[StrategyEntry(provider="EC2", base=1, weight=1)]))
    name = r.one(CAPACITY_PROVIDER).state["name"]
    assert r.one(CLUSTER_PROVIDERS).inputs["defaultCapacityProviderStrategies"] == [
        {"capacityProvider": name, "base": 1, "weight": 1}]


def test_without_ec2_the_cluster_has_only_fargate(render):
    r = render(lambda: Cluster("app", cluster_args()))
    assert r.of_type(ASG) == [] and r.of_type(CAPACITY_PROVIDER) == []
    assert r.one(CLUSTER_PROVIDERS).inputs["capacityProviders"] == ["FARGATE", "FARGATE_SPOT"]


# --- an EC2 service ------------------------------------------------------------------------------------

EC2_NAMES = {"EC2": "app-ec2-cp-0a1b2c3", "FARGATE": "FARGATE", "FARGATE_SPOT": "FARGATE_SPOT"}


def ec2_config(**worker):
    """A stack with EC2 capacity whose one service, a worker, runs its tasks there."""
    body = {"kind": "worker", "containers": {"main": {"image": {"uri": "busybox:1.36"}}},
            "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}], "architecture": "ARM64", **worker}
    return make_config({"cluster": EC2_CLUSTER}, services={"worker": body})


def ecs_service(cfg=None, **overrides):
    cfg = cfg if cfg is not None else ec2_config()
    fields = {"provider_names": EC2_NAMES}
    fields.update(overrides)
    return lambda: Service("app-worker", service_args(cfg, "worker", **fields))


def test_an_ec2_service_names_the_capacity_provider_and_has_no_platform_version(render):
    svc = render(ecs_service()).one(SERVICE)
    assert svc.inputs["capacityProviderStrategies"] == [
        {"capacityProvider": "app-ec2-cp-0a1b2c3", "base": 0, "weight": 1}]
    assert "platformVersion" not in svc.inputs
    assert "launchType" not in svc.inputs


def test_config_default_placement_spread_over_azs_then_binpack_reaches_an_ec2_service(render):
    svc = render(ecs_service(ec2_config())).one(SERVICE)
    assert svc.inputs["orderedPlacementStrategies"] == [
        {"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}]


@pytest.mark.parametrize("placement,expected", [
    ("spread", [{"type": "spread", "field": "attribute:ecs.availability-zone"},
                {"type": "spread", "field": "instanceId"}]),
    ("binpack", [{"type": "binpack", "field": "memory"}]),
])
def test_other_placement_choices(render, placement, expected):
    assert render(ecs_service(ec2_config(placement=placement))).one(SERVICE).inputs[
        "orderedPlacementStrategies"] == expected


def test_an_ec2_service_has_no_public_ip(render):
    assert render(ecs_service()).one(SERVICE).inputs["networkConfiguration"]["assignPublicIp"] is False


def test_ec2_tasks_never_default_to_a_public_ip_even_in_the_cheapest_network():
    cheapest = Network(nat="none")
    svc = ServiceConfig(containers={"main": {"image": {"uri": "busybox:1.36"}}}, kind="worker")
    assert resolve.assign_public_ip(cheapest, svc, ec2=False) is True
    assert resolve.assign_public_ip(cheapest, svc, ec2=True) is False
    explicit = svc.model_copy(update={"assign_public_ip": True})
    assert resolve.assign_public_ip(cheapest, explicit, ec2=True) is False


def test_a_fargate_service_gets_latest_platform_and_no_placement(render):
    svc = render(ecs_service(fargate=True, strategy=[StrategyEntry(provider="FARGATE", base=2, weight=1),
                                                     StrategyEntry(provider="FARGATE_SPOT", weight=3)])).one(SERVICE)
    assert svc.inputs["platformVersion"] == "LATEST"
    assert "orderedPlacementStrategies" not in svc.inputs
    assert svc.inputs["capacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": 2, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 3}]


# --- an EC2 task definition ----------------------------------------------------------------------------


def task(**overrides):
    cfg = ec2_config(cpu=1024, memory=2048, architecture="ARM64")
    fields = {"ephemeral_storage": 50}
    fields.update(overrides)
    return lambda: TaskDefinition("app-worker", task_args(cfg, "worker", **fields))


def test_an_ec2_task_requires_ec2_and_has_no_ephemeral_storage(render):
    definition = render(task()).one("aws:ecs/taskDefinition:TaskDefinition")
    assert definition.inputs["requiresCompatibilities"] == ["EC2"]
    assert definition.inputs["networkMode"] == "awsvpc"
    assert "ephemeralStorage" not in definition.inputs
    assert definition.inputs["runtimePlatform"]["cpuArchitecture"] == "ARM64"


def test_a_fargate_task_keeps_its_ephemeral_storage(render):
    definition = render(task(compatibility="FARGATE")).one("aws:ecs/taskDefinition:TaskDefinition")
    assert definition.inputs["requiresCompatibilities"] == ["FARGATE"]
    assert definition.inputs["ephemeralStorage"] == {"sizeInGib": 50}


def test_the_group_waits_for_the_trunking_setting(render):
    r = render(build(awsvpc_trunking=True))
    setting = r.one("aws:ecs/accountSettingDefault:AccountSettingDefault")
    assert setting.urn in r.one("aws:autoscaling/group:Group").dependencies
