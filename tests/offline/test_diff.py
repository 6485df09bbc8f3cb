"""The offline diff: two renders compared by URN, input by input, with the replacements they force."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy.aws import tokens as tok
from deploy.cli import main
from deploy.offline import diff, plan
from tests.conftest import ROOT, make_config, service

EC2 = {"instanceTypes": ["m7g.large"], "minSize": 1, "maxSize": 2}


def changes(before: dict[str, Any], after: dict[str, Any], services: dict[str, Any] | None = None,
            services_after: dict[str, Any] | None = None) -> diff.Diff:
    old = plan.render(make_config(before, services=services), accept=False)
    new = plan.render(make_config(after, services=services_after if services_after is not None else services))
    return diff.compare_renders(old, new)


def only(found: diff.Diff, type_: str, action: str | None = None) -> list[diff.Change]:
    return [c for c in found.changes if c.type == type_ and (action is None or c.action == action)]


def test_the_same_config_changes_nothing():
    found = changes({}, {})
    assert found.changes == []
    assert "No changes" in diff.as_text(found, "Stack ecs-app/test")


def test_a_desired_count_is_changed_in_place():
    found = changes({}, {}, services={"web": service(desiredCount=1)}, services_after={"web": service(desiredCount=3)})
    [svc] = only(found, tok.SERVICE)
    assert svc.action == diff.UPDATE
    assert [(i.path, i.old, i.new, i.replaces) for i in svc.inputs] == [("desiredCount", 1, 3, False)]
    assert found.risky == []


def test_an_image_change_reads_inside_the_container_definitions_and_is_a_routine_new_revision():
    before = service(containers={"app": {"image": {"uri": "public.ecr.aws/nginx/nginx-unprivileged:1.27"},
                                         "ports": [8080]}})
    after = copy.deepcopy(before)
    after["containers"]["app"]["image"]["uri"] = "public.ecr.aws/nginx/nginx-unprivileged:1.28"
    found = changes({}, {}, services={"web": before}, services_after={"web": after})
    [task] = only(found, tok.TASK_DEFINITION)
    assert task.action == diff.REPLACE and task.routine
    image = next(i for i in task.inputs if i.path.endswith(".image"))
    assert image.path == "containerDefinitions[0].image"
    assert (image.old, image.new, image.replaces) == ("public.ecr.aws/nginx/nginx-unprivileged:1.27",
                                                      "public.ecr.aws/nginx/nginx-unprivileged:1.28", True)
    # The service follows the new revision in place: its taskDefinition input is known after apply.
    [svc] = only(found, tok.SERVICE)
    assert svc.action == diff.UPDATE
    assert [(i.path, i.new) for i in svc.inputs] == [("taskDefinition", diff.AFTER_APPLY)]
    assert found.risky == []  # a new revision loses nothing


def test_renaming_the_prefix_replaces_every_resource_and_says_what_that_means():
    found = changes({"name": "shop"}, {"name": "store"})
    assert found.counts[diff.CREATE] == found.counts[diff.DELETE] == 0
    assert found.changes and all(c.action == diff.REPLACE for c in found.changes)
    [alb] = only(found, tok.LOAD_BALANCER)
    assert alb.name == "store-alb" and alb.renamed_from is not None and alb.renamed_from.endswith("::shop-alb")
    assert "DNS name" in alb.consequence
    text = diff.as_text(found, "Stack ecs-app/test")
    assert "-/+ aws:lb/loadBalancer:LoadBalancer  store-alb  (replaces shop-alb: renamed)" in text
    assert "Warning:" in text


def test_renaming_a_service_replaces_its_resources_and_nothing_else():
    found = changes({}, {}, services={"web": service()}, services_after={"api": service()})
    assert found.counts[diff.CREATE] == found.counts[diff.DELETE] == 0
    replaced = {c.type for c in found.of(diff.REPLACE)}
    assert {tok.SERVICE, tok.TARGET_GROUP, tok.TASK_DEFINITION, tok.SECURITY_GROUP, tok.LOG_GROUP} <= replaced
    [svc] = only(found, tok.SERVICE)
    assert svc.renamed_from is not None and svc.renamed_from.endswith("::test-web-svc") and svc.name == "test-api-svc"
    assert "recreated" in svc.consequence or "deleted" in svc.consequence
    assert not {tok.VPC, tok.SUBNET, tok.CLUSTER, tok.LOAD_BALANCER} & {c.type for c in found.changes}


def test_a_new_vpc_cidr_replaces_the_subnets_and_cascades_to_what_is_placed_in_them():
    found = changes({"network": {"cidr": "10.0.0.0/16"}}, {"network": {"cidr": "10.20.0.0/16"}})
    subnets = only(found, tok.SUBNET)
    assert subnets and all(c.action == diff.REPLACE for c in subnets)
    assert all(any(i.path == "cidrBlock" and i.replaces for i in c.inputs) for c in subnets)
    [vpc] = only(found, tok.VPC)
    assert vpc.action == diff.REPLACE
    # Associations name their subnet by ID: a new subnet means a new association.
    associations = only(found, tok.ROUTE_TABLE_ASSOCIATION)
    assert associations and all(c.action == diff.REPLACE and c.because for c in associations)
    [svc] = only(found, tok.SERVICE)
    subnets_input = next(i for i in svc.inputs if i.path == "networkConfiguration.subnets")
    assert subnets_input.new == diff.AFTER_APPLY


def test_switching_the_capacity_provider_kind_replaces_the_service():
    before = {"cluster": {"capacityProviderStrategy": [{"provider": "FARGATE", "weight": 1}]}}
    after = {"cluster": {"ec2": EC2, "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}]}}
    arm = {"web": service(architecture="ARM64")}
    found = changes(before, after, services=arm)
    [svc] = only(found, tok.SERVICE)
    assert svc.action == diff.REPLACE
    assert any(i.path.startswith("capacityProviderStrategies") and i.replaces for i in svc.inputs)
    assert svc in found.risky
    assert only(found, tok.ASG, diff.CREATE)


def test_a_protected_resource_that_would_be_replaced_is_flagged():
    found = changes({"name": "shop", "protect": True}, {"name": "store", "protect": True})
    [alb] = only(found, tok.LOAD_BALANCER)
    assert alb.protected
    assert "protected: pulumi up refuses this" in diff.as_text(found, "t")


def snap(name: str, type_: str = tok.QUEUE, **inputs: Any) -> diff.Snapshot:
    return diff.Snapshot(f"urn:pulumi:s::p::{type_}::{name}", type_, name, inputs)


def test_one_removed_and_one_unrelated_added_resource_is_a_delete_and_a_create_not_a_rename():
    found = diff.compare({s.urn: s for s in [snap("p-jobs-queue")]}, {s.urn: s for s in [snap("p-mail-queue")]})
    assert [c.action for c in found.changes] == [diff.DELETE, diff.CREATE]


def test_ignored_inputs_are_not_compared():
    old = snap("p-q", delaySeconds=0, tags={"a": "1"})
    new = diff.Snapshot(old.urn, old.type, old.name, {"delaySeconds": 5, "tags": {"a": "2"}},
                        ignore_changes=("delaySeconds",))
    [change] = diff.compare({old.urn: old}, {new.urn: new}).changes
    assert [i.path for i in change.inputs] == ["tags.a"]


def test_an_arn_is_matched_whole_not_as_the_start_of_a_longer_name():
    assert diff._carries("arn:aws:sqs:us-east-1:1:p-web", frozenset({"arn:aws:sqs:us-east-1:1:p-web"}))
    assert not diff._carries("arn:aws:sqs:us-east-1:1:p-web-dlq", frozenset({"arn:aws:sqs:us-east-1:1:p-web"}))
    policy = json.dumps({"Resource": ["arn:aws:sqs:us-east-1:1:p-web"]})
    assert diff._carries(policy, frozenset({"arn:aws:sqs:us-east-1:1:p-web"}))


# --- the command ------------------------------------------------------------------------------

def write_stack(path: Path, mutate: Any = None) -> Path:
    doc = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    if mutate is not None:
        mutate(doc["config"])
    path.write_text(yaml.safe_dump(doc))
    return path


def test_diff_against_a_file_prints_the_changes_and_gates_replacements(tmp_path, capsys):
    earlier = write_stack(tmp_path / "earlier.yaml", lambda c: c.update({"ecs-app:name": "shop"}))
    assert main(["diff", "--stack", "dev", "--against", str(earlier)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Stack ecs-app/dev (")
    assert "(replaces shop-alb: renamed)" in out
    assert main(["diff", "--stack", "dev", "--against", str(earlier), "--fail-on-replace"]) == 1
    assert "would be replaced or deleted" in capsys.readouterr().err


def test_diff_json_is_one_object_with_a_summary(tmp_path, capsys):
    earlier = write_stack(tmp_path / "earlier.yaml",
                          lambda c: c["ecs-app:services"]["web"].update({"desiredCount": 2}))
    assert main(["diff", "--stack", "dev", "--against", str(earlier), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["summary"] == {"create": 0, "update": 1, "replace": 0, "delete": 0}
    [change] = found["changes"]
    assert change["type"] == tok.SERVICE
    assert change["inputs"] == [{"path": "desiredCount", "old": 2, "new": 1, "replaces": False}]


def test_diff_usage_errors_exit_2_with_one_line(tmp_path, capsys):
    assert main(["diff", "--stack", "dev"]) == 2
    assert main(["diff", "--stack", "dev", "--against", str(tmp_path / "missing.yaml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"--against: no file {tmp_path / 'missing.yaml'}"


def test_an_earlier_config_that_no_longer_validates_is_a_failure_that_says_which(tmp_path, capsys):
    earlier = write_stack(tmp_path / "earlier.yaml", lambda c: c["ecs-app:services"]["web"].update({"cpu": 3}))
    assert main(["diff", "--stack", "dev", "--against", str(earlier)]) == 1
    assert capsys.readouterr().err.startswith(f"the earlier config ({earlier}) is not valid")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True,
                   capture_output=True)


@pytest.mark.integration
def test_diff_against_a_git_ref_reads_the_committed_version(tmp_path, capsys):
    stack = write_stack(tmp_path / "Pulumi.dev.yaml", lambda c: c["ecs-app:services"]["web"]["containers"]["app"]
                        .update({"image": {"uri": "public.ecr.aws/nginx/nginx-unprivileged:1.27"}}))
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", stack.name)
    _git(tmp_path, "commit", "-q", "-m", "first")
    doc = yaml.safe_load(stack.read_text())
    doc["config"]["ecs-app:network"]["cidr"] = "10.30.0.0/16"
    stack.write_text(yaml.safe_dump(doc))
    assert main(["diff", "--config-file", str(stack), "--against-ref", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "(Pulumi.dev.yaml@HEAD -> Pulumi.dev.yaml)" in out
    assert "cidrBlock: \"10.10.0.0/16\" -> \"10.30.0.0/16\"   # forces replacement" in out
    assert main(["diff", "--config-file", str(stack), "--against-ref", "no-such-branch"]) == 2
    assert capsys.readouterr().err.strip() == "--against-ref: no commit, branch or tag 'no-such-branch' in this " \
                                              "repository"
