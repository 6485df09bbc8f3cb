"""ScheduledTask: a task definition run on a cron or rate schedule (no ECS service).

Creates a task security group (egress only; the tasks may join existing groups too; NFS into the
mount targets of the file systems the stack created for it); a dead-letter queue for runs that cannot be
started; an invoke role that EventBridge Scheduler assumes (only for this account) and
that may run exactly this task family on this cluster, pass exactly its two roles to ECS
and send to the dead-letter queue; and the EventBridge Scheduler schedule with its ECS
target, retry policy and dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from deploy.aws import tokens

from .cluster import StrategyEntry, strategy_inputs
from .file_system import nfs_ingress


@dataclass(frozen=True, kw_only=True)
class ScheduledTaskArgs:
    cluster_arn: pulumi.Input[str]
    task_definition_arn: pulumi.Input[str]
    task_definition_family_arn: pulumi.Input[str]
    """The task definition ARN without revision."""
    execution_role_arn: pulumi.Input[str]
    task_role_arn: pulumi.Input[str]
    vpc_id: pulumi.Input[str]
    subnet_ids: pulumi.Input[Sequence[str]]
    strategy: Sequence[StrategyEntry]
    provider_names: Mapping[str, pulumi.Input[str]]
    expression: str
    timezone: str
    task_count: int
    retries: int
    max_event_age: int
    enabled: bool
    assign_public_ip: bool
    fargate: bool
    protect: bool
    """Pulumi `protect` on the stateful resources: a plain `pulumi destroy` stops at them (config `protect`)."""
    security_group_ids: Sequence[str] = ()
    """Existing groups the tasks join besides their own (EventBridge Scheduler allows 5 in all)."""
    file_system_security_group_ids: Sequence[pulumi.Input[str]] = ()
    """Mount-target groups of the EFS file systems the stack created for this task: each admits NFS from its group."""
    depends_on: Sequence[pulumi.Resource] = ()
    """What must exist before a run can start (the file systems' mount targets)."""
    tags: Mapping[str, str] = field(default_factory=dict)


class ScheduledTask(pulumi.ComponentResource):
    def __init__(self, name: str, args: ScheduledTaskArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__(tokens.SCHEDULED_TASK, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        self.security_group = aws.ec2.SecurityGroup(f"{name}-sg", vpc_id=args.vpc_id,
                                                    description=f"Tasks of {name}",
                                                    tags={**args.tags, "Name": f"{name}-tasks"}, opts=child)
        aws.vpc.SecurityGroupEgressRule(f"{name}-egress", security_group_id=self.security_group.id,
                                        ip_protocol="-1", cidr_ipv4="0.0.0.0/0",
                                        description="Image pulls, AWS APIs and calls the job makes", opts=child)
        schedule_deps = list(args.depends_on)
        schedule_deps += nfs_ingress(name, self.security_group.id, args.file_system_security_group_ids, child)
        self.dead_letter = aws.sqs.Queue(f"{name}-dlq", sqs_managed_sse_enabled=True,
                                         message_retention_seconds=14 * 86400,
                                         tags={**args.tags, "Name": f"{name}-dlq"},
                                         opts=pulumi.ResourceOptions(parent=self, protect=args.protect))
        self.role = aws.iam.Role(f"{name}-invoke-role", assume_role_policy=pulumi.Output.json_dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "scheduler.amazonaws.com"},
                "Condition": {"StringEquals": {"aws:SourceAccount": account}}}]}),
            description=f"EventBridge Scheduler runs {name}", tags={**args.tags, "Name": f"{name}-invoke"},
            opts=child)
        aws.iam.RolePolicy(f"{name}-invoke-policy", role=self.role.id, policy=pulumi.Output.json_dumps({
            "Version": "2012-10-17", "Statement": [
                {"Sid": "RunTask", "Effect": "Allow", "Action": "ecs:RunTask",
                 "Resource": pulumi.Output.concat(args.task_definition_family_arn, ":*"),
                 "Condition": {"ArnEquals": {"ecs:cluster": args.cluster_arn}}},
                {"Sid": "TagTask", "Effect": "Allow", "Action": "ecs:TagResource", "Resource": "*",
                 "Condition": {"StringEquals": {"ecs:CreateAction": "RunTask"}}},
                {"Sid": "PassRoles", "Effect": "Allow", "Action": "iam:PassRole",
                 "Resource": [args.execution_role_arn, args.task_role_arn],
                 "Condition": {"StringLike": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
                {"Sid": "DeadLetter", "Effect": "Allow", "Action": "sqs:SendMessage",
                 "Resource": self.dead_letter.arn},
            ]}), opts=child)
        ecs: aws.scheduler.ScheduleTargetEcsParametersArgsDict = {
            "task_definition_arn": args.task_definition_arn,
            "task_count": args.task_count,
            "capacity_provider_strategies": strategy_inputs(args.strategy, args.provider_names),
            "network_configuration": {"subnets": args.subnet_ids,
                                      "security_groups": [self.security_group.id, *args.security_group_ids],
                                      "assign_public_ip": args.assign_public_ip},
            "enable_ecs_managed_tags": True,
            "propagate_tags": "TASK_DEFINITION",
        }
        if args.fargate:
            ecs["platform_version"] = "LATEST"
        self.schedule = aws.scheduler.Schedule(
            f"{name}-schedule", schedule_expression=args.expression, schedule_expression_timezone=args.timezone,
            state="ENABLED" if args.enabled else "DISABLED", flexible_time_window={"mode": "OFF"},
            target={"arn": args.cluster_arn, "role_arn": self.role.arn, "ecs_parameters": ecs,
                    "retry_policy": {"maximum_retry_attempts": args.retries,
                                     "maximum_event_age_in_seconds": args.max_event_age},
                    "dead_letter_config": {"arn": self.dead_letter.arn}},
            opts=pulumi.ResourceOptions(parent=self, depends_on=schedule_deps))
        self.name = self.schedule.name
        self.register_outputs({"scheduleName": self.name})
