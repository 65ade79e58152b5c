"""ver1 SmartTrade lifecycles over loopback HTTP, the price moved by `POST /_reference/prices`:
simple buys and sells, SmartSale (classic and step take profit, stop loss with timeout and
trailing), SmartCover, SmartTrade, trailing buy, panic sell and step panic sell, cancel order, add
funds in its four answer shapes, update, force process, the list's filters."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from reference_server.threecommas.users import DEMO_SPOT_ACCOUNT_ID

from .conftest import V1Api

SPOT = DEMO_SPOT_ACCOUNT_ID
ST = "/ver1/smart_trades"


def smart_trade(pair: str, **overrides: Any) -> dict[str, Any]:
    """A market buy of 1; take profit at 110, stop loss at 90."""
    body: dict[str, Any] = {
        "account_id": SPOT,
        "pair": pair,
        "units_to_buy": "1",
        "buy_price": "100",
        "buy_method": "market",
        "take_profit_enabled": True,
        "take_profit_type": "classic",
        "take_profit_price_condition": "110",
        "stop_loss_enabled": True,
        "stop_loss_price_condition": "90",
    }
    body.update(overrides)
    return body


def smart_sell(pair: str, **overrides: Any) -> dict[str, Any]:
    body = smart_trade(pair, **overrides)
    for key in ("buy_price", "buy_method"):
        body.pop(key, None)
    body.setdefault("average_buy_price", "100")
    return body


def simple(pair: str, **overrides: Any) -> dict[str, Any]:
    body = {"account_id": SPOT, "pair": pair, "units_to_buy": "2", "buy_price": "100"}
    body.update(overrides)
    return body


# ---- simple buy and sell ---------------------------------------------------------------------


def test_simple_buy_market_finishes_at_once(v1: V1Api) -> None:
    v1.price("USDT_V1SBM", "100")
    trade = v1.ok("POST", f"{ST}/create_simple_buy", simple("USDT_V1SBM", buy_method="market"))
    assert trade["type"] == "SmartTrade::SimpleBuy"
    assert trade["status"] == "simple_trade_finished" and trade["finished"] is True
    assert trade["average_buy_price"] == "100.0"
    assert [s["status"] for s in trade["buy_steps"]] == ["processed"]
    assert not (trade["editable"] or trade["cancellable"] or trade["panic_sellable"])


def test_simple_buy_limit_waits_for_the_book(v1: V1Api) -> None:
    v1.price("USDT_V1SBL", "105")
    trade = v1.ok("POST", f"{ST}/create_simple_buy", simple("USDT_V1SBL"))
    assert trade["status"] == "buy_order_placed" and trade["buy_method"] == "limit"
    assert trade["buy_steps"][0]["status"] == "enqueued"
    assert trade["buy_steps"][0]["order_id"] is not None
    assert trade["editable"] is False  # simple trades take no edit
    v1.price("USDT_V1SBL", "99")
    trade = v1.get(trade["id"])
    assert trade["status"] == "simple_trade_finished"
    assert trade["buy_steps"][0]["average_result_price"] == "100.0"


def test_conditional_simple_sell_triggers_then_sells(v1: V1Api) -> None:
    v1.price("USDT_V1SSC", "100")
    body = simple("USDT_V1SSC", buy_method="conditional", buy_price="120")
    trade = v1.ok("POST", f"{ST}/create_simple_sell", body)
    assert trade["type"] == "SmartTrade::ConditionalSimpleSell"
    assert trade["status"] == "conditional_order_waiting_price"
    assert trade["buy_steps"][0]["type"] == "SmartTradeStep::SellStep"
    v1.price("USDT_V1SSC", "119")
    assert v1.get(trade["id"])["status"] == "conditional_order_waiting_price"
    v1.price("USDT_V1SSC", "121")
    trade = v1.get(trade["id"])
    assert trade["status"] == "simple_trade_finished" and trade["average_buy_price"] == "121.0"


def test_conditional_simple_buy_with_limit_price(v1: V1Api) -> None:
    v1.price("USDT_V1SBC", "100")
    body = simple(
        "USDT_V1SBC", buy_method="conditional", buy_price="90", conditional_limit_price="85"
    )
    trade = v1.ok("POST", f"{ST}/create_simple_buy", body)
    assert trade["type"] == "SmartTrade::ConditionalSimpleBuy"
    v1.price("USDT_V1SBC", "89")
    assert v1.get(trade["id"])["status"] == "buy_order_placed"
    v1.price("USDT_V1SBC", "84")
    trade = v1.get(trade["id"])
    assert trade["status"] == "simple_trade_finished" and trade["average_buy_price"] == "85.0"


# ---- smart sell --------------------------------------------------------------------------------


def test_smart_sell_classic_take_profit(v1: V1Api) -> None:
    v1.price("USDT_V1TP", "100")
    trade = v1.ok("POST", f"{ST}/create_smart_sell", smart_sell("USDT_V1TP"))
    assert trade["type"] == "SmartTrade::SmartSale" and trade["status"] == "bought"
    assert trade["buy_method"] is None and trade["average_buy_price"] == "100.0"
    assert trade["editable"] and trade["panic_sellable"] and trade["cancellable"]
    assert [s["type"] for s in trade["take_profit_steps"]] == ["SmartTradeStep::TakeProfitStep"]
    assert [s["type"] for s in trade["stop_loss_steps"]] == ["SmartTradeStep::StopLossStep"]
    v1.price("USDT_V1TP", "111")
    trade = v1.get(trade["id"])
    assert trade["status"] == "take_profit_finished" and trade["finished"] is True
    assert trade["average_sell_price"] == "111.0" and trade["usd_profit"] == "11.0"
    assert trade["stop_loss_steps"][0]["status"] == "skipped"
    assert trade["closed_at"] is not None


def test_smart_sell_limit_take_profit_waits_on_the_book(v1: V1Api) -> None:
    v1.price("USDT_V1TPL", "100")
    body = smart_sell(
        "USDT_V1TPL", take_profit_sell_method="limit", take_profit_sell_order_price="112"
    )
    tid = v1.ok("POST", f"{ST}/create_smart_sell", body)["id"]
    v1.price("USDT_V1TPL", "111")
    trade = v1.get(tid)
    assert trade["status"] == "take_profit_order_placed"
    assert trade["editable"] is False and trade["panic_sellable"] is True
    v1.price("USDT_V1TPL", "113")
    trade = v1.get(tid)
    assert trade["status"] == "take_profit_finished" and trade["average_sell_price"] == "112.0"


def test_smart_sell_step_take_profit(v1: V1Api) -> None:
    v1.price("USDT_V1STEP", "100")
    body = smart_sell(
        "USDT_V1STEP",
        units_to_buy="2",
        take_profit_type="step_sell",
        take_profit_step_orders=[
            {"percent": 50, "price": "110", "price_method": "last"},
            {"percent": "50", "price_percentage": "20"},
        ],
    )
    body.pop("take_profit_price_condition")
    trade = v1.ok("POST", f"{ST}/create_smart_sell", body)
    steps = trade["take_profit_steps"]
    assert [s["position"] for s in steps] == [1, 2]
    assert [s["initial_amount"] for s in steps] == ["1.0", "1.0"]
    assert steps[1]["price"] == "120.0"  # 20 % above the buy price
    v1.price("USDT_V1STEP", "111")
    trade = v1.get(trade["id"])
    assert trade["status"] == "bought"
    assert [s["status"] for s in trade["take_profit_steps"]] == ["processed", "idle"]
    v1.price("USDT_V1STEP", "121")
    trade = v1.get(trade["id"])
    assert trade["status"] == "take_profit_finished" and trade["usd_profit"] == "32.0"  # 11 + 21


def test_stop_loss_waits_for_its_timeout(v1: V1Api) -> None:
    v1.price("USDT_V1SLT", "100")
    body = smart_sell("USDT_V1SLT", stop_loss_timeout_enabled=True, stop_loss_timeout_seconds=1)
    tid = v1.ok("POST", f"{ST}/create_smart_sell", body)["id"]
    v1.price("USDT_V1SLT", "89")
    assert v1.get(tid)["status"] == "bought"  # crossed, the timeout running
    time.sleep(1.1)
    trade = v1.get(tid)
    assert trade["status"] == "stop_loss_finished" and trade["average_sell_price"] == "89.0"


def test_trailing_stop_loss_follows_the_price_up(v1: V1Api) -> None:
    v1.price("USDT_V1TSL", "100")
    body = smart_sell("USDT_V1TSL", trailing_stop_loss=True, take_profit_price_condition="200")
    trade = v1.ok("POST", f"{ST}/create_smart_sell", body)
    assert trade["trailing_stop_loss"] is True
    assert trade["stop_loss_steps"][0]["type"] == "SmartTradeStep::TrailingStopLossStep"
    assert trade["trailing_stop_loss_condition_percentage"] == "10.0"
    v1.price("USDT_V1TSL", "150")
    trade = v1.get(trade["id"])
    assert trade["stop_loss_price_condition"] == "135.0"
    assert trade["trailing_stop_loss_last_price"] == "150.0"
    v1.price("USDT_V1TSL", "134")
    trade = v1.get(trade["id"])
    assert trade["status"] == "stop_loss_finished" and trade["usd_profit"] == "34.0"


def test_limit_stop_loss_order_placed_then_filled(v1: V1Api) -> None:
    v1.price("USDT_V1SLL", "100")
    body = smart_sell("USDT_V1SLL", stop_loss_sell_method="limit", stop_loss_sell_order_price="91")
    tid = v1.ok("POST", f"{ST}/create_smart_sell", body)["id"]
    v1.price("USDT_V1SLL", "89")
    trade = v1.get(tid)
    assert trade["status"] == "stop_loss_order_placed"
    v1.refused(
        "PATCH", f"{ST}/{tid}/update", {"take_profit_enabled": False, "stop_loss_enabled": False}
    )
    v1.price("USDT_V1SLL", "92")
    trade = v1.get(tid)
    assert trade["status"] == "stop_loss_finished" and trade["average_sell_price"] == "91.0"


def test_trailing_take_profit(v1: V1Api) -> None:
    v1.price("USDT_V1TTP", "100")
    body = smart_sell("USDT_V1TTP", trailing_take_profit=True, trailing_take_profit_step="5")
    tid = v1.ok("POST", f"{ST}/create_smart_sell", body)["id"]
    v1.price("USDT_V1TTP", "112")
    trade = v1.get(tid)
    assert trade["status"] == "trailing_take_profit_activated"
    assert trade["take_profit_steps"][0]["type"] == "SmartTradeStep::TrailingTakeProfitStep"
    v1.price("USDT_V1TTP", "120")
    assert v1.get(tid)["trailing_take_profit_last_price"] == "120.0"
    v1.price("USDT_V1TTP", "114")  # 5 % back from 120
    trade = v1.get(tid)
    assert trade["status"] == "take_profit_finished" and trade["average_sell_price"] == "114.0"


# ---- smart cover and smart trade ---------------------------------------------------------------


def test_smart_cover_is_the_short_mirror(v1: V1Api) -> None:
    v1.price("USDT_V1COV", "100")
    body = smart_trade(
        "USDT_V1COV", take_profit_price_condition="90", stop_loss_price_condition="110"
    )
    trade = v1.ok("POST", f"{ST}/create_smart_cover", body)
    assert trade["type"] == "SmartTrade::SellBuyBack" and trade["status"] == "bought"
    assert trade["take_profit_steps"][0]["type"] == "SmartTradeStep::TakeProfitBuyStep"
    assert trade["stop_loss_steps"][0]["type"] == "SmartTradeStep::StopLossBuyStep"
    v1.price("USDT_V1COV", "95")
    assert v1.get(trade["id"])["status"] == "bought"
    v1.price("USDT_V1COV", "89")
    trade = v1.get(trade["id"])
    assert trade["status"] == "take_profit_finished" and trade["usd_profit"] == "11.0"


def test_smart_cover_stop_loss_above(v1: V1Api) -> None:
    v1.price("USDT_V1COS", "100")
    body = smart_trade(
        "USDT_V1COS", take_profit_price_condition="90", stop_loss_price_condition="110"
    )
    tid = v1.ok("POST", f"{ST}/create_smart_cover", body)["id"]
    v1.price("USDT_V1COS", "111")
    trade = v1.get(tid)
    assert trade["status"] == "stop_loss_finished" and trade["usd_profit"] == "-11.0"


def test_smart_trade_limit_buy_then_its_targets(v1: V1Api) -> None:
    v1.price("USDT_V1ST", "105")
    trade = v1.ok("POST", f"{ST}/create_smart_trade", smart_trade("USDT_V1ST", buy_method="limit"))
    assert trade["type"] == "SmartTrade::Classic" and trade["status"] == "buy_order_placed"
    assert trade["panic_sellable"] is False and trade["editable"] is True
    v1.price("USDT_V1ST", "100")
    assert v1.get(trade["id"])["status"] == "bought"
    v1.price("USDT_V1ST", "110")
    assert v1.get(trade["id"])["status"] == "take_profit_finished"


def test_trailing_buy_enters_when_the_price_turns_back(v1: V1Api) -> None:
    v1.price("USDT_V1TB", "100")
    body = smart_trade(
        "USDT_V1TB",
        buy_method="conditional",
        buy_price="95",
        trailing_buy_enabled=True,
        trailing_buy_step="10",
        take_profit_percentage_condition="10",
        stop_loss_percentage_condition="-10",
    )
    trade = v1.ok("POST", f"{ST}/create_smart_trade", body)
    assert trade["type"] == "SmartTrade::ConditionalBuy"
    assert trade["status"] == "conditional_order_waiting_price"
    v1.price("USDT_V1TB", "94")
    assert v1.get(trade["id"])["status"] == "trailing_buy_activated"
    v1.price("USDT_V1TB", "80")
    v1.price("USDT_V1TB", "87")  # not 10 % back from 80 yet
    assert v1.get(trade["id"])["status"] == "trailing_buy_activated"
    v1.price("USDT_V1TB", "88")
    trade = v1.get(trade["id"])
    assert trade["status"] == "bought" and trade["average_buy_price"] == "88.0"
    # The targets from the percentages, against the price the trailing entry bought at.
    assert trade["take_profit_price_condition"] == "96.8"
    assert trade["stop_loss_price_condition"] == "79.2"


# ---- the user's actions ------------------------------------------------------------------------


def test_panic_sell(v1: V1Api) -> None:
    v1.price("USDT_V1PS", "100")
    tid = v1.ok("POST", f"{ST}/create_smart_trade", smart_trade("USDT_V1PS"))["id"]
    v1.price("USDT_V1PS", "104")
    trade = v1.ok("POST", f"{ST}/{tid}/panic_sell")
    assert trade["status"] == "panic_sell_finished" and trade["usd_profit"] == "4.0"
    assert trade["panic_sell_market_order_id"] is not None
    assert trade["take_profit_steps"][0]["status"] == "cancelled"
    panic = [s for s in trade["smart_trade_steps"] if s["is_panic_sell"]]
    assert [s["status"] for s in panic] == ["panic_sold"]
    v1.refused("POST", f"{ST}/{tid}/panic_sell")
    v1.refused("POST", f"{ST}/{tid}/cancel")


def test_step_panic_sell(v1: V1Api) -> None:
    v1.price("USDT_V1SPS", "100")
    body = smart_sell(
        "USDT_V1SPS",
        units_to_buy="2",
        take_profit_type="step_sell",
        take_profit_step_orders=[{"percent": 50, "price": "110"}, {"percent": 50, "price": "120"}],
    )
    trade = v1.ok("POST", f"{ST}/create_smart_sell", body)
    first, second = (s["id"] for s in trade["take_profit_steps"])
    v1.price("USDT_V1SPS", "105")
    trade = v1.ok("POST", f"{ST}/{trade['id']}/step_panic_sell", {"step_id": first})
    assert trade["status"] == "bought"
    assert [s["status"] for s in trade["take_profit_steps"]] == ["panic_sold", "idle"]
    assert trade["take_profit_steps"][0]["is_panic_sell"] is True
    v1.refused("POST", f"{ST}/{trade['id']}/step_panic_sell", {"step_id": first})
    trade = v1.ok("POST", f"{ST}/{trade['id']}/step_panic_sell", {"step_id": str(second)})
    assert trade["status"] == "panic_sell_finished" and trade["usd_profit"] == "10.0"


def test_cancel_order_of_a_step_and_of_the_entry(v1: V1Api) -> None:
    v1.price("USDT_V1CO", "100")
    trade = v1.ok("POST", f"{ST}/create_smart_sell", smart_sell("USDT_V1CO"))
    sl = trade["stop_loss_steps"][0]["id"]
    trade = v1.ok("POST", f"{ST}/{trade['id']}/cancel_order", {"step_id": str(sl)})
    assert trade["stop_loss_steps"][0]["status"] == "cancelled" and trade["status"] == "bought"
    v1.price("USDT_V1CO", "50")  # no stop loss any more
    assert v1.get(trade["id"])["status"] == "bought"
    v1.refused("POST", f"{ST}/{trade['id']}/cancel_order", {"step_id": sl})
    missing = v1.call("POST", f"{ST}/{trade['id']}/cancel_order", {"step_id": 1})
    assert missing.status_code == 404

    v1.price("USDT_V1CO", "100")
    waiting = v1.ok(
        "POST",
        f"{ST}/create_smart_trade",
        smart_trade("USDT_V1CO", buy_method="limit", buy_price="90"),
    )
    entry = waiting["buy_steps"][0]["id"]
    cancelled = v1.ok("POST", f"{ST}/{waiting['id']}/cancel_order", {"step_id": entry})
    assert cancelled["status"] == "cancelled" and cancelled["buy_steps"][0]["status"] == "cancelled"


def test_cancel(v1: V1Api) -> None:
    v1.price("USDT_V1CA", "100")
    body = smart_trade("USDT_V1CA", buy_method="conditional", buy_price="90")
    tid = v1.ok("POST", f"{ST}/create_smart_trade", body)["id"]
    trade = v1.ok("POST", f"{ST}/{tid}/cancel")
    assert trade["status"] == "cancelled" and trade["finished"] is True
    assert {s["status"] for s in trade["smart_trade_steps"]} == {"cancelled"}
    v1.price("USDT_V1CA", "80")
    assert v1.get(tid)["status"] == "cancelled"
    v1.refused(
        "PATCH", f"{ST}/{tid}/update", {"take_profit_enabled": False, "stop_loss_enabled": False}
    )
    v1.refused("POST", f"{ST}/{tid}/force_process")
    v1.refused("POST", f"{ST}/{tid}/add_funds", {"quantity": "1", "is_market": True})


def test_add_funds_answers_the_shape_response_type_asks(v1: V1Api) -> None:
    v1.price("USDT_V1AF", "100")
    tid = v1.ok("POST", f"{ST}/create_smart_trade", smart_trade("USDT_V1AF"))["id"]
    path = f"{ST}/{tid}/add_funds"
    v1.price("USDT_V1AF", "98")
    assert v1.ok("POST", path, {"quantity": "1", "is_market": True}) == {}
    trade = v1.ok(
        "POST", path, {"quantity": "1", "is_market": True, "response_type": "smart_trade"}
    )
    assert trade["id"] == tid and len(trade["buy_steps"]) == 3
    assert Decimal(trade["average_buy_price"]) == Decimal(
        "98.66666666666666666666666666666666666667"
    )
    assert trade["stop_loss_steps"][0]["initial_amount"] == "3.0"
    order = v1.ok(
        "POST",
        path,
        {"quantity": "1", "is_market": "false", "rate": "95", "response_type": "order"},
    )
    assert set(order) >= {"id", "rate"} and order["rate"] == "95.0"
    step = v1.ok(
        "POST", path, {"quantity": 1, "is_market": False, "rate": 94, "response_type": "step"}
    )
    assert step["status"] == "enqueued" and step["type"] == "SmartTradeStep::BuyStep"
    v1.price("USDT_V1AF", "94.5")
    trade = v1.get(tid)
    assert [s["status"] for s in trade["buy_steps"]] == ["processed"] * 4 + ["enqueued"]
    assert trade["take_profit_steps"][0]["initial_amount"] == "4.0"


def test_add_funds_refused_for_simple_and_waiting_trades(v1: V1Api) -> None:
    v1.price("USDT_V1AFR", "100")
    simple_trade = v1.ok("POST", f"{ST}/create_simple_buy", simple("USDT_V1AFR", buy_price="90"))
    v1.refused("POST", f"{ST}/{simple_trade['id']}/add_funds", {"quantity": "1", "is_market": True})
    waiting = v1.ok(
        "POST",
        f"{ST}/create_smart_trade",
        smart_trade("USDT_V1AFR", buy_method="limit", buy_price="90"),
    )
    v1.refused("POST", f"{ST}/{waiting['id']}/add_funds", {"quantity": "1", "is_market": True})
    v1.refused("POST", f"{ST}/{waiting['id']}/panic_sell")
    v1.refused("POST", f"{ST}/{waiting['id']}/step_panic_sell", {"step_id": 1})


def test_update_changes_targets_and_entry(v1: V1Api) -> None:
    v1.price("USDT_V1UP", "100")
    body = smart_trade("USDT_V1UP", buy_method="conditional", buy_price="90")
    tid = v1.ok("POST", f"{ST}/create_smart_trade", body)["id"]
    update = {
        "buy_price": "95",
        "take_profit_enabled": True,
        "take_profit_type": "step_sell",
        "take_profit_step_orders": [
            {"percent": 60, "price": "105", "position": 1},
            {"percent": 40, "price": "115", "position": 2},
        ],
        "stop_loss_enabled": False,
        "note": "edited",
    }
    trade = v1.ok("PATCH", f"{ST}/{tid}/update", update)
    assert trade["buy_price"] == "95.0" and trade["note"] == "edited"
    assert trade["stop_loss_enabled"] is False
    open_steps = [s for s in trade["take_profit_steps"] if s["status"] == "idle"]
    assert [s["percent"] for s in open_steps] == ["60.0", "40.0"]
    v1.price("USDT_V1UP", "94")
    trade = v1.get(tid)
    assert trade["status"] == "bought"
    assert [s["initial_amount"] for s in trade["take_profit_steps"] if s["status"] == "idle"] == [
        "0.6",
        "0.4",
    ]
    v1.price("USDT_V1UP", "116")
    assert v1.get(tid)["status"] == "take_profit_finished"


def test_force_process_reads_the_book_now(v1: V1Api) -> None:
    v1.price("USDT_V1FP", "100")
    tid = v1.ok("POST", f"{ST}/create_smart_trade", smart_trade("USDT_V1FP"))["id"]
    trade = v1.ok("POST", f"{ST}/{tid}/force_process")
    assert trade["status"] == "bought" and trade["current_price"] == "100.0"


def test_list_filters_and_pages(v1: V1Api, v1_other: V1Api) -> None:
    v1_other.price("USDT_V1LS", "100")
    mine = v1_other.ok("POST", f"{ST}/create_smart_sell", smart_sell("USDT_V1LS", account_id=55501))
    done = v1_other.ok(
        "POST",
        f"{ST}/create_simple_buy",
        simple("USDT_V1LS", account_id=55501, buy_method="market"),
    )
    cancelled = v1_other.ok(
        "POST", f"{ST}/create_smart_trade", smart_trade("USDT_V1LS", account_id=55501)
    )
    v1_other.ok("POST", f"{ST}/{cancelled['id']}/cancel")

    def ids(**params: Any) -> list[int]:
        return [t["id"] for t in v1_other.ok("GET", ST, params=params)]

    assert ids() == [cancelled["id"], done["id"], mine["id"]]
    assert ids(scope="active") == [mine["id"]]
    assert ids(scope="finished") == [done["id"]]
    assert ids(scope="cancelled") == [cancelled["id"]]
    assert ids(scope="anything") == ids()
    assert ids(type="SmartTrade::SmartSale") == [mine["id"]]
    assert ids(limit=1, offset=1) == [done["id"]]
    assert ids(account_id=55501, order="closed_at")[-1] == mine["id"]
    assert ids(account_id=SPOT) == []
