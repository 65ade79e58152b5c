"""The request schemas reject what the API rejects, and say which field is wrong."""

from __future__ import annotations

import copy
from typing import Any

import pytest

Body = dict[str, Any]

BASE: Body = {
    "account_id": 1,
    "pair": "USDT_BTC",
    "position": {"type": "buy", "units": {"value": "0.01"}, "order_type": "market"},
    "take_profit": {
        "enabled": True,
        "steps": [
            {"order_type": "limit", "price": {"value": "11000", "type": "bid"}, "volume": "100"}
        ],
    },
    "stop_loss": {
        "enabled": True,
        "order_type": "market",
        "conditional": {"price": {"value": "9000", "type": "bid"}},
    },
}


def _with(path: str, value: Any) -> Body:
    """BASE with one field (dotted path, numeric parts index lists) set, or removed when value is ...."""
    body = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node: Any = body
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    if value is ...:
        del node[last]
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return body


STEP = {"order_type": "market", "price": {"value": 11000, "type": "bid"}, "volume": "12.5"}

INVALID: dict[str, tuple[Body, str]] = {
    # name: (body, the path the error is reported under)
    "missing account_id": (_with("account_id", ...), ""),
    "missing pair": (_with("pair", ...), ""),
    "missing position": (_with("position", ...), ""),
    "missing units": (_with("position.units", ...), "position"),
    "missing side": (_with("position.type", ...), "position"),
    "unknown side": (_with("position.type", "long"), "position.type"),
    "unknown order type": (_with("position.order_type", "stop"), "position.order_type"),
    "misspelled price type": (
        _with("take_profit.steps.0.price.type", "bids"),
        "take_profit.steps.0.price.type",
    ),
    "misspelled leverage type": (
        _with("leverage", {"enabled": True, "type": "cros"}),
        "leverage.type",
    ),
    "non-numeric units": (_with("position.units.value", "0.0l"), "position.units.value"),
    "decimal comma": (_with("position.units.value", "0,01"), "position.units.value"),
    "zero units": (_with("position.units.value", 0), "position.units.value"),
    "negative units string": (_with("position.units.value", "-1"), "position.units.value"),
    "float account id": (_with("account_id", 1.5), "account_id"),
    "boolean as yes": (_with("take_profit.enabled", "yes"), "take_profit.enabled"),
    "empty note": (_with("note", ""), "note"),
    "301-character note": (_with("note", "n" * 301), "note"),
    "nine steps": (_with("take_profit.steps", [STEP] * 8 + [STEP]), "take_profit.steps"),
    "no steps when enabled": (_with("take_profit.steps", ...), "take_profit"),
    "zero steps": (_with("take_profit.steps", []), "take_profit.steps"),
    "step price without value or percent": (
        _with("take_profit.steps.0.price", {"type": "bid"}),
        "take_profit.steps.0.price",
    ),
    "misspelled percent key": (
        _with("take_profit.steps.0.price", {"type": "bid", "percet": 5}),
        "take_profit.steps.0.price",
    ),
    "volume over 100": (_with("take_profit.steps.0.volume", 100.5), "take_profit.steps.0.volume"),
    "trailing without percent": (
        _with("take_profit.steps.0.trailing", {"enabled": True}),
        "take_profit.steps.0.trailing",
    ),
    "trailing over 100": (
        _with("take_profit.steps.0.trailing", {"enabled": True, "percent": 101}),
        "take_profit.steps.0.trailing.percent",
    ),
    "stop loss without conditional": (_with("stop_loss.conditional", ...), "stop_loss"),
    "limit stop loss without price": (_with("stop_loss.order_type", "limit"), "stop_loss"),
    "timeout without value": (_with("stop_loss.timeout", {"enabled": "true"}), "stop_loss.timeout"),
    "limit entry without price": (_with("position.order_type", "limit"), "position"),
    "conditional entry without conditional": (
        _with("position.order_type", "conditional"),
        "position",
    ),
    "unknown top-level key": (_with("instant_buy", True), ""),
    "no targets and not instant": (_with("take_profit", ...), ""),
    "lower-case pair": (_with("pair", "usdt_btc"), "pair"),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_create_body_is_rejected(validator: Any, name: str) -> None:
    body, where = INVALID[name]
    errors = list(validator("SmartTradeCreateRequest").iter_errors(body))
    assert errors, name
    paths = {".".join(map(str, e.absolute_path)) for e in errors}
    assert where in paths, paths


def test_base_body_is_valid(validator: Any) -> None:
    assert list(validator("SmartTradeCreateRequest").iter_errors(BASE)) == []


@pytest.mark.parametrize(
    ("schema", "body"),
    [
        ("SetNoteRequest", {"note": ""}),
        ("SetNoteRequest", {"note": "x" * 301}),
        ("SetNoteRequest", {}),
        ("AddFundsRequest", {"order_type": "limit", "units": {"value": "1"}}),
        ("AddFundsRequest", {"order_type": "stop", "units": {"value": "1"}}),
        ("ReduceFundsRequest", {"order_type": "market", "units": {"value": "abc"}}),
        ("SmartTradeUpdateRequest", {}),
        ("SmartTradeUpdateRequest", {"position": {"type": "sell"}}),
    ],
)
def test_invalid_action_body_is_rejected(validator: Any, schema: str, body: Body) -> None:
    assert not validator(schema).is_valid(body)


@pytest.mark.parametrize(("length", "valid"), [(0, False), (1, True), (300, True), (301, False)])
def test_note_bounds(validator: Any, length: int, valid: bool) -> None:
    assert validator("SetNoteRequest").is_valid({"note": "n" * length}) is valid
