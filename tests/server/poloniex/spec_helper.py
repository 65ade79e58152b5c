"""openapi/poloniex.yaml as data, and validators for its schemas with `#/components/...` resolved."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from spec_tools.load import load_yaml
from spec_tools.validators import validator_at

SPEC_PATH = Path(__file__).resolve().parents[3] / "openapi" / "poloniex.yaml"
SPEC: dict[str, Any] = load_yaml(SPEC_PATH)


@cache
def validator(pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer` (`/components/schemas/SmartOrder`)."""
    validator_: Draft202012Validator = validator_at(SPEC, pointer)
    return validator_


def schema_validator(name: str) -> Draft202012Validator:
    return validator(f"/components/schemas/{name}")


def response_validator(path: str, method: str, status: str = "200") -> Draft202012Validator:
    escaped = path.replace("~", "~0").replace("/", "~1")
    return validator(
        f"/paths/{escaped}/{method}/responses/{status}/content/application~1json/schema"
    )


def assert_valid(validator_: Draft202012Validator, instance: Any) -> None:
    errors = sorted(validator_.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
