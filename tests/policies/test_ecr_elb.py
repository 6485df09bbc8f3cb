"""ECR and load balancer controls: passing and violating resources, props as the engine sends them."""

from __future__ import annotations

import pytest

from policies.controls import BY_ID
from policies.controls.elb import RECOMMENDED_TLS_POLICIES
from tests.policies.test_support import Case, assert_case, res, run

REPO = "aws:ecr/repository:Repository"
LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
LB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
RULE = "aws:lb/listenerRule:ListenerRule"
SUBNET = "aws:ec2/subnet:Subnet"
ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/prod-alb/1"
HTTP_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/prod-alb/1/http"


def repo(name: str = "web-repo", **props) -> object:
    body = {"imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": {"scanOnPush": True},
            "encryptionConfigurations": [{"encryptionType": "AES256"}], **props}
    return res(REPO, {k: v for k, v in body.items() if v is not None}, name=name, outputs={"name": name})


def lifecycle(repository: str) -> object:
    return res(LIFECYCLE, {"repository": repository, "policy": "{\"rules\": []}"}, name=f"{repository}-lifecycle")


def alb(name: str = "prod-alb", **props) -> object:
    body = {"loadBalancerType": "application", "internal": False, "dropInvalidHeaderFields": True,
            "desyncMitigationMode": "defensive", "enableDeletionProtection": True,
            "subnets": ["public-0-id", "public-1-id"], "securityGroups": ["alb-sg-id"], **props}
    return res(LB, {k: v for k, v in body.items() if v is not None}, name=name)


def listener(protocol: str, name: str, **props) -> object:
    body = {"loadBalancerArn": ALB_ARN, "protocol": protocol, "port": 80 if protocol == "HTTP" else 443, **props}
    return res(LISTENER, body, name=name, outputs={"arn": f"arn:listener/{name}"})


def waf(resource_arn: str) -> object:
    return res("aws:wafv2/webAclAssociation:WebAclAssociation", {
        "resourceArn": resource_arn,
        "webAclArn": "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop/0f1e2d3c"}, name="prod-alb-waf")


REDIRECT = [{"type": "redirect", "redirect": {"port": "443", "protocol": "HTTPS", "statusCode": "HTTP_301"}}]
NOT_FOUND = [{"type": "fixed-response", "fixedResponse": {"statusCode": "404", "contentType": "text/plain"}}]


def subnet(name: str, az: str) -> object:
    return res(SUBNET, {"availabilityZone": az, "cidrBlock": "10.0.0.0/24", "mapPublicIpOnLaunch": False},
               name=name, id=f"{name}-id")


TWO_AZS = (subnet("public-0", "us-east-1a"), subnet("public-1", "us-east-1b"))

CASES = [
    Case("ECR.1", "scan on push", (repo(),), "pass"),
    Case("ECR.1", "no scanning", (repo(imageScanningConfiguration={"scanOnPush": False}),), "fail", "scanOnPush"),
    Case("ECR.2", "immutable tags", (repo(),), "pass"),
    Case("ECR.2", "mutable tags", (repo(imageTagMutability="MUTABLE"),), "fail", "imageTagMutability is MUTABLE"),
    Case("ECR.2", "provider default", (repo(imageTagMutability=None),), "fail", "MUTABLE (the default)"),
    Case("ECR.3", "repository with its lifecycle policy", (repo(), lifecycle("web-repo")), "pass"),
    Case("ECR.3", "repository without one", (repo(), lifecycle("other-repo")), "fail", "no lifecycle policy"),
    Case("ELB.1", "HTTP redirects to HTTPS", (listener("HTTP", "http", defaultActions=REDIRECT),
                                             listener("HTTPS", "https", defaultActions=NOT_FOUND)), "pass"),
    Case("ELB.1", "plain HTTP listener", (listener("HTTP", "http", defaultActions=NOT_FOUND),), "fail",
         "does not redirect to HTTPS"),
    Case("ELB.1", "a rule serving HTTP behind a redirecting default",
         (listener("HTTP", "http", defaultActions=REDIRECT),
          res(RULE, {"listenerArn": "arn:listener/http", "priority": 10,
                     "actions": [{"type": "forward", "targetGroupArn": "arn:tg"}]}, name="web-rule")),
         "fail", "listener rules web-rule serve plain HTTP"),
    Case("ELB.4", "drops invalid headers", (alb(),), "pass"),
    Case("ELB.4", "keeps invalid headers", (alb(dropInvalidHeaderFields=False),), "fail", "dropInvalidHeaderFields"),
    Case("ELB.4", "network load balancer", (alb(loadBalancerType="network"),), "not_applicable"),
    Case("ELB.5", "access logs to S3", (alb(accessLogs={"bucket": "logs", "prefix": "alb", "enabled": True}),),
         "pass"),
    Case("ELB.5", "no access logs", (alb(),), "fail", "access logs are not enabled"),
    Case("ELB.6", "deletion protection", (alb(),), "pass"),
    Case("ELB.6", "no deletion protection", (alb(enableDeletionProtection=False),), "fail",
         "enableDeletionProtection"),
    Case("ELB.12", "defensive", (alb(),), "pass"),
    Case("ELB.12", "AWS default (defensive)", (alb(desyncMitigationMode=None),), "pass"),
    Case("ELB.12", "monitor only", (alb(desyncMitigationMode="monitor"),), "fail", "desyncMitigationMode is monitor"),
    Case("ELB.13", "two AZs", (alb(),) + TWO_AZS, "pass"),
    Case("ELB.13", "two subnets in one AZ", (alb(), subnet("public-0", "us-east-1a"),
                                             subnet("public-1", "us-east-1a")), "fail", "spans 1 Availability Zone"),
    Case("ELB.13", "one subnet from outside the stack", (alb(subnets=["subnet-0abc"]),), "fail", "single subnet"),
    Case("ELB.13", "subnets from outside the stack", (alb(subnets=["subnet-0abc", "subnet-0def"]),),
         "not_applicable"),
    Case("ELB.16", "a web ACL on the ALB", (alb(), waf("prod-alb-id")), "pass"),
    Case("ELB.16", "no web ACL", (alb(),), "fail", "no AWS WAF web ACL is associated"),
    Case("ELB.16", "a web ACL on another load balancer", (alb(), waf("other-alb-id")), "fail",
         "no AWS WAF web ACL is associated"),
    Case("ELB.16", "an internal ALB needs none", (alb(internal=True),), "pass"),
    Case("ELB.17", "restricted TLS 1.3 policy", (listener("HTTPS", "https", defaultActions=NOT_FOUND,
                                                          sslPolicy="ELBSecurityPolicy-TLS13-1-2-Res-2021-06"),),
         "pass"),
    Case("ELB.17", "TLS13-1-2-2021-06 is not on ELB.17's list",
         (listener("HTTPS", "https", sslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06"),), "fail",
         "sslPolicy is ELBSecurityPolicy-TLS13-1-2-2021-06"),
    Case("ELB.17", "no policy: AWS's 2016-08 default", (listener("HTTPS", "https"),), "fail",
         "ELBSecurityPolicy-2016-08"),
    Case("ELB.17", "plain HTTP listener", (listener("HTTP", "http", defaultActions=REDIRECT),), "not_applicable"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.control}: {c.label}")
def test_case(case):
    assert_case(case)


def test_elb6_is_advisory_unless_the_stack_is_marked_production():
    unprotected = alb(enableDeletionProtection=False)
    assert run("ELB.6", unprotected).blocking is False
    production = run("ELB.6", unprotected, config={"elb-6": {"enforcementLevel": "mandatory"}})
    assert production.enforcement == "mandatory" and production.blocking is True


def test_an_exception_waives_exactly_the_named_resource_with_its_reason():
    result = run("ELB.5", alb(name="dev-alb"), alb(name="dev-alb-2"), config={
        "elb-5": {"exceptions": [{"resource": "dev-alb", "reason": "no log bucket in dev"}]}})
    assert [(f.resource.name, f.waiver.reason) for f in result.waived] == [("dev-alb", "no log bucket in dev")]
    assert [f.resource.name for f in result.violations] == ["dev-alb-2"]
    assert result.status == "fail"


def test_the_stacks_tls_policies_pass_elb17():
    """Every TLS policy the stack config accepts, and its default, satisfy ELB.17."""
    from deploy.aws import limits

    offered = set(limits.TLS_POLICIES) | {limits.DEFAULT_TLS_POLICY}
    assert offered - RECOMMENDED_TLS_POLICIES == set()


def test_listener_rules_of_the_https_listener_do_not_count_against_elb1():
    result = run("ELB.1", listener("HTTP", "http", defaultActions=REDIRECT),
                 listener("HTTPS", "https", defaultActions=NOT_FOUND),
                 res(RULE, {"listenerArn": "arn:listener/https", "actions": [{"type": "forward"}]}, name="rule"))
    assert result.status == "pass" and result.checked == 2
    assert BY_ID["ELB.1"].stack_level
