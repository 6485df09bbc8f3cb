"""`nat: instance` and `nat: regional`: what the NAT instance and the regional NAT gateway send to AWS."""

import base64

import pytest

from components.nat_instance import AMI_PARAMETERS, NatInstance, NatInstanceArgs, user_data
from components.network import Network
from deploy.aws import acceptance
from deploy.config.resolve import resolve
from deploy.offline import acceptance as offline_acceptance
from deploy.offline import plan
from deploy.stack import args
from tests.conftest import make_config

ROUTE = "aws:ec2/route:Route"
ENI = "aws:ec2/networkInterface:NetworkInterface"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
ASG = "aws:autoscaling/group:Group"
NAT = "aws:ec2/natGateway:NatGateway"


def network(nat, **nat_instance):
    cfg = make_config({"network": {"nat": nat, "azCount": 3,
                                   **({"natInstance": nat_instance} if nat_instance else {})}})
    return lambda: Network("net", args.network(resolve(cfg)))


def test_one_nat_instance_behind_a_fixed_interface_that_every_private_route_targets(render):
    r = render(network("instance"))
    eni = r.one(ENI)
    assert eni.inputs["sourceDestCheck"] is False and eni.inputs["subnetId"] == r.one("aws:ec2/subnet:Subnet", "net-public-0").id
    defaults = [x for x in r.of_type(ROUTE) if x.name.startswith("net-private")]
    assert [x.inputs["networkInterfaceId"] for x in defaults] == [eni.id] * 3
    assert all("natGatewayId" not in x.inputs for x in defaults) and not r.of_type(NAT)
    eip = r.one("aws:ec2/eip:Eip")
    assert eip.inputs["networkInterface"] == eni.id and eip.inputs["domain"] == "vpc"


def test_the_launch_template_attaches_the_interface_with_imdsv2_an_encrypted_disk_and_no_public_ip_or_key(render):
    r = render(network("instance"))
    lt = r.one(LT).inputs
    assert lt["instanceType"] == "t4g.nano"
    assert lt["networkInterfaces"] == [{"deviceIndex": 0, "networkInterfaceId": r.one(ENI).id,
                                        "deleteOnTermination": "false"}]
    assert lt["metadataOptions"]["httpTokens"] == "required" and lt["metadataOptions"]["httpPutResponseHopLimit"] == 1
    ebs = lt["blockDeviceMappings"][0]["ebs"]
    assert (ebs["encrypted"], ebs["volumeType"], ebs["volumeSize"]) == ("true", "gp3", 8)
    assert "keyName" not in lt and "iamInstanceProfile" not in lt
    script = base64.b64decode(lt["userData"]).decode()
    assert "MASQUERADE" in script and "net.ipv4.ip_forward=1" in script
    group = r.one(ASG).inputs
    assert (group["minSize"], group["maxSize"], group["desiredCapacity"]) == (1, 1, 1)
    assert group["vpcZoneIdentifiers"] == [r.one("aws:ec2/subnet:Subnet", "net-public-0").id]
    assert group["launchTemplate"] == {"id": r.one(LT).id, "version": "$Latest"}


def test_the_security_group_admits_only_the_vpc(render):
    r = render(network("instance"))
    ingress = [x for x in r.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
               if x.name.startswith("net-nat-0")]
    assert [x.inputs["cidrIpv4"] for x in ingress] == ["10.0.0.0/16"]


def test_per_az_gives_each_az_its_own_instance_and_route(render):
    r = render(network("instance", perAz=True))
    enis = sorted(r.of_type(ENI), key=lambda x: x.name)
    assert [x.name for x in enis] == ["net-nat-0-eni", "net-nat-1-eni", "net-nat-2-eni"]
    routes = {x.name: x.inputs["networkInterfaceId"] for x in r.of_type(ROUTE) if x.name.startswith("net-private")}
    assert routes == {f"net-private-{i}-default": enis[i].id for i in range(3)}


@pytest.mark.parametrize("kind,arch", [("t4g.nano", "arm64"), ("t3.micro", "x86_64")])
def test_the_ami_is_the_current_amazon_linux_2023_of_the_type_architecture(kind, arch):
    cfg = make_config({"network": {"nat": "instance", "natInstance": {"type": kind}}})
    assert args.network(resolve(cfg)).nat_instance.architecture == arch
    assert AMI_PARAMETERS[arch].endswith(f"al2023-ami-kernel-default-{arch}")


def test_an_unknown_architecture_is_refused_before_anything_is_registered():
    with pytest.raises(ValueError, match="architecture: one of x86_64, arm64"):
        NatInstance("n", NatInstanceArgs(vpc_id="v", vpc_cidr="10.0.0.0/16", subnet_id="s", instance_type="t4g.nano",
                                         architecture="sparc"))


def test_user_data_masquerades_only_the_vpc_and_persists_its_rules():
    script = user_data("10.9.0.0/16")
    assert '-s 10.9.0.0/16 -j MASQUERADE' in script and script.rstrip().endswith("service iptables save")


def test_regional_nat_is_one_gateway_for_the_vpc_with_no_subnet_or_address(render):
    r = render(network("regional"))
    nat = r.one(NAT).inputs
    assert nat["availabilityMode"] == "regional" and nat["connectivityType"] == "public"
    assert "subnetId" not in nat and "allocationId" not in nat and nat["vpcId"] == r.one("aws:ec2/vpc:Vpc").id
    assert not r.of_type("aws:ec2/eip:Eip")
    defaults = [x for x in r.of_type(ROUTE) if x.name.startswith("net-private")]
    assert [x.inputs["natGatewayId"] for x in defaults] == [r.one(NAT).id] * 3


@pytest.mark.parametrize("network_config", [{"nat": "instance"}, {"nat": "instance", "natInstance": {"perAz": True}},
                                            {"nat": "regional"}], ids=["instance", "instance-per-az", "regional"])
def test_aws_accepts_what_the_nat_choices_render(network_config):
    rendered = plan.render(make_config({"network": network_config}))  # render() runs the acceptance check too
    assert offline_acceptance.findings(rendered, "us-east-1") == []
    checked = {p.type for p in offline_acceptance.payloads(rendered)}
    assert checked >= ({LT, ASG, ENI, ROUTE} if network_config["nat"] == "instance" else {NAT, ROUTE})


def test_aws_refuses_a_nat_instance_type_its_api_does_not_know():
    payload = acceptance.Payload(LT, "lt", {"instanceType": "t4g.huge"})
    assert any("InstanceType" in str(f) for f in acceptance.check([payload], "us-east-1"))
