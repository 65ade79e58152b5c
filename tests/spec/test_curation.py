"""The curation registry holds against the spec and its sources, covers the known discrepancies, and its
check fails when the spec regresses."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest

from spec_tools import curation

from .conftest import SOURCES

Spec = dict[str, Any]

# Discrepancies the registry must cover (the list), each by the entry id that records it.
REQUIRED_ENTRIES = {
    "typo-percet-step-price", "typo-percet-step-trailing", "typo-cros", "typo-stope", "typo-smartrade",
    "artifact-russian-note", "typo-cyrillic-can", "artifact-stray-backtick", "type-leverage-value",
    "artifact-decimal-comma", "artifact-default-false-on-strings", "contra-permission-names",
    "contra-successfully-finish", "contra-leverage-types", "contra-leverage-required",
    "contra-position-price-required", "contra-tp-sl-required", "type-instant", "type-position-total",
    "type-position-status-type", "type-step-price-type", "type-step-cancelable", "type-step-position",
}  # fmt: skip
RULES = {
    "rule-instant-needs-no-targets", "rule-conditional-entry", "rule-limit-entry-price", "rule-leverage-type",
    "rule-take-profit-steps", "rule-take-profit-volume-sum", "rule-step-price-value-or-percent",
    "rule-trailing-percent", "rule-trailing-percent-bounds", "rule-stop-loss-enabled",
    "rule-stop-loss-limit-price", "rule-timeout-value", "rule-note-length",
}  # fmt: skip


def test_ids_are_unique(registry: Spec) -> None:
    ids = Counter(item["id"] for item in [*registry["entries"], *registry["rules"]])
    assert [i for i, n in ids.items() if n > 1] == []


def test_covers_the_known_discrepancies(registry: Spec) -> None:
    ids = {entry["id"] for entry in registry["entries"]}
    assert REQUIRED_ENTRIES - ids == set()
    assert {entry["category"] for entry in registry["entries"]} == set(registry["categories"])


def test_lists_every_business_rule(registry: Spec) -> None:
    assert RULES - {rule["id"] for rule in registry["rules"]} == set()


def test_every_typo_entry_names_a_word_to_keep_out(registry: Spec) -> None:
    for entry in registry["entries"]:
        if entry["category"] == "typo":
            assert entry["check"].get("absent_tokens"), entry["id"]


def _problems(spec: Spec, text: str, registry: Spec) -> list[str]:
    return [str(p) for p in curation.check_registry(spec, text, registry, SOURCES)]


def test_check_fails_when_a_typo_comes_back(spec: Spec, spec_text: str, registry: Spec) -> None:
    broken = copy.deepcopy(spec)
    price = broken["components"]["schemas"]["ConditionalPrice"]["properties"]
    price["percet"] = price.pop("percent")
    problems = _problems(broken, spec_text.replace("percent:", "percet:"), registry)
    assert any(
        p.startswith("typo-percet-step-price: field SmartTrade#take_profit.steps[].price.percent")
        for p in problems
    )
    assert any("the spec still contains 'percet'" in p for p in problems)


def test_check_fails_when_a_type_regresses(spec: Spec, spec_text: str, registry: Spec) -> None:
    broken = copy.deepcopy(spec)
    broken["components"]["schemas"]["SmartTrade"]["properties"]["instant"] = {
        "type": "string",
        "description": "x",
    }
    assert (
        "type-instant: SmartTrade#instant has types ['string'], registry says ['boolean']"
        in _problems(broken, spec_text, registry)
    )


def test_check_fails_when_a_rule_leaves_the_schema(
    spec: Spec, spec_text: str, registry: Spec
) -> None:
    broken = copy.deepcopy(spec)
    del broken["components"]["schemas"]["PositionParams"]["allOf"][1]
    problems = _problems(broken, spec_text, registry)
    assert any(p.startswith("rule-conditional-entry: its violation is accepted") for p in problems)


def test_check_fails_on_a_quote_not_in_its_source(
    spec: Spec, spec_text: str, registry: Spec
) -> None:
    broken = copy.deepcopy(registry)
    broken["entries"][0]["quote"] = "words no source document contains"
    assert any(
        "is not in 000_2670319b238968a9.txt" in p for p in _problems(spec, spec_text, broken)
    )


def test_check_fails_on_a_duplicate_id(spec: Spec, spec_text: str, registry: Spec) -> None:
    broken = copy.deepcopy(registry)
    broken["entries"].append(broken["entries"][0])
    assert f"{broken['entries'][0]['id']}: duplicate id" in _problems(spec, spec_text, broken)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_schema_rules_reject_their_violation(
    spec: Spec, registry: Spec, validator: Any, rule_id: str
) -> None:
    rule = next(r for r in registry["rules"] if r["id"] == rule_id)
    check = validator(rule["schema"])
    assert check.is_valid(rule["valid"])
    assert check.is_valid(rule["violation"]) == (rule["enforced_by"] == "server")


def test_check_fails_when_a_success_status_is_dropped(
    spec: Spec, spec_text: str, registry: Spec
) -> None:
    broken = copy.deepcopy(spec)
    del broken["paths"]["/v2/smart_trades"]["post"]["responses"]["200"]
    note = broken["paths"]["/v2/smart_trades/{id}/set_note"]["post"]["responses"]
    note["200"] = note.pop("201")
    problems = _problems(broken, spec_text, registry)
    create = "create_smart_trade declares 2xx [201], registry says [201, 200]"
    assert f"contra-create-success-status: {create}" in problems
    set_note = "set_smart_trade_note declares 2xx [200], registry says [201]"
    assert f"beyond-success-statuses: {set_note}" in problems
    assert any(p.startswith("contra-create-success-status: /paths/") for p in problems)


def test_check_fails_when_a_real_payload_shape_regresses(
    spec: Spec, spec_text: str, registry: Spec
) -> None:
    broken = copy.deepcopy(spec)
    schemas = broken["components"]["schemas"]
    schemas["Pair"]["pattern"] = "^[A-Z0-9]{1,20}_[A-Z0-9]{1,20}(_[A-Z0-9]{1,20})?$"
    schemas["Account"]["properties"]["type"]["x-known-values"].remove("gate_io")
    schemas["SmartTradeData"]["properties"]["current_price"] = {
        "$ref": "#/components/schemas/CurrentPrice",
        "description": "x",
    }
    problems = _problems(broken, spec_text, registry)
    assert "beyond-pair-pattern: Pair rejects 'USD_MATIC-PERP'" in problems
    assert (
        "beyond-account-types: SmartTrade#account.type does not list ['gate_io'] in x-known-values"
        in problems
    )
    assert "beyond-current-price-null: SmartTradeData rejects {'current_price': None}" in problems


def test_deliberate_divergence_is_a_category_with_a_checked_entry(registry: Spec) -> None:
    assert "deliberate_divergence" in registry["categories"]
    entry = next(e for e in registry["entries"] if e["id"] == "divergence-closed-request-objects")
    assert entry["category"] == "deliberate_divergence"
    assert "stop_los" in entry["reason"] and "--lenient" in entry["reason"]
    assert entry["check"]["pointer"] and entry["check"]["rejects"]


def test_check_fails_when_a_request_object_is_opened(
    spec: Spec, spec_text: str, registry: Spec
) -> None:
    broken = copy.deepcopy(spec)
    del broken["components"]["schemas"]["SmartTradeCreateRequest"]["additionalProperties"]
    problems = _problems(broken, spec_text, registry)
    assert any(
        p.startswith(
            "divergence-closed-request-objects: /components/schemas/SmartTradeCreateRequest/"
            "additionalProperties is absent"
        )
        for p in problems
    )
    assert any(
        p.startswith("divergence-closed-request-objects: SmartTradeCreateRequest accepts")
        for p in problems
    )


def test_a_deliberate_divergence_needs_its_reason(
    spec: Spec, spec_text: str, registry: Spec
) -> None:
    broken = copy.deepcopy(registry)
    entry = next(e for e in broken["entries"] if e["category"] == "deliberate_divergence")
    del entry["reason"]
    assert f"{entry['id']}: has no reason" in _problems(spec, spec_text, broken)
