"""Every rendered answer validates against openapi/poloniex.yaml and reads like the documented ones."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from reference_server.poloniex import errors, render
from reference_server.poloniex.engine import SmartOrder
from reference_server.poloniex.errors import PoloniexError
from reference_server.prices import Quote

from .conftest import Market
from .spec_helper import SPEC, assert_valid, response_validator, schema_validator

SMART_ORDER = schema_validator("SmartOrder")
ERROR = schema_validator("Error")
PROPERTIES = SPEC["components"]["schemas"]["SmartOrder"]["properties"]
TRIGGERED_PROPERTIES = SPEC["components"]["schemas"]["TriggeredOrder"]["properties"]


def _zoo(market: Market) -> list[SmartOrder]:
    """One smart order in each state and shape the engine produces."""
    make = market.create
    pending = make(
        side="BUY",
        stopPrice="60000.00",
        price="60100.00",
        quantity="100",
        clientOrderId="999999910",
        timeInForce="FOK",
    )
    amount = make(side="sell", stopPrice=5000, amount=12.5)
    trailing_idle = make(
        side="SELL",
        type="TRAILING_STOP_LIMIT",
        stopPrice="65000",
        operator="GTE",
        trailingOffset="2%",
        limitOffset="50",
        quantity="0.01",
    )
    trailing_now = make(side="BUY", type="TRAILING_STOP", trailingOffset=100, quantity="1")
    canceled = make(side="BUY", stopPrice="70000", quantity="1")
    market.engine.cancel("alice", str(canceled.id))
    market_fill = make(side="BUY", stopPrice="10100", amount="10")
    resting = make(side="SELL", stopPrice="9900", price="9950", quantity="1")
    expired = make(side="SELL", stopPrice="9900", price="9950", quantity="1", timeInForce="IOC")
    failed = make(side="BUY", stopPrice="10100", amount="0.000000001")
    market.price("10100")
    market.price("9900")
    filled_later = make(side="SELL", stopPrice="9800", price="9850", quantity="3")
    market.price("9800")
    market.price("9851")
    states = [o.state for o in (market_fill, resting, expired, failed, filled_later)]
    assert states == ["TRIGGERED", "TRIGGERED", "TRIGGERED", "FAILED", "TRIGGERED"]
    return [
        pending,
        amount,
        trailing_idle,
        trailing_now,
        canceled,
        market_fill,
        resting,
        expired,
        failed,
        filled_later,
    ]


def test_every_smart_order_validates_and_uses_only_spec_keys(market: Market) -> None:
    for order in _zoo(market):
        body = render.smart_order(order)
        assert_valid(SMART_ORDER, body)
        assert set(body) <= set(PROPERTIES)
        assert ("triggeredOrder" in body) is (order.state == "TRIGGERED")
        if "triggeredOrder" in body:
            assert set(body["triggeredOrder"]) <= set(TRIGGERED_PROPERTIES)
        trailing_keys = {"trailingOffset", "activationPrice"} & set(body)
        assert bool(trailing_keys) is order.type.startswith("TRAILING")


def test_response_arrays_validate(market: Market) -> None:
    orders = _zoo(market)
    engine = market.engine
    assert_valid(
        response_validator("/smartorders", "get"),
        render.smart_orders(
            engine.list_open(
                "alice", {"types": "STOP,STOP_LIMIT,TRAILING_STOP,TRAILING_STOP_LIMIT"}
            )
        ),
    )
    assert_valid(
        response_validator("/smartorders/history", "get"),
        render.smart_orders(engine.history("alice", {})),
    )
    for order in orders:
        details = render.smart_order_details(engine.get("alice", str(order.id)))
        assert isinstance(details, list) and len(details) == 1
        assert_valid(response_validator("/smartorders/{id}", "get"), details)
    assert_valid(response_validator("/smartorders", "post"), render.smart_order_ref(orders[0]))
    replaced = engine.replace("alice", "cid:999999910", {"clientOrderId": "1234Abc"})
    assert_valid(response_validator("/smartorders/{id}", "put"), render.smart_order_ref(replaced))


def test_cancel_answers_validate(market: Market) -> None:
    orders = _zoo(market)
    engine = market.engine
    single = render.cancel_result(engine.cancel("alice", str(orders[1].id)))
    assert_valid(response_validator("/smartorders/{id}", "delete"), single)
    assert single == {
        "orderId": str(orders[1].id),
        "clientOrderId": "",
        "state": "CANCELED",
        "code": 200,
        "message": "",
    }
    refused = render.cancel_result(engine.cancel("alice", str(orders[5].id)))
    assert_valid(response_validator("/smartorders/{id}", "delete"), refused)
    by_ids = engine.cancel_by_ids("alice", {"orderIds": [str(o.id) for o in orders] + ["1"]})
    assert_valid(
        response_validator("/smartorders/cancelByIds", "delete"), render.cancel_results(by_ids)
    )
    fresh = [market.create(side="BUY", stopPrice="99999", quantity="1") for _ in range(2)]
    everything = render.cancel_results(engine.cancel_all("alice", {}))
    assert_valid(response_validator("/smartorders", "delete"), everything)
    assert [item["orderId"] for item in everything] == [str(o.id) for o in fresh]
    assert {item["message"] for item in everything} == {"SUCCESS"}


def test_documented_shapes(market: Market) -> None:
    orders = _zoo(market)
    pending = render.smart_order(orders[0])
    assert pending["id"].isdigit() and pending["clientOrderId"] == "999999910"
    assert (pending["price"], pending["stopPrice"], pending["quantity"]) == (
        "60100.00",
        "60000.00",
        "100",
    )
    assert (pending["amount"], pending["updateTime"], pending["type"]) == ("0.00", 0, "STOP_LIMIT")
    amount = render.smart_order(orders[1])
    assert (amount["side"], amount["stopPrice"], amount["amount"], amount["quantity"]) == (
        "SELL",
        "5000",
        "12.5",
        "0.00",
    )
    trailing = render.smart_order(orders[2])
    assert (trailing["trailingOffset"], trailing["limitOffset"], trailing["operator"]) == (
        "2%",
        "50",
        "GTE",
    )
    assert trailing["activationPrice"] == "0.00"
    from_now = render.smart_order(orders[3])
    assert from_now["activationPrice"] == "10000" and "operator" not in from_now
    assert "limitOffset" not in from_now and from_now["stopPrice"] == "0.00"
    triggered = render.smart_order(orders[5])["triggeredOrder"]
    assert triggered["type"] == "MARKET" and triggered["price"] == "0.00"
    assert (triggered["quantity"], triggered["amount"]) == ("0.00", "10")
    assert (triggered["filledQuantity"], triggered["filledAmount"]) == ("0.00099009", "9.999909")
    assert (triggered["orderSource"], triggered["loan"], triggered["cancelReason"]) == (
        "SMART",
        False,
        0,
    )
    resting = render.smart_order(orders[6])["triggeredOrder"]
    assert (resting["state"], resting["avgPrice"], resting["updateTime"]) == ("NEW", "0.00", 0)


@pytest.mark.parametrize(
    "error",
    [
        errors.invalid_parameter(),
        errors.timestamp_out_of_window(),
        errors.request_expired(),
        errors.invalid_api_key(),
        errors.invalid_signature(),
        errors.order_not_found(),
        errors.client_order_id_exists(),
        PoloniexError(400, 25019, "Invalid symbol"),
    ],
)
def test_error_bodies_validate(error: PoloniexError) -> None:
    assert_valid(ERROR, error.body())
    assert set(error.body()) == {"code", "message"}
    assert 400 <= error.status < 500


@pytest.mark.parametrize("value", [1e30, 1e-300, "0." + "0" * 300 + "1", "9" * 400, "000123.4500"])
def test_extreme_decimals_render_in_the_decimal_pattern(market: Market, value: Any) -> None:
    order = market.create(
        side="BUY", stopPrice=value, price=value, quantity=value, clientOrderId="x"
    )
    quote = Quote(Decimal(str(value)), Decimal(str(value)), Decimal(str(value)))
    market.engine.on_price("BTC_USDT", quote)
    body = render.smart_order(order)
    assert_valid(SMART_ORDER, body)
    assert "e" not in body["stopPrice"].lower()
    assert Decimal(body["stopPrice"]) == Decimal(str(value))
