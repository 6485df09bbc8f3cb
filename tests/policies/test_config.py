"""Per-stack policy config: levels, the production marker, parameters and exceptions with reasons."""

from __future__ import annotations

import json

import pytest

from policies.controls import BY_ID, REGISTRY, PolicyConfigError, Res
from policies.controls.settings import config_schema, load, parse
from tests.conftest import ROOT

CONFIG_DIR = ROOT / "policies" / "config"


def problems(data) -> list[str]:
    with pytest.raises(PolicyConfigError) as exc:
        parse(data, "cfg.json")
    return exc.value.problems


def test_prod_is_marked_production_and_dev_is_not():
    prod, dev = load(CONFIG_DIR / "prod.json"), load(CONFIG_DIR / "dev.json")
    assert prod.production is True and prod.level(BY_ID["ELB.6"]) == "mandatory"
    assert dev.production is False and dev.level(BY_ID["ELB.6"]) == "advisory"


def test_every_exception_in_the_stack_configs_names_a_resource_and_a_reason():
    for path in sorted(CONFIG_DIR.glob("*.json")):
        config = load(path)
        found = [w for c in REGISTRY for w in config.waivers(c)]
        assert all(w.resource and len(w.reason) > 20 for w in found), path.name


def test_an_exception_without_a_reason_is_an_error_naming_the_key():
    assert problems({"elb-5": {"exceptions": [{"resource": "dev-alb"}]}}) == [
        "cfg.json: elb-5.exceptions[0].reason: required: say why ELB.5 does not apply to this resource"]


def test_a_blank_reason_or_a_missing_resource_is_an_error_too():
    found = problems({"elb-5": {"exceptions": [{"resource": "dev-alb", "reason": "   "},
                                               {"reason": "because", "resources": "dev-alb"}]}})
    assert found == ["cfg.json: elb-5.exceptions[0].reason: required: say why ELB.5 does not apply to this resource",
                     "cfg.json: elb-5.exceptions[1].resources: unknown key; an exception has resource and reason",
                     "cfg.json: elb-5.exceptions[1].resource: required: the resource name, a glob pattern or a URN"]


def test_unknown_policies_keys_and_levels_are_errors_with_hints():
    found = problems({"elb-06": "mandatory", "ecs-2": {"enforcementLevel": "strict", "reasons": []},
                      "cloudwatch-16": {"minRetentionDays": "7"}})
    assert found == [
        "cfg.json: elb-06: unknown policy; did you mean `elb-6`?",
        "cfg.json: ecs-2.enforcementLevel: 'strict' is not one of advisory, mandatory, remediate, disabled",
        "cfg.json: ecs-2.reasons: unknown key; ECS.2 accepts enforcementLevel, exceptions, comment",
        "cfg.json: cloudwatch-16.minRetentionDays: must be an integer",
    ]


def test_all_sets_every_level_and_a_policy_entry_overrides_it():
    config = parse({"all": "advisory", "ecs-4": "mandatory", "rel-6": {"enforcementLevel": "disabled"}})
    assert config.level(BY_ID["ECS.2"]) == "advisory"
    assert config.level(BY_ID["ECS.4"]) == "mandatory"
    assert config.level(BY_ID["REL.6"]) == "disabled"


def test_exceptions_match_a_name_a_glob_or_a_urn():
    config = parse({"elb-5": {"exceptions": [{"resource": "dev-*", "reason": "dev has no log bucket"},
                                             {"resource": "urn:pulumi:prod::ecs-app::x::prod-alb",
                                              "reason": "migrating the log bucket"}]}})
    glob, urn = config.waivers(BY_ID["ELB.5"])

    def r(name: str, urn_: str = "urn:other") -> Res:
        return Res(type="aws:lb/loadBalancer:LoadBalancer", name=name, urn=urn_, props={})

    assert glob.matches(r("dev-alb")) and not glob.matches(r("prod-alb"))
    assert urn.matches(r("prod-alb", "urn:pulumi:prod::ecs-app::x::prod-alb")) and not urn.matches(r("prod-alb"))


def test_the_config_files_are_what_pulumi_reads_a_json_object_keyed_by_policy_name():
    names = {c.policy_name for c in REGISTRY} | {"all"}
    for path in sorted(CONFIG_DIR.glob("*.json")):
        data = json.loads(path.read_text())
        assert set(data) <= names, path.name
        for value in data.values():
            assert isinstance(value, (str, dict))


def test_the_schema_pulumi_validates_requires_resource_and_a_non_blank_reason():
    schema = config_schema(BY_ID["ELB.5"])["exceptions"]["items"]
    assert schema["required"] == ["resource", "reason"] and schema["additionalProperties"] is False
    assert schema["properties"]["reason"]["pattern"] == "\\S"
    assert config_schema(BY_ID["REL.5"])["maxSeconds"]["default"] == 60


def test_an_unreadable_file_is_one_line():
    with pytest.raises(PolicyConfigError) as exc:
        load(CONFIG_DIR / "missing.json", "policies/config/missing.json")
    assert exc.value.problems[0].startswith("policies/config/missing.json: cannot be read")


def test_a_stack_that_is_production_for_another_reason_raises_the_production_dependent_controls():
    dev = load(CONFIG_DIR / "dev.json")
    protected = dev.as_production("`protect: true`")
    assert protected.production and protected.production_by == "`protect: true`"
    assert protected.level(BY_ID["ELB.6"]) == "mandatory" and protected.waivers(BY_ID["ELB.1"]) == dev.waivers(
        BY_ID["ELB.1"])
    assert protected.level(BY_ID["SEC.2"]) == "advisory" and dev.level(BY_ID["SEC.2"]) == "disabled"
    assert all(protected.level(c) == dev.level(c) for c in REGISTRY if c.id not in ("ELB.6", "SEC.2"))
    # Already production: nothing changes, and nothing says another reason was needed.
    prod = load(CONFIG_DIR / "prod.json")
    assert prod.as_production("`protect: true`") is prod and prod.production_by is None


def test_production_wins_over_all_but_a_level_set_by_name_below_it_is_an_error():
    assert parse({"all": "advisory"}).as_production("`protect: true`").level(BY_ID["ELB.6"]) == "mandatory"
    with pytest.raises(PolicyConfigError) as exc:
        parse({"elb-6": "advisory"}, "cfg.json").as_production("`protect: true`")
    assert exc.value.problems == ["cfg.json: elb-6.enforcementLevel: advisory, but `protect: true` marks the stack "
                                  "production, where ELB.6 is mandatory; remove the level, or the reason"]
    remediate = parse({"elb-6": "remediate", "sec-2": "mandatory"})  # stricter than production asks: kept
    assert remediate.production and remediate.as_production("x") is remediate
