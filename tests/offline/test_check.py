"""`python -m deploy check`: whole stacks through the offline plan, the report, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json

import pulumi_aws as aws
import pytest
import yaml

from deploy.cli import main
from deploy.cli.app import load_config
from deploy.config.parse import parse
from deploy.config.source import RawConfig
from deploy.offline import compliance
from deploy.offline import engine as offline
from deploy.offline.compliance import report
from deploy.offline.compliance.advice import advise
from deploy.stack import program as stack_program
from tests.conftest import ROOT

INSECURE = {
    "aws:region": "us-east-1",
    # Public IPs on tasks are only accepted without NAT; flow logs switched off.
    "ecs-app:network": {"nat": "none", "flowLogs": {"enabled": False}},
    "ecs-app:services": {"web": {
        "assignPublicIp": True,
        "containers": {"app": {"image": {"uri": "public.ecr.aws/nginx/nginx-unprivileged:1.27"}, "ports": [8080]}},
        "loadBalancer": {},
        # The config refuses Action "*" outright; a service wildcard on every resource and an
        # administrator policy attachment still get through it, and the policies catch them.
        "taskRole": {"statements": [{"actions": ["s3:*", "secretsmanager:GetSecretValue"], "resources": ["*"]}],
                     "managedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]},
    }},
}


def by_id(evaluation) -> dict:
    return {r.control.id: r for r in evaluation.results}


@pytest.fixture(scope="module")
def stacks() -> dict:
    found = {}
    for stack in ("dev", "prod"):
        cfg = load_config(stack, None)
        rendered = offline.render(lambda cfg=cfg: stack_program.build(cfg), cfg.project, cfg.stack, cfg.region)
        config = compliance.load_policy_config(stack)
        found[stack] = (rendered, config, compliance.check(rendered, config))
    return found


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_dev_and_prod_have_no_mandatory_failure(stacks, stack):
    _, _, evaluation = stacks[stack]
    blocking = [(r.control.id, [f.message for f in r.violations]) for r in evaluation.results if r.blocking]
    assert blocking == [] and evaluation.exit_code == 0


def test_prod_is_production_so_elb6_is_mandatory_and_passes(stacks):
    _, config, evaluation = stacks["prod"]
    elb6 = by_id(evaluation)["ELB.6"]
    assert config.production and (elb6.enforcement, elb6.status) == ("mandatory", "pass")


def test_dev_shows_its_missing_access_logs_as_an_advisory_failure(stacks):
    _, config, evaluation = stacks["dev"]
    elb5 = by_id(evaluation)["ELB.5"]
    assert (elb5.enforcement, elb5.status, [f.resource.name for f in elb5.violations]) == \
        ("advisory", "fail", ["dev-alb"])
    assert not config.production and evaluation.exit_code == 0


def test_dev_plain_http_is_waived_with_its_reason_not_passed(stacks):
    _, _, evaluation = stacks["dev"]
    elb1 = by_id(evaluation)["ELB.1"]
    assert elb1.status == "waived"
    assert [(f.resource.name, f.waiver.reason.split(":")[0]) for f in elb1.waived] == \
        [("dev-alb-http", "dev has no certificate")]


def test_the_ec2_capacity_controls_apply_to_prods_launch_template_and_group(stacks):
    results = by_id(stacks["prod"][2])
    for control in ("EC2.170", "EC2.25", "EC2.181", "AutoScaling.2", "AutoScaling.9", "ECS.19"):
        assert (results[control].status, results[control].checked) == ("pass", 1), control


def insecure_render():
    """The insecure config, plus what no config key can express (secure by construction): a privileged
    container, SSH open to the internet and a repository with mutable tags, added as raw resources the
    way an edited component would."""
    cfg = parse(RawConfig("ecs-app", "insecure", INSECURE))

    def program():
        outputs = stack_program.build(cfg)
        bastion = aws.ec2.SecurityGroup("bastion-sg", vpc_id=outputs["vpcId"], description="debug access")
        aws.vpc.SecurityGroupIngressRule("bastion-ssh", security_group_id=bastion.id, ip_protocol="tcp",
                                         from_port=22, to_port=22, cidr_ipv4="0.0.0.0/0")
        aws.ecr.Repository("scratch-repo", image_tag_mutability="MUTABLE",
                           image_scanning_configuration={"scan_on_push": True})
        aws.ecs.TaskDefinition("debug-task", family="debug", requires_compatibilities=["FARGATE"],
                               network_mode="awsvpc", cpu="256", memory="512",
                               container_definitions=json.dumps([{
                                   "name": "debug", "image": "busybox", "privileged": True, "stopTimeout": 10,
                                   "readonlyRootFilesystem": True,
                                   "logConfiguration": {"logDriver": "awslogs", "options": {}}}]))
        return outputs

    return offline.render(program, "ecs-app", "insecure", "us-east-1")


def test_an_insecure_stack_fails_naming_each_control():
    evaluation = compliance.check(insecure_render(), compliance.load_policy_config("insecure"))
    results = by_id(evaluation)
    offenders = {cid: sorted(f.resource.name for f in results[cid].violations)
                 for cid in ("ECS.2", "ECS.4", "EC2.19", "EC2.18", "NET.1", "ECR.2", "EC2.6", "IAM.1", "IAM.21",
                             "SEC.1")}
    assert offenders == {
        "ECS.2": ["insecure-web-svc"],          # public IP on tasks
        "ECS.4": ["debug-task"],                # privileged container
        "EC2.19": ["bastion-ssh"],              # open SSH
        "EC2.18": ["bastion-ssh"],
        "NET.1": ["bastion-ssh"],
        "ECR.2": ["scratch-repo"],              # mutable tags
        "EC2.6": ["insecure-vpc"],              # no flow logs
        "IAM.1": ["insecure-web-task-managed-0"],  # wildcard IAM: administrator access
        "IAM.21": ["insecure-web-task-policy"],      # s3:*
        "SEC.1": ["insecure-web-task-policy"],       # every secret
    }
    assert all(results[c].blocking for c in offenders) and evaluation.exit_code == 1


def test_the_cli_exits_1_on_an_insecure_config_and_names_the_controls(tmp_path, capsys):
    path = tmp_path / "Pulumi.insecure.yaml"
    path.write_text(yaml.safe_dump({"config": INSECURE}))
    assert main(["check", "--config-file", str(path)]) == 1
    out = capsys.readouterr().out
    failed = {line.split()[0] for line in out.splitlines() if "  FAIL  " in line}
    assert {"ECS.2", "EC2.6", "IAM.1", "IAM.21", "SEC.1"} <= failed
    assert "mandatory failures" in out.splitlines()[-1] and out.splitlines()[-1].endswith("-> exit 1")


def test_the_cli_prints_the_prod_report_and_exits_0(capsys):
    assert main(["check", "--stack", "prod"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Policy check: ecs-app/prod (production stack; policy config policies/config/prod.json)")
    assert out.splitlines()[-1].endswith("0 mandatory failures, 1 not applicable -> exit 0")


def test_json_report_shape(capsys):
    assert main(["check", "--stack", "dev", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"project", "stack", "production", "policyConfig", "resources", "summary", "controls",
                         "unusedExceptions", "advice", "productionBy", "exitCode"}
    assert (data["advice"], data["productionBy"]) == ([], None)
    assert (data["stack"], data["production"], data["policyConfig"], data["exitCode"]) == \
        ("dev", False, "policies/config/dev.json", 0)
    assert {c["status"] for c in data["controls"]} <= {"pass", "fail", "waived", "not_applicable", "disabled"}
    elb5 = next(c for c in data["controls"] if c["id"] == "ELB.5")
    assert elb5["violations"] == [{"resource": "dev-alb", "type": "aws:lb/loadBalancer:LoadBalancer",
                                   "urn": elb5["violations"][0]["urn"],
                                   "message": "access logs are not enabled (accessLogs.enabled with an S3 bucket)"}]
    # ELB.5, ELB.6, ELB.16 (no WAF web ACL) and AutoScaling.6 (the NAT instance's group has one instance type)
    assert data["summary"]["mandatoryFailures"] == 0 and data["summary"]["advisoryFailures"] == 4
    nat_group = next(c for c in data["controls"] if c["id"] == "AutoScaling.2")
    assert nat_group["status"] == "waived" and [v["resource"] for v in nat_group["waived"]] == ["dev-nat-0-asg"]


def test_an_invalid_policy_config_exits_2_naming_the_key(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"elb-5": {"exceptions": [{"resource": "dev-alb"}]}}))
    assert main(["check", "--stack", "dev", "--policy-config", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().endswith(
        "elb-5.exceptions[0].reason: required: say why ELB.5 does not apply to this resource")


def test_an_unused_exception_is_reported_so_it_can_be_removed(tmp_path, capsys):
    config = tmp_path / "dev.json"
    data = json.loads((ROOT / "policies" / "config" / "dev.json").read_text())
    data["ecs-4"] = {"exceptions": [{"resource": "dev-web-task", "reason": "old debug"}]}
    config.write_text(json.dumps(data))
    assert main(["check", "--stack", "dev", "--policy-config", str(config)]) == 0
    assert "  ECS.4 dev-web-task: old debug" in capsys.readouterr().out


def test_docs_show_the_current_prod_report(stacks):
    """docs/policies.md pastes `python -m deploy check --stack prod`; keep it the real output."""
    rendered, config, evaluation = stacks["prod"]
    text = report.as_text(rendered, config, evaluation)
    docs = (ROOT / "docs" / "policies.md").read_text()
    table = [line for line in text.splitlines()[2:] if line.strip()]
    missing = [line for line in table if line not in docs]
    assert missing == [], "re-paste `python -m deploy check --stack prod` into docs/policies.md"
    assert f"`{report.summary_line(stacks['dev'][2])}`" in docs, "update dev's summary line in docs/policies.md"


# --- what to do, and production from `protect: true` ------------------------------------------------

CHEAP = {
    "aws:region": "us-east-1",
    "ecs-app:network": {"nat": "none"},
    "ecs-app:services": {"web": {"containers": {"app": {
        "image": {"uri": "public.ecr.aws/nginx/nginx-unprivileged:1.27"}, "ports": [8080]}}}},
}


def write_stack(tmp_path, name: str, config: dict) -> str:
    path = tmp_path / f"Pulumi.{name}.yaml"
    path.write_text(yaml.safe_dump({"config": config}))
    return str(path)


def test_public_ips_without_a_nat_fail_ecs_2_as_validate_warns_and_the_advice_accepts_them(tmp_path, capsys):
    stack = write_stack(tmp_path, "cheap", CHEAP)
    assert main(["validate", "--config-file", stack]) == 0
    assert "warning: network.nat: `none` without endpoints" in capsys.readouterr().out
    assert main(["check", "--config-file", stack, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    advice = {a["control"]: a for a in data["advice"]}
    assert set(advice) == {"ECS.2", "ELB.1"}
    assert advice["ECS.2"]["message"].startswith("`network.nat: none` without endpoints gives the tasks public IPs")
    assert "policies/config/cheap.json" in advice["ECS.2"]["message"]
    # The exceptions the advice gives, together, are a policy config that passes.
    merged = {k: v for a in data["advice"] for k, v in json.loads(a["exception"]).items()}
    assert merged["ecs-2"]["exceptions"][0]["resource"] == "cheap-web-svc"
    policy = tmp_path / "cheap.json"
    policy.write_text(json.dumps(merged))
    assert main(["check", "--config-file", stack, "--policy-config", str(policy)]) == 0
    assert "What to do:" not in capsys.readouterr().out


def test_a_mandatory_failure_without_a_setting_to_blame_gets_the_general_advice():
    cfg = parse(RawConfig("ecs-app", "insecure", INSECURE))
    rendered = insecure_render()
    policy = compliance.load_policy_config("insecure")
    found = {a.control: a for a in advise(cfg, policy, compliance.check(rendered, policy), "policies/config/x.json")}
    assert found["ECR.2"].message.startswith("change the settings that make the resources above fail, or accept a "
                                             "finding with its reason in policies/config/x.json")
    assert found["ECR.2"].exception is None and found["ECS.2"].exception is None  # assignPublicIp: true, explicitly


def test_protect_true_makes_the_stack_production_so_elb_6_is_mandatory(tmp_path, capsys):
    protected = {**CHEAP, "ecs-app:network": {"nat": "single"}, "ecs-app:protect": True}
    stack = write_stack(tmp_path, "dev", protected)  # dev's policy config: not production by itself
    assert main(["check", "--config-file", stack]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Policy check: ecs-app/dev (production stack by `protect: true`; policy config "
                          "policies/config/dev.json)")
    elb6 = next(line for line in out.splitlines() if line.startswith("ELB.6 "))
    assert elb6.split()[2:4] == ["mandatory", "FAIL"]
    assert "  ELB.6: the stack is production (`protect: true`): set `loadBalancer.deletionProtection: true`" in out
    assert "--policy-pack-config" in out and '    {"sec-2": "advisory", "elb-6": "mandatory"}' in out
    # A production stack is told to serve HTTPS, not to accept plain HTTP.
    assert "may accept plain HTTP" not in out

    protected["ecs-app:loadBalancer"] = {"deletionProtection": True}
    assert main(["check", "--config-file", write_stack(tmp_path, "dev", protected), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["production"], data["productionBy"]) == (True, "`protect: true`")
    assert next(c for c in data["controls"] if c["id"] == "ELB.6")["status"] == "pass"


def test_a_policy_config_that_lowers_elb_6_for_a_protected_stack_exits_2(tmp_path, capsys):
    stack = write_stack(tmp_path, "p", {**CHEAP, "ecs-app:network": {"nat": "single"}, "ecs-app:protect": True})
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps({"elb-6": "advisory"}))
    assert main(["check", "--config-file", stack, "--policy-config", str(policy)]) == 2
    assert "elb-6.enforcementLevel: advisory, but `protect: true` marks the stack production" in capsys.readouterr().err


def test_prod_is_production_by_its_policy_config_and_needs_no_advice(stacks):
    _, config, evaluation = stacks["prod"]
    cfg = load_config("prod", None)
    assert cfg.protect and config.production and config.production_by is None
    assert compliance.load_policy_config("prod", protected=True).production_by is None
    assert advise(cfg, config, evaluation, "policies/config/prod.json") == []


def test_ecs_exec_fails_ecs_5_and_the_advice_accepts_it_for_the_exec_services_task_definition_only(tmp_path, capsys):
    writable = {"image": {"uri": "public.ecr.aws/nginx/nginx-unprivileged:1.27"}, "ports": [8080],
                "readonlyRootFilesystem": False, "user": "101"}
    config = {**CHEAP, "ecs-app:network": {"nat": "single"}, "ecs-app:services": {
        "web": {"exec": True, "containers": {"app": writable}},
        "api": {"containers": {"app": writable}, "loadBalancer": {"paths": ["/api/*"]}}}}
    stack = write_stack(tmp_path, "x", config)
    assert main(["check", "--config-file", stack, "--json"]) == 1
    advice = {a["control"]: a for a in json.loads(capsys.readouterr().out)["advice"]}
    assert advice["ECS.5"]["message"].startswith("ECS Exec (`exec: true`) needs writable root filesystems")
    exception = json.loads(advice["ECS.5"]["exception"])
    assert [e["resource"] for e in exception["ecs-5"]["exceptions"]] == ["x-web-task"]  # not api's
    policy = tmp_path / "x.json"
    policy.write_text(json.dumps({**exception, **json.loads(advice["ELB.1"]["exception"])}))
    assert main(["check", "--config-file", stack, "--policy-config", str(policy), "--json"]) == 1  # api still fails
    ecs5 = next(c for c in json.loads(capsys.readouterr().out)["controls"] if c["id"] == "ECS.5")
    assert [v["resource"] for v in ecs5["violations"]] == ["x-api-task"]
    assert [w["resource"] for w in ecs5["waived"]] == ["x-web-task"]
