"""AWS limits the configuration is checked against (pure data, each with its source).

Sources (AWS documentation):
- CloudWatch Logs API Reference, PutRetentionPolicy: `retentionInDays` valid values.
- ECS Developer Guide, "Task definition parameters": at most 10 containers per task
  definition; Fargate ephemeral storage 21-200 GiB.
- Elastic Load Balancing API Reference (v2): CreateLoadBalancer / CreateTargetGroup `Name`
  (at most 32 characters); target group `HealthCheckIntervalSeconds` 5-300,
  `HealthCheckTimeoutSeconds` 2-120, thresholds 2-10, `deregistration_delay.timeout_seconds`
  0-3600; CreateRule `Priority` 1-50000.
- Security Hub user guide, ELB.17: the TLS policies it accepts for HTTPS listeners.
- Pulumi auto-naming: `<logical name>-<7 random hex characters>` (pulumi-aws docs, "Resource names").
"""

from __future__ import annotations

from typing import Final

LOG_RETENTION_DAYS: Final[tuple[int, ...]] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)

MAX_CONTAINERS_PER_TASK: Final = 10
MAX_ENVIRONMENT_FILES: Final = 10
"""botocore ecs ContainerDefinition.environmentFiles: "You can specify up to ten environment files. The file must
have a .env file extension." """

# Elastic Load Balancing: load balancer and target group names.
LB_NAME_MAX: Final = 32
# Pulumi auto-names ALBs and target groups as "<logical name>-<7 hex>": 8 extra characters.
# Auto-naming keeps replacements create-before-delete (a fixed name would collide).
AUTONAME_SUFFIX: Final = 8

# Target group health check (ELBv2 API reference).
TG_INTERVAL: Final = (5, 300)
TG_TIMEOUT: Final = (2, 120)
TG_THRESHOLD: Final = (2, 10)
DEREGISTRATION_DELAY: Final = (0, 3600)
LISTENER_RULE_PRIORITY: Final = (1, 50000)

FARGATE_EPHEMERAL_GIB: Final = (21, 200)

# ECS container restart policy: "You can set a minimum restartAttemptPeriod of 60 seconds and a maximum
# restartAttemptPeriod of 1800 seconds"; "You can specify a maximum of 50 container exit codes" (botocore ecs
# ContainerRestartPolicy; ECS API reference, ContainerRestartPolicy).
RESTART_ATTEMPT_PERIOD: Final = (60, 1800)
MAX_IGNORED_EXIT_CODES: Final = 50
# A Linux process's exit status is 8 bits (wait(2)): an ignored exit code outside 0-255 can never match.
EXIT_CODE: Final = (0, 255)

# AWS API `integer` members are 32-bit signed (Smithy, https://smithy.io/2.0/spec/simple-types.html#integer):
# the ceiling of any count or duration that has no smaller documented limit.
INT32_MAX: Final = 2**31 - 1
# ECS task CPU: "between 128 CPU units (0.125 vCPUs) and 196608 CPU units (192 vCPUs)"
# (botocore ecs RegisterTaskDefinitionRequest.cpu).
TASK_CPU: Final = (128, 196608)
# ECS service quotas, "Tasks per service": 5,000
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html).
MAX_TASKS_PER_SERVICE: Final = 5000
# Predictive scaling of an ECS service: the predefined metric pairs (load metric + scaling metric) of
# PutScalingPolicy's PredictiveScalingPredefinedMetricPairSpecification (Application Auto Scaling API
# reference lists them among the predictive metrics; the ECS Developer Guide, "Create a predictive scaling
# policy", names CPU, memory and ALB requests per task as the ones for a service). ALBRequestCount needs the
# target group as its ResourceLabel (`<alb arn suffix>/<target group arn suffix>`).
PREDICTIVE_METRIC_PAIRS: Final = {"cpu": "ECSServiceCPUUtilization", "memory": "ECSServiceMemoryUtilization",
                                  "requests": "ALBRequestCount"}
# Tags: "Maximum number of tags per resource - 50", "Maximum key length - 128", "Maximum value
# length - 256" (botocore ecs RegisterTaskDefinitionRequest.tags, AWS's general tag restrictions).
MAX_TAGS: Final = 50
MAX_TAG_KEY: Final = 128
MAX_TAG_VALUE: Final = 256

# TLS policies for HTTPS listeners that AWS FSBP ELB.17 accepts (Security Hub's current
# list). ELBSecurityPolicy-TLS13-1-2-2021-06, the console's suggestion, is not among them:
# it still allows TLS 1.2 ciphers without forward secrecy restrictions ("Res").
TLS_POLICIES: Final[tuple[str, ...]] = (
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
)
DEFAULT_TLS_POLICY: Final = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"

# ECS awsvpc network configuration (services, RunTask, EventBridge Scheduler targets): "There's a
# limit of 5 security groups that can be specified" (botocore ecs AwsVpcConfiguration.securityGroups;
# botocore scheduler AwsVpcConfiguration.SecurityGroups models it as max 5). The stack's own task group
# is one of them.
AWSVPC_SECURITY_GROUPS: Final = 5
# EC2 resource IDs: the type prefix, a hyphen, then 8 hexadecimal characters (older resources) or 17
# (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
SECURITY_GROUP_ID_PATTERN: Final = r"sg-([0-9a-f]{8}|[0-9a-f]{17})"
