"""TaskDefinition: what one service runs, and the roles and logs it needs.

Creates a CloudWatch log group with retention; an execution role (ECS pulls images and
writes logs with it) whose inline policy names exactly the ECR repositories, the log
group and the SSM parameters / Secrets Manager secrets the containers reference; a task
role (the application's own identity) with no permissions unless configured (with ECS
Exec, its own policy for Session Manager and the session log group; with EFS volumes, its own policy to
mount exactly those file systems); with FireLens, the `log_router` sidecar (AWS for Fluent Bit), its own log
group, and, when it routes to the task's log group, a task-role policy to write there; and a
task definition in `awsvpc` mode for Fargate or for EC2 container instances. Containers are sorted by name and their
environment by key, so reordering the config never replaces the task definition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from deploy.aws import arns, naming, tokens


@dataclass(frozen=True, kw_only=True)
class HealthCheckSpec:
    command: Sequence[str]
    interval: int
    timeout: int
    retries: int
    start_period: int


@dataclass(frozen=True, kw_only=True)
class RestartPolicySpec:
    enabled: bool
    ignored_exit_codes: Sequence[int] = ()
    restart_attempt_period: int | None = None
    """Seconds; None: ECS's default (300)."""


@dataclass(frozen=True, kw_only=True)
class MountSpec:
    volume: str
    path: str
    read_only: bool


@dataclass(frozen=True, kw_only=True)
class EfsVolumeSpec:
    """An EFS volume of the task: mounted with transit encryption and the task role's IAM authorization."""

    name: str
    file_system_id: pulumi.Input[str]
    file_system_arn: pulumi.Input[str] | None = None
    """None: built from the ID in this account and Region (a file system the stack did not create)."""
    access_point_id: str | None = None
    root_directory: str | None = None
    writable: bool
    """Some container mounts it writable: the task role gets ClientWrite too."""


@dataclass(frozen=True, kw_only=True)
class ContainerSpec:
    name: str
    image: pulumi.Input[str]
    ecr_repository_arn: pulumi.Input[str] | None = None
    """Repository the image is pulled from, when it is in ECR (grants pull on it alone)."""
    cpu: int | None = None
    memory: int | None = None
    memory_reservation: int | None = None
    ports: Sequence[int] = ()
    essential: bool
    command: Sequence[str] | None = None
    entry_point: Sequence[str] | None = None
    working_directory: str | None = None
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    """Env var name -> `valueFrom` (secret ARN, parameter ARN or parameter name)."""
    health_check: HealthCheckSpec | None = None
    readonly_root_filesystem: bool
    writable_paths: Sequence[str] = ()
    mounts: Sequence[MountSpec] = ()
    """Volumes of the task (EFS) mounted into this container."""
    user: str | None = None
    stop_timeout: int
    app_protocols: Mapping[int, str] = field(default_factory=dict)
    """Port -> application protocol (`http`) for Service Connect; other ports carry none."""
    depends_on: Sequence[tuple[str, str]] = ()
    """(container name, condition) pairs."""
    restart_policy: RestartPolicySpec | None = None
    """Restart the container in place when it exits; None: not restarted (ECS's default)."""
    environment_files: Sequence[str] = ()
    """ARNs of S3 objects (`arn:aws:s3:::bucket/key.env`) ECS reads VARIABLE=VALUE lines from."""
    repository_credentials: str | None = None
    """Secrets Manager secret ARN with the private registry's username and password."""


@dataclass(frozen=True, kw_only=True)
class LogRouterSpec:
    """The FireLens sidecar: every other container logs through it (`awsfirelens`)."""

    image: str
    log_group_name: str
    """The router's own log group (awslogs)."""
    memory_reservation: int
    stop_timeout: int
    cpu: int | None = None
    memory: int | None = None
    options: Mapping[str, str] | None = None
    """The Fluent Bit output of the app containers; None: cloudwatch_logs to the task's log group (the task role
    may then write there)."""
    secret_options: Mapping[str, str] = field(default_factory=dict)
    """Output option -> `valueFrom` (secret ARN, parameter ARN or parameter name)."""


ROUTER_NAME = "log_router"
"""The sidecar's name, as in AWS's FireLens examples."""
ROUTER_SCRATCH = "/tmp"
"""Writable for the router under a read-only root filesystem (FSBP ECS.5): Fluent Bit outputs such as s3 buffer
under /tmp (fluent/fluent-bit-docs#1116 "s3: always requires write-able filesystem"; fluent/fluent-bit#7308)."""


@dataclass(frozen=True, kw_only=True)
class TaskDefinitionArgs:
    family: str
    region: str
    partition: str
    """ARN partition of the region: `aws`, `aws-cn`, `aws-us-gov`."""
    containers: Sequence[ContainerSpec]
    cpu: int
    memory: int
    architecture: str
    compatibility: str
    """`FARGATE` or `EC2` (tasks on the cluster's container instances)."""
    ephemeral_storage: int | None = None
    """GiB of task storage (Fargate only)."""
    log_group_name: str
    log_retention_days: int
    log_kms_key_arn: str | None = None
    log_mode: str | None = None
    """awslogs `mode` (blocking, non-blocking); None: AWS's default."""
    log_max_buffer_size: str | None = None
    """awslogs `max-buffer-size` (non-blocking mode)."""
    log_router: LogRouterSpec | None = None
    """FireLens: route the containers' logs through a Fluent Bit sidecar (None: awslogs)."""
    task_role_statements: Sequence[Mapping[str, Any]] = ()
    """IAM statements (`Effect`, `Action`, `Resource`) for the application."""
    task_role_managed_policy_arns: Sequence[str] = ()
    secrets_kms_key_arns: Sequence[str] = ()
    """Customer managed KMS keys the referenced secrets are encrypted with (the execution role decrypts)."""
    efs_volumes: Sequence[EfsVolumeSpec] = ()
    exec_log_group_arn: pulumi.Input[str] | None = None
    """ECS Exec: the task role may open sessions and log them to this group, and decrypt with `log_kms_key_arn`
    (None: the service has no ECS Exec)."""
    secret: bool
    protect: bool
    """Pulumi `protect` on the stateful resources: a plain `pulumi destroy` stops at them (config `protect`)."""
    """Mark the container definitions secret (they hold values from secure config)."""
    tags: Mapping[str, str] = field(default_factory=dict)


def awslogs(log_group: pulumi.Input[str], region: str, prefix: str, mode: str | None = None,
            max_buffer_size: str | None = None) -> dict[str, Any]:
    """An awslogs logConfiguration. `mode` and `max-buffer-size` "apply to all supported log drivers" (botocore ecs
    LogConfiguration.options); sent only when set, so AWS's default (non-blocking since 25 June 2025) applies
    otherwise and existing task definitions stay as they are."""
    options: dict[str, Any] = {"awslogs-group": log_group, "awslogs-region": region, "awslogs-stream-prefix": prefix}
    if mode is not None:
        options["mode"] = mode
    if max_buffer_size is not None:
        options["max-buffer-size"] = max_buffer_size
    return {"logDriver": "awslogs", "options": options}


def firelens(router: LogRouterSpec, container: str, log_group: pulumi.Input[str], region: str) -> dict[str, Any]:
    """An app container's logConfiguration through the router: the options become its Fluent Bit output section
    (ECS developer guide, "Example Amazon ECS task definition: Route logs to FireLens")."""
    options: Mapping[str, pulumi.Input[str]] = router.options if router.options is not None else {
        "Name": "cloudwatch_logs", "region": region, "log_group_name": log_group,
        "log_stream_prefix": f"{container}/"}
    config: dict[str, Any] = {"logDriver": "awsfirelens", "options": dict(sorted(options.items()))}
    if router.secret_options:
        config["secretOptions"] = [{"name": k, "valueFrom": v} for k, v in sorted(router.secret_options.items())]
    return config


def router_definition(router: LogRouterSpec, log_group: pulumi.Input[str], region: str) -> dict[str, Any]:
    """The FireLens sidecar. Essential, as in every AWS FireLens example: a task whose router died would keep
    running and lose every log line. It runs as root, which FireLens requires (aws/containers-roadmap#2122: the
    router creates a unix socket in the agent's directory). It publishes no port: the app containers reach it
    inside the task, and the task's security group admits only its service port, never FireLens's 24224."""
    d: dict[str, Any] = {
        "name": ROUTER_NAME, "image": router.image, "essential": True,
        "firelensConfiguration": {"type": "fluentbit"},
        "readonlyRootFilesystem": True,
        "mountPoints": [{"sourceVolume": naming.volume_name(ROUTER_NAME, ROUTER_SCRATCH),
                         "containerPath": ROUTER_SCRATCH, "readOnly": False}],
        "stopTimeout": router.stop_timeout,
        "memoryReservation": router.memory_reservation,
        "logConfiguration": awslogs(log_group, region, ROUTER_NAME),
    }
    d.update({k: v for k, v in {"cpu": router.cpu, "memory": router.memory}.items() if v is not None})
    return d


def container_definition(c: ContainerSpec, log_group: pulumi.Input[str], region: str,
                         log_configuration: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One container definition in the ECS API's (camelCase) shape; `log_configuration` replaces awslogs to
    `log_group`."""
    d: dict[str, Any] = {
        "name": c.name,
        "image": c.image,
        "essential": c.essential,
        "readonlyRootFilesystem": c.readonly_root_filesystem,
        "stopTimeout": c.stop_timeout,
        "portMappings": [{"name": naming.port_name(c.name, p), "containerPort": p, "hostPort": p, "protocol": "tcp",
                          **({"appProtocol": c.app_protocols[p]} if p in c.app_protocols else {})}
                         for p in c.ports],
        "environment": [{"name": k, "value": v} for k, v in sorted(c.environment.items())],
        "secrets": [{"name": k, "valueFrom": v} for k, v in sorted(c.secrets.items())],
        "mountPoints": [{"sourceVolume": naming.volume_name(c.name, p), "containerPath": p, "readOnly": False}
                        for p in c.writable_paths]
        + [{"sourceVolume": m.volume, "containerPath": m.path, "readOnly": m.read_only} for m in c.mounts],
        "logConfiguration": dict(log_configuration) if log_configuration is not None else awslogs(
            log_group, region, c.name),
        # An init process reaps zombies and forwards SIGTERM, so stopTimeout is honoured.
        "linuxParameters": {"initProcessEnabled": True},
        "dependsOn": [{"containerName": n, "condition": cond} for n, cond in c.depends_on],
    }
    optional = {"cpu": c.cpu, "memory": c.memory, "memoryReservation": c.memory_reservation, "user": c.user,
                "command": list(c.command) if c.command else None,
                "entryPoint": list(c.entry_point) if c.entry_point else None,
                "workingDirectory": c.working_directory}
    d.update({k: v for k, v in optional.items() if v is not None})
    if c.environment_files:
        d["environmentFiles"] = [{"value": arn, "type": "s3"} for arn in c.environment_files]
    if c.repository_credentials is not None:
        d["repositoryCredentials"] = {"credentialsParameter": c.repository_credentials}
    if c.restart_policy is not None:
        rp = c.restart_policy
        # Only what is set, codes sorted: the definition AWS returns is compared with this one, and reordering
        # the codes in the config must not register a new revision.
        policy: dict[str, Any] = {"enabled": rp.enabled}
        if rp.ignored_exit_codes:
            policy["ignoredExitCodes"] = sorted(set(rp.ignored_exit_codes))
        if rp.restart_attempt_period is not None:
            policy["restartAttemptPeriod"] = rp.restart_attempt_period
        d["restartPolicy"] = policy
    if c.health_check is not None:
        h = c.health_check
        d["healthCheck"] = {"command": list(h.command), "interval": h.interval, "timeout": h.timeout,
                            "retries": h.retries, "startPeriod": h.start_period}
    return d


def exec_policy(log_group_arn: pulumi.Input[str], kms_key_arn: str | None) -> pulumi.Output[str]:
    """The task role's policy for ECS Exec, as the ECS developer guide lists it ("Monitor Amazon ECS containers
    with ECS Exec": IAM permissions required for ECS Exec; for CloudWatch Logs logging; for encryption with your
    own KMS key). The four ssmmessages actions and logs:DescribeLogGroups have no resource-level permissions: AWS's
    own policy puts them on "*". The rest is scoped to the session log group and the key."""
    statements: list[dict[str, Any]] = [
        {"Sid": "SessionManagerChannels", "Effect": "Allow",
         "Action": ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], "Resource": "*"},
        {"Sid": "SessionLogGroups", "Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": "*"},
        {"Sid": "SessionLogs", "Effect": "Allow",
         "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
         "Resource": pulumi.Output.concat(log_group_arn, ":*")},
    ]
    if kms_key_arn is not None:
        statements.append({"Sid": "SessionKey", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": kms_key_arn})
    return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements})


def efs_arn(kind: str, resource_id: str, partition: str, region: str, account: pulumi.Input[str]
            ) -> pulumi.Output[str]:
    """`arn:<partition>:elasticfilesystem:<region>:<account>:<kind>/<id>` (kind: file-system, access-point)."""
    return pulumi.Output.concat("arn:", partition, ":elasticfilesystem:", region, ":", account, ":", kind, "/",
                                resource_id)


def efs_policy(volumes: Sequence[EfsVolumeSpec], partition: str, region: str,
               account: pulumi.Input[str]) -> pulumi.Output[str]:
    """The task role's policy for IAM-authorized EFS mounts: ClientMount (read), plus ClientWrite where a container
    mounts the volume writable, on exactly that file system, and through its access point when one is set (IAM
    Service Authorization Reference, Amazon Elastic File System: ClientMount and ClientWrite take the file-system
    resource and the elasticfilesystem:AccessPointArn condition key; EFS User Guide, "Using access points in IAM
    policies")."""
    statements: list[dict[str, Any]] = []
    for i, v in enumerate(volumes):
        statement: dict[str, Any] = {
            "Sid": f"EfsMount{i}", "Effect": "Allow",
            "Action": ["elasticfilesystem:ClientMount"] + (["elasticfilesystem:ClientWrite"] if v.writable else []),
            "Resource": v.file_system_arn if v.file_system_arn is not None
            else efs_arn("file-system", str(v.file_system_id), partition, region, account)}
        if v.access_point_id is not None:
            statement["Condition"] = {"StringEquals": {"elasticfilesystem:AccessPointArn": efs_arn(
                "access-point", v.access_point_id, partition, region, account)}}
        statements.append(statement)
    return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements})


def efs_volume(v: EfsVolumeSpec) -> aws.ecs.TaskDefinitionVolumeArgsDict:
    """A task volume on EFS: transit encryption and IAM authorization always on (IAM needs transit encryption:
    botocore ecs EFSAuthorizationConfig.iam; FSBP ECS.18 asks for transit encryption)."""
    config: aws.ecs.TaskDefinitionVolumeEfsVolumeConfigurationArgsDict = {
        "file_system_id": v.file_system_id, "transit_encryption": "ENABLED",
        "authorization_config": {"iam": "ENABLED",
                                 **({"access_point_id": v.access_point_id} if v.access_point_id else {})}}
    if v.root_directory is not None:
        config["root_directory"] = v.root_directory
    return {"name": v.name, "efs_volume_configuration": config}


def _assume_role(account: pulumi.Input[str], region: str, partition: str) -> pulumi.Output[str]:
    # Confused-deputy guard: only ECS acting for this account may assume the role.
    return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Condition": {"StringEquals": {"aws:SourceAccount": account},
                      "ArnLike": {"aws:SourceArn": pulumi.Output.concat("arn:", partition, ":ecs:", region, ":", account, ":*")}},
    }]})


class TaskDefinition(pulumi.ComponentResource):
    arn: pulumi.Output[str]
    family: pulumi.Output[str]

    def __init__(self, name: str, args: TaskDefinitionArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.TASK_DEFINITION_COMPONENT, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs", name=args.log_group_name, retention_in_days=args.log_retention_days,
            kms_key_id=args.log_kms_key_arn, tags={**args.tags, "Name": name},
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect))
        router = args.log_router
        self.router_log_group: aws.cloudwatch.LogGroup | None = None
        if router is not None:
            self.router_log_group = aws.cloudwatch.LogGroup(
                f"{name}-router-logs", name=router.log_group_name, retention_in_days=args.log_retention_days,
                kms_key_id=args.log_kms_key_arn, tags={**args.tags, "Name": f"{name}-log-router"},
                opts=pulumi.ResourceOptions(parent=self, protect=args.protect))

        self.execution_role = aws.iam.Role(
            f"{name}-execution-role", assume_role_policy=_assume_role(account, args.region, args.partition),
            description=f"ECS pulls images and writes logs for {args.family}",
            tags={**args.tags, "Name": f"{name}-execution"}, opts=child)
        aws.iam.RolePolicy(f"{name}-execution-policy", role=self.execution_role.id,
                           policy=self._execution_policy(args, account), opts=child)

        self.task_role = aws.iam.Role(
            f"{name}-task-role", assume_role_policy=_assume_role(account, args.region, args.partition),
            description=f"Application identity of {args.family}",
            tags={**args.tags, "Name": f"{name}-task"}, opts=child)
        if args.task_role_statements:
            aws.iam.RolePolicy(f"{name}-task-policy", role=self.task_role.id, policy=pulumi.Output.json_dumps(
                {"Version": "2012-10-17", "Statement": list(args.task_role_statements)}), opts=child)
        for i, arn in enumerate(args.task_role_managed_policy_arns):
            aws.iam.RolePolicyAttachment(f"{name}-task-managed-{i}", role=self.task_role.name, policy_arn=arn,
                                         opts=child)
        task_deps: list[pulumi.Resource] = []
        if router is not None and router.options is None:
            # The router writes the app's logs with the task role (ECS developer guide, "Send Amazon ECS logs to an
            # AWS service or AWS Partner": the task role needs the destination's permissions); the cloudwatch_logs
            # output calls CreateLogStream and PutLogEvents, on this group only (it creates no group here).
            task_deps.append(aws.iam.RolePolicy(
                f"{name}-log-routing-policy", role=self.task_role.id, policy=pulumi.Output.json_dumps(
                    {"Version": "2012-10-17", "Statement": [{
                        "Sid": "RoutedLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": pulumi.Output.concat(self.log_group.arn, ":*")}]}), opts=child))
        if args.exec_log_group_arn is not None:
            # Its own policy: turning ECS Exec on or off leaves the application's policy as it is. Tasks start
            # after it exists, so their exec agent can reach Session Manager from the start.
            task_deps.append(aws.iam.RolePolicy(
                f"{name}-exec-policy", role=self.task_role.id,
                policy=exec_policy(args.exec_log_group_arn, args.log_kms_key_arn), opts=child))

        if args.efs_volumes:
            # Its own policy, and the task definition waits for it: a task that starts before the role may mount
            # fails to start.
            task_deps.append(aws.iam.RolePolicy(
                f"{name}-efs-policy", role=self.task_role.id,
                policy=efs_policy(args.efs_volumes, args.partition, args.region, account), opts=child))

        containers = sorted(args.containers, key=lambda c: c.name)
        if router is not None and self.router_log_group is not None:
            rendered = [container_definition(c, self.log_group.name, args.region,
                                             firelens(router, c.name, self.log_group.name, args.region))
                        for c in containers]
            # Sorted in with the others by name, so adding a container never reorders the definitions needlessly.
            rendered.append(router_definition(router, self.router_log_group.name, args.region))
            rendered.sort(key=lambda d: d["name"])
        else:
            rendered = [container_definition(c, self.log_group.name, args.region, awslogs(
                self.log_group.name, args.region, c.name, args.log_mode, args.log_max_buffer_size))
                for c in containers]
        definitions = pulumi.Output.json_dumps(rendered)
        if args.secret:
            definitions = pulumi.Output.secret(definitions)
        volumes: list[aws.ecs.TaskDefinitionVolumeArgsDict] = [
            {"name": naming.volume_name(c.name, p)} for c in containers for p in c.writable_paths]
        volumes += [efs_volume(v) for v in sorted(args.efs_volumes, key=lambda v: v.name)]
        if router is not None:
            volumes.append({"name": naming.volume_name(ROUTER_NAME, ROUTER_SCRATCH)})
        self.task_definition = aws.ecs.TaskDefinition(
            f"{name}-task",
            family=args.family,
            network_mode="awsvpc",
            requires_compatibilities=[args.compatibility],
            cpu=str(args.cpu),
            memory=str(args.memory),
            runtime_platform={"operating_system_family": "LINUX", "cpu_architecture": args.architecture},
            ephemeral_storage={"size_in_gib": args.ephemeral_storage}
            if args.ephemeral_storage and args.compatibility == "FARGATE" else None,
            execution_role_arn=self.execution_role.arn,
            task_role_arn=self.task_role.arn,
            volumes=volumes or None,
            container_definitions=definitions,
            tags={**args.tags, "Name": name},
            opts=pulumi.ResourceOptions(parent=self, depends_on=task_deps),
        )
        self.arn = self.task_definition.arn
        self.family = self.task_definition.family
        self.revision = self.task_definition.revision
        self.family_arn = self.task_definition.arn_without_revision
        self.register_outputs({"arn": self.arn, "logGroupName": self.log_group.name})

    def _execution_policy(self, args: TaskDefinitionArgs, account: pulumi.Output[str]) -> pulumi.Output[str]:
        statements: list[dict[str, Any]] = []
        repos = [c.ecr_repository_arn for c in args.containers if c.ecr_repository_arn is not None]
        if repos:
            # GetAuthorizationToken has no resource-level permissions: AWS requires "*".
            statements.append({"Sid": "EcrToken", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken",
                               "Resource": "*"})
            statements.append({"Sid": "EcrPull", "Effect": "Allow",
                               "Action": ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                                          "ecr:BatchGetImage"], "Resource": repos})
        groups = [pulumi.Output.concat(g.arn, ":*") for g in (self.log_group, self.router_log_group) if g is not None]
        statements.append({"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                           "Resource": groups[0] if len(groups) == 1 else groups})
        # ECS reads secrets for the containers, for the router's output (secretOptions) and the registry
        # credentials (ECS developer guide, "Private registry authentication": secretsmanager:GetSecretValue on the
        # secret, kms:Decrypt with a customer managed key) with the execution role.
        router_refs = set(args.log_router.secret_options.values()) if args.log_router is not None else set()
        refs = sorted({v for c in args.containers for v in c.secrets.values()} | router_refs
                      | {c.repository_credentials for c in args.containers if c.repository_credentials is not None})
        ssm = [r for r in refs if arns.secret_service(r) == "ssm"]
        sm = [r for r in refs if arns.secret_service(r) == "secretsmanager"]
        if ssm:
            statements.append({"Sid": "SsmParameters", "Effect": "Allow", "Action": "ssm:GetParameters",
                               "Resource": account.apply(lambda a: [
                                   arns.secret_resource_arn(r, args.region, a, args.partition) for r in ssm])})
        if sm:
            statements.append({"Sid": "Secrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                               "Resource": sorted({arns.secret_resource_arn(r, args.region, "", args.partition)
                                                   for r in sm})})
        files = sorted({f for c in args.containers for f in c.environment_files})
        if files:
            # ECS developer guide, "Amazon ECS task execution IAM role", environment files in Amazon S3:
            # s3:GetObject on the objects and s3:GetBucketLocation on their buckets.
            statements.append({"Sid": "EnvironmentFiles", "Effect": "Allow", "Action": "s3:GetObject",
                               "Resource": files})
            statements.append({"Sid": "EnvironmentFileBuckets", "Effect": "Allow", "Action": "s3:GetBucketLocation",
                               "Resource": sorted({arns.s3_bucket_arn(f) for f in files})})
        if args.secrets_kms_key_arns:
            # Secrets encrypted with a customer managed key: ECS decrypts them with the execution role.
            statements.append({"Sid": "SecretsKey", "Effect": "Allow", "Action": "kms:Decrypt",
                               "Resource": sorted(args.secrets_kms_key_arns)})
        return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements})
