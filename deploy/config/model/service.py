"""Service models: containers, routing, scaling and the three workload kinds.

Part of the config model (see the package docstring for the conventions).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from ...aws import elb, limits
from .base import Model, StrategyItem
from .types import (
    AbsolutePath,
    AccessPointId,
    AlarmName,
    Bounds,
    BufferSize,
    ContainerName,
    EnvironmentFiles,
    EnvName,
    FileSystemId,
    HeaderName,
    HealthCheckCommand,
    ImageTag,
    ImageUri,
    KmsKeyArn,
    LambdaArn,
    Matcher,
    Percent,
    Port,
    RetentionDays,
    Rfc3339Time,
    ScalingScheduleExpression,
    ScheduledActionName,
    ScheduleExpression,
    SecretRef,
    SecretsManagerArn,
    SourceCidr,
    StickinessDuration,
    TaskSecurityGroupIds,
    TimeZone,
    UrlPath,
    VolumeName,
    count,
)


def _env_string(value: Any) -> Any:
    """YAML `PORT: 8080` or `DEBUG: true` mean the strings a process sees."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


EnvValue = Annotated[str, BeforeValidator(_env_string)]


# --- services ----------------------------------------------------------------------------


class Build(Model):
    context: str = Field(description="Docker build context, relative to the project directory.")
    dockerfile: str | None = Field(None, description="Dockerfile path (default: <context>/Dockerfile).")
    target: str | None = Field(None, description="Multi-stage build target.")
    args: dict[str, str] = Field(default_factory=dict, description="Build arguments.")


class Image(Model):
    uri: ImageUri | None = Field(None, description="An image to run as is (registry/name:tag or @digest).")
    build: Build | None = Field(None, description="Build from this context and push to the container's ECR "
                                                     "repository (created by the stack).")
    tag: ImageTag | None = Field(None, description="Run this tag from the container's ECR repository instead of "
                                                 "building (what `release --image-tag` sets; wins over `build`).")
    credentials_secret_arn: SecretsManagerArn | None = Field(
        None, description="A `uri` from a private registry other than ECR: the Secrets Manager secret holding its "
                          "`username` and `password` (repositoryCredentials); the execution role may read exactly "
                          "this secret (and decrypt with `secretsKmsKeyArns`).")

    @model_validator(mode="after")
    def _exactly_one(self) -> Image:
        from_repository = self.build is not None or self.tag is not None
        if (self.uri is not None) != from_repository:
            return self
        raise ValueError("set exactly one of `uri` (an image URI) or `build` (a Docker build context) / `tag` "
                         "(an image in the stack's ECR repository)")

    @property
    def from_repository(self) -> bool:
        """The stack owns an ECR repository for this container."""
        return self.uri is None


class ContainerHealthCheck(Model):
    command: HealthCheckCommand = Field(
        min_length=1, description='Starts with "CMD" or "CMD-SHELL", e.g. ["CMD", "/app/healthcheck"].')
    interval: Annotated[int, Bounds(5, 300, " s")] = Field(30, description="Seconds between checks.")
    # ECS: "You may specify between 2 and 60 seconds" (botocore ecs HealthCheck.timeout).
    timeout: Annotated[int, Bounds(2, 60, " s")] = Field(5, description="Seconds before a check fails.")
    retries: Annotated[int, Bounds(1, 10)] = Field(3, description="Failures before the container is unhealthy.")
    start_period: Annotated[int, Bounds(0, 300, " s")] = Field(0, description="Grace seconds at start-up.")


class DependsOn(Model):
    container: str = Field(description="Name of a container of the same task.")
    condition: Literal["START", "COMPLETE", "SUCCESS", "HEALTHY"] = Field("START", description="When it counts as ready.")


class RestartPolicy(Model):
    enabled: bool = Field(description="Restart the container in its task when it exits, instead of letting the "
                                      "task stop or run without it.")
    ignored_exit_codes: list[Annotated[int, Bounds(*limits.EXIT_CODE)]] = Field(
        default_factory=list, max_length=limits.MAX_IGNORED_EXIT_CODES,
        description="Exit codes after which it is not restarted (at most 50).")
    restart_attempt_period: Annotated[int, Bounds(*limits.RESTART_ATTEMPT_PERIOD, " s")] | None = Field(
        None, description="Seconds it must run before ECS restarts it; at most one restart per period (AWS "
                          "default 300).")


class Mount(Model):
    volume: str = Field(description="Name of a volume of the service (`volumes`).")
    path: AbsolutePath = Field(description="Where the container sees it, e.g. /data.")
    read_only: bool = Field(False, description="Mount read-only (the task role then gets no ClientWrite).")


class Container(Model):
    image: Image = Field(description="What to run: `uri` or `build`.")
    cpu: Annotated[int, Bounds(0, limits.TASK_CPU[1])] | None = Field(
        None, description="CPU units reserved for this container.")
    memory: Annotated[int, count(6)] | None = Field(None, description="Hard memory limit (MiB).")
    memory_reservation: Annotated[int, count(6)] | None = Field(None, description="Soft memory limit (MiB).")
    ports: list[Port] = Field(default_factory=list, description="Container ports (TCP).")
    essential: bool = Field(True, description="Stop the task when this container stops.")
    command: list[str] | None = Field(None, description="Override the image's CMD.")
    entry_point: list[str] | None = Field(None, description="Override the image's ENTRYPOINT.")
    working_directory: str | None = Field(None, description="Override the image's WORKDIR.")
    environment: dict[EnvName, EnvValue] = Field(default_factory=dict, description="Plain environment variables.")
    secrets: dict[EnvName, SecretRef] = Field(
        default_factory=dict,
        description="Env var -> Secrets Manager secret ARN or SSM parameter ARN/name; the execution role "
        "may read exactly these.",
    )
    environment_files: EnvironmentFiles = Field(
        default_factory=list, description="Up to 10 `s3://<bucket>/<key>.env` files of VARIABLE=VALUE lines "
        "(`environment` wins over them); the execution role may read exactly these objects.")
    health_check: ContainerHealthCheck | None = Field(None, description="Container health check.")
    readonly_root_filesystem: bool = Field(True, description="Read-only root filesystem (FSBP ECS.5).")
    writable_paths: list[AbsolutePath] = Field(
        default_factory=list, description="Paths mounted writable (task storage), e.g. /tmp."
    )
    mounts: list[Mount] = Field(default_factory=list, description="Volumes of the service mounted into this "
                                                                  "container (mountPoints); writable even with a "
                                                                  "read-only root filesystem unless `readOnly`.")
    user: str | None = Field(None, description='Run as this user, e.g. "1000" or "1000:1000".')
    stop_timeout: Annotated[int, Bounds(0, 120, " s")] | None = Field(
        None, description="Seconds between SIGTERM and SIGKILL (default: 30 on Fargate; on EC2 "
                          "`cluster.ec2.agentStopTimeout`).")
    depends_on: list[DependsOn] = Field(default_factory=list, description="Start after these containers.")
    restart_policy: RestartPolicy | None = Field(
        None, description="ECS container restart policy (default: on for a container that is not essential, "
                          "unless another waits for it to COMPLETE or SUCCESS; off for essential ones).")


FLUENT_BIT_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.31.11"
"""AWS for Fluent Bit at a pinned tag: the version AWS marks stable (aws/aws-for-fluent-bit
AWS_FOR_FLUENT_BIT_STABLE_VERSION, read 2026-12-02). Its README: "You should lock your deployments to a specific
version tag. We guarantee that these tags will be immutable", and it recommends the ECR Public Gallery. The `stable`
tag and the SSM parameter /aws/service/aws-for-fluent-bit/stable move under a running service: the next unrelated
`pulumi up` would register a new task definition with another Fluent Bit, untested."""


class LogRouter(Model):
    image: Annotated[str, Field(min_length=1)] = Field(
        FLUENT_BIT_IMAGE, description="Fluent Bit image of the `log_router` sidecar (default: AWS for Fluent Bit "
                                      "2.31.11, AWS's stable release, pinned).")
    cpu: Annotated[int, Bounds(0, limits.TASK_CPU[1])] | None = Field(
        None, description="CPU units reserved for the router (counted in the task's cpu).")
    memory_reservation: Annotated[int, count(6)] = Field(
        50, description="Soft memory limit of the router in MiB (AWS's FireLens example: 50; counted in the task's "
                        "memory).")
    memory: Annotated[int, count(6)] | None = Field(None, description="Hard memory limit of the router in MiB.")


class Logging(Model):
    driver: Literal["awslogs", "firelens"] = Field(
        "awslogs", description="awslogs: each container to the service's log group; firelens: through a Fluent Bit "
                               "sidecar (`log_router`) to `options`' output.")
    mode: Literal["blocking", "non-blocking"] | None = Field(
        None, description="awslogs delivery: non-blocking drops logs when the buffer is full, blocking stalls the "
                          "application's writes (default: AWS's, non-blocking since 25 June 2025 unless the "
                          "account's defaultLogDriverMode says otherwise).")
    max_buffer_size: BufferSize | None = Field(
        None, description="awslogs with `mode: non-blocking`: the in-memory buffer, e.g. 25m (AWS default 10m).")
    options: dict[str, str] = Field(
        default_factory=dict, description="firelens: the Fluent Bit output of the app containers, `Name` first "
        "(e.g. {Name: http, Host: logs.example.com, Port: \"443\", tls: \"on\"}); default: cloudwatch_logs to the "
        "service's log group, which the task role may then write.")
    secret_options: dict[str, SecretRef] = Field(
        default_factory=dict, description="firelens: output options read from Secrets Manager or SSM (credentials, "
                                          "e.g. {HTTP_Passwd: arn:...}); the execution role may read exactly these.")
    router: LogRouter = Field(default_factory=LogRouter, description="firelens: the `log_router` sidecar (below).")


class TargetHealthCheck(Model):
    path: UrlPath | None = Field(
        None, description="HTTP path the ALB probes (default: /health; with `protocolVersion: GRPC` the gRPC method "
                          "/package.service/method it calls, default AWS's /AWS.ALB/healthcheck).")
    interval: Annotated[int, Bounds(*limits.TG_INTERVAL, " s")] = Field(
        10, description="Seconds between probes (AWS default 30).")
    timeout: Annotated[int, Bounds(*limits.TG_TIMEOUT, " s")] = Field(5, description="Seconds before a probe fails.")
    healthy_threshold: Annotated[int, Bounds(*limits.TG_THRESHOLD)] = Field(
        2, description="Successes before a target is healthy (AWS default 5).")
    unhealthy_threshold: Annotated[int, Bounds(*limits.TG_THRESHOLD)] = Field(
        3, description="Failures before a target is unhealthy.")
    matcher: Matcher | None = Field(
        None, description="HTTP codes that mean healthy, 200 to 499 (default: 200-399); with `protocolVersion: GRPC` "
                          "gRPC codes, 0 to 99 (default: 12, AWS's: any answer from a gRPC server, even "
                          "UNIMPLEMENTED).")


class Stickiness(Model):
    enabled: bool = Field(True, description="Send a client's requests to the same task while its load balancer "
                                            "cookie (AWSALB) is valid.")
    duration: StickinessDuration = Field(
        elb.STICKINESS_DEFAULT_DURATION, description="Seconds the cookie keeps a client on its task, 1 to 604800 "
                                                     "(a week).")


class Routing(Model):
    container: str | None = Field(None, description="Container to route to (default: the one with a port).")
    port: Port | None = Field(None, description="Container port (default: that container's first port).")
    paths: list[UrlPath] = Field(default_factory=lambda: ["/*"], description="Path patterns of the listener rule.")
    hosts: list[str] = Field(default_factory=list, description="Host headers of the listener rule.")
    source_cidrs: list[SourceCidr] = Field(
        default_factory=list, description="Only requests from these IPv4 or IPv6 CIDR blocks match the rule (a "
                                          "`source-ip` condition: the address that connects to the ALB, a proxy's "
                                          "when there is one); others fall to the next rule or the listener's 404. "
                                          "They count towards the rule's 5 condition values.")
    stickiness: Stickiness | None = Field(
        None, description="Sticky sessions with a load balancer cookie (default: off; every request may reach any "
                          "task).")
    protocol_version: Literal["HTTP1", "HTTP2", "GRPC"] | None = Field(
        None, description="What the ALB speaks to the tasks: HTTP1 (AWS's default), HTTP2 or GRPC. HTTP2 and GRPC "
                          "need HTTPS (clients reach the ALB over HTTP/2 only through TLS). Changing it replaces "
                          "the target group.")
    priority: Annotated[int, Bounds(*limits.LISTENER_RULE_PRIORITY)] | None = Field(None, description="Listener rule priority (default: derived, catch-all last).")
    health_check: TargetHealthCheck = Field(default_factory=TargetHealthCheck, description="ALB health check.")
    deregistration_delay: Annotated[int, Bounds(*limits.DEREGISTRATION_DELAY, " s")] = Field(30, description="Seconds to drain a target (AWS default 300).")
    health_check_grace_period: Annotated[int, count()] | None = Field(
        None, description="Default: container startPeriod + interval x healthyThreshold, at least 60."
    )


TASK_COUNT = Bounds(0, limits.MAX_TASKS_PER_SERVICE)


def _unique_names(schedules: list[ScalingSchedule]) -> list[ScalingSchedule]:
    # PutScheduledAction: "This name must be unique among all other scheduled actions on the specified
    # scalable target" (botocore application-autoscaling ScheduledActionName).
    names = [s.name for s in schedules]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"gives the name {', '.join(repeated)} more than once; each schedule needs its own")
    return schedules


class ScalingSchedule(Model):
    name: ScheduledActionName = Field(description="Name of the scheduled action, unique within the service.")
    expression: ScalingScheduleExpression = Field(
        description="When: `cron(0 7 ? * MON-FRI *)`, `rate(1 day)` or `at(2026-12-24T18:00:00)`.")
    # PutScheduledAction.Timezone: "the canonical names of the IANA time zones supported by Joda-Time (such as
    # Etc/GMT+9 or Pacific/Tahiti)" (botocore application-autoscaling). The check is the IANA database's list,
    # which also holds backward-compatible links (US/Eastern); AWS's own check is the one for those.
    timezone: TimeZone = Field("UTC", description="IANA time zone of a cron or at expression.")
    min: Annotated[int, TASK_COUNT] | None = Field(
        None, description="Fewest tasks from then on (unset: the current minimum stays).")
    max: Annotated[int, TASK_COUNT] | None = Field(
        None, description="Most tasks from then on (unset: the current maximum stays).")
    start_time: Rfc3339Time | None = Field(
        None, description="Not before this date and time (RFC 3339, e.g. 2026-12-01T00:00:00Z).")
    end_time: Rfc3339Time | None = Field(
        None, description="No more runs after this date and time (RFC 3339); the bounds stay as last set.")


class Predictive(Model):
    mode: Literal["ForecastOnly", "ForecastAndScale"] = Field(
        "ForecastOnly", description="ForecastOnly: forecast without scaling (look at it first); "
                                    "ForecastAndScale: add tasks ahead of the forecast load.")
    metric: Literal["cpu", "memory", "requests"] = Field(
        "cpu", description="What is forecast: average CPU, average memory, or ALB requests per task (web services "
                           "with a load balancer).")
    target_value: Annotated[int, count(1)] = Field(
        description="Target per task: CPU or memory % (1 to 100), or ALB requests per task per minute.")
    scheduling_buffer_time: Annotated[int, Bounds(0, 3599, " s")] = Field(
        300, description="Seconds ahead of the forecast time that tasks are started.")
    max_capacity_breach_behavior: Literal["HonorMaxCapacity", "IncreaseMaxCapacity"] = Field(
        "HonorMaxCapacity", description="When the forecast exceeds `max`: keep to it, or raise it by "
                                        "`maxCapacityBuffer`.")
    max_capacity_buffer: Annotated[int, Bounds(0, 100, " %")] | None = Field(
        None, description="With IncreaseMaxCapacity: % above the forecast capacity the maximum may rise to.")


class Autoscaling(Model):
    min: Annotated[int, Bounds(0, limits.MAX_TASKS_PER_SERVICE)] = Field(
        1, description="Fewest tasks (0 lets a queue worker scale to zero).")
    max: Annotated[int, Bounds(1, limits.MAX_TASKS_PER_SERVICE)] = Field(description="Most tasks.")
    cpu_target: Percent | None = Field(None, description="Target average CPU % (default: 70 when no other "
                                                        "target is set).")
    memory_target: Percent | None = Field(None, description="Target average memory %.")
    requests_per_target: Annotated[int, count(1)] | None = Field(
        None, description="Target ALB requests per task per minute.")
    messages_per_task: Annotated[int, count(1)] | None = Field(
        None, description="Queue workers: step scaling on the visible-message backlog, about one task per "
                                "this many messages; scales to `min` (may be 0) when the queue is idle.")
    expected_busy_fraction: Annotated[float, Bounds(0, 1)] | None = Field(
        None, description="Share of the month the service is expected at `max` tasks, the rest at `min`: what "
                          "`cost` prices it at (default: `desiredCount`, or `min` when it is 0).")
    scale_in_cooldown: Annotated[int, count()] = Field(300, description="Seconds after a scale-in before the next.")
    scale_out_cooldown: Annotated[int, count()] = Field(60, description="Seconds after a scale-out before the next.")
    schedules: Annotated[list[ScalingSchedule], AfterValidator(_unique_names)] = Field(
        default_factory=list, description="Scheduled changes of `min` and `max` (more tasks on weekdays).")
    predictive: Predictive | None = Field(
        None, description="Predictive scaling from the service's load history (default: off; a forecast needs 24 hours of it).")


BAKE_MINUTES = Bounds(0, 1440, " min")
"""ECS DeploymentConfiguration bakeTimeInMinutes, canaryBakeTimeInMinutes, stepBakeTimeInMinutes: 0-1440 minutes
(pulumi-aws 7.51 `ServiceDeploymentConfiguration*` docs)."""


class Canary(Model):
    percent: Annotated[float, Bounds(0.1, 100, " %")] = Field(
        10, description="Share of production traffic the new revision gets first (ECS canaryPercent: 0.1 to 100).")
    bake_time: Annotated[int, BAKE_MINUTES] = Field(
        5, description="Minutes at that share before the rest of the traffic moves (canaryBakeTimeInMinutes).")


class Linear(Model):
    step_percent: Annotated[float, Bounds(3, 100, " %")] = Field(
        25, description="Share of production traffic moved at each step (ECS stepPercent: 3 to 100).")
    step_bake_time: Annotated[int, BAKE_MINUTES] = Field(
        2, description="Minutes between steps (stepBakeTimeInMinutes).")


class TestTraffic(Model):
    header: HeaderName = Field("X-Deployment-Test", description="Requests with this header set to `value` reach the "
                                                                "new revision before production traffic does.")
    value: Annotated[str, Field(min_length=1, max_length=128)] = Field(
        "green", description="The header value that selects the new revision.")
    port: Port | None = Field(None, description="Instead of the header: a test listener on this ALB port (same "
                                                "protocol and certificate as production, admitting `ingressCidrs`).")


class Hook(Model):
    stage: Literal["RECONCILE_SERVICE", "PRE_SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT",
                   "POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"] = Field(
        description="Deployment lifecycle stage at which ECS invokes the function (ECS DeploymentLifecycleHook).")
    function: LambdaArn = Field(description="Lambda function ECS invokes; it returns SUCCEEDED, FAILED (roll back) or "
                                            "IN_PROGRESS (ask again).")


class RollbackAlarms(Model):
    error_rate: Annotated[float, Bounds(0.1, 100, " %")] = Field(
        5, description="Web services: target 5xx responses as a share of requests that rolls a deployment back.")
    unhealthy_hosts: Annotated[int, count(1)] = Field(
        1, description="Web services: unhealthy targets (all target groups) that roll a deployment back.")
    p99_latency: Annotated[float, Bounds(0.001, 3600, " s")] | None = Field(
        None, description="Web services: p99 target response time in seconds that rolls a deployment back (default: "
                          "no latency alarm).")
    queue_age: Annotated[int, Bounds(60, 1209600, " s")] = Field(
        900, description="Queue workers: seconds the oldest message may wait before a deployment is rolled back "
                         "(the dead-letter queue growing always rolls back).")
    periods: Annotated[int, Bounds(1, 10)] = Field(
        2, description="Consecutive 60 s periods a threshold must be crossed (each alarm's evaluationPeriods).")


class Deployment(Model):
    strategy: Literal["rolling", "blue-green", "linear", "canary"] = Field(
        "rolling", description="rolling replaces tasks in batches; blue-green, linear and canary start the new "
                               "revision beside the old one and move traffic (ALB or Service Connect) to it.")
    bake_time: Annotated[int, BAKE_MINUTES] = Field(
        5, description="blue-green, linear, canary: minutes both revisions run after all traffic has moved; a "
                       "rollback in that time is instant (bakeTimeInMinutes).")
    canary: Canary | None = Field(None, description="Canary settings, with `strategy: canary` (default shown below).")
    linear: Linear | None = Field(None, description="Linear settings, with `strategy: linear` (default shown below).")
    test_traffic: TestTraffic | None = Field(
        None, description="How to reach the new revision before production traffic does (default: the header "
                          "`X-Deployment-Test: green`; blue-green, linear and canary only).")
    hooks: list[Hook] = Field(default_factory=list, description="Lambda functions ECS invokes at lifecycle stages; "
                                                                "ECS may invoke exactly these.")
    alarms: bool = Field(True, description="Create the rollback alarms (below) and roll back a deployment that sets "
                                           "one off, with every strategy.")
    rollback_alarms: RollbackAlarms = Field(default_factory=RollbackAlarms, description="Their thresholds (below).")
    extra_alarm_names: list[AlarmName] = Field(
        default_factory=list, description="Existing CloudWatch alarms that also roll a deployment back.")
    minimum_healthy_percent: Annotated[int, Bounds(0, 100)] = Field(100, description="Keep this share running during deploys.")
    maximum_percent: Annotated[int, Bounds(100, 200)] = Field(200, description="Allow this share during deploys.")
    circuit_breaker: bool = Field(True, description="Stop and roll back a failing deployment.")
    wait_for_steady_state: bool = Field(True, description="`pulumi up` waits until the service is stable.")

    @property
    def shifts_traffic(self) -> bool:
        return self.strategy != "rolling"


class IamStatement(Model):
    actions: list[str] = Field(min_length=1, description='IAM actions, e.g. ["s3:GetObject"].')
    resources: list[str] = Field(min_length=1, description="ARNs the actions apply to.")
    effect: Literal["Allow", "Deny"] = Field("Allow", description="Allow or Deny.")


class TaskRole(Model):
    statements: list[IamStatement] = Field(default_factory=list, description="Inline policy of the task role.")
    managed_policy_arns: list[str] = Field(default_factory=list, description="Managed policies to attach.")


class Queue(Model):
    visibility_timeout: Annotated[int, Bounds(0, 43200)] = Field(60, description="Seconds a received message stays hidden.")
    message_retention_days: Annotated[int, Bounds(1, 14)] = Field(4, description="Days an unprocessed message is kept.")
    max_receive_count: Annotated[int, Bounds(1, 1000)] = Field(5, description="Receives before a message moves to the "
                                                                  "dead-letter queue.")
    dead_letter_retention_days: Annotated[int, Bounds(1, 14)] = Field(14, description="Days failed messages are kept.")
    env_var: EnvName = Field("QUEUE_URL", description="Environment variable that carries the queue URL.")
    fifo: bool = Field(False, description="A FIFO queue (first-in-first-out, exactly-once), and a FIFO dead-letter "
                                          "queue; names end in `.fifo`, and producers must give each message a "
                                          "MessageGroupId. Changing it replaces both queues.")
    content_based_deduplication: bool | None = Field(
        None, description="FIFO queues only: SQS derives each message's deduplication ID from its body (SHA-256), "
                          "so producers need not send a MessageDeduplicationId (default: false).")


def _send_target(value: Any) -> Any:
    """`sends: [thumbnailer]` is short for `sends: [{service: thumbnailer}]`."""
    return {"service": value} if isinstance(value, str) else value


class Send(Model):
    service: str = Field(description="A worker of this stack with a `queue`.")
    env: EnvName | None = Field(None, description="Environment variable that carries its queue URL (default: "
                                                  "`<SERVICE>_QUEUE_URL`, upper-cased, hyphens as underscores).")


class Schedule(Model):
    expression: ScheduleExpression = Field(description="`cron(0 3 * * ? *)`, `rate(1 hour)` or `at(2026-12-01T09:00:00)`.")
    timezone: TimeZone = Field("UTC", description="IANA time zone of a cron expression.")
    task_count: Annotated[int, Bounds(1, 10)] = Field(1, description="Tasks started per run.")
    retries: Annotated[int, Bounds(0, 185)] = Field(2, description="Retry attempts when a run cannot be started.")
    max_event_age: Annotated[int, Bounds(60, 86400)] = Field(3600, description="Seconds a run may wait for retries.")
    enabled: bool = Field(True, description="Pause the schedule with false.")
    expected_duration: Annotated[int, Bounds(1, 86400, " s")] = Field(
        300, description="Seconds a run is expected to take: what `cost` prices each run at (not enforced).")


class Efs(Model):
    file_system_id: FileSystemId | None = Field(
        None, description="An existing file system (fs-...) in the tasks' VPC, with mount targets that admit them.")
    access_point_id: AccessPointId | None = Field(
        None, description="Mount through this access point of `fileSystemId` (fsap-...); the task role may mount "
                          "only through it.")
    root_directory: AbsolutePath | None = Field(
        None, description="Directory of the file system to mount (default: its root); not with an access point.")
    create: bool = Field(False, description="The stack creates the file system: encrypted, backed up, a mount "
                                            "target in each private subnet admitting only this service's tasks.")
    kms_key_arn: KmsKeyArn | None = Field(
        None, description="With `create`: encrypt with this customer managed key (default: the AWS managed key "
                          "aws/elasticfilesystem).")
    # EFS lifecycle management (botocore efs TransitionToIARules: AFTER_1_DAY ... AFTER_365_DAYS).
    transition_to_ia: Literal[1, 7, 14, 30, 60, 90, 180, 270, 365] | None = Field(
        None, description="With `create`: days without access before a file moves to Infrequent Access "
                          "(1, 7, 14, 30, 60, 90, 180, 270 or 365; default: never).")
    expected_gb: Annotated[float, Bounds(0, 1_000_000, " GB")] = Field(
        1, description="With `create`: GB stored, what `cost` prices it at (not enforced).")


class Volume(Model):
    efs: Efs = Field(description="An Amazon EFS file system: `fileSystemId` or `create: true`.")


class Service(Model):
    kind: Literal["web", "worker", "scheduled"] = Field(
        "web", description="web: behind the ALB; worker: no load balancer, optional queue; scheduled: a task run "
                           "on a schedule, no ECS service.")
    cpu: Annotated[int, Bounds(*limits.TASK_CPU)] = Field(
        256, description="Task CPU units (1024 = 1 vCPU); a Fargate size on Fargate.")
    memory: Annotated[int, count(1)] = Field(512, description="Task memory (MiB); a Fargate pair of `cpu` on Fargate.")
    architecture: Literal["X86_64", "ARM64"] = Field("X86_64", description="CPU architecture of the task.")
    desired_count: Annotated[int, Bounds(0, limits.MAX_TASKS_PER_SERVICE)] = Field(
        1, description="Tasks to run (the initial count with autoscaling).")
    ephemeral_storage: Annotated[int, Bounds(*limits.FARGATE_EPHEMERAL_GIB, " GiB")] | None = Field(
        None, description="Task storage in GiB (20 included).")
    capacity_provider_strategy: list[StrategyItem] | None = Field(
        None, description="Default: `cluster.capacityProviderStrategy`."
    )
    containers: dict[ContainerName, Container] = Field(description="Up to 10 containers, by name.")
    volumes: dict[VolumeName, Volume] = Field(
        default_factory=dict, description="Volumes the containers mount (`containers.<name>.mounts`), by name; "
                                          "EFS only, with transit encryption and IAM authorization.")
    load_balancer: Routing | None = Field(None, description="Route ALB traffic to this service.")
    autoscaling: Autoscaling | None = Field(None, description="Application Auto Scaling (default: off).")
    deployment: Deployment = Field(default_factory=Deployment, description="How a new revision replaces the old.")
    task_role: TaskRole = Field(default_factory=TaskRole, description="Permissions of the application.")
    secrets_kms_key_arns: list[KmsKeyArn] = Field(
        default_factory=list, description="Customer managed KMS keys the containers' secrets are encrypted with; "
        "the execution role may decrypt with exactly these (not needed for AWS managed keys).")
    log_retention_days: RetentionDays | None = Field(None, description="Default: `logs.retentionDays`.")
    logging: Logging = Field(default_factory=Logging, description="How the containers' logs leave the task "
                                                                  "(below).")
    assign_public_ip: bool | None = Field(
        None, description="Default: only when the network has no NAT and no endpoints (Fargate only)."
    )
    security_group_ids: TaskSecurityGroupIds = Field(
        default_factory=list, description="Existing security groups (sg-..., in the tasks' VPC) the tasks join "
        "besides their own, e.g. one a database admits; at most 4, since ECS attaches at most 5 to a task.")
    placement: Literal["spread-binpack", "spread", "binpack"] = Field(
        "spread-binpack", description="EC2 only: spread-binpack (spread over AZs, then pack by memory), spread "
                          "(AZs, then instances) or binpack (memory).")
    queue: Queue | None = Field(None, description="Workers: an SQS queue with a dead-letter queue; the task "
                                                     "role may use exactly this queue.")
    schedule: Schedule | None = Field(None, description="Scheduled tasks: when to run.")
    calls: list[str] = Field(default_factory=list, description="Services this one calls by name (ECS Service "
                                                               "Connect); only these callers are admitted.")
    sends: list[Annotated[Send, BeforeValidator(_send_target)]] = Field(
        default_factory=list, description="Workers whose queues this service sends to (a name, or `{service, env}`): "
                                          "the task role may send to exactly those queues, and each URL arrives in "
                                          "an environment variable.")
    exec: bool = Field(False, description="ECS Exec: `aws ecs execute-command` opens a shell in its running "
                                          "containers, logged to the stack's session log group (README, Shell into a "
                                          "running task); needs writable root filesystems.")

    @model_validator(mode="before")
    @classmethod
    def _web_routes_by_default(cls, data: Any) -> Any:
        # A web service always sits behind the ALB; `loadBalancer: {}` would be noise.
        if isinstance(data, dict) and data.get("kind", "web") == "web" and data.get("loadBalancer") is None \
                and data.get("load_balancer") is None:
            data = {**data, "loadBalancer": {}}
        return data

    @property
    def web(self) -> bool:
        return self.kind == "web"


