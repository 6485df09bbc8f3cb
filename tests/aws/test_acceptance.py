"""The acceptance check: AWS's API models, its documented rules, and the rules of the whole plan."""

from __future__ import annotations

import html
import re

import botocore.session
import pytest

from deploy.aws import acceptance
from deploy.aws.acceptance import api, documented, plan_rules
from deploy.aws.acceptance.requests import AUTONAME_EXAMPLE, Payload, physical_name, requests
from deploy.aws.limits import AUTONAME_SUFFIX

SG_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


def squeezed(text: str) -> str:
    """Text without markup or whitespace: the model's HTML puts tags (and so spaces) inside sentences."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", text)))


def doc_text(service: str, shape: str, member: str | None) -> str:
    model = botocore.session.get_session().get_service_model(service).shape_for(shape)
    return squeezed(model.members[member].documentation if member else model.documentation)


# --- the documented rules are AWS's own words ---------------------------------------------------


@pytest.mark.parametrize("rule", documented.RULES, ids=lambda r: r.id)
def test_every_documented_rule_is_attached_to_a_real_member_and_quotes_its_documentation(rule):
    shape = botocore.session.get_session().get_service_model(rule.service).shape_for(rule.shape)
    assert rule.member is None or rule.member in shape.members, f"{rule.shape} has no member {rule.member}"
    if rule.url:
        assert rule.url.startswith("https://docs.aws.amazon.com/")
    else:
        assert squeezed(rule.quote) in doc_text(rule.service, rule.shape, rule.member), rule.id


CASES = {
    # rule id: (accepted value, refused value, words of the refusal)
    "EC2.SecurityGroupDescription": ("Tasks of dev-web", "the app's tasks", "'"),
    "EC2.SecurityGroupName": ("dev-web-sg-1234567", "sg-web", "must not start with 'sg-'"),
    "EC2.RuleDescription.IpRange": ("HTTPS from 0.0.0.0/0", "calls the app's peers", "may contain only"),
    "EC2.RuleDescription.GroupPair": ("ALB to the tasks of dev-web", "A & B", "may contain only"),
    "ECS.PortMappingName": ("app-8080", "WebApp-8080", "lowercase letters"),
    "ECS.ContainerName": ("Web_App-1", "web.app", "letters, numbers, underscores and hyphens"),
    "ECS.StopTimeout": (120, 121, "must be 0 to 120 s (got 121)"),
    "ECS.RestartAttemptPeriod": (1800, 59, "must be 60 to 1800 s (got 59)"),
    "ECS.IgnoredExitCodes": (list(range(50)), list(range(51)), "allows at most 50 exit codes (got 51)"),
    "ECS.HealthCheckCommand": (["CMD-SHELL", "curl -f localhost"], ["curl", "localhost"], 'must start with "CMD"'),
    "ECS.HealthCheckInterval": (300, 301, "must be 5 to 300 s"),
    "ECS.HealthCheckTimeout": (60, 61, "must be 2 to 60 s (got 61)"),
    "ECS.HealthCheckRetries": (10, 0, "must be 1 to 10"),
    "ECS.HealthCheckStartPeriod": (300, 301, "must be 0 to 300 s"),
    "ECS.VolumeName": ("app-tmp", "app/tmp", "letters, numbers"),
    "ECS.Family": ("prod-web", "prod web", "letters, numbers"),
    "ECS.ServiceName": ("prod-web-svc-1234567", "x" * 256, "at most 255 characters"),
    "ECS.ClusterName": ("prod-cluster-1234567", "prod:cluster", "letters, numbers"),
    "ECS.CapacityProviderName": ("prod-ec2-cp-1234567", "ecs-prod-cp", "must not start with 'ecs'"),
    "ECS.DiscoveryName": ("api", "-api", "not starting with a hyphen"),
    "ECS.ClientAliasDnsName": ("api.internal", "Api", "lowercase letters"),
    "ECS.AwsVpcSecurityGroups": ([f"sg-{i:08x}" for i in range(5)], [f"sg-{i:08x}" for i in range(6)],
                                 "at most 5 security groups (got 6)"),
    "ECS.AwsVpcSubnets": ([f"subnet-{i:08x}" for i in range(16)], [f"subnet-{i:08x}" for i in range(17)],
                          "at most 16 subnets (got 17)"),
    "ELB.LoadBalancerName": ("prod-alb-1234567", "internal-alb-1234567", "must not start with 'internal-'"),
    "ELB.TargetGroupName": ("prod-web-tg-1234567", "prod-web-target-group-1234567-xyz", "at most 32 characters"),
    "ELB.MatcherHttpCode": ("200-399,404", "200-599", "from 200 to 499"),
    "ELB.MatcherGrpcCode": ("0-5,12", "200", "from 0 to 99"),
    "ELB.ProtocolVersion": ("GRPC", "HTTP3", "must be one of HTTP1, HTTP2, GRPC (got 'HTTP3')"),
    "ELB.GrpcHealthCheckPath": ({"ProtocolVersion": "GRPC", "HealthCheckPath": "/grpc.health.v1.Health/Check"},
                                {"ProtocolVersion": "GRPC", "HealthCheckPath": "/health"},
                                "must be a gRPC method, /package.service/method"),
    "ELB.SourceIpValues": (["203.0.113.0/24", "2001:db8::/32"], ["203.0.113.*"], "without wildcards"),
    "ELB.StickinessDuration": ({"Key": "stickiness.lb_cookie.duration_seconds", "Value": "604800"},
                               {"Key": "stickiness.lb_cookie.duration_seconds", "Value": "604801"},
                               "must be 1 to 604800 s (got 604801)"),
    "ACM.CommonName": ("example.com", "a" * 61 + ".com", "at most 64 characters (got 65"),
    "ACM.NamesQuota": ({"DomainName": "example.com", "SubjectAlternativeNames": [f"n{i}.example.com" for i in range(9)]},
                       {"DomainName": "example.com", "SubjectAlternativeNames": [f"n{i}.example.com" for i in range(10)]},
                       "at most 10 domain names"),
    "WAF.RegionalWebAcl": ("arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/0f1e2d3c",
                           "arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/0f1e2d3c",
                           "must be a regional web ACL"),
    "ELB.HostHeaderValues": (["api.example.com", "*.example.com"], ["localhost"], "must include a '.'"),
    "ELB.PathPatternValues": (["/api/*"], ["/" + "a" * 128], "at most 128 characters"),
    "ELB.RuleConditionQuotas": ({"Conditions": [{"PathPatternConfig": {"Values": ["/a/*", "/b/*"]}},
                                                {"HostHeaderConfig": {"Values": ["a.example.com"]}}]},
                                {"Conditions": [{"PathPatternConfig": {"Values": ["/a", "/b", "/c", "/d"]}},
                                                {"HostHeaderConfig": {"Values": ["a.example.com", "b.example.com"]}}]},
                                "at most 5 condition values"),
    "CloudWatch.DashboardName": ("ecs-app-prod", "ecs-app.prod", 'A-Z, a-z, 0-9, "-" and "_"'),
    "CloudWatch.DashboardBody": ('{"widgets": []}', '{"widgets": [{"type": "metric"}]}', "widgets[0].x must be"),
    "AAS.SchedulingBufferTime": (3599, 3600, "must be 0 to 3599 s (got 3600)"),
    "AAS.MaxCapacityBuffer": ({"MaxCapacityBreachBehavior": "IncreaseMaxCapacity", "MaxCapacityBuffer": 10},
                              {"MaxCapacityBreachBehavior": "HonorMaxCapacity", "MaxCapacityBuffer": 10},
                              "applies only with MaxCapacityBreachBehavior IncreaseMaxCapacity"),
    "SQS.QueueName": ("prod-worker-queue-1234567", "prod.worker.queue", "alphanumeric characters"),
    "SQS.FifoQueueName": ({"QueueName": "prod-jobs-queue-1234567.fifo", "Attributes": {"FifoQueue": "true"}},
                          {"QueueName": "prod-jobs-queue-1234567", "Attributes": {"FifoQueue": "true"}},
                          "QueueName of a FIFO queue must end with '.fifo'"),
    "SQS.FifoOnlyAttributes": ({"FifoQueue": "true", "ContentBasedDeduplication": "true"},
                               {"ContentBasedDeduplication": "true"},
                               "ContentBasedDeduplication applies only to FIFO queues"),
    "SQS.DeadLetterQueueType": (
        {"FifoQueue": "true", "RedrivePolicy": '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:d.fifo"}'},
        {"FifoQueue": "true", "RedrivePolicy": '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:d"}'},
        "RedrivePolicy of a FIFO queue names a standard dead-letter queue"),
}


def test_every_documented_rule_has_a_case():
    assert sorted(CASES) == sorted(r.id for r in documented.RULES)


@pytest.mark.parametrize("rule", documented.RULES, ids=lambda r: r.id)
def test_a_documented_rule_accepts_its_good_value_and_refuses_its_bad_one(rule):
    good, bad, words = CASES[rule.id]
    assert rule.check(good) is None
    problem = rule.check(bad)
    assert problem is not None and words in problem, problem


def test_listener_rules_take_at_most_five_wildcards():
    wild = {"Conditions": [{"PathPatternConfig": {"Values": ["/*/*/*", "/a/*/*/*"]}}]}
    quotas = next(r for r in documented.RULES if r.id == "ELB.RuleConditionQuotas")
    assert "at most 5 wildcards" in quotas.check(wild)


# --- the API model walker ----------------------------------------------------------------------


def breaches(service, operation, request):
    return [(b.path, b.message) for b in api.problems(service, operation, request)]


def test_lengths_ranges_enums_and_patterns_of_the_model_are_checked():
    found = breaches("scheduler", "CreateSchedule", {
        "Name": "n" * 65, "State": "PAUSED", "ScheduleExpressionTimezone": "",
        "Target": {"Arn": "arn:aws:ecs:us-east-1:123456789012:cluster/c", "RoleArn": "not-an-arn",
                   "RetryPolicy": {"MaximumRetryAttempts": 186}}})
    assert ("Name", "must have 1 to 64 characters (got 65: '" + "n" * 65 + "')") in found
    assert ("State", "must be one of ENABLED, DISABLED (got 'PAUSED')") in found
    assert ("ScheduleExpressionTimezone", "must have 1 to 50 characters (got 0: '')") in found
    assert ("Target.RetryPolicy.MaximumRetryAttempts", "must be 0 to 185 (got 186)") in found
    assert any(path == "Target.RoleArn" and msg.startswith("must match arn:aws") for path, msg in found)


def test_types_and_required_members_inside_a_structure_are_checked_but_not_of_the_partial_request():
    found = breaches("scheduler", "CreateSchedule", {"Target": {"Arn": 7, "RetryPolicy": {}}})
    assert ("Target.Arn", "must be a string (got 7)") in found
    assert ("Target.RoleArn", "is required") in found
    assert not any(path in ("Name", "ScheduleExpression") for path, _ in found)  # the request itself is partial


def test_members_match_without_regard_to_case():
    request = {"Target": {"Arn": "arn:aws:ecs:us-east-1:123456789012:cluster/c",
                          "RoleArn": "arn:aws:iam::123456789012:role/r",
                          "EcsParameters": {"TaskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/t",
                                            "enableEcsManagedTags": "yes"}}}
    assert breaches("scheduler", "CreateSchedule", request) == [
        ("Target.EcsParameters.EnableECSManagedTags", "must be true or false (got 'yes')")]


def test_java_patterns_with_unicode_classes_are_checked():
    assert breaches("application-autoscaling", "PutScalingPolicy", {"PolicyName": "ok name"}) == []
    assert breaches("application-autoscaling", "PutScalingPolicy", {"PolicyName": "bad\x01"}) == [
        ("PolicyName", "must match \\p{Print}+ (got 'bad\\x01')")]


def test_documented_rules_fire_where_they_are_attached():
    found = breaches("ecs", "RegisterTaskDefinition", {"containerDefinitions": [
        {"name": "web", "image": "x", "portMappings": [{"name": "Web-80", "containerPort": 80}],
         "healthCheck": {"command": ["CMD", "true"], "timeout": 90}}]})
    assert [path for path, _ in found] == ["containerDefinitions[0].portMappings[0].name",
                                           "containerDefinitions[0].healthCheck.timeout"]


def test_a_container_restart_policy_is_checked_against_the_model_and_its_documented_range():
    found = breaches("ecs", "RegisterTaskDefinition", {"containerDefinitions": [
        {"name": "web", "image": "x", "restartPolicy": {"ignoredExitCodes": ["0"], "restartAttemptPeriod": 30}}]})
    assert found == [("containerDefinitions[0].restartPolicy.enabled", "is required"),
                     ("containerDefinitions[0].restartPolicy.ignoredExitCodes[0]", "must be a number (got '0')"),
                     ("containerDefinitions[0].restartPolicy.restartAttemptPeriod", "must be 60 to 1800 s (got 30)")]


# --- requests rebuilt from the inputs ---------------------------------------------------------


def test_an_auto_named_resource_is_checked_with_pulumis_suffix_and_a_named_one_as_named():
    assert len(AUTONAME_EXAMPLE) == AUTONAME_SUFFIX == 8
    assert physical_name(Payload("t", "prod-web-svc", {})) == "prod-web-svc-aaaaaaa"
    assert physical_name(Payload("t", "logs", {"name": "/ecs/app"})) == "/ecs/app"


def test_a_role_name_that_overflows_with_the_suffix_is_refused():
    role = Payload("aws:iam/role:Role", "p" * 57, {"description": "x"})  # 57 + 8 = 65 > 64
    [finding] = acceptance.check([role], "us-east-1")
    assert (finding.input, finding.rule) == ("CreateRole.RoleName", "api-model")
    assert finding.message.startswith("must have 1 to 64 characters (got 65:")


def test_the_scheduler_target_is_sent_in_the_apis_shape():
    schedule = Payload("aws:scheduler/schedule:Schedule", "nightly", {
        "scheduleExpression": "cron(0 3 * * ? *)", "flexibleTimeWindow": {"mode": "OFF"},
        "target": {"arn": "arn:aws:ecs:us-east-1:123456789012:cluster/c", "roleArn": "arn:aws:iam::123456789012:role/r",
                   "ecsParameters": {"taskDefinitionArn": "td", "taskCount": 11,
                                     "capacityProviderStrategies": [{"capacityProvider": "FARGATE", "weight": 1}],
                                     "networkConfiguration": {"subnets": ["s"], "assignPublicIp": False}}}})
    [request] = requests(schedule)
    ecs = request.params["Target"]["EcsParameters"]
    assert ecs["NetworkConfiguration"] == {"AwsvpcConfiguration": {"Subnets": ["s"], "AssignPublicIp": "DISABLED"}}
    assert ecs["CapacityProviderStrategy"] == [{"CapacityProvider": "FARGATE", "Weight": 1}]
    found = acceptance.check([schedule], "us-east-1")
    assert [(f.input, f.message) for f in found] == [
        ("CreateSchedule.Target.EcsParameters.TaskCount", "must be 1 to 10 (got 11)")]


def test_ecs_exec_on_a_service_is_sent_in_create_service_and_checked_as_a_boolean():
    service = Payload("aws:ecs/service:Service", "dev-web-svc", {"enableExecuteCommand": True})
    [request] = requests(service)
    assert (request.operation, request.params["enableExecuteCommand"]) == ("CreateService", True)
    wrong = Payload("aws:ecs/service:Service", "dev-web-svc", {"enableExecuteCommand": "yes"})
    assert [(f.input, f.message) for f in acceptance.check([wrong], "us-east-1")] == [
        ("CreateService.enableExecuteCommand", "must be true or false (got 'yes')")]


def test_the_clusters_execute_command_configuration_is_sent_in_create_cluster_in_the_apis_spelling():
    cluster = Payload("aws:ecs/cluster:Cluster", "dev-cluster", {"configuration": {"executeCommandConfiguration": {
        "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k", "logging": "OVERRIDE",
        "logConfiguration": {"cloudWatchLogGroupName": "/ecs-exec/ecs-app/dev", "cloudWatchEncryptionEnabled": True,
                             "s3BucketEncryptionEnabled": False}}}})
    [request] = requests(cluster)
    assert request.params["configuration"] == {"executeCommandConfiguration": {
        "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k", "logging": "OVERRIDE",
        "logConfiguration": {"cloudWatchLogGroupName": "/ecs-exec/ecs-app/dev", "cloudWatchEncryptionEnabled": True,
                             "s3EncryptionEnabled": False}}}
    assert acceptance.check([cluster], "us-east-1") == []
    wrong = Payload("aws:ecs/cluster:Cluster", "dev-cluster", {"configuration": {
        "executeCommandConfiguration": {"logging": "ALWAYS"}}})
    assert [(f.input, f.message) for f in acceptance.check([wrong], "us-east-1")] == [
        ("CreateCluster.configuration.executeCommandConfiguration.logging",
         "must be one of NONE, DEFAULT, OVERRIDE (got 'ALWAYS')")]


def test_a_canary_deployment_is_sent_as_one_deployment_configuration_with_minutes_as_integers():
    service = Payload("aws:ecs/service:Service", "prod-web-svc", {
        "deploymentCircuitBreaker": {"enable": True, "rollback": True}, "deploymentMaximumPercent": 200,
        "deploymentMinimumHealthyPercent": 100,
        "alarms": {"alarmNames": ["prod-web-5xx"], "enable": True, "rollback": True},
        "deploymentConfiguration": {"strategy": "CANARY", "bakeTimeInMinutes": "10", "canaryConfiguration": {
            "canaryPercent": 10, "canaryBakeTimeInMinutes": "5"}, "lifecycleHooks": [{
                "lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"], "targetType": "AWS_LAMBDA",
                "hookTargetArn": "arn:aws:lambda:us-east-1:123456789012:function:smoke",
                "roleArn": "arn:aws:iam::123456789012:role/prod-web-deploy-role"}]}})
    [request] = requests(service)
    assert request.params["deploymentConfiguration"] == {
        "deploymentCircuitBreaker": {"enable": True, "rollback": True}, "maximumPercent": 200,
        "minimumHealthyPercent": 100, "alarms": {"alarmNames": ["prod-web-5xx"], "enable": True, "rollback": True},
        "strategy": "CANARY", "bakeTimeInMinutes": 10, "canaryConfiguration": {"canaryPercent": 10,
                                                                              "canaryBakeTimeInMinutes": 5},
        "lifecycleHooks": [{"targetType": "AWS_LAMBDA",
                            "hookTargetArn": "arn:aws:lambda:us-east-1:123456789012:function:smoke",
                            "roleArn": "arn:aws:iam::123456789012:role/prod-web-deploy-role",
                            "lifecycleStages": ["POST_TEST_TRAFFIC_SHIFT"]}]}
    assert acceptance.check([service], "us-east-1") == []
    wrong = Payload("aws:ecs/service:Service", "prod-web-svc", {"deploymentConfiguration": {
        "strategy": "GRADUAL", "lifecycleHooks": [{"lifecycleStages": ["AFTER_SHIFT"]}]}})
    assert sorted((f.input, f.message) for f in acceptance.check([wrong], "us-east-1")) == [
        ("CreateService.deploymentConfiguration.lifecycleHooks[0].lifecycleStages[0]",
         "must be one of RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, "
         "PRE_PRODUCTION_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT (got 'AFTER_SHIFT')"),
        ("CreateService.deploymentConfiguration.strategy",
         "must be one of ROLLING, BLUE_GREEN, LINEAR, CANARY (got 'GRADUAL')")]


def test_service_connect_test_traffic_is_one_rule_in_the_api_and_client_aliases_are_plural():
    service = Payload("aws:ecs/service:Service", "prod-api-svc", {"serviceConnectConfiguration": {
        "enabled": True, "namespace": "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-1",
        "services": [{"portName": "api-8080", "discoveryName": "api", "clientAlias": [{
            "port": 8080, "dnsName": "api",
            "testTrafficRules": [{"header": {"name": "X-Deployment-Test", "value": {"exact": "green"}}}]}]}]}})
    [request] = requests(service)
    assert request.params["serviceConnectConfiguration"]["services"][0]["clientAliases"] == [{
        "port": 8080, "dnsName": "api",
        "testTrafficRules": {"header": {"name": "X-Deployment-Test", "value": {"exact": "green"}}}}]
    assert acceptance.check([service], "us-east-1") == []


def test_a_weighted_forward_and_a_header_condition_are_sent_in_create_rule():
    rule = Payload("aws:lb/listenerRule:ListenerRule", "prod-web-test-rule", {
        "priority": 109, "conditions": [{"httpHeader": {"httpHeaderName": "X-Deployment-Test", "values": ["green"]}}],
        "actions": [{"type": "forward", "forward": {"targetGroups": [{"arn": "tg-blue", "weight": 0},
                                                                      {"arn": "tg-green", "weight": 100}]}}]})
    [request] = requests(rule)
    assert request.params["Conditions"] == [{"Field": "http-header", "HttpHeaderConfig": {
        "HttpHeaderName": "X-Deployment-Test", "Values": ["green"]}}]
    assert request.params["Actions"] == [{"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": "tg-blue", "Weight": 0}, {"TargetGroupArn": "tg-green", "Weight": 100}]}}]
    assert acceptance.check([rule], "us-east-1") == []


TG = "aws:lb/targetGroup:TargetGroup"
WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop-acl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def grpc_group(**health_check):
    return Payload(TG, "prod-api-tg", {"protocol": "HTTP", "protocolVersion": "GRPC", "port": 50051,
                                       "targetType": "ip", "deregistrationDelay": 30,
                                       "healthCheck": {"path": "/AWS.ALB/healthcheck", "matcher": "12",
                                                       **health_check}})


def test_a_grpc_target_group_sends_its_protocol_version_and_grpc_matcher_codes():
    create, _ = requests(grpc_group())
    assert (create.operation, create.params["ProtocolVersion"]) == ("CreateTargetGroup", "GRPC")
    assert create.params["Matcher"] == {"GrpcCode": "12"}  # not HttpCode: the provider switches on the version
    assert acceptance.check([grpc_group()], "us-east-1") == []


def test_a_grpc_target_group_with_http_codes_or_an_http_path_is_refused():
    found = acceptance.check([grpc_group(matcher="200-399", path="/health")], "us-east-1")
    assert sorted(f.rule for f in found) == ["ELB.GrpcHealthCheckPath", "ELB.MatcherGrpcCode"]
    assert [f.input for f in found if f.rule == "ELB.MatcherGrpcCode"] == ["CreateTargetGroup.Matcher.GrpcCode"]


def test_stickiness_and_the_deregistration_delay_are_target_group_attributes():
    group = Payload(TG, "prod-web-tg", {"protocol": "HTTP", "port": 8080, "deregistrationDelay": 30,
                                        "stickiness": {"type": "lb_cookie", "enabled": True, "cookieDuration": 3600}})
    _, attributes = requests(group)
    assert attributes.operation == "ModifyTargetGroupAttributes"
    assert attributes.params["Attributes"] == [
        {"Key": "deregistration_delay.timeout_seconds", "Value": "30"}, {"Key": "stickiness.enabled", "Value": "true"},
        {"Key": "stickiness.type", "Value": "lb_cookie"},
        {"Key": "stickiness.lb_cookie.duration_seconds", "Value": "3600"}]
    assert acceptance.check([group], "us-east-1") == []


def test_a_cookie_longer_than_a_week_is_refused():
    group = Payload(TG, "prod-web-tg", {"stickiness": {"type": "lb_cookie", "cookieDuration": 604801}})
    [finding] = acceptance.check([group], "us-east-1")
    assert finding.rule == "ELB.StickinessDuration"
    assert "must be 1 to 604800 s (got 604801)" in finding.message


def test_source_cidrs_are_a_source_ip_condition_of_create_rule_and_count_towards_its_five_values():
    rule = Payload("aws:lb/listenerRule:ListenerRule", "prod-admin-rule", {
        "priority": 100, "conditions": [{"pathPattern": {"values": ["/admin/*"]}},
                                        {"sourceIp": {"values": ["203.0.113.0/24", "2001:db8::/32"]}}]})
    [request] = requests(rule)
    assert request.params["Conditions"][1] == {"Field": "source-ip",
                                               "SourceIpConfig": {"Values": ["203.0.113.0/24", "2001:db8::/32"]}}
    assert acceptance.check([rule], "us-east-1") == []
    crowded = Payload(rule.type, rule.name, {"conditions": [
        {"pathPattern": {"values": ["/a/*", "/b/*", "/c/*"]}},
        {"sourceIp": {"values": ["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"]}}]})
    [finding] = acceptance.check([crowded], "us-east-1")
    assert finding.rule == "ELB.RuleConditionQuotas" and "got 6" in finding.message


def test_a_certificate_request_carries_its_subject_alternative_names():
    cert = Payload("aws:acm/certificate:Certificate", "prod-alb-cert", {
        "domainName": "example.com", "validationMethod": "DNS",
        "subjectAlternativeNames": ["*.example.com", "api.internal.example.com"]})
    [request] = requests(cert)
    assert (request.service, request.operation) == ("acm", "RequestCertificate")
    assert request.params["SubjectAlternativeNames"] == ["*.example.com", "api.internal.example.com"]
    assert acceptance.check([cert], "us-east-1") == []


def test_a_certificate_of_eleven_names_or_a_san_with_a_64_character_label_is_refused():
    cert = Payload("aws:acm/certificate:Certificate", "prod-alb-cert", {
        "domainName": "example.com", "subjectAlternativeNames": [f"n{i}.example.com" for i in range(9)]
        + ["a" * 64 + ".example.com"]})
    rules = sorted(f.rule for f in acceptance.check([cert], "us-east-1"))
    assert rules == ["ACM.NamesQuota", "api-model"]  # 11 names; the label breaks DomainNameString's pattern


def test_a_web_acl_association_is_checked_as_associate_web_acl():
    association = Payload("aws:wafv2/webAclAssociation:WebAclAssociation", "prod-alb-waf", {
        "webAclArn": WEB_ACL, "resourceArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/"
                                             "prod-alb/0123456789abcdef"})
    [request] = requests(association)
    assert (request.service, request.operation, request.params["WebACLArn"]) == ("wafv2", "AssociateWebACL", WEB_ACL)
    assert acceptance.check([association], "us-east-1") == []
    cloudfront = Payload(association.type, association.name, {"webAclArn": WEB_ACL.replace("regional", "global")})
    assert [f.rule for f in acceptance.check([cloudfront], "us-east-1")] == ["WAF.RegionalWebAcl"]


def test_a_single_metric_alarm_and_an_email_subscription_are_checked_against_their_apis():
    alarm = Payload("aws:cloudwatch/metricAlarm:MetricAlarm", "prod-worker-queue-age", {
        "namespace": "AWS/SQS", "metricName": "ApproximateAgeOfOldestMessage", "statistic": "p99",
        "period": 60, "dimensions": {"QueueName": "prod-worker-queue"}, "evaluationPeriods": 2,
        "datapointsToAlarm": 2, "threshold": 900, "comparisonOperator": "GreaterThanOrEqualToThreshold"})
    [request] = requests(alarm)
    assert request.params["Dimensions"] == [{"Name": "QueueName", "Value": "prod-worker-queue"}]
    # p99 is an extended statistic: PutMetricAlarm's Statistic takes only SampleCount, Average, Sum, Minimum, Maximum
    assert [(f.input, f.message) for f in acceptance.check([alarm], "us-east-1")] == [
        ("PutMetricAlarm.Statistic", "must be one of SampleCount, Average, Sum, Minimum, Maximum (got 'p99')")]
    subscription = Payload("aws:sns/topicSubscription:TopicSubscription", "prod-alerts-email-0", {
        "topic": "arn:aws:sns:us-east-1:123456789012:prod-alerts", "protocol": "email",
        "endpoint": "oncall@example.com"})
    [request] = requests(subscription)
    assert (request.operation, request.params["Protocol"], request.params["Endpoint"]) == (
        "Subscribe", "email", "oncall@example.com")
    assert acceptance.check([subscription], "us-east-1") == []


def test_a_service_with_six_security_groups_is_refused_at_its_network_configuration():
    # ECS: "There's a limit of 5 security groups that can be specified" (AwsVpcConfiguration).
    service = Payload("aws:ecs/service:Service", "prod-web-svc", {
        "desiredCount": 1, "networkConfiguration": {
            "subnets": ["subnet-0a", "subnet-0b"], "securityGroups": [f"sg-{i:017x}" for i in range(6)],
            "assignPublicIp": False}})
    [request] = requests(service)
    assert request.params["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "DISABLED"
    [finding] = acceptance.check([service], "us-east-1")
    assert finding.input == "CreateService.networkConfiguration.awsvpcConfiguration.securityGroups"
    assert finding.message.startswith("allows at most 5 security groups (got 6)")


def test_step_bounds_are_strings_in_the_provider_and_numbers_in_the_api():
    policy = Payload("aws:appautoscaling/policy:Policy", "out", {
        "policyType": "StepScaling", "stepScalingPolicyConfiguration": {"stepAdjustments": [
            {"metricIntervalLowerBound": "0", "metricIntervalUpperBound": "100", "scalingAdjustment": 1}]}})
    [request] = requests(policy)
    assert request.params["StepScalingPolicyConfiguration"]["StepAdjustments"][0]["MetricIntervalUpperBound"] == 100.0
    assert acceptance.check([policy], "us-east-1") == []


def predictive_policy(**config):
    return Payload("aws:appautoscaling/policy:Policy", "prod-web-scaling-predictive", {
        "policyType": "PredictiveScaling", "serviceNamespace": "ecs", "resourceId": "service/prod-cluster/prod-web-svc",
        "scalableDimension": "ecs:service:DesiredCount", "predictiveScalingPolicyConfiguration": {
            "mode": "ForecastOnly", "schedulingBufferTime": 300, "maxCapacityBreachBehavior": "HonorMaxCapacity",
            "metricSpecifications": [{"targetValue": "60", "predefinedMetricPairSpecification": {
                "predefinedMetricType": "ECSServiceCPUUtilization"}}], **config}})


def test_a_predictive_policy_is_sent_in_put_scaling_policy_with_its_target_as_a_number():
    [request] = requests(predictive_policy())
    config = request.params["PredictiveScalingPolicyConfiguration"]
    assert (request.operation, request.params["PolicyType"]) == ("PutScalingPolicy", "PredictiveScaling")
    assert config["Mode"] == "ForecastOnly"
    assert config["MetricSpecifications"] == [{"TargetValue": 60.0, "PredefinedMetricPairSpecification": {
        "PredefinedMetricType": "ECSServiceCPUUtilization"}}]
    assert acceptance.check([predictive_policy()], "us-east-1") == []


def test_a_predictive_policy_with_an_unknown_mode_and_a_buffer_of_an_hour_is_refused():
    found = acceptance.check([predictive_policy(mode="Forecast", schedulingBufferTime=3600)], "us-east-1")
    assert {f.input: f.message for f in found} == {
        "PutScalingPolicy.PredictiveScalingPolicyConfiguration.Mode":
            "must be one of ForecastOnly, ForecastAndScale (got 'Forecast')",
        "PutScalingPolicy.PredictiveScalingPolicyConfiguration.SchedulingBufferTime": "must be 0 to 3599 s (got 3600)"}


def test_a_predictive_buffer_without_increase_max_capacity_is_refused():
    [finding] = acceptance.check([predictive_policy(maxCapacityBuffer=10)], "us-east-1")
    assert finding.message == "MaxCapacityBuffer applies only with MaxCapacityBreachBehavior IncreaseMaxCapacity"


def scheduled_action(**inputs):
    return Payload("aws:appautoscaling/scheduledAction:ScheduledAction", "prod-web-scaling-schedule-peak", {
        "name": "peak", "serviceNamespace": "ecs", "resourceId": "service/prod-cluster/prod-web-svc",
        "scalableDimension": "ecs:service:DesiredCount", "schedule": "cron(0 7 ? * MON-FRI *)",
        "timezone": "Europe/Berlin", "scalableTargetAction": {"minCapacity": 4, "maxCapacity": 20}, **inputs})


def test_a_scheduled_action_is_sent_in_put_scheduled_action_under_its_own_name():
    [request] = requests(scheduled_action())
    assert request.operation == "PutScheduledAction"
    assert request.params["ScheduledActionName"] == "peak"
    assert (request.params["Schedule"], request.params["Timezone"]) == ("cron(0 7 ? * MON-FRI *)", "Europe/Berlin")
    assert request.params["ScalableTargetAction"] == {"MinCapacity": 4, "MaxCapacity": 20}
    assert acceptance.check([scheduled_action()], "us-east-1") == []



def test_a_scheduled_actions_dates_are_sent_as_start_and_end_time():
    [request] = requests(scheduled_action(startTime="2026-12-01T00:00:00Z", endTime="2026-12-24T17:00:00Z"))
    assert (request.params["StartTime"], request.params["EndTime"]) == ("2026-12-01T00:00:00Z",
                                                                        "2026-12-24T17:00:00Z")
    assert acceptance.check([scheduled_action(startTime="2026-12-01T00:00:00Z")], "us-east-1") == []


def test_a_scheduled_action_name_with_a_slash_is_refused_by_the_models_pattern():
    [finding] = acceptance.check([scheduled_action(name="peak/weekday")], "us-east-1")
    assert finding.input == "PutScheduledAction.ScheduledActionName"
    assert finding.message.endswith("(got 'peak/weekday')")


# --- rules of the whole plan ---------------------------------------------------------------


def test_arns_of_another_partition_are_refused():
    role = Payload("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach",
                   {"policyArn": "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"})
    assert plan_rules.check([role], "us-east-1") == []
    [finding] = plan_rules.check([role], "cn-north-1")
    assert finding.rule == "Plan.Partition" and "'aws'; cn-north-1 is in partition 'aws-cn'" in finding.message


def test_a_certificate_of_another_region_is_refused():
    listener = Payload("aws:lb/listener:Listener", "https", {
        "certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc"})
    assert plan_rules.check([listener], "eu-west-1") == []
    [finding] = plan_rules.check([listener], "us-east-1")
    assert finding.rule == "Plan.CertificateRegion" and "an ACM certificate in eu-west-1" in finding.message


def _network(nat: bool, public: bool, image: str) -> list[Payload]:
    task = Payload("aws:ecs/taskDefinition:TaskDefinition", "web-task",
                   {"containerDefinitions": f'[{{"name": "app", "image": "{image}"}}]'})
    service = Payload("aws:ecs/service:Service", "web-svc", {"networkConfiguration": {"assignPublicIp": public}})
    vpc = Payload("aws:ec2/vpc:Vpc", "vpc", {})
    return [vpc, task, service] + ([Payload("aws:ec2/natGateway:NatGateway", "nat", {})] if nat else [])


def test_private_tasks_without_a_nat_pull_only_from_this_regions_private_ecr():
    public_image, private_image = "public.ecr.aws/nginx/nginx:1.27", "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"
    assert plan_rules.check(_network(nat=True, public=False, image=public_image), "us-east-1") == []
    assert plan_rules.check(_network(nat=False, public=True, image=public_image), "us-east-1") == []
    assert plan_rules.check(_network(nat=False, public=False, image=private_image), "us-east-1") == []
    [finding] = plan_rules.check(_network(nat=False, public=False, image=public_image), "us-east-1")
    assert (finding.rule, finding.input) == ("Plan.ImagePullRoute", "containerDefinitions[0].image")


def test_more_than_fifty_tags_are_refused():
    ok = Payload("aws:ecs/cluster:Cluster", "c", {"tags": {f"k{i}": "v" for i in range(50)}})
    too_many = Payload("aws:ecs/cluster:Cluster", "c", {"tags": {f"k{i}": "v" for i in range(51)}})
    assert plan_rules.check([ok], "us-east-1") == []
    assert [f.message for f in plan_rules.check([too_many], "us-east-1")] == [
        "AWS takes at most 50 tags per resource (got 51)"]


def test_a_urn_registered_twice_and_a_log_group_name_used_twice_are_refused():
    twice = [Payload("aws:ecs/cluster:Cluster", "c", {}, urn="urn:c"), Payload("aws:ecs/cluster:Cluster", "c", {},
                                                                                urn="urn:c")]
    assert [f.input for f in plan_rules.check(twice, "us-east-1")] == ["urn"]
    logs = [Payload("aws:cloudwatch/logGroup:LogGroup", n, {"name": "/ecs/app"}, urn=f"urn:{n}") for n in "ab"]
    assert [f.message for f in plan_rules.check(logs, "us-east-1")] == [
        "'/ecs/app' is the name of 2 resources; AWS refuses the second"]


def test_counts_of_rules_are_reported():
    counts = acceptance.rule_count()
    assert counts["documented"] == len(documented.RULES) and counts["plan"] == len(plan_rules.RULES)


def test_a_dashboard_is_checked_as_put_dashboard_sends_it_name_and_body():
    body = '{"widgets": [{"type": "metric", "x": 0, "y": 0, "width": 30, "height": 6, "properties": {}}]}'
    board = Payload("aws:cloudwatch/dashboard:Dashboard", "p-dashboard",
                    {"dashboardName": "ecs-app.prod", "dashboardBody": body})
    (request,) = requests(board)
    assert (request.service, request.operation) == ("cloudwatch", "PutDashboard")
    assert request.params == {"DashboardName": "ecs-app.prod", "DashboardBody": body}
    found = {f.input: f for f in acceptance.check([board], "us-east-1")}
    assert set(found) == {"PutDashboard.DashboardName", "PutDashboard.DashboardBody"}
    assert "widgets[0].width must be a whole number from 1 to 24 (got 30)" in found["PutDashboard.DashboardBody"].message
    assert found["PutDashboard.DashboardBody"].source.endswith("CloudWatch-Dashboard-Body-Structure.html")


# --- EFS ---------------------------------------------------------------------------------------------


def test_an_efs_volume_is_sent_in_register_task_definition_as_the_apis_efs_volume_configuration():
    task = Payload("aws:ecs/taskDefinition:TaskDefinition", "t", {"family": "t", "volumes": [
        {"name": "data", "efsVolumeConfiguration": {
            "fileSystemId": "fs-0123456789abcdef0", "rootDirectory": "/srv", "transitEncryption": "ON",
            "authorizationConfig": {"iam": "ENABLED", "accessPointId": "fsap-0123456789abcdef0"}}}]})
    [request] = requests(task)
    assert request.params["volumes"] == [{"name": "data", "efsVolumeConfiguration": {
        "fileSystemId": "fs-0123456789abcdef0", "rootDirectory": "/srv", "transitEncryption": "ON",
        "authorizationConfig": {"accessPointId": "fsap-0123456789abcdef0", "iam": "ENABLED"}}}]
    assert [(f.input, f.message) for f in acceptance.check([task], "us-east-1")] == [
        ("RegisterTaskDefinition.volumes[0].efsVolumeConfiguration.transitEncryption",
         "must be one of ENABLED, DISABLED (got 'ON')")]


def test_a_file_system_its_lifecycle_policy_mount_target_and_backup_policy_are_checked_against_the_efs_api():
    fs = Payload("aws:efs/fileSystem:FileSystem", "p-data-fs", {
        "encrypted": True, "performanceMode": "fast", "throughputMode": "bursting",
        "lifecyclePolicies": [{"transitionToIa": "AFTER_2_DAYS"}]})
    create, lifecycle = requests(fs)
    assert (create.operation, create.params["CreationToken"]) == ("CreateFileSystem", "p-data-fs" + AUTONAME_EXAMPLE)
    assert lifecycle.params["LifecyclePolicies"] == [{"TransitionToIA": "AFTER_2_DAYS"}]
    target = Payload("aws:efs/mountTarget:MountTarget", "p-data-mt-0", {
        "fileSystemId": "p-data-fs-1a2b3c4d", "subnetId": "subnet-0123456789abcdef0", "securityGroups": ["p-sg-1"]})
    [mount] = requests(target)
    # IDs AWS assigns at deploy time are unknown offline: well-formed placeholders stand in for them.
    assert mount.params == {"FileSystemId": "fs-00000000", "SubnetId": "subnet-0123456789abcdef0",
                            "SecurityGroups": ["sg-00000000"]}
    backup = Payload("aws:efs/backupPolicy:BackupPolicy", "p-data-backup", {"backupPolicy": {"status": "ON"}})
    found = sorted((f.input, f.message) for f in acceptance.check([fs, target, backup], "us-east-1"))
    assert [i for i, _ in found] == ["CreateFileSystem.PerformanceMode",
                                     "PutBackupPolicy.BackupPolicy.Status",
                                     "PutLifecycleConfiguration.LifecyclePolicies[0].TransitionToIA"]
    assert dict(found)["CreateFileSystem.PerformanceMode"] == "must be one of generalPurpose, maxIO (got 'fast')"


def test_a_fifo_queue_is_created_with_the_fifo_attributes_and_its_auto_name_ends_in_fifo():
    dlq_arn = "arn:aws:sqs:us-east-1:123456789012:prod-jobs-dlq.fifo"
    queue = Payload("aws:sqs/queue:Queue", "prod-jobs-queue", {
        "fifoQueue": True, "contentBasedDeduplication": True, "sqsManagedSseEnabled": True,
        "redrivePolicy": f'{{"deadLetterTargetArn": "{dlq_arn}", "maxReceiveCount": 5}}'})
    (request,) = requests(queue)
    assert (request.service, request.operation) == ("sqs", "CreateQueue")
    assert request.params["QueueName"] == "prod-jobs-queue" + AUTONAME_EXAMPLE + ".fifo"
    assert request.params["Attributes"]["FifoQueue"] == "true"
    assert request.params["Attributes"]["ContentBasedDeduplication"] == "true"
    assert acceptance.check([queue], "us-east-1") == []


def test_a_fifo_queue_with_a_standard_dead_letter_queue_is_refused():
    queue = Payload("aws:sqs/queue:Queue", "prod-jobs-queue", {
        "fifoQueue": True, "redrivePolicy": '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:prod-dlq"}'})
    [finding] = acceptance.check([queue], "us-east-1")
    assert finding.rule == "SQS.DeadLetterQueueType"
    assert "names a standard dead-letter queue" in finding.message


def test_a_standard_queue_sends_no_fifo_attribute_and_may_not_be_named_fifo():
    (request,) = requests(Payload("aws:sqs/queue:Queue", "prod-jobs-queue", {"sqsManagedSseEnabled": True}))
    assert request.params == {"QueueName": "prod-jobs-queue" + AUTONAME_EXAMPLE}
    named = Payload("aws:sqs/queue:Queue", "q", {"name": "prod-jobs.fifo"})
    [finding] = acceptance.check([named], "us-east-1")
    assert finding.rule == "SQS.FifoQueueName" and "which only a FIFO queue's may" in finding.message


# --- log routing, environment files and registry credentials in the container definitions ----------

GOOD_LOGGING = {"logDriver": "awsfirelens", "options": {"Name": "http"},
                "secretOptions": [{"name": "HTTP_Passwd", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/p"}]}


def _task(**container) -> Payload:
    import json

    definition = {"name": "app", "image": "registry.example.com/web:1", **container}
    return Payload("aws:ecs/taskDefinition:TaskDefinition", "web-task",
                   {"family": "web", "containerDefinitions": json.dumps([definition])})


def test_the_builder_passes_firelens_env_files_and_credentials_through_to_register_task_definition():
    payload = _task(logConfiguration=GOOD_LOGGING, firelensConfiguration={"type": "fluentbit"},
                    environmentFiles=[{"value": "arn:aws:s3:::b/a.env", "type": "s3"}],
                    repositoryCredentials={"credentialsParameter": "arn:aws:secretsmanager:us-east-1:1:secret:x"})
    [request] = [r for r in requests(payload) if r.operation == "RegisterTaskDefinition"]
    [sent] = request.params["containerDefinitions"]
    assert (sent["logConfiguration"], sent["firelensConfiguration"], sent["environmentFiles"][0]["type"],
            set(sent["repositoryCredentials"])) == (GOOD_LOGGING, {"type": "fluentbit"}, "s3", {"credentialsParameter"})
    assert acceptance.check([payload], "us-east-1") == []


@pytest.mark.parametrize("container,path,words", [
    ({"logConfiguration": {"logDriver": "awsfirelenz"}}, "containerDefinitions[0].logConfiguration.logDriver",
     "awsfirelens"),
    ({"logConfiguration": {"logDriver": "awsfirelens", "secretOptions": [{"name": "Token"}]}},
     "containerDefinitions[0].logConfiguration.secretOptions[0].valueFrom", "is required"),
    ({"firelensConfiguration": {"type": "fluent-bit"}}, "containerDefinitions[0].firelensConfiguration.type",
     "fluentbit"),
    ({"environmentFiles": [{"value": "arn:aws:s3:::b/a.env", "type": "S3"}]},
     "containerDefinitions[0].environmentFiles[0].type", "s3"),
    ({"repositoryCredentials": {}},
     "containerDefinitions[0].repositoryCredentials.credentialsParameter", "is required"),
], ids=["log-driver", "secret-option-without-source", "router-type", "env-file-type", "credentials-member"])
def test_a_wrong_log_routing_env_file_or_credentials_value_is_refused(container, path, words):
    found = [f for f in acceptance.check([_task(**container)], "us-east-1")
             if f.input == f"RegisterTaskDefinition.{path}"]
    assert len(found) == 1 and words in found[0].message, acceptance.check([_task(**container)], "us-east-1")


def test_a_deployment_test_listener_is_checked_as_create_listener_sends_it():
    listener = Payload("aws:lb/listener:Listener", "p-alb-test-9000", {
        "port": 9000, "protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c",
        "defaultActions": [{"type": "fixed-response"}]})
    [request] = requests(listener)
    assert request.params == {"Port": 9000, "Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                              "Certificates": [{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c"}],
                              "DefaultActions": [{"Type": "fixed-response"}]}
    assert acceptance.check([listener], "us-east-1") == []
    wrong = Payload("aws:lb/listener:Listener", "p-alb-test-0", {"port": 70000, "protocol": "HTTP3"})
    assert sorted(f.input for f in acceptance.check([wrong], "us-east-1")) == [
        "CreateListener.Port", "CreateListener.Protocol"]
