"""One function per part of the bill: rendered resources in, estimate lines out (pure).

Each section takes the resource view, the price table and the assumptions, and returns
`Line`s whose quantity is per month (hours, GB, GB-months). `estimate.py` runs them
all.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from ...aws.prices import PriceTable
from ...aws.tokens import (
    ASG,
    CLUSTER,
    CLUSTER_CAPACITY_PROVIDERS,
    DASHBOARD,
    EFS_FILE_SYSTEM,
    EIP,
    FARGATE,
    FARGATE_PROVIDERS,
    FARGATE_SPOT,
    FLOW_LOG,
    LAUNCH_TEMPLATE,
    LOG_GROUP,
    METRIC_ALARM,
    NETWORK_INTERFACE,
    REPOSITORY,
    SCALING_TARGET,
    SCHEDULE,
    SCHEDULED_ACTION,
    SERVICE,
    SUBNET,
    TASK_DEFINITION,
)
from ...aws.tokens import LOAD_BALANCER as ALB
from ...aws.tokens import NAT_GATEWAY as NAT
from ...aws.tokens import VPC_ENDPOINT as ENDPOINT
from ..view import View, container_log_groups, task_size
from . import model
from .model import Assumptions, Line

H = model.HOURS_PER_MONTH


def network(view: View, t: PriceTable, a: Assumptions) -> Iterator[Line]:
    nats = view.of(NAT)
    zonal = [n for n in nats if n.inputs.get("availabilityMode", "zonal") != "regional"]
    regional = [n for n in nats if n not in zonal]
    if zonal:
        yield Line("network", "NAT gateways", len(zonal) * H, "gateway-hour", t.nat_gateway_hour,
                   tuple(n.name for n in zonal), f"{len(zonal)} x 730 h")
    for n in regional:
        zones = len(view.of(SUBNET)) // 2 or 1
        yield Line("network", f"regional NAT gateway {n.name}", zones * H, "AZ-hour", t.regional_nat_gateway_az_hour,
                   (n.name,), f"billed per AZ it is active in ({zones} with the private subnets); "
                   + ("" if t.regional_nat_gateway_az_hour is not None else "rate not confirmed: not priced; AWS "
                      "also allocates its public IPv4 addresses, one per active AZ"))
    if nats:
        # A regional gateway's per-GB rate is unconfirmed like its hourly one.
        rate = t.nat_gateway_gb if zonal or t.regional_nat_gateway_az_hour is not None else None
        yield Line("network", "NAT gateway data processing", a.traffic_gb, "GB", rate, tuple(n.name for n in nats),
                   f"{a.traffic_gb:g} GB a month out of the private subnets (assumption: --traffic-gb)")
    nat_ips = {n.inputs.get("allocationId") for n in nats}
    nat_interfaces = {e.id for e in view.of(NETWORK_INTERFACE) if e.inputs.get("sourceDestCheck") is False}
    eips = view.of(EIP)
    instance_ips = [e for e in eips if e.inputs.get("networkInterface") in nat_interfaces]
    for label, group in (("NAT gateway public IPv4 (Elastic IPs)", [e for e in eips if e.id in nat_ips]),
                         ("NAT instance public IPv4 (Elastic IPs)", instance_ips),
                         ("other Elastic IPs", [e for e in eips if e.id not in nat_ips and e not in instance_ips])):
        if group:
            yield Line("network", label, len(group) * H, "IP-hour", t.public_ipv4_hour,
                       tuple(e.name for e in group), f"{len(group)} x 730 h")
    public_tasks = [(s, _desired(s)) for s in view.of(SERVICE)
                    if (s.inputs.get("networkConfiguration") or {}).get("assignPublicIp")]
    count = sum(n for _, n in public_tasks)
    if count:
        yield Line("network", "public IPv4 of tasks (assignPublicIp)", count * H, "IP-hour", t.public_ipv4_hour,
                   tuple(s.name for s, _ in public_tasks), f"{_n(count, 'running task')} x 730 h")


def load_balancers(view: View, t: PriceTable, a: Assumptions) -> Iterator[Line]:
    for lb in view.of(ALB):
        if lb.inputs.get("loadBalancerType", "application") != "application":
            continue
        yield Line("load balancer", f"ALB {lb.name}", H, "ALB-hour", t.alb_hour, (lb.name,))
        yield Line("load balancer", f"ALB {lb.name} capacity units", a.alb_lcu * H, "LCU-hour", t.alb_lcu_hour,
                   (lb.name,), f"{a.alb_lcu:g} LCU average (loadBalancer.expectedLcu)")
        if not lb.inputs.get("internal"):
            zones = len(lb.inputs.get("subnets") or lb.inputs.get("subnetMappings") or [])
            yield Line("load balancer", f"ALB {lb.name} public IPv4", zones * H, "IP-hour", t.public_ipv4_hour,
                       (lb.name,), f"one per AZ: {zones} x 730 h")


def endpoints(view: View, t: PriceTable, a: Assumptions) -> Iterator[Line]:
    for ep in view.of(ENDPOINT):
        # com.amazonaws.<region>.ecr.api -> ecr.api
        service = ".".join(str(ep.inputs.get("serviceName", "")).split(".")[3:]) or ep.name
        if ep.inputs.get("vpcEndpointType") == "Interface":
            zones = len(ep.inputs.get("subnetIds") or [])
            yield Line("network", f"interface endpoint {service}", zones * H, "AZ-hour",
                       t.interface_endpoint_hour, (ep.name,), f"{zones} AZs x 730 h")
        else:
            yield Line("network", f"gateway endpoint {service}", 0, "", 0.0, (ep.name,), "free")
    interface = [ep for ep in view.of(ENDPOINT) if ep.inputs.get("vpcEndpointType") == "Interface"]
    if interface and not view.of(NAT):
        yield Line("network", "interface endpoint data processing", a.traffic_gb, "GB", t.interface_endpoint_gb,
                   tuple(ep.name for ep in interface),
                   f"{a.traffic_gb:g} GB a month out of the private subnets (assumption: --traffic-gb)")


def services(view: View, t: PriceTable, a: Assumptions) -> Iterator[Line]:
    for svc, task, desired in service_tasks(view):
        bounds = _bounds(view, svc)
        busy = a.busy_fraction.get(svc.name)
        if bounds is not None:
            desired = model.expected_tasks(desired, *bounds, busy)
        if task is None:
            yield Line("compute", f"service {svc.name}", 0, "task-hour", None, (svc.name,),
                       "task definition not found in the plan")
            continue
        vcpu, memory, arch = task_size(task.inputs)
        size = f"{vcpu:g} vCPU, {memory:g} GB, {arch.lower()}"
        strategy = _strategy(view, svc)
        rate = functools.partial(_task_rate, t, a, vcpu, memory, arch)
        note = _range(view, svc, functools.partial(_strategy_cost, rate, strategy))
        for provider, tasks in model.split_by_strategy(desired, strategy).items():
            if tasks <= 0:
                continue
            if provider in FARGATE_PROVIDERS:
                label = "Fargate Spot" if provider == FARGATE_SPOT else "Fargate"
                yield Line("compute", f"{label} {svc.name}", tasks * H, "task-hour", rate(provider), (svc.name,),
                           f"{_n(tasks, 'task')} x ({size}){_busy(bounds, busy)}{note}")
                extra = model.extra_ephemeral_gb((task.inputs.get("ephemeralStorage") or {}).get("sizeInGib"))
                if extra:
                    yield Line("compute", f"Fargate storage {svc.name}", extra * tasks * H, "GB-hour",
                               t.fargate_ephemeral_gb_hour, (svc.name,), f"{extra} GB beyond the 20 included")
            else:
                yield Line("compute", f"EC2 tasks {svc.name}", tasks * H, "task-hour", 0.0, (svc.name,),
                           f"{_n(tasks, 'task')} on capacity provider {provider}: paid through its instances{note}")
            note = ""  # the service's range once, on its first line


def schedules(view: View, t: PriceTable, a: Assumptions) -> Iterator[Line]:
    """Scheduled tasks: runs a month from the expression x the expected duration x the task's price."""
    for sched in view.of(SCHEDULE):
        ecs = (sched.inputs.get("target") or {}).get("ecsParameters") or {}
        task = view.by_arn(TASK_DEFINITION, ecs.get("taskDefinitionArn"))
        expression = str(sched.inputs.get("scheduleExpression", ""))
        runs = model.runs_per_month(expression)
        if sched.inputs.get("state") == "DISABLED":
            runs = 0.0
        if task is None or runs is None:
            if expression.startswith("at("):
                continue  # one run, not a monthly cost
            yield Line("compute", f"scheduled task {sched.name}", 0, "task-hour", None, (sched.name,),
                       "its task definition or expression could not be read")
            continue
        seconds = a.run_seconds.get(sched.name, a.default_run_seconds)
        count = int(ecs.get("taskCount") or 1)
        vcpu, memory, arch = task_size(task.inputs)
        strategy = [(str(i.get("capacityProvider")), int(i.get("base") or 0), int(i.get("weight") or 0))
                    for i in ecs.get("capacityProviderStrategies") or []] or [(FARGATE, 0, 1)]
        shares = model.split_by_strategy(count, strategy)
        hours = runs * seconds / 3600
        rate = sum(n * (_task_rate(t, a, vcpu, memory, arch, p) or 0.0) for p, n in shares.items()) / count
        unknown = any(_task_rate(t, a, vcpu, memory, arch, p) is None for p in shares)
        yield Line("compute", f"scheduled task {sched.name}", hours * count, "task-hour", None if unknown else rate,
                   (sched.name,), f"{expression}: {runs:,.1f} runs a month x {seconds / 60:g} min x "
                   f"{_n(count, 'task')} ({vcpu:g} vCPU, {memory:g} GB, {arch.lower()})")


def ec2_groups(view: View, t: PriceTable, a: Assumptions) -> Iterator[Line]:
    for group in view.of(ASG):
        instances = int(group.inputs.get("minSize") or 0)
        policy = group.inputs.get("mixedInstancesPolicy") or {}
        spec = policy.get("launchTemplate") or {}
        template = _launch_template(view, group)
        overrides = [o.get("instanceType") for o in spec.get("overrides") or [] if o.get("instanceType")]
        instance_type = overrides[0] if overrides else (template.inputs.get("instanceType") if template else None)
        dist = policy.get("instancesDistribution") or {}
        on_demand, spot = model.asg_split(instances, int(dist.get("onDemandBaseCapacity") or 0),
                                          int(dist.get("onDemandPercentageAboveBaseCapacity", 100)))
        price = t.ec2_hour.get(instance_type or "")
        missing = "" if price is not None else f"; no {t.region} price for {instance_type or 'an unknown type'}"
        for label, count, discount in (("on-demand", on_demand, 0.0), ("Spot", spot, a.ec2_spot_discount)):
            if count > 0:
                yield Line("compute", f"EC2 {instance_type} {label} ({group.name})", count * H, "instance-hour",
                           None if price is None else price * (1 - discount), (group.name,),
                           f"{count:g} of minSize {instances}{missing}")
        if instances:
            gb = _root_volume_gb(template) or a.ebs_root_gb
            yield Line("compute", f"EBS gp3 root volumes ({group.name})", gb * instances, "GB-month",
                       t.ebs_gp3_gb_month, (group.name,), f"{instances} x {gb} GiB")


def logs(view: View, t: PriceTable, a: Assumptions) -> Iterator[Line]:
    writers: dict[str, float] = {}
    for _, task, desired in service_tasks(view):
        for name in container_log_groups(task) if task is not None else ():
            writers[name] = writers.get(name, 0.0) + desired
    flow_targets = {f.inputs.get("logDestination") for f in view.of(FLOW_LOG)}
    ingested = stored = 0.0
    names = []
    for group in view.of(LOG_GROUP):
        name = group.inputs.get("name") or group.name
        flowing = group.state.get("arn") in flow_targets
        gb = a.flow_log_gb if flowing else writers.get(name, 0.0) * a.log_gb_per_task
        ingested += gb
        stored += model.stored_gb(gb, group.inputs.get("retentionInDays"), a.never_expire_months)
        names.append(name)
    if names:
        yield Line("logs", "CloudWatch Logs ingestion", ingested, "GB", t.logs_ingested_gb, tuple(names),
                   f"{_n(len(names), 'log group')}")
        yield Line("logs", "CloudWatch Logs storage", stored, "GB-month", t.logs_stored_gb_month, tuple(names),
                   "at full retention")


def alarms(view: View, t: PriceTable, a: Assumptions) -> Iterator[Line]:
    """Standard-resolution alarms are billed per metric they evaluate: an alarm on one metric counts once, a
    metric math alarm once per metric in its expression (CloudWatch pricing, "Alarms")."""
    found = view.of(METRIC_ALARM)
    if found:
        metrics = sum(max(1, sum(1 for q in x.inputs.get("metricQueries") or [] if q.get("metric"))) for x in found)
        note = f"{len(found)} alarms evaluating {metrics} metrics" if metrics != len(found) else ""
        yield Line("monitoring", "CloudWatch alarms", metrics, "alarm metric-month", t.alarm_month,
                   tuple(x.name for x in found),
                   note if t.alarm_month is not None else f"no confirmed {t.region} alarm price")


def insights(view: View, t: PriceTable, a: Assumptions) -> Iterator[Line]:
    """Container Insights metrics, charged as CloudWatch custom metrics, and CloudWatch dashboards."""
    per = model.CONTAINER_INSIGHTS_METRICS
    families = {str(td.inputs.get("family") or td.name) for td in view.of(TASK_DEFINITION)}
    for cluster in view.of(CLUSTER):
        mode = next((x.get("value") for x in cluster.inputs.get("settings") or []
                     if x.get("name") == "containerInsights"), "disabled")
        if mode == "disabled":
            continue
        metrics = per["cluster"] + per["service"] * len(view.of(SERVICE)) + per["family"] * len(families)
        enhanced = mode == "enhanced"
        yield Line("monitoring", f"Container Insights ({mode}) {cluster.name}", metrics, "metric-month",
                   None if enhanced else t.custom_metric_month, (cluster.name,),
                   "billed per observation: not priced" if enhanced else
                   f"{per['cluster']} cluster + {per['service']} x {_n(len(view.of(SERVICE)), 'service')} + "
                   f"{per['family']} x {_n(len(families), 'task family', 'task families')}"
                   + ("" if t.custom_metric_month is not None else f"; no confirmed {t.region} metric price"))
    boards = view.of(DASHBOARD)
    if boards:
        yield Line("monitoring", "CloudWatch dashboards", len(boards), "dashboard-month", t.dashboard_month,
                   tuple(b.name for b in boards),
                   "" if t.dashboard_month is not None else f"no confirmed {t.region} dashboard price")


def registries(view: View, t: PriceTable, a: Assumptions) -> Iterator[Line]:
    repos = view.of(REPOSITORY)
    if repos:
        yield Line("registry", "ECR storage", len(repos) * a.ecr_gb_per_repository, "GB-month", t.ecr_gb_month,
                   tuple(r.name for r in repos),
                   f"{_n(len(repos), 'repository', 'repositories')} x {a.ecr_gb_per_repository:g} GB")


def file_systems(view: View, t: PriceTable, a: Assumptions) -> Iterator[Line]:
    for fs in view.of(EFS_FILE_SYSTEM):
        gb = a.efs_gb.get(fs.name, a.default_efs_gb)
        yield Line("storage", f"EFS Standard storage {fs.name}", gb, "GB-month", t.efs_standard_gb_month, (fs.name,),
                   f"efs.expectedGb {gb:g}; https://aws.amazon.com/efs/pricing/" if t.efs_standard_gb_month
                   is not None else f"no confirmed {t.region} EFS price")


def _task_rate(t: PriceTable, a: Assumptions, vcpu: float, memory: float, arch: str,
               provider: str) -> float | None:
    """Price of one task-hour on `provider` (EC2 providers: 0, the instances carry the cost)."""
    if provider not in FARGATE_PROVIDERS:
        return 0.0
    vcpu_price, gb_price = t.fargate_vcpu_hour.get(arch), t.fargate_gb_hour.get(arch)
    if vcpu_price is None or gb_price is None:
        return None
    discount = a.fargate_spot_discount if provider == FARGATE_SPOT else 0.0
    return model.task_hour_price(vcpu, memory, vcpu_price, gb_price, discount)


def _strategy_cost(rate: Any, strategy: list[tuple[str, int, int]], tasks: float) -> float:
    """Monthly cost of `tasks` placed by `strategy` at `rate(provider)` per task-hour."""
    return sum(n * (rate(p) or 0.0) * H for p, n in model.split_by_strategy(tasks, strategy).items())


def service_tasks(view: View) -> list[tuple[Any, Any | None, float]]:
    """(ECS service, its task definition or None, tasks it runs) for every service."""
    return [(s, view.by_arn(TASK_DEFINITION, s.inputs.get("taskDefinition")), _desired(s))
            for s in view.of(SERVICE)]


def _desired(service: Any) -> float:
    return float(service.inputs.get("desiredCount") or 0)


def _strategy(view: View, svc: Any) -> list[tuple[str, int, int]]:
    items = svc.inputs.get("capacityProviderStrategies")
    if not items and svc.inputs.get("launchType"):
        return [(str(svc.inputs["launchType"]), 0, 1)]
    if not items:  # the cluster's default strategy applies
        defaults = [c.inputs.get("defaultCapacityProviderStrategies") for c in view.of(CLUSTER_CAPACITY_PROVIDERS)]
        items = next((d for d in defaults if d), None) or [{"capacityProvider": FARGATE, "weight": 1}]
    return [(str(i.get("capacityProvider")), int(i.get("base") or 0), int(i.get("weight") or 0)) for i in items]


def _bounds(view: View, svc: Any) -> tuple[int, int] | None:
    """(min, max) tasks of the service's scalable target; None without autoscaling."""
    name = svc.state.get("name") or svc.name
    target = next((s for s in view.of(SCALING_TARGET)
                   if str(s.inputs.get("resourceId", "")).endswith(f"/{name}")), None)
    if target is None:
        return None
    return int(target.inputs.get("minCapacity") or 0), int(target.inputs.get("maxCapacity") or 0)


def _busy(bounds: tuple[int, int] | None, busy: float | None) -> str:
    if bounds is None or (busy is None and bounds[0] > 0):
        return ""
    if busy is None:
        return "; scales to zero: priced at min 0 (set autoscaling.expectedBusyFraction)"
    return f"; busy {busy:.0%} of the month at {bounds[1]}, else {bounds[0]} (expectedBusyFraction)"


def _scheduled_bounds(view: View, svc: Any, bounds: tuple[int, int]) -> tuple[int, int]:
    """The widest min..max the target's scheduled actions and its own bounds reach (not weighted by time)."""
    name = svc.state.get("name") or svc.name
    low, high = bounds
    for action in view.of(SCHEDULED_ACTION):
        if not str(action.inputs.get("resourceId", "")).endswith(f"/{name}"):
            continue
        capacity = action.inputs.get("scalableTargetAction") or {}
        if capacity.get("minCapacity") is not None:
            low = min(low, int(capacity["minCapacity"]))
        if capacity.get("maxCapacity") is not None:
            high = max(high, int(capacity["maxCapacity"]))
    return low, high


def _range(view: View, svc: Any, cost_at: Any) -> str:
    """With autoscaling: what the service's tasks cost at its min and max capacity, its schedules' included."""
    bounds = _bounds(view, svc)
    if bounds is None:
        return ""
    low, high = _scheduled_bounds(view, svc, bounds)
    if not cost_at(high):
        return ""  # tasks on EC2 capacity: the instances carry the cost
    scheduled = " with its schedules" if (low, high) != bounds else ""
    return f"; autoscaling {low}..{high} tasks{scheduled}: ${cost_at(low):,.2f}..${cost_at(high):,.2f}/month"


def _launch_template(view: View, group: Any) -> Any | None:
    policy = group.inputs.get("mixedInstancesPolicy") or {}
    spec = ((policy.get("launchTemplate") or {}).get("launchTemplateSpecification") or
            group.inputs.get("launchTemplate") or {})
    ref = spec.get("launchTemplateId") or spec.get("id")
    if ref is not None:
        return view.by_id(LAUNCH_TEMPLATE, ref)
    name = spec.get("launchTemplateName") or spec.get("name")
    return next((lt for lt in view.of(LAUNCH_TEMPLATE) if name and lt.inputs.get("name") == name), None)


def _root_volume_gb(template: Any | None) -> int:
    if template is None:
        return 0
    sizes = [int(((m or {}).get("ebs") or {}).get("volumeSize") or 0)
             for m in template.inputs.get("blockDeviceMappings") or []]
    return sum(sizes)


def _n(count: float, word: str, plural: str = "") -> str:
    return f"{count:g} {word if count == 1 else (plural or word + 's')}"
