"""LoadBalancer component: the ALB, its security group, listeners, and the optional DNS-validated certificate."""

import re

import pulumi
import pytest
from pulumi.runtime.sync_await import _sync_await

from components.load_balancer import LoadBalancer, LoadBalancerArgs
from deploy import limits

ALB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
CERT = "aws:acm/certificate:Certificate"
CERT_VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
RECORD = "aws:route53/record:Record"

CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
DNS_NAME = re.compile(r"p-alb-\d+\.us-east-1\.elb\.amazonaws\.com")
ALB_ARN_PREFIX = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/p-alb/"
DOMAIN = {"https": True, "domain": "app.example.com", "hosted_zone_id": "Z0123456789ABC"}


def build(**overrides):
    args = {"vpc_id": "vpc-0abc", "subnet_ids": ["subnet-public-a", "subnet-public-b"]}
    args.update(overrides)

    def program():
        lb = LoadBalancer("p", LoadBalancerArgs(**args))
        return {"url": lb.url, "listenerArn": lb.listener_arn, "securityGroupId": lb.security_group_id,
                "arnSuffix": lb.arn_suffix}

    return program


def ingress(r):
    return [(x.inputs["fromPort"], x.inputs.get("cidrIpv4") or x.inputs.get("cidrIpv6")) for x in r.of_type(INGRESS)]


# --- the ALB -----------------------------------------------------------------------------------------


def test_alb_is_an_internet_facing_application_load_balancer_named_after_the_prefix(render):
    alb = render(build()).one(ALB, "p-alb")
    assert alb.inputs["loadBalancerType"] == "application"
    assert alb.inputs["internal"] is False


def test_alb_drops_invalid_headers_and_mitigates_desync_defensively(render):
    alb = render(build()).one(ALB)
    assert alb.inputs["dropInvalidHeaderFields"] is True
    assert alb.inputs["desyncMitigationMode"] == "defensive"


@pytest.mark.parametrize("protected", [True, False])
def test_deletion_protection_follows_args(render, protected):
    assert render(build(deletion_protection=protected)).one(ALB).inputs["enableDeletionProtection"] is protected


def test_no_access_logs_without_a_bucket(render):
    assert "accessLogs" not in render(build()).one(ALB).inputs


def test_access_logs_go_to_the_given_bucket(render):
    alb = render(build(access_logs_bucket="alb-logs-123456789012", access_logs_prefix="prod")).one(ALB)
    assert alb.inputs["accessLogs"] == {"bucket": "alb-logs-123456789012", "prefix": "prod", "enabled": True}


def test_alb_is_placed_in_the_given_subnets_behind_its_own_security_group(render):
    r = render(build())
    alb = r.one(ALB)
    assert alb.inputs["subnets"] == ["subnet-public-a", "subnet-public-b"]
    [group] = alb.inputs["securityGroups"]
    assert group.startswith("p-alb-sg-")
    assert r.one(SG, "p-alb-sg").inputs["vpcId"] == "vpc-0abc"
    assert r.outputs["securityGroupId"] == group


def test_idle_timeout_follows_args(render):
    assert render(build(idle_timeout=120)).one(ALB).inputs["idleTimeout"] == 120


def test_component_exposes_the_alb_arn_suffix(render):
    assert re.fullmatch(r"app/p-alb/[0-9a-f]{16}", render(build()).outputs["arnSuffix"])


# --- security group ----------------------------------------------------------------------------------


def test_without_https_only_port_80_is_open_once_per_cidr(render):
    r = render(build(ingress_cidrs=["10.0.0.0/8", "192.168.0.0/16"]))
    assert sorted(ingress(r)) == [(80, "10.0.0.0/8"), (80, "192.168.0.0/16")]


def test_with_https_ports_80_and_443_are_open_once_per_cidr(render):
    r = render(build(ingress_cidrs=["10.0.0.0/8", "192.168.0.0/16"], https=True, certificate_arn=CERT_ARN))
    assert sorted(ingress(r)) == [(80, "10.0.0.0/8"), (80, "192.168.0.0/16"),
                                  (443, "10.0.0.0/8"), (443, "192.168.0.0/16")]


def test_ingress_rules_are_single_port_tcp_on_the_alb_group(render):
    rules = render(build(https=True, certificate_arn=CERT_ARN)).of_type(INGRESS)
    assert len(rules) == 2
    for rule in rules:
        assert rule.inputs["ipProtocol"] == "tcp"
        assert rule.inputs["fromPort"] == rule.inputs["toPort"]
        assert rule.inputs["securityGroupId"].startswith("p-alb-sg-")


def test_ipv6_cidrs_use_cidr_ipv6(render):
    r = render(build(ingress_cidrs=["0.0.0.0/0", "::/0"]))
    by_cidr = {(x.inputs.get("cidrIpv4"), x.inputs.get("cidrIpv6")) for x in r.of_type(INGRESS)}
    assert by_cidr == {("0.0.0.0/0", None), (None, "::/0")}


def test_the_component_opens_no_egress(render):
    r = render(build(https=True, certificate_arn=CERT_ARN))
    assert r.of_type(EGRESS) == []
    assert r.one(SG).inputs.get("egress", []) == []


# --- listeners ---------------------------------------------------------------------------------------


def test_without_https_the_http_listener_answers_404(render):
    r = render(build())
    [listener] = r.of_type(LISTENER)
    assert (listener.name, listener.inputs["port"], listener.inputs["protocol"]) == ("p-alb-http", 80, "HTTP")
    assert listener.inputs["loadBalancerArn"].startswith(ALB_ARN_PREFIX)
    assert listener.inputs["defaultActions"] == [{"type": "fixed-response", "fixedResponse": {
        "contentType": "text/plain", "messageBody": "Not found", "statusCode": "404"}}]


def test_without_https_services_attach_to_the_http_listener(render):
    assert render(build()).outputs["listenerArn"].endswith(":p-alb-http")


def test_with_https_the_http_listener_redirects_permanently_to_443(render):
    listener = render(build(https=True, certificate_arn=CERT_ARN)).one(LISTENER, "p-alb-http")
    assert listener.inputs["defaultActions"] == [
        {"type": "redirect", "redirect": {"port": "443", "protocol": "HTTPS", "statusCode": "HTTP_301"}}]


def test_with_a_certificate_arn_the_https_listener_uses_it_and_the_default_tls_policy(render):
    r = render(build(https=True, certificate_arn=CERT_ARN))
    listener = r.one(LISTENER, "p-alb-https")
    assert (listener.inputs["port"], listener.inputs["protocol"]) == (443, "HTTPS")
    assert listener.inputs["certificateArn"] == CERT_ARN
    assert listener.inputs["sslPolicy"] == limits.DEFAULT_TLS_POLICY
    assert listener.inputs["loadBalancerArn"].startswith(ALB_ARN_PREFIX)
    assert listener.inputs["defaultActions"][0]["fixedResponse"]["statusCode"] == "404"


def test_https_listener_uses_the_configured_tls_policy(render):
    policy = "ELBSecurityPolicy-TLS13-1-3-2021-06"
    listener = render(build(https=True, certificate_arn=CERT_ARN, tls_policy=policy)).one(LISTENER, "p-alb-https")
    assert listener.inputs["sslPolicy"] == policy


def test_with_https_services_attach_to_the_https_listener(render):
    assert render(build(https=True, certificate_arn=CERT_ARN)).outputs["listenerArn"].endswith(":p-alb-https")


def test_a_given_certificate_arn_creates_no_certificate_or_dns_records(render):
    r = render(build(https=True, certificate_arn=CERT_ARN))
    assert r.of_type(CERT) == [] and r.of_type(CERT_VALIDATION) == [] and r.of_type(RECORD) == []


# --- domain and certificate --------------------------------------------------------------------------


def test_domain_gets_a_dns_validated_certificate(render):
    cert = render(build(**DOMAIN)).one(CERT)
    assert cert.inputs["domainName"] == "app.example.com"
    assert cert.inputs["validationMethod"] == "DNS"


def test_the_validation_record_is_written_in_the_hosted_zone(render):
    record = render(build(**DOMAIN)).one(RECORD, "p-alb-cert-validation")
    assert record.inputs["zoneId"] == "Z0123456789ABC"
    assert record.inputs["type"] == "CNAME"
    assert record.inputs["name"].endswith(".app.example.com.")
    [value] = record.inputs["records"]
    assert value.endswith(".acm-validations.aws.")


def test_certificate_validation_waits_for_the_validation_record(render):
    r = render(build(**DOMAIN))
    validation = r.one(CERT_VALIDATION)
    assert validation.inputs["certificateArn"] == "arn:aws:acm:us-east-1:123456789012:p-alb-cert"
    record = r.one(RECORD, "p-alb-cert-validation")
    assert validation.inputs["validationRecordFqdns"] == [record.inputs["name"].rstrip(".")]


def test_the_domain_is_an_alias_a_record_for_the_alb(render):
    alias = render(build(**DOMAIN)).one(RECORD, "p-alb-alias")
    assert alias.inputs["zoneId"] == "Z0123456789ABC"
    assert (alias.inputs["name"], alias.inputs["type"]) == ("app.example.com", "A")
    [target] = alias.inputs["aliases"]
    assert DNS_NAME.fullmatch(target["name"])
    assert target["zoneId"] == "Z35SXDOTRQ7X7K"
    assert target["evaluateTargetHealth"] is True


def test_https_listener_uses_the_validated_certificate(render):
    seen = {}

    def capture(args):
        seen[args.name] = args
        return None

    def program():
        LoadBalancer("p", LoadBalancerArgs(vpc_id="vpc-0abc", subnet_ids=["subnet-a", "subnet-b"], **DOMAIN),
                     opts=pulumi.ResourceOptions(transformations=[capture]))

    r = render(program)
    listener = r.one(LISTENER, "p-alb-https")
    assert listener.inputs["certificateArn"] == "arn:aws:acm:us-east-1:123456789012:p-alb-cert"
    # The value is the certificate's ARN either way; only the dependency shows the listener waits for validation.
    certificate_arn = seen["p-alb-https"].props["certificate_arn"]
    assert seen["p-alb-cert-validated"].resource in _sync_await(certificate_arn.resources())


# --- url ---------------------------------------------------------------------------------------------


def test_url_is_http_on_the_alb_dns_name_without_https(render):
    url = render(build()).outputs["url"]
    assert url.startswith("http://") and DNS_NAME.fullmatch(url.removeprefix("http://"))


def test_url_is_https_on_the_alb_dns_name_with_a_certificate_but_no_domain(render):
    url = render(build(https=True, certificate_arn=CERT_ARN)).outputs["url"]
    assert url.startswith("https://") and DNS_NAME.fullmatch(url.removeprefix("https://"))


def test_url_uses_the_domain_when_set(render):
    assert render(build(**DOMAIN)).outputs["url"] == "https://app.example.com"


def test_every_child_is_parented_to_the_component(render):
    r = render(build(**DOMAIN))
    component = r.one("ecsapp:loadbalancer:LoadBalancer")
    assert len(r.children(component)) == len(r.resources) - 1
