"""README's configuration reference is generated from the model and must not drift."""

import re

from deploy.config import model, reference


def test_readme_reference_matches_the_model():
    assert reference.current() == reference.render(), "run: python -m deploy.config.reference --write"


def test_every_field_of_every_section_is_documented():
    text = reference.render()
    for title, section, kind in reference.SECTIONS:
        for name, field in section.model_fields.items():
            if kind == "stack" and name not in ("name", "protect", "tags", "dashboard", "services"):
                continue
            assert field.description, f"{section.__name__}.{name} has no description"
            assert f"| `{field.alias or name}` |" in text


def test_defaults_are_rendered_from_the_model():
    text = reference.render()
    assert re.search(r"\| `deregistrationDelay` \| int[^|]* \| `30` \|", text)  # type column: next test
    assert "| `nat` | `none` \\| `single` \\| `per-az` \\| `instance` \\| `regional` | `single` |" in text
    assert model.Routing.model_fields["deregistration_delay"].default == 30


def test_bounds_of_a_field_appear_in_its_type_whether_or_not_it_is_optional():
    text = reference.render()
    assert "| `priority` | int (1 to 50000) | none |" in text  # Optional[Annotated[int, Bounds]]
    assert "| `ports` | list of int (1 to 65535) | none |" in text  # list[Annotated[int, Bounds]]
    assert "| `azCount` | int (2 to 6) | `2` |" in text  # Annotated[int, Bounds] itself


def test_the_name_limits_of_elb_are_in_the_reference():
    text = reference.render()
    services = next(line for line in text.splitlines() if line.startswith("| `services` |"))
    assert "prefix have at most 20 characters together" in services and "16 with the prefix `prod`" in services
    assert "**required** (at least one)" in services
    name = next(line for line in text.splitlines() if line.startswith("| `name` |"))
    assert "At most 20 characters" in name


def test_defaults_are_written_as_the_stack_file_writes_them():
    text = reference.render()
    assert "| `paths` | list of str | `[\"/*\"]` |" in text and "`[{provider: FARGATE, weight: 1}]`" in text
    assert "| `prefix` | str | `\"\"` |" in text and "{'" not in text and "['" not in text
