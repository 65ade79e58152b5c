"""Each profile's `generation_overrides` (reference_server/fuzzing.py) accepts exactly the bodies the
spec's own schema accepts, so fuzzing from the override tests the spec's contract.

The 3Commas ver1 creates' rules depend only on a few switches and on which fields are present: every
combination of those switches' values (absent included) and of the required fields' presence is
checked against both forms (the other properties do not take part in the rules).
"""

from __future__ import annotations

import itertools

import jsonschema_rs
import pytest

from reference_server.fuzzing import profiles
from spec_tools.load import load_yaml

SWITCHES = {
    "take_profit_enabled": [True, "true", False, "false"],
    "stop_loss_enabled": [True, "true", False, "false"],
    "take_profit_type": [None, "classic", "step_sell"],
    "trailing_buy_enabled": [None, True, "true", False, "false"],
    "take_profit_sell_method": [None, "limit", "market"],
    "trailing_take_profit": [None, True, "true", False, "false"],
    "stop_loss_sell_method": [None, "limit", "market"],
}
PRESENT = [
    "take_profit_price_condition",
    "take_profit_percentage_condition",
    "take_profit_step_orders",
    "take_profit_sell_order_price",
    "trailing_take_profit_step",
    "stop_loss_price_condition",
    "stop_loss_percentage_condition",
    "stop_loss_sell_order_price",
]
OVERRIDES = [
    (profile, name) for profile in profiles() for name in profile.generation_overrides
]


def _forms(profile, name: str) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """(the spec's schema, the schema Schemathesis is given) of one component."""
    original = load_yaml(profile.api.spec_path)["components"]["schemas"][name]
    return original, profile.generation_spec()["components"]["schemas"][name]


def _rule_pairs() -> dict[str, tuple[list, list]]:
    """The distinct (spec rules, override rules) pairs, each named by the components that have it:
    components with the same rules in both forms (the ver1 SmartTrade and SmartCover creates) are
    checked once."""
    pairs: dict[str, tuple[list, list]] = {}
    for profile, name in OVERRIDES:
        original, override = _forms(profile, name)
        rules = (original.get("allOf", []), override.get("allOf", []))
        same = next((key for key, pair in pairs.items() if pair == rules), None)
        if same is None:
            pairs[f"{profile.name}-{name}"] = rules
        else:
            pairs[f"{same}+{name}"] = pairs.pop(same)
    return pairs


RULE_PAIRS = _rule_pairs()


@pytest.mark.parametrize(
    ("profile", "name"), OVERRIDES, ids=[f"{p.name}-{n}" for p, n in OVERRIDES]
)
def test_override_changes_only_the_rules(profile, name: str) -> None:  # type: ignore[no-untyped-def]
    original, override = _forms(profile, name)
    assert set(override) - {"allOf"} == set(original) - {"allOf"}, "only the rules may differ"
    assert {k: v for k, v in override.items() if k != "allOf"} == {
        k: v for k, v in original.items() if k != "allOf"
    }
    assert "if" in str(original["allOf"]), "the spec keeps its if/then rules"


@pytest.mark.parametrize("rules", list(RULE_PAIRS))
def test_override_rules_accept_what_the_spec_rules_accept(rules: str) -> None:
    original, override = RULE_PAIRS[rules]
    spec_rules = jsonschema_rs.Draft202012Validator({"allOf": original})
    generated_rules = jsonschema_rs.Draft202012Validator({"allOf": override})
    combos = list(itertools.product(*SWITCHES.values()))
    presences = [
        {field: "1" for i, field in enumerate(PRESENT) if mask >> i & 1}
        for mask in range(2 ** len(PRESENT))
    ]
    # Every switch combination with every presence mask: about 2.8 million bodies.
    checked = 0
    for combo in combos:
        base = {k: v for k, v in zip(SWITCHES, combo, strict=True) if v is not None}
        for presence in presences:
            body = base | presence
            assert spec_rules.is_valid(body) == generated_rules.is_valid(body), body
        checked += len(presences)
    assert checked == len(combos) * 2 ** len(PRESENT)


RULE_FREE = [(profile, name) for profile in profiles() for name in profile.rule_free_negatives]


@pytest.mark.parametrize(
    ("profile", "name"), RULE_FREE, ids=[f"{p.name}-{n}" for p, n in RULE_FREE]
)
def test_negative_cases_come_from_the_schema_less_its_rules(profile, name: str) -> None:  # type: ignore[no-untyped-def]
    """The negative form is the positive one without its top-level `allOf`: the positive form is
    the negative one *and* the rules, so whatever the negative form rejects, the spec rejects."""
    positive = profile.generation_spec()["components"]["schemas"][name]
    negative = profile.negative_generation_spec()["components"]["schemas"][name]
    assert positive["allOf"], "the rules are there for the positive cases"
    assert negative == {key: value for key, value in positive.items() if key != "allOf"}


@pytest.mark.parametrize("profile", profiles(), ids=lambda p: p.name)
def test_only_the_named_components_lose_their_rules(profile) -> None:  # type: ignore[no-untyped-def]
    positive = profile.generation_spec()
    negative = profile.negative_generation_spec()
    for name in profile.rule_free_negatives:
        del positive["components"]["schemas"][name], negative["components"]["schemas"][name]
    assert negative == positive


def test_the_operations_fuzzed_a_mode_at_a_time() -> None:
    from reference_server.fuzzing import profile_named

    assert profile_named("3commas").rule_free_operations() == {
        "create_smart_trade_v1",
        "create_smart_cover_v1",
        "create_smart_sell_v1",
        "update_smart_trade_v1",
    }
