"""`release`: one config key, a targeted update of one service, nothing else (fake Pulumi CLI)."""

from __future__ import annotations

import copy

import pytest
import yaml

from deploy.cli import main
from deploy.cli.app import load_config
from deploy.config.problems import ConfigError
from deploy.config.source import PROJECT_DIR
from deploy.errors import ArgumentError, Failure, cli_argument
from deploy.ops import api, plans
from deploy.ops import release as rel
from tests.conftest import make_config, service
from tests.ops.test_api import FakePulumi

DEV_TD = "urn:pulumi:dev::ecs-app::ecsapp:task:TaskDefinition$aws:ecs/taskDefinition:TaskDefinition::dev-web-task"
DEV_SVC = "urn:pulumi:dev::ecs-app::ecsapp:service:Service$aws:ecs/service:Service::dev-web-svc"
SG = "urn:pulumi:dev::ecs-app::ecsapp:service:Service$aws:ec2/securityGroup:SecurityGroup::dev-web-sg"
NEW_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/dev-web:42"


from tests.ops.conftest import in_process


@pytest.fixture
def fake(monkeypatch) -> FakePulumi:
    monkeypatch.delenv("ECS_APP_LOCAL_BACKEND", raising=False)
    return FakePulumi(outputs={"taskDefinitionArns": {"web": NEW_ARN}, "albUrl": "http://x"})


def two_containers(**images):
    """A web service whose first container takes the traffic; the others only run."""
    return make_config(services={"web": service(containers={
        name: {"image": image, **({"ports": [8080]} if i == 0 else {})} for i, (name, image) in enumerate(
            images.items())})})


def test_choose_the_tag_of_a_container_that_runs_from_the_stacks_repository():
    change = rel.choose(load_config("dev", None), "web", image_tag="3f2a1b")
    assert change.key == "ecs-app:services.web.containers.app.image.tag"
    assert (change.container, change.field, change.value, change.previous) == ("app", "tag", "3f2a1b", None)


def test_choose_refuses_unknown_services_and_containers_listing_the_known_ones():
    cfg = make_config(services={"web": service(), "api": service(loadBalancer={"paths": ["/api/*"]})})
    with pytest.raises(ArgumentError, match=r"unknown service 'nope'; services of stack test: api, web"):
        rel.choose(cfg, "nope", image_tag="x")
    with pytest.raises(ArgumentError, match=r"unknown container 'sidecar' of service web; containers: app"):
        rel.choose(cfg, "web", image_tag="x", container="sidecar")
    with pytest.raises(ArgumentError, match="exactly one"):
        rel.choose(cfg, "web")


def test_choose_matches_the_flag_to_how_the_container_gets_its_image():
    cfg = two_containers(app={"build": {"context": "./app"}}, proxy={"uri": "public.ecr.aws/nginx/nginx:1.27"})
    assert rel.choose(cfg, "web", image="public.ecr.aws/nginx/nginx:1.28").container == "proxy"
    assert rel.choose(cfg, "web", image="public.ecr.aws/nginx/nginx:1.28").key.endswith("proxy.image.uri")
    with pytest.raises(ArgumentError, match=r"containers.proxy.image: release it with image URI") as wrong:
        rel.choose(cfg, "web", image_tag="x", container="proxy")
    assert "release it with --image URI" in wrong.value.render(cli_argument)
    several = two_containers(app={"build": {"context": "./app"}}, worker={"tag": "v1"})
    with pytest.raises(ArgumentError, match="several containers that take image_tag: app, worker; name one") as many:
        rel.choose(several, "web", image_tag="v2")
    assert many.value.render(cli_argument).startswith("--container: service web has several containers that take "
                                                      "--image-tag")
    assert rel.choose(several, "web", image_tag="v2", container="worker").previous == "v1"


def test_apply_sets_only_that_value_and_leaves_the_document_alone():
    document = yaml.safe_load((PROJECT_DIR / "Pulumi.dev.yaml").read_text())
    original = copy.deepcopy(document)
    change = rel.choose(load_config("dev", None), "web", image_tag="3f2a1b")
    released = rel.apply(document, change)
    assert document == original
    assert released["config"]["ecs-app:services"]["web"]["containers"]["app"]["image"] == {
        "build": {"context": "./app"}, "tag": "3f2a1b"}
    released["config"]["ecs-app:services"]["web"]["containers"]["app"]["image"].pop("tag")
    assert released == original


def _plans(**changes):
    def resource(urn, type_, name, **inputs):
        return {"urn": urn, "type": type_, "name": name, "inputs": inputs}

    before = {"resources": [
        resource(DEV_TD, rel.TASK_DEFINITION, "dev-web-task", family="dev-web", containerDefinitions="old"),
        resource(DEV_SVC, rel.ECS_SERVICE, "dev-web-svc", desiredCount=1),
        resource("urn:img", rel.BUILD_STEP, "dev-web-app-image", repositoryUrl="repo-url"),
        resource(SG, "aws:ec2/securityGroup:SecurityGroup", "dev-web-sg", description="tasks"),
    ], "outputs": {}}
    after = copy.deepcopy(before)
    after["resources"][0]["inputs"]["containerDefinitions"] = "new"
    after["resources"] = [r for r in after["resources"] if r["urn"] != "urn:img"]
    after["outputs"] = {"taskDefinitionArns": {"web": "arn:x:task-definition/dev-web:1"},
                        "serviceNames": {"web": "dev-web-svc"}, "repositoryUrls": {"web/app": "repo-url"}}
    for urn, inputs in changes.items():
        next(r for r in after["resources"] if r["urn"] == urn)["inputs"].update(inputs)
    return before, after


CHANGE = rel.ImageChange("web", "app", "tag", "v2", None, "ecs-app")


def test_targets_are_the_task_definition_and_the_ecs_service_when_nothing_else_changes():
    before, after = _plans()
    assert rel.release_targets(before, after, CHANGE) == [DEV_TD, DEV_SVC]


def test_a_release_that_would_change_anything_else_is_refused():
    before, after = _plans(**{SG: {"description": "changed"}})
    with pytest.raises(Failure, match=r"would also change aws:ec2/securityGroup:SecurityGroup dev-web-sg \(replace\);"):
        rel.release_targets(before, after, CHANGE)
    before, after = _plans()
    after["resources"].append({"urn": "urn:new", "type": "aws:sqs/queue:Queue", "name": "q", "inputs": {}})
    with pytest.raises(Failure, match="urn:new"):
        rel.release_targets(before, after, CHANGE)
    before, after = _plans()
    after["resources"] = [r for r in after["resources"] if r["urn"] != SG]  # a deletion is a change too
    with pytest.raises(Failure, match="SecurityGroup dev-web-sg"):
        rel.release_targets(before, after, CHANGE)


def test_release_sets_one_key_with_path_and_updates_only_the_two_targets(fake):
    streamed: list[str] = []
    result = api.release("dev", "web", image_tag="3f2a1b", on_output=streamed.append,
                         pulumi_command=fake.command, render=in_process)
    assert [c.args[:2] for c in fake.calls][:3] == [["stack", "select"], ["config", "set"], ["up", "--yes"]]
    assert fake.argv("config")[0] == ["config", "set", "--path", "ecs-app:services.web.containers.app.image.tag",
                                      "--plaintext", "--stack", "dev", "--non-interactive", "--", "3f2a1b"]
    up = fake.argv("up")[0]
    assert [up[i + 1] for i, a in enumerate(up) if a == "--target"] == [DEV_TD, DEV_SVC]
    assert "--target-dependents" not in up
    assert up[up.index("--message") + 1] == "release web/app 3f2a1b"
    assert streamed[0].startswith("Release ecs-app:services.web.containers.app.image.tag = 3f2a1b")
    assert (result.revision, result.task_definition_arn) == (42, NEW_ARN)


def test_release_command_prints_the_new_revision(fake, monkeypatch, capsys):
    monkeypatch.setattr(api, "default_command", lambda: fake.command)
    monkeypatch.setattr(plans, "render_in_subprocess", in_process)
    assert main(["release", "--stack", "dev", "--service", "web", "--image-tag", "3f2a1b"]) == 0
    out = capsys.readouterr().out
    assert "Released web/app: ecs-app:services.web.containers.app.image.tag = 3f2a1b" in out
    assert f"Task definition: {NEW_ARN} (revision 42)" in out


def test_a_refused_release_never_touches_the_stack(fake):
    def render(paths):
        before, after = in_process(paths)
        next(r for r in after["resources"] if r["type"] == "aws:ec2/vpc:Vpc")["inputs"]["cidrBlock"] = "10.9.0.0/16"
        return before, after

    with pytest.raises(Failure, match="release refused"):
        api.release("dev", "web", image_tag="3f2a1b", pulumi_command=fake.command, render=render)
    assert fake.calls == []


def test_a_failed_release_puts_the_config_key_back(fake):
    fake.fail = {"up": ("", "error: update failed")}
    with pytest.raises(Failure, match="is back to its previous value in Pulumi.dev.yaml"):
        api.release("dev", "web", image_tag="3f2a1b", on_output=lambda _: None, pulumi_command=fake.command,
                    render=in_process)
    assert fake.argv("config")[-1] == ["config", "rm", "ecs-app:services.web.containers.app.image.tag", "--stack",
                                       "dev", "--path"]


def test_usage_and_config_errors_exit_2_before_the_cli(fake, monkeypatch, capsys):
    monkeypatch.setattr(api, "default_command", lambda: fake.command)
    assert main(["release", "--stack", "dev", "--service", "web", "--image-tag", "bad tag!"]) == 2
    assert "services.web.containers.app.image.tag" in capsys.readouterr().err
    assert main(["release", "--config-file", "Pulumi.dev.yaml", "--service", "web", "--image-tag", "v1"]) == 2
    assert "--config-file: release writes" in capsys.readouterr().err
    assert main(["release", "--stack", "dev", "--service", "web", "--image", "nginx:1"]) == 2
    assert fake.calls == []
    with pytest.raises(ConfigError):
        api.release("dev", "web", image_tag="-starts-with-dash", pulumi_command=fake.command, render=in_process)


@pytest.mark.integration
def test_the_subprocess_renderer_gives_the_same_plan_as_rendering_in_process(tmp_path):
    dev = PROJECT_DIR / "Pulumi.dev.yaml"
    bad = tmp_path / "Pulumi.bad.yaml"
    bad.write_text("config:\n  aws:region: us-east-1\n  ecs-app:services: {}\n")
    assert plans.render_in_subprocess([dev]) == in_process([dev])
    with pytest.raises(ConfigError) as refused:
        plans.render_in_subprocess([dev, bad])
    assert [(p.key, p.message) for p in refused.value.problems] == [("services", "define at least one service")]


def _embed_example():
    import importlib.util

    spec = importlib.util.spec_from_file_location("embed_example", PROJECT_DIR / "examples" / "embed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_embedding_example_promotes_from_dev_to_prod_only_when_dev_is_healthy(fake, monkeypatch):
    monkeypatch.setattr(plans, "render_in_subprocess", in_process)
    example, log = _embed_example(), []
    assert example.promote("3f2a1b", log=log.append, check=lambda url: url == "http://x",
                           pulumi_command=fake.command) == 0
    assert [a[a.index("--stack") + 1] for a in fake.argv("config")] == ["dev", "prod"]
    assert log[-1] == "web 3f2a1b: dev revision 42, prod revision 42"
    assert log[0].startswith("[dev] Release ecs-app:services.web.containers.app.image.tag = 3f2a1b")
    fake.calls.clear()
    assert example.promote("3f2a1b", log=log.append, check=lambda url: False, pulumi_command=fake.command) == 1
    assert [a[a.index("--stack") + 1] for a in fake.argv("config")] == ["dev"]


def test_a_release_of_a_canary_service_changes_only_its_task_definition_and_service(tmp_path):
    # prod's web runs canary: the alternate target group, both listener rules, the deploy role and the rollback
    # alarms stay as they are; ECS moves the traffic
    document = yaml.safe_load((PROJECT_DIR / "Pulumi.prod.yaml").read_text())
    released = tmp_path / "Pulumi.prod.yaml"
    change = rel.ImageChange("web", "app", "tag", "v2", None, "ecs-app")
    released.write_text(yaml.safe_dump(rel.apply(document, change)))
    before, after = in_process([PROJECT_DIR / "Pulumi.prod.yaml", released])
    targets = rel.release_targets(before, after, change)
    assert [t.rsplit("::", 1)[-1] for t in targets] == ["prod-web-task", "prod-web-svc"]
    web = next(r for r in after["resources"] if r["name"] == "prod-web-svc")
    assert web["inputs"]["deploymentConfiguration"]["strategy"] == "CANARY"
