"""Fixtures over the 3Commas contract: the parsed spec, its text, the curation registry, validators."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator import curation

REPO = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO / "openapi" / "3commas.yaml"


@pytest.fixture(scope="session")
def spec_text() -> str:
    return SPEC_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def spec(spec_text: str) -> dict[str, Any]:
    data = yaml.safe_load(spec_text)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="session")
def registry() -> dict[str, Any]:
    return curation.load_registry()


Validator = Callable[[str], jsonschema.Draft202012Validator]


@pytest.fixture(scope="session")
def validator(spec: dict[str, Any]) -> Validator:
    cache: dict[str, jsonschema.Draft202012Validator] = {}

    def make(component: str) -> jsonschema.Draft202012Validator:
        if component not in cache:
            cache[component] = curation.schema_validator(spec, component)
        return cache[component]

    return make
