"""The compiled parameter checks (spec_validation.compile_scalar_check) against jsonschema: a value a
compiled check accepts, the parameter's jsonschema validator accepts too, for every parameter of
every served spec; anything it does not accept goes to jsonschema, which names the problem."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from reference_server.apis import APIS
from reference_server.spec_validation import Spec, compile_scalar_check, validate_parameters

SAMPLES: list[Any] = [
    0, 1, -1, 2, 7, 99, 100, 101, 1000, 2**31, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1,
    Decimal(1), Decimal("1.5"), Decimal("-0.0"), Decimal("1E+3"), Decimal("0.0000001"),
    "", "a", "abc", "paper", "real", "x" * 300, "2024-01-02T03:04:05Z", "2024-13-02T03:04:05Z",
    "buy", "sell", "USDT_BTC", "BTC_USDT", "created_at", "1", "true", True, False, None, [], {},
]  # fmt: skip


def _params() -> list[Any]:
    out = []
    for api in APIS:
        spec = Spec(api.spec_path)
        for op in spec.operations:
            for param in op.parameters:
                out.append(pytest.param(param, id=f"{api.name}:{op.operation_id}:{param.name}"))
    return out


@pytest.mark.parametrize("param", _params())
def test_a_compiled_check_accepts_only_what_jsonschema_accepts(param: Any) -> None:
    if param.check is None:
        return
    enum = param.schema.get("enum") if isinstance(param.schema, dict) else None
    for value in [*SAMPLES, *(enum or [])]:
        if param.check(value):
            assert param.validator.is_valid(value), (param.name, value)


def test_the_trade_id_is_checked_without_jsonschema() -> None:
    spec = Spec(APIS[0].spec_path)
    (param,) = [p for p in spec.by_id["get_smart_trade"].parameters if p.location == "path"]
    assert param.check is not None
    assert param.check(30000001) and not param.check(0) and not param.check(True)
    op = spec.by_id["get_smart_trade"]
    assert validate_parameters(op, {"id": "30000001"}, {}, {}) == {"id": 30000001}


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer", "multipleOf": 2},
        {"type": ["integer", "null"]},
        {"anyOf": [{"type": "integer"}]},
        {"type": "string", "format": "date-time", "const": "x"},
        {"type": "object"},
        {"type": "integer", "minimum": True},
    ],
)
def test_anything_but_a_simple_scalar_is_left_to_jsonschema(schema: dict[str, Any]) -> None:
    assert compile_scalar_check(schema) is None


def test_a_compiled_check_follows_the_keywords() -> None:
    check = compile_scalar_check(
        {"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-z]+$", "x-note": 1}
    )
    assert check is not None
    assert [check(v) for v in ("ab", "abc", "a", "abcd", "AB", 12)] == [
        True, True, False, False, False, False,
    ]  # fmt: skip
    bounded = compile_scalar_check({"type": "number", "exclusiveMinimum": 0, "maximum": 0.3})
    assert bounded is not None
    assert [bounded(v) for v in (Decimal("0.3"), Decimal("0.30000000001"), 0, True)] == [
        True, False, False, False,
    ]  # fmt: skip
