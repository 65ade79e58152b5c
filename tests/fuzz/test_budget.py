"""The one-mode configs of the operations fuzzed a mode at a time (tests/fuzz/budget.py)."""

from __future__ import annotations

import pytest
from schemathesis.generation import GenerationMode

from .budget import STATELESS_EXAMPLES, mode_config
from .targets import TARGETS


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_a_mode_alone_with_half_the_cases(mode: GenerationMode) -> None:
    target = TARGETS["3commas"]
    schema = target.positive_schema if mode is GenerationMode.POSITIVE else target.negative_schema
    project = mode_config(mode).projects.default
    assert schema.config is project
    for label in sorted(target.rule_free_labels):
        operation = schema.find_operation_by_label(label)
        for phase in ("examples", "coverage", "fuzzing"):
            generation = project.generation_for(operation=operation, phase=phase)
            assert generation.modes == [mode], (label, phase)
        fuzzing = project.generation_for(operation=operation, phase="fuzzing")
        assert fuzzing.max_examples == round(STATELESS_EXAMPLES / 2)


def test_the_rule_free_operations_by_label() -> None:
    assert TARGETS["3commas"].rule_free_labels == {
        "POST /ver1/smart_trades/create_smart_trade",
        "POST /ver1/smart_trades/create_smart_cover",
        "POST /ver1/smart_trades/create_smart_sell",
        "PATCH /ver1/smart_trades/{smart_trade_id}/update",
    }
    assert TARGETS["poloniex"].rule_free_labels == frozenset()
