"""Architecture diagram of a rendered stack: Mermaid text always, Graphviz DOT/PNG when asked (pure).

One graph model is built from the offline plan (what the engine would create) and printed
two ways, so both pictures always agree: internet -> ALB -> listeners -> rules -> services
-> their tasks in the private subnets of each AZ -> NAT -> internet gateway, with ECR
repositories, log groups and VPC endpoints beside them. Relationships are followed by
value (target group ARNs, subnet IDs, route tables), as AWS follows them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..aws import tokens as tok
from .engine import Rendered
from .view import container_definitions, log_group, task_size


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    shape: str = "box"  # box | round | db | circle


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    label: str = ""
    dashed: bool = False


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

    def add(self, node: Node, group: Group | None = None) -> str:
        if node.id not in self.nodes:
            self.nodes[node.id] = node
            (group.nodes if group is not None else self.loose).append(node.id)
        return node.id

    def link(self, src: str, dst: str, label: str = "", dashed: bool = False) -> None:
        edge = Edge(src, dst, label, dashed)
        if edge not in self.edges:
            self.edges.append(edge)


def node_id(kind: str, name: str) -> str:
    return f"{kind}_{re.sub(r'[^A-Za-z0-9_]', '_', name)}"


def build(rendered: Rendered) -> Graph:
    """The graph of `rendered`."""
    res = sorted((r for r in rendered.resources if r.custom), key=lambda r: (r.type, r.name))
    of = lambda t: [r for r in res if r.type == t]
    g = Graph()
    internet = g.add(Node("internet", "Internet", "circle"))

    vpcs = of(tok.VPC)
    vpc = Group("vpc", f"VPC {vpcs[0].inputs.get('cidrBlock', '')}".strip() if vpcs else "VPC (existing)")
    subnet_nodes: dict[Any, str] = {}
    zones: dict[str, Group] = {}
    for s in of(tok.SUBNET):
        tier = (s.inputs.get("tags") or {}).get("Tier") or ("public" if "public" in s.name else "private")
        az = str(s.inputs.get("availabilityZone") or "AZ")
        zone = zones.setdefault(az, Group(node_id("az", az), az))
        label = f"{tier} subnet<br/>{s.inputs.get('cidrBlock', '')}"
        subnet_nodes[s.id] = g.add(Node(node_id("subnet", s.name), label), zone)
    vpc.groups = [zones[k] for k in sorted(zones)]
    igws = of(tok.INTERNET_GATEWAY)
    igw = g.add(Node("igw", "internet gateway", "round"), vpc) if igws else None
    if igw:
        g.link(igw, internet)
    nat_ids: dict[Any, str] = {}
    for n in of(tok.NAT_GATEWAY):
        in_zone = next((z for z in vpc.groups if subnet_nodes.get(n.inputs.get("subnetId")) in z.nodes), None)
        nat_ids[n.id] = g.add(Node(node_id("nat", n.name), f"NAT gateway<br/>{n.name}", "round"), in_zone or vpc)
        if igw:
            g.link(nat_ids[n.id], igw)
    _routes(g, res, subnet_nodes, nat_ids, igw)
    for e in of(tok.VPC_ENDPOINT):
        service = ".".join(str(e.inputs.get("serviceName", "")).split(".")[3:]) or e.name
        kind = str(e.inputs.get("vpcEndpointType", "Gateway")).lower()
        g.add(Node(node_id("endpoint", e.name), f"{kind} endpoint<br/>{service}", "round"), vpc)
    if not subnet_nodes:
        subnet_nodes[None] = g.add(Node("subnets", "existing subnets"), vpc)
    g.groups.append(vpc)

    target_groups = _load_balancers(g, res, internet)
    clusters = of(tok.CLUSTER)
    cluster = Group("cluster", f"ECS cluster {clusters[0].name}" if clusters else "ECS cluster")
    g.groups.append(cluster)
    tasks = {t.state.get("arn"): t for t in of(tok.TASK_DEFINITION)}
    repos = {r.state.get("repositoryUrl"): r for r in of(tok.REPOSITORY)}
    for svc in of(tok.SERVICE):
        task = tasks.get(svc.inputs.get("taskDefinition"))
        sid = g.add(Node(node_id("svc", svc.name), _service_label(svc, task), "box"), cluster)
        for lb in svc.inputs.get("loadBalancers") or []:
            for rule in target_groups.get(lb.get("targetGroupArn"), []):
                g.link(rule, sid, f"port {lb.get('containerPort')}")
        for subnet in (svc.inputs.get("networkConfiguration") or {}).get("subnets") or [None]:
            if subnet in subnet_nodes:
                g.link(sid, subnet_nodes[subnet], "tasks")
        for image, group in _containers(task):
            repo = next((r for url, r in repos.items() if url and image.startswith(str(url))), None)
            target = (g.add(Node(node_id("ecr", repo.name), f"ECR<br/>{repo.name}", "db")) if repo else
                      g.add(Node(node_id("image", image.split("@")[0]), f"image<br/>{image.split('@')[0]}", "db")))
            g.link(sid, target, "image", dashed=True)
            if group:
                g.link(sid, g.add(Node(node_id("logs", group), f"log group<br/>{group}", "db")), "logs", True)
    for asg in of(tok.ASG):
        aid = g.add(Node(node_id("asg", asg.name), f"EC2 Auto Scaling group<br/>{asg.name}<br/>"
                         f"{asg.inputs.get('minSize', 0)}..{asg.inputs.get('maxSize', 0)} instances"), cluster)
        for subnet in asg.inputs.get("vpcZoneIdentifiers") or []:
            if subnet in subnet_nodes:
                g.link(aid, subnet_nodes[subnet], "instances")
    groups = {lg.state.get("arn"): lg for lg in of(tok.LOG_GROUP)}
    for flow in of(tok.FLOW_LOG):
        lg = groups.get(flow.inputs.get("logDestination"))
        if lg is not None:
            name = lg.inputs.get("name") or lg.name
            g.link("vpc", g.add(Node(node_id("logs", name), f"log group<br/>{name}", "db")), "flow logs", True)
    return g


def _routes(g: Graph, res: list, subnets: dict, nats: dict, igw: str | None) -> None:
    """Subnet -> NAT / internet gateway edges, from route tables and their associations."""
    default_routes: dict[Any, str] = {}
    for route in (r for r in res if r.type == tok.ROUTE):
        table = next((t.id for t in res if t.type == tok.ROUTE_TABLE
                      and t.id == route.inputs.get("routeTableId")), None)
        if route.inputs.get("natGatewayId") in nats:
            default_routes[table] = nats[route.inputs["natGatewayId"]]
        elif route.inputs.get("gatewayId") and igw:
            default_routes[table] = igw
    for assoc in (r for r in res if r.type == tok.ROUTE_TABLE_ASSOCIATION):
        target = default_routes.get(assoc.inputs.get("routeTableId"))
        if target and assoc.inputs.get("subnetId") in subnets:
            g.link(subnets[assoc.inputs["subnetId"]], target, "0.0.0.0/0")


def _load_balancers(g: Graph, res: list, internet: str) -> dict[Any, list[str]]:
    """ALB, listener and rule nodes; returns target group ARN -> rule (or listener) node IDs."""
    forwards: dict[Any, list[str]] = {}
    listeners = [r for r in res if r.type == tok.LISTENER]
    for lb in (r for r in res if r.type == tok.LOAD_BALANCER):
        group = Group(node_id("lbgroup", lb.name), f"load balancer {lb.name}")
        g.groups.append(group)
        alb = g.add(Node(node_id("alb", lb.name), f"ALB {lb.name}", "round"), group)
        if not lb.inputs.get("internal"):
            g.link(internet, alb, "HTTP/HTTPS")
        for listener in (x for x in listeners if x.inputs.get("loadBalancerArn") == lb.state.get("arn")):
            actions = listener.inputs.get("defaultActions") or []
            kind = actions[0].get("type", "") if actions else ""
            lid = g.add(Node(node_id("listener", listener.name), f"{listener.inputs.get('protocol', '')} :"
                             f"{listener.inputs.get('port', '')}<br/>default: {kind}"), group)
            g.link(alb, lid)
            for action in actions:
                if action.get("targetGroupArn"):
                    forwards.setdefault(action["targetGroupArn"], []).append(lid)
            listener_arns = {listener.state.get("arn"), listener.urn}
            for rule in (r for r in res if r.type == tok.LISTENER_RULE
                         and r.inputs.get("listenerArn") in listener_arns):
                rid = g.add(Node(node_id("rule", rule.name), f"rule {rule.inputs.get('priority', '')}<br/>"
                                 f"{_conditions(rule)}"), group)
                g.link(lid, rid)
                for action in rule.inputs.get("actions") or []:
                    if action.get("targetGroupArn"):
                        forwards.setdefault(action["targetGroupArn"], []).append(rid)
    return forwards


def _conditions(rule: Any) -> str:
    parts = []
    for c in rule.inputs.get("conditions") or []:
        for key, label in (("hostHeader", "host"), ("pathPattern", "path")):
            if c.get(key):
                parts.append(f"{label} {' '.join(c[key].get('values') or [])}")
    return ", ".join(parts) or "any request"


def _service_label(svc: Any, task: Any | None) -> str:
    lines = [f"service {svc.name}"]
    count = svc.inputs.get("desiredCount", 0)
    if task is not None:
        cpu, memory, arch = task_size(task.inputs)
        lines.append(f"{count} x {cpu:g} vCPU / {memory:g} GB {arch.lower()}")
    strategy = svc.inputs.get("capacityProviderStrategies") or []
    if strategy:
        lines.append(", ".join(f"{s.get('capacityProvider')} base {s.get('base', 0)} w {s.get('weight', 0)}"
                               for s in strategy))
    return "<br/>".join(lines)


def _containers(task: Any | None) -> list[tuple[str, str | None]]:
    """(image, log group) of each container of a task definition."""
    if task is None:
        return []
    return [(str(c.get("image", "")), log_group(c)) for c in container_definitions(task)]


# --- printers ---------------------------------------------------------------------------

_MERMAID_SHAPES = {"box": ('["', '"]'), "round": ('("', '")'), "db": ('[("', '")]'), "circle": ('(("', '"))')}
_DOT_SHAPES = {"box": "box", "round": "box", "db": "cylinder", "circle": "circle"}


def mermaid(g: Graph) -> str:
    """Mermaid flowchart text (code hosts render it in Markdown)."""
    out = ["flowchart LR"]

    def node(nid: str, indent: str) -> None:
        n = g.nodes[nid]
        left, right = _MERMAID_SHAPES[n.shape]
        label = n.label.replace('"', "#quot;")
        out.append(f"{indent}{n.id}{left}{label}{right}")

    def group(grp: Group, indent: str) -> None:
        out.append(f'{indent}subgraph {grp.id}["{grp.label}"]')
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
        out.append(f"  {e.src} {arrow}{f'|{e.label}|' if e.label else ''} {e.dst}")
    return "\n".join(out) + "\n"


def dot(g: Graph) -> str:
    """Graphviz DOT of the same graph (groups become clusters)."""
    out = ["digraph stack {", "  rankdir=LR; compound=true; node [fontname=Helvetica fontsize=10];"]
    first: dict[str, str] = {}

    def group(grp: Group, indent: str) -> str | None:
        out.append(f'{indent}subgraph cluster_{grp.id} {{ label="{grp.label}";')
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
        attrs = [f'label="{e.label}"'] if e.label else []
        src = e.src
        if src in first:  # an edge from a whole group leaves from its first node
            attrs.append(f"ltail=cluster_{src}")
            src = first[src]
        if e.dashed:
            attrs.append("style=dashed")
        if src:
            out.append(f"  {src} -> {e.dst}" + (f" [{' '.join(attrs)}]" if attrs else "") + ";")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_node(n: Node) -> str:
    label = n.label.replace('"', '\\"').replace("<br/>", "\\n")
    return f'{n.id} [label="{label}" shape={_DOT_SHAPES[n.shape]}{" style=rounded" if n.shape == "round" else ""}];'


def render_png(dot_text: str, output: Path, which: Callable[[str], str | None] = shutil.which,
               run: Callable[..., Any] = subprocess.run) -> Path | None:
    """Write a PNG with Graphviz's `dot`; None when Graphviz is not installed."""
    exe = which("dot")
    if exe is None:
        return None
    run([exe, "-Tpng", "-o", str(output)], input=dot_text, text=True, check=True, capture_output=True)
    return output
