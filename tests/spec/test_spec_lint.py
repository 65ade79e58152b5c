"""The contract lint passes on the spec and fails on each kind of gap it looks for."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from spec_tools import lint

Spec = dict[str, Any]


PROFILE = "threecommas"  # generator/specs.py; lint-clean under it for every target: test_targets.py


def _break_summary(s: Spec) -> None:
    del s["paths"]["/v2/smart_trades"]["get"]["summary"]


def _break_security(s: Spec) -> None:
    s["paths"]["/v2/smart_trades/{id}"]["delete"]["security"] = []


def _break_property_description(s: Spec) -> None:
    del s["components"]["schemas"]["Trade"]["properties"]["pair"]["description"]


def _break_component_description(s: Spec) -> None:
    del s["components"]["schemas"]["Margin"]["description"]


def _add_unused_component(s: Spec) -> None:
    s["components"]["schemas"]["Orphan"] = {"type": "string", "description": "Never referenced."}


def _add_dangling_ref(s: Spec) -> None:
    s["components"]["schemas"]["Position"]["properties"]["units"] = {
        "$ref": "#/components/schemas/Nope",
        "description": "Broken.",
    }


def _drop_forced_mode(s: Spec) -> None:
    s["paths"]["/v2/smart_trades/{id}"]["get"]["parameters"] = []


def _drop_success_status(s: Spec) -> None:
    del s["paths"]["/v2/smart_trades"]["post"]["x-success-status"]


def _undeclared_success_status(s: Spec) -> None:
    s["paths"]["/v2/smart_trades"]["post"]["x-success-status"] = 202


def _success_without_links(s: Spec) -> None:
    s["paths"]["/v2/smart_trades"]["post"]["responses"]["200"] = {
        "description": "The SmartTrade as created.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SmartTrade"}}},
    }


def _link_to_nowhere(s: Spec) -> None:
    links = s["components"]["responses"]["SmartTradeCreated"]["links"]
    links["GetSmartTrade"]["operationId"] = "get_smart_trad"


V1_CREATE = "/ver1/smart_trades/create_simple_buy"


def _drop_replacement(s: Spec) -> None:
    del s["paths"][V1_CREATE]["post"]["x-replaced-by"]


def _replacement_to_nowhere(s: Spec) -> None:
    s["paths"][V1_CREATE]["post"]["x-replaced-by"] = "create_smart_trad"


def _replacement_not_in_description(s: Spec) -> None:
    s["paths"][V1_CREATE]["post"]["x-replaced-by"] = "get_smart_trade"


def _replacement_of_a_live_operation(s: Spec) -> None:
    s["paths"]["/v2/smart_trades"]["get"]["x-replaced-by"] = "get_smart_trade"


@pytest.mark.parametrize(
    ("breaker", "expected"),
    [
        (_drop_replacement, "deprecated without x-replaced-by"),
        (_replacement_to_nowhere, "x-replaced-by 'create_smart_trad' is no operationId"),
        (_replacement_not_in_description, "description does not name its replacement"),
        (_replacement_of_a_live_operation, "x-replaced-by on an operation that is not deprecated"),
        (_drop_success_status, "declares ['200', '201'] but no x-success-status"),
        (_undeclared_success_status, "x-success-status 202 is not one of its 2xx responses"),
        (_success_without_links, "its 2xx responses ['200', '201'] carry different links"),
        (_link_to_nowhere, "link GetSmartTrade names no operation: get_smart_trad"),
        (_break_summary, "has no summary"),
        (_break_security, "has no security"),
        (_break_property_description, "property has no description"),
        (_break_component_description, "component has no description"),
        (_add_unused_component, "component is never used"),
        (_add_dangling_ref, "$ref does not resolve"),
        (_drop_forced_mode, "has no Forced-Mode"),
    ],
)
def test_lint_finds(
    spec: Spec, spec_text: str, registry: Spec, breaker: Callable[[Spec], None], expected: str
) -> None:
    broken = copy.deepcopy(spec)
    breaker(broken)
    problems = [str(p) for p in lint.lint_contract(broken, spec_text, registry, PROFILE)]
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("typo", ["percet", "cros", "stope", "SmarTrade", "trailing_last_pirce"])
def test_lint_finds_registered_typos(spec: Spec, spec_text: str, registry: Spec, typo: str) -> None:
    problems = [
        str(p) for p in lint.lint_contract(spec, spec_text + f"\n# {typo}\n", registry, PROFILE)
    ]
    assert problems == [f"spec text: contains {typo!r}, a typo per the spec's curation registry"]


def test_typo_match_is_whole_word(spec: Spec, spec_text: str, registry: Spec) -> None:
    assert "cross" in spec_text and "SMART_TRADES_WRITE" in spec_text
    assert lint.lint_contract(spec, spec_text, registry, PROFILE) == []
