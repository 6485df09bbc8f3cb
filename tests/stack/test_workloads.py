"""The whole stack with every workload kind: prod's mixed cluster (web and api on Fargate, a queue worker on EC2,
a nightly job on a schedule, web calling api by name), and small generated configs."""

from __future__ import annotations

import base64
import hashlib
from collections import Counter

import pytest

from deploy.config.parse import load
from deploy.offline import plan
from tests.conftest import FIXTURES, inputs_json, make_config

SERVICE = "aws:ecs/service:Service"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
ASG = "aws:autoscaling/group:Group"
CAPACITY_PROVIDER = "aws:ecs/capacityProvider:CapacityProvider"
CLUSTER_PROVIDERS = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
SCHEDULE = "aws:scheduler/schedule:Schedule"
QUEUE = "aws:sqs/queue:Queue"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
POLICY = "aws:appautoscaling/policy:Policy"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SG = "aws:ec2/securityGroup:SecurityGroup"
NAMESPACE = "aws:servicediscovery/httpNamespace:HttpNamespace"

IMAGE = {"uri": "public.ecr.aws/docker/library/busybox:1.36"}
PRIVATE_ECR_IMAGE = {"uri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1.4.0"}
"""Without a NAT gateway tasks pull only through the ECR endpoints: this region's private ECR."""
ARM64_AMI_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"


@pytest.fixture(scope="module")
def prod():
    return plan.render(load(FIXTURES / "Pulumi.mixed.yaml", "ecs-app", "prod"))


def provider_name(r) -> str:
    return r.one(CAPACITY_PROVIDER).state["name"]


def strategy_of(r, name: str) -> dict[str, tuple[int, int]]:
    return {s["capacityProvider"]: (s["base"], s["weight"])
            for s in r.one(SERVICE, name).inputs["capacityProviderStrategies"]}


def agent_settings(r) -> dict[str, str]:
    script = base64.b64decode(r.one(LAUNCH_TEMPLATE).inputs["userData"]).decode()
    body = script.split("/etc/ecs/ecs.config\n", 1)[1].split("\nEOF", 1)[0]
    return dict(line.split("=", 1) for line in body.splitlines())


# --- prod: where each workload runs -------------------------------------------------------------------


def test_prod_worker_runs_on_the_ec2_capacity_provider(prod):
    assert strategy_of(prod, "prod-worker-svc") == {provider_name(prod): (0, 1)}
    worker = prod.one(SERVICE, "prod-worker-svc").inputs
    assert "platformVersion" not in worker
    assert worker["orderedPlacementStrategies"] == [
        {"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}]
    assert worker["networkConfiguration"]["assignPublicIp"] is False


def test_prod_worker_task_is_an_arm64_ec2_task_without_ephemeral_storage(prod):
    task = prod.one(TASK, "prod-worker-task").inputs
    assert task["requiresCompatibilities"] == ["EC2"]
    assert task["runtimePlatform"]["cpuArchitecture"] == "ARM64"
    assert "ephemeralStorage" not in task


def test_prod_web_runs_on_fargate_with_an_on_demand_base_and_a_spot_share(prod):
    assert strategy_of(prod, "prod-web-svc") == {"FARGATE": (2, 1), "FARGATE_SPOT": (0, 3)}
    web = prod.one(SERVICE, "prod-web-svc").inputs
    assert web["platformVersion"] == "LATEST"
    assert "orderedPlacementStrategies" not in web
    assert prod.one(TASK, "prod-web-task").inputs["requiresCompatibilities"] == ["FARGATE"]


def test_prod_api_runs_on_on_demand_fargate_only(prod):
    assert strategy_of(prod, "prod-api-svc") == {"FARGATE": (2, 1)}
    assert prod.one(SERVICE, "prod-api-svc").inputs["platformVersion"] == "LATEST"


def test_fargate_tasks_never_name_the_ec2_provider_and_ec2_tasks_never_name_fargate(prod):
    for svc in prod.of_type(SERVICE):
        providers = {s["capacityProvider"] for s in svc.inputs["capacityProviderStrategies"]}
        if "platformVersion" in svc.inputs:
            assert providers <= {"FARGATE", "FARGATE_SPOT"}, svc.name
        else:
            assert providers == {provider_name(prod)}, svc.name


def test_prod_cluster_associates_fargate_and_the_ec2_provider_with_the_fargate_default(prod):
    providers = prod.one(CLUSTER_PROVIDERS).inputs
    assert providers["capacityProviders"] == ["FARGATE", "FARGATE_SPOT", provider_name(prod)]
    assert providers["defaultCapacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": 2, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 3}]


# --- prod: the EC2 capacity ----------------------------------------------------------------------------


def test_prod_group_is_graviton_part_spot_over_every_private_subnet(prod):
    group = prod.one(ASG).inputs
    assert group["vpcZoneIdentifiers"] == prod.outputs["privateSubnetIds"]
    assert len(group["vpcZoneIdentifiers"]) == 3
    assert (group["minSize"], group["maxSize"]) == (1, 6)
    policy = group["mixedInstancesPolicy"]
    assert [o["instanceType"] for o in policy["launchTemplate"]["overrides"]] == ["m7g.large", "m6g.large"]
    distribution = policy["instancesDistribution"]
    assert (distribution["onDemandBaseCapacity"], distribution["onDemandPercentageAboveBaseCapacity"]) == (1, 50)
    assert group["capacityRebalance"] is True and group["protectFromScaleIn"] is True
    assert prod.one(ASG).ignore_changes == ("desiredCapacity",)


def test_prod_instances_run_the_arm64_ecs_ami_and_join_the_prod_cluster(prod):
    template = prod.one(LAUNCH_TEMPLATE).inputs
    assert template["imageId"] == "ami-" + hashlib.sha256(ARM64_AMI_PARAMETER.encode()).hexdigest()[:17]
    settings = agent_settings(prod)
    assert settings["ECS_CLUSTER"] == prod.outputs["clusterName"]
    assert settings["ECS_ENABLE_SPOT_INSTANCE_DRAINING"] == "true"
    assert settings["ECS_AWSVPC_BLOCK_IMDS"] == "true"
    assert template["metadataOptions"]["httpTokens"] == "required"


def test_prod_capacity_provider_keeps_ten_percent_headroom(prod):
    provider = prod.one(CAPACITY_PROVIDER).inputs["autoScalingGroupProvider"]
    assert provider["managedScaling"]["targetCapacity"] == 90
    assert provider["autoScalingGroupArn"] == prod.one(ASG).state["arn"]
    assert prod.of_type("aws:ecs/accountSettingDefault:AccountSettingDefault") == []


# --- prod: the queue worker -----------------------------------------------------------------------------


def test_prod_worker_consumes_its_queue(prod):
    queue = prod.one(QUEUE, "prod-worker-queue")
    assert queue.inputs["visibilityTimeoutSeconds"] == 300
    assert inputs_json(queue, "redrivePolicy") == {
        "deadLetterTargetArn": prod.one(QUEUE, "prod-worker-dlq").state["arn"], "maxReceiveCount": 5}
    [worker] = inputs_json(prod.one(TASK, "prod-worker-task"), "containerDefinitions")
    assert {"name": "QUEUE_URL", "value": queue.state["url"]} in worker["environment"]
    policy = inputs_json(prod.one("aws:iam/rolePolicy:RolePolicy", "prod-worker-task-policy"), "policy")
    assert [s["Resource"] for s in policy["Statement"]] == [queue.state["arn"]]


def test_prod_worker_scales_on_its_backlog_down_to_zero(prod):
    target = prod.one("aws:appautoscaling/target:Target", "prod-worker-scaling-target").inputs
    assert (target["minCapacity"], target["maxCapacity"]) == (0, 10)
    queue_name = prod.one(QUEUE, "prod-worker-queue").state["name"]
    queries = {q["id"]: q for q in prod.one(ALARM, "prod-worker-scaling-backlog").inputs["metricQueries"]}
    assert queries["visible"]["metric"]["dimensions"] == {"QueueName": queue_name}
    assert queries["tasks"]["metric"]["dimensions"]["ServiceName"] == prod.one(SERVICE, "prod-worker-svc").state["name"]
    worker_policies = {p.inputs["policyType"] for p in prod.of_type(POLICY) if p.name.startswith("prod-worker-")}
    assert worker_policies == {"StepScaling"}
    idle = prod.one(POLICY, "prod-worker-scaling-backlog-idle").inputs["stepScalingPolicyConfiguration"]
    assert idle["stepAdjustments"] == [{"metricIntervalUpperBound": "0", "scalingAdjustment": 0}]
    assert prod.one(SERVICE, "prod-worker-svc").ignore_changes == ("desiredCount",)


# --- prod: the nightly job ------------------------------------------------------------------------------


def test_prod_nightly_report_runs_on_a_schedule_on_fargate_spot(prod):
    schedule = prod.one(SCHEDULE, "prod-nightly-report-schedule").inputs
    assert schedule["scheduleExpression"] == "cron(0 3 * * ? *)"
    assert schedule["scheduleExpressionTimezone"] == "Europe/Berlin"
    ecs = schedule["target"]["ecsParameters"]
    assert ecs["capacityProviderStrategies"] == [{"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 1}]
    assert ecs["platformVersion"] == "LATEST"
    assert ecs["taskDefinitionArn"] == prod.one(TASK, "prod-nightly-report-task").state["arn"]
    assert schedule["target"]["arn"] == prod.outputs["clusterArn"]
    assert schedule["target"]["retryPolicy"]["maximumRetryAttempts"] == 2


def test_prod_nightly_report_is_not_an_ecs_service(prod):
    assert [s.name for s in prod.of_type(SERVICE) if "nightly" in s.name] == []
    assert "nightly-report" not in prod.outputs["serviceNames"]


# --- prod: web calls api by name ------------------------------------------------------------------------


def test_prod_web_calls_api_through_service_connect(prod):
    namespace = prod.one(NAMESPACE)
    assert namespace.inputs["name"] == "prod.ecs-app.internal"
    api = prod.one(SERVICE, "prod-api-svc").inputs["serviceConnectConfiguration"]
    assert api["namespace"] == namespace.state["arn"]
    assert api["services"] == [{"portName": "api-8080", "discoveryName": "api",
                                "clientAlias": [{"port": 8080, "dnsName": "api"}]}]
    assert prod.one(SERVICE, "prod-web-svc").inputs["serviceConnectConfiguration"] == {
        "enabled": True, "namespace": namespace.state["arn"]}
    assert "serviceConnectConfiguration" not in prod.one(SERVICE, "prod-worker-svc").inputs


def test_prod_api_admits_web_and_the_alb_only(prod):
    rule = prod.one(INGRESS, "prod-api-from-web-ingress").inputs
    api_sg, web_sg = prod.one(SG, "prod-api-sg").id, prod.one(SG, "prod-web-sg").id
    assert (rule["securityGroupId"], rule["referencedSecurityGroupId"]) == (api_sg, web_sg)
    assert (rule["fromPort"], rule["toPort"]) == (8080, 8080)
    sources = sorted(x.inputs["referencedSecurityGroupId"] for x in prod.of_type(INGRESS)
                     if x.inputs["securityGroupId"] == api_sg)
    assert sources == sorted([web_sg, prod.one(SG, "prod-alb-sg").id])
    worker_sg = prod.one(SG, "prod-worker-sg").id
    assert all(x.inputs.get("referencedSecurityGroupId") != worker_sg for x in prod.of_type(INGRESS))


# --- prod: counts and outputs ---------------------------------------------------------------------------


def test_prod_counts_of_the_workload_resources(prod):
    counts = Counter(r.type for r in prod.resources)
    assert {t: counts[t] for t in (
        "ecsapp:cluster:Ec2Capacity", ASG, CAPACITY_PROVIDER, LAUNCH_TEMPLATE,
        "aws:iam/instanceProfile:InstanceProfile", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        NAMESPACE, "ecsapp:service:Connection", "ecsapp:scheduled:ScheduledTask", SCHEDULE, "ecsapp:worker:Queue",
        QUEUE, ALARM, SERVICE, TASK, "ecsapp:service:Service",
    )} == {
        "ecsapp:cluster:Ec2Capacity": 1, ASG: 1, CAPACITY_PROVIDER: 1, LAUNCH_TEMPLATE: 1,
        "aws:iam/instanceProfile:InstanceProfile": 1, "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
        NAMESPACE: 1, "ecsapp:service:Connection": 1, "ecsapp:scheduled:ScheduledTask": 1, SCHEDULE: 1,
        "ecsapp:worker:Queue": 1, QUEUE: 3,  # the worker's queue and DLQ, the schedule's DLQ
        # the worker's 3 scaling alarms and its 2 rollback alarms (dead-letter growth, oldest message); web's and
        # api's 5xx and unhealthy-target rollback alarms
        ALARM: 9, SERVICE: 3, TASK: 4, "ecsapp:service:Service": 3,
    }
    assert sum(1 for p in prod.of_type(POLICY) if p.inputs["policyType"] == "StepScaling") == 3


def test_prod_outputs_the_queue_the_schedule_and_the_capacity_provider(prod):
    out = prod.outputs
    assert out["queueUrls"] == {"worker": prod.one(QUEUE, "prod-worker-queue").state["url"]}
    assert out["scheduleNames"] == {"nightly-report": prod.one(SCHEDULE).state["name"]}
    assert out["capacityProviderName"] == provider_name(prod)


# --- small generated configs ----------------------------------------------------------------------------


def test_a_stack_without_ec2_capacity_has_no_group_and_no_capacity_provider_output():
    r = plan.render(make_config())
    assert r.of_type(ASG) == [] and r.of_type(CAPACITY_PROVIDER) == []
    assert r.one(CLUSTER_PROVIDERS).inputs["capacityProviders"] == ["FARGATE", "FARGATE_SPOT"]
    assert not {"capacityProviderName", "queueUrls", "scheduleNames"} & set(r.outputs)


def test_a_cluster_default_of_ec2_puts_every_service_on_the_group():
    cfg = make_config({"cluster": {"ec2": {"instanceTypes": ["c6i.large", "m6i.large"], "maxSize": 3},
                                   "capacityProviderStrategy": [{"provider": "EC2", "base": 1, "weight": 1}]}},
                      services={"web": {"containers": {"app": {"image": IMAGE, "ports": [8080]}}},
                                "worker": {"kind": "worker", "containers": {"main": {"image": IMAGE}}}})
    r = plan.render(cfg)
    name = provider_name(r)
    assert r.one(CLUSTER_PROVIDERS).inputs["defaultCapacityProviderStrategies"] == [
        {"capacityProvider": name, "base": 1, "weight": 1}]
    for svc in r.of_type(SERVICE):
        assert svc.inputs["capacityProviderStrategies"] == [{"capacityProvider": name, "base": 1, "weight": 1}]
        assert "platformVersion" not in svc.inputs
        assert svc.inputs["orderedPlacementStrategies"][0] == {
            "type": "spread", "field": "attribute:ecs.availability-zone"}
    assert {t.inputs["requiresCompatibilities"][0] for t in r.of_type(TASK)} == {"EC2"}
    assert r.one(LAUNCH_TEMPLATE).inputs["imageId"] == "ami-" + hashlib.sha256(
        b"/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id").hexdigest()[:17]
    # The web service on EC2 is still behind the load balancer, by task IP.
    assert r.one("aws:lb/targetGroup:TargetGroup").inputs["targetType"] == "ip"


def test_a_placement_choice_reaches_the_ec2_service():
    cfg = make_config({"cluster": {"ec2": {"instanceTypes": ["m7g.large"]}}}, services={"worker": {
        "kind": "worker", "architecture": "ARM64", "placement": "spread",
        "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}], "containers": {"main": {"image": IMAGE}}}})
    assert plan.render(cfg).one(SERVICE).inputs["orderedPlacementStrategies"] == [
        {"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "spread", "field": "instanceId"}]


def test_an_ec2_group_with_trunking_and_a_kms_key_in_a_private_network():
    kms = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    cfg = make_config({
        "network": {"nat": "none", "endpoints": {"s3": True, "interface": [
            "ecs", "ecs-agent", "ecs-telemetry", "ecr.api", "ecr.dkr", "logs", "sqs"]}},
        "cluster": {"ec2": {"instanceTypes": ["m7g.large"], "awsvpcTrunking": True, "volumeKmsKeyArn": kms}}},
        services={"worker": {"kind": "worker", "architecture": "ARM64", "queue": {},
                             "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}],
                             "containers": {"main": {"image": PRIVATE_ECR_IMAGE}}}})
    r = plan.render(cfg)
    assert r.one("aws:ecs/accountSettingDefault:AccountSettingDefault").inputs["name"] == "awsvpcTrunking"
    assert agent_settings(r)["ECS_ENABLE_HIGH_DENSITY_ENI"] == "true"
    assert agent_settings(r)["ECS_ENABLE_SPOT_INSTANCE_DRAINING"] == "false"
    assert r.one(ASG).inputs["capacityRebalance"] is False
    assert r.one(LAUNCH_TEMPLATE).inputs["blockDeviceMappings"][0]["ebs"]["kmsKeyId"] == kms
    assert r.of_type("aws:ec2/natGateway:NatGateway") == []
    assert set(r.one(ASG).inputs["vpcZoneIdentifiers"]) == set(r.outputs["privateSubnetIds"])
    net = r.one(SERVICE).inputs["networkConfiguration"]
    assert net["assignPublicIp"] is False and set(net["subnets"]) == set(r.outputs["privateSubnetIds"])


def test_a_web_service_gets_a_target_group_without_a_load_balancer_key_and_a_worker_none():
    cfg = make_config(services={"web": {"containers": {"app": {"image": IMAGE, "ports": [8080]}}},
                                "worker": {"kind": "worker", "containers": {"main": {"image": IMAGE}}}})
    r = plan.render(cfg)
    assert [tg.name for tg in r.of_type("aws:lb/targetGroup:TargetGroup")] == ["test-web-tg"]
    assert r.one(SERVICE, "test-web-svc").inputs["loadBalancers"][0]["containerPort"] == 8080
    assert "loadBalancers" not in r.one(SERVICE, "test-worker-svc").inputs


def test_every_workload_kind_adds_only_its_own_resources():
    base = {"web": {"containers": {"app": {"image": IMAGE, "ports": [8080]}}}}
    one = plan.render(make_config(services=base))
    two = plan.render(make_config(services={**base, "job": {
        "kind": "scheduled", "containers": {"main": {"image": IMAGE}}, "schedule": {"expression": "rate(1 day)"}}}))
    added = {r.urn for r in two.resources} - {r.urn for r in one.resources}
    assert all("test-job" in urn for urn in added)
    assert {two.by_urn(u).type for u in added} >= {"ecsapp:scheduled:ScheduledTask", SCHEDULE, TASK}


def test_a_caller_is_created_after_the_service_it_calls():
    # "zeta" sorts after "alpha", but alpha calls zeta: zeta's ECS service must exist first.
    cfg = make_config(services={
        "alpha": {"containers": {"app": {"image": PRIVATE_ECR_IMAGE, "ports": [8080]}}, "calls": ["zeta"],
                  "loadBalancer": {"paths": ["/a/*"]}},
        "zeta": {"kind": "worker", "containers": {"z": {"image": PRIVATE_ECR_IMAGE, "ports": [9000]}}}})
    r = plan.render(cfg)
    alpha, zeta = r.one(SERVICE, "test-alpha-svc"), r.one(SERVICE, "test-zeta-svc")
    assert zeta.urn in alpha.dependencies and alpha.urn not in zeta.dependencies


def test_on_ec2_a_container_without_a_stop_timeout_gets_the_agents():
    cfg = make_config({"cluster": {"ec2": {"instanceTypes": ["m6i.large"], "agentStopTimeout": 90}}}, services={
        "worker": {"kind": "worker", "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}],
                   "containers": {"main": {"image": PRIVATE_ECR_IMAGE}, "side": {"image": PRIVATE_ECR_IMAGE,
                                                                                  "stopTimeout": 10}}}})
    definitions = inputs_json(plan.render(cfg).one("aws:ecs/taskDefinition:TaskDefinition"), "containerDefinitions")
    assert {d["name"]: d["stopTimeout"] for d in definitions} == {"main": 90, "side": 10}


def test_a_called_web_service_serves_its_port_as_http_and_a_called_worker_without_a_protocol():
    cfg = make_config(services={
        "web": {"containers": {"app": {"image": PRIVATE_ECR_IMAGE, "ports": [8080]}}, "calls": ["api", "cache"]},
        "api": {"containers": {"api": {"image": PRIVATE_ECR_IMAGE, "ports": [9000]}},
                "loadBalancer": {"paths": ["/api/*"]}},
        "cache": {"kind": "worker", "containers": {"c": {"image": PRIVATE_ECR_IMAGE, "ports": [6379]}}}})
    r = plan.render(cfg)

    def mappings(name):
        task = next(t for t in r.of_type("aws:ecs/taskDefinition:TaskDefinition") if t.inputs["family"] == name)
        return inputs_json(task, "containerDefinitions")[0]["portMappings"]

    assert mappings("test-api")[0]["appProtocol"] == "http"
    assert "appProtocol" not in mappings("test-cache")[0]  # Redis is not HTTP
    assert "appProtocol" not in mappings("test-web")[0]  # not served by name
