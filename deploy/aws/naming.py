"""The naming scheme: logical names of the resources whose AWS names are limited (pure).

Every resource of a stack is named from one prefix (config `name`, default: the stack
name), so `dev` and `prod` resources are told apart in the AWS console. Renaming a
prefix or a service replaces its resources: names are identity.
"""

from __future__ import annotations

import re

from . import limits


def alb_name(prefix: str) -> str:
    return f"{prefix}-alb"


def service_component_name(prefix: str, service: str) -> str:
    return f"{prefix}-{service}"


def registry_component_name(service_component: str, container: str) -> str:
    """The ECR registry of one container; lowercase because ECR repository names are."""
    return f"{service_component}-{container}".lower()


def target_group_name(prefix: str, service: str) -> str:
    return f"{service_component_name(prefix, service)}-tg"


def log_group_name(project: str, stack: str, service: str) -> str:
    return f"/ecs/{project}/{stack}/{service}"


def log_router_log_group_name(project: str, stack: str, service: str) -> str:
    """The FireLens log router's own logs. Service names have no `/`, so no service's group can take it."""
    return f"{log_group_name(project, stack, service)}/log-router"


def exec_log_group_name(project: str, stack: str) -> str:
    """ECS Exec session logs of the stack. Outside `/ecs/<project>/<stack>/`, where each service's group is named
    after the service: no service name can ever take it."""
    return f"/ecs-exec/{project}/{stack}"


def flow_log_group_name(project: str, stack: str) -> str:
    return f"/vpc/{project}/{stack}/flow-logs"


DASHBOARD_NAME_MAX = 255
"""botocore cloudwatch PutDashboardInput.DashboardName: "The maximum length is 255, and valid characters are
A-Z, a-z, 0-9, "-", and "_"." The model declares no pattern or length, so the acceptance check adds both."""


def dashboard_name(project: str, stack: str) -> str:
    """The stack's CloudWatch dashboard: `<project>-<stack>`, every other character as `-`, cut to 255.

    A fixed name, not auto-named: dashboards are found by name in the console, and a stack has one.
    Project and stack names may hold `.` (Pulumi allows it), which PutDashboard refuses. Renaming the
    project or the stack replaces the dashboard.
    """
    return re.sub(r"[^A-Za-z0-9_-]", "-", f"{project}-{stack}")[:DASHBOARD_NAME_MAX]


def port_name(container: str, port: int) -> str:
    """The name of a container's port mapping; Service Connect refers to ports by it.

    ECS takes lowercase letters, numbers, `_` and `-`, at most 64, not starting with `-`
    (botocore ecs PortMapping.name), while container names may have capitals: `WebApp` ->
    `webapp-8080`. Containers that differ only by case are refused by the rules.
    """
    base = container.lower().lstrip("-")[: 64 - len(str(port)) - 1]
    return f"{base}-{port}"


def volume_name(container: str, path: str) -> str:
    """The task volume that makes `path` of a container writable (ECS volume names: letters, digits, -, _)."""
    return f"{container}-{re.sub(r'[^A-Za-z0-9]+', '-', path).strip('-') or 'root'}"


def physical_length(logical: str) -> int:
    """Length of the AWS name Pulumi auto-generates from a logical name."""
    return len(logical) + limits.AUTONAME_SUFFIX


def fits_lb_limit(logical: str) -> bool:
    return physical_length(logical) <= limits.LB_NAME_MAX


def max_service_name_length(prefix: str) -> int:
    """Longest service name whose target group name still fits AWS's 32 characters."""
    return limits.LB_NAME_MAX - limits.AUTONAME_SUFFIX - physical_overhead(prefix)


def physical_overhead(prefix: str) -> int:
    return len(target_group_name(prefix, ""))


# --- the physical names a service's components derive, and AWS's limits on them -------------
#
# Each entry: (suffix after the component name, AWS's maximum length, what it names). Pulumi
# adds AUTONAME_SUFFIX characters to each. `tests/stack/test_names.py` renders every kind of
# service and checks that every auto-named resource appears here, so the table cannot drift
# from the components. Limits: botocore iam CreateRole.RoleName (64), PutRolePolicy.PolicyName
# (128), scheduler CreateSchedule.Name (64), sqs CreateQueue.QueueName (80, documented), elbv2
# CreateTargetGroup.Name (32, documented), ecs CreateService.serviceName (255, documented), ec2
# CreateSecurityGroup.GroupName (255, documented), application-autoscaling PutScalingPolicy.
# PolicyName (256), cloudwatch PutMetricAlarm.AlarmName (255), ecr CreateRepository.repositoryName (256).

ROLE, ROLE_POLICY, SCHEDULE, QUEUE, TARGET_GROUP = 64, 128, 64, 80, limits.LB_NAME_MAX
ECS_NAME, SECURITY_GROUP, SCALING_POLICY, ALARM, REPOSITORY = 255, 255, 256, 255, 256

TASK_NAMES: tuple[tuple[str, int, str], ...] = (
    ("-execution-role", ROLE, "execution role"), ("-task-role", ROLE, "task role"),
    ("-execution-policy", ROLE_POLICY, "execution role policy"), ("-task-policy", ROLE_POLICY, "task role policy"),
)
SERVICE_NAMES: tuple[tuple[str, int, str], ...] = (
    ("-svc", ECS_NAME, "ECS service"), ("-sg", SECURITY_GROUP, "task security group"),
)
WEB_NAMES: tuple[tuple[str, int, str], ...] = (("-tg", TARGET_GROUP, "target group"),)
SHIFTING_NAMES: tuple[tuple[str, int, str], ...] = (("-tg-alt", TARGET_GROUP, "alternate target group"),)
DEPLOY_ROLE_NAMES: tuple[tuple[str, int, str], ...] = (
    ("-deploy-role", ROLE, "deploy role"), ("-deploy-policy", ROLE_POLICY, "deploy role policy"))
WEB_ALARM_NAMES: tuple[tuple[str, int, str], ...] = (
    ("-5xx", ALARM, "alarm"), ("-unhealthy", ALARM, "alarm"), ("-p99", ALARM, "alarm"))
QUEUE_ALARM_NAMES: tuple[tuple[str, int, str], ...] = (("-dlq-growing", ALARM, "alarm"), ("-queue-age", ALARM, "alarm"))
SCALING_NAMES: tuple[tuple[str, int, str], ...] = (
    ("-scaling-requests", SCALING_POLICY, "scaling policy"), ("-scaling-memory", SCALING_POLICY, "scaling policy"),
    ("-scaling-cpu", SCALING_POLICY, "scaling policy"),
)
PREDICTIVE_NAMES: tuple[tuple[str, int, str], ...] = (("-scaling-predictive", SCALING_POLICY, "scaling policy"),)
"""Scheduled actions are not here: each is named by its `autoscaling.schedules[].name`, which the model limits
to the API's 256 characters, with no suffix (the name is unique per scalable target, not per account)."""
QUEUE_SCALING_NAMES: tuple[tuple[str, int, str], ...] = (
    ("-scaling-backlog-idle", SCALING_POLICY, "scaling policy"), ("-scaling-backlog-out", SCALING_POLICY,
                                                                  "scaling policy"),
    ("-scaling-backlog-in", SCALING_POLICY, "scaling policy"), ("-scaling-backlog-low", ALARM, "alarm"),
    ("-scaling-backlog", ALARM, "alarm"), ("-scaling-idle", ALARM, "alarm"),
)
QUEUE_NAMES: tuple[tuple[str, int, str], ...] = (("-queue", QUEUE, "queue"), ("-dlq", QUEUE, "dead-letter queue"))
FIFO_SUFFIX = ".fifo"
"""What a FIFO queue's name ends with (botocore sqs CreateQueue.QueueName: "A FIFO queue name must end with the
.fifo suffix"). pulumi-aws appends it to the auto-name, after Pulumi's suffix, when `fifoQueue` is true
(pulumi/pulumi-aws provider/resources.go@78cafdc0, aws_sqs_queue: AutoNameWithCustomOptions, PostTransform), so
it takes 5 of the 80 characters: counted here as part of the suffix, the lengths come out right."""
FIFO_QUEUE_NAMES: tuple[tuple[str, int, str], ...] = (
    ("-queue" + FIFO_SUFFIX, QUEUE, "FIFO queue"), ("-dlq" + FIFO_SUFFIX, QUEUE, "FIFO dead-letter queue"))
SCHEDULED_NAMES: tuple[tuple[str, int, str], ...] = (
    ("-invoke-role", ROLE, "Scheduler invoke role"), ("-invoke-policy", ROLE_POLICY, "invoke role policy"),
    ("-schedule", SCHEDULE, "schedule"), ("-dlq", QUEUE, "dead-letter queue"), ("-sg", SECURITY_GROUP,
                                                                                "task security group"),
)
REPOSITORY_NAMES: tuple[tuple[str, int, str], ...] = (("-repo", REPOSITORY, "ECR repository"),)


def overflow(component: str, names: tuple[tuple[str, int, str], ...]) -> tuple[str, int, str] | None:
    """The derived name that overflows its limit with Pulumi's suffix and leaves the least room, if any."""
    worst = None
    for suffix, limit, what in names:
        room = limit - physical_length(component + suffix)
        if room < 0 and (worst is None or room < worst[0]):
            worst = (room, suffix, limit, what)
    return None if worst is None else (component + worst[1], worst[2], worst[3])


def max_component_length(names: tuple[tuple[str, int, str], ...]) -> int:
    """The longest component name whose every derived name fits."""
    return min(limit - limits.AUTONAME_SUFFIX - len(suffix) for suffix, limit, _ in names)


def shared_length(names: tuple[tuple[str, int, str], ...]) -> int:
    """Characters the prefix and a service name may have together (`<prefix>-<service>` is the component name).

    For a web service the target group decides: 32 - 8 (Pulumi's suffix) - len("-tg") - 1 = 20, so
    with the prefix `prod` a web service's name has at most 16 characters.
    """
    return max_component_length(names) - 1


def max_prefix_length() -> int:
    """The longest prefix whose load balancer name `<prefix>-alb` fits ELB's 32 characters with Pulumi's suffix: 20."""
    return limits.LB_NAME_MAX - limits.AUTONAME_SUFFIX - len(alb_name(""))
