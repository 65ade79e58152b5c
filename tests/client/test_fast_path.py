"""The compiled path (msgspec builds the response models from the JSON text: Model.from_json, the endpoints) and the
checked path (loads + from_dict) give the same result for every body: the same model (fields, unknown keys, which
keys were absent, repr, to_dict), or the same error. The compiled path declines whatever it does not read
completely, so each case below also says which path decided."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from threecommas_client._wire import DECLINED, fast_decode, loads
from threecommas_client.errors import WireValueError
from threecommas_client.models import SmartTrade

from tests.seed_documents import seed_003_text

SEED = seed_003_text()


def _text(mutate: Callable[[dict[str, Any]], object]) -> str:
    raw: dict[str, Any] = json.loads(SEED)  # floats are fine here: mutations write the JSON text they mean
    mutate(raw)
    return json.dumps(raw)


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split(".")

    def mutate(raw: dict[str, Any]) -> None:
        node: Any = raw
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is _POP:
            node.pop(last)
        else:
            node[last] = value

    return mutate


_POP = object()
_VOLUME = "profit.volume"
_CREATED = "data.created_at"

# (label, JSON text, which path must decide: "fast", "checked" or None when either may)
CASES: list[tuple[str, str, str | None]] = [
    ("seed 003", SEED, "fast"),
    ("seed 003 as compact JSON", json.dumps(json.loads(SEED), separators=(",", ":")), "fast"),
    ("unknown key at the top", _text(_set("brand_new", {"x": [1, "2", None, 1.5]})), "checked"),
    ("unknown key deep down", _text(_set("take_profit.steps.0.price.brand_new", 1)), "checked"),
    ("unknown string value", _text(_set("take_profit.steps.0.order_type", "iceberg")), "fast"),
    ("unknown enum value (kept, by _missing_)", _text(_set("position.type", "short")), "fast"),
    ("optional keys absent", _text(lambda r: [r.pop(k) for k in ("reduce_funds", "market_close", "note_raw")]), "fast"),
    ("nulls", _text(_set(_VOLUME, None)), "fast"),
    ("required key missing", _text(_set("id", _POP)), "checked"),
    ("nested list for an object", _text(_set("position", [1])), "checked"),
    ("not JSON", SEED[:-3], "checked"),
    ("a list at the top", "[" + SEED + "]", "checked"),
    ("duplicate key", SEED.replace('"pair": "USDT_DOGE",', '"pair": "USDT_DOGE", "pair": "USDT_BTC",'), None),
    ("escapes in strings", _text(_set("note", 'line\n"quoted" \\ \u00e9 \U0001f600')), "fast"),
    ("non-ASCII decimal digits", _text(_set(_VOLUME, "\u0661\u0662.5")), None),
    ("naive timestamp (read as UTC)", _text(_set(_CREATED, "2024-08-12T14:35:21")), "checked"),
    ("timestamp with offset", _text(_set(_CREATED, "2024-08-12T14:35:21.5+02:00")), "fast"),
    ("timestamp with lower-case z", _text(_set(_CREATED, "2024-08-12t14:35:21.632z")), None),
    ("timestamp with 9 fraction digits", _text(_set(_CREATED, "2024-08-12T14:35:21.123456789Z")), None),
    ("timestamp without seconds", _text(_set(_CREATED, "2024-08-12T14:35Z")), None),
    ("timestamp junk", _text(_set(_CREATED, "yesterday")), "checked"),
    ("timestamp as a number", _text(_set(_CREATED, 1723473321)), "checked"),
    ("int for a string", _text(_set("pair", 5)), "checked"),
    ("string for a boolean", _text(_set("instant", "yes")), "checked"),
    ("float for an int", SEED.replace('"id": 30404547', '"id": 30404547.0'), "checked"),
    ("huge int", SEED.replace('"id": 30404547', '"id": 123456789012345678901234567890'), None),
]
for text in [
    "12,5", "NaN", "-nan", "sNaN", "Infinity", " -Infinity", "inf", "+1.5", "1_000", ".5", "5.", "5.e3", " 1.5 ",
    "1e5", "1E+999999999", "1e-999999999999", "0x10", "", "abc", "-0", "00.10", "0.107068273092369477911646586345381526",
]:
    CASES.append((f"decimal string {text!r}", _text(_set(_VOLUME, text)), None))
for number in ["0.001", "1.50", "1E2", "-0.0", "1e400", "12345678901234567890123.5", "14", "99999999999999999999999"]:
    CASES.append((f"decimal number {number}", SEED.replace('"commission": 0.001', f'"commission": {number}'), "fast"))
CASES.append(("decimal true", SEED.replace('"commission": 0.001', '"commission": true'), "checked"))


def _outcome(parse: Callable[[], SmartTrade]) -> tuple[str, Any]:
    try:
        trade = parse()
    except WireValueError as exc:
        return "WireValueError", str(exc)
    except ValueError as exc:
        return "ValueError", type(exc).__name__
    return "model", trade


@pytest.mark.parametrize(("label", "text", "decider"), CASES, ids=[c[0] for c in CASES])
def test_compiled_and_checked_paths_agree(label: str, text: str, decider: str | None) -> None:
    fast = _outcome(lambda: SmartTrade.from_json(text))
    checked = _outcome(lambda: SmartTrade.from_dict(loads(text)))
    assert fast[0] == checked[0], (fast, checked)
    if fast[0] != "model":
        assert fast[1] == checked[1]
    else:
        a, b = fast[1], checked[1]
        assert a == b
        assert repr(a) == repr(b)
        assert a.to_dict() == b.to_dict()
        assert json.dumps(a.to_dict(), default=str) == json.dumps(b.to_dict(), default=str)  # same key order too
        assert a.additional_properties == b.additional_properties
        for x, y in [(a, b), (a.data, b.data), (a.position.units, b.position.units), (a.stop_loss, b.stop_loss)]:
            assert set(x._absent) == set(y._absent)
        for value in (a.profit.volume, a.data.commission):
            assert value is None or type(value) is Decimal
    decided = fast_decode(SmartTrade, text) is not DECLINED
    if decider is not None:
        assert decided == (decider == "fast"), f"{label}: expected the {decider} path to decide"
    for raw in (text, text.encode()):  # bytes and text alike
        assert (fast_decode(SmartTrade, raw) is not DECLINED) == decided


def test_seed_decimals_keep_their_digits_on_the_compiled_path() -> None:
    trade = SmartTrade.from_json(SEED)
    assert str(trade.data.commission) == "0.001"
    assert str(trade.take_profit.steps[0].units.value) == "14.0"
    assert str(trade.profit.volume) == "-0.0030340983"
    assert trade.note_raw is None and "note_raw" not in trade.stop_loss._absent
    assert trade.to_dict()["note_raw"] is None  # null arrived: written back as null


def test_models_built_in_code_still_read_plainly() -> None:
    from threecommas_client.models import Units

    units = Units()
    assert units.value is None and units.editable is None
    assert units.to_dict() == {}
    units.value = Decimal("1.50")
    assert units.to_dict() == {"value": "1.50"}
    with pytest.raises(WireValueError, match="not a finite decimal"):
        Units(value=Decimal("NaN"))
