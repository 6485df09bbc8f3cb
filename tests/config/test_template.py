"""The `template:` section of Pulumi.yaml, which `pulumi new` prompts with: every prompt is a config key of this
project (or the AWS provider's region), and the stack its defaults make is valid."""

from __future__ import annotations

from pathlib import Path

import yaml
from pulumi.automation import ProjectSettings

from deploy.cli import main
from deploy.config.model import SCALARS, SECTIONS, StackConfig
from deploy.config.parse import load
from deploy.config.source import json_value, project_name, read_stack_file
from tests.conftest import ROOT

PROJECT_FILE = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
TEMPLATE = PROJECT_FILE["template"]
PROVIDER_KEYS = {"aws:region"}
"""Keys of other namespaces a new stack sets: the AWS provider's Region (required)."""


def test_the_project_file_still_names_the_project_and_the_sdk_reads_the_template():
    assert project_name() == PROJECT_FILE["name"] == "ecs-app"
    settings = ProjectSettings.from_dict(PROJECT_FILE)
    assert settings.template is not None and settings.template.description and settings.template.quickstart
    assert set(settings.template.config) == set(TEMPLATE["config"])


def test_the_template_uses_only_the_keys_pulumi_documents():
    assert set(TEMPLATE) <= {"displayName", "description", "quickstart", "config", "important", "metadata"}
    for key, prompt in TEMPLATE["config"].items():
        assert set(prompt) <= {"description", "default", "secret"}, key
        assert isinstance(prompt["description"], str) and prompt["description"].strip(), key
        assert isinstance(prompt.get("default", ""), str), f"{key}: pulumi new sets a string"


def test_every_prompt_is_a_config_key():
    fields = {f.alias or name for name, f in StackConfig.model_fields.items()}
    for key in TEMPLATE["config"]:
        namespace, _, name = key.partition(":")
        if namespace == project_name():
            assert name in {*SECTIONS, *SCALARS} and name in fields, key
        else:
            assert key in PROVIDER_KEYS, key
    assert {"aws:region", "ecs-app:name", "ecs-app:services"} <= set(TEMPLATE["config"])


def new_stack(tmp_path) -> str:
    """The stack file `pulumi new` writes when every prompt is answered with its default (empty ones unset)."""
    config = {k: p["default"] for k, p in TEMPLATE["config"].items() if p.get("default")}
    path = tmp_path / "Pulumi.new.yaml"
    path.write_text(yaml.safe_dump({"config": config}))
    return str(path)


def test_the_defaults_make_a_valid_stack(tmp_path, capsys):
    assert main(["validate", "--config-file", new_stack(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("ecs-app/new: configuration is valid (1 service)")


def test_the_default_services_are_the_readmes_minimal_stack(tmp_path):
    readme = (ROOT / "README.md").read_text()
    minimal = readme[readme.index("A minimal stack"):]
    minimal = minimal[minimal.index("```yaml") + len("```yaml"):]
    path = tmp_path / "Pulumi.readme.yaml"
    path.write_text(minimal[:minimal.index("```")])
    from_template = load(Path(new_stack(tmp_path)), "ecs-app", "new")
    assert from_template.services == load(path, "ecs-app", "readme").services


def test_a_json_string_reads_like_the_mapping_it_holds_as_it_does_under_pulumi_up(tmp_path):
    default = TEMPLATE["config"]["ecs-app:services"]["default"]
    path = tmp_path / "Pulumi.json.yaml"
    path.write_text(yaml.safe_dump({"config": {"aws:region": "us-east-1", "ecs-app:services": default,
                                               "ecs-app:name": "[not json", "ecs-app:tags": {"a": "{}"}}}))
    values = read_stack_file(path, "ecs-app", "json").values
    assert values["ecs-app:services"] == json_value(default) and isinstance(values["ecs-app:services"], dict)
    assert values["ecs-app:name"] == "[not json" and values["ecs-app:tags"] == {"a": "{}"}  # top-level JSON only
