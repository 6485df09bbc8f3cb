"""The architecture diagram: Mermaid and DOT from one graph, the PNG through Graphviz's `dot`."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from deploy.cli import main
from deploy.offline import diagram
from deploy.offline import engine as offline


def res(type_: str, logical: str, id: str | None = None, state: dict | None = None, **inputs) -> offline.Resource:
    return offline.Resource(f"urn:pulumi:t::p::{type_}::{logical}", type_, logical, None, inputs, True,
                            id=id or f"{logical}-id", state=state or {})


def small_stack() -> offline.Rendered:
    """One AZ pair, a NAT, an ALB with one rule, one service with an ECR image and a log group."""
    containers = [{"name": "app", "image": "111.dkr.ecr/repo-web@sha256:abc",
                   "logConfiguration": {"options": {"awslogs-group": "/ecs/web"}}},
                  {"name": "proxy", "image": "public.ecr.aws/nginx/nginx:1.27"}]
    return offline.Rendered("p", "s", [
        res("aws:ec2/vpc:Vpc", "vpc", cidrBlock="10.0.0.0/16"),
        res("aws:ec2/subnet:Subnet", "public-0", id="sub-pub-0", availabilityZone="us-east-1a",
            cidrBlock="10.0.192.0/21", tags={"Tier": "public"}),
        res("aws:ec2/subnet:Subnet", "private-0", id="sub-priv-0", availabilityZone="us-east-1a",
            cidrBlock="10.0.0.0/19", tags={"Tier": "private"}),
        res("aws:ec2/subnet:Subnet", "private-1", id="sub-priv-1", availabilityZone="us-east-1b",
            cidrBlock="10.0.32.0/19", tags={"Tier": "private"}),
        res("aws:ec2/internetGateway:InternetGateway", "igw"),
        res("aws:ec2/natGateway:NatGateway", "nat-0", id="nat-0", subnetId="sub-pub-0"),
        res("aws:ec2/routeTable:RouteTable", "private-rt", id="rt-priv"),
        res("aws:ec2/route:Route", "private-default", routeTableId="rt-priv", natGatewayId="nat-0"),
        res("aws:ec2/routeTableAssociation:RouteTableAssociation", "a0", subnetId="sub-priv-0", routeTableId="rt-priv"),
        res("aws:ec2/routeTableAssociation:RouteTableAssociation", "a1", subnetId="sub-priv-1", routeTableId="rt-priv"),
        res("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr-api", vpcEndpointType="Interface",
            serviceName="com.amazonaws.us-east-1.ecr.api"),
        res("aws:lb/loadBalancer:LoadBalancer", "alb", state={"arn": "arn:alb"}),
        res("aws:lb/listener:Listener", "http", state={"arn": "arn:listener"}, loadBalancerArn="arn:alb",
            protocol="HTTP", port=80, defaultActions=[{"type": "fixed-response"}]),
        res("aws:lb/listenerRule:ListenerRule", "web-rule", listenerArn="arn:listener", priority=100,
            conditions=[{"pathPattern": {"values": ["/api/*"]}}], actions=[{"type": "forward",
                                                                            "targetGroupArn": "arn:tg"}]),
        res("aws:ecs/cluster:Cluster", "main"),
        res("aws:ecs/taskDefinition:TaskDefinition", "web-task", state={"arn": "arn:td:1"}, cpu="512",
            memory="1024", containerDefinitions=json.dumps(containers)),
        res("aws:ecs/service:Service", "web-svc", taskDefinition="arn:td:1", desiredCount=2,
            loadBalancers=[{"targetGroupArn": "arn:tg", "containerPort": 8080}],
            networkConfiguration={"subnets": ["sub-priv-0", "sub-priv-1"]}),
        res("aws:ecr/repository:Repository", "repo-web", state={"repositoryUrl": "111.dkr.ecr/repo-web"}),
        res("aws:autoscaling/group:Group", "asg", minSize=1, maxSize=4, vpcZoneIdentifiers=["sub-priv-0"]),
    ])


def test_mermaid_has_the_request_path_from_internet_to_tasks_in_private_subnets_per_az():
    text = diagram.mermaid(diagram.build(small_stack()))
    assert text.startswith("flowchart LR\n")
    for edge in ("internet -->|HTTP/HTTPS| alb_alb", "alb_alb --> listener_http",
                 "listener_http --> rule_web_rule", "rule_web_rule -->|port 8080| svc_web_svc",
                 "svc_web_svc -->|tasks| subnet_private_0", "svc_web_svc -->|tasks| subnet_private_1"):
        assert edge in text
    assert 'subgraph az_us_east_1a["us-east-1a"]' in text and 'subgraph az_us_east_1b["us-east-1b"]' in text
    assert 'rule_web_rule["rule 100<br/>path /api/*"]' in text
    assert "2 x 0.5 vCPU / 1 GB x86_64" in text


def test_mermaid_has_egress_through_nat_and_gateway_and_the_registries_logs_endpoints_and_instances():
    text = diagram.mermaid(diagram.build(small_stack()))
    for edge in ("subnet_private_0 -->|0.0.0.0/0| nat_nat_0", "subnet_private_1 -->|0.0.0.0/0| nat_nat_0",
                 "nat_nat_0 --> igw", "igw --> internet", "svc_web_svc -.->|image| ecr_repo_web",
                 "svc_web_svc -.->|logs| logs__ecs_web", "asg_asg -->|instances| subnet_private_0",
                 "svc_web_svc -.->|image| image_public_ecr_aws_nginx_nginx_1_27"):
        assert edge in text
    assert 'endpoint_ecr_api("interface endpoint<br/>ecr.api")' in text
    # the NAT sits in the AZ of its public subnet
    az_a = text.split('subgraph az_us_east_1a')[1].split("end")[0]
    assert "nat_nat_0" in az_a and "subnet_private_1" not in az_a


def test_output_is_deterministic_and_dot_matches_the_same_graph():
    first, second = diagram.build(small_stack()), diagram.build(small_stack())
    assert diagram.mermaid(first) == diagram.mermaid(second)
    text = diagram.dot(first)
    assert text.startswith("digraph stack {") and "subgraph cluster_vpc" in text
    assert 'rule_web_rule -> svc_web_svc [label="port 8080"];' in text
    assert 'svc_web_svc -> logs__ecs_web [label="logs" style=dashed];' in text
    assert len(first.edges) == text.count(" -> ")


def test_render_png_runs_dot_with_the_dot_text_or_returns_none_without_graphviz(tmp_path):
    calls = []
    out = tmp_path / "x.png"
    written = diagram.render_png("digraph {}", out, which=lambda name: f"/opt/bin/{name}",
                                 run=lambda argv, **kw: calls.append((argv, kw)))
    assert written == out
    assert calls == [(["/opt/bin/dot", "-Tpng", "-o", str(out)],
                      {"input": "digraph {}", "text": True, "check": True, "capture_output": True})]
    assert diagram.render_png("digraph {}", out, which=lambda name: None, run=pytest.fail) is None


def _fake_dot(directory: Path) -> None:
    """A `dot` that writes its stdin to the -o file, as Graphviz would write the PNG."""
    script = directory / "dot"
    script.write_text('#!/bin/sh\nwhile [ "$1" != "-o" ]; do shift; done\ncat > "$2"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.mark.integration
def test_diagram_command_prints_mermaid_and_writes_a_png_with_graphviz(tmp_path, monkeypatch, capsys):
    _fake_dot(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    png = tmp_path / "dev.png"
    assert main(["diagram", "--stack", "dev", "--output", str(png)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("flowchart LR") and "-->|tasks|" in captured.out
    assert png.read_text().startswith("digraph stack {")  # the fake dot received the DOT text
    assert f"wrote {png}" in captured.err


def test_diagram_command_without_graphviz(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot here
    monkeypatch.chdir(tmp_path)
    assert main(["diagram", "--stack", "dev"]) == 0  # Mermaid only, no file, no error
    assert capsys.readouterr().out.startswith("flowchart LR") and not list(tmp_path.iterdir())
    assert main(["diagram", "--stack", "dev", "--output", "x.png"]) == 1
    assert "needs Graphviz's `dot`" in capsys.readouterr().err
    assert main(["diagram", "--stack", "dev", "--no-png", "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith("digraph stack {")
