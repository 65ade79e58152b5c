"""openapi/poloniex.yaml as data, and validators for its schemas with `#/components/...` resolved."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[3] / "openapi" / "poloniex.yaml"
SPEC_URI = "urn:poloniex-spec"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
_REGISTRY: Registry[Any] = Registry().with_resource(
    SPEC_URI, Resource.from_contents(SPEC, default_specification=DRAFT202012)
)


@cache
def validator(pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer` (`/components/schemas/SmartOrder`)."""
    return Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=_REGISTRY)


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
