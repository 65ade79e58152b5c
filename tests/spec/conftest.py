"""Fixtures over the 3Commas contract: the parsed spec, its text, the curation registry, validators.
What every spec must satisfy is tested per target instead (targets.py, test_targets.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from generator.specs import REPO_ROOT, target_by_name
from spec_tools import curation
from spec_tools.load import parse_yaml
from spec_tools.validators import schema_validator

THREECOMMAS = target_by_name("threecommas")
REPO = REPO_ROOT
SPEC_PATH = REPO / THREECOMMAS.spec
SOURCES = REPO / THREECOMMAS.sources


@pytest.fixture(scope="session")
def spec_text() -> str:
    return SPEC_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def spec(spec_text: str) -> dict[str, Any]:
    data = parse_yaml(spec_text)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="session")
def registry() -> dict[str, Any]:
    assert THREECOMMAS.registry is not None
    return curation.load_registry(REPO / THREECOMMAS.registry)


Validator = Callable[[str], jsonschema.Draft202012Validator]


@pytest.fixture(scope="session")
def validator(spec: dict[str, Any]) -> Validator:
    cache: dict[str, jsonschema.Draft202012Validator] = {}

    def make(component: str) -> jsonschema.Draft202012Validator:
        if component not in cache:
            cache[component] = schema_validator(spec, component)
        return cache[component]

    return make
