"""The smart-order engine: lifecycle, cancels, replace, lists, history, ids, isolation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from reference_server.poloniex.engine import SmartOrder, SmartOrderEngine
from reference_server.poloniex.errors import PoloniexError
from reference_server.poloniex.pairs import poloniex_symbol, threecommas_pair
from reference_server.poloniex.states import OrderState, SmartOrderState
from reference_server.prices import PriceBook, Quote

from .conftest import START_MS, Market
from .spec_helper import SPEC

S = SmartOrderState


def _error(call: Any, *args: Any) -> PoloniexError:
    with pytest.raises(PoloniexError) as caught:
        call(*args)
    return caught.value


def _state(market: Market, order: SmartOrder, owner: str = "alice") -> S:
    return market.engine.get(owner, str(order.id)).state


# ---- creation ------------------------------------------------------------------------------


def test_create_defaults_and_normalisation(market: Market) -> None:
    order = market.create(side="sell", stopPrice=25000, quantity="0.01")
    assert (order.side, order.type, order.time_in_force) == ("SELL", "STOP", "GTC")
    assert (order.account_type, order.client_order_id) == ("SPOT", "")
    assert order.stop_price == Decimal(25000)
    assert order.state == S.PENDING_NEW
    assert order.create_time == market.now
    assert order.update_time == 0
    with_price = market.create(side="Buy", stopPrice="60000.00", price="60100.00", quantity=1)
    assert (with_price.type, with_price.side) == ("STOP_LIMIT", "BUY")
    assert with_price.price is not None and format(with_price.price, "f") == "60100.00"


def test_ids_are_increasing_digit_strings(market: Market) -> None:
    ids = [market.create(side="BUY", stopPrice="20000", quantity="1").id for _ in range(5)]
    assert ids == sorted(ids) and len(set(ids)) == 5
    assert all(len(str(i)) >= 16 for i in ids)
    market.now -= 10_000_000  # a clock going back never repeats an id
    assert market.create(side="BUY", stopPrice="20000", quantity="1").id > ids[-1]


@pytest.mark.parametrize(
    "body",
    [
        {"side": "BUY", "type": "STOP_LIMIT", "stopPrice": "1", "quantity": "1"},
        {"side": "BUY", "type": "STOP", "quantity": "1"},
        {"side": "BUY", "type": "TRAILING_STOP", "quantity": "1"},
        {"side": "BUY", "type": "TRAILING_STOP_LIMIT", "trailingOffset": "1", "quantity": "1"},
        {"side": "BUY", "stopPrice": "1"},
        {"side": "BUY", "stopPrice": "0", "quantity": "1"},
        {"side": "BUY", "stopPrice": True, "quantity": "1"},
        {"side": "BUY", "stopPrice": float("nan"), "quantity": "1"},
        {"side": "SHORT", "stopPrice": "1", "quantity": "1"},
        {"side": "BUY", "stopPrice": "1", "quantity": "1", "timeInForce": "DAY"},
        {"side": "BUY", "type": "TRAILING_STOP", "trailingOffset": "0%", "quantity": "1"},
    ],
)
def test_rules_the_schema_leaves_to_the_server_are_400(
    market: Market, body: dict[str, Any]
) -> None:
    error = _error(market.engine.create, "alice", {"symbol": "BTC_USDT", **body})
    assert (error.status, error.code) == (400, 25001)


def test_symbol_and_account_type_errors(market: Market) -> None:
    error = _error(market.engine.create, "alice", {"symbol": "btc", "side": "BUY"})
    assert (error.status, error.code) == (400, 25019)
    body = {"symbol": "BTC_USDT", "side": "BUY", "stopPrice": 1, "quantity": 1}
    error = _error(market.engine.create, "alice", {**body, "accountType": "MARGIN"})
    assert (error.status, error.code) == (400, 25018)


def test_client_order_id_is_unique_per_user(market: Market) -> None:
    first = market.create(side="BUY", stopPrice="20000", quantity="1", clientOrderId="myId-1")
    body = {"symbol": "BTC_USDT", "side": "SELL", "stopPrice": "1", "quantity": "1"}
    error = _error(market.engine.create, "alice", {**body, "clientOrderId": "myId-1"})
    assert (error.status, error.code, error.message) == (400, 25004, "clientOrderId already exists")
    # Still taken once the first is canceled: `cid:` must keep naming one order.
    market.engine.cancel("alice", "cid:myId-1")
    assert _error(market.engine.create, "alice", {**body, "clientOrderId": "myId-1"}).code == 25004
    # Another user may use it.
    other = market.engine.create("bob", {**body, "clientOrderId": "myId-1"})
    assert market.engine.get("bob", "cid:myId-1") is other
    assert market.engine.get("alice", "cid:myId-1") is first


def test_lookup_by_id_or_cid(market: Market) -> None:
    order = market.create(side="BUY", stopPrice="20000", quantity="1", clientOrderId="abc_1")
    assert market.engine.get("alice", str(order.id)) is order
    assert market.engine.get("alice", order.id) is order
    assert market.engine.get("alice", "cid:abc_1") is order
    for ref in ("cid:nope", "123", "abc_1", "", "cid:", "1" * 30, "١٢"):
        error = _error(market.engine.get, "alice", ref)
        assert (error.status, error.code, error.message) == (
            404,
            21301,
            "Couldn't locate smart order",
        )


def test_isolation_between_users(market: Market) -> None:
    mine = market.create(side="BUY", stopPrice="20000", quantity="1", clientOrderId="x")
    engine = market.engine
    assert _error(engine.get, "bob", str(mine.id)).status == 404
    assert _error(engine.get, "bob", "cid:x").status == 404
    assert _error(engine.cancel, "bob", str(mine.id)).status == 404
    assert _error(engine.replace, "bob", str(mine.id), {}).status == 404
    assert engine.list_open("bob", {}) == []
    assert engine.cancel_all("bob", {}) == []
    items = engine.cancel_by_ids("bob", {"orderIds": [str(mine.id)]})
    assert [item.code for item in items] == [21301]
    assert engine.history("bob", {}) == []
    assert mine.state == S.PENDING_NEW
    assert engine.list_open("alice", {}) == [mine]


# ---- triggers ------------------------------------------------------------------------------


def test_buy_stop_triggers_when_the_price_rises_to_it(market: Market) -> None:
    order = market.create(side="BUY", stopPrice="10100", quantity="0.5", clientOrderId="b")
    market.price("9000")  # moving away does nothing
    market.price("10099.99")
    assert order.state == S.PENDING_NEW and order.update_time == 0
    market.price("10100", bid="10099", ask="10101")
    assert order.state == S.TRIGGERED
    assert order.update_time == market.now
    placed = order.triggered_order
    assert placed is not None
    assert (placed.type, placed.state, placed.side) == ("MARKET", OrderState.FILLED, "BUY")
    assert (placed.avg_price, placed.filled_quantity) == (Decimal(10101), Decimal("0.5"))
    assert placed.filled_amount == Decimal("5050.5")
    assert placed.client_order_id == "b" and placed.id > order.id


def test_sell_stop_triggers_when_the_price_falls_to_it(market: Market) -> None:
    order = market.create(side="SELL", stopPrice="9900", quantity="2")
    market.price("11000")
    market.price("9900.01")
    assert order.state == S.PENDING_NEW
    market.price("9850", bid="9849", ask="9851")
    assert order.state == S.TRIGGERED
    assert order.triggered_order is not None
    assert order.triggered_order.avg_price == Decimal(9849)  # a sell gets the bid


def test_stop_sized_by_amount_floors_the_quantity(market: Market) -> None:
    # The documented triggered order: 10 USDT at 39991.10 bought 0.00025005 BTC for 9.999774555.
    market.price("39000")
    order = market.create(side="BUY", stopPrice="39991.10", amount="10")
    market.price("39991.10")
    placed = order.triggered_order
    assert placed is not None
    assert placed.filled_quantity == Decimal("0.00025005")
    assert placed.filled_amount == Decimal("9.999774555")
    assert (placed.quantity, placed.amount) == (None, Decimal(10))


def test_amount_too_small_to_buy_anything_fails(market: Market) -> None:
    order = market.create(side="BUY", stopPrice="10100", amount="0.00000001")
    market.price("10100")
    assert order.state == S.FAILED
    assert order.triggered_order is None
    assert order.update_time == market.now


def test_stop_limit_rests_then_fills(market: Market) -> None:
    order = market.create(side="SELL", stopPrice="9900", price="9950", quantity="1")
    market.price("9900")
    assert order.state == S.TRIGGERED
    placed = order.triggered_order
    assert placed is not None
    assert (placed.type, placed.price, placed.state) == ("LIMIT", Decimal(9950), OrderState.NEW)
    assert placed.update_time == 0 and placed.filled_quantity == 0
    market.price("9949.99")
    assert placed.state == OrderState.NEW
    market.price("9960")
    assert placed.state == OrderState.FILLED
    assert (placed.avg_price, placed.filled_amount) == (Decimal(9950), Decimal(9950))
    assert placed.update_time == market.now


def test_stop_limit_marketable_at_trigger_fills_at_the_quote(market: Market) -> None:
    order = market.create(side="BUY", stopPrice="10100", price="10200", quantity="1")
    market.price("10150")
    placed = order.triggered_order
    assert placed is not None and placed.state == OrderState.FILLED
    assert placed.avg_price == Decimal(10150)


@pytest.mark.parametrize("tif", ["IOC", "FOK"])
def test_stop_limit_not_marketable_with_ioc_or_fok_expires(market: Market, tif: str) -> None:
    order = market.create(
        side="SELL", stopPrice="9900", price="9950", quantity="1", timeInForce=tif
    )
    market.price("9900")
    assert order.state == S.TRIGGERED
    assert order.triggered_order is not None
    assert order.triggered_order.state == OrderState.EXPIRED
    market.price("9960")
    assert order.triggered_order.state == OrderState.EXPIRED


def test_trailing_stop_sell_by_percent_from_creation(market: Market) -> None:
    market.price("10000")
    order = market.create(side="SELL", type="TRAILING_STOP", trailingOffset="2%", quantity="1")
    assert order.activation_price == Decimal(10000) and order.operator is None
    market.price("11000")
    market.price("10800")  # 11000 - 2 % = 10780
    assert order.state == S.PENDING_NEW
    assert order.best_price == Decimal(11000)
    market.price("10780")
    assert order.state == S.TRIGGERED
    assert order.triggered_order is not None
    assert order.triggered_order.type == "MARKET"
    assert order.triggered_order.avg_price == Decimal(10780)


def test_trailing_stop_buy_by_distance_after_activation(market: Market) -> None:
    order = market.create(
        side="buy",
        type="TRAILING_STOP",
        stopPrice="9500",
        operator="LTE",
        trailingOffset="100",
        quantity="1",
    )
    assert order.activation_price is None
    market.price("9300.5")  # a buy does not trail before activation
    assert order.best_price is not None  # activated: 9300.5 <= 9500
    assert order.activation_price == Decimal("9300.5")
    assert order.update_time == market.now
    market.price("9200")
    market.price("9299.99")  # 9200 + 100 = 9300
    assert order.state == S.PENDING_NEW
    market.price("9300")
    assert order.state == S.TRIGGERED


def test_trailing_default_operator_and_activation_gate(market: Market) -> None:
    sell = market.create(
        side="SELL", type="TRAILING_STOP", stopPrice="10500", trailingOffset="50", quantity="1"
    )
    buy = market.create(
        side="BUY", type="TRAILING_STOP", stopPrice="9500", trailingOffset="50", quantity="1"
    )
    assert (sell.operator, buy.operator) == ("GTE", "LTE")
    market.price("10400")
    market.price("10000")  # would have triggered a sell trailing from 10400; not yet active
    assert sell.state == buy.state == S.PENDING_NEW
    assert sell.activation_price is None and buy.activation_price is None


def test_trailing_stop_limit_places_its_limit_off_the_trigger_price(market: Market) -> None:
    order = market.create(
        side="SELL",
        type="TRAILING_STOP_LIMIT",
        stopPrice="10500",
        operator="GTE",
        trailingOffset="1%",
        limitOffset="50",
        quantity="0.01",
    )
    market.price("10500")
    assert order.activation_price == Decimal(10500)
    market.price("11000")
    market.price("10890", bid="10885", ask="10895")  # 11000 - 1 % = 10890
    placed = order.triggered_order
    assert order.state == S.TRIGGERED and placed is not None
    assert (placed.type, placed.price) == ("LIMIT", Decimal(10840))
    assert placed.state == OrderState.FILLED and placed.avg_price == Decimal(10885)


def test_trailing_stop_limit_buy_percent_limit_rests(market: Market) -> None:
    market.price("10000")
    order = market.create(
        side="BUY",
        type="TRAILING_STOP_LIMIT",
        trailingOffset="100",
        limitOffset="1%",
        quantity="1",
    )
    market.price("9000")
    market.price("9100", bid="9200", ask="9200")  # last triggers; the ask is above the limit 9191
    placed = order.triggered_order
    assert placed is not None and placed.price == Decimal(9191)
    assert placed.state == OrderState.NEW
    market.price("9191")
    assert placed.state == OrderState.FILLED


def test_trailing_stop_limit_with_a_non_positive_limit_fails(market: Market) -> None:
    market.price("100")
    order = market.create(
        side="SELL",
        type="TRAILING_STOP_LIMIT",
        trailingOffset="10",
        limitOffset="500",
        quantity="1",
    )
    market.price("90")
    assert order.state == S.FAILED


def test_reads_catch_up_with_prices_set_without_a_notification(market: Market) -> None:
    order = market.create(side="BUY", stopPrice="10100", quantity="1")
    market.prices.set("USDT_BTC", Decimal(10200))
    assert market.engine.get("alice", str(order.id)).state == S.TRIGGERED


def test_advance_and_on_pair(market: Market) -> None:
    order = market.create(side="SELL", stopPrice="1900", quantity="1", symbol="ETH_USDT")
    market.prices.set("USDT_ETH", Decimal(1800))
    market.engine.on_pair("USDT_BTC")  # another market
    assert order.state == S.PENDING_NEW
    market.engine.on_pair("USDT_ETH")
    assert order.state == S.TRIGGERED
    other = market.create(side="SELL", stopPrice="1700", quantity="1", symbol="ETH_USDT")
    market.prices.set("USDT_ETH", Decimal(1600))
    market.engine.advance()
    assert other.state == S.TRIGGERED


def test_on_price_with_an_explicit_quote(market: Market) -> None:
    order = market.create(side="BUY", stopPrice="10100", quantity="1")
    quote = Quote(bid=Decimal(10199), ask=Decimal(10201), last=Decimal(10200))
    market.engine.on_price("BTC_USDT", quote)
    assert order.triggered_order is not None
    assert order.triggered_order.avg_price == Decimal(10201)


def test_pairs_share_the_price_book() -> None:
    assert threecommas_pair("BTC_USDT") == "USDT_BTC"
    assert poloniex_symbol("USDT_BTC") == "BTC_USDT"
    assert poloniex_symbol("USDT_BTCUSDT_UMCBL") is None
    with pytest.raises(ValueError):
        threecommas_pair("USDT")
    prices = PriceBook()
    engine = SmartOrderEngine(prices, clock=lambda: START_MS)
    assert engine.quote("BTC_USDT") == prices.quote("USDT_BTC")
    assert engine.quote("BTC_USDT").last == Decimal(10000)


# ---- cancel --------------------------------------------------------------------------------


def test_cancel_by_id_and_forbidden_cancels(market: Market) -> None:
    order = market.create(side="BUY", stopPrice="20000", quantity="1", clientOrderId="c1")
    outcome = market.engine.cancel("alice", "cid:c1")
    assert (outcome.order_id, outcome.client_order_id) == (str(order.id), "c1")
    assert (outcome.state, outcome.code, outcome.message) == ("CANCELED", 200, "")
    assert order.update_time == market.now
    again = market.engine.cancel("alice", str(order.id))
    assert (again.state, again.code) == ("CANCELED", 25014)
    triggered = market.create(side="BUY", stopPrice="10100", quantity="1")
    market.price("10100")
    refused = market.engine.cancel("alice", str(triggered.id))
    assert (refused.state, refused.code) == ("TRIGGERED", 25013)
    assert triggered.state == S.TRIGGERED
    assert _error(market.engine.cancel, "alice", "999").code == 21301


def test_cancel_by_ids(market: Market) -> None:
    a = market.create(side="BUY", stopPrice="20000", quantity="1", clientOrderId="88888")
    b = market.create(side="BUY", stopPrice="20000", quantity="1", clientOrderId="myId-2")
    engine = market.engine
    items = engine.cancel_by_ids(
        "alice", {"orderIds": [str(a.id), "111222333"], "clientOrderIds": ["88888", "myId-2"]}
    )
    assert [(i.order_id, i.client_order_id, i.state, i.code) for i in items] == [
        (str(a.id), "88888", "CANCELED", 200),
        ("111222333", "myId-2", "", 21301),  # the pair names no order
    ]
    assert b.state == S.PENDING_NEW
    items = engine.cancel_by_ids("alice", {"clientOrderIds": ["myId-2", "nope", "88888"]})
    assert [(i.order_id, i.code) for i in items] == [
        (str(b.id), 200),
        ("", 21301),
        (str(a.id), 25014),
    ]
    for body in ({}, {"orderIds": [], "clientOrderIds": []}):
        assert _error(engine.cancel_by_ids, "alice", body).code == 25001
    # An empty list beside a full one is "not sent": ids alone.
    items = engine.cancel_by_ids("alice", {"orderIds": ["1"], "clientOrderIds": []})
    assert [(i.order_id, i.code) for i in items] == [("1", 21301)]
    mismatch = {"orderIds": ["1", "2"], "clientOrderIds": ["x"]}
    error = _error(engine.cancel_by_ids, "alice", mismatch)
    assert (error.status, error.code) == (400, 25001)


def test_cancel_all_filters(market: Market) -> None:
    engine = market.engine
    btc_stop = market.create(side="BUY", stopPrice="20000", quantity="1")
    eth_stop = market.create(side="BUY", stopPrice="9000", quantity="1", symbol="ETH_USDT")
    trailing = market.create(side="SELL", type="TRAILING_STOP", trailingOffset="5%", quantity="1")
    triggered = market.create(side="BUY", stopPrice="10100", quantity="1")
    market.price("10100")
    assert triggered.state == S.TRIGGERED

    items = engine.cancel_all("alice", {"symbols": ["ETH_USDT"], "accountTypes": ["SPOT"]})
    assert [(i.order_id, i.code, i.message) for i in items] == [(str(eth_stop.id), 200, "SUCCESS")]
    # Without orderTypes: the stops only (the vendor default); trailing orders stay.
    items = engine.cancel_all("alice", {})
    assert [i.order_id for i in items] == [str(btc_stop.id)]
    assert trailing.state == S.PENDING_NEW
    assert engine.cancel_all("alice", {"orderTypes": ["STOP"]}) == []
    items = engine.cancel_all("alice", {"orderTypes": []})
    assert [i.order_id for i in items] == [str(trailing.id)]
    assert triggered.state == S.TRIGGERED
    assert _error(engine.cancel_all, "alice", {"accountTypes": ["MARGIN"]}).code == 25018


# ---- replace -------------------------------------------------------------------------------


def test_replace_cancels_the_old_order_and_creates_a_new_one(market: Market) -> None:
    old = market.create(
        side="BUY",
        type="STOP_LIMIT",
        stopPrice="20000",
        price="20100",
        quantity="1",
        clientOrderId="1234Abc",
        timeInForce="FOK",
    )
    market.tick()
    new = market.engine.replace(
        "alice", "cid:1234Abc", {"clientOrderId": "1234Abc", "stopPrice": "18000"}
    )
    assert new.id > old.id
    assert old.state == S.CANCELED and old.update_time == market.now
    assert (new.state, new.client_order_id, new.stop_price) == (
        S.PENDING_NEW,
        "1234Abc",
        Decimal(18000),
    )
    assert (new.type, new.price, new.quantity, new.time_in_force) == (
        "STOP_LIMIT",
        Decimal(20100),
        Decimal(1),
        "FOK",
    )
    assert new.create_time == market.now and new.update_time == 0
    assert market.engine.get("alice", "cid:1234Abc") is new  # the clientOrderId moved
    assert market.engine.list_open("alice", {}) == [new]


def test_replace_without_client_order_id_gives_an_empty_one(market: Market) -> None:
    market.create(side="BUY", stopPrice="20000", quantity="1", clientOrderId="keep")
    new = market.engine.replace("alice", "cid:keep", {"quantity": 3})
    assert new.client_order_id == ""
    assert (new.quantity, new.amount) == (Decimal(3), None)


def test_replace_amendments(market: Market) -> None:
    old = market.create(side="SELL", stopPrice="9000", amount="100", quantity="2")
    new = market.engine.replace(
        "alice", str(old.id), {"amount": "50", "type": "STOP_LIMIT", "price": 8990}
    )
    assert (new.quantity, new.amount, new.type, new.price) == (
        None,
        Decimal(50),
        "STOP_LIMIT",
        Decimal(8990),
    )
    trailing = market.create(side="SELL", type="TRAILING_STOP", trailingOffset="2%", quantity="1")
    same = market.engine.replace("alice", str(trailing.id), {})
    assert same.type == "TRAILING_STOP" and same.trailing_offset == trailing.trailing_offset
    stop = market.engine.replace("alice", str(same.id), {"type": "STOP", "stopPrice": "8000"})
    assert stop.type == "STOP" and stop.trailing_offset is None and stop.operator is None


def test_refused_replacement_leaves_the_old_order(market: Market) -> None:
    old = market.create(side="BUY", stopPrice="20000", quantity="1")
    market.create(side="BUY", stopPrice="20000", quantity="1", clientOrderId="taken")
    error = _error(market.engine.replace, "alice", str(old.id), {"type": "STOP_LIMIT"})
    assert (error.status, error.code) == (400, 25001)
    error = _error(market.engine.replace, "alice", str(old.id), {"clientOrderId": "taken"})
    assert error.code == 25004
    assert old.state == S.PENDING_NEW and old.update_time == 0


def test_replace_of_a_triggered_or_unknown_order_is_404(market: Market) -> None:
    order = market.create(side="BUY", stopPrice="10100", quantity="1", clientOrderId="t")
    market.price("10100")
    body = {"clientOrderId": "1234Abc", "stopPrice": "18000", "price": "18005", "quantity": "20"}
    error = _error(market.engine.replace, "alice", "cid:t", body)
    assert (error.status, error.code, error.message) == (404, 21301, "Couldn't locate smart order")
    assert _error(market.engine.replace, "alice", "12345", {}).code == 21301
    canceled = market.create(side="BUY", stopPrice="20000", quantity="1")
    market.engine.cancel("alice", str(canceled.id))
    assert _error(market.engine.replace, "alice", str(canceled.id), {}).code == 21301
    assert order.state == S.TRIGGERED


@pytest.mark.parametrize("flag", [True, "true"])
def test_replace_proceed_on_failure_places_the_new_order(market: Market, flag: object) -> None:
    order = market.create(side="BUY", stopPrice="10100", quantity="1", clientOrderId="t")
    market.price("10100")
    new = market.engine.replace("alice", "cid:t", {"stopPrice": 18100, "proceedOnFailure": flag})
    assert order.state == S.TRIGGERED
    assert new.state == S.PENDING_NEW and new.stop_price == Decimal(18100)
    # The triggered order still holds its clientOrderId.
    body = {"clientOrderId": "t", "proceedOnFailure": flag}
    assert _error(market.engine.replace, "alice", "cid:t", body).code == 25004


# ---- lists ---------------------------------------------------------------------------------


def test_list_open(market: Market) -> None:
    engine = market.engine
    stop = market.create(side="BUY", stopPrice="20000", quantity="1")
    limit = market.create(side="BUY", stopPrice="20000", price="20001", quantity="1")
    trailing = market.create(side="SELL", type="TRAILING_STOP", trailingOffset="5%", quantity="1")
    done = market.create(side="BUY", stopPrice="10100", quantity="1")
    market.price("10100")
    assert done.state == S.TRIGGERED
    assert engine.list_open("alice", {}) == [limit, stop]  # newest first, stops only
    assert engine.list_open("alice", {"types": "TRAILING_STOP"}) == [trailing]
    everything = engine.list_open("alice", {"types": "STOP,TRAILING_STOP,STOP_LIMIT", "limit": "2"})
    assert everything == [trailing, limit]
    for params in ({"limit": 0}, {"limit": 2001}, {"limit": "x"}, {"types": "LIMIT"}):
        assert _error(engine.list_open, "alice", params).code == 25001


def _history_fixture(market: Market) -> list[SmartOrder]:
    """Six finished orders, oldest first: four canceled, then two triggered sells; BTC and ETH."""
    out = []
    for index in range(6):
        symbol = "BTC_USDT" if index % 2 == 0 else "ETH_USDT"
        side, stop = ("BUY", "99999") if index < 3 else ("SELL", "1")
        out.append(market.create(side=side, stopPrice=stop, quantity="1", symbol=symbol))
    for order in out[:4]:
        market.engine.cancel("alice", str(order.id))
    low = Quote(Decimal(1), Decimal(1), Decimal(1))
    market.engine.on_price("BTC_USDT", low)
    market.engine.on_price("ETH_USDT", low)
    assert [o.state for o in out] == [S.CANCELED] * 4 + [S.TRIGGERED] * 2
    return out


def test_history_filters(market: Market) -> None:
    orders = _history_fixture(market)
    pending = market.create(side="BUY", stopPrice="99999999", quantity="1")
    history = market.engine.history
    assert history("alice", {}) == list(reversed(orders))
    assert pending not in history("alice", {})
    assert history("alice", {"states": "TRIGGERED"}) == [orders[5], orders[4]]
    assert history("alice", {"states": "CANCELED,TRIGGERED", "symbol": "ETH_USDT"}) == [
        orders[5],
        orders[3],
        orders[1],
    ]
    assert history("alice", {"hideCancel": True}) == [orders[5], orders[4]]
    assert history("alice", {"hideCancel": "false", "side": "sell"}) == [
        orders[5],
        orders[4],
        orders[3],
    ]
    assert history("alice", {"type": "STOP_LIMIT"}) == []
    assert history("alice", {"type": "STOP", "accountType": "SPOT", "limit": 2}) == [
        orders[5],
        orders[4],
    ]
    start, end = orders[1].create_time, orders[3].create_time
    assert history("alice", {"startTime": start, "endTime": str(end)}) == [
        orders[3],
        orders[2],
        orders[1],
    ]
    assert history("alice", {"states": "EXPIRED"}) == []


def test_history_paging(market: Market) -> None:
    orders = _history_fixture(market)
    history = market.engine.history
    first = history("alice", {"limit": 2})
    assert first == [orders[5], orders[4]]
    second = history("alice", {"limit": 2, "from": first[-1].id, "direction": "NEXT"})
    assert second == [orders[3], orders[2]]
    third = history("alice", {"limit": "2", "from": str(second[-1].id)})  # NEXT by default
    assert third == [orders[1], orders[0]]
    assert history("alice", {"limit": 2, "from": orders[0].id}) == []
    back = history("alice", {"limit": 2, "from": third[0].id, "direction": "PRE"})
    assert back == [orders[3], orders[2]]  # the two just newer than `from`, newest first
    assert history("alice", {"from": orders[5].id, "direction": "PRE"}) == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"from": -1},
        {"from": "1", "direction": "BACK"},
        {"accountType": "MARGIN"},
        {"type": "STOPP"},
        {"side": "LONG"},
        {"hideCancel": "yes"},
        {"startTime": "soon"},
        {"symbol": "btc"},
    ],
)
def test_history_bad_parameters_are_refused_even_without_orders(
    market: Market, params: dict[str, Any]
) -> None:
    error = _error(market.engine.history, "alice", params)
    assert error.status == 400


# ---- decimals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [1e30, 1e-300, 5e-324, "0." + "0" * 500 + "1", "9" * 600, "1" * 300 + "." + "1" * 300],
)
def test_extreme_admitted_values_never_raise_anything_else(market: Market, value: object) -> None:
    for side in ("BUY", "SELL"):
        for kind in ("STOP", "STOP_LIMIT", "TRAILING_STOP", "TRAILING_STOP_LIMIT"):
            body = {
                "symbol": "BTC_USDT",
                "side": side,
                "type": kind,
                "stopPrice": value,
                "price": value,
                "amount": value,
                "trailingOffset": value,
                "limitOffset": value,
            }
            try:
                order = market.engine.create("alice", body)
            except PoloniexError:
                continue
            for last in ("0.00000001", "1", "1" + "0" * 40, str(value)):
                market.engine.on_price(
                    "BTC_USDT", Quote(Decimal(last), Decimal(last), Decimal(last))
                )
            assert order.state in set(S)
    market.engine.history("alice", {})


@pytest.mark.parametrize("name", ["limit", "from", "startTime", "endTime"])
def test_history_integers_are_int64_as_the_spec_says(market: Market, name: str) -> None:
    """The spec bounds every integer query parameter at int64's maximum; one more (still 19
    digits) was accepted (found by fuzzing `limit=36893488147419103231`'s neighbours)."""
    top = 2**63 - 1
    spec_max = {
        p["name"]: p["schema"].get("maximum")
        for p in SPEC["paths"]["/smartorders/history"]["get"]["parameters"]
        if "name" in p
    }
    assert spec_max[name] == top
    history = market.engine.history
    history("alice", {name: str(top)})  # the largest accepted
    for too_big in (str(top + 1), top + 1, "9" * 19):
        assert _error(history, "alice", {name: too_big}).code == 25001, too_big
