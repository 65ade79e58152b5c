"""`make bench`'s in-process fuzz figure generates from the schema the fuzz tests use: from the raw
spec, the ver1 creates' nine `if`/`then`s stopped the bench (UnsupportedSchema) before it printed."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, given, settings

from benchmarks.server import fuzz_schema


def test_the_bench_can_generate_every_ver1_create() -> None:
    schema = fuzz_schema()
    drawn: list[Any] = []
    for label in (
        "POST /ver1/smart_trades/create_smart_trade",
        "POST /ver1/smart_trades/create_smart_cover",
    ):
        operation = schema.find_operation_by_label(label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=1,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def draw(case: Any) -> None:
            drawn.append(case)

        draw()
    assert [case.operation.label for case in drawn] == [
        "POST /ver1/smart_trades/create_smart_trade",
        "POST /ver1/smart_trades/create_smart_cover",
    ]
