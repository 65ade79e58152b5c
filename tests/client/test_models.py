"""Every example in the spec and seed 003 parse and round-trip; realistic variants; forward compatibility."""

from __future__ import annotations

import copy
import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from threecommas_client import WireValueError, models
from threecommas_client._wire import dumps, loads
from threecommas_client.models import SmartTrade

from .helpers import SEED_003, load_spec

SPEC = load_spec()
REF = "#/components/schemas/"


def normalize(value: Any) -> Any:
    """Wire-equivalence: decimals compared by value, timestamps by instant, keys order-free."""
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, Decimal, float)):
        return Decimal(str(value))
    if isinstance(value, str):
        if len(value) >= 20 and value[4:5] == "-" and value[10:11] == "T":
            try:
                return datetime.datetime.fromisoformat(value).astimezone(datetime.UTC)
            except ValueError:
                return value
        try:
            if value.strip() and value.lstrip("-")[:1].isdigit():
                return Decimal(value)
        except ArithmeticError:
            pass
    return value


def _media_examples() -> list[tuple[str, str, Any]]:
    """(where, schema name, example value) for every example attached to a $ref'd JSON body in the spec."""
    out: list[tuple[str, str, Any]] = []

    def visit(node: Any, where: str) -> None:
        if isinstance(node, dict):
            schema = node.get("schema")
            if isinstance(schema, dict) and "$ref" in schema and ("examples" in node or "example" in node):
                name = schema["$ref"][len(REF):]
                if "example" in node:
                    out.append((where, name, node["example"]))
                for key, ex in (node.get("examples") or {}).items():
                    if isinstance(ex, dict) and "value" in ex:
                        out.append((f"{where}:{key}", name, ex["value"]))
            for key, value in node.items():
                visit(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, f"{where}/{index}")

    visit(SPEC.get("paths", {}), "paths")
    visit(SPEC.get("components", {}).get("responses", {}), "responses")
    for name, schema in SPEC["components"]["schemas"].items():
        for index, ex in enumerate(schema.get("examples") or []):
            if isinstance(ex, dict):
                out.append((f"schemas/{name}/{index}", name, ex))
    return out


EXAMPLES = _media_examples()


def test_spec_has_examples() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize(("where", "name", "example"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_spec_example_parses_and_round_trips(where: str, name: str, example: Any) -> None:
    cls = getattr(models, name)
    wire = loads(json.dumps(example))
    model = cls.from_dict(wire)
    again = loads(dumps(model.to_dict()))
    if is_request_model(cls):
        wire = canonical_request(wire)  # a request is sent in its canonical form ("true" -> true, "1" -> 1)
    assert normalize(again) == normalize(wire)
    assert cls.from_dict(again) == model


def is_request_model(cls: type) -> bool:
    """Request bodies are the closed objects: no additional_properties."""
    return not hasattr(cls, "additional_properties")


def canonical_request(value: Any) -> Any:
    """A request body as the SDK sends it: the string spellings of booleans the spec allows become booleans
    (digit strings and numbers are already equal under normalize)."""
    if isinstance(value, dict):
        return {k: canonical_request(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical_request(v) for v in value]
    if value in ("true", "false"):
        return value == "true"
    return value


def test_seed_003_exact() -> None:
    trade = SmartTrade.from_dict(loads(SEED_003))
    assert trade.profit.volume == Decimal("-0.0030340983")
    assert str(trade.take_profit.steps[0].volume) == "100.0"
    assert trade.data.commission == Decimal("0.001")
    assert trade.data.created_at == datetime.datetime(2024, 8, 12, 14, 35, 21, 632000, tzinfo=datetime.UTC)
    assert trade.data.created_at.tzinfo is not None
    out = trade.to_dict()
    assert out["take_profit"]["steps"][0]["volume"] == "100.0"
    assert out["data"]["created_at"] == "2024-08-12T14:35:21.632Z"
    assert out["market_close"] == {}
    assert normalize(out) == normalize(loads(SEED_003))


def _seed() -> dict[str, Any]:
    data: dict[str, Any] = loads(SEED_003)
    return data


def test_long_decimal_survives_digit_for_digit() -> None:
    text = "0.107068273092369477911646586345381526"
    raw = _seed()
    raw["profit"]["volume"] = text
    raw["data"]["commission"] = loads(text)  # as a JSON number
    trade = SmartTrade.from_dict(raw)
    assert trade.to_dict()["profit"]["volume"] == text
    assert trade.to_dict()["data"]["commission"] == text
    assert dumps(trade.to_dict()).count(text.encode()) == 2


def variants() -> list[tuple[str, dict[str, Any]]]:
    out = []
    v = _seed(); v["data"]["commission"] = "0.001"; out.append(("commission as string", v))
    v = _seed(); v["data"]["missing_funds_to_close"] = 0; v["profit"]["percent"] = 0; out.append(("old integers", v))
    v = _seed(); v["profit"]["volume"] = None; v["data"]["average_enter_price"] = None; out.append(("nulls", v))
    v = _seed(); v["position"]["units"]["value"] = 14.91; out.append(("number for decimal string", v))
    v = _seed()
    for key in ("reduce_funds", "market_close", "note_raw"):
        v.pop(key)
    v["status"].pop("basic_type"); v["data"].pop("commission"); out.append(("keys missing", v))
    v = _seed(); v["data"]["closed_at"] = "2025-01-01T00:00:00.000Z"; v["leverage"]["type_editable"] = True
    v["stop_loss"]["breakeven"] = False; v["brand_new"] = {"nested": [1, "2", None]}; out.append(("keys added", v))
    v = _seed(); v["status"]["type"] = "quantum_pending"; v["account"]["type"] = "brand_new_exchange"
    v["take_profit"]["steps"][0]["order_type"] = "iceberg"; out.append(("unknown values", v))
    return out


@pytest.mark.parametrize(("label", "raw"), variants(), ids=[v[0] for v in variants()])
def test_realistic_variants_parse_and_round_trip(label: str, raw: dict[str, Any]) -> None:
    wire = loads(json.dumps(raw, default=str))
    trade = SmartTrade.from_dict(copy.deepcopy(wire))
    assert normalize(loads(dumps(trade.to_dict()))) == normalize(wire)


def test_unknown_fields_and_enum_values_are_kept() -> None:
    raw = _seed()
    raw["brand_new"] = {"x": 1}
    raw["take_profit"]["steps"][0]["order_type"] = "iceberg"
    trade = SmartTrade.from_dict(raw)
    assert trade["brand_new"] == {"x": 1}
    assert trade.take_profit.steps[0].order_type == "iceberg"
    out = trade.to_dict()
    assert out["brand_new"] == {"x": 1}
    assert out["take_profit"]["steps"][0]["order_type"] == "iceberg"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda r: r["profit"].__setitem__("volume", "12,5"), "SmartTrade.Profit.volume"),
        (lambda r: r["profit"].__setitem__("volume", True), "SmartTrade.Profit.volume"),
        (lambda r: r["profit"].__setitem__("volume", "NaN"), "SmartTrade.Profit.volume"),
        (lambda r: r["data"].__setitem__("created_at", "yesterday"), "SmartTrade.SmartTradeData.created_at"),
        (lambda r: r.pop("id"), "SmartTrade.id"),
        (lambda r: r.__setitem__("position", [1]), "SmartTrade.Position"),
    ],
)
def test_bad_input_names_the_field(mutate: Any, field: str) -> None:
    raw = _seed()
    mutate(raw)
    with pytest.raises(WireValueError) as info:
        SmartTrade.from_dict(raw)
    assert str(info.value).startswith(field), str(info.value)


def test_naive_timestamp_is_utc_and_aware() -> None:
    raw = _seed()
    raw["data"]["created_at"] = "2024-08-12T14:35:21"
    trade = SmartTrade.from_dict(raw)
    assert trade.data.created_at.tzinfo is not None
    assert trade.data.created_at.utcoffset() == datetime.timedelta(0)
