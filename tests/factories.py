"""Component Args for component tests, built the way the stack program builds them.

Defaults live in one place, the config model: these factories resolve a minimal valid
config (`tests.conftest.make_config`, or the one given) and translate it with
`deploy.stack.args`, exactly as `build()` does, then apply the test's overrides. Outputs
of other components (VPC and subnet IDs, ARNs) are fixed placeholder strings.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from components.cluster import ClusterArgs
from components.dashboard import DashboardArgs, DashboardService
from components.ec2_capacity import Ec2CapacityArgs
from components.load_balancer import LoadBalancerArgs
from components.network import NetworkArgs
from components.queue import WorkerQueueArgs
from components.registry import ImageBuildArgs, RegistryArgs
from components.scaling import ScalingArgs
from components.scheduled_task import ScheduledTaskArgs
from components.service import RoutingArgs, ServiceArgs
from components.task_definition import ContainerSpec, HealthCheckSpec, TaskDefinitionArgs
from deploy.config.model import StackConfig
from deploy.config.resolve import Resolved, resolve
from deploy.stack import args
from tests.conftest import make_config

VPC_ID = "vpc-0abc"
VPC_CIDR = "10.0.0.0/16"
PRIVATE_SUBNETS = ["subnet-private-a", "subnet-private-b"]
PUBLIC_SUBNETS = ["subnet-public-a", "subnet-public-b"]
CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/p-cluster"
CLUSTER_NAME = "p-cluster"
TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/p-web:3"
TASK_FAMILY_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/p-web"
EXECUTION_ROLE_ARN = "arn:aws:iam::123456789012:role/p-web-execution"
TASK_ROLE_ARN = "arn:aws:iam::123456789012:role/p-web-task"
LISTENER_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/p-alb/0123456789abcdef/fedcba98"
ALB_SG = "sg-0a1b2c3d4e5f"
ALB_SUFFIX = "app/p-alb/0123456789abcdef"
TG_SUFFIX = "targetgroup/p-web-tg/0123456789abcdef"
QUEUE_NAME = "p-worker-queue"
PROVIDERS = {"FARGATE": "FARGATE", "FARGATE_SPOT": "FARGATE_SPOT", "EC2": "p-ec2-cp"}

EC2_CLUSTER = {"ec2": {"instanceTypes": ["m7g.large"]}}
"""`cluster` settings with EC2 capacity of the model's default sizes."""


def resolved(cfg: StackConfig | None = None) -> Resolved:
    return resolve(cfg if cfg is not None else make_config())


def network_args(cfg: StackConfig | None = None, **overrides: Any) -> NetworkArgs:
    return replace(args.network(resolved(cfg)), **overrides)


def ec2_args(cfg: StackConfig | None = None, **overrides: Any) -> Ec2CapacityArgs:
    cfg = cfg if cfg is not None else make_config({"cluster": EC2_CLUSTER})
    found = args.ec2_capacity(resolved(cfg), VPC_ID, PRIVATE_SUBNETS)
    if found is None:
        raise ValueError("the config has no cluster.ec2")
    return replace(found, **overrides)


def cluster_args(cfg: StackConfig | None = None, **overrides: Any) -> ClusterArgs:
    return replace(args.cluster(resolved(cfg), None), **overrides)


def load_balancer_args(cfg: StackConfig | None = None, **overrides: Any) -> LoadBalancerArgs:
    return replace(args.load_balancer(resolved(cfg), VPC_ID, VPC_CIDR, PUBLIC_SUBNETS, PRIVATE_SUBNETS), **overrides)


def queue_args(**overrides: Any) -> WorkerQueueArgs:
    cfg = make_config(services={"worker": {"kind": "worker", "containers": {"w": {"image": {"uri": "busybox:1.36"}}},
                                           "queue": {}}})
    found = args.queue(resolved(cfg).services["worker"], cfg.protect)
    if found is None:
        raise ValueError("no queue")
    return replace(found, **overrides)


def registry_args(cfg: StackConfig | None = None, **overrides: Any) -> RegistryArgs:
    """A registry for a container that runs a tagged image from the stack's repository (no build)."""
    cfg = cfg if cfg is not None else make_config(services={"web": {
        "containers": {"app": {"image": {"tag": "v1"}, "ports": [8080]}}}})
    r = resolved(cfg)
    return replace(args.registry(r, r.services["web"], "app"), **overrides)


def image_build(**overrides: Any) -> ImageBuildArgs:
    fields: dict[str, Any] = {"context": "./app", "platform": "linux/amd64"}
    fields.update(overrides)
    return ImageBuildArgs(**fields)


def health_check(**overrides: Any) -> HealthCheckSpec:
    cfg = make_config(services={"web": {"containers": {"app": {
        "image": {"uri": "busybox:1.36"}, "ports": [8080], "healthCheck": {"command": ["CMD", "true"]}}}}})
    spec = container_spec(cfg).health_check
    if spec is None:
        raise ValueError("no health check")
    return replace(spec, **overrides)


def container_spec(cfg: StackConfig | None = None, service: str = "web", container: str | None = None,
                   **overrides: Any) -> ContainerSpec:
    """The spec of one container of the config (default: the minimal web service's only container);
    `overrides` replace its fields (`name=` renames it)."""
    cfg = cfg if cfg is not None else make_config()
    svc = cfg.services[service]
    container = container or min(svc.containers)
    c = svc.containers[container]
    image = c.image.uri or "123456789012.dkr.ecr.us-east-1.amazonaws.com/p-web-app:v1"
    r = resolved(cfg)
    return replace(args.container(r.services[service], container, image, None, {}, r.partition), **overrides)


def task_args(cfg: StackConfig | None = None, service: str = "web", **overrides: Any) -> TaskDefinitionArgs:
    r = resolved(cfg)
    s = r.services[service]
    containers = [container_spec(r.config, service, name) for name in sorted(s.config.containers)]
    return replace(args.task_definition(r, s, containers, None), **overrides)


def routing_args(cfg: StackConfig | None = None, service: str = "web", **overrides: Any) -> RoutingArgs:
    found = args.routing(resolved(cfg).services[service], LISTENER_ARN, ALB_SG, ALB_SUFFIX)
    if found is None:
        raise ValueError(f"service {service} has no load balancer")
    return replace(found, **overrides)


def scaling_args(cfg: StackConfig | None = None, service: str = "web", queue_name: str | None = None,
                 **overrides: Any) -> ScalingArgs:
    cfg = cfg if cfg is not None else make_config(services={"web": {
        "containers": {"app": {"image": {"uri": "busybox:1.36"}, "ports": [8080]}}, "autoscaling": {"max": 4}}})
    found = args.scaling(resolved(cfg).services[service], queue_name)
    if found is None:
        raise ValueError(f"service {service} has no autoscaling")
    return replace(found, **overrides)


def service_args(cfg: StackConfig | None = None, service: str = "web", **overrides: Any) -> ServiceArgs:
    r = resolved(cfg)
    s = r.services[service]
    routing = args.routing(s, LISTENER_ARN, ALB_SG, ALB_SUFFIX)
    found = args.service(
        s, cluster_arn=CLUSTER_ARN, cluster_name=CLUSTER_NAME, task_definition_arn=TASK_ARN, vpc_id=VPC_ID,
        subnet_ids=PRIVATE_SUBNETS, provider_names=PROVIDERS, routing=routing, autoscaling=args.scaling(s, None),
        connect=None, depends_on=[])
    return replace(found, **overrides)


SCHEDULED = {"nightly": {"kind": "scheduled", "containers": {"job": {"image": {"uri": "busybox:1.36"}}},
                         "schedule": {"expression": "cron(0 3 * * ? *)"}}}


def scheduled_args(cfg: StackConfig | None = None, service: str = "nightly", **overrides: Any) -> ScheduledTaskArgs:
    cfg = cfg if cfg is not None else make_config(services=SCHEDULED)
    found = args.scheduled_task(
        resolved(cfg).services[service], cluster_arn=CLUSTER_ARN, task_definition_arn=TASK_ARN,
        task_definition_family_arn=TASK_FAMILY_ARN, execution_role_arn=EXECUTION_ROLE_ARN,
        task_role_arn=TASK_ROLE_ARN, vpc_id=VPC_ID, subnet_ids=PRIVATE_SUBNETS, provider_names=PROVIDERS,
        protect=cfg.protect)
    if found is None:
        raise ValueError(f"service {service} is not scheduled")
    return replace(found, **overrides)


def dashboard_service(cfg: StackConfig | None = None, service: str = "web", **overrides: Any) -> DashboardService:
    """A service's dashboard entry as the program fills it: its target group and the ALB for a web service, its
    queue for a queue worker."""
    r = resolved(cfg)
    s = r.services[service]
    web = s.route is not None
    entry = args.dashboard_service(
        s, cluster_name=CLUSTER_NAME, service_name=f"{s.component}-svc",
        target_group_arn_suffixes=[TG_SUFFIX] if web else [], load_balancer_arn_suffix=ALB_SUFFIX if web else None,
        queue_name=QUEUE_NAME if s.config.queue is not None else None)
    return replace(entry, **overrides)


def dashboard_args(cfg: StackConfig | None = None, services: tuple[str, ...] = ("web",),
                   **overrides: Any) -> DashboardArgs:
    cfg = cfg if cfg is not None else make_config()
    found = args.dashboard(resolved(cfg), [dashboard_service(cfg, name) for name in services], alarm_arns=[])
    if found is None:
        raise ValueError("the config has `dashboard: false`")
    return replace(found, **overrides)
