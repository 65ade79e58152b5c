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


def _rules(schema: dict) -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator({"allOf": schema.get("allOf", [])})


@pytest.mark.parametrize(
    ("profile", "name"), OVERRIDES, ids=[f"{p.name}-{n}" for p, n in OVERRIDES]
)
def test_override_accepts_what_the_spec_accepts(profile, name: str) -> None:  # type: ignore[no-untyped-def]
    spec = load_yaml(profile.api.spec_path)
    original = spec["components"]["schemas"][name]
    override = profile.generation_spec()["components"]["schemas"][name]
    assert set(override) - {"allOf"} == set(original) - {"allOf"}, "only the rules may differ"
    assert {k: v for k, v in override.items() if k != "allOf"} == {
        k: v for k, v in original.items() if k != "allOf"
    }
    assert "if" in str(original["allOf"]), "the spec keeps its if/then rules"
    spec_rules, generated_rules = _rules(original), _rules(override)
    combos = list(itertools.product(*SWITCHES.values()))
    masks = range(2 ** len(PRESENT))
    # Every switch combination with every presence mask: about 2.8 million bodies.
    checked = 0
    for combo in combos:
        base = {k: v for k, v in zip(SWITCHES, combo, strict=True) if v is not None}
        for mask in masks:
            body = dict(base)
            body.update({field: "1" for i, field in enumerate(PRESENT) if mask >> i & 1})
            assert spec_rules.is_valid(body) == generated_rules.is_valid(body), body
            checked += 1
    assert checked == len(combos) * len(masks)
