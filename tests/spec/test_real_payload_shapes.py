"""Shapes real payloads carry that the tables lack (stop loss percent, closed_at, market_close.filled,
a null current price), the pairs exchanges list, and the value lists that keep growing."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from spec_tools import paths as schema_paths
from tests.seed_documents import seed_003_body

Spec = dict[str, Any]


@pytest.mark.parametrize(
    ("pair", "valid"),
    [
        ("USDT_BTC", True),
        ("USDT_1000SHIB", True),
        ("USD_MATIC-PERP", True),
        ("USDT_BTCUSDT_UMCBL", True),
        ("BTC_BTCUSD_PERP", True),
        ("usdt_btc", False),
        ("USDT_btc", False),
        ("USDT BTC", False),
        ("USDT_BTC ", False),
        ("USDTBTC", False),
        ("USDT_", False),
        ("_BTC", False),
        ("USDT_BTC-", False),
        ("USDT__BTC", False),
    ],
)
def test_pair_pattern(validator: Any, pair: str, valid: bool) -> None:
    assert validator("Pair").is_valid(pair) == valid


def real_payload() -> dict[str, Any]:
    """Seed 003's SmartTrade with the keys real payloads add."""
    body = copy.deepcopy(seed_003_body())
    body["stop_loss"] = {
        "enabled": True,
        "order_type": "market",
        "price": {"value": "0.1", "percent": "-5.0"},
        "closed_at": "2021-06-01T10:00:00.000Z",
    }
    body["reduce_funds"] = {
        "steps": [{"id": 7, "type": "market", "units": {"value": "1.0"}, "closed_at": None}]
    }
    body["market_close"] = {"id": 8, "type": "market", "filled": True}
    body["data"]["current_price"] = None
    return body


def test_real_payload_is_a_smart_trade(validator: Any) -> None:
    check = validator("SmartTrade")
    assert [e.message for e in check.iter_errors(real_payload())] == []
    older = real_payload()
    older["stop_loss"]["price"]["percent"] = 5  # a JSON number, as 2021 payloads send it
    assert check.is_valid(older)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("stop_loss", "price", "percent"), "five percent"),
        (("stop_loss", "closed_at"), 1622541600),
        (("reduce_funds", "steps", 0, "closed_at"), 1622541600),
        (("data", "current_price"), "0.1"),
    ],
)
def test_the_new_keys_are_typed_not_just_tolerated(
    validator: Any, where: tuple[Any, ...], value: Any
) -> None:
    body = real_payload()
    node: Any = body
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    assert not validator("SmartTrade").is_valid(body), json.dumps(where)


@pytest.mark.parametrize(
    "path",
    [
        "SmartTrade#stop_loss.price.value",
        "SmartTrade#stop_loss.price.percent",
        "SmartTrade#stop_loss.closed_at",
        "SmartTrade#reduce_funds.steps[].closed_at",
        "SmartTrade#market_close.filled",
        "SmartTrade#data.current_price.bid",
    ],
)
def test_the_new_keys_are_declared_and_described(spec: Spec, path: str) -> None:
    nodes = schema_paths.find(spec, path)
    assert nodes and all(node.get("description") for node in nodes), path


@pytest.mark.parametrize(
    ("path", "values"),
    [
        ("SmartTrade#account.type", ["gate_io", "gate_io_usdt_perpetual", "okex", "bybit_spot", "kucoin",
                                     "binance", "binance_us", "paper_trading", "binance_futures",
                                     "binance_futures_coin", "bitget_usdt_futures"]),
        ("SmartTrade#status.type", ["smart_sell", "panic_sell_order_placed", "need_reset"]),
        ("SmartTrade#status.basic_type", ["smart_sell", "panic_sell_order_placed", "need_reset"]),
        ("Trade#status", ["smart_sell", "panic_sell_order_placed", "need_reset"]),
        ("Trade#trigger_condition", ["greater", "less", "less_or_equal"]),
        ("Trade#trigger_type", ["none", "price", "trailing", "conditional"]),
    ],
)  # fmt: skip
def test_known_value_lists(spec: Spec, path: str, values: list[str]) -> None:
    known = schema_paths.known_values(spec, path)
    assert [v for v in values if v not in known] == []
    assert schema_paths.enum_values(spec, path) == []  # still open strings
