"""Registry component: the ECR repository, its lifecycle policy and the optional image build."""

import json

import pytest

from components.registry import Registry, lifecycle_policy
from tests.conftest import inputs_json, make_config
from tests.factories import image_build, registry_args

REPO = "aws:ecr/repository:Repository"
LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
IMAGE = "awsx:ecr:Image"
KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def build(cfg=None, **overrides):
    def program():
        registry = Registry("web", registry_args(cfg, **overrides))
        return {"imageUri": registry.image_uri, "repositoryUrl": registry.repository_url}

    return program


def with_build(platform="linux/amd64", **build_fields):
    return build(build=image_build(platform=platform, **build_fields), tag=None)


def tagged_config(registry=None):
    """A web service running tag v1 from its own repository, with these `registry` settings."""
    return make_config({"registry": registry or {}}, services={"web": {
        "containers": {"app": {"image": {"tag": "v1"}, "ports": [8080]}}}})


def rules_by_status(policy: dict) -> dict:
    return {rule["selection"]["tagStatus"]: rule for rule in policy["rules"]}


def test_repository_tags_are_immutable_and_images_scanned_on_push(render):
    repo = render(build()).one(REPO)
    assert repo.inputs["imageTagMutability"] == "IMMUTABLE"
    assert repo.inputs["imageScanningConfiguration"] == {"scanOnPush": True}


def test_config_default_aes256_encryption_reaches_the_repository(render):
    repo = render(build(tagged_config())).one(REPO)
    assert repo.inputs["encryptionConfigurations"] == [{"encryptionType": "AES256"}]


def test_kms_encryption_uses_the_configured_key(render):
    repo = render(build(encryption="KMS", kms_key_arn=KMS_KEY)).one(REPO)
    assert repo.inputs["encryptionConfigurations"] == [{"encryptionType": "KMS", "kmsKey": KMS_KEY}]


def test_kms_encryption_from_the_config_reaches_the_repository(render):
    repo = render(build(tagged_config({"encryption": "KMS", "kmsKeyArn": KMS_KEY}))).one(REPO)
    assert repo.inputs["encryptionConfigurations"] == [{"encryptionType": "KMS", "kmsKey": KMS_KEY}]


def test_kms_encryption_without_a_key_uses_the_aws_managed_key(render):
    repo = render(build(encryption="KMS", kms_key_arn=None)).one(REPO)
    assert repo.inputs["encryptionConfigurations"] == [{"encryptionType": "KMS"}]


@pytest.mark.parametrize("force", [True, False])
def test_force_delete_follows_args(render, force):
    assert render(build(force_delete=force)).one(REPO).inputs["forceDelete"] is force


def test_config_default_refuses_to_delete_a_repository_holding_images(render):
    assert render(build(tagged_config())).one(REPO).inputs["forceDelete"] is False


def test_lifecycle_policy_is_attached_to_the_repository(render):
    r = render(build())
    assert r.one(LIFECYCLE).inputs["repository"] == r.one(REPO).state["name"]


def test_config_default_lifecycle_expires_untagged_after_7_days_and_keeps_30_images(render):
    policy = inputs_json(render(build(tagged_config())).one(LIFECYCLE), "policy")
    by_status = rules_by_status(policy)
    assert by_status["untagged"]["selection"]["countNumber"] == 7
    assert by_status["any"]["selection"]["countNumber"] == 30


def test_lifecycle_settings_of_the_config_reach_the_policy(render):
    policy = inputs_json(render(build(tagged_config({"untaggedExpiryDays": 2, "keepTagged": 9}))).one(LIFECYCLE),
                         "policy")
    by_status = rules_by_status(policy)
    assert by_status["untagged"]["selection"]["countNumber"] == 2
    assert by_status["any"]["selection"]["countNumber"] == 9


def test_lifecycle_policy_expires_untagged_images_after_the_configured_days(render):
    policy = inputs_json(render(build(untagged_expiry_days=3, keep_last=12)).one(LIFECYCLE), "policy")
    untagged = rules_by_status(policy)["untagged"]
    assert untagged["selection"] == {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                     "countUnit": "days", "countNumber": 3}
    assert untagged["action"] == {"type": "expire"}


def test_lifecycle_policy_keeps_the_last_images_with_the_any_rule_evaluated_last(render):
    policy = inputs_json(render(build(untagged_expiry_days=3, keep_last=12)).one(LIFECYCLE), "policy")
    keep = rules_by_status(policy)["any"]
    assert keep["selection"] == {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 12}
    assert keep["action"] == {"type": "expire"}
    # ECR requires the `tagStatus: any` rule to carry the highest rulePriority value.
    assert keep["rulePriority"] == max(rule["rulePriority"] for rule in policy["rules"])


@pytest.mark.parametrize("platform", ["linux/arm64", "linux/amd64"])
def test_build_pushes_an_image_to_the_repository_for_the_callers_platform(render, platform):
    r = render(with_build(platform=platform, dockerfile="./app/Dockerfile"))
    image = r.one(IMAGE)
    assert image.inputs["repositoryUrl"] == r.one(REPO).state["repositoryUrl"]
    assert image.inputs["context"] == "./app"
    assert image.inputs["dockerfile"] == "./app/Dockerfile"
    assert image.inputs["platform"] == platform


def test_build_target_and_args_are_passed_to_the_image(render):
    image = render(with_build(target="runtime", args={"VERSION": "1.2.3"})).one(IMAGE)
    assert image.inputs["target"] == "runtime"
    assert image.inputs["args"] == {"VERSION": "1.2.3"}


def test_a_build_from_the_config_runs_for_the_services_platform(render):
    cfg = make_config(services={"web": {"architecture": "ARM64", "containers": {"app": {
        "image": {"build": {"context": "./app", "target": "runtime"}}, "ports": [8080]}}}})
    image = render(build(cfg)).one(IMAGE)
    assert (image.inputs["context"], image.inputs["target"], image.inputs["platform"]) == (
        "./app", "runtime", "linux/arm64")


def test_image_uri_is_the_built_images_uri(render):
    r = render(with_build())
    assert r.outputs["repositoryUrl"] == r.one(REPO).state["repositoryUrl"]
    # awsx answers the pushed image's digest URI; the component passes that on, not a tag.
    assert r.outputs["imageUri"] == r.one(IMAGE).state["imageUri"]


def test_a_tag_runs_that_tag_of_the_repository_without_a_build(render):
    r = render(build(tag="v1.2.3"))
    assert r.of_type(IMAGE) == []
    assert r.outputs["imageUri"] == r.one(REPO).state["repositoryUrl"] + ":v1.2.3"


def test_a_tag_wins_over_a_build(render):
    r = render(build(build=image_build(), tag="v7"))
    assert r.of_type(IMAGE) == []
    assert r.outputs["imageUri"] == r.one(REPO).state["repositoryUrl"] + ":v7"


def test_without_a_build_there_is_no_image(render):
    holder = {}

    def program():
        holder["registry"] = Registry("web", registry_args(build=None, tag=None))

    r = render(program)
    assert r.of_type(IMAGE) == []
    assert holder["registry"].image_uri is None


def test_every_child_is_parented_to_the_component(render):
    r = render(with_build())
    component = r.one("ecsapp:registry:Registry")
    assert {x.type for x in r.children(component)} == {REPO, LIFECYCLE, IMAGE}
    assert len(r.children(component)) == len(r.resources) - 1


def test_lifecycle_policy_function_builds_both_rules_with_distinct_priorities():
    rules = json.loads(lifecycle_policy(untagged_expiry_days=5, keep_last=20))["rules"]
    by_status = rules_by_status({"rules": rules})
    assert set(by_status) == {"untagged", "any"}
    assert by_status["untagged"]["selection"]["countNumber"] == 5
    assert by_status["any"]["selection"]["countNumber"] == 20
    priorities = [rule["rulePriority"] for rule in rules]
    assert len(set(priorities)) == len(priorities)
    assert by_status["any"]["rulePriority"] > by_status["untagged"]["rulePriority"]
