"""Every render is checked against what AWS accepts; the shipped, fixture and README stacks pass it."""

from __future__ import annotations

import re

import pytest
import yaml

from deploy.cli import main
from deploy.config.parse import load, parse
from deploy.config.source import RawConfig
from deploy.offline import acceptance, plan
from deploy.offline.acceptance import AcceptanceError
from tests.conftest import FIXTURES, PROJECT, ROOT, make_config

STACKS = [(ROOT / "Pulumi.dev.yaml", "dev"), (ROOT / "Pulumi.prod.yaml", "prod"),
          (FIXTURES / "Pulumi.small.yaml", "dev"), (FIXTURES / "Pulumi.mixed.yaml", "prod"),
          (FIXTURES / "Pulumi.efs.yaml", "efs"),
          (FIXTURES / "Pulumi.sends.yaml", "sends"),
          (FIXTURES / "Pulumi.routing.yaml", "routing"),
          (FIXTURES / "Pulumi.logging.yaml", "logging"),
          (FIXTURES / "Pulumi.scaling.yaml", "scaling")]


@pytest.mark.parametrize("path,stack", STACKS, ids=lambda v: getattr(v, "name", v))
def test_the_shipped_and_fixture_stacks_have_no_finding(path, stack):
    cfg = load(path, PROJECT, stack)
    rendered = plan.render(cfg, accept=False)
    assert acceptance.findings(rendered, cfg.region) == []
    assert len(acceptance.payloads(rendered)) > 30  # the check saw the plan, not an empty list


def readme_configs() -> list[tuple[str, dict]]:
    """Each YAML block of the README: whole stack files, and service fragments placed under `services`."""
    text = (ROOT / "README.md").read_text()
    found = []
    for i, block in enumerate(re.findall(r"^```yaml\n(.*?)^```", text, re.DOTALL | re.MULTILINE)):
        data = yaml.safe_load(block)
        values = data.get("config", {"aws:region": "us-east-1", f"{PROJECT}:services": data})
        found.append((f"block-{i + 1}", values))
    return found


@pytest.mark.parametrize("name,values", readme_configs(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_config_the_readme_shows_renders_with_no_finding(name, values):
    cfg = parse(RawConfig(PROJECT, "readme", values))
    rendered = plan.render(cfg, accept=False)
    assert acceptance.findings(rendered, cfg.region) == []


@pytest.mark.parametrize("region,image", [
    ("cn-north-1", "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1"),
    ("us-gov-west-1", "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/app:1"),
])
def test_stacks_in_china_and_govcloud_use_their_partitions_arns(region, image):
    cfg = make_config({"aws:region": region, "cluster": {"ec2": {"instanceTypes": ["m6i.large"]}}}, services={
        "web": {"containers": {"app": {"image": {"uri": image}, "ports": [8080],
                                       "secrets": {"TOKEN": "/app/token"}}}},
        "worker": {"kind": "worker", "capacityProviderStrategy": [{"provider": "EC2", "weight": 1}],
                   "containers": {"w": {"image": {"uri": image}}}}})
    rendered = plan.render(cfg)  # raises AcceptanceError on any ARN of the aws partition
    text = repr([r.inputs for r in rendered.resources])
    assert "arn:aws:" not in text and f"arn:{'aws-cn' if region.startswith('cn') else 'aws-us-gov'}:" in text


def test_a_payload_aws_refuses_stops_the_render_and_names_the_setting():
    # GIVEN a config with 46 tags of its own: with Project, Stack, ManagedBy, Name and Service a task
    # definition carries 51, one more than AWS allows. The config is built past the rules on purpose,
    # to show the acceptance check stands on its own.
    cfg = make_config().model_copy(update={"tags": {f"team{i}": "x" for i in range(46)}})
    with pytest.raises(AcceptanceError) as refused:
        plan.render(cfg)
    keys = {p.key for p in refused.value.problems}
    assert "services.web" in keys
    problem = next(p for p in refused.value.problems if p.key == "services.web")
    assert problem.message.startswith("AWS takes at most 50 tags per resource (got 51) (AWS would refuse")


def test_a_refused_scheduled_action_names_its_schedule():
    # GIVEN a schedule whose name PutScheduledAction refuses, built past the model's own check on purpose
    cfg = make_config(services={"web": {"containers": {"app": {"image": {"uri": "busybox:1.36"}, "ports": [8080]}},
                                        "autoscaling": {"max": 4, "schedules": [
                                            {"name": "ok", "expression": "rate(1 day)", "max": 3},
                                            {"name": "peak", "expression": "rate(1 day)", "max": 4}]}}})
    a = cfg.services["web"].autoscaling
    schedules = [a.schedules[0], a.schedules[1].model_copy(update={"name": "peak|weekday"})]
    web = cfg.services["web"].model_copy(update={"autoscaling": a.model_copy(update={"schedules": schedules})})
    cfg = cfg.model_copy(update={"services": {"web": web}})
    with pytest.raises(AcceptanceError) as refused:
        plan.render(cfg)
    [problem] = refused.value.problems
    assert problem.key == "services.web.autoscaling.schedules[1]"
    assert "PutScheduledAction.ScheduledActionName" in problem.message


def test_the_command_line_exits_2_with_one_line_per_finding(tmp_path, capsys, monkeypatch):
    from deploy.offline import engine

    real = engine.render

    def with_a_bad_description(*args, **kwargs):
        rendered = real(*args, **kwargs)
        for r in rendered.resources:
            if r.type == "aws:ec2/securityGroup:SecurityGroup":
                r.inputs["description"] = "the app's tasks"  # what the first release shipped
        return rendered

    monkeypatch.setattr(engine, "render", with_a_bad_description)
    assert main(["plan", "--stack", "dev", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert lines and all(line.split(": ", 1)[0] in ("network", "services.web", "loadBalancer") for line in lines)
    assert any("CreateSecurityGroup.Description" in line for line in lines)


HOOK = "arn:aws:lambda:us-east-1:123456789012:function:smoke-test"
STRATEGIES = {
    "blue-green": {"strategy": "blue-green", "bakeTime": 15},
    "canary": {"strategy": "canary", "canary": {"percent": 5, "bakeTime": 10},
               "hooks": [{"stage": "POST_TEST_TRAFFIC_SHIFT", "function": HOOK}]},
    "linear": {"strategy": "linear", "linear": {"stepPercent": 20, "stepBakeTime": 3},
               "testTraffic": {"port": 8443}, "rollbackAlarms": {"p99Latency": 1.5}},
}


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_each_deployment_strategy_renders_what_aws_accepts(strategy):
    from tests.conftest import PRIVATE_IMAGE, service

    cfg = make_config({"alerts": {"email": ["oncall@example.com"]}}, services={
        "web": service(calls=["api"], deployment=STRATEGIES[strategy]),
        "api": {"kind": "worker", "containers": {"a": {"image": {"uri": PRIVATE_IMAGE}, "ports": [8080]}},
                "deployment": {"strategy": "blue-green"}}})
    rendered = plan.render(cfg, accept=False)
    assert acceptance.findings(rendered, cfg.region) == []
    services = {r.name: r.inputs for r in rendered.resources if r.type == "aws:ecs/service:Service"}
    web = services["test-web-svc"]
    assert web["deploymentConfiguration"]["strategy"] == strategy.replace("-", "_").upper()
    assert web["loadBalancers"][0]["advancedConfiguration"]["roleArn"].endswith("role/test-web-deploy-role")
    # the called worker shifts its Service Connect traffic, with the test header for callers that send it
    alias = services["test-api-svc"]["serviceConnectConfiguration"]["services"][0]["clientAlias"][0]
    assert alias["testTrafficRules"] == [{"header": {"name": "X-Deployment-Test", "value": {"exact": "green"}}}]
