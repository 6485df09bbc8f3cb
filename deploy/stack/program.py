"""The stack program: `build(config)` turns a checked StackConfig into components.

This is the only program. `__main__.py` (under `pulumi up`), the offline plan (under
mocks) and the Automation API all run it. It resolves the config once
(`deploy.config.resolve`), asks `args` for each component's Args, and wires the outputs of
one component into the Args of the next; it decides nothing itself. Components never read
config.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi

from components.alerts import Alerts
from components.cluster import Cluster
from components.connection import Connection
from components.dashboard import Dashboard, DashboardService
from components.file_system import FileSystem
from components.load_balancer import LoadBalancer
from components.network import Network
from components.queue import WorkerQueue
from components.registry import Registry
from components.rollback_alarms import Queues
from components.scheduled_task import ScheduledTask
from components.service import Service
from components.task_definition import EfsVolumeSpec, TaskDefinition

from ..config.model import StackConfig
from ..config.resolve import Resolved, ResolvedService, resolve
from . import args


@dataclass
class Outputs:
    """What the stack exports (contract: the names and shapes of the stack outputs)."""

    alb_url: Any
    cluster_name: Any
    cluster_arn: Any
    vpc_id: Any
    public_subnet_ids: Any
    private_subnet_ids: Any
    repository_urls: dict[str, Any] = field(default_factory=dict)
    service_names: dict[str, Any] = field(default_factory=dict)
    task_definition_arns: dict[str, Any] = field(default_factory=dict)
    log_group_names: dict[str, Any] = field(default_factory=dict)
    queue_urls: dict[str, Any] = field(default_factory=dict)
    schedule_names: dict[str, Any] = field(default_factory=dict)
    capacity_provider_name: Any = None
    dashboard_name: Any = None
    # What another stack (Pulumi or Terraform) needs to admit these tasks to its own resources, e.g.
    # an ingress rule on its database's security group, or a bucket policy naming a task role.
    alb_security_group_id: Any = None
    task_security_group_ids: dict[str, Any] = field(default_factory=dict)
    """Service -> the security group the stack created for its tasks (web, worker and scheduled)."""
    target_group_arns: dict[str, Any] = field(default_factory=dict)
    task_role_arns: dict[str, Any] = field(default_factory=dict)
    execution_role_arns: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Output name -> value, in the order `pulumi stack output` shows them; empty optional maps left out."""
        result: dict[str, Any] = {
            "albUrl": self.alb_url, "albSecurityGroupId": self.alb_security_group_id,
            "clusterName": self.cluster_name, "clusterArn": self.cluster_arn,
            "repositoryUrls": self.repository_urls, "serviceNames": self.service_names,
            "taskDefinitionArns": self.task_definition_arns, "logGroupNames": self.log_group_names,
            "taskSecurityGroupIds": self.task_security_group_ids, "taskRoleArns": self.task_role_arns,
            "executionRoleArns": self.execution_role_arns}
        if self.target_group_arns:
            result["targetGroupArns"] = self.target_group_arns
        if self.queue_urls:
            result["queueUrls"] = self.queue_urls
        if self.schedule_names:
            result["scheduleNames"] = self.schedule_names
        result.update({"vpcId": self.vpc_id, "publicSubnetIds": self.public_subnet_ids,
                       "privateSubnetIds": self.private_subnet_ids})
        if self.capacity_provider_name is not None:
            result["capacityProviderName"] = self.capacity_provider_name
        if self.dashboard_name is not None:
            result["dashboardName"] = self.dashboard_name
        return result


def build(cfg: StackConfig) -> dict[str, Any]:
    """Create every resource of the stack; return the stack outputs."""
    r = resolve(cfg)
    network = Network(r.prefix, args.network(r))
    ec2 = args.ec2_capacity(r, network.vpc_id, network.private_subnet_ids)
    cluster = Cluster(r.prefix, args.cluster(r, ec2))
    lb = None
    if any(s.route is not None for s in r.services.values()):
        lb = LoadBalancer(r.prefix, args.load_balancer(r, network.vpc_id, network.vpc_cidr, network.public_subnet_ids,
                                                       network.private_subnet_ids))
    out = Outputs(alb_url=lb.url if lb is not None else None,
                  alb_security_group_id=lb.security_group_id if lb is not None else None,
                  cluster_name=cluster.name, cluster_arn=cluster.arn,
                  vpc_id=network.vpc_id, public_subnet_ids=network.public_subnet_ids,
                  private_subnet_ids=network.private_subnet_ids,
                  capacity_provider_name=cluster.ec2.provider_name if cluster.ec2 is not None else None)

    alerts_args = args.alerts(r)
    alert_topics = Alerts(r.prefix, alerts_args).topic_arns if alerts_args is not None else []
    security_groups: dict[str, Any] = {}
    services: dict[str, Service] = {}
    on_dashboard: list[DashboardService] = []
    alarm_arns: list[Any] = []
    # Queues first: a producer's task definition names the queues it sends to (`sends`), and the callees-first
    # order of services may put a producer before its worker (the worker may call the producer by name).
    queues: dict[str, WorkerQueue] = {}
    for name, s in r.services.items():
        queue_args = args.queue(s, cfg.protect)
        if queue_args is not None:
            queues[name] = WorkerQueue(s.component, queue_args)
            out.queue_urls[name] = queues[name].url
    for name, s in r.services.items():  # callees first: a caller waits for what it calls
        queue = queues.get(name)
        file_systems = {v: FileSystem(logical, args.file_system(r, s, v, network.vpc_id, network.private_subnets))
                        for v, logical in s.file_systems.items()}
        mount_targets = [mt for fs in file_systems.values() for mt in fs.mount_targets]
        nfs_groups = [fs.security_group_id for fs in file_systems.values()]
        efs = args.efs_volumes(s, {v: (fs.id, fs.arn) for v, fs in file_systems.items()})
        task, repository_urls = _task_definition(r, s, queue, cluster.exec_log_group_arn, efs, queues)
        out.repository_urls.update(repository_urls)
        out.task_definition_arns[name] = task.arn
        out.log_group_names[name] = task.log_group.name
        out.task_role_arns[name] = task.task_role.arn
        out.execution_role_arns[name] = task.execution_role.arn
        subnets = network.public_subnet_ids if s.public_ip else network.private_subnet_ids
        scheduled = args.scheduled_task(
            s, cluster_arn=cluster.arn, task_definition_arn=task.arn, task_definition_family_arn=task.family_arn,
            execution_role_arn=task.execution_role.arn, task_role_arn=task.task_role.arn, vpc_id=network.vpc_id,
            subnet_ids=subnets, provider_names=cluster.provider_names, protect=cfg.protect,
            file_system_security_group_ids=nfs_groups, depends_on=mount_targets)
        if scheduled is not None:
            job = ScheduledTask(s.component, scheduled)
            out.schedule_names[name] = job.name
            out.task_security_group_ids[name] = job.security_group.id
            continue
        routing = None
        if lb is not None:
            routing = args.routing(s, lb.listener_arn, lb.security_group_id, lb.arn_suffix)
        service = Service(s.component, args.service(
            s, cluster_arn=cluster.arn, cluster_name=cluster.name, task_definition_arn=task.arn,
            vpc_id=network.vpc_id, subnet_ids=subnets, provider_names=cluster.provider_names, routing=routing,
            autoscaling=args.scaling(s, queue.name if queue is not None else None),
            connect=args.connect(s, cluster.namespace_arn),
            rollout=args.rollout(s, lb.test_listener_arns if lb is not None else {}),
            alarms=args.rollback_alarms(s, alert_topics),
            queue=Queues(queue.name, queue.dead_letter.name) if queue is not None else None,
            file_system_security_group_ids=nfs_groups,
            depends_on=[cluster.capacity_providers, *mount_targets,
                        *(services[c].service for c in sorted(set(s.config.calls)))]))
        services[name] = service
        security_groups[name] = service.security_group.id
        out.task_security_group_ids[name] = service.security_group.id
        if service.target_group is not None:
            out.target_group_arns[name] = service.target_group.arn
        out.service_names[name] = service.name
        groups = [g.arn_suffix for g in (service.target_group, service.alternate_target_group) if g is not None]
        alarm_arns += [a.arn for a in service.alarms]
        on_dashboard.append(args.dashboard_service(
            s, cluster_name=cluster.name, service_name=service.name, target_group_arn_suffixes=groups,
            load_balancer_arn_suffix=lb.arn_suffix if lb is not None else None,
            queue_name=queue.name if queue is not None else None))

    for c in r.connections:
        Connection(c.name, args.connection(c, security_groups[c.caller], security_groups[c.target]))
    dashboard = args.dashboard(r, on_dashboard, alarm_arns=alarm_arns)
    if dashboard is not None:
        out.dashboard_name = Dashboard(r.prefix, dashboard).name
    return out.as_dict()


def _task_definition(r: Resolved, s: ResolvedService, queue: WorkerQueue | None, exec_log_group_arn: Any,
                     efs: list[EfsVolumeSpec], queues: dict[str, WorkerQueue]) -> tuple[TaskDefinition, dict[str, Any]]:
    """The service's task definition, and the URL of each ECR repository it created (`<service>/<container>`).
    `queues`: every worker's queue, by worker name (those in `sends` are granted and passed in)."""
    svc = s.config
    repository_urls: dict[str, Any] = {}
    extra_env: dict[str, Any] = {svc.queue.env_var: queue.url} if queue is not None and svc.queue is not None else {}
    extra_env.update(args.send_env(s, {w: queues[w].url for w in s.sends}))
    containers = []
    for cname, c in sorted(svc.containers.items()):
        by_uri = args.image_of(c)
        if by_uri is not None:
            image, repository_arn = by_uri
            containers.append(args.container(s, cname, image, repository_arn, extra_env, r.partition))
            continue
        registry = Registry(s.repositories[cname], args.registry(r, s, cname))
        if registry.image_uri is None:
            raise ValueError(f"services.{s.name}.containers.{cname}.image: neither a build nor a tag")
        repository_urls[f"{s.name}/{cname}"] = registry.repository_url
        containers.append(args.container(s, cname, registry.image_uri, registry.repository_arn, extra_env,
                                          r.partition))
    task = TaskDefinition(s.component, args.task_definition(r, s, containers, queue.arn if queue else None,
                                                            exec_log_group_arn, efs,
                                                            {w: queues[w].arn for w in s.sends}))
    return task, repository_urls


def export(outputs: dict[str, Any]) -> None:
    for key, value in outputs.items():
        if value is not None:
            pulumi.export(key, value)
