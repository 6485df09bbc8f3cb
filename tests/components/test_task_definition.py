"""TaskDefinition component: the Fargate task definition, its container definitions, log group and roles;
and the deploy/aws/arns.py helpers that decide which ARNs the execution role may touch."""

import pytest

from components.task_definition import RestartPolicySpec, TaskDefinition
from deploy.aws import arns as iam
from tests.conftest import inputs_json, make_config
from tests.factories import container_spec, health_check, task_args

TASK = "aws:ecs/taskDefinition:TaskDefinition"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"

LOG_GROUP_NAME = "/ecs/ecs-app/test/web"
PUBLIC_IMAGE = "public.ecr.aws/nginx/nginx-unprivileged:1.27"
ECR_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:" + "a" * 64
ECR_REPO_ARN = "arn:aws:ecr:us-east-1:123456789012:repository/web"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"
SSM_ARN = "arn:aws:ssm:us-east-1:444455556666:parameter/shared/token"
ECR_PULL = {"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"}


def container(**fields):
    """The minimal web service's container, as the stack builds it, with `fields` replaced."""
    spec = {"name": "app", "image": PUBLIC_IMAGE, "ports": [8080]}
    spec.update(fields)
    return container_spec(**spec)


def build(containers=None, cfg=None, **overrides):
    args = {"family": "ecs-app-web", "log_group_name": LOG_GROUP_NAME}
    if containers is not None:
        args["containers"] = containers
    args.update(overrides)
    return lambda: TaskDefinition("web", task_args(cfg, **args))


def web_config(**fields):
    """The minimal web service with these service fields."""
    return make_config(services={"web": {
        "containers": {"app": {"image": {"uri": PUBLIC_IMAGE}, "ports": [8080]}}, "loadBalancer": {}, **fields}})


def container_config(**fields):
    """The minimal web service whose container has these fields."""
    return make_config(services={"web": {
        "containers": {"app": {"image": {"uri": PUBLIC_IMAGE}, "ports": [8080], **fields}}, "loadBalancer": {}}})


def definitions(r):
    return inputs_json(r.one(TASK), "containerDefinitions")


def only_definition(r):
    [definition] = definitions(r)
    return definition


def execution_statements(r):
    return inputs_json(r.one(ROLE_POLICY, "web-execution-policy"), "policy")["Statement"]


def statement(statements, sid):
    [found] = [s for s in statements if s.get("Sid") == sid]
    return found


def as_list(value):
    return value if isinstance(value, list) else [value]


def actions(statements):
    return {a for s in statements for a in as_list(s["Action"])}


# --- task definition ---------------------------------------------------------------------------------


def test_config_default_fargate_strategy_runs_the_task_on_fargate_in_awsvpc_mode(render):
    task = render(build(cfg=make_config())).one(TASK)
    assert task.inputs["networkMode"] == "awsvpc"
    assert task.inputs["requiresCompatibilities"] == ["FARGATE"]
    assert task.inputs["family"] == "ecs-app-web"


def test_family_is_the_services_component_name(render):
    r = render(lambda: TaskDefinition("web", task_args(make_config())))
    assert r.one(TASK).inputs["family"] == "test-web"


def test_cpu_and_memory_are_sent_as_strings(render):
    task = render(build(cpu=1024, memory=3072)).one(TASK)
    assert (task.inputs["cpu"], task.inputs["memory"]) == ("1024", "3072")


def test_config_default_task_size_of_256_cpu_and_512_mib_reaches_the_task(render):
    task = render(build(cfg=make_config())).one(TASK)
    assert (task.inputs["cpu"], task.inputs["memory"]) == ("256", "512")


def test_task_size_of_the_config_reaches_the_task(render):
    task = render(build(cfg=web_config(cpu=1024, memory=3072))).one(TASK)
    assert (task.inputs["cpu"], task.inputs["memory"]) == ("1024", "3072")


@pytest.mark.parametrize("architecture", ["ARM64", "X86_64"])
def test_runtime_platform_is_linux_on_the_given_architecture(render, architecture):
    task = render(build(architecture=architecture)).one(TASK)
    assert task.inputs["runtimePlatform"] == {"operatingSystemFamily": "LINUX", "cpuArchitecture": architecture}


def test_config_default_architecture_x86_64_reaches_the_task(render):
    task = render(build(cfg=make_config())).one(TASK)
    assert task.inputs["runtimePlatform"] == {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"}


def test_config_default_sends_no_ephemeral_storage(render):
    assert "ephemeralStorage" not in render(build(cfg=make_config())).one(TASK).inputs


def test_ephemeral_storage_size_when_set(render):
    assert render(build(ephemeral_storage=50)).one(TASK).inputs["ephemeralStorage"] == {"sizeInGib": 50}


def test_ephemeral_storage_of_the_config_reaches_the_task(render):
    task = render(build(cfg=web_config(ephemeralStorage=50))).one(TASK)
    assert task.inputs["ephemeralStorage"] == {"sizeInGib": 50}


def test_task_uses_its_own_execution_and_task_roles(render):
    r = render(build())
    task = r.one(TASK)
    assert task.inputs["executionRoleArn"] == r.one(ROLE, "web-execution-role").state["arn"]
    assert task.inputs["taskRoleArn"] == r.one(ROLE, "web-task-role").state["arn"]
    assert task.inputs["executionRoleArn"] != task.inputs["taskRoleArn"]


def test_component_exposes_the_task_definition_arn_and_its_log_group(render):
    def program():
        task = TaskDefinition("web", task_args(family="ecs-app-web", log_group_name=LOG_GROUP_NAME,
                                                containers=[container()]))
        return {"arn": task.arn, "group": task.log_group.name}

    r = render(program)
    assert r.outputs["arn"] == r.one(TASK).state["arn"]
    assert r.outputs["group"] == r.one(LOG_GROUP).state["name"] == LOG_GROUP_NAME


# --- container definitions ---------------------------------------------------------------------------


def test_containers_are_sorted_by_name(render):
    r = render(build([container(name="zeta"), container(name="alpha", ports=[]), container(name="mid", ports=[])]))
    assert [d["name"] for d in definitions(r)] == ["alpha", "mid", "zeta"]


def test_environment_is_sorted_by_key(render):
    d = only_definition(render(build([container(environment={"ZED": "1", "ALPHA": "2", "MIDDLE": "3"})])))
    assert d["environment"] == [{"name": "ALPHA", "value": "2"}, {"name": "MIDDLE", "value": "3"},
                                {"name": "ZED", "value": "1"}]


def test_secrets_are_passed_by_value_from_sorted_by_name(render):
    d = only_definition(render(build([container(secrets={"DB_PASSWORD": SECRET_ARN, "API_KEY": "/app/api-key"})])))
    assert d["secrets"] == [{"name": "API_KEY", "valueFrom": "/app/api-key"},
                            {"name": "DB_PASSWORD", "valueFrom": SECRET_ARN}]
    assert d["environment"] == []


def test_logs_go_to_the_log_group_in_the_task_region(render):
    r = render(build(region="eu-west-1"), region="eu-west-1")
    assert only_definition(r)["logConfiguration"] == {"logDriver": "awslogs", "options": {
        "awslogs-group": LOG_GROUP_NAME, "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "app"}}


def test_config_default_read_only_root_filesystem_reaches_the_container_definition(render):
    assert only_definition(render(build(cfg=make_config())))["readonlyRootFilesystem"] is True


def test_config_defaults_essential_and_30_s_stop_timeout_reach_the_container_definition(render):
    d = only_definition(render(build(cfg=make_config())))
    assert d["essential"] is True
    assert d["stopTimeout"] == 30


def test_root_filesystem_can_be_made_writable(render):
    d = only_definition(render(build([container(readonly_root_filesystem=False)])))
    assert d["readonlyRootFilesystem"] is False


def test_a_writable_root_filesystem_in_the_config_reaches_the_container_definition(render):
    d = only_definition(render(build(cfg=container_config(readonlyRootFilesystem=False))))
    assert d["readonlyRootFilesystem"] is False


def test_writable_paths_become_mount_points_backed_by_task_volumes(render):
    r = render(build([container(writable_paths=["/tmp", "/var/cache/nginx"])]))
    d = only_definition(r)
    assert d["mountPoints"] == [
        {"sourceVolume": "app-tmp", "containerPath": "/tmp", "readOnly": False},
        {"sourceVolume": "app-var-cache-nginx", "containerPath": "/var/cache/nginx", "readOnly": False},
    ]
    assert r.one(TASK).inputs["volumes"] == [{"name": "app-tmp"}, {"name": "app-var-cache-nginx"}]


def test_volume_names_are_unique_per_container(render):
    r = render(build([container(name="a", writable_paths=["/tmp"]), container(name="b", ports=[],
                                                                               writable_paths=["/tmp"])]))
    volumes = [v["name"] for v in r.one(TASK).inputs["volumes"]]
    mounts = [m["sourceVolume"] for d in definitions(r) for m in d["mountPoints"]]
    assert volumes == ["a-tmp", "b-tmp"]
    assert sorted(mounts) == sorted(volumes)


def test_no_volumes_without_writable_paths(render):
    r = render(build())
    assert "volumes" not in r.one(TASK).inputs
    assert only_definition(r)["mountPoints"] == []


def test_user_stop_timeout_and_container_dependencies(render):
    r = render(build([container(user="1000:1000", stop_timeout=90, depends_on=[("migrate", "SUCCESS")]),
                      container(name="migrate", ports=[], essential=False)]))
    app = next(d for d in definitions(r) if d["name"] == "app")
    assert app["user"] == "1000:1000"
    assert app["stopTimeout"] == 90
    assert app["dependsOn"] == [{"containerName": "migrate", "condition": "SUCCESS"}]


def test_health_check_is_passed_in_the_ecs_shape(render):
    check = health_check(command=["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                         interval=15, timeout=3, retries=4, start_period=20)
    d = only_definition(render(build([container(health_check=check)])))
    assert d["healthCheck"] == {"command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
                                "interval": 15, "timeout": 3, "retries": 4, "startPeriod": 20}


def test_config_default_health_check_timings_reach_the_container_definition(render):
    d = only_definition(render(build(cfg=container_config(healthCheck={"command": ["CMD", "/app/healthcheck"]}))))
    assert d["healthCheck"] == {"command": ["CMD", "/app/healthcheck"], "interval": 30, "timeout": 5, "retries": 3,
                                "startPeriod": 0}


def test_no_health_check_unless_given(render):
    assert "healthCheck" not in only_definition(render(build(cfg=make_config())))


def test_restart_policy_is_sent_in_the_ecs_shape_with_its_exit_codes_sorted(render):
    policy = RestartPolicySpec(enabled=True, ignored_exit_codes=[143, 0, 143], restart_attempt_period=120)
    d = only_definition(render(build([container(restart_policy=policy)])))
    assert d["restartPolicy"] == {"enabled": True, "ignoredExitCodes": [0, 143], "restartAttemptPeriod": 120}


def test_a_restart_policy_sends_only_what_is_set(render):
    d = only_definition(render(build([container(restart_policy=RestartPolicySpec(enabled=False))])))
    assert d["restartPolicy"] == {"enabled": False}


def test_config_default_restarts_a_sidecar_and_leaves_the_essential_container_without_a_policy(render):
    cfg = make_config(services={"web": {"containers": {
        "app": {"image": {"uri": PUBLIC_IMAGE}, "ports": [8080]},
        "envoy": {"image": {"uri": PUBLIC_IMAGE}, "essential": False}}, "loadBalancer": {}}})
    by_name = {d["name"]: d for d in definitions(render(build(cfg=cfg)))}
    assert "restartPolicy" not in by_name["app"]
    assert by_name["envoy"]["restartPolicy"] == {"enabled": True}


def test_a_restart_policy_of_the_config_reaches_the_container_definition(render):
    cfg = container_config(restartPolicy={"enabled": True, "ignoredExitCodes": [0], "restartAttemptPeriod": 60})
    assert only_definition(render(build(cfg=cfg)))["restartPolicy"] == {
        "enabled": True, "ignoredExitCodes": [0], "restartAttemptPeriod": 60}


def test_port_mappings_map_each_port_to_the_same_host_port_over_tcp(render):
    d = only_definition(render(build([container(ports=[8080, 9090])])))
    assert d["portMappings"] == [
        {"name": "app-8080", "containerPort": 8080, "hostPort": 8080, "protocol": "tcp"},
        {"name": "app-9090", "containerPort": 9090, "hostPort": 9090, "protocol": "tcp"},
    ]


def test_secret_flag_makes_the_container_definitions_secret(render):
    assert render(build(secret=True)).one(TASK).inputs["containerDefinitions"] == "[secret]"


def test_config_without_secure_values_sends_plain_json_container_definitions(render):
    assert [d["name"] for d in definitions(render(build(cfg=make_config())))] == ["app"]


# --- log group ---------------------------------------------------------------------------------------


def test_log_group_name_and_retention(render):
    group = render(build(log_group_name="/ecs/x/y", log_retention_days=90)).one(LOG_GROUP)
    assert group.inputs["name"] == "/ecs/x/y"
    assert group.inputs["retentionInDays"] == 90


def test_config_default_log_group_of_the_service_kept_30_days(render):
    group = render(lambda: TaskDefinition("web", task_args(make_config()))).one(LOG_GROUP)
    assert group.inputs["name"] == "/ecs/ecs-app/test/web"
    assert group.inputs["retentionInDays"] == 30


def test_log_retention_of_the_service_wins_over_the_stacks(render):
    cfg = make_config({"logs": {"retentionDays": 14}}, services={"web": {
        "containers": {"app": {"image": {"uri": PUBLIC_IMAGE}, "ports": [8080]}}, "loadBalancer": {},
        "logRetentionDays": 90}})
    assert render(build(cfg=cfg)).one(LOG_GROUP).inputs["retentionInDays"] == 90
    assert render(build(cfg=make_config({"logs": {"retentionDays": 14}}))).one(LOG_GROUP).inputs[
        "retentionInDays"] == 14


# --- execution role ----------------------------------------------------------------------------------


def test_ecr_pull_is_granted_only_on_the_given_repositories(render):
    r = render(build([container(image=ECR_IMAGE, ecr_repository_arn=ECR_REPO_ARN),
                      container(name="sidecar", ports=[])]))
    pull = statement(execution_statements(r), "EcrPull")
    assert set(pull["Action"]) == ECR_PULL
    assert pull["Resource"] == [ECR_REPO_ARN]


def test_ecr_authorization_token_is_granted_on_star_when_an_ecr_image_is_used(render):
    r = render(build([container(image=ECR_IMAGE, ecr_repository_arn=ECR_REPO_ARN)]))
    statements = execution_statements(r)
    token = statement(statements, "EcrToken")
    assert token["Action"] == "ecr:GetAuthorizationToken"
    assert token["Resource"] == "*"
    # It is the one action without resource-level permissions: nothing else may ride on "*".
    assert [actions([s]) for s in statements if "*" in as_list(s["Resource"])] == [{"ecr:GetAuthorizationToken"}]


def test_no_ecr_permissions_for_a_non_ecr_image(render):
    statements = execution_statements(render(build()))
    assert not any(a.startswith("ecr:") for a in actions(statements))
    assert all(s["Resource"] != "*" for s in statements)


def test_logs_are_written_only_to_the_task_log_group(render):
    r = render(build())
    logs = statement(execution_statements(r), "Logs")
    assert set(as_list(logs["Action"])) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert logs["Resource"] == r.one(LOG_GROUP).state["arn"] + ":*"


def test_ssm_parameters_are_granted_on_their_exact_arns(render):
    secrets = {"A": "/app/db-password", "B": "api-key",
               "C": "arn:aws:ssm:eu-west-1:123456789012:parameter/shared/token"}
    r = render(build([container(secrets=secrets)], region="eu-west-1"), region="eu-west-1")
    ssm = statement(execution_statements(r), "SsmParameters")
    assert ssm["Action"] == "ssm:GetParameters"
    assert sorted(ssm["Resource"]) == [
        "arn:aws:ssm:eu-west-1:123456789012:parameter/api-key",
        "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db-password",
        "arn:aws:ssm:eu-west-1:123456789012:parameter/shared/token",
    ]


def test_secrets_manager_secret_is_granted_without_its_json_key_suffix(render):
    r = render(build([container(secrets={"PASSWORD": f"{SECRET_ARN}:password::", "USER": f"{SECRET_ARN}:username::"})]))
    secrets = statement(execution_statements(r), "Secrets")
    assert secrets["Action"] == "secretsmanager:GetSecretValue"
    assert secrets["Resource"] == [SECRET_ARN]


def test_no_secret_read_is_granted_on_star(render):
    r = render(build([container(secrets={"A": "/app/x", "B": f"{SECRET_ARN}:key::"})]))
    reads = [s for s in execution_statements(r)
             if actions([s]) & {"ssm:GetParameters", "secretsmanager:GetSecretValue"}]
    assert len(reads) == 2
    assert all("*" not in as_list(s["Resource"]) for s in reads)


def test_no_secret_permissions_without_secrets(render):
    assert not any(a.startswith(("ssm:", "secretsmanager:")) for a in actions(execution_statements(render(build()))))


@pytest.mark.parametrize("role", ["web-execution-role", "web-task-role"])
def test_roles_trust_only_ecs_tasks_of_this_account(render, role):
    trust = inputs_json(render(build()).one(ROLE, role), "assumeRolePolicy")
    [s] = trust["Statement"]
    assert s["Effect"] == "Allow" and s["Action"] == "sts:AssumeRole"
    assert s["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    assert s["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}
    assert s["Condition"]["ArnLike"] == {"aws:SourceArn": "arn:aws:ecs:us-east-1:123456789012:*"}


def test_execution_policy_is_attached_to_the_execution_role(render):
    r = render(build())
    policy = r.one(ROLE_POLICY, "web-execution-policy")
    assert policy.inputs["role"] == r.one(ROLE, "web-execution-role").id


# --- task role ---------------------------------------------------------------------------------------


def test_config_default_task_role_has_no_permissions(render):
    r = render(build(cfg=make_config()))
    assert [p.name for p in r.of_type(ROLE_POLICY)] == ["web-execution-policy"]
    assert r.of_type(ATTACHMENT) == []


def test_task_role_gets_the_configured_statements_inline(render):
    statements = [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::assets/*"]}]
    r = render(build(task_role_statements=statements))
    policy = r.one(ROLE_POLICY, "web-task-policy")
    assert policy.inputs["role"] == r.one(ROLE, "web-task-role").id
    assert inputs_json(policy, "policy") == {"Version": "2012-10-17", "Statement": statements}


def test_task_role_statements_of_the_config_reach_the_inline_policy(render):
    cfg = web_config(taskRole={"statements": [{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::assets/*"]}]})
    policy = render(build(cfg=cfg)).one(ROLE_POLICY, "web-task-policy")
    assert inputs_json(policy, "policy")["Statement"] == [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::assets/*"]}]


def test_task_role_gets_the_configured_managed_policies(render):
    arns = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::123456789012:policy/app"]
    r = render(build(task_role_managed_policy_arns=arns))
    attachments = r.of_type(ATTACHMENT)
    assert sorted(a.inputs["policyArn"] for a in attachments) == sorted(arns)
    assert {a.inputs["role"] for a in attachments} == {r.one(ROLE, "web-task-role").state["name"]}
    assert [p.name for p in r.of_type(ROLE_POLICY)] == ["web-execution-policy"]


def test_every_child_is_parented_to_the_component(render):
    r = render(build(task_role_statements=[{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}],
                     task_role_managed_policy_arns=["arn:aws:iam::aws:policy/ReadOnlyAccess"]))
    component = r.one("ecsapp:task:TaskDefinition")
    assert len(r.children(component)) == len(r.resources) - 1


# --- deploy/iam.py -----------------------------------------------------------------------------------


@pytest.mark.parametrize("uri,arn", [
    ("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3", "arn:aws:ecr:us-east-1:123456789012:repository/web"),
    ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web@sha256:" + "b" * 64,
     "arn:aws:ecr:eu-west-1:123456789012:repository/team/web"),
    ("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3@sha256:" + "c" * 64,
     "arn:aws:ecr:us-east-1:123456789012:repository/web"),
    ("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/web:1", "arn:aws-cn:ecr:cn-north-1:123456789012:repository/web"),
])
def test_ecr_repository_arn_of_an_ecr_image(uri, arn):
    assert iam.ecr_repository_arn(uri) == arn


@pytest.mark.parametrize("uri", ["nginx:1.27", "docker.io/library/nginx:1.27",
                                 "public.ecr.aws/nginx/nginx-unprivileged:1.27", "ghcr.io/org/app:1"])
def test_ecr_repository_arn_is_none_outside_private_ecr(uri):
    assert iam.ecr_repository_arn(uri) is None


@pytest.mark.parametrize("value_from,arn", [
    ("/app/db-password", "arn:aws:ssm:eu-west-1:111122223333:parameter/app/db-password"),
    ("db-password", "arn:aws:ssm:eu-west-1:111122223333:parameter/db-password"),
    (SSM_ARN, SSM_ARN),
    (SECRET_ARN, SECRET_ARN),
    (f"{SECRET_ARN}:password::", SECRET_ARN),
    (f"{SECRET_ARN}:password:AWSCURRENT:", SECRET_ARN),
    # Without Secrets Manager's 6-character suffix a grant of the name itself would never match.
    ("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db",
     "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????"),
    ("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db:password::",
     "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????"),
])
def test_secret_resource_arn(value_from, arn):
    assert iam.secret_resource_arn(value_from, "eu-west-1", "111122223333", "aws") == arn


@pytest.mark.parametrize("value_from,service", [
    ("/app/x", "ssm"), ("arn:aws:ssm:us-east-1:123456789012:parameter/x", "ssm"), (SECRET_ARN, "secretsmanager"),
])
def test_secret_service(value_from, service):
    assert iam.secret_service(value_from) == service


def test_ssm_parameter_names_expand_in_the_regions_partition():
    assert iam.secret_resource_arn("/app/token", "cn-north-1", "111122223333", "aws-cn") == \
        "arn:aws-cn:ssm:cn-north-1:111122223333:parameter/app/token"


def test_secrets_encrypted_with_a_customer_managed_key_may_be_decrypted_by_the_execution_role(render):
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    r = render(build(secrets_kms_key_arns=[key]))
    assert statement(execution_statements(r), "SecretsKey") == {
        "Sid": "SecretsKey", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": [key]}
    assert not any(s.get("Sid") == "SecretsKey" for s in execution_statements(render(build())))


# --- ECS Exec -------------------------------------------------------------------------------------

EXEC_LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs-exec/ecs-app/test"
LOGS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SESSION_CHANNELS = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]


def exec_statements(r):
    return inputs_json(r.one(ROLE_POLICY, "web-exec-policy"), "policy")["Statement"]


def test_without_ecs_exec_the_task_role_gets_no_session_permissions(render):
    r = render(build())
    assert [p.name for p in r.of_type(ROLE_POLICY)] == ["web-execution-policy"]


def test_ecs_exec_grants_the_task_role_session_manager_channels_and_the_session_log_group(render):
    r = render(build(exec_log_group_arn=EXEC_LOG_GROUP_ARN))
    policy = r.one(ROLE_POLICY, "web-exec-policy")
    assert policy.inputs["role"] == r.one(ROLE, "web-task-role").id
    statements = exec_statements(r)
    assert statement(statements, "SessionManagerChannels") == {
        "Sid": "SessionManagerChannels", "Effect": "Allow", "Action": SESSION_CHANNELS, "Resource": "*"}
    assert statement(statements, "SessionLogGroups")["Action"] == "logs:DescribeLogGroups"
    assert statement(statements, "SessionLogGroups")["Resource"] == "*"
    logs = statement(statements, "SessionLogs")
    assert logs["Action"] == ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    assert logs["Resource"] == EXEC_LOG_GROUP_ARN + ":*"
    assert "SessionKey" not in {s["Sid"] for s in statements}


def test_ecs_exec_with_a_logs_key_may_decrypt_with_exactly_that_key(render):
    statements = exec_statements(render(build(exec_log_group_arn=EXEC_LOG_GROUP_ARN, log_kms_key_arn=LOGS_KEY)))
    assert statement(statements, "SessionKey") == {"Sid": "SessionKey", "Effect": "Allow", "Action": "kms:Decrypt",
                                                    "Resource": LOGS_KEY}


def test_the_task_definition_waits_for_the_exec_policy(render):
    r = render(build(exec_log_group_arn=EXEC_LOG_GROUP_ARN))
    assert r.one(ROLE_POLICY, "web-exec-policy").urn in r.one(TASK).dependencies
