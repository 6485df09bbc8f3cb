"""Network component: what the VPC, subnets, NAT, routes, flow logs and endpoints send to AWS."""

import json

import pytest

from components.network import Network
from tests.conftest import inputs_json, make_config
from tests.factories import network_args

SUBNET = "aws:ec2/subnet:Subnet"
NAT = "aws:ec2/natGateway:NatGateway"
ROUTE = "aws:ec2/route:Route"


def build(cfg=None, **overrides):
    return lambda: Network("net", network_args(cfg, **overrides))


def test_vpc_has_dns_support_and_hostnames(render):
    vpc = render(build(cidr="10.20.0.0/16")).one("aws:ec2/vpc:Vpc")
    assert vpc.inputs["enableDnsSupport"] is True
    assert vpc.inputs["enableDnsHostnames"] is True
    assert vpc.inputs["cidrBlock"] == "10.20.0.0/16"


def test_config_default_cidr_and_two_azs_reach_the_vpc(render):
    r = render(build(make_config()))
    assert r.one("aws:ec2/vpc:Vpc").inputs["cidrBlock"] == "10.0.0.0/16"
    assert len(r.of_type(SUBNET)) == 4


def test_one_public_and_one_private_subnet_per_az_with_computed_cidrs(render):
    subnets = {r.name: r.inputs for r in render(build(az_count=3)).of_type(SUBNET)}
    assert subnets["net-private-2"]["cidrBlock"] == "10.0.64.0/19"
    assert subnets["net-public-2"]["cidrBlock"] == "10.0.208.0/21"
    assert subnets["net-private-0"]["availabilityZone"] == "us-east-1a"
    assert subnets["net-public-2"]["availabilityZone"] == "us-east-1c"
    assert len(subnets) == 6


def test_no_subnet_auto_assigns_public_ips(render):
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in render(build()).of_type(SUBNET))


def test_explicit_availability_zones_are_used(render):
    subnets = render(build(availability_zones=["us-east-1d", "us-east-1f"])).of_type(SUBNET)
    assert {s.inputs["availabilityZone"] for s in subnets} == {"us-east-1d", "us-east-1f"}


def test_config_default_single_nat_reaches_the_network(render):
    r = render(build(make_config()))
    assert [x.name for x in r.of_type(NAT)] == ["net-nat-0"]
    nat = r.one(NAT).id
    assert [x.inputs["natGatewayId"] for x in r.of_type(ROUTE) if x.name.startswith("net-private")] == [nat, nat]


@pytest.mark.parametrize("mode,nats,default_routes", [("none", 0, 0), ("single", 1, 3), ("per-az", 3, 3)])
def test_nat_modes(render, mode, nats, default_routes):
    r = render(build(nat=mode, az_count=3))
    assert len(r.of_type(NAT)) == nats
    assert len(r.of_type("aws:ec2/eip:Eip")) == nats
    private_defaults = [x for x in r.of_type(ROUTE) if x.name.startswith("net-private")]
    assert len(private_defaults) == default_routes
    assert all("natGatewayId" in x.inputs for x in private_defaults)


def test_per_az_routes_use_the_nat_of_their_own_az(render):
    r = render(build(nat="per-az", az_count=2))
    nat_ids = {x.name: x for x in r.of_type(NAT)}
    route0 = r.one(ROUTE, "net-private-0-default")
    route1 = r.one(ROUTE, "net-private-1-default")
    assert route0.inputs["natGatewayId"] == nat_ids["net-nat-0"].id
    assert route1.inputs["natGatewayId"] == nat_ids["net-nat-1"].id
    assert nat_ids["net-nat-0"].inputs["subnetId"] == r.one(SUBNET, "net-public-0").id
    assert nat_ids["net-nat-1"].inputs["subnetId"] == r.one(SUBNET, "net-public-1").id


def test_public_route_goes_to_the_internet_gateway(render):
    r = render(build())
    route = r.one(ROUTE, "net-public-default")
    assert route.inputs["destinationCidrBlock"] == "0.0.0.0/0"
    assert route.inputs["gatewayId"] == r.one("aws:ec2/internetGateway:InternetGateway").id


def test_default_security_group_is_stripped_of_all_rules(render):
    sg = render(build()).one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert sg.inputs.get("ingress", []) == [] and sg.inputs.get("egress", []) == []


def test_flow_logs_go_to_a_retained_log_group_through_a_scoped_role(render):
    r = render(build(flow_log_group_name="/vpc/x/flow-logs", flow_log_retention_days=14,
                     flow_log_traffic_type="REJECT"))
    group = r.one("aws:cloudwatch/logGroup:LogGroup")
    assert group.inputs["name"] == "/vpc/x/flow-logs" and group.inputs["retentionInDays"] == 14
    flow = r.one("aws:ec2/flowLog:FlowLog")
    assert flow.inputs["logDestinationType"] == "cloud-watch-logs"
    assert flow.inputs["trafficType"] == "REJECT"
    assert flow.inputs["logDestination"] == group.state["arn"]
    assert flow.inputs["iamRoleArn"] == r.one("aws:iam/role:Role").state["arn"]
    policy = inputs_json(r.one("aws:iam/rolePolicy:RolePolicy"), "policy")
    assert policy["Statement"][0]["Resource"] == [group.state["arn"], group.state["arn"] + ":*"]
    trust = inputs_json(r.one("aws:iam/role:Role"), "assumeRolePolicy")
    assert trust["Statement"][0]["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}


def test_config_default_flow_logs_of_all_traffic_kept_30_days_reach_the_vpc(render):
    r = render(build(make_config()))
    group = r.one("aws:cloudwatch/logGroup:LogGroup")
    assert group.inputs["name"] == "/vpc/ecs-app/test/flow-logs"
    assert group.inputs["retentionInDays"] == 30
    assert r.one("aws:ec2/flowLog:FlowLog").inputs["trafficType"] == "ALL"


def test_flow_logs_can_be_turned_off(render):
    assert render(build(flow_logs=False)).of_type("aws:ec2/flowLog:FlowLog") == []


def test_flow_logs_can_be_turned_off_in_the_config(render):
    r = render(build(make_config({"network": {"flowLogs": {"enabled": False}}})))
    assert r.of_type("aws:ec2/flowLog:FlowLog") == [] and r.of_type("aws:cloudwatch/logGroup:LogGroup") == []


def test_config_default_no_endpoints_reach_the_network(render):
    assert render(build(make_config())).of_type("aws:ec2/vpcEndpoint:VpcEndpoint") == []


def test_endpoints(render):
    r = render(build(s3_endpoint=True, interface_endpoints=["ecr.dkr", "ecr.api", "logs"]))
    endpoints = {e.inputs["serviceName"]: e.inputs for e in r.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    assert sorted(endpoints) == ["com.amazonaws.us-east-1.ecr.api", "com.amazonaws.us-east-1.ecr.dkr",
                                 "com.amazonaws.us-east-1.logs", "com.amazonaws.us-east-1.s3"]
    assert endpoints["com.amazonaws.us-east-1.s3"]["vpcEndpointType"] == "Gateway"
    private_tables = [r.one("aws:ec2/routeTable:RouteTable", f"net-private-{i}-rt").id for i in range(2)]
    assert endpoints["com.amazonaws.us-east-1.s3"]["routeTableIds"] == private_tables
    ecr = endpoints["com.amazonaws.us-east-1.ecr.dkr"]
    assert ecr["vpcEndpointType"] == "Interface" and ecr["privateDnsEnabled"] is True
    assert ecr["subnetIds"] == [r.one(SUBNET, f"net-private-{i}").id for i in range(2)]
    rule = r.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert (rule.inputs["fromPort"], rule.inputs["toPort"], rule.inputs["cidrIpv4"]) == (443, 443, "10.0.0.0/16")


def test_existing_network_creates_nothing_and_passes_ids_through(render):
    cfg = make_config({"network": {"existing": {"vpcId": "vpc-0abc", "publicSubnetIds": ["subnet-1", "subnet-2"],
                                                "privateSubnetIds": ["subnet-3", "subnet-4"]}}})
    holder = {}

    def program():
        holder["net"] = Network("net", network_args(cfg))
        return {"private": holder["net"].private_subnet_ids, "vpc": holder["net"].vpc_id}

    r = render(program)
    assert [x.type for x in r.resources] == ["ecsapp:network:Network"]
    assert r.outputs == {"private": ["subnet-3", "subnet-4"], "vpc": "vpc-0abc"}


EXISTING = {"vpcId": "vpc-0abc", "publicSubnetIds": ["subnet-1", "subnet-2"], "privateSubnetIds": ["subnet-3", "subnet-4"]}


def test_existing_network_gets_the_s3_endpoint_on_its_private_route_tables(render):
    cfg = make_config({"network": {"existing": {**EXISTING, "privateRouteTableIds": ["rtb-0a", "rtb-0b"]},
                                   "endpoints": {"s3": True}}})
    r = render(lambda: Network("net", network_args(cfg)))
    s3 = r.one("aws:ec2/vpcEndpoint:VpcEndpoint")
    assert (s3.inputs["vpcId"], s3.inputs["vpcEndpointType"], s3.inputs["routeTableIds"]) == (
        "vpc-0abc", "Gateway", ["rtb-0a", "rtb-0b"])
    assert s3.inputs["serviceName"] == "com.amazonaws.us-east-1.s3"
    assert r.of_type("aws:ec2/vpc:Vpc") == [] and r.of_type(SUBNET) == []


def test_existing_network_gets_interface_endpoints_in_its_private_subnets(render):
    cfg = make_config({"network": {"existing": EXISTING, "endpoints": {"interface": ["logs", "ecr.api"]}}})
    r = render(lambda: Network("net", network_args(cfg)))
    endpoints = {e.inputs["serviceName"]: e.inputs for e in r.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    assert sorted(endpoints) == ["com.amazonaws.us-east-1.ecr.api", "com.amazonaws.us-east-1.logs"]
    sg = r.one("aws:ec2/securityGroup:SecurityGroup", "net-endpoints-sg")
    for endpoint in endpoints.values():
        assert endpoint["subnetIds"] == ["subnet-3", "subnet-4"]
        assert endpoint["securityGroupIds"] == [sg.id] and endpoint["privateDnsEnabled"] is True
    assert sg.inputs["vpcId"] == "vpc-0abc"


def test_existing_network_endpoints_admit_https_from_the_vpc_and_each_private_subnet(render):
    # The offline engine answers getVpc with 10.0.0.0/16 and getSubnet with one /24 per subnet ID.
    cfg = make_config({"network": {"existing": EXISTING, "endpoints": {"interface": ["logs"]}}})
    r = render(lambda: Network("net", network_args(cfg)))
    rules = r.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert {(x.inputs["fromPort"], x.inputs["toPort"], x.inputs["ipProtocol"]) for x in rules} == {(443, 443, "tcp")}
    looked_up = [args["id"] for token, args in r.invokes if token == "aws:ec2/getSubnet:getSubnet"]
    assert looked_up == ["subnet-3", "subnet-4"]
    cidrs = [x.inputs["cidrIpv4"] for x in rules]
    assert cidrs[0] == "10.0.0.0/16" and len(cidrs) == 3
    assert all(c.endswith("/24") for c in cidrs[1:])


def test_existing_network_without_endpoints_looks_nothing_up_but_the_vpc(render):
    r = render(lambda: Network("net", network_args(make_config({"network": {"existing": EXISTING}}))))
    assert [token for token, _ in r.invokes] == ["aws:ec2/getVpc:getVpc"]


def test_every_child_is_parented_to_the_component(render):
    r = render(build(nat="per-az", s3_endpoint=True, interface_endpoints=["logs"]))
    component = r.one("ecsapp:network:Network")
    assert len(r.children(component)) == len(r.resources) - 1


def test_zones_are_looked_up_without_local_or_wavelength_zones(render):
    r = render(lambda: Network("net", network_args()))
    [(_token, lookup)] = [i for i in r.invokes if i[0].endswith("getAvailabilityZones")]
    assert lookup["state"] == "available"
    assert {f["name"]: f["values"] for f in lookup["filters"]} == {
        "opt-in-status": ["opt-in-not-required"], "zone-type": ["availability-zone"]}


def test_the_flow_log_role_has_what_the_vpc_user_guide_lists(render):
    r = render(lambda: Network("net", network_args()))
    policy = json.loads(r.one("aws:iam/rolePolicy:RolePolicy", "net-flow-logs-write").inputs["policy"])
    actions = {a for s in policy["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert actions == {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups",
                       "logs:DescribeLogStreams"}
    [wide] = [s for s in policy["Statement"] if s["Resource"] == "*"]
    assert wide["Action"] == "logs:DescribeLogGroups"  # the one action that takes no group ARN
