"""TaskDefinition component: how logs leave the task (awslogs mode and buffer, FireLens and its `log_router`
sidecar), environment files from S3 and private registry credentials, as sent to AWS and as the roles allow."""

import pytest

from components.task_definition import TaskDefinition
from tests.conftest import inputs_json, make_config
from tests.factories import task_args

TASK = "aws:ecs/taskDefinition:TaskDefinition"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"

OTHER_REGISTRY = "registry.example.com/team/web:1.4.2"
REGISTRY_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/example-AbCdEf"
COLLECTOR_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:logs/collector-AbCdEf"
TOKEN_PARAMETER = "/logs/token"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROUTER_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.31.11"


def config(logging=None, region="us-east-1", **container):
    body = {"containers": {"app": {"image": {"uri": OTHER_REGISTRY}, "ports": [8080], **container}},
            "loadBalancer": {}}
    if logging is not None:
        body["logging"] = logging
    return make_config({"aws:region": region}, services={"web": body})


def build(cfg):
    return lambda: TaskDefinition("web", task_args(cfg))


def definitions(r):
    return {d["name"]: d for d in inputs_json(r.one(TASK), "containerDefinitions")}


def execution_statements(r):
    return {s["Sid"]: s for s in inputs_json(r.one(ROLE_POLICY, "web-execution-policy"), "policy")["Statement"]}


# --- awslogs ---------------------------------------------------------------------------------


def test_config_default_sends_neither_mode_nor_buffer_so_aws_default_applies(render):
    options = definitions(render(build(config())))["app"]["logConfiguration"]["options"]
    assert set(options) == {"awslogs-group", "awslogs-region", "awslogs-stream-prefix"}


def test_non_blocking_mode_and_its_buffer_reach_the_awslogs_options(render):
    r = render(build(config({"mode": "non-blocking", "maxBufferSize": "25m"})))
    assert definitions(r)["app"]["logConfiguration"] == {"logDriver": "awslogs", "options": {
        "awslogs-group": "/ecs/ecs-app/test/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app",
        "mode": "non-blocking", "max-buffer-size": "25m"}}


def test_blocking_mode_is_sent_as_written(render):
    options = definitions(render(build(config({"mode": "blocking"}))))["app"]["logConfiguration"]["options"]
    assert options["mode"] == "blocking" and "max-buffer-size" not in options


# --- FireLens -------------------------------------------------------------------------------


def test_without_firelens_there_is_no_router_and_one_log_group(render):
    r = render(build(config()))
    assert set(definitions(r)) == {"app"}
    assert [g.inputs["name"] for g in r.of_type(LOG_GROUP)] == ["/ecs/ecs-app/test/web"]


def test_firelens_adds_the_pinned_fluent_bit_router_logging_to_its_own_group(render):
    r = render(build(config({"driver": "firelens"})))
    router = definitions(r)["log_router"]
    assert router == {
        "name": "log_router", "image": ROUTER_IMAGE, "essential": True, "firelensConfiguration": {"type": "fluentbit"},
        "readonlyRootFilesystem": True, "stopTimeout": 30, "memoryReservation": 50,
        "mountPoints": [{"sourceVolume": "log_router-tmp", "containerPath": "/tmp", "readOnly": False}],
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/ecs-app/test/web/log-router", "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "log_router"}}}
    assert {"name": "log_router-tmp"} in r.one(TASK).inputs["volumes"]
    group = r.one(LOG_GROUP, "web-router-logs")
    assert (group.inputs["name"], group.inputs["retentionInDays"]) == ("/ecs/ecs-app/test/web/log-router", 30)


def test_router_size_of_the_config_reaches_its_definition(render):
    router = definitions(render(build(config({"driver": "firelens", "router": {
        "cpu": 64, "memoryReservation": 100, "memory": 200, "image": "registry.example.com/fluent-bit:3.1"}}))))[
        "log_router"]
    assert (router["cpu"], router["memoryReservation"], router["memory"], router["image"]) == (
        64, 100, 200, "registry.example.com/fluent-bit:3.1")


def test_config_default_firelens_output_is_cloudwatch_logs_to_the_services_group(render):
    app = definitions(render(build(config({"driver": "firelens"}, region="eu-west-1"))))["app"]
    assert app["logConfiguration"] == {"logDriver": "awsfirelens", "options": {
        "Name": "cloudwatch_logs", "log_group_name": "/ecs/ecs-app/test/web", "log_stream_prefix": "app/",
        "region": "eu-west-1"}}


def test_routing_to_the_services_group_lets_the_task_role_write_exactly_there(render):
    r = render(build(config({"driver": "firelens"})))
    policy = r.one(ROLE_POLICY, "web-log-routing-policy")
    assert policy.inputs["role"] == r.one(ROLE, "web-task-role").id
    assert inputs_json(policy, "policy")["Statement"] == [{
        "Sid": "RoutedLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": r.one(LOG_GROUP, "web-logs").state["arn"] + ":*"}]
    assert policy.urn in r.one(TASK).dependencies


def test_a_user_output_goes_as_written_with_its_secrets_by_reference(render):
    r = render(build(config({"driver": "firelens", "options": {"Name": "http", "Host": "logs.example.com",
                                                               "Port": "443", "tls": "on"},
                             "secretOptions": {"HTTP_Passwd": COLLECTOR_SECRET, "Token": TOKEN_PARAMETER}})))
    assert definitions(r)["app"]["logConfiguration"] == {
        "logDriver": "awsfirelens", "options": {"Host": "logs.example.com", "Name": "http", "Port": "443", "tls": "on"},
        "secretOptions": [{"name": "HTTP_Passwd", "valueFrom": COLLECTOR_SECRET},
                          {"name": "Token", "valueFrom": TOKEN_PARAMETER}]}
    # The destination is outside the stack: the task role gets nothing the user did not ask for.
    assert [p.name for p in r.of_type(ROLE_POLICY)] == ["web-execution-policy"]
    statements = execution_statements(r)
    assert statements["Secrets"]["Resource"] == [COLLECTOR_SECRET]
    assert statements["SsmParameters"]["Resource"] == [
        "arn:aws:ssm:us-east-1:123456789012:parameter/logs/token"]


def test_the_execution_role_writes_the_routers_log_group_too(render):
    r = render(build(config({"driver": "firelens"})))
    assert execution_statements(r)["Logs"]["Resource"] == [
        r.one(LOG_GROUP, "web-logs").state["arn"] + ":*", r.one(LOG_GROUP, "web-router-logs").state["arn"] + ":*"]


def test_the_router_waits_as_long_as_the_longest_container_to_stop(render):
    cfg = make_config(services={"web": {"containers": {
        "app": {"image": {"uri": OTHER_REGISTRY}, "ports": [8080], "stopTimeout": 90},
        "side": {"image": {"uri": OTHER_REGISTRY}, "stopTimeout": 10}}, "loadBalancer": {},
        "logging": {"driver": "firelens"}}})
    found = definitions(render(build(cfg)))
    assert found["log_router"]["stopTimeout"] == 90
    assert list(found) == ["app", "log_router", "side"]  # sorted with the others


# --- environment files -----------------------------------------------------------------------


def test_environment_files_become_s3_object_arns_in_order(render):
    files = ["s3://acme-config/web/common.env", "s3://acme-config/web/prod.env"]
    assert definitions(render(build(config(environmentFiles=files))))["app"]["environmentFiles"] == [
        {"value": "arn:aws:s3:::acme-config/web/common.env", "type": "s3"},
        {"value": "arn:aws:s3:::acme-config/web/prod.env", "type": "s3"}]


def test_environment_files_use_the_regions_partition(render):
    d = definitions(render(build(config(region="cn-north-1", environmentFiles=["s3://acme-cn/app.env"])),
                           region="cn-north-1"))["app"]
    assert d["environmentFiles"] == [{"value": "arn:aws-cn:s3:::acme-cn/app.env", "type": "s3"}]


def test_the_execution_role_reads_exactly_the_files_and_locates_their_buckets(render):
    r = render(build(config(environmentFiles=["s3://acme-config/web/prod.env", "s3://acme-shared/all.env"])))
    statements = execution_statements(r)
    assert statements["EnvironmentFiles"] == {
        "Sid": "EnvironmentFiles", "Effect": "Allow", "Action": "s3:GetObject",
        "Resource": ["arn:aws:s3:::acme-config/web/prod.env", "arn:aws:s3:::acme-shared/all.env"]}
    assert statements["EnvironmentFileBuckets"] == {
        "Sid": "EnvironmentFileBuckets", "Effect": "Allow", "Action": "s3:GetBucketLocation",
        "Resource": ["arn:aws:s3:::acme-config", "arn:aws:s3:::acme-shared"]}


def test_no_environment_files_no_s3_permissions(render):
    r = render(build(config()))
    assert "environmentFiles" not in definitions(r)["app"]
    assert not {"EnvironmentFiles", "EnvironmentFileBuckets"} & set(execution_statements(r))


# --- private registry credentials ------------------------------------------------------------


def test_registry_credentials_reach_the_definition_and_only_that_secret_is_readable(render):
    r = render(build(config(image={"uri": OTHER_REGISTRY, "credentialsSecretArn": REGISTRY_SECRET})))
    assert definitions(r)["app"]["repositoryCredentials"] == {"credentialsParameter": REGISTRY_SECRET}
    assert execution_statements(r)["Secrets"] == {
        "Sid": "Secrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": [REGISTRY_SECRET]}


@pytest.mark.parametrize("keys,expected", [([KEY], [KEY]), ([], None)], ids=["customer-key", "aws-managed"])
def test_registry_credentials_encrypted_with_a_customer_key_may_be_decrypted(render, keys, expected):
    cfg = make_config(services={"web": {
        "containers": {"app": {"image": {"uri": OTHER_REGISTRY, "credentialsSecretArn": REGISTRY_SECRET},
                               "ports": [8080]}}, "loadBalancer": {}, "secretsKmsKeyArns": keys}})
    found = execution_statements(render(build(cfg))).get("SecretsKey")
    assert (found["Resource"] if found else None) == expected


def test_no_registry_credentials_without_the_setting(render):
    r = render(build(config()))
    assert "repositoryCredentials" not in definitions(r)["app"]
    assert "Secrets" not in execution_statements(r)
