"""README's configuration reference is generated from the model and must not drift."""

from deploy import reference
from deploy.config import model


def test_readme_reference_matches_the_model():
    assert reference.current() == reference.render(), "run: python -m deploy.reference --write"


def test_every_field_of_every_section_is_documented():
    text = reference.render()
    for title, section, kind in reference.SECTIONS:
        for name, field in section.model_fields.items():
            if kind == "stack" and name not in ("name", "protect", "tags"):
                continue
            assert field.description, f"{section.__name__}.{name} has no description"
            assert f"| `{field.alias or name}` |" in text


def test_defaults_are_rendered_from_the_model():
    text = reference.render()
    assert "| `deregistrationDelay` | int | `30` |" in text
    assert "| `nat` | `none` \\| `single` \\| `per-az` | `single` |" in text
    assert model.Routing.model_fields["deregistration_delay"].default == 30
