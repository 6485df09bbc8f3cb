"""The architecture diagram: Mermaid and DOT from one graph, PNG and SVG through Graphviz's `dot`.

Every custom resource of the shipped, fixture and scheduled-only stacks is drawn, or its type
is one `diagram.NOT_DRAWN` names: a new kind of resource fails here until someone decides.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from deploy.cli import main
from deploy.config.model import StackConfig
from deploy.config.parse import load
from deploy.offline import diagram, plan
from deploy.offline import engine as offline
from tests.conftest import FIXTURES, PROJECT, ROOT, make_config
from tests.factories import SCHEDULED


def res(type_: str, logical: str, id: str | None = None, state: dict | None = None, **inputs) -> offline.Resource:
    return offline.Resource(f"urn:pulumi:t::p::{type_}::{logical}", type_, logical, None, inputs, True,
                            id=id or f"{logical}-id", state=state or {})


def small_stack() -> offline.Rendered:
    """One AZ pair, a NAT, an ALB with one rule and its target group, one service with an ECR image and a log
    group."""
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
        res("aws:ec2/route:Route", "private-default", routeTableId="rt-priv", natGatewayId="nat-0",
            destinationCidrBlock="0.0.0.0/0"),
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
        res("aws:lb/targetGroup:TargetGroup", "web-tg", state={"arn": "arn:tg"}, protocol="HTTP", port=8080,
            targetType="ip"),
        res("aws:ecs/cluster:Cluster", "main"),
        res("aws:ecs/taskDefinition:TaskDefinition", "web-task", state={"arn": "arn:td:1"}, cpu="512",
            memory="1024", containerDefinitions=json.dumps(containers)),
        res("aws:ecs/service:Service", "web-svc", taskDefinition="arn:td:1", desiredCount=2,
            loadBalancers=[{"targetGroupArn": "arn:tg", "containerPort": 8080}],
            networkConfiguration={"subnets": ["sub-priv-0", "sub-priv-1"]}),
        res("aws:ecr/repository:Repository", "repo-web", state={"repositoryUrl": "111.dkr.ecr/repo-web"}),
        res("aws:autoscaling/group:Group", "asg", minSize=1, maxSize=4, vpcZoneIdentifiers=["sub-priv-0"]),
    ])


STACKS: dict[str, Callable[[], StackConfig]] = {
    "dev": lambda: load(ROOT / "Pulumi.dev.yaml", PROJECT, "dev"),
    "prod": lambda: load(ROOT / "Pulumi.prod.yaml", PROJECT, "prod"),
    "small": lambda: load(FIXTURES / "Pulumi.small.yaml", PROJECT, "dev"),
    "mixed": lambda: load(FIXTURES / "Pulumi.mixed.yaml", PROJECT, "prod"),
    "efs": lambda: load(FIXTURES / "Pulumi.efs.yaml", PROJECT, "efs"),
    "sends": lambda: load(FIXTURES / "Pulumi.sends.yaml", PROJECT, "sends"),
    "scheduled-only": lambda: make_config(services=SCHEDULED),
    "scaling": lambda: load(FIXTURES / "Pulumi.scaling.yaml", PROJECT, "scaling"),
    "https-domain": lambda: make_config({"loadBalancer": {"domain": "app.example.com",
                                                          "hostedZoneId": "Z0123456789ABC"}}),
    "routing": lambda: load(FIXTURES / "Pulumi.routing.yaml", PROJECT, "routing"),
}
"""The shipped and fixture stacks (EFS volumes among them), a stack of only a scheduled job, one with its own
domain and certificate, and one with alternative names, alias hosts and a WAF web ACL."""


@functools.cache
def rendered(stack: str) -> offline.Rendered:
    return plan.render(STACKS[stack]())


def undecided(r: offline.Rendered, g: diagram.Graph) -> list[tuple[str, str]]:
    """(type, name) of each custom resource that is neither drawn nor of a type `NOT_DRAWN` names."""
    drawn = g.drawn()
    return sorted((x.type, x.name) for x in r.resources
                  if x.custom and x.urn not in drawn and x.type not in diagram.NOT_DRAWN)


def edge(g: diagram.Graph, src: str, dst: str) -> diagram.Edge:
    found = [e for e in g.edges if e.src == src and e.dst == dst]
    assert len(found) == 1, f"{src} -> {dst}: {found}"
    return found[0]


def test_mermaid_has_the_request_path_from_internet_to_tasks_in_private_subnets_per_az():
    text = diagram.mermaid(diagram.build(small_stack()))
    assert text.startswith("flowchart LR\n")
    for edge_text in ("internet -->|HTTP| alb_alb", "alb_alb --> listener_http",
                      "listener_http --> rule_web_rule", "rule_web_rule --> tg_web_tg",
                      "tg_web_tg -->|port 8080| svc_web_svc",
                      "svc_web_svc -->|tasks| subnet_private_0", "svc_web_svc -->|tasks| subnet_private_1"):
        assert edge_text in text
    assert 'subgraph az_us_east_1a["us-east-1a"]' in text and 'subgraph az_us_east_1b["us-east-1b"]' in text
    assert 'rule_web_rule["rule 100<br/>path /api/*"]' in text
    assert 'tg_web_tg["target group web-tg<br/>HTTP :8080 ip"]' in text
    assert "2 x 0.5 vCPU / 1 GB x86_64" in text


def test_mermaid_has_egress_through_nat_and_gateway_and_the_registries_logs_endpoints_and_instances():
    text = diagram.mermaid(diagram.build(small_stack()))
    for edge_text in ("subnet_private_0 -->|0.0.0.0/0| nat_nat_0", "subnet_private_1 -->|0.0.0.0/0| nat_nat_0",
                      "nat_nat_0 --> igw", "igw --> internet", "svc_web_svc -.->|image| ecr_repo_web",
                      "svc_web_svc -.->|logs| logs__ecs_web", "asg_asg -->|instances| subnet_private_0",
                      "svc_web_svc -.->|image| image_public_ecr_aws_nginx_nginx_1_27"):
        assert edge_text in text
    assert 'endpoint_ecr_api("interface endpoint<br/>ecr.api")' in text
    # the NAT sits in the AZ of its public subnet
    az_a = text.split('subgraph az_us_east_1a')[1].split("end")[0]
    assert "nat_nat_0" in az_a and "subnet_private_1" not in az_a


def test_output_is_deterministic_and_dot_matches_the_same_graph():
    first, second = diagram.build(small_stack()), diagram.build(small_stack())
    assert diagram.mermaid(first) == diagram.mermaid(second)
    text = diagram.dot(first)
    assert text.startswith("digraph stack {") and "subgraph cluster_vpc" in text
    assert 'tg_web_tg -> svc_web_svc [label="port 8080"];' in text
    assert 'svc_web_svc -> logs__ecs_web [label="logs" style=dashed];' in text
    assert len(first.edges) == text.count(" -> ")


# --- every resource is drawn, or deliberately not ------------------------------------------

@pytest.mark.parametrize("stack", sorted(STACKS))
def test_every_resource_is_drawn_or_of_a_type_deliberately_not_drawn(stack):
    r = rendered(stack)
    g = diagram.build(r)
    assert undecided(r, g) == []
    # the union of drawn and not drawn types covers the render (what the check above implies)
    drawn_types = {x.type for x in r.resources if x.urn in g.drawn()}
    assert {x.type for x in r.resources if x.custom} <= drawn_types | diagram.NOT_DRAWN
    # sources name resources of this plan, and elements that exist
    assert g.drawn() <= {x.urn for x in r.resources}
    elements = set(g.nodes) | g.group_ids() | {e.key for e in g.edges}
    assert set(g.sources) <= elements


@pytest.mark.parametrize("stack", sorted(STACKS))
def test_a_type_deliberately_not_drawn_never_becomes_a_node(stack):
    r = rendered(stack)
    g = diagram.build(r)
    types = {x.urn: x.type for x in r.resources}
    assert not {types[u] for nid in g.nodes for u in g.sources.get(nid, [])} & diagram.NOT_DRAWN


def test_a_resource_of_a_new_type_is_reported_until_it_is_drawn_or_declared_not_drawn():
    stack = small_stack()
    stack.resources.append(res("aws:rds/instance:Instance", "db"))
    assert undecided(stack, diagram.build(stack)) == [("aws:rds/instance:Instance", "db")]
    assert "aws:rds/instance:Instance" not in diagram.NOT_DRAWN


def test_not_drawn_stays_a_short_list_of_supporting_types_the_stack_creates():
    rendered_types = {x.type for s in ("dev", "prod", "https-domain") for x in rendered(s).resources if x.custom}
    assert diagram.NOT_DRAWN - rendered_types <= {"aws:ecr/repositoryPolicy:RepositoryPolicy",
                                                  "aws:ecs/accountSettingDefault:AccountSettingDefault"}
    assert len(diagram.NOT_DRAWN) <= 17


# --- what a reader looks for -----------------------------------------------------------------

def test_prod_draws_the_schedule_with_its_expression_the_task_it_starts_and_its_dead_letter_queue():
    g = diagram.build(rendered("prod"))
    schedule, task = "schedule_prod_nightly_report_schedule", "task_prod_nightly_report_task"
    assert edge(g, schedule, task).label == "cron(0 3 * * ? *) Europe/Berlin"
    assert edge(g, schedule, "queue_prod_nightly_report_dlq") == diagram.Edge(
        schedule, "queue_prod_nightly_report_dlq", "failed runs", dashed=True)
    assert g.nodes[task].label.startswith("scheduled task prod-nightly-report<br/>1 x 0.5 vCPU / 1 GB x86_64")
    assert task in next(grp for grp in g.groups if grp.id == "cluster").nodes
    text = diagram.mermaid(g)  # parentheses in an edge label are quoted for Mermaid
    assert f'{schedule} -->|"cron(0 3 * * ? *) Europe/Berlin"| {task}' in text
    assert f'{schedule}{{{{"schedule prod-nightly-report-schedule<br/>2 retries"}}}}' in text


def test_prod_draws_the_worker_queue_its_consumer_and_its_dead_letter_queue():
    g = diagram.build(rendered("prod"))
    queue, dlq, worker = "queue_prod_worker_queue", "queue_prod_worker_dlq", "svc_prod_worker_svc"
    assert edge(g, queue, worker).label == "messages"
    assert edge(g, queue, dlq) == diagram.Edge(queue, dlq, "after 5 receives", dashed=True)
    assert g.nodes[dlq].label == "SQS dead-letter queue<br/>prod-worker-dlq"
    assert g.nodes[queue].label == "SQS queue<br/>prod-worker-queue"
    # the consumer edge is drawn from the task role's policy
    policy = rendered("prod").one("aws:iam/rolePolicy:RolePolicy", "prod-worker-task-policy")
    assert g.sources[edge(g, queue, worker).key] == [policy.urn]


def test_a_producer_is_drawn_sending_to_the_fifo_queue_its_task_role_may_send_to():
    r = rendered("sends")
    g = diagram.build(r)
    queue, web, worker = "queue_sends_thumbnailer_queue", "svc_sends_web_svc", "svc_sends_thumbnailer_svc"
    send = edge(g, web, queue)
    assert send == diagram.Edge(web, queue, "sends")  # solid: from the policy, not only the environment
    assert g.sources[send.key] == [r.one("aws:iam/rolePolicy:RolePolicy", "sends-web-task-policy").urn]
    assert edge(g, queue, worker).label == "messages"
    assert g.nodes[queue].label == "SQS queue<br/>sends-thumbnailer-queue.fifo"
    assert g.nodes["queue_sends_thumbnailer_dlq"].label == "SQS dead-letter queue<br/>sends-thumbnailer-dlq.fifo"
    assert not [e for e in g.edges if e.src == web and e.dst == "queue_sends_mailer_queue"]
    assert edge(g, "task_sends_report_task", "queue_sends_mailer_queue").label == "sends"
    assert f"{web} -->|sends| {queue}" in diagram.mermaid(g)


def test_prod_draws_the_service_connect_call_from_web_to_api_with_its_port():
    r = rendered("prod")
    g = diagram.build(r)
    call = edge(g, "svc_prod_web_svc", "svc_prod_api_svc")
    assert call.label == "calls api:8080" and not call.dashed
    rule = r.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "prod-api-from-web-ingress")
    assert g.sources[call.key] == [rule.urn]
    assert edge(g, "svc_prod_api_svc", "namespace_prod_namespace").label == "serves api:8080"
    assert not [e for e in g.edges if e.src == "svc_prod_api_svc" and e.dst == "svc_prod_web_svc"]


def test_prod_draws_the_capacity_provider_its_auto_scaling_group_and_the_service_on_it():
    g = diagram.build(rendered("prod"))
    assert edge(g, "svc_prod_worker_svc", "cp_prod_ec2_cp").label == "capacity"
    assert edge(g, "cp_prod_ec2_cp", "asg_prod_ec2_asg").label == "scales"
    assert "m7g.large, m6g.large" in g.nodes["asg_prod_ec2_asg"].label
    assert not [e for e in g.edges if e.src == "svc_prod_web_svc" and e.dst == "cp_prod_ec2_cp"]
    lt = rendered("prod").one("aws:ec2/launchTemplate:LaunchTemplate")
    assert lt.urn in g.sources["asg_prod_ec2_asg"]


def test_prod_groups_the_alarms_and_links_them_to_the_queue_they_watch_and_the_service_they_scale():
    g = diagram.build(rendered("prod"))
    alarms = next(grp for grp in g.groups if grp.id == "alarms")
    assert alarms.label == "CloudWatch alarms and dashboards"
    assert {"alarm_prod_worker_scaling_backlog", "alarm_prod_worker_scaling_backlog_low",
            "alarm_prod_worker_scaling_idle", "dashboard_prod_dashboard"} <= set(alarms.nodes)
    # the rollback alarms: a web service's watch both of its target groups, a worker's its dead-letter queue
    assert edge(g, "alarm_prod_web_5xx", "tg_prod_web_tg").label == "watches"
    assert edge(g, "alarm_prod_web_5xx", "tg_prod_web_tg_alt").label == "watches"
    assert "5xx % of requests ≥ 2" in g.nodes["alarm_prod_web_5xx"].label
    assert edge(g, "alarm_prod_worker_dlq_growing", "queue_prod_worker_dlq").label == "watches"
    # and notify the stack's alert topic, which has one email subscription
    assert edge(g, "alarm_prod_web_5xx", "topic_prod_alerts").label == "notifies"
    assert "1 email subscription" in g.nodes["topic_prod_alerts"].label
    assert edge(g, "alarm_prod_worker_scaling_backlog", "queue_prod_worker_queue").label == "watches"
    assert edge(g, "alarm_prod_worker_scaling_backlog", "svc_prod_worker_svc").label == "watches, scales"
    assert edge(g, "alarm_prod_worker_scaling_idle", "svc_prod_worker_svc").label == "scales"
    assert "Messages waiting per task ≥ 100" in g.nodes["alarm_prod_worker_scaling_backlog"].label


def test_prod_draws_its_dashboard_linked_to_every_service_target_group_and_queue_it_shows():
    g = diagram.build(rendered("prod"))
    assert g.nodes["dashboard_prod_dashboard"].label == "dashboard<br/>ecs-app-prod"
    shown = sorted(e.dst for e in g.edges if e.src == "dashboard_prod_dashboard" and e.label == "shows")
    assert [d for d in shown if not d.startswith("alarm_")] == [
        "alb_prod_alb", "queue_prod_worker_queue", "svc_prod_api_svc", "svc_prod_web_svc", "svc_prod_worker_svc",
        "tg_prod_api_tg", "tg_prod_web_tg", "tg_prod_web_tg_alt"]
    # its alarm widget lists every rollback alarm (the scaling alarms are the worker's own business)
    assert [d for d in shown if d.startswith("alarm_")] == [
        "alarm_prod_api_5xx", "alarm_prod_api_unhealthy", "alarm_prod_web_5xx", "alarm_prod_web_p99",
        "alarm_prod_web_unhealthy", "alarm_prod_worker_dlq_growing", "alarm_prod_worker_queue_age"]


def test_prod_draws_every_target_group_and_rule_the_https_listener_its_certificate_and_the_redirect():
    g = diagram.build(rendered("prod"))
    for service in ("web", "api"):
        assert edge(g, f"rule_prod_{service}_rule", f"tg_prod_{service}_tg")
        assert edge(g, f"tg_prod_{service}_tg", f"svc_prod_{service}_svc").label == "port 8080"
    assert edge(g, "listener_prod_alb_http", "listener_prod_alb_https").label == "redirect"
    # web is on canary: its alternate target group and the test rule (header) that reaches it first
    assert edge(g, "rule_prod_web_rule", "tg_prod_web_tg").label == "weight 100"
    assert edge(g, "rule_prod_web_test_rule", "tg_prod_web_tg_alt").label == "weight 100"
    assert edge(g, "tg_prod_web_tg_alt", "svc_prod_web_svc").label == "alternate, port 8080"
    assert "X-Deployment-Test" in g.nodes["rule_prod_web_test_rule"].label
    cert = edge(g, "listener_prod_alb_https", "cert_0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b")
    assert cert.label == "certificate" and "(not in this stack)" in g.nodes[cert.dst].label
    assert "auto scaling 3..12: CPU 60%, 1000 requests/target" in g.nodes["svc_prod_web_svc"].label
    assert edge(g, "internet", "alb_prod_alb").label == "HTTP/HTTPS"
    endpoints = next(sub for sub in g.groups[0].groups if sub.id == "vpc_endpoints")
    assert len(endpoints.nodes) == 4


def test_a_stack_of_only_a_scheduled_job_draws_the_job_in_the_cluster():
    g = diagram.build(rendered("scheduled-only"))
    cluster = next(grp for grp in g.groups if grp.id == "cluster")
    assert cluster.nodes == ["task_test_nightly_task"]
    assert edge(g, "schedule_test_nightly_schedule", "task_test_nightly_task").label == "cron(0 3 * * ? *) UTC"
    assert edge(g, "task_test_nightly_task", "subnet_test_private_0").label == "tasks"
    assert edge(g, "schedule_test_nightly_schedule", "queue_test_nightly_dlq").label == "failed runs"


def test_an_own_domain_draws_the_alias_the_certificate_and_its_validation_record():
    g = diagram.build(rendered("https-domain"))
    assert edge(g, "dns_test_alb_alias", "alb_test_alb").label == "alias"
    assert edge(g, "listener_test_alb_https", "cert_test_alb_cert").label == "certificate"
    assert edge(g, "cert_test_alb_cert", "dns_test_alb_cert_validation").label == "validation"
    zone = next(grp for grp in g.groups if grp.id == "zone_Z0123456789ABC")
    assert zone.label == "Route 53 zone Z0123456789ABC"
    assert sorted(zone.nodes) == ["dns_test_alb_alias", "dns_test_alb_cert_validation"]
    assert g.nodes["dns_test_alb_alias"].label == "A app.example.com"


def nat_instance_and_blue_green() -> offline.Rendered:
    """What the stack does not build yet: a NAT instance, a NAT Auto Scaling group, an alternate target group
    with a test listener rule, a dashboard."""
    stack = small_stack()
    body = {"widgets": [
        {"type": "metric", "properties": {"metrics": [["AWS/ECS", "CPUUtilization", "ServiceName", "web-svc",
                                                       "ClusterName", "main"], ["...", "other-svc", ".", "."]]}},
        {"type": "alarm", "properties": {"alarms": ["arn:alarm:cpu"]}}]}
    stack.resources += [
        res("aws:ec2/eip:Eip", "nat-instance-ip", id="eipalloc-1", instance="i-nat"),
        res("aws:ec2/instance:Instance", "nat-instance", id="i-nat", subnetId="sub-pub-0", instanceType="t4g.nano",
            sourceDestCheck=False, state={"primaryNetworkInterfaceId": "eni-nat"}),
        res("aws:ec2/routeTable:RouteTable", "private-b-rt", id="rt-priv-b"),
        res("aws:ec2/route:Route", "private-b-default", routeTableId="rt-priv-b", networkInterfaceId="eni-nat",
            destinationCidrBlock="0.0.0.0/0"),
        res("aws:ec2/routeTableAssociation:RouteTableAssociation", "b", subnetId="sub-priv-1",
            routeTableId="rt-priv-b"),
        res("aws:autoscaling/group:Group", "nat-asg", minSize=1, maxSize=1, vpcZoneIdentifiers=["sub-pub-0"]),
        res("aws:lb/targetGroup:TargetGroup", "web-tg-green", state={"arn": "arn:tg-green"}, protocol="HTTP",
            port=8080, targetType="ip"),
        res("aws:lb/listener:Listener", "test", state={"arn": "arn:listener-test"}, loadBalancerArn="arn:alb",
            protocol="HTTP", port=8080, defaultActions=[{"type": "fixed-response"}]),
        res("aws:lb/listenerRule:ListenerRule", "web-test-rule", listenerArn="arn:listener-test", priority=1,
            conditions=[{"httpHeader": {"httpHeaderName": "x-green", "values": ["1"]}}],
            actions=[{"type": "forward", "forward": {"targetGroups": [{"arn": "arn:tg-green", "weight": 100}]}}]),
        res("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", state={"arn": "arn:alarm:cpu"}, metricName="CPU",
            comparisonOperator="LessThanThreshold", threshold=5, dimensions={"ServiceName": "web-svc"}),
        res("aws:cloudwatch/dashboard:Dashboard", "ops", dashboardName="ops", dashboardBody=json.dumps(body)),
    ]
    svc = stack.one("aws:ecs/service:Service")
    svc.state["name"] = "web-svc"
    svc.inputs["loadBalancers"][0]["advancedConfiguration"] = {"alternateTargetGroupArn": "arn:tg-green"}
    return stack


def test_nat_instances_alternate_target_groups_test_rules_and_dashboards_are_drawn_when_they_exist():
    stack = nat_instance_and_blue_green()
    g = diagram.build(stack)
    assert undecided(stack, g) == []
    assert g.nodes["instance_nat_instance"].label == "NAT instance<br/>nat-instance<br/>t4g.nano"
    az_a = next(z for z in g.groups[0].groups if z.id == "az_us_east_1a")
    assert "instance_nat_instance" in az_a.nodes
    assert edge(g, "instance_nat_instance", "igw")
    assert edge(g, "subnet_private_1", "instance_nat_instance").label == "0.0.0.0/0"
    assert "asg_nat_asg" in g.groups[0].nodes  # not ECS capacity: in the VPC, not the cluster
    assert edge(g, "rule_web_test_rule", "tg_web_tg_green").label == "weight 100"
    assert edge(g, "tg_web_tg_green", "svc_web_svc").label == "alternate, port 8080"
    assert edge(g, "listener_test", "rule_web_test_rule")
    assert "header x-green 1" in g.nodes["rule_web_test_rule"].label
    alarms = next(grp for grp in g.groups if grp.id == "alarms")
    assert alarms.label == "CloudWatch alarms and dashboards"
    assert alarms.nodes == ["alarm_cpu", "dashboard_ops"]
    assert edge(g, "dashboard_ops", "svc_web_svc").label == "shows"
    assert edge(g, "dashboard_ops", "alarm_cpu").label == "shows"
    assert edge(g, "alarm_cpu", "svc_web_svc").label == "watches"
    # a bare `<` in a label is an entity for Mermaid; line breaks stay
    assert 'alarm_cpu("alarm cpu<br/>CPU #lt; 5")' in diagram.mermaid(g)
    assert 'alarm_cpu [label="alarm cpu\\nCPU < 5"' in diagram.dot(g)


def test_the_web_acl_is_drawn_outside_the_stack_filtering_requests_to_the_alb():
    g = diagram.build(rendered("routing"))
    [acl] = [n for n in g.nodes.values() if n.id.startswith("waf_")]
    assert acl.label == "AWS WAF web ACL<br/>shop-acl<br/>(not in this stack)"
    assert edge(g, acl.id, "alb_routing_alb").label == "filters requests to"


def test_the_certificate_lists_its_alternative_names_and_links_each_validation_record():
    g = diagram.build(rendered("routing"))
    [cert] = [n for n in g.nodes.values() if n.id.startswith("cert_")]
    assert cert.label == ("ACM certificate<br/>example.com<br/>+ *.example.com<br/>+ api.internal.example.com"
                          "<br/>DNS validated")
    validations = sorted(e.dst for e in g.edges if e.src == cert.id and e.label == "validation")
    assert validations == ["dns_routing_alb_cert_validation", "dns_routing_alb_cert_validation_api_internal_example_com"]


def test_each_alias_host_is_drawn_as_an_alias_to_the_alb():
    g = diagram.build(rendered("routing"))
    aliases = sorted(e.src for e in g.edges if e.dst == "alb_routing_alb" and e.label == "alias")
    assert aliases == ["dns_routing_alb_alias", "dns_routing_alb_alias_api_internal_example_com",
                       "dns_routing_alb_alias_www_example_com"]


def test_dot_draws_an_edge_to_a_group_to_its_border():
    cluster = diagram.Group("cluster", "ECS cluster<br/>default: FARGATE")
    g = diagram.Graph(groups=[cluster])
    g.add(diagram.Node("svc_a", "service a"), cluster)
    g.add(diagram.Node("alarm_x", "alarm x"))
    g.link("alarm_x", "cluster", "watches", True)
    text = diagram.dot(g)
    assert 'alarm_x -> svc_a [label="watches" lhead=cluster_cluster style=dashed];' in text
    assert 'subgraph cluster_cluster { label="ECS cluster\\ndefault: FARGATE";' in text


# --- images --------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", diagram.IMAGE_FORMATS)
def test_render_image_runs_dot_with_the_dot_text_or_returns_none_without_graphviz(tmp_path, fmt):
    calls = []
    out = tmp_path / f"x.{fmt}"
    written = diagram.render_image("digraph {}", out, fmt, which=lambda name: f"/opt/bin/{name}",
                                   run=lambda argv, **kw: calls.append((argv, kw)))
    assert written == out
    assert calls == [(["/opt/bin/dot", f"-T{fmt}", "-o", str(out)],
                      {"input": "digraph {}", "text": True, "check": True, "capture_output": True})]
    assert diagram.render_image("digraph {}", out, fmt, which=lambda name: None, run=pytest.fail) is None


def test_the_image_format_follows_the_suffix():
    assert [diagram.image_format(Path(p)) for p in ("a.svg", "a.SVG", "a.png", "diagram", "a.pdf")] == [
        "svg", "svg", "png", "png", None]
    with pytest.raises(ValueError, match="fmt: must be one of png, svg"):
        diagram.render_image("digraph {}", Path("a.pdf"), "pdf", which=pytest.fail)


def _fake_dot(directory: Path) -> None:
    """A `dot` that writes its -T flag and its stdin to the -o file, where Graphviz would write the image."""
    script = directory / "dot"
    script.write_text('#!/bin/sh\nformat="$1"\nwhile [ "$1" != "-o" ]; do shift; done\n'
                      'printf "%s\\n" "$format" > "$2"\ncat >> "$2"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.mark.integration
@pytest.mark.parametrize("fmt", diagram.IMAGE_FORMATS)
def test_diagram_command_prints_mermaid_and_writes_the_image_the_suffix_asks_for(tmp_path, monkeypatch, capsys, fmt):
    _fake_dot(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    image = tmp_path / f"dev.{fmt}"
    assert main(["diagram", "--stack", "dev", "--output", str(image)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("flowchart LR") and "-->|tasks|" in captured.out
    assert image.read_text().startswith(f"-T{fmt}\ndigraph stack {{")  # the fake dot received the DOT text
    assert f"wrote {image}" in captured.err


@pytest.mark.integration
@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")
def test_graphviz_accepts_the_dot_of_every_stack(tmp_path):
    for stack in sorted(STACKS):
        out = diagram.render_image(diagram.dot(diagram.build(rendered(stack))), tmp_path / f"{stack}.svg", "svg")
        assert out is not None and "<svg" in out.read_text()
    png = diagram.render_image(diagram.dot(diagram.build(rendered("prod"))), tmp_path / "prod.png")
    assert png is not None and png.read_bytes().startswith(b"\x89PNG")


def test_diagram_command_without_graphviz(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot here
    monkeypatch.chdir(tmp_path)
    assert main(["diagram", "--stack", "dev"]) == 0  # Mermaid only, no file, no error
    assert capsys.readouterr().out.startswith("flowchart LR") and not list(tmp_path.iterdir())
    assert main(["diagram", "--stack", "dev", "--output", "x.png"]) == 1
    assert "needs Graphviz's `dot` to write PNG" in capsys.readouterr().err
    assert main(["diagram", "--stack", "dev", "--output", "x.svg"]) == 1
    err = capsys.readouterr().err
    assert "needs Graphviz's `dot` to write SVG" in err and "apt-get install graphviz" in err
    assert main(["diagram", "--stack", "dev", "--no-png", "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith("digraph stack {")


def test_diagram_command_refuses_an_output_it_cannot_write(capsys):
    assert main(["diagram", "--stack", "dev", "--output", "x.pdf"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "--output: must end in .png or .svg (got x.pdf)" in captured.err


def test_a_firelens_service_draws_its_router_image_its_log_group_and_the_outside_destination():
    g = diagram.build(plan.render(load(FIXTURES / "Pulumi.logging.yaml", PROJECT, "logging")))
    router = "image_public_ecr_aws_aws_observability_aws_for_fluent_bit_2_31_11"
    assert edge(g, "svc_logging_web_svc", router).label == "image"
    assert edge(g, "svc_logging_web_svc", "logs__ecs_ecs_app_logging_web_log_router").label == "logs"
    output = edge(g, "svc_logging_web_svc", "logout_http_logs_example_com")
    assert output.dashed and output.label == "logs"
    assert "log output<br/>http logs.example.com" in diagram.mermaid(g)
    assert undecided(plan.render(load(FIXTURES / "Pulumi.logging.yaml", PROJECT, "logging")), g) == []


def test_schedules_and_the_predictive_policy_are_on_the_service_node():
    label = diagram.build(rendered("scaling")).nodes["svc_scaling_web_svc"].label
    assert "auto scaling 2..10: CPU 60%, predictive 1000 requests/target (forecast only)" in label
    assert "schedule weekday-morning: 4..20 at cron(0 7 ? * MON-FRI *) Europe/Berlin" in label
    assert "schedule weekday-evening: 2..10 at cron(0 19 ? * MON-FRI *) Europe/Berlin" in label


def test_a_schedule_that_sets_only_max_shows_the_other_bound_as_unset():
    action = res("aws:appautoscaling/scheduledAction:ScheduledAction", "web-scaling-schedule-night", name="night",
                 schedule="rate(1 day)", scalableTargetAction={"maxCapacity": 2})
    assert diagram._schedule(action) == "schedule night: -..2 at rate(1 day) UTC"


def test_a_schedule_limited_to_a_period_shows_it():
    action = res("aws:appautoscaling/scheduledAction:ScheduledAction", "web-scaling-schedule-xmas", name="xmas",
                 schedule="cron(0 8 * * ? *)", timezone="Europe/Berlin", scalableTargetAction={"minCapacity": 6},
                 startTime="2026-12-01T00:00:00Z", endTime="2026-12-24T17:00:00Z")
    assert diagram._schedule(action) == ("schedule xmas: 6..- at cron(0 8 * * ? *) Europe/Berlin "
                                         "from 2026-12-01T00:00:00Z until 2026-12-24T17:00:00Z")

