"""Every field the documentation shows in a SmartTrade response (seed 000's table, as resolved by the
curation registry, and seed 003's real body) exists in the SmartTrade schema."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from spec_tools import paths as schema_paths
from tests.seed_documents import SEED_000, seed_003_body

# How the registry resolves the table's broken names (entry ids in openapi/3commas.curation.yaml).
RESOLUTIONS = {
    "[percet]": "[percent]",  # typo-percet-step-price, typo-percet-step-trailing
    "`": "",  # artifact-stray-backtick
    "reduce_funds[steps][status]": "reduce_funds[steps][][status]",  # artifact-missing-array-brackets
}


def seed_000_response_fields() -> list[str]:
    text = SEED_000.read_text(encoding="utf-8")
    table = text.split("**Parameters response**", 1)[1].split("**Example request**", 1)[0]
    return re.findall(r"^\|\*\*(.+?)\*\*\s*\|", table, re.MULTILINE)


def to_field_path(bracketed: str) -> str:
    """`take_profit[steps][][price][percent]` -> `take_profit.steps[].price.percent`."""
    for wrong, right in RESOLUTIONS.items():
        bracketed = bracketed.replace(wrong, right)
    head, *rest = re.split(r"\[", bracketed)
    path = head
    for part in rest:
        name = part.rstrip("]")
        path = path + "[]" if name == "" else f"{path}.{name}"
    return path


def json_field_paths(node: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            yield from json_field_paths(value, path)
    elif isinstance(node, list):
        for item in node:
            yield from json_field_paths(item, prefix + "[]")


def test_table_parsed() -> None:
    fields = seed_000_response_fields()
    assert len(fields) == 135
    assert "take_profit[steps][][price][percet]" in fields
    assert (
        to_field_path("take_profit[steps][][price][percet]") == "take_profit.steps[].price.percent"
    )


@pytest.mark.parametrize("field", seed_000_response_fields())
def test_seed_000_response_field_exists(spec: dict[str, Any], field: str) -> None:
    path = to_field_path(field)
    assert schema_paths.find(spec, f"SmartTrade#{path}"), f"{field} -> {path}"


@pytest.mark.parametrize("path", sorted(set(json_field_paths(seed_003_body()))))
def test_seed_003_field_exists(spec: dict[str, Any], path: str) -> None:
    assert schema_paths.find(spec, f"SmartTrade#{path}")


def test_an_unknown_field_is_not_found(spec: dict[str, Any]) -> None:
    assert schema_paths.find(spec, "SmartTrade#take_profit.steps[].price.percet") == []
    assert schema_paths.find(spec, "SmartTrade#data.nonexistent") == []
