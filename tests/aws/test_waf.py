"""Which WAFv2 web ACLs a load balancer can use."""

from deploy.aws import waf

REGIONAL = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop-acl/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def test_a_regional_acl_of_the_same_region_is_accepted():
    assert waf.web_acl_problem(REGIONAL, "eu-west-1") is None


def test_a_cloudfront_acl_is_refused_with_the_form_an_alb_needs():
    problem = waf.web_acl_problem(REGIONAL.replace("eu-west-1", "us-east-1").replace("regional", "global"),
                                  "us-east-1")
    assert problem.startswith("is a global (CloudFront) web ACL")
    assert "arn:aws:wafv2:us-east-1:<account>:regional/webacl/<name>/<id>" in problem


def test_an_acl_of_another_region_is_refused():
    assert waf.web_acl_problem(REGIONAL, "us-east-1").startswith("is a web ACL in eu-west-1; the load balancer in "
                                                                 "us-east-1 needs one created in us-east-1")


def test_a_string_that_is_not_an_acl_arn_is_left_to_the_fields_pattern():
    assert waf.web_acl_problem("arn:aws:waf::123456789012:webacl/abc", "us-east-1") is None
