"""Rules that relate several settings, or judge the stack as a whole (pure).

Single-value limits are part of each field's type (`deploy.config.model.types`) and are
checked while the config is read; what remains here needs more than one value. Each
module holds one concern, and `check(cfg)` runs all of them and returns every problem it
finds; it never stops at the first. Each problem names the config key it is about and
what is allowed.

    naming        prefixes, service names, and the AWS names derived from them
    network       existing VPCs, zones, and what a network without NAT needs
    capacity      capacity provider strategies, Fargate sizes, EC2 capacity and tasks on it
    containers    the containers of a task
    volumes       EFS volumes and the containers' mounts
    load_balancer the ALB's HTTPS settings and each web service's routing
    scaling       autoscaling and deployment settings
    workloads     the workload kinds: queues, schedules, calls by name
    ecs_exec      ECS Exec: where it applies, what it needs of the containers
    log_routing   logging drivers, the FireLens router, environment files and registry credentials
    registry      ECR repositories
    iam           permissions granted to the application
    tags          tags every resource carries
"""

from __future__ import annotations

from ..model import StackConfig
from ..problems import Problem
from . import (
    capacity,
    containers,
    ecs_exec,
    iam,
    load_balancer,
    log_routing,
    naming,
    network,
    registry,
    scaling,
    tags,
    volumes,
    workloads,
)

CONCERNS = (naming, network, capacity, containers, volumes, load_balancer, scaling, workloads, ecs_exec, log_routing, registry, iam, tags)


def check(cfg: StackConfig) -> list[Problem]:
    """Every problem of a configuration whose sections each read correctly."""
    return [problem for concern in CONCERNS for problem in concern.check(cfg)]
