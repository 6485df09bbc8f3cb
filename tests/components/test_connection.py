"""Calls by name: the Cloud Map namespace, ECS Service Connect on the services, and the Connection ingress rules."""

import pytest

from components.cluster import Cluster
from components.connection import Connection, ConnectionArgs
from components.service import ConnectArgs, Service
from deploy.offline import plan
from tests.conftest import inputs_json, make_config
from tests.factories import cluster_args, service_args

INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SERVICE = "aws:ecs/service:Service"
NAMESPACE = "aws:servicediscovery/httpNamespace:HttpNamespace"
SG = "aws:ec2/securityGroup:SecurityGroup"
NAMESPACE_ARN = "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-0123456789abcdef"


# --- Connection component ------------------------------------------------------------------------------


def test_connection_adds_one_ingress_rule_on_the_called_group_from_the_caller_group(render):
    r = render(lambda: Connection("p-api-from-web", ConnectionArgs(
        caller="web", caller_security_group_id="sg-web", target_security_group_id="sg-api", port=8080)))
    [rule] = r.of_type(INGRESS)
    assert rule.inputs["securityGroupId"] == "sg-api"
    assert rule.inputs["referencedSecurityGroupId"] == "sg-web"
    assert (rule.inputs["ipProtocol"], rule.inputs["fromPort"], rule.inputs["toPort"]) == ("tcp", 8080, 8080)
    assert "cidrIpv4" not in rule.inputs and "cidrIpv6" not in rule.inputs
    assert rule.inputs["description"] == "Service Connect calls from web"
    assert rule.parent == r.one("ecsapp:service:Connection").urn
    assert len(r.resources) == 2


# --- Service Connect on a Service ----------------------------------------------------------------------


def service(connect):
    return lambda: Service("p-api", service_args(connect=connect))


def test_a_called_service_serves_its_port_under_its_name(render):
    svc = render(service(ConnectArgs(namespace_arn=NAMESPACE_ARN, port_name="api-8080", discovery_name="api",
                                     port=8080))).one(SERVICE)
    assert svc.inputs["serviceConnectConfiguration"] == {
        "enabled": True, "namespace": NAMESPACE_ARN,
        "services": [{"portName": "api-8080", "discoveryName": "api",
                      "clientAlias": [{"port": 8080, "dnsName": "api"}]}]}


def test_a_caller_only_resolves_names(render):
    svc = render(service(ConnectArgs(namespace_arn=NAMESPACE_ARN))).one(SERVICE)
    assert svc.inputs["serviceConnectConfiguration"] == {"enabled": True, "namespace": NAMESPACE_ARN}


def test_without_connect_a_service_has_no_service_connect(render):
    assert "serviceConnectConfiguration" not in render(service(None)).one(SERVICE).inputs


# --- the namespace on the Cluster ----------------------------------------------------------------------


def test_cluster_creates_an_http_namespace_and_makes_it_the_service_connect_default(render):
    r = render(lambda: Cluster("app", cluster_args(service_connect_namespace="app.ecs-app.internal")))
    namespace = r.one(NAMESPACE)
    assert namespace.inputs["name"] == "app.ecs-app.internal"
    assert namespace.parent == r.one("ecsapp:cluster:Cluster").urn
    cluster = r.one("aws:ecs/cluster:Cluster")
    assert cluster.inputs["serviceConnectDefaults"] == {"namespace": namespace.state["arn"]}


def test_cluster_without_a_namespace_has_no_service_connect_defaults(render):
    r = render(lambda: Cluster("app", cluster_args()))
    assert r.of_type(NAMESPACE) == []
    assert "serviceConnectDefaults" not in r.one("aws:ecs/cluster:Cluster").inputs


# --- in the stack -------------------------------------------------------------------------------------

IMAGE = {"uri": "public.ecr.aws/nginx/nginx-unprivileged:1.27"}


def web(port=8080, **fields):
    return {"containers": {"app": {"image": IMAGE, "ports": [port]}}, **fields}


def worker(ports=(), **fields):
    return {"kind": "worker", "containers": {"main": {"image": IMAGE, "ports": list(ports)}}, **fields}


@pytest.fixture(scope="module")
def stack():
    # web calls api (a web service on 9000) and reader (a worker on 7000); other neither calls nor is called.
    return plan.render(make_config(services={
        "web": web(calls=["api", "reader"]),
        "api": web(port=9000, loadBalancer={"paths": ["/api/*"]}),
        "reader": worker(ports=[7000, 7001]),
        "other": worker(ports=[6000]),
    }))


def sg_id(r, name):
    return r.one(SG, f"test-{name}-sg").id


def connect_of(r, name):
    return r.one(SERVICE, f"test-{name}-svc").inputs.get("serviceConnectConfiguration")


def test_one_namespace_named_after_prefix_and_project(stack):
    namespace = stack.one(NAMESPACE)
    assert namespace.inputs["name"] == "test.ecs-app.internal"
    assert stack.one("aws:ecs/cluster:Cluster").inputs["serviceConnectDefaults"] == {
        "namespace": namespace.state["arn"]}


def test_no_namespace_when_no_service_calls_another():
    r = plan.render(make_config(services={"web": web(), "other": worker(ports=[6000])}))
    assert r.of_type(NAMESPACE) == []
    assert "serviceConnectDefaults" not in r.one("aws:ecs/cluster:Cluster").inputs
    assert all("serviceConnectConfiguration" not in s.inputs for s in r.of_type(SERVICE))
    assert r.of_type("ecsapp:service:Connection") == []


def test_a_called_web_service_serves_its_load_balancer_port(stack):
    namespace = stack.one(NAMESPACE).state["arn"]
    assert connect_of(stack, "api") == {
        "enabled": True, "namespace": namespace,
        "services": [{"portName": "app-9000", "discoveryName": "api",
                      "clientAlias": [{"port": 9000, "dnsName": "api"}]}]}


def test_a_called_worker_serves_its_first_port(stack):
    [served] = connect_of(stack, "reader")["services"]
    assert (served["portName"], served["discoveryName"], served["clientAlias"]) == (
        "main-7000", "reader", [{"port": 7000, "dnsName": "reader"}])


def test_the_served_port_name_is_a_port_mapping_of_the_task(stack):
    for name in ("api", "reader"):
        [served] = connect_of(stack, name)["services"]
        task = stack.one("aws:ecs/taskDefinition:TaskDefinition", f"test-{name}-task")
        names = {m["name"] for d in inputs_json(task, "containerDefinitions") for m in d["portMappings"]}
        assert served["portName"] in names, name


def test_the_caller_gets_client_only_service_connect(stack):
    assert connect_of(stack, "web") == {"enabled": True, "namespace": stack.one(NAMESPACE).state["arn"]}


def test_a_service_that_neither_calls_nor_is_called_gets_none(stack):
    assert connect_of(stack, "other") is None


def test_one_connection_per_caller_and_called_service(stack):
    assert sorted(c.name for c in stack.of_type("ecsapp:service:Connection")) == [
        "test-api-from-web", "test-reader-from-web"]


@pytest.mark.parametrize("target,port", [("api", 9000), ("reader", 7000)])
def test_the_connection_admits_the_caller_on_the_called_port(stack, target, port):
    [rule] = [x for x in stack.of_type(INGRESS) if x.name == f"test-{target}-from-web-ingress"]
    assert rule.inputs["securityGroupId"] == sg_id(stack, target)
    assert rule.inputs["referencedSecurityGroupId"] == sg_id(stack, "web")
    assert (rule.inputs["fromPort"], rule.inputs["toPort"], rule.inputs["ipProtocol"]) == (port, port, "tcp")


def test_a_non_caller_is_not_admitted(stack):
    other = sg_id(stack, "other")
    assert [x.name for x in stack.of_type(INGRESS) if x.inputs.get("referencedSecurityGroupId") == other] == []
    reader_rules = [x for x in stack.of_type(INGRESS) if x.inputs["securityGroupId"] == sg_id(stack, "reader")]
    assert [x.inputs["referencedSecurityGroupId"] for x in reader_rules] == [sg_id(stack, "web")]


def test_the_called_web_service_admits_only_the_alb_and_its_caller(stack):
    api_rules = [x for x in stack.of_type(INGRESS) if x.inputs["securityGroupId"] == sg_id(stack, "api")]
    sources = sorted(x.inputs["referencedSecurityGroupId"] for x in api_rules)
    assert sources == sorted([sg_id(stack, "web"), stack.one(SG, "test-alb-sg").id])
    assert all("cidrIpv4" not in x.inputs for x in api_rules)


def test_a_service_that_calls_and_is_called_serves_and_resolves():
    r = plan.render(make_config(services={
        "web": web(calls=["api"]), "api": web(port=9000, loadBalancer={"paths": ["/api/*"]}, calls=["db"]),
        "db": worker(ports=[5432])}))
    api = r.one(SERVICE, "test-api-svc").inputs["serviceConnectConfiguration"]
    assert api["services"][0]["discoveryName"] == "api"
    assert sorted(c.name for c in r.of_type("ecsapp:service:Connection")) == ["test-api-from-web", "test-db-from-api"]
    rule = r.one(INGRESS, "test-db-from-api-ingress")
    assert rule.inputs["referencedSecurityGroupId"] == r.one(SG, "test-api-sg").id
    assert rule.inputs["fromPort"] == 5432


def test_calling_a_service_twice_adds_one_rule():
    r = plan.render(make_config(services={"web": web(calls=["db", "db"]), "db": worker(ports=[5432])}))
    assert [c.name for c in r.of_type("ecsapp:service:Connection")] == ["test-db-from-web"]
