"""AWS limits the configuration is checked against (pure data, cited in docs/aws-limits.md)."""

from __future__ import annotations

# CloudWatch Logs PutRetentionPolicy accepts exactly these values (days).
LOG_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)

MAX_CONTAINERS_PER_TASK = 10

# Elastic Load Balancing: load balancer and target group names.
LB_NAME_MAX = 32
# Pulumi auto-names ALBs and target groups as "<logical name>-<7 hex>": 8 extra characters.
# Auto-naming keeps replacements create-before-delete (a fixed name would collide).
AUTONAME_SUFFIX = 8

# Target group health check (ELBv2 API reference).
TG_INTERVAL = (5, 300)
TG_TIMEOUT = (2, 120)
TG_THRESHOLD = (2, 10)
DEREGISTRATION_DELAY = (0, 3600)
LISTENER_RULE_PRIORITY = (1, 50000)

FARGATE_EPHEMERAL_GIB = (21, 200)

# TLS policies for HTTPS listeners that AWS FSBP ELB.17 accepts (Security Hub's current
# list). ELBSecurityPolicy-TLS13-1-2-2021-06, the console's suggestion, is not among them:
# it still allows TLS 1.2 ciphers without forward secrecy restrictions ("Res").
TLS_POLICIES: tuple[str, ...] = (
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
)
DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
