"""LoadBalancer component: the ALB, its security group, listeners, and the optional DNS-validated certificate."""

import pulumi
import pytest
from pulumi.runtime.sync_await import _sync_await

from components.load_balancer import LoadBalancer
from deploy.config.problems import ConfigError
from tests.conftest import make_config
from tests.factories import load_balancer_args

ALB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
CERT = "aws:acm/certificate:Certificate"
CERT_VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
RECORD = "aws:route53/record:Record"

CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
DOMAIN = {"https": True, "domain": "app.example.com", "hosted_zone_id": "Z0123456789ABC"}

# The TLS policies Security Hub's FSBP ELB.17 accepts for HTTPS listeners (Security Hub user guide),
# written out here so the test does not trust the constant the code uses.
ELB17_POLICIES = {
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
}


def build(cfg=None, **overrides):
    def program():
        lb = LoadBalancer("p", load_balancer_args(cfg, **overrides))
        return {"url": lb.url, "listenerArn": lb.listener_arn, "securityGroupId": lb.security_group_id,
                "arnSuffix": lb.arn_suffix}

    return program


def ingress(r):
    return [(x.inputs["fromPort"], x.inputs["cidrIpv4"]) for x in r.of_type(INGRESS)]


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


@pytest.mark.parametrize("protected", [True, False])
def test_deletion_protection_follows_the_config(render, protected):
    cfg = make_config({"loadBalancer": {"deletionProtection": protected}})
    assert render(build(cfg)).one(ALB).inputs["enableDeletionProtection"] is protected


def test_config_default_no_deletion_protection_reaches_the_alb(render):
    assert render(build(make_config())).one(ALB).inputs["enableDeletionProtection"] is False


def test_config_default_no_access_logs_reaches_the_alb(render):
    assert "accessLogs" not in render(build(make_config())).one(ALB).inputs


def test_access_logs_go_to_the_given_bucket(render):
    alb = render(build(access_logs_bucket="alb-logs-123456789012", access_logs_prefix="prod")).one(ALB)
    assert alb.inputs["accessLogs"] == {"bucket": "alb-logs-123456789012", "prefix": "prod", "enabled": True}


def test_access_logs_from_the_config_reach_the_alb(render):
    cfg = make_config({"loadBalancer": {"accessLogs": {"bucket": "alb-logs-123456789012", "prefix": "prod"}}})
    alb = render(build(cfg)).one(ALB)
    assert alb.inputs["accessLogs"] == {"bucket": "alb-logs-123456789012", "prefix": "prod", "enabled": True}


def test_alb_is_placed_in_the_given_subnets_behind_its_own_security_group(render):
    r = render(build())
    alb = r.one(ALB)
    assert alb.inputs["subnets"] == ["subnet-public-a", "subnet-public-b"]
    sg = r.one(SG, "p-alb-sg")
    assert alb.inputs["securityGroups"] == [sg.id]
    assert sg.inputs["vpcId"] == "vpc-0abc"
    assert r.outputs["securityGroupId"] == sg.id


def test_idle_timeout_follows_args(render):
    assert render(build(idle_timeout=120)).one(ALB).inputs["idleTimeout"] == 120


def test_config_default_idle_timeout_of_60_s_reaches_the_alb(render):
    assert render(build(make_config())).one(ALB).inputs["idleTimeout"] == 60


def test_component_exposes_the_albs_arn_suffix(render):
    r = render(build())
    assert r.outputs["arnSuffix"] == r.one(ALB).state["arnSuffix"]


# --- security group ----------------------------------------------------------------------------------


def test_without_https_only_port_80_is_open_once_per_cidr(render):
    r = render(build(ingress_cidrs=["10.0.0.0/8", "192.168.0.0/16"]))
    assert sorted(ingress(r)) == [(80, "10.0.0.0/8"), (80, "192.168.0.0/16")]


def test_with_https_ports_80_and_443_are_open_once_per_cidr(render):
    r = render(build(ingress_cidrs=["10.0.0.0/8", "192.168.0.0/16"], https=True, certificate_arn=CERT_ARN))
    assert sorted(ingress(r)) == [(80, "10.0.0.0/8"), (80, "192.168.0.0/16"),
                                  (443, "10.0.0.0/8"), (443, "192.168.0.0/16")]


def test_config_default_ingress_from_anywhere_reaches_the_alb_group(render):
    assert ingress(render(build(make_config()))) == [(80, "0.0.0.0/0")]


def test_ingress_rules_are_single_port_tcp_on_the_alb_group(render):
    r = render(build(https=True, certificate_arn=CERT_ARN))
    rules = r.of_type(INGRESS)
    assert len(rules) == 2
    for rule in rules:
        assert rule.inputs["ipProtocol"] == "tcp"
        assert rule.inputs["fromPort"] == rule.inputs["toPort"]
        assert rule.inputs["securityGroupId"] == r.one(SG, "p-alb-sg").id


def test_ingress_rules_are_ipv4_only(render):
    rules = render(build(ingress_cidrs=["10.0.0.0/8", "192.168.0.0/16"])).of_type(INGRESS)
    assert all("cidrIpv6" not in x.inputs for x in rules)


def test_the_config_refuses_ipv6_ingress_cidrs():
    with pytest.raises(ConfigError, match="is IPv6; the load balancer is IPv4-only"):
        make_config({"loadBalancer": {"ingressCidrs": ["0.0.0.0/0", "::/0"]}})


def test_the_component_opens_no_egress(render):
    r = render(build(https=True, certificate_arn=CERT_ARN))
    assert r.of_type(EGRESS) == []
    assert r.one(SG).inputs.get("egress", []) == []


# --- listeners ---------------------------------------------------------------------------------------


def test_without_https_the_http_listener_answers_404(render):
    r = render(build())
    [listener] = r.of_type(LISTENER)
    assert (listener.name, listener.inputs["port"], listener.inputs["protocol"]) == ("p-alb-http", 80, "HTTP")
    assert listener.inputs["loadBalancerArn"] == r.one(ALB).state["arn"]
    assert listener.inputs["defaultActions"] == [{"type": "fixed-response", "fixedResponse": {
        "contentType": "text/plain", "messageBody": "Not found", "statusCode": "404"}}]


def test_without_https_services_attach_to_the_http_listener(render):
    r = render(build())
    assert r.outputs["listenerArn"] == r.one(LISTENER, "p-alb-http").state["arn"]


def test_with_https_the_http_listener_redirects_permanently_to_443(render):
    listener = render(build(https=True, certificate_arn=CERT_ARN)).one(LISTENER, "p-alb-http")
    assert listener.inputs["defaultActions"] == [
        {"type": "redirect", "redirect": {"port": "443", "protocol": "HTTPS", "statusCode": "HTTP_301"}}]


def test_with_a_certificate_arn_the_https_listener_uses_it(render):
    r = render(build(https=True, certificate_arn=CERT_ARN))
    listener = r.one(LISTENER, "p-alb-https")
    assert (listener.inputs["port"], listener.inputs["protocol"]) == (443, "HTTPS")
    assert listener.inputs["certificateArn"] == CERT_ARN
    assert listener.inputs["loadBalancerArn"] == r.one(ALB).state["arn"]
    assert listener.inputs["defaultActions"][0]["fixedResponse"]["statusCode"] == "404"


def test_a_certificate_arn_in_the_config_turns_https_on(render):
    r = render(build(make_config({"loadBalancer": {"certificateArn": CERT_ARN}})))
    assert r.one(LISTENER, "p-alb-https").inputs["certificateArn"] == CERT_ARN


def test_config_default_tls_policy_is_a_tls13_policy_elb17_accepts_and_reaches_the_listener(render):
    r = render(build(make_config({"loadBalancer": {"certificateArn": CERT_ARN}})))
    policy = r.one(LISTENER, "p-alb-https").inputs["sslPolicy"]
    assert policy == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    assert policy in ELB17_POLICIES


def test_https_listener_uses_the_tls_policy_of_the_args_unchanged(render):
    policy = "ELBSecurityPolicy-TLS13-1-3-2021-06"
    listener = render(build(https=True, certificate_arn=CERT_ARN, tls_policy=policy)).one(LISTENER, "p-alb-https")
    assert listener.inputs["sslPolicy"] == policy


def test_https_listener_uses_the_tls_policy_of_the_config(render):
    policy = "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04"
    cfg = make_config({"loadBalancer": {"certificateArn": CERT_ARN, "tlsPolicy": policy}})
    assert render(build(cfg)).one(LISTENER, "p-alb-https").inputs["sslPolicy"] == policy


def test_with_https_services_attach_to_the_https_listener(render):
    r = render(build(https=True, certificate_arn=CERT_ARN))
    assert r.outputs["listenerArn"] == r.one(LISTENER, "p-alb-https").state["arn"]


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
    assert validation.inputs["certificateArn"] == r.one(CERT).state["arn"]
    record = r.one(RECORD, "p-alb-cert-validation")
    assert validation.inputs["validationRecordFqdns"] == [record.inputs["name"].rstrip(".")]


def test_the_domain_is_an_alias_a_record_for_the_alb(render):
    r = render(build(**DOMAIN))
    alias = r.one(RECORD, "p-alb-alias")
    alb = r.one(ALB)
    assert alias.inputs["zoneId"] == "Z0123456789ABC"
    assert (alias.inputs["name"], alias.inputs["type"]) == ("app.example.com", "A")
    [target] = alias.inputs["aliases"]
    assert target["name"] == alb.state["dnsName"]
    assert target["zoneId"] == alb.state["zoneId"]
    assert target["evaluateTargetHealth"] is True


def test_https_listener_uses_the_validated_certificate(render):
    seen = {}

    def capture(args):
        seen[args.name] = args

    def program():
        LoadBalancer("p", load_balancer_args(**DOMAIN), opts=pulumi.ResourceOptions(transformations=[capture]))

    r = render(program)
    listener = r.one(LISTENER, "p-alb-https")
    assert listener.inputs["certificateArn"] == r.one(CERT).state["arn"]
    # The value is the certificate's ARN either way; only the dependency shows the listener waits for validation.
    certificate_arn = seen["p-alb-https"].props["certificate_arn"]
    assert seen["p-alb-cert-validated"].resource in _sync_await(certificate_arn.resources())


# --- url ---------------------------------------------------------------------------------------------


def test_url_is_http_on_the_alb_dns_name_without_https(render):
    r = render(build())
    assert r.outputs["url"] == "http://" + r.one(ALB).state["dnsName"]


def test_url_is_https_on_the_alb_dns_name_with_a_certificate_but_no_domain(render):
    r = render(build(https=True, certificate_arn=CERT_ARN))
    assert r.outputs["url"] == "https://" + r.one(ALB).state["dnsName"]


def test_url_uses_the_domain_when_set(render):
    assert render(build(**DOMAIN)).outputs["url"] == "https://app.example.com"


def test_every_child_is_parented_to_the_component(render):
    r = render(build(**DOMAIN))
    component = r.one("ecsapp:loadbalancer:LoadBalancer")
    assert len(r.children(component)) == len(r.resources) - 1


# --- test listeners (blue-green, linear and canary test traffic) --------------------------------------


def test_no_test_listener_without_test_ports(render):
    assert sorted(x.name for x in render(build()).of_type(LISTENER)) == ["p-alb-http"]


def test_each_test_port_gets_an_http_listener_on_the_alb_answering_404(render):
    r = render(build(test_ports=[9000, 9001]))
    for port in (9000, 9001):
        listener = r.one(LISTENER, f"p-alb-test-{port}")
        assert (listener.inputs["port"], listener.inputs["protocol"]) == (port, "HTTP")
        assert listener.inputs["loadBalancerArn"] == r.one(ALB).state["arn"]
        assert listener.inputs["defaultActions"] == [{"type": "fixed-response", "fixedResponse": {
            "contentType": "text/plain", "messageBody": "Not found", "statusCode": "404"}}]
        assert "certificateArn" not in listener.inputs and "sslPolicy" not in listener.inputs


def test_a_test_listener_uses_the_production_protocol_certificate_and_tls_policy_with_https(render):
    r = render(build(https=True, certificate_arn=CERT_ARN, test_ports=[9000]))
    production, test = r.one(LISTENER, "p-alb-https"), r.one(LISTENER, "p-alb-test-9000")
    assert test.inputs["protocol"] == "HTTPS"
    assert test.inputs["certificateArn"] == production.inputs["certificateArn"] == CERT_ARN
    assert test.inputs["sslPolicy"] == production.inputs["sslPolicy"]
    assert test.inputs["sslPolicy"] in ELB17_POLICIES


def test_a_test_listener_waits_for_the_issued_certificate_like_production(render):
    r = render(build(**DOMAIN, test_ports=[9000]))
    test = r.one(LISTENER, "p-alb-test-9000")
    assert test.inputs["certificateArn"] == r.one(CERT).state["arn"]
    assert r.one(CERT_VALIDATION).urn in test.dependencies


def test_each_test_port_is_open_to_every_ingress_cidr(render):
    r = render(build(ingress_cidrs=["10.0.0.0/8", "192.168.0.0/16"], test_ports=[9000]))
    assert sorted(x for x in ingress(r) if x[0] == 9000) == [(9000, "10.0.0.0/8"), (9000, "192.168.0.0/16")]
    assert all(x.inputs["toPort"] == x.inputs["fromPort"] for x in r.of_type(INGRESS))


def test_the_config_asks_one_test_listener_per_distinct_test_port(render):
    def web(path, deployment):
        return {"containers": {"app": {"image": {"uri": "busybox:1.36"}, "ports": [8080]}},
                "loadBalancer": {"paths": [path]}, "deployment": deployment}

    cfg = make_config(services={
        "a": web("/a/*", {"strategy": "canary", "testTraffic": {"port": 9001}}),
        "b": web("/b/*", {"strategy": "linear", "testTraffic": {"port": 9000}}),
        "c": web("/c/*", {"strategy": "blue-green", "testTraffic": {"port": 9001}}),
        "d": web("/*", {"strategy": "canary"})})  # test traffic by header, on the production listener
    r = render(build(cfg))
    assert sorted(x.name for x in r.of_type(LISTENER)) == ["p-alb-http", "p-alb-test-9000", "p-alb-test-9001"]


# --- alternative names, alias hosts, the web ACL ------------------------------------------------------

WAF = "aws:wafv2/webAclAssociation:WebAclAssociation"
WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop-acl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
NAMES = {**DOMAIN, "domain": "example.com", "alternative_names": ["*.example.com", "api.internal.example.com"]}


def test_alternative_names_are_subject_alternative_names_of_the_certificate(render):
    cert = render(build(**NAMES)).one(CERT)
    assert cert.inputs["domainName"] == "example.com"
    assert cert.inputs["subjectAlternativeNames"] == ["*.example.com", "api.internal.example.com"]


def test_without_alternative_names_the_certificate_has_none(render):
    assert "subjectAlternativeNames" not in render(build(**DOMAIN)).one(CERT).inputs


def test_a_wildcard_shares_its_apexs_validation_record_and_every_other_name_gets_one(render):
    r = render(build(**NAMES))
    records = {x.name: x.inputs["name"] for x in r.of_type(RECORD) if x.inputs["type"] == "CNAME"}
    # ACM answers *.example.com with example.com's CNAME: two records for three names.
    assert sorted(records) == ["p-alb-cert-validation", "p-alb-cert-validation-api-internal-example-com"]
    assert records["p-alb-cert-validation"].endswith(".example.com.")
    assert records["p-alb-cert-validation-api-internal-example-com"].endswith(".api.internal.example.com.")


def test_validation_waits_for_every_validation_record(render):
    r = render(build(**NAMES))
    fqdns = sorted(x.inputs["name"].rstrip(".") for x in r.of_type(RECORD) if x.inputs["type"] == "CNAME")
    assert sorted(r.one(CERT_VALIDATION).inputs["validationRecordFqdns"]) == fqdns


def test_each_alias_host_is_an_a_record_for_the_alb_in_the_zone(render):
    r = render(build(**NAMES, alias_hosts=["api.internal.example.com", "www.example.com"]))
    alb = r.one(ALB)
    aliases = {x.inputs["name"]: x for x in r.of_type(RECORD) if x.inputs["type"] == "A"}
    assert sorted(aliases) == ["api.internal.example.com", "example.com", "www.example.com"]
    for record in aliases.values():
        assert record.inputs["zoneId"] == "Z0123456789ABC"
        assert [a["name"] for a in record.inputs["aliases"]] == [alb.state["dnsName"]]
    assert not [x for x in r.of_type(RECORD) if x.inputs["type"] == "AAAA"]  # the ALB is IPv4-only


def test_the_config_gives_alias_records_to_the_hosts_the_certificate_covers(render):
    cfg = make_config({"loadBalancer": {"domain": "example.com", "hostedZoneId": "Z0123456789ABC",
                                        "alternativeNames": ["*.example.com"]}},
                      services={"web": {"containers": {"app": {"image": {"uri": "busybox:1.36"}, "ports": [8080]}},
                                        "loadBalancer": {"paths": [], "hosts": [
                                            "www.example.com", "example.com", "a.b.example.com", "shop.example.org",
                                            "*.example.com"]}}})
    r = render(build(cfg))
    # example.com has its own; a.b.example.com is not under *.example.com; example.org is not the zone's;
    # a wildcard host is a pattern, not a name.
    assert sorted(x.inputs["name"] for x in r.of_type(RECORD) if x.inputs["type"] == "A") == [
        "example.com", "www.example.com"]


def test_a_web_acl_is_associated_with_the_alb(render):
    r = render(build(web_acl_arn=WEB_ACL))
    association = r.one(WAF, "p-alb-waf")
    assert association.inputs["webAclArn"] == WEB_ACL
    assert association.inputs["resourceArn"] == r.one(ALB).state["arn"]


def test_without_a_web_acl_nothing_is_associated(render):
    assert render(build()).of_type(WAF) == []
