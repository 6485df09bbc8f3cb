"""Architecture diagram of a rendered stack: Mermaid text, Graphviz DOT, and PNG or SVG through `dot` (pure).

One graph model is built from the offline plan (what the engine would create) and printed
two ways, so both pictures always agree. It shows:

- the network: the VPC, per AZ its subnets, NAT gateways and instances; the internet
  gateway; each route out, drawn from the subnets whose route table holds it; the VPC
  endpoints; Auto Scaling groups that are not ECS capacity; the flow-log group;
- the way in: Route 53 records by hosted zone (aliases to the load balancer, certificate
  validation), ACM certificates and the listeners that serve them; the load balancer, every
  listener (and its redirects), every listener rule and every target group, whether a
  service uses it or not (alternate target groups and test rules of a deployment too);
- the cluster: its default capacity provider strategy, each service (tasks, size,
  strategy, auto scaling), task definitions no service runs, capacity providers and the
  Auto Scaling groups they scale, the Service Connect namespace, and each call one service
  is admitted to make to another (name and port);
- the work beside the services: EventBridge schedules (expression, time zone) and the task
  each starts, with its dead-letter queue; SQS queues, their dead-letter queues, the
  services that consume them and those that send to them;
- ECR repositories and external images, log groups, EFS file systems (the stack's own with
  their mount targets and backup policy, existing ones by ID) and what mounts them where,
  and in one "alarms" group the
  CloudWatch alarms and dashboards, linked to what their dimensions name and to the
  scaling their actions drive.

Relationships are followed by value (ARNs, IDs, names, URLs), as AWS follows them. Every
node, group and edge records the URNs of the resources it was drawn from (`Graph.sources`):
a custom resource of the plan is drawn, or its type is in `NOT_DRAWN`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ..aws import tokens as tok
from .engine import Rendered, Resource
from .view import View, container_definitions, log_group, log_output, task_size

INSTANCE: Final = "aws:ec2/instance:Instance"
"""EC2 instances (a NAT instance, say): drawn when a plan has them; the stack creates none yet."""

NOT_DRAWN: Final[frozenset[str]] = frozenset({
    # Permissions. A task role's policy is read to find the queues its service consumes or feeds.
    tok.ROLE, tok.ROLE_POLICY, tok.ROLE_POLICY_ATTACHMENT, tok.INSTANCE_PROFILE,
    # Firewalls. Traffic is drawn as itself (internet -> ALB -> target group -> service); a rule that
    # admits one service's tasks into another's is drawn as that call.
    tok.SECURITY_GROUP, tok.DEFAULT_SECURITY_GROUP, tok.INGRESS_RULE, tok.EGRESS_RULE,
    # Route tables and their associations: each route is drawn from the subnets that use it.
    tok.ROUTE_TABLE, tok.ROUTE_TABLE_ASSOCIATION,
    # Settings of what is drawn: ECR image expiry and access, the account's ECS defaults.
    tok.LIFECYCLE_POLICY, tok.REPOSITORY_POLICY, tok.ACCOUNT_SETTING,
    # Who may publish to an alert topic, and who receives it: the topic's label counts the subscriptions.
    tok.SNS_TOPIC_POLICY, tok.SNS_SUBSCRIPTION,
})
"""Custom resource types deliberately not drawn: they permit, filter or configure what is drawn.

Every other custom resource of a plan is part of the picture; a type in neither (a new
kind of resource) makes the diagram tests fail until it is drawn or added here."""

ROUTE_TARGETS: Final = ("natGatewayId", "gatewayId", "networkInterfaceId", "vpcEndpointId", "transitGatewayId",
                        "egressOnlyGatewayId", "vpcPeeringConnectionId", "localGatewayId", "carrierGatewayId")
"""Inputs of a route that name where its traffic goes."""

IMAGE_FORMATS: Final = ("png", "svg")
"""What `render_image` asks Graphviz for."""


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    shape: str = "box"  # box | round | db | circle | hexagon | queue


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    label: str = ""
    dashed: bool = False

    @property
    def key(self) -> str:
        """How `Graph.sources` names this edge."""
        return f"{self.src} -> {self.dst}" + (f" [{self.label}]" if self.label else "")


@dataclass
class Group:
    id: str
    label: str
    nodes: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    loose: list[str] = field(default_factory=list)
    """Nodes outside every group, in order."""
    sources: dict[str, list[str]] = field(default_factory=dict)
    """Node ID, group ID or `Edge.key` -> URNs of the resources it was drawn from."""

    def add(self, node: Node, group: Group | None = None, sources: Iterable[Resource] = ()) -> str:
        if node.id not in self.nodes:
            self.nodes[node.id] = node
            (group.nodes if group is not None else self.loose).append(node.id)
        self.mark(node.id, sources)
        return node.id

    def link(self, src: str, dst: str, label: str = "", dashed: bool = False,
             sources: Iterable[Resource] = ()) -> None:
        edge = Edge(src, dst, label, dashed)
        if edge not in self.edges:
            self.edges.append(edge)
        self.mark(edge.key, sources)

    def mark(self, element: str, sources: Iterable[Resource]) -> None:
        """Record that `element` (a node, group or edge key) was drawn from `sources`."""
        urns = self.sources.setdefault(element, [])
        urns.extend(r.urn for r in sources if r.urn not in urns)

    def drawn(self) -> set[str]:
        """URNs of every resource some node, group or edge was drawn from."""
        return {urn for urns in self.sources.values() for urn in urns}

    def group_ids(self) -> set[str]:
        found: set[str] = set()

        def visit(grp: Group) -> None:
            found.add(grp.id)
            for sub in grp.groups:
                visit(sub)

        for grp in self.groups:
            visit(grp)
        return found


def node_id(kind: str, name: str) -> str:
    return f"{kind}_{re.sub(r'[^A-Za-z0-9_]', '_', name)}"


def build(rendered: Rendered) -> Graph:
    """The graph of `rendered`."""
    return _Builder(rendered).build()


class _Builder:
    """Draws one plan: each step adds its nodes and remembers how later steps find them."""

    def __init__(self, rendered: Rendered):
        self.v = View(rendered.resources)
        self.g = Graph()
        self.refs: dict[Any, str] = {}
        """ID, ARN, ARN suffix or DNS name of a drawn resource -> its node."""
        self.named: dict[tuple[str, Any], str] = {}
        """(kind, AWS name) -> node, for what metrics and strategies name: services, queues, groups."""
        self.subnets: dict[Any, str] = {}
        self.existing_subnets: str | None = None
        self.zones: dict[str, Group] = {}
        self.vpc = Group("vpc", "VPC")
        self.cluster = Group("cluster", "ECS cluster")
        self.runs: dict[Any, list[str]] = {}
        """Task definition ARN -> the nodes that run it (services, or the task's own node)."""
        self.by_security_group: dict[Any, str] = {}
        """Security group ID -> the service or task whose tasks carry it."""
        self.served: dict[str, dict[Any, str]] = {}
        """Service node -> port -> the Service Connect name it is served under."""
        self.scaling_ids: dict[str, str] = {}
        """Application Auto Scaling resource ID (`service/<cluster>/<service>`) -> service node."""
        self.queues: dict[Any, str] = {}
        """ARN or URL of a queue -> its node."""
        self.nat_groups: set[str] = set()
        """URNs of the Auto Scaling groups drawn as NAT instances."""

    def build(self) -> Graph:
        self.g.add(Node("internet", "Internet", "circle"))
        self._network()
        self._routes()
        self._registries_and_logs()
        self._dns()
        self._load_balancers()
        self._aliases()
        self._web_acls()
        self._cluster()
        self._queues()
        self._schedules()
        self._queue_users()
        self._calls()
        self._alarms()
        self._flow_logs()
        return self.g

    # --- network ---------------------------------------------------------------------------

    def _network(self) -> None:
        g, v = self.g, self.v
        vpcs = v.of(tok.VPC)
        self.vpc.label = f"VPC {vpcs[0].inputs.get('cidrBlock', '')}".strip() if vpcs else "VPC (existing)"
        g.mark(self.vpc.id, vpcs)
        for s in v.of(tok.SUBNET):
            tier = (s.inputs.get("tags") or {}).get("Tier") or ("public" if "public" in s.name else "private")
            label = f"{tier} subnet<br/>{s.inputs.get('cidrBlock', '')}"
            self.subnets[s.id] = g.add(Node(node_id("subnet", s.name), label), self._zone(s.inputs), [s])
        self.vpc.groups = [self.zones[k] for k in sorted(self.zones)]
        self._exits()
        self._endpoints()
        if not self.subnets:
            self.existing_subnets = g.add(Node("subnets", "existing subnets"), self.vpc)
        g.groups.append(self.vpc)

    def _exits(self) -> None:
        """The internet gateway, and what leads to it: NAT gateways, NAT instances (with their Elastic IPs)."""
        g, v = self.g, self.v
        igws = v.of(tok.INTERNET_GATEWAY)
        igw = g.add(Node("igw", "internet gateway", "round"), self.vpc, igws) if igws else None
        if igw:
            g.link(igw, "internet")
            self._known(igws, igw)
        eips = {e.id: e for e in v.of(tok.EIP)}
        used: set[Any] = set()
        exits: list[str] = []
        for n in v.of(tok.NAT_GATEWAY):
            eip = eips.get(n.inputs.get("allocationId"))
            used.add(eip.id if eip else None)
            nid = g.add(Node(node_id("nat", n.name), f"NAT gateway<br/>{n.name}", "round"),
                        self._zone_of_subnet(n.inputs.get("subnetId")), [n, *([eip] if eip else [])])
            self._known([n], nid)
            exits.append(nid)
        for i in v.of(INSTANCE):
            nat = i.inputs.get("sourceDestCheck") is False
            attached = [e for e in eips.values() if e.inputs.get("instance") == i.id]
            used.update(e.id for e in attached)
            label = f"{'NAT instance' if nat else 'EC2 instance'}<br/>{i.name}<br/>{i.inputs.get('instanceType', '')}"
            nid = g.add(Node(node_id("instance", i.name), label.removesuffix("<br/>"), "round"),
                        self._zone_of_subnet(i.inputs.get("subnetId")), [i, *attached])
            self._known([i], nid)
            if i.state.get("primaryNetworkInterfaceId"):
                self.refs[i.state["primaryNetworkInterfaceId"]] = nid
            if nat:
                exits.append(nid)
        exits += self._nat_instances(eips, used)
        if igw:
            for nid in exits:
                g.link(nid, igw)
        for e in eips.values():
            if e.id not in used:
                self._known([e], g.add(Node(node_id("eip", e.name), f"Elastic IP<br/>{e.name}", "round"), self.vpc, [e]))

    def _nat_instances(self, eips: dict[Any, Resource], used: set[Any]) -> list[str]:
        """Each fixed network interface with the source/destination check off, as the NAT instance behind it:
        the Auto Scaling group of one whose launch template attaches it, and the Elastic IP on it."""
        g, v = self.g, self.v
        found = []
        templates = v.of(tok.LAUNCH_TEMPLATE)
        for eni in v.of(tok.NETWORK_INTERFACE):
            if eni.inputs.get("sourceDestCheck") is not False:
                continue
            lts = [t for t in templates if any(n.get("networkInterfaceId") == eni.id
                                               for n in t.inputs.get("networkInterfaces") or [])]
            asgs = [a for a in v.of(tok.ASG) for t in lts if (a.inputs.get("launchTemplate") or {}).get("id") == t.id]
            ips = [e for e in eips.values() if e.inputs.get("networkInterface") == eni.id]
            used.update(e.id for e in ips)
            kind = next((str(t.inputs.get("instanceType")) for t in lts if t.inputs.get("instanceType")), "")
            label = f"NAT instance<br/>{eni.name.removesuffix('-eni')}<br/>{kind}".removesuffix("<br/>")
            if asgs:
                label += "<br/>Auto Scaling group of 1, fixed interface"
            nid = g.add(Node(node_id("natinstance", eni.name), label, "round"),
                        self._zone_of_subnet(eni.inputs.get("subnetId")), [eni, *ips, *lts, *asgs])
            self._known([eni], nid)
            self.nat_groups.update(a.urn for a in asgs)
            found.append(nid)
        return found

    def _endpoints(self) -> None:
        endpoints = Group("vpc_endpoints", "VPC endpoints")
        for e in self.v.of(tok.VPC_ENDPOINT):
            service = ".".join(str(e.inputs.get("serviceName", "")).split(".")[3:]) or e.name
            kind = str(e.inputs.get("vpcEndpointType", "Gateway")).lower()
            nid = self.g.add(Node(node_id("endpoint", e.name), f"{kind} endpoint<br/>{service}", "round"), endpoints, [e])
            self._known([e], nid)
        if endpoints.nodes:
            self.vpc.groups.append(endpoints)

    def _zone(self, inputs: dict[str, Any]) -> Group:
        az = str(inputs.get("availabilityZone") or "AZ")
        return self.zones.setdefault(az, Group(node_id("az", az), az))

    def _zone_of_subnet(self, subnet_id: Any) -> Group:
        """The AZ group holding subnet `subnet_id` (the VPC when it is not drawn)."""
        node = self.subnets.get(subnet_id)
        return next((z for z in self.zones.values() if node in z.nodes), self.vpc)

    def _subnet(self, subnet_id: Any) -> str | None:
        return self.subnets.get(subnet_id) or self.existing_subnets

    def _routes(self) -> None:
        """Subnet -> NAT / internet gateway / instance edges, one per route of the subnet's route table."""
        associations = self.v.of(tok.ROUTE_TABLE_ASSOCIATION)
        for route in self.v.of(tok.ROUTE):
            target = next((self.refs[t] for key in ROUTE_TARGETS if (t := route.inputs.get(key)) in self.refs), None)
            if target is None:
                continue
            destination = str(route.inputs.get("destinationCidrBlock") or route.inputs.get("destinationIpv6CidrBlock")
                              or route.inputs.get("destinationPrefixListId") or "")
            for assoc in associations:
                subnet = self.subnets.get(assoc.inputs.get("subnetId"))
                if subnet and assoc.inputs.get("routeTableId") == route.inputs.get("routeTableId"):
                    self.g.link(subnet, target, destination, sources=[route])

    def _flow_logs(self) -> None:
        for flow in self.v.of(tok.FLOW_LOG):
            destination = flow.inputs.get("logDestination")
            lg = self.v.by_arn(tok.LOG_GROUP, destination)
            target = self._log_group(lg.inputs.get("name") or lg.name) if lg else self.refs.get(destination)
            if target:
                self.g.link(self.vpc.id, target, "flow logs", True, [flow])

    # --- images and logs -------------------------------------------------------------------

    def _registries_and_logs(self) -> None:
        for repo in self.v.of(tok.REPOSITORY):
            self._known([repo], self.g.add(Node(node_id("ecr", repo.name), f"ECR<br/>{repo.name}", "db"), None, [repo]))
        for lg in self.v.of(tok.LOG_GROUP):
            self.g.mark(self._log_group(lg.inputs.get("name") or lg.name), [lg])
        for fs in self.v.of(tok.EFS_FILE_SYSTEM):
            # Its mount targets and backup policy are part of the file system's node: one per private subnet.
            targets = [m for m in self.v.of(tok.EFS_MOUNT_TARGET) if m.inputs.get("fileSystemId") == fs.id]
            backups = [b for b in self.v.of(tok.EFS_BACKUP_POLICY) if b.inputs.get("fileSystemId") == fs.id]
            details = ["encrypted", *(["backups on"] if backups else []),
                       f"{len(targets)} mount target{'s' if len(targets) != 1 else ''}"]
            self._known([fs], self.g.add(Node(node_id("efs", fs.name), f"EFS<br/>{fs.name}<br/>{', '.join(details)}",
                                              "db"), None, [fs, *targets, *backups]))

    def _log_group(self, name: str) -> str:
        return self.g.add(Node(node_id("logs", name), f"log group<br/>{name}", "db"))

    def _containers(self, nid: str, task: Resource | None) -> None:
        """Image, log group and file system edges of the containers of `task`, from the node that runs it."""
        if task is None:
            return
        repos = [(r.state.get("repositoryUrl"), r) for r in self.v.of(tok.REPOSITORY)]
        file_systems = {v.get("name"): (v.get("efsVolumeConfiguration") or {}).get("fileSystemId")
                        for v in task.inputs.get("volumes") or [] if v.get("efsVolumeConfiguration")}
        for container in container_definitions(task):
            image = str(container.get("image", ""))
            repo = next((r for url, r in repos if url and image.startswith(str(url))), None)
            if repo is not None:
                target = node_id("ecr", repo.name)
            else:
                plain = image.split("@")[0]
                target = self.g.add(Node(node_id("image", plain), f"image<br/>{plain}", "db"))
            self.g.link(nid, target, "image", dashed=True)
            group = log_group(container)
            if group:
                self.g.link(nid, self._log_group(group), "logs", True)
            for mount in container.get("mountPoints") or []:
                fs = file_systems.get(mount.get("sourceVolume"))
                if fs is not None:
                    self.g.link(nid, self._file_system(fs), f"mounts {mount.get('containerPath')}", True)
            output = log_output(container)
            if output:  # a FireLens destination outside the stack
                self.g.link(nid, self.g.add(Node(node_id("logout", output), f"log output<br/>{output}", "round")),
                            "logs", True)

    def _file_system(self, fs_id: Any) -> str:
        """The node of a file system: the stack's own, or an existing one by its ID."""
        if fs_id in self.refs:
            return self.refs[fs_id]
        return self.g.add(Node(node_id("efs", str(fs_id)), f"EFS<br/>{fs_id}<br/>existing", "db"))

    # --- DNS, certificates, load balancers -------------------------------------------------

    def _dns(self) -> None:
        g, v = self.g, self.v
        zones: dict[str, Group] = {}
        for rec in v.of(tok.RECORD):
            zone_id = str(rec.inputs.get("zoneId") or "")
            zone = zones.setdefault(zone_id, Group(node_id("zone", zone_id), f"Route 53 zone {zone_id}".strip()))
            fqdn = str(rec.state.get("fqdn") or rec.inputs.get("name") or rec.name).rstrip(".")
            nid = g.add(Node(node_id("dns", rec.name), f"{rec.inputs.get('type', '')} {fqdn}".strip()), zone, [rec])
            self._known([rec], nid)
            self.refs[fqdn.lower()] = nid
        g.groups.extend(zones[k] for k in sorted(zones))
        for cert in v.of(tok.CERTIFICATE):
            method = cert.inputs.get("validationMethod")
            label = f"ACM certificate<br/>{cert.inputs.get('domainName', cert.name)}"
            for alternative in cert.inputs.get("subjectAlternativeNames") or []:
                label += f"<br/>+ {alternative}"
            if method:
                label += f"<br/>{method} validated"
            self._known([cert], g.add(Node(node_id("cert", cert.name), label, "round"), None, [cert]))
        for validation in v.of(tok.CERTIFICATE_VALIDATION):
            cert_node = self.refs.get(validation.inputs.get("certificateArn"))
            if cert_node is None:
                continue
            g.mark(cert_node, [validation])
            for fqdn in validation.inputs.get("validationRecordFqdns") or []:
                record = self.refs.get(str(fqdn).rstrip(".").lower())
                if record:
                    g.link(cert_node, record, "validation", True, [validation])

    def _certificate(self, arn: str) -> str:
        """The node of certificate `arn`: the stack's own, or one issued outside it."""
        if arn in self.refs:
            return self.refs[arn]
        label = f"ACM certificate<br/>{arn.rsplit('/', 1)[-1]}<br/>(not in this stack)"
        return self.g.add(Node(node_id("cert", arn.rsplit("/", 1)[-1]), label, "round"))

    def _load_balancers(self) -> None:
        """Load balancers, every listener and rule, then every target group with what forwards to it."""
        g = self.g
        listeners = self.v.of(tok.LISTENER)
        group_of: dict[str, Group] = {}
        """Load balancer, listener or rule node -> its load balancer's group."""
        forwards: list[tuple[str, Any, str]] = []
        """(listener or rule node, target group ARN, label)."""
        for lb in self.v.of(tok.LOAD_BALANCER):
            lb_group = Group(node_id("lbgroup", lb.name), f"load balancer {lb.name}")
            g.groups.append(lb_group)
            kind = {"network": "NLB", "gateway": "GWLB"}.get(str(lb.inputs.get("loadBalancerType")), "ALB")
            label = f"{kind} {lb.name}" + ("<br/>internal" if lb.inputs.get("internal") else "")
            lb_node = g.add(Node(node_id("alb", lb.name), label, "round"), lb_group, [lb])
            self._known([lb], lb_node)
            group_of[lb_node] = lb_group
            if not lb.inputs.get("internal"):
                own = [x for x in listeners if x.inputs.get("loadBalancerArn") == lb.state.get("arn")]
                g.link("internet", lb_node, "/".join(sorted({str(x.inputs.get("protocol", "")) for x in own} - {""})))
        for listener in listeners:
            parent = self.refs.get(listener.inputs.get("loadBalancerArn"))
            actions = listener.inputs.get("defaultActions") or []
            kind = actions[0].get("type", "") if actions else ""
            label = f"{listener.inputs.get('protocol', '')} :{listener.inputs.get('port', '')}<br/>default: {kind}"
            lid = self._in_lb(Node(node_id("listener", listener.name), label), listener, parent, group_of)
            self.refs[listener.urn] = lid
            if parent:
                g.link(parent, lid)
            if listener.inputs.get("certificateArn"):
                g.link(lid, self._certificate(str(listener.inputs["certificateArn"])), "certificate", True)
            forwards += [(lid, arn, weight) for arn, weight in _forwards(actions)]
        for listener in listeners:
            for action in listener.inputs.get("defaultActions") or []:
                if action.get("type") != "redirect":
                    continue
                port = str((action.get("redirect") or {}).get("port", ""))
                to = next((x for x in listeners if x is not listener and str(x.inputs.get("port")) == port
                           and x.inputs.get("loadBalancerArn") == listener.inputs.get("loadBalancerArn")), None)
                if to is not None:
                    g.link(self.refs[listener.urn], self.refs[to.urn], "redirect")
        for rule in self.v.of(tok.LISTENER_RULE):
            parent = self.refs.get(rule.inputs.get("listenerArn"))
            label = f"rule {rule.inputs.get('priority', '')}<br/>{_conditions(rule)}"
            rid = self._in_lb(Node(node_id("rule", rule.name), label), rule, parent, group_of)
            if parent:
                g.link(parent, rid)
            forwards += [(rid, arn, weight) for arn, weight in _forwards(rule.inputs.get("actions") or [])]
        for tg in self.v.of(tok.TARGET_GROUP):
            sources = [(src, label) for src, arn, label in forwards if arn == tg.state.get("arn")]
            tg_group = next((group_of[src] for src, _ in sources if src in group_of), None)
            tid = g.add(Node(node_id("tg", tg.name), _target_group_label(tg)), tg_group, [tg])
            self._known([tg], tid)
            for src, label in sources:
                g.link(src, tid, label)

    def _in_lb(self, node: Node, resource: Resource, parent: str | None, group_of: dict[str, Group]) -> str:
        """Add the node of a listener or rule to the group of its parent's load balancer (loose without one)."""
        group = group_of.get(parent) if parent else None
        nid = self.g.add(node, group, [resource])
        self._known([resource], nid)
        if group is not None:
            group_of[nid] = group
        return nid

    def _aliases(self) -> None:
        dns_names = {str(lb.state.get("dnsName", "")).lower(): node_id("alb", lb.name)
                     for lb in self.v.of(tok.LOAD_BALANCER) if lb.state.get("dnsName")}
        for rec in self.v.of(tok.RECORD):
            for alias in rec.inputs.get("aliases") or []:
                name = str(alias.get("name", "")).lower().rstrip(".").removeprefix("dualstack.")
                if name in dns_names:
                    self.g.link(node_id("dns", rec.name), dns_names[name], "alias")

    def _web_acls(self) -> None:
        """An AWS WAF web ACL is the user's, not the stack's: drawn outside it, filtering what reaches the ALB."""
        for association in self.v.of(tok.WEB_ACL_ASSOCIATION):
            acl = str(association.inputs.get("webAclArn") or "")
            parts = acl.split("/")
            name = parts[2] if len(parts) > 2 else acl
            nid = self.g.add(Node(node_id("waf", name), f"AWS WAF web ACL<br/>{name}<br/>(not in this stack)",
                                  "round"), None, [association])
            alb = self.refs.get(str(association.inputs.get("resourceArn") or ""))
            if alb is not None:
                self.g.link(nid, alb, "filters requests to", True, [association])

    # --- the cluster -----------------------------------------------------------------------

    def _cluster(self) -> None:
        g, v = self.g, self.v
        clusters = v.of(tok.CLUSTER)
        associations = v.of(tok.CLUSTER_CAPACITY_PROVIDERS)
        self.cluster.label = f"ECS cluster {clusters[0].name}" if clusters else "ECS cluster"
        default = [s for a in associations for s in a.inputs.get("defaultCapacityProviderStrategies") or []]
        if default:
            self.cluster.label += f"<br/>default: {_strategy(default)}"
        g.mark(self.cluster.id, [*clusters, *associations])
        g.groups.append(self.cluster)
        for ns in v.of(tok.HTTP_NAMESPACE):
            label = f"Service Connect namespace<br/>{ns.inputs.get('name', ns.name)}"
            self._known([ns], g.add(Node(node_id("namespace", ns.name), label, "round"), self.cluster, [ns]))
        providers = v.of(tok.CAPACITY_PROVIDER)
        for cp in providers:
            scaling = (cp.inputs.get("autoScalingGroupProvider") or {}).get("managedScaling") or {}
            label = f"capacity provider<br/>{cp.state.get('name', cp.name)}"
            if scaling.get("status") == "ENABLED":
                label += f"<br/>managed scaling to {scaling.get('targetCapacity', 100)}%"
            nid = g.add(Node(node_id("cp", cp.name), label, "round"), self.cluster, [cp])
            self._known([cp], nid)
            self.named["capacity provider", cp.state.get("name", cp.name)] = nid
        self._auto_scaling_groups(providers)
        for svc in v.of(tok.SERVICE):
            self._service(svc)
        self._tasks_of_no_service()

    def _tasks_of_no_service(self) -> None:
        """A node for each task definition no service runs: a scheduled job (sized and placed as its schedule
        starts it), or a definition nothing starts."""
        schedules = {((s.inputs.get("target") or {}).get("ecsParameters") or {}).get("taskDefinitionArn"): s
                     for s in self.v.of(tok.SCHEDULE)}
        for task in self.v.of(tok.TASK_DEFINITION):
            arn = task.state.get("arn")
            if arn in self.runs:
                continue
            schedule = schedules.get(arn)
            ecs = ((schedule.inputs.get("target") or {}).get("ecsParameters") or {}) if schedule else {}
            family = task.inputs.get("family", task.name)
            strategy = ecs.get("capacityProviderStrategies") or []
            lines = [f"scheduled task {family}" if schedule else f"task definition {family}",
                     _size(task, ecs.get("taskCount", 1)), _strategy(strategy)]
            tid = self.g.add(Node(node_id("task", task.name), "<br/>".join(x for x in lines if x)), self.cluster,
                             [task])
            self.runs[arn] = [tid]
            self._runs_in(tid, ecs.get("networkConfiguration") or {}, strategy)
            self._containers(tid, task)

    def _auto_scaling_groups(self, providers: list[Resource]) -> None:
        g = self.g
        scaled_by = {(cp.inputs.get("autoScalingGroupProvider") or {}).get("autoScalingGroupArn"): cp
                     for cp in providers}
        templates = self.v.of(tok.LAUNCH_TEMPLATE)
        for asg in self.v.of(tok.ASG):
            if asg.urn in self.nat_groups:
                continue  # drawn as its NAT instance
            policy = asg.inputs.get("mixedInstancesPolicy") or {}
            spec = ((policy.get("launchTemplate") or {}).get("launchTemplateSpecification")
                    or asg.inputs.get("launchTemplate") or {})
            used = [t for t in templates if t.id in (spec.get("launchTemplateId"), spec.get("id"))
                    or (t.inputs.get("name") or t.name) in (spec.get("launchTemplateName"), spec.get("name"))]
            overrides = (policy.get("launchTemplate") or {}).get("overrides") or []
            types = ([str(o["instanceType"]) for o in overrides if o.get("instanceType")]
                     or [str(t.inputs["instanceType"]) for t in used if t.inputs.get("instanceType")])
            label = (f"EC2 Auto Scaling group<br/>{asg.name}<br/>"
                     f"{asg.inputs.get('minSize', 0)}..{asg.inputs.get('maxSize', 0)} instances")
            if types:
                label += f"<br/>{', '.join(types)}"
            cp = scaled_by.get(asg.state.get("arn"))
            aid = g.add(Node(node_id("asg", asg.name), label), self.cluster if cp else self.vpc, [asg, *used])
            self._known([asg], aid)
            self.named["asg", asg.state.get("name", asg.name)] = aid
            if cp is not None:
                g.link(node_id("cp", cp.name), aid, "scales")
            for subnet in asg.inputs.get("vpcZoneIdentifiers") or []:
                target = self._subnet(subnet)
                if target:
                    g.link(aid, target, "instances")

    def _service(self, svc: Resource) -> None:
        g = self.g
        task = self.v.by_arn(tok.TASK_DEFINITION, svc.inputs.get("taskDefinition"))
        name = svc.state.get("name", svc.name)
        scaling_id = f"service/{str(svc.inputs.get('cluster', '')).rsplit('/', 1)[-1]}/{name}"
        targets = [t for t in self.v.of(tok.SCALING_TARGET) if t.inputs.get("resourceId") == scaling_id]
        policies = [p for p in self.v.of(tok.SCALING_POLICY) if p.inputs.get("resourceId") == scaling_id]
        schedules = [a for a in self.v.of(tok.SCHEDULED_ACTION) if a.inputs.get("resourceId") == scaling_id]
        strategy = svc.inputs.get("capacityProviderStrategies") or []
        lines = [f"service {svc.name}", _size(task, svc.inputs.get("desiredCount", 0)) if task else "",
                 _strategy(strategy), _scaling(targets, policies), *(_schedule(a) for a in schedules)]
        sid = g.add(Node(node_id("svc", svc.name), "<br/>".join(x for x in lines if x)), self.cluster,
                    [svc, *([task] if task else []), *targets, *policies, *schedules])
        self._known([svc], sid)
        self.named["service", name] = sid
        self.scaling_ids[scaling_id] = sid
        if task is not None:
            self.runs.setdefault(task.state.get("arn"), []).append(sid)
        for lb in svc.inputs.get("loadBalancers") or []:
            port = f"port {lb.get('containerPort')}"
            if lb.get("targetGroupArn") in self.refs:
                g.link(self.refs[lb["targetGroupArn"]], sid, port)
            alternate = (lb.get("advancedConfiguration") or {}).get("alternateTargetGroupArn")
            if alternate in self.refs:
                g.link(self.refs[alternate], sid, f"alternate, {port}")
        self._runs_in(sid, svc.inputs.get("networkConfiguration") or {}, strategy)
        self._containers(sid, task)
        connect = svc.inputs.get("serviceConnectConfiguration") or {}
        namespace = self.refs.get(connect.get("namespace"))
        for served in connect.get("services") or []:
            for alias in served.get("clientAlias") or []:
                dns = alias.get("dnsName") or served.get("discoveryName")
                self.served.setdefault(sid, {})[alias.get("port")] = dns
                if namespace:
                    g.link(sid, namespace, f"serves {dns}:{alias.get('port')}", True)

    def _runs_in(self, nid: str, network: dict[str, Any], strategy: list[dict[str, Any]]) -> None:
        """Edges from the node whose tasks run in `network` to its subnets and EC2 capacity providers."""
        for subnet in network.get("subnets") or []:
            target = self._subnet(subnet)
            if target:
                self.g.link(nid, target, "tasks")
        for group in network.get("securityGroups") or []:
            self.by_security_group.setdefault(group, nid)
        for entry in strategy:
            provider = self.named.get(("capacity provider", entry.get("capacityProvider")))
            if provider:
                self.g.link(nid, provider, "capacity", True)

    def _calls(self) -> None:
        """Caller -> callee for each ingress rule that admits one service's tasks into another's."""
        for rule in self.v.of(tok.INGRESS_RULE):
            callee = self.by_security_group.get(rule.inputs.get("securityGroupId"))
            caller = self.by_security_group.get(rule.inputs.get("referencedSecurityGroupId"))
            if callee is None or caller is None or callee == caller:
                continue
            low, high = rule.inputs.get("fromPort"), rule.inputs.get("toPort")
            port = f"{low}" if high in (None, low) else f"{low}-{high}"
            name = self.served.get(callee, {}).get(low)
            self.g.link(caller, callee, f"calls {name}:{port}" if name else f"calls port {port}", sources=[rule])

    # --- schedules and queues --------------------------------------------------------------

    def _queues(self) -> None:
        queues = self.v.of(tok.QUEUE)
        dead_letter = {_json(q.inputs.get("redrivePolicy")).get("deadLetterTargetArn") for q in queues}
        dead_letter |= {((s.inputs.get("target") or {}).get("deadLetterConfig") or {}).get("arn")
                        for s in self.v.of(tok.SCHEDULE)}
        for q in queues:
            name = q.state.get("name") or q.inputs.get("name") or q.name
            kind = "SQS dead-letter queue" if q.state.get("arn") in dead_letter else "SQS queue"
            nid = self.g.add(Node(node_id("queue", q.name), f"{kind}<br/>{name}", "queue"), None, [q])
            self._known([q], nid)
            for ref in (q.state.get("arn"), q.state.get("url")):
                if ref:
                    self.queues[ref] = nid
            self.named["queue", name] = nid
        for q in queues:
            redrive = _json(q.inputs.get("redrivePolicy"))
            dlq = self.refs.get(redrive.get("deadLetterTargetArn"))
            if dlq:
                receives = redrive.get("maxReceiveCount")
                self.g.link(node_id("queue", q.name), dlq, f"after {receives} receives" if receives else "dead letters",
                            True)

    def _schedules(self) -> None:
        group = Group("schedules", "EventBridge Scheduler")
        for s in self.v.of(tok.SCHEDULE):
            target = s.inputs.get("target") or {}
            retries = (target.get("retryPolicy") or {}).get("maximumRetryAttempts")
            label = [f"schedule {s.name}", "disabled" if s.inputs.get("state") == "DISABLED" else "",
                     f"{retries} retries" if retries else ""]
            nid = self.g.add(Node(node_id("schedule", s.name), "<br/>".join(x for x in label if x), "hexagon"),
                             group, [s])
            self._known([s], nid)
            when = " ".join(str(x) for x in (s.inputs.get("scheduleExpression"),
                                              s.inputs.get("scheduleExpressionTimezone")) if x)
            ecs = target.get("ecsParameters")
            if ecs:
                count = ecs.get("taskCount", 1)
                for task in self.runs.get(ecs.get("taskDefinitionArn")) or []:
                    self.g.link(nid, task, when + (f", {count} tasks" if count != 1 else ""))
            elif target.get("arn") in self.refs:
                self.g.link(nid, self.refs[target["arn"]], when)
            dlq = self.refs.get((target.get("deadLetterConfig") or {}).get("arn"))
            if dlq:
                self.g.link(nid, dlq, "failed runs", True)
        if group.nodes:
            self.g.groups.append(group)

    def _queue_users(self) -> None:
        """Queue -> consumer and producer -> queue, from the task roles' policies and the containers' environment."""
        roles: dict[Any, Any] = {}
        for role in self.v.of(tok.ROLE):
            for key in (role.id, role.state.get("name"), role.inputs.get("name")):
                if key:
                    roles[key] = role.state.get("arn")
        runs_as: dict[Any, list[str]] = {}
        for task in self.v.of(tok.TASK_DEFINITION):
            if task.inputs.get("taskRoleArn"):
                runs_as.setdefault(task.inputs["taskRoleArn"], []).extend(self.runs.get(task.state.get("arn")) or [])
        for policy in self.v.of(tok.ROLE_POLICY):
            users = runs_as.get(roles.get(policy.inputs.get("role")), [])
            for statement in _statements(policy.inputs.get("policy")):
                actions = {str(a).lower() for a in _as_list(statement.get("Action"))}
                granted = [self.queues[arn] for arn in _as_list(statement.get("Resource")) if arn in self.queues]
                for queue_node in granted:
                    for user in users:
                        if actions & {"sqs:receivemessage", "sqs:*"}:
                            self.g.link(queue_node, user, "messages", sources=[policy])
                        if actions & {"sqs:sendmessage", "sqs:*"}:
                            self.g.link(user, queue_node, "sends", sources=[policy])
        for task in self.v.of(tok.TASK_DEFINITION):
            for container in container_definitions(task):
                for env in container.get("environment") or []:
                    queue = self.queues.get(env.get("value"))
                    if queue is None:
                        continue
                    for user in self.runs.get(task.state.get("arn")) or []:
                        if not any({e.src, e.dst} == {user, queue} for e in self.g.edges):
                            self.g.link(user, queue, str(env.get("name", "")), True)

    # --- alarms and dashboards -------------------------------------------------------------

    def _alarms(self) -> None:
        dashboards = self.v.of(tok.DASHBOARD)
        group = Group("alarms", "CloudWatch alarms" + (" and dashboards" if dashboards else ""))
        for topic in self.v.of(tok.SNS_TOPIC):
            mails = [x for x in self.v.of(tok.SNS_SUBSCRIPTION) if x.inputs.get("topic") == topic.state.get("arn")]
            nid = self.g.add(Node(node_id("topic", topic.name), f"SNS topic {topic.name}<br/>"
                                  f"{len(mails)} email subscription{'s' if len(mails) != 1 else ''}", "round"),
                             group, [topic])
            self._known([topic], nid)
        for alarm in self.v.of(tok.METRIC_ALARM):
            nid = self.g.add(Node(node_id("alarm", alarm.name), _alarm_label(alarm), "round"), group, [alarm])
            self._known([alarm], nid)
            roles: dict[str, list[str]] = {}
            queries = alarm.inputs.get("metricQueries") or []
            for dims in [alarm.inputs.get("dimensions") or {}, *((q.get("metric") or {}).get("dimensions") or {}
                                                                  for q in queries)]:
                for target in self._dimension_targets(dims):
                    roles.setdefault(target, []).append("watches")
            for key in ("alarmActions", "okActions", "insufficientDataActions"):
                for action in alarm.inputs.get(key) or []:
                    policy = self.v.by_arn(tok.SCALING_POLICY, action)
                    service = self.scaling_ids.get(str(policy.inputs.get("resourceId"))) if policy else None
                    if service:
                        roles.setdefault(service, []).append("scales")
                    elif action in self.refs:
                        roles.setdefault(self.refs[action], []).append("notifies")
            for target, done in roles.items():
                self.g.link(nid, target, ", ".join(dict.fromkeys(done)), True)
        for board in dashboards:
            name = board.inputs.get("dashboardName", board.name)
            nid = self.g.add(Node(node_id("dashboard", board.name), f"dashboard<br/>{name}", "round"), group, [board])
            dims, alarms = _dashboard_refs(_json(board.inputs.get("dashboardBody")))
            shown = [t for d in dims for t in self._dimension_targets(d)] + [self.refs[a] for a in alarms
                                                                             if a in self.refs]
            for target in dict.fromkeys(shown):
                self.g.link(nid, target, "shows", True)
        if group.nodes:
            self.g.groups.append(group)

    def _dimension_targets(self, dims: dict[str, Any]) -> list[str]:
        """The drawn things a metric's dimensions name."""
        found: list[str | None] = [self.named.get(("queue", dims.get("QueueName"))),
                                   self.named.get(("asg", dims.get("AutoScalingGroupName"))),
                                   self.refs.get(dims.get("LoadBalancer")), self.refs.get(dims.get("TargetGroup")),
                                   self.refs.get(dims.get("InstanceId"))]
        if "ServiceName" in dims:
            found.append(self.named.get(("service", dims["ServiceName"])))
        elif "ClusterName" in dims and self.cluster.nodes:
            found.append(self.cluster.id)
        return [f for f in found if f]

    def _known(self, resources: Iterable[Resource], nid: str) -> None:
        """Let later steps find `nid` by the ID, ARN and ARN suffix of the resources it depicts."""
        for r in resources:
            for ref in (r.id, r.state.get("arn"), r.state.get("arnSuffix")):
                if ref:
                    self.refs[ref] = nid


# --- labels and readers of inputs ---------------------------------------------------------

_OPERATORS = {"GreaterThanOrEqualToThreshold": "≥", "GreaterThanThreshold": ">",
              "LessThanOrEqualToThreshold": "≤", "LessThanThreshold": "<"}
_TRACKED = {"ECSServiceAverageCPUUtilization": "CPU {}%", "ECSServiceAverageMemoryUtilization": "memory {}%",
            "ALBRequestCountPerTarget": "{} requests/target"}


def _forwards(actions: list[dict[str, Any]]) -> list[tuple[Any, str]]:
    """(target group ARN, weight label) of each forward in `actions`."""
    found: list[tuple[Any, str]] = []
    for action in actions:
        if action.get("targetGroupArn"):
            found.append((action["targetGroupArn"], ""))
        for target in (action.get("forward") or {}).get("targetGroups") or []:
            weight = target.get("weight")
            found.append((target.get("arn"), f"weight {weight}" if weight is not None else ""))
    return found


def _conditions(rule: Resource) -> str:
    parts = []
    for c in rule.inputs.get("conditions") or []:
        for key, label in (("hostHeader", "host"), ("pathPattern", "path"), ("httpRequestMethod", "method"),
                           ("sourceIp", "from")):
            if c.get(key):
                parts.append(f"{label} {' '.join(c[key].get('values') or [])}")
        if c.get("httpHeader"):
            header = c["httpHeader"]
            parts.append(f"header {header.get('httpHeaderName', '')} {' '.join(header.get('values') or [])}")
        for pair in c.get("queryString") or []:
            parts.append(f"query {pair.get('key') or ''}={pair.get('value', '')}")
    return ", ".join(parts) or "any request"


def _target_group_label(tg: Resource) -> str:
    lines = [f"target group {tg.name}", f"{tg.inputs.get('protocol', '')} :{tg.inputs.get('port', '')} "
                                        f"{tg.inputs.get('targetType', 'instance')}"]
    health = tg.inputs.get("healthCheck") or {}
    if health.get("path"):
        lines.append(f"health {health['path']}")
    return "<br/>".join(lines)


def _size(task: Resource, count: Any) -> str:
    cpu, memory, arch = task_size(task.inputs)
    return f"{count} x {cpu:g} vCPU / {memory:g} GB {arch.lower()}"


def _strategy(entries: list[dict[str, Any]]) -> str:
    return ", ".join(f"{s.get('capacityProvider')} base {s.get('base', 0)} w {s.get('weight', 0)}" for s in entries)


def _scaling(targets: list[Resource], policies: list[Resource]) -> str:
    """`auto scaling 3..12: CPU 60%, 1000 requests/target` for a service's scalable target and policies."""
    if not targets:
        return ""
    t = targets[0].inputs
    how = []
    for p in policies:
        config = p.inputs.get("targetTrackingScalingPolicyConfiguration") or {}
        metric = (config.get("predefinedMetricSpecification") or {}).get("predefinedMetricType")
        if config:
            how.append(_TRACKED.get(str(metric), "target {}").format(config.get("targetValue")))
        elif p.inputs.get("policyType") == "StepScaling" and "steps" not in how:
            how.append("steps")
        elif p.inputs.get("policyType") == "PredictiveScaling":
            how.append(_predictive(p.inputs.get("predictiveScalingPolicyConfiguration") or {}))
    return f"auto scaling {t.get('minCapacity')}..{t.get('maxCapacity')}" + (f": {', '.join(how)}" if how else "")


_FORECAST = {"ECSServiceCPUUtilization": "CPU {}%", "ECSServiceMemoryUtilization": "memory {}%",
             "ALBRequestCount": "{} requests/target"}


def _predictive(config: dict[str, Any]) -> str:
    """`predictive CPU 60% (forecast only)`."""
    spec: dict[str, Any] = next(iter(config.get("metricSpecifications") or []), {})
    metric = (spec.get("predefinedMetricPairSpecification") or {}).get("predefinedMetricType")
    mode = "forecast only" if config.get("mode", "ForecastOnly") == "ForecastOnly" else "forecast and scale"
    return f"predictive {_FORECAST.get(str(metric), 'target {}').format(spec.get('targetValue'))} ({mode})"


def _schedule(action: Resource) -> str:
    """`schedule weekday-morning: 4..20 at cron(0 7 ? * MON-FRI *) Europe/Berlin`; an unset bound is `-`."""
    i = action.inputs
    capacity = i.get("scalableTargetAction") or {}
    low, high = (capacity.get(k) for k in ("minCapacity", "maxCapacity"))
    bounds = f"{'-' if low is None else low}..{'-' if high is None else high}"
    period = "".join(f" {word} {i[key]}" for word, key in (("from", "startTime"), ("until", "endTime")) if i.get(key))
    return (f"schedule {i.get('name', action.name)}: {bounds} at {i.get('schedule')} {i.get('timezone', 'UTC')}"
            f"{period}")


def _alarm_label(alarm: Resource) -> str:
    queries = alarm.inputs.get("metricQueries") or []
    shown = next((q for q in queries if q.get("returnData")), None)
    what = (shown.get("label") or shown.get("expression") if shown else None) or alarm.inputs.get("metricName", "")
    operator = _OPERATORS.get(str(alarm.inputs.get("comparisonOperator")), "")
    return f"alarm {alarm.name}<br/>{what} {operator} {alarm.inputs.get('threshold', '')}".rstrip()


def _json(value: Any) -> dict[str, Any]:
    """A JSON object given as a string (as AWS receives policies) or as is; empty when it is neither."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _statements(policy: Any) -> list[dict[str, Any]]:
    """The Allow statements of an IAM policy document."""
    return [s for s in _as_list(_json(policy).get("Statement")) if isinstance(s, dict) and s.get("Effect") == "Allow"]


def _dashboard_refs(body: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    """(dimensions of each metric, alarm ARNs) a dashboard body shows.

    A metric row is `[namespace, name, key, value, ..., {options}]`; `"."` repeats the item of
    the row above at that place, `"..."` the row above's items up to the ones that follow it.
    """
    dims: list[dict[str, Any]] = []
    alarms: list[Any] = []
    for widget in _as_list(body.get("widgets")):
        props = (widget.get("properties") or {}) if isinstance(widget, dict) else {}
        alarms += _as_list(props.get("alarms")) + _as_list((props.get("annotations") or {}).get("alarms"))
        previous: list[Any] = []
        for row in _as_list(props.get("metrics")):
            if not isinstance(row, list):
                continue
            items = [x for x in row if not isinstance(x, dict)]
            expanded: list[Any] = []
            for i, item in enumerate(items):
                if item == "...":
                    tail = len(items) - i - 1
                    expanded += previous[len(expanded):len(previous) - tail]
                elif item == ".":
                    expanded.append(previous[len(expanded)] if len(expanded) < len(previous) else None)
                else:
                    expanded.append(item)
            previous = expanded
            pairs = expanded[2:]
            dims.append({str(k): val for k, val in zip(pairs[::2], pairs[1::2], strict=False)})
    return dims, alarms


# --- printers ---------------------------------------------------------------------------

_MERMAID_SHAPES = {"box": ('["', '"]'), "round": ('("', '")'), "db": ('[("', '")]'), "circle": ('(("', '"))'),
                   "hexagon": ('{{"', '"}}'), "queue": ('>"', '"]')}
_DOT_SHAPES = {"box": "box", "round": "box", "db": "cylinder", "circle": "circle", "hexagon": "hexagon",
               "queue": "cds"}


def _mermaid_text(text: str) -> str:
    """`text` inside a quoted Mermaid label: quotes and stray `<` as entities, `<br/>` kept."""
    return re.sub(r"<(?!br/>)", "#lt;", text.replace('"', "#quot;"))


def mermaid(g: Graph) -> str:
    """Mermaid flowchart text (code hosts render it in Markdown)."""
    out = ["flowchart LR"]

    def node(nid: str, indent: str) -> None:
        n = g.nodes[nid]
        left, right = _MERMAID_SHAPES[n.shape]
        out.append(f"{indent}{n.id}{left}{_mermaid_text(n.label)}{right}")

    def group(grp: Group, indent: str) -> None:
        out.append(f'{indent}subgraph {grp.id}["{_mermaid_text(grp.label)}"]')
        for nid in grp.nodes:
            node(nid, indent + "  ")
        for sub in grp.groups:
            group(sub, indent + "  ")
        out.append(f"{indent}end")

    for nid in g.loose:
        node(nid, "  ")
    for grp in g.groups:
        group(grp, "  ")
    for e in g.edges:
        arrow = "-.->" if e.dashed else "-->"
        label = e.label
        if re.search(r"[()\[\]{}|\"<>]", label):
            label = f'"{_mermaid_text(label)}"'
        out.append(f"  {e.src} {arrow}{f'|{label}|' if label else ''} {e.dst}")
    return "\n".join(out) + "\n"


def dot(g: Graph) -> str:
    """Graphviz DOT of the same graph (groups become clusters)."""
    out = ["digraph stack {", "  rankdir=LR; compound=true; graph [fontname=Helvetica fontsize=11];",
           "  node [fontname=Helvetica fontsize=10]; edge [fontname=Helvetica fontsize=9];"]
    first: dict[str, str] = {}

    def group(grp: Group, indent: str) -> str | None:
        out.append(f'{indent}subgraph cluster_{grp.id} {{ label="{_dot_text(grp.label)}";')
        members = [n for n in grp.nodes] + [m for sub in grp.groups if (m := group(sub, indent + "  "))]
        for nid in grp.nodes:
            out.append(f"{indent}  {_dot_node(g.nodes[nid])}")
        out.append(f"{indent}}}")
        first[grp.id] = members[0] if members else ""
        return first[grp.id] or None

    for nid in g.loose:
        out.append(f"  {_dot_node(g.nodes[nid])}")
    for grp in g.groups:
        group(grp, "  ")
    for e in g.edges:
        attrs = [f'label="{_dot_text(e.label)}"'] if e.label else []
        src, dst = e.src, e.dst
        if src in first:  # an edge from a whole group leaves from its first node
            attrs.append(f"ltail=cluster_{src}")
            src = first[src]
        if dst in first:  # and one to a group ends at its border
            attrs.append(f"lhead=cluster_{dst}")
            dst = first[dst]
        if e.dashed:
            attrs.append("style=dashed")
        if src and dst:
            out.append(f"  {src} -> {dst}" + (f" [{' '.join(attrs)}]" if attrs else "") + ";")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<br/>", "\\n")


def _dot_node(n: Node) -> str:
    rounded = " style=rounded" if n.shape == "round" else ""
    return f'{n.id} [label="{_dot_text(n.label)}" shape={_DOT_SHAPES[n.shape]}{rounded}];'


def image_format(path: Path) -> str | None:
    """The image format `path` asks for by its suffix: `png` (also without a suffix), `svg`, or None."""
    suffix = path.suffix.lower().removeprefix(".") or "png"
    return suffix if suffix in IMAGE_FORMATS else None


def render_image(dot_text: str, output: Path, fmt: str = "png", which: Callable[[str], str | None] = shutil.which,
                 run: Callable[..., Any] = subprocess.run) -> Path | None:
    """Write a PNG or SVG (`fmt`) with Graphviz's `dot`; None when Graphviz is not installed."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"fmt: must be one of {', '.join(IMAGE_FORMATS)} (got {fmt})")
    exe = which("dot")
    if exe is None:
        return None
    run([exe, f"-T{fmt}", "-o", str(output)], input=dot_text, text=True, check=True, capture_output=True)
    return output
