"""The offline engine: recording, parents, lookups and isolation between runs."""

import pulumi
import pulumi_aws as aws

from deploy.offline import engine as offline


def test_records_parent_urns_and_top_level_has_none(render):
    class Box(pulumi.ComponentResource):
        def __init__(self, name):
            super().__init__("ecsapp:test:Box", name, None, None)
            self.bucket = aws.s3.Bucket(f"{name}-bucket", opts=pulumi.ResourceOptions(parent=self))
            self.register_outputs({})

    r = render(lambda: Box("b"))
    box = r.one("ecsapp:test:Box")
    bucket = r.one("aws:s3/bucket:Bucket")
    assert box.parent is None and box.custom is False
    assert bucket.parent == box.urn and bucket.custom is True
    assert bucket.urn.endswith("ecsapp:test:Box$aws:s3/bucket:Bucket::b-bucket")


def test_lookups_answer_for_the_configured_region(render):
    def program():
        zones = aws.get_availability_zones_output()
        who = aws.get_caller_identity_output()
        return {"zones": zones.names, "account": who.account_id}

    out = render(program, region="ap-northeast-2").outputs
    assert out["zones"][:2] == ["ap-northeast-2a", "ap-northeast-2b"]
    assert out["account"] == offline.ACCOUNT


def test_secret_outputs_are_masked(render):
    out = render(lambda: {"password": pulumi.Output.secret("hunter2"), "plain": "x"}).outputs
    assert out == {"password": "[secret]", "plain": "x"}


def test_each_render_starts_empty(render):
    render(lambda: aws.s3.Bucket("first"))
    second = render(lambda: aws.s3.Bucket("second"))
    assert [r.name for r in second.resources] == ["second"]


def test_integral_numbers_stay_integers(render):
    r = render(lambda: aws.ec2.SecurityGroup("sg", ingress=[{"protocol": "tcp", "from_port": 443,
                                                               "to_port": 443, "cidr_blocks": ["10.0.0.0/8"]}]))
    rule = r.one("aws:ec2/securityGroup:SecurityGroup").inputs["ingress"][0]
    assert rule["fromPort"] == 443 and isinstance(rule["fromPort"], int)


def test_a_certificate_gets_a_validation_option_per_name_and_a_wildcard_shares_its_apexs_record(render):
    def program():
        cert = aws.acm.Certificate("c", domain_name="example.com", validation_method="DNS",
                                   subject_alternative_names=["*.example.com", "www.example.org"])
        return {"options": cert.domain_validation_options}

    options = render(program).outputs["options"]
    assert [o["domain_name"] for o in options] == ["example.com", "*.example.com", "www.example.org"]
    apex, wildcard, other = options
    assert wildcard["resource_record_name"] == apex["resource_record_name"]  # as ACM answers
    assert wildcard["resource_record_value"] == apex["resource_record_value"]
    assert other["resource_record_name"].endswith(".www.example.org.")
    assert other["resource_record_name"] != apex["resource_record_name"]
