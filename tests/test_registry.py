"""Registry component: the ECR repository, its lifecycle policy and the optional image build."""

import json
import re

import pytest

from components.registry import ImageBuildArgs, Registry, RegistryArgs, lifecycle_policy
from tests.conftest import inputs_json

REPO = "aws:ecr/repository:Repository"
LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
IMAGE = "awsx:ecr:Image"
REPO_URL = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web-repo"


def build(**overrides):
    return lambda: Registry("web", RegistryArgs(**overrides))


def with_build(platform="linux/amd64", **build_fields):
    fields = {"context": "./app", "platform": platform}
    fields.update(build_fields)
    holder = {}

    def program():
        holder["registry"] = Registry("web", RegistryArgs(build=ImageBuildArgs(**fields)))
        return {"imageUri": holder["registry"].image_uri, "repositoryUrl": holder["registry"].repository_url}

    return program


def rules_by_status(policy: dict) -> dict:
    return {rule["selection"]["tagStatus"]: rule for rule in policy["rules"]}


def test_repository_tags_are_immutable_and_images_scanned_on_push(render):
    repo = render(build()).one(REPO)
    assert repo.inputs["imageTagMutability"] == "IMMUTABLE"
    assert repo.inputs["imageScanningConfiguration"] == {"scanOnPush": True}


def test_repository_is_aes256_encrypted_by_default(render):
    repo = render(build()).one(REPO)
    assert repo.inputs["encryptionConfigurations"] == [{"encryptionType": "AES256"}]


def test_kms_encryption_uses_the_configured_key(render):
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    repo = render(build(encryption="KMS", kms_key_arn=key)).one(REPO)
    assert repo.inputs["encryptionConfigurations"] == [{"encryptionType": "KMS", "kmsKey": key}]


def test_lifecycle_policy_is_attached_to_the_repository(render):
    r = render(build())
    assert r.one(LIFECYCLE).inputs["repository"] == "web-repo"


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
    image = render(with_build(platform=platform, dockerfile="./app/Dockerfile")).one(IMAGE)
    assert image.inputs["repositoryUrl"] == REPO_URL
    assert image.inputs["context"] == "./app"
    assert image.inputs["dockerfile"] == "./app/Dockerfile"
    assert image.inputs["platform"] == platform


def test_build_target_and_args_are_passed_to_the_image(render):
    image = render(with_build(target="runtime", args={"VERSION": "1.2.3"})).one(IMAGE)
    assert image.inputs["target"] == "runtime"
    assert image.inputs["args"] == {"VERSION": "1.2.3"}


def test_image_uri_is_the_repository_url_pinned_by_digest(render):
    outputs = render(with_build()).outputs
    assert outputs["repositoryUrl"] == REPO_URL
    assert re.fullmatch(re.escape(REPO_URL) + r"@sha256:[0-9a-f]{64}", outputs["imageUri"])


def test_without_a_build_there_is_no_image(render):
    holder = {}

    def program():
        holder["registry"] = Registry("web", RegistryArgs())

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
