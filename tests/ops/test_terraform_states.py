"""Operations on a stack whose network comes from a Terraform state in S3: read with the caller's credentials
(a moto S3 server here), and the offline plan they render first shows the state's IDs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deploy.ops import api, plans, terraform_states
from tests.conftest import FIXTURES, PROJECT
from tests.ops.conftest import in_process
from tests.ops.test_api import FakePulumi

pytest_plugins = ["tests.ops.moto_aws"]  # the fixtures `aws` and `moto_endpoint`

URL = "s3://infra-state/network/terraform.tfstate"


@pytest.fixture
def bucket(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="infra-state")
    s3.put_object(Bucket="infra-state", Key="network/terraform.tfstate",
                  Body=(FIXTURES / "terraform" / "vpc.tfstate").read_bytes())
    return s3


@pytest.fixture
def stack_file(tmp_path):
    """The fixture stack `fromtf`, its state in S3, and a secure value that must be copied, not decrypted."""
    document = yaml.safe_load((FIXTURES / "Pulumi.fromtf.yaml").read_text())
    document["config"][f"{PROJECT}:network"]["existing"]["fromTerraform"]["state"] = URL
    document["config"][f"{PROJECT}:services"]["web"]["containers"]["app"]["environment"] = {
        "TOKEN": {"secure": "v1:c2VjcmV0"}}
    path = tmp_path / "Pulumi.fromtf.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def test_load_reads_the_state_from_s3(bucket, stack_file):
    cfg = terraform_states.load(stack_file, PROJECT, "fromtf")
    assert cfg.terraform_network is not None and cfg.terraform_network.vpc_id == "vpc-0e1f2a3b4c5d6e7f8"


def test_the_copy_for_the_offline_plan_points_at_a_local_copy_of_the_state(bucket, stack_file):
    with terraform_states.local_copies([stack_file], PROJECT, "fromtf") as [copy]:
        assert copy.name == stack_file.name  # same stack name, same URNs
        config = yaml.safe_load(copy.read_text())["config"]
        state = config[f"{PROJECT}:network"]["existing"]["fromTerraform"]["state"]
        assert Path(state).read_bytes() == (FIXTURES / "terraform" / "vpc.tfstate").read_bytes()
        assert config[f"{PROJECT}:services"]["web"]["containers"]["app"]["environment"]["TOKEN"] == {
            "secure": "v1:c2VjcmV0"}
    assert not copy.exists()  # removed once rendered


def test_a_stack_without_an_s3_state_is_rendered_as_it_is(aws):
    with terraform_states.local_copies([FIXTURES / "Pulumi.fromtf.yaml"], PROJECT, "fromtf") as paths:
        assert paths == [FIXTURES / "Pulumi.fromtf.yaml"]


def test_preview_plans_with_the_states_ids_and_hands_the_cli_the_users_file(bucket, stack_file, monkeypatch):
    rendered: list[dict] = []

    def render(paths):
        rendered.extend(in_process(paths))
        return rendered

    monkeypatch.setattr(plans, "render_in_subprocess", render)
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)
    fake = FakePulumi()
    api.preview("fromtf", config_file=stack_file, on_output=lambda _: None, pulumi_command=fake.command)
    assert rendered[0]["outputs"]["vpcId"] == "vpc-0e1f2a3b4c5d6e7f8"
    assert rendered[0]["outputs"]["privateSubnetIds"] == ["subnet-0c1a2b3c4d5e6f701", "subnet-0c1a2b3c4d5e6f702"]
    preview = fake.argv("preview")[0]
    assert preview[preview.index("--config-file") + 1] == str(stack_file.resolve())
