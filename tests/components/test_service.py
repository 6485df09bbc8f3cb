"""Service component: task security group, ALB routing, the ECS service and its auto scaling."""

import pulumi
import pytest

from components.cluster import Cluster, StrategyEntry
from components.load_balancer import LoadBalancer
from components.service import Service
from components.task_definition import TaskDefinition
from tests import factories
from tests.conftest import make_config
from tests.factories import (
    ALB_SG,
    ALB_SUFFIX,
    CLUSTER_ARN,
    CLUSTER_NAME,
    LISTENER_ARN,
    PRIVATE_SUBNETS,
    TASK_ARN,
    cluster_args,
    load_balancer_args,
    routing_args,
    scaling_args,
    task_args,
)

SERVICE = "aws:ecs/service:Service"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
RULE = "aws:lb/listenerRule:ListenerRule"
SCALING_TARGET = "aws:appautoscaling/target:Target"
SCALING_POLICY = "aws:appautoscaling/policy:Policy"



def routing(**overrides):
    """The routing of the minimal web service (container app, port 8080), with overrides."""
    return routing_args(**overrides)


def service_args(cfg=None, **overrides):
    """The minimal web service behind the ALB, without autoscaling, with overrides."""
    return factories.service_args(cfg, **overrides)


def build(cfg=None, **overrides):
    def program():
        svc = Service("p-web", service_args(cfg, **overrides))
        outputs = {"name": svc.name}
        if svc.target_group is not None:
            outputs["targetGroupArnSuffix"] = svc.target_group.arn_suffix
        return outputs

    return program


class Captured:
    """Every resource the component creates, with the options it was registered with (via a transformation)."""

    def __init__(self):
        self.args = {}

    def __call__(self, args):
        self.args[args.name] = args

    def opts(self, name):
        return self.args[name].opts

    def resource(self, name):
        return self.args[name].resource


def build_captured(captured, **overrides):
    return lambda: Service("p-web", service_args(**overrides), opts=pulumi.ResourceOptions(transformations=[captured]))


def task_group(r, name="p-web-sg"):
    return r.one(SG, name).id


def task_group_rules(r, type_):
    return [x for x in r.of_type(type_) if x.inputs["securityGroupId"] == task_group(r)]


def resource_id(r):
    """The scalable target's resource ID: the cluster name given and the service's own name."""
    return f"service/{CLUSTER_NAME}/{r.one(SERVICE).state['name']}"


# --- security groups ---------------------------------------------------------------------------------


def test_tasks_accept_traffic_only_from_the_alb_group_on_the_container_port(render):
    r = render(build())
    [rule] = task_group_rules(r, INGRESS)
    assert rule.inputs["referencedSecurityGroupId"] == ALB_SG
    assert (rule.inputs["ipProtocol"], rule.inputs["fromPort"], rule.inputs["toPort"]) == ("tcp", 8080, 8080)
    assert "cidrIpv4" not in rule.inputs and "cidrIpv6" not in rule.inputs


def test_the_alb_group_may_reach_the_task_group_on_the_container_port(render):
    r = render(build())
    [rule] = [x for x in r.of_type(EGRESS) if x.inputs["securityGroupId"] == ALB_SG]
    assert rule.inputs["referencedSecurityGroupId"] == task_group(r)
    assert (rule.inputs["ipProtocol"], rule.inputs["fromPort"], rule.inputs["toPort"]) == ("tcp", 8080, 8080)


def test_tasks_may_reach_anywhere_for_image_pulls_and_aws_apis(render):
    r = render(build())
    [rule] = task_group_rules(r, EGRESS)
    assert (rule.inputs["ipProtocol"], rule.inputs["cidrIpv4"]) == ("-1", "0.0.0.0/0")
    assert r.one(SG, "p-web-sg").inputs["vpcId"] == "vpc-0abc"


# --- target group and listener rule ------------------------------------------------------------------


def test_target_group_targets_task_ips_over_http_on_the_container_port(render):
    tg = render(build()).one(TARGET_GROUP)
    assert tg.inputs["targetType"] == "ip"
    assert tg.inputs["protocol"] == "HTTP"
    assert tg.inputs["port"] == 8080
    assert tg.inputs["vpcId"] == "vpc-0abc"


def test_target_group_health_check_settings_are_passed_through(render):
    r = render(build(routing=routing(health_check_path="/ready", health_check_interval=15, health_check_timeout=4,
                                     healthy_threshold=3, unhealthy_threshold=5, health_check_matcher="200-299")))
    assert r.one(TARGET_GROUP).inputs["healthCheck"] == {
        "enabled": True, "path": "/ready", "protocol": "HTTP", "port": "traffic-port", "interval": 15, "timeout": 4,
        "healthyThreshold": 3, "unhealthyThreshold": 5, "matcher": "200-299"}


def test_config_default_target_health_check_reaches_the_target_group(render):
    assert render(build(make_config())).one(TARGET_GROUP).inputs["healthCheck"] == {
        "enabled": True, "path": "/health", "protocol": "HTTP", "port": "traffic-port", "interval": 10, "timeout": 5,
        "healthyThreshold": 2, "unhealthyThreshold": 3, "matcher": "200-399"}


def test_target_health_check_of_the_config_reaches_the_target_group(render):
    cfg = make_config(services={"web": {
        "containers": {"app": {"image": {"uri": "busybox:1.36"}, "ports": [8080]}},
        "loadBalancer": {"healthCheck": {"path": "/ready", "interval": 15, "timeout": 4, "healthyThreshold": 3,
                                         "unhealthyThreshold": 5, "matcher": "200-299"}}}})
    hc = render(build(cfg)).one(TARGET_GROUP).inputs["healthCheck"]
    assert (hc["path"], hc["interval"], hc["timeout"], hc["healthyThreshold"], hc["unhealthyThreshold"],
            hc["matcher"]) == ("/ready", 15, 4, 3, 5, "200-299")


def test_target_group_deregistration_delay_follows_args(render):
    assert render(build(routing=routing(deregistration_delay=15))).one(TARGET_GROUP).inputs["deregistrationDelay"] == 15


def test_config_default_deregistration_delay_of_30_s_reaches_the_target_group(render):
    assert render(build(make_config())).one(TARGET_GROUP).inputs["deregistrationDelay"] == 30


def test_listener_rule_forwards_matching_paths_and_hosts_to_the_target_group(render):
    r = render(build(routing=routing(priority=120, paths=["/api/*"], hosts=["api.example.com"])))
    rule = r.one(RULE)
    assert rule.inputs["listenerArn"] == LISTENER_ARN
    assert rule.inputs["priority"] == 120
    assert rule.inputs["conditions"] == [{"pathPattern": {"values": ["/api/*"]}},
                                         {"hostHeader": {"values": ["api.example.com"]}}]
    [action] = rule.inputs["actions"]
    assert action == {"type": "forward", "targetGroupArn": r.one(TARGET_GROUP).state["arn"]}


def test_listener_rule_without_hosts_matches_on_path_only(render):
    rule = render(build(routing=routing(paths=["/app/*"], hosts=[]))).one(RULE)
    assert rule.inputs["conditions"] == [{"pathPattern": {"values": ["/app/*"]}}]


def test_config_default_catch_all_path_and_first_priority_reach_the_listener_rule(render):
    rule = render(build(make_config())).one(RULE)
    assert rule.inputs["conditions"] == [{"pathPattern": {"values": ["/*"]}}]
    assert rule.inputs["priority"] == 100


# --- ECS service -------------------------------------------------------------------------------------


def test_service_runs_the_task_definition_on_the_cluster(render):
    svc = render(build(desired_count=3)).one(SERVICE)
    assert svc.inputs["cluster"] == CLUSTER_ARN
    assert svc.inputs["taskDefinition"] == TASK_ARN
    assert svc.inputs["desiredCount"] == 3


def test_config_default_desired_count_of_one_reaches_the_service(render):
    assert render(build(make_config())).one(SERVICE).inputs["desiredCount"] == 1


def test_config_default_strategy_all_on_demand_fargate_reaches_the_service(render):
    assert render(build(make_config())).one(SERVICE).inputs["capacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": 0, "weight": 1}]


def test_service_uses_the_capacity_provider_strategy_on_the_latest_platform(render):
    strategy = [StrategyEntry(provider="FARGATE_SPOT", weight=4), StrategyEntry(provider="FARGATE", base=1, weight=1)]
    svc = render(build(strategy=strategy)).one(SERVICE)
    assert svc.inputs["capacityProviderStrategies"] == [
        {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
        {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 4},
    ]
    assert svc.inputs["platformVersion"] == "LATEST"
    assert "launchType" not in svc.inputs


def test_config_default_no_public_ip_reaches_the_service_in_the_given_subnets(render):
    r = render(build(make_config()))
    network = r.one(SERVICE).inputs["networkConfiguration"]
    assert network["subnets"] == PRIVATE_SUBNETS
    assert network["assignPublicIp"] is False
    assert network["securityGroups"] == [task_group(r)]


def test_public_ip_can_be_assigned(render):
    assert render(build(assign_public_ip=True)).one(SERVICE).inputs["networkConfiguration"]["assignPublicIp"] is True


def test_service_registers_the_container_port_with_the_target_group(render):
    r = render(build(routing=routing(container_name="web", container_port=3000)))
    [lb] = r.one(SERVICE).inputs["loadBalancers"]
    assert (lb["containerName"], lb["containerPort"]) == ("web", 3000)
    assert lb["targetGroupArn"] == r.one(TARGET_GROUP).state["arn"]


def test_health_check_grace_period_follows_routing(render):
    svc = render(build(routing=routing(health_check_grace_period=90))).one(SERVICE)
    assert svc.inputs["healthCheckGracePeriodSeconds"] == 90


def test_config_default_grace_period_is_at_least_60_seconds(render):
    # 10 s between probes x 2 healthy probes is 20 s: too little for a JVM that starts in 40 s.
    assert render(build(make_config())).one(SERVICE).inputs["healthCheckGracePeriodSeconds"] == 60


@pytest.mark.parametrize("enabled", [True, False])
def test_circuit_breaker_enables_rollback_with_it(render, enabled):
    svc = render(build(circuit_breaker=enabled)).one(SERVICE)
    assert svc.inputs["deploymentCircuitBreaker"] == {"enable": enabled, "rollback": enabled}


def test_deployment_percentages_follow_args(render):
    svc = render(build(minimum_healthy_percent=50, maximum_percent=150)).one(SERVICE)
    assert svc.inputs["deploymentMinimumHealthyPercent"] == 50
    assert svc.inputs["deploymentMaximumPercent"] == 150


@pytest.mark.parametrize("wait", [True, False])
def test_wait_for_steady_state_follows_args(render, wait):
    assert render(build(wait_for_steady_state=wait)).one(SERVICE).inputs["waitForSteadyState"] is wait


def test_config_default_deployment_settings_reach_the_service(render):
    svc = render(build(make_config())).one(SERVICE).inputs
    assert (svc["deploymentMinimumHealthyPercent"], svc["deploymentMaximumPercent"]) == (100, 200)
    assert svc["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert svc["waitForSteadyState"] is True


def test_deployment_settings_of_the_config_reach_the_service(render):
    cfg = make_config(services={"web": {
        "containers": {"app": {"image": {"uri": "busybox:1.36"}, "ports": [8080]}}, "loadBalancer": {},
        "deployment": {"minimumHealthyPercent": 50, "maximumPercent": 150, "circuitBreaker": False,
                       "waitForSteadyState": False}}})
    svc = render(build(cfg)).one(SERVICE).inputs
    assert (svc["deploymentMinimumHealthyPercent"], svc["deploymentMaximumPercent"]) == (50, 150)
    assert svc["deploymentCircuitBreaker"] == {"enable": False, "rollback": False}
    assert svc["waitForSteadyState"] is False


def test_service_is_wired_to_real_cluster_task_definition_and_load_balancer(render):
    def program():
        cluster = Cluster("p", cluster_args())
        lb = LoadBalancer("p", load_balancer_args())
        task = TaskDefinition("p-web", task_args())
        Service("p-web", service_args(
            cluster_arn=cluster.arn, cluster_name=cluster.name, task_definition_arn=task.arn,
            routing=routing(listener_arn=lb.listener_arn, alb_security_group_id=lb.security_group_id,
                            alb_arn_suffix=lb.arn_suffix),
            autoscaling=scaling_args(min=1, max=2), depends_on=[cluster.capacity_providers]))

    r = render(program)
    svc = r.one(SERVICE)
    cluster = r.one("aws:ecs/cluster:Cluster")
    assert svc.inputs["cluster"] == cluster.state["arn"]
    assert svc.inputs["taskDefinition"] == r.one("aws:ecs/taskDefinition:TaskDefinition").state["arn"]
    assert r.one(RULE).inputs["listenerArn"] == r.one("aws:lb/listener:Listener", "p-alb-http").state["arn"]
    alb_group, web_group = task_group(r, "p-alb-sg"), task_group(r)
    [alb_egress] = [x for x in r.of_type(EGRESS) if x.inputs["securityGroupId"] == alb_group]
    assert alb_egress.inputs["referencedSecurityGroupId"] == web_group
    [task_ingress] = [x for x in r.of_type(INGRESS) if x.inputs["securityGroupId"] == web_group]
    assert task_ingress.inputs["referencedSecurityGroupId"] == alb_group
    assert r.one(SCALING_TARGET).inputs["resourceId"] == f"service/{cluster.state['name']}/{svc.state['name']}"


# --- dependencies and ignored changes ----------------------------------------------------------------


def test_service_depends_on_its_listener_rule(render):
    captured = Captured()
    render(build_captured(captured))
    assert captured.resource("p-web-rule") in captured.opts("p-web-svc").depends_on


def test_service_depends_on_what_the_caller_passes(render):
    captured = Captured()
    holder = {}

    def program():
        holder["cluster"] = Cluster("p", cluster_args())
        build_captured(captured, depends_on=[holder["cluster"].capacity_providers])()

    render(program)
    assert holder["cluster"].capacity_providers in captured.opts("p-web-svc").depends_on


def test_autoscaled_service_ignores_desired_count_changes(render):
    captured = Captured()
    render(build_captured(captured, autoscaling=scaling_args(min=2, max=6)))
    assert captured.opts("p-web-svc").ignore_changes == ["desiredCount"]


def test_fixed_size_service_ignores_no_changes(render):
    captured = Captured()
    render(build_captured(captured))
    assert not captured.opts("p-web-svc").ignore_changes


# --- without routing ---------------------------------------------------------------------------------


def test_without_routing_there_is_no_target_group_rule_or_alb_access(render):
    r = render(build(routing=None))
    assert r.of_type(TARGET_GROUP) == []
    assert r.of_type(RULE) == []
    assert r.of_type(INGRESS) == []
    assert [x.name for x in r.of_type(EGRESS)] == ["p-web-egress"]


def test_without_routing_the_service_has_no_load_balancer_or_grace_period(render):
    svc = render(build(routing=None)).one(SERVICE)
    assert not svc.inputs.get("loadBalancers")
    assert "healthCheckGracePeriodSeconds" not in svc.inputs


# --- auto scaling ------------------------------------------------------------------------------------


def test_no_autoscaling_resources_without_autoscaling(render):
    r = render(build())
    assert r.of_type(SCALING_TARGET) == [] and r.of_type(SCALING_POLICY) == []


def test_scaling_target_covers_the_service_desired_count_between_min_and_max(render):
    r = render(build(autoscaling=scaling_args(min=2, max=10)))
    target = r.one(SCALING_TARGET)
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (2, 10)
    assert target.inputs["resourceId"] == resource_id(r)
    assert target.inputs["serviceNamespace"] == "ecs"
    assert target.inputs["scalableDimension"] == "ecs:service:DesiredCount"


def test_cpu_target_tracking_policy(render):
    [policy] = render(build(autoscaling=scaling_args(min=1, max=4, cpu_target=65))).of_type(SCALING_POLICY)
    config = policy.inputs["targetTrackingScalingPolicyConfiguration"]
    assert config["predefinedMetricSpecification"] == {"predefinedMetricType": "ECSServiceAverageCPUUtilization"}
    assert config["targetValue"] == 65


def test_config_default_autoscaling_tracks_cpu_at_70_percent(render):
    cfg = make_config(services={"web": {
        "containers": {"app": {"image": {"uri": "busybox:1.36"}, "ports": [8080]}}, "loadBalancer": {},
        "autoscaling": {"max": 4}}})
    r = render(build(cfg))
    assert (r.one(SCALING_TARGET).inputs["minCapacity"], r.one(SCALING_TARGET).inputs["maxCapacity"]) == (1, 4)
    [policy] = r.of_type(SCALING_POLICY)
    config = policy.inputs["targetTrackingScalingPolicyConfiguration"]
    assert config["predefinedMetricSpecification"] == {"predefinedMetricType": "ECSServiceAverageCPUUtilization"}
    assert (config["targetValue"], config["scaleInCooldown"], config["scaleOutCooldown"]) == (70, 300, 60)


def test_one_target_tracking_policy_per_enabled_metric(render):
    scaling = scaling_args(min=1, max=4, cpu_target=60, memory_target=75, requests_per_target=500)
    policies = render(build(autoscaling=scaling)).of_type(SCALING_POLICY)
    by_metric = {p.inputs["targetTrackingScalingPolicyConfiguration"]["predefinedMetricSpecification"]
                 ["predefinedMetricType"]: p.inputs["targetTrackingScalingPolicyConfiguration"]["targetValue"]
                 for p in policies}
    assert by_metric == {"ECSServiceAverageCPUUtilization": 60, "ECSServiceAverageMemoryUtilization": 75,
                         "ALBRequestCountPerTarget": 500}
    assert len(policies) == 3


def test_policies_track_the_scaling_target_with_the_configured_cooldowns(render):
    scaling = scaling_args(min=1, max=4, cpu_target=70, memory_target=80, scale_in_cooldown=600,
                           scale_out_cooldown=30)
    r = render(build(autoscaling=scaling))
    policies = r.of_type(SCALING_POLICY)
    assert len(policies) == 2
    for policy in policies:
        assert policy.inputs["policyType"] == "TargetTrackingScaling"
        assert policy.inputs["resourceId"] == resource_id(r)
        assert policy.inputs["scalableDimension"] == "ecs:service:DesiredCount"
        assert policy.inputs["serviceNamespace"] == "ecs"
        config = policy.inputs["targetTrackingScalingPolicyConfiguration"]
        assert (config["scaleInCooldown"], config["scaleOutCooldown"]) == (600, 30)


def test_request_count_policy_is_labelled_with_the_alb_and_target_group(render):
    r = render(build(autoscaling=scaling_args(min=1, max=4, cpu_target=None, requests_per_target=200)))
    [policy] = r.of_type(SCALING_POLICY)
    spec = policy.inputs["targetTrackingScalingPolicyConfiguration"]["predefinedMetricSpecification"]
    assert spec["predefinedMetricType"] == "ALBRequestCountPerTarget"
    assert spec["resourceLabel"] == f"{ALB_SUFFIX}/{r.one(TARGET_GROUP).state['arnSuffix']}"
    assert r.outputs["targetGroupArnSuffix"] == r.one(TARGET_GROUP).state["arnSuffix"]


def test_no_request_count_policy_without_routing(render):
    r = render(build(routing=None, autoscaling=scaling_args(min=1, max=4, cpu_target=70, requests_per_target=200)))
    metrics = [p.inputs["targetTrackingScalingPolicyConfiguration"]["predefinedMetricSpecification"]
               ["predefinedMetricType"] for p in r.of_type(SCALING_POLICY)]
    assert metrics == ["ECSServiceAverageCPUUtilization"]


def test_every_resource_descends_from_the_component(render):
    r = render(build(autoscaling=scaling_args(min=1, max=4, cpu_target=None, memory_target=80,
                                                requests_per_target=100)))
    component = r.one("ecsapp:service:Service")
    scaling = r.one("ecsapp:service:Scaling")
    assert scaling.parent == component.urn
    others = [x for x in r.resources if x.urn not in (component.urn, scaling.urn)]
    assert all(x.parent in (component.urn, scaling.urn) for x in others)
    assert {x.type for x in r.children(scaling)} == {SCALING_TARGET, SCALING_POLICY}


@pytest.mark.parametrize("fargate,placement,rebalancing", [
    (True, "spread-binpack", "ENABLED"), (False, "spread-binpack", "ENABLED"), (False, "spread", "ENABLED"),
    (False, "binpack", "DISABLED"),
])
def test_az_rebalancing_only_where_tasks_are_spread_over_azs(render, fargate, placement, rebalancing):
    svc = render(build(routing=None, fargate=fargate, placement=placement)).one(SERVICE)
    assert svc.inputs["availabilityZoneRebalancing"] == rebalancing


# --- ECS Exec ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("enabled", [True, False])
def test_ecs_exec_on_the_service_follows_args(render, enabled):
    assert render(build(enable_execute_command=enabled)).one(SERVICE).inputs["enableExecuteCommand"] is enabled


def test_config_default_leaves_ecs_exec_off(render):
    assert render(build(make_config())).one(SERVICE).inputs["enableExecuteCommand"] is False


# --- stickiness, source CIDRs, protocol versions ------------------------------------------------------

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def web_config(lb=None, **routing_fields):
    return make_config(lb, services={"web": {"containers": {"app": {"image": {"uri": "busybox:1.36"},
                                                                    "ports": [50051]}},
                                             "loadBalancer": routing_fields}})


def test_stickiness_of_the_config_is_an_lb_cookie_for_its_duration(render):
    tg = render(build(web_config(stickiness={"duration": 3600}))).one(TARGET_GROUP)
    assert tg.inputs["stickiness"] == {"type": "lb_cookie", "enabled": True, "cookieDuration": 3600}


def test_stickiness_turned_off_is_sent_off(render):
    tg = render(build(web_config(stickiness={"enabled": False}))).one(TARGET_GROUP)
    assert tg.inputs["stickiness"] == {"type": "lb_cookie", "enabled": False, "cookieDuration": 86400}


def test_without_stickiness_or_protocol_version_the_target_group_sets_neither(render):
    # Unset, as before these settings existed: AWS's defaults (off, HTTP1), and no diff for existing stacks.
    tg = render(build(make_config())).one(TARGET_GROUP)
    assert "stickiness" not in tg.inputs and "protocolVersion" not in tg.inputs


def test_source_cidrs_are_a_source_ip_condition_of_the_rule(render):
    rule = render(build(web_config(paths=["/admin/*"], sourceCidrs=["203.0.113.0/24", "2001:db8::/32"]))).one(RULE)
    assert rule.inputs["conditions"] == [{"pathPattern": {"values": ["/admin/*"]}},
                                         {"sourceIp": {"values": ["203.0.113.0/24", "2001:db8::/32"]}}]


def test_grpc_target_group_gets_the_protocol_version_and_awss_grpc_health_check_defaults(render):
    tg = render(build(web_config({"loadBalancer": {"certificateArn": CERT}}, protocolVersion="GRPC"))).one(TARGET_GROUP)
    assert tg.inputs["protocolVersion"] == "GRPC"
    assert tg.inputs["protocol"] == "HTTP"  # TLS ends at the ALB; gRPC runs over HTTP/2 to the task
    assert (tg.inputs["healthCheck"]["path"], tg.inputs["healthCheck"]["matcher"]) == ("/AWS.ALB/healthcheck", "12")


def test_grpc_health_check_of_the_config_reaches_the_target_group(render):
    cfg = web_config({"loadBalancer": {"certificateArn": CERT}}, protocolVersion="GRPC",
                     healthCheck={"path": "/grpc.health.v1.Health/Check", "matcher": "0"})
    hc = render(build(cfg)).one(TARGET_GROUP).inputs["healthCheck"]
    assert (hc["path"], hc["matcher"]) == ("/grpc.health.v1.Health/Check", "0")


def test_http2_target_group_keeps_the_http_health_check_defaults(render):
    tg = render(build(web_config({"loadBalancer": {"certificateArn": CERT}}, protocolVersion="HTTP2"))).one(
        TARGET_GROUP)
    assert tg.inputs["protocolVersion"] == "HTTP2"
    assert (tg.inputs["healthCheck"]["path"], tg.inputs["healthCheck"]["matcher"]) == ("/health", "200-399")
