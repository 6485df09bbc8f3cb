"""The whole stack program: dev and prod render, and the resources are wired to each other."""

from __future__ import annotations

import json

import pytest

from deploy.config.parse import load
from deploy.offline import plan
from tests.conftest import FIXTURES, inputs_json, make_config, service

SERVICE = "aws:ecs/service:Service"
TG = "aws:lb/targetGroup:TargetGroup"
RULE = "aws:lb/listenerRule:ListenerRule"
LISTENER = "aws:lb/listener:Listener"
ALB = "aws:lb/loadBalancer:LoadBalancer"


@pytest.fixture(scope="module")
def dev():
    return plan.render(load(FIXTURES / "Pulumi.small.yaml", "ecs-app", "dev"))


@pytest.fixture(scope="module")
def prod():
    return plan.render(load(FIXTURES / "Pulumi.mixed.yaml", "ecs-app", "prod"))


def test_dev_is_small_and_cheap(dev):
    assert len(dev.of_type("aws:ec2/natGateway:NatGateway")) == 1
    assert len(dev.of_type("aws:ec2/subnet:Subnet")) == 4
    assert dev.of_type("aws:ec2/vpcEndpoint:VpcEndpoint") == []
    strategy = dev.one(SERVICE).inputs["capacityProviderStrategies"]
    assert {s["capacityProvider"]: (s["base"], s["weight"]) for s in strategy} == {
        "FARGATE": (1, 0), "FARGATE_SPOT": (0, 1)}


def test_dev_builds_the_sample_app_for_the_task_architecture(dev):
    image = dev.one("awsx:ecr:Image")
    assert image.inputs["context"] == "./app"
    assert image.inputs["platform"] == "linux/amd64"
    definitions = inputs_json(dev.one("aws:ecs/taskDefinition:TaskDefinition"), "containerDefinitions")
    assert definitions[0]["image"] == image.state["imageUri"]
    assert definitions[0]["user"] == "10001" and definitions[0]["readonlyRootFilesystem"] is True


def test_dev_serves_plain_http(dev):
    listeners = dev.of_type(LISTENER)
    assert [(x.inputs["port"], x.inputs["protocol"]) for x in listeners] == [(80, "HTTP")]
    assert dev.outputs["albUrl"].startswith("http://")


def test_prod_is_highly_available_and_https_only(prod):
    assert len(prod.of_type("aws:ec2/natGateway:NatGateway")) == 3
    assert prod.one(ALB).inputs["enableDeletionProtection"] is True
    http = prod.one(LISTENER, "prod-alb-http")
    assert http.inputs["defaultActions"][0]["type"] == "redirect"
    https = prod.one(LISTENER, "prod-alb-https")
    assert https.inputs["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    assert prod.outputs["albUrl"].startswith("https://")


def test_prod_autoscales_both_services(prod):
    targets = {t.name: t.inputs for t in prod.of_type("aws:appautoscaling/target:Target")}
    assert (targets["prod-web-scaling-target"]["minCapacity"], targets["prod-web-scaling-target"]["maxCapacity"]) == (3, 12)
    assert (targets["prod-api-scaling-target"]["minCapacity"], targets["prod-api-scaling-target"]["maxCapacity"]) == (2, 6)
    policies = {p.name for p in prod.of_type("aws:appautoscaling/policy:Policy")}
    assert policies == {"prod-web-scaling-cpu", "prod-web-scaling-requests", "prod-api-scaling-cpu",
                        "prod-api-scaling-memory", "prod-worker-scaling-backlog-out", "prod-worker-scaling-backlog-in",
                        "prod-worker-scaling-backlog-idle"}


def test_prod_mixes_architectures_and_builds_for_the_task_platform(prod):
    assert prod.one("awsx:ecr:Image").inputs["platform"] == "linux/amd64"
    tasks = {t.name: t.inputs["runtimePlatform"]["cpuArchitecture"]
             for t in prod.of_type("aws:ecs/taskDefinition:TaskDefinition")}
    assert tasks == {"prod-web-task": "X86_64", "prod-api-task": "ARM64", "prod-worker-task": "ARM64",
                     "prod-nightly-report-task": "X86_64"}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_service_target_group_listener_rule_and_alb_are_wired(stack, dev, prod):
    r = {"dev": dev, "prod": prod}[stack]
    alb = r.one(ALB)
    listener = r.one(LISTENER, f"{stack}-alb-https" if stack == "prod" else f"{stack}-alb-http")
    assert listener.inputs["loadBalancerArn"] == alb.state["arn"]
    svc = r.one(SERVICE, f"{stack}-web-svc")
    tg = r.one(TG, f"{stack}-web-tg")
    rule = r.one(RULE, f"{stack}-web-rule")
    assert svc.inputs["loadBalancers"][0]["targetGroupArn"] == tg.state["arn"]
    assert rule.inputs["actions"][0]["targetGroupArn"] == tg.state["arn"]
    assert rule.inputs["listenerArn"] == listener.state["arn"]
    # The classic failure: a service whose target group is not yet behind a listener.
    assert rule.urn in svc.dependencies


def test_security_groups_admit_only_the_alb_to_tasks(prod):
    alb_sg = prod.one("aws:ec2/securityGroup:SecurityGroup", "prod-alb-sg")
    task_sg = prod.one("aws:ec2/securityGroup:SecurityGroup", "prod-web-sg")
    ingress = [x for x in prod.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
               if x.inputs["securityGroupId"] == task_sg.id]
    assert len(ingress) == 1
    assert ingress[0].inputs["referencedSecurityGroupId"] == alb_sg.id
    assert (ingress[0].inputs["fromPort"], ingress[0].inputs["toPort"]) == (8080, 8080)
    alb_ingress = [x for x in prod.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                   if x.inputs["securityGroupId"] == alb_sg.id]
    assert sorted(x.inputs["fromPort"] for x in alb_ingress) == [80, 443]


def test_services_run_in_private_subnets_without_public_ips(prod):
    private = set(prod.outputs["privateSubnetIds"])
    for svc in prod.of_type(SERVICE):
        assert svc.inputs["networkConfiguration"]["assignPublicIp"] is False
        assert set(svc.inputs["networkConfiguration"]["subnets"]) == private


def test_autoscaled_service_ignores_desired_count_after_creation(prod, dev):
    assert prod.one(SERVICE, "prod-web-svc").ignore_changes == ("desiredCount",)
    assert dev.one(SERVICE).ignore_changes == ()


def test_every_service_depends_on_the_capacity_provider_association(prod):
    capacity = prod.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders")
    for svc in prod.of_type(SERVICE):
        assert capacity.urn in svc.dependencies


def test_outputs_name_everything_a_user_needs(prod):
    out = prod.outputs
    assert out["clusterName"] == "prod-cluster"
    assert set(out["serviceNames"]) == {"web", "api", "worker"}
    assert out["scheduleNames"] == {"nightly-report": "prod-nightly-report-schedule"}
    assert set(out["queueUrls"]) == {"worker"}
    assert out["logGroupNames"]["api"] == "/ecs/ecs-app/prod/api"
    assert len(out["logGroupNames"]) == 4
    assert set(out["repositoryUrls"]) == {"web/app"}
    assert len(out["publicSubnetIds"]) == 3 and out["vpcId"]


def test_listener_rules_put_the_catch_all_last(prod):
    rules = {r.name: r.inputs["priority"] for r in prod.of_type(RULE)}
    assert rules["prod-api-rule"] < rules["prod-web-rule"]


def test_cheapest_network_puts_tasks_in_public_subnets_with_public_ips(render):
    cfg = make_config({"network": {"nat": "none"}})
    r = plan.render(cfg)
    net = r.one(SERVICE).inputs["networkConfiguration"]
    assert net["assignPublicIp"] is True
    assert set(net["subnets"]) == set(r.outputs["publicSubnetIds"])
    assert r.of_type("aws:ec2/natGateway:NatGateway") == []


def test_worker_without_load_balancer_gets_no_alb_at_all():
    cfg = make_config(services={"worker": {"kind": "worker",
        "containers": {"main": {"image": {"uri": "busybox:1.36"}, "command": ["sleep", "3600"]}}}})
    r = plan.render(cfg)
    assert r.of_type(ALB) == [] and r.of_type(TG) == []
    assert r.one(SERVICE).inputs.get("loadBalancers") in (None, [])
    assert "albUrl" not in r.outputs


def test_secure_config_makes_container_definitions_secret():
    cfg = make_config()
    secret_cfg = cfg.model_copy(update={"secret_keys": frozenset({"ecs-app:services"})})
    task = plan.render(secret_cfg).one("aws:ecs/taskDefinition:TaskDefinition")
    assert task.inputs["containerDefinitions"] == "[secret]"


def test_tags_reach_every_taggable_resource(prod):
    tagged = [r for r in prod.resources if "tags" in r.inputs]
    assert len(tagged) > 30
    for r in tagged:
        tags = r.inputs["tags"]
        if isinstance(tags, list):  # Auto Scaling groups: [{key, value, propagateAtLaunch}]
            tags = {t["key"]: t["value"] for t in tags}
        assert tags["Stack"] == "prod" and tags["CostCenter"] == "platform", r.name


def test_plan_json_matches_the_contract(dev):
    data = json.loads(json.dumps(plan.as_json(dev)))
    assert set(data) == {"project", "stack", "resources", "outputs"}
    assert (data["project"], data["stack"]) == ("ecs-app", "dev")
    urns = {r["urn"] for r in data["resources"]}
    for r in data["resources"]:
        assert set(r) == {"urn", "type", "name", "parent", "inputs", "dependencies", "options"}
        assert r["parent"] is None or r["parent"] in urns
        assert set(r["dependencies"]) <= urns, r["name"]
        assert set(r["options"]) == {"protect", "ignoreChanges", "deleteBeforeReplace", "retainOnDelete",
                                     "customTimeouts"}
    service = next(r for r in data["resources"] if r["type"] == SERVICE)
    rule = next(r for r in data["resources"] if r["type"] == RULE)
    assert rule["urn"] in service["dependencies"]  # the listener rule exists before the service (target group)
    types = {r["type"] for r in data["resources"]}
    assert {"ecsapp:network:Network", "ecsapp:service:Service", SERVICE} <= types
    assert isinstance(next(r for r in data["resources"] if r["type"] == "aws:ecs/taskDefinition:TaskDefinition")
                      ["inputs"]["containerDefinitions"], str)


def test_more_services_add_only_their_own_resources():
    one = plan.render(make_config())
    two = plan.render(make_config(services={"web": service(), "admin": service(
        loadBalancer={"paths": ["/admin/*"]})}))
    added = len(two.resources) - len(one.resources)
    per_service = len([r for r in one.resources if r.name.startswith("test-web")])
    assert added == per_service


def test_an_image_tag_runs_from_the_stacks_repository_without_building():
    cfg = make_config(services={"web": service(containers={"app": {
        "image": {"build": {"context": "./app"}, "tag": "v1.2.3"}, "ports": [8080]}})})
    r = plan.render(cfg)
    assert r.of_type("awsx:ecr:Image") == []
    repo = r.one("aws:ecr/repository:Repository")
    definitions = inputs_json(r.one("aws:ecs/taskDefinition:TaskDefinition"), "containerDefinitions")
    assert definitions[0]["image"] == f"{repo.state['repositoryUrl']}:v1.2.3"
    policy = inputs_json(r.one("aws:iam/rolePolicy:RolePolicy", "test-web-execution-policy"), "policy")
    pull = next(s for s in policy["Statement"] if s["Sid"] == "EcrPull")
    assert pull["Resource"] == [repo.state["arn"]]


def test_protect_true_protects_the_stateful_resources_and_only_them(prod):
    stateful = {"aws:lb/loadBalancer:LoadBalancer", "aws:ecr/repository:Repository",
                "aws:cloudwatch/logGroup:LogGroup", "aws:sqs/queue:Queue"}
    protected = {r.type for r in prod.resources if r.protect}
    assert protected == stateful
    assert all(r.protect for r in prod.resources if r.type in stateful)


def test_without_protect_nothing_is_protected(dev):
    assert [r.name for r in dev.resources if r.protect] == []


def test_exec_turns_on_ecs_exec_for_that_service_only_and_logs_its_sessions_to_the_clusters_group():
    writable = {"image": {"uri": "busybox:1.36"}, "ports": [8080], "readonlyRootFilesystem": False}
    cfg = make_config(services={
        "web": {"containers": {"app": writable}, "exec": True},
        "api": {"containers": {"app": {"image": {"uri": "busybox:1.36"}, "ports": [9000]}},
                "loadBalancer": {"paths": ["/api/*"]}}})
    r = plan.render(cfg)
    enabled = {s.name: s.inputs["enableExecuteCommand"] for s in r.of_type(SERVICE)}
    assert enabled == {"test-web-svc": True, "test-api-svc": False}
    group = r.one("aws:cloudwatch/logGroup:LogGroup", "test-exec-logs")
    policies = {p.name: p for p in r.of_type("aws:iam/rolePolicy:RolePolicy")}
    assert "test-api-exec-policy" not in policies
    [session_logs] = [s for s in inputs_json(policies["test-web-exec-policy"], "policy")["Statement"]
                      if s["Sid"] == "SessionLogs"]
    assert session_logs["Resource"] == group.state["arn"] + ":*"
