"""Regressions over real loopback HTTP: units conserved through every lifecycle flow, and extreme
values the spec admits that create, read back, list, cancel and close without a 422."""

from __future__ import annotations

import re
from decimal import Decimal, localcontext
from typing import Any

import httpx
import pytest

from reference_server.threecommas.users import DEMO_SPOT_ACCOUNT_ID

from .conftest import Api

SPOT = DEMO_SPOT_ACCOUNT_ID
EXIT_PURPOSES = ("take_profit", "stop_loss", "reduce_funds", "market_close")
ENTRY_PURPOSES = ("position", "add_funds")


def body(pair: str, steps: list[dict[str, Any]] | None = None, **overrides: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "account_id": SPOT,
        "pair": pair,
        "position": {"type": "buy", "units": {"value": "1"}, "order_type": "market"},
        "take_profit": {
            "enabled": True,
            "steps": steps
            or [{"order_type": "market", "price": {"value": "110", "type": "bid"}, "volume": 100}],
        },
        "stop_loss": {"enabled": False},
    }
    out.update(overrides)
    return out


def realised(api: Api, tid: int) -> tuple[Decimal, Decimal]:
    """Units bought and units sold, from the trades list's realised amounts."""
    rows = api.ok("GET", f"/v2/smart_trades/{tid}/trades")
    with localcontext(prec=400):  # exact sums of the rendered amounts
        return _sums(rows)


def _sums(rows: list[dict[str, Any]]) -> tuple[Decimal, Decimal]:
    bought = sum(
        (Decimal(r["realised_amount"]) for r in rows if r["trade_purpose"] in ENTRY_PURPOSES),
        Decimal(0),
    )
    sold = sum(
        (Decimal(r["realised_amount"]) for r in rows if r["trade_purpose"] in EXIT_PURPOSES),
        Decimal(0),
    )
    return bought, sold


def assert_all_sold(api: Api, trade: dict[str, Any], average_close: str | None = None) -> None:
    bought, sold = realised(api, trade["id"])
    data = trade["data"]
    assert bought == sold == Decimal(data["entered_amount"]) == Decimal(data["closed_amount"])
    if average_close is not None:
        assert data["average_close_price"] == average_close
        entered = Decimal(data["entered_total"])
        closed = Decimal(data["closed_total"])
        assert Decimal(trade["profit"]["volume"]) == closed - entered


def reduce_id(trade: dict[str, Any]) -> int:
    return int(trade["reduce_funds"]["steps"][-1]["id"])


# ---- units conservation ------------------------------------------------------------------------


def test_cancelled_limit_reduce_funds_gives_its_units_back_to_the_take_profit(api: Api) -> None:
    api.price("USDT_RGA", "100")
    tid = api.ok("POST", "/v2/smart_trades", body("USDT_RGA"))["id"]
    trade = api.ok(
        "POST",
        f"/v2/smart_trades/{tid}/reduce_funds",
        {"order_type": "limit", "units": {"value": "0.4"}, "price": {"value": "200"}},
    )
    assert trade["take_profit"]["steps"][0]["units"]["value"] == "0.6"
    trade = api.ok("DELETE", f"/v2/smart_trades/{tid}/trades/{reduce_id(trade)}")
    assert trade["reduce_funds"]["steps"][0]["status"]["type"] == "cancelled"
    assert trade["take_profit"]["steps"][0]["units"]["value"] == "1.0"

    api.price("USDT_RGA", "111")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["status"]["type"] == "finished"
    assert_all_sold(api, trade, average_close="111.0")
    assert trade["profit"]["volume"] == "11.0"


def test_cancelling_the_only_take_profit_step_keeps_the_units_for_close_by_market(
    api: Api,
) -> None:
    api.price("USDT_RGB", "100")
    tid = api.ok("POST", "/v2/smart_trades", body("USDT_RGB"))["id"]
    step = api.ok("GET", f"/v2/smart_trades/{tid}")["take_profit"]["steps"][0]["id"]
    trade = api.ok("DELETE", f"/v2/smart_trades/{tid}/trades/{step}")
    assert trade["status"]["type"] == "waiting_targets"
    assert trade["data"]["panic_sell_available"] is True
    assert trade["data"]["closed_amount"] == "0.0"

    api.price("USDT_RGB", "105")
    trade = api.ok("POST", f"/v2/smart_trades/{tid}/close_by_market")
    assert trade["status"]["type"] == "panic_sold"
    assert trade["market_close"]["units"]["value"] == "1.0"
    assert_all_sold(api, trade, average_close="105.0")
    assert trade["profit"]["volume"] == "5.0"


def test_cancelling_the_only_take_profit_step_leaves_the_units_to_the_stop_loss(api: Api) -> None:
    api.price("USDT_RGC", "100")
    stop_loss = {
        "enabled": True,
        "order_type": "market",
        "conditional": {"price": {"value": "90", "type": "bid"}},
    }
    tid = api.ok("POST", "/v2/smart_trades", body("USDT_RGC", stop_loss=stop_loss))["id"]
    step = api.ok("GET", f"/v2/smart_trades/{tid}")["take_profit"]["steps"][0]["id"]
    api.ok("DELETE", f"/v2/smart_trades/{tid}/trades/{step}")
    api.price("USDT_RGC", "89")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["status"]["type"] == "stop_loss_finished"
    assert_all_sold(api, trade, average_close="89.0")


def test_take_profit_then_pending_reduce_funds_sells_every_unit(api: Api) -> None:
    """The take profit sells what the pending reduce does not hold back; the trade waits for the
    reduce order instead of finishing (and cancelling it) with its units unsold."""
    api.price("USDT_RGD", "100")
    tid = api.ok("POST", "/v2/smart_trades", body("USDT_RGD"))["id"]
    api.ok(
        "POST",
        f"/v2/smart_trades/{tid}/reduce_funds",
        {"order_type": "limit", "units": {"value": "0.4"}, "price": {"value": "120"}},
    )
    api.price("USDT_RGD", "111")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["take_profit"]["steps"][0]["status"]["type"] == "finished"
    assert trade["status"]["type"] == "waiting_targets"
    assert trade["reduce_funds"]["steps"][0]["status"]["type"] == "order_placed"
    api.price("USDT_RGD", "121")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["status"]["type"] == "finished"
    assert_all_sold(api, trade)
    assert trade["profit"]["volume"] == "14.6"  # 0.6 * 11 + 0.4 * 20


def test_cancelling_a_reduce_after_the_take_profits_leaves_its_units_to_close_by_market(
    api: Api,
) -> None:
    api.price("USDT_RGE", "100")
    tid = api.ok("POST", "/v2/smart_trades", body("USDT_RGE"))["id"]
    trade = api.ok(
        "POST",
        f"/v2/smart_trades/{tid}/reduce_funds",
        {"order_type": "limit", "units": {"value": "0.25"}, "price": {"value": "300"}},
    )
    api.price("USDT_RGE", "111")
    trade = api.ok("DELETE", f"/v2/smart_trades/{tid}/trades/{reduce_id(trade)}")
    assert trade["status"]["type"] == "waiting_targets"
    trade = api.ok("POST", f"/v2/smart_trades/{tid}/close_by_market")
    assert trade["market_close"]["units"]["value"] == "0.25"
    assert_all_sold(api, trade)


def test_a_limit_reduce_funds_of_the_whole_position_finishes_the_trade(api: Api) -> None:
    api.price("USDT_RGF", "100")
    tid = api.ok("POST", "/v2/smart_trades", body("USDT_RGF", take_profit={"enabled": False}))["id"]
    api.ok(
        "POST",
        f"/v2/smart_trades/{tid}/reduce_funds",
        {"order_type": "limit", "units": {"value": "1"}, "price": {"value": "150"}},
    )
    api.price("USDT_RGF", "151")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["status"]["type"] == "finished" and trade["data"]["finished"] is True
    assert_all_sold(api, trade, average_close="150.0")


def test_add_funds_cancelled_or_filled_and_reduce_then_take_profit_sell_every_unit(
    api: Api,
) -> None:
    api.price("USDT_RGG", "100")
    steps = [
        {"order_type": "limit", "price": {"value": "110", "type": "bid"}, "volume": "33.3"},
        {"order_type": "market", "price": {"value": "120", "type": "bid"}, "volume": "33.3"},
        {"order_type": "market", "price": {"value": "130", "type": "bid"}, "volume": "33.4"},
    ]
    tid = api.ok("POST", "/v2/smart_trades", body("USDT_RGG", steps))["id"]
    add = {"order_type": "limit", "units": {"value": "0.7"}, "price": {"value": "90"}}
    trade = api.ok("POST", f"/v2/smart_trades/{tid}/add_funds", add)
    rows = api.ok("GET", f"/v2/smart_trades/{tid}/trades")
    pending = next(r["id"] for r in rows if r["trade_purpose"] == "add_funds")
    api.ok("DELETE", f"/v2/smart_trades/{tid}/trades/{pending}")
    api.ok("POST", f"/v2/smart_trades/{tid}/add_funds", {**add, "price": {"value": "95"}})
    api.price("USDT_RGG", "94")  # the second add fills
    api.ok(
        "POST",
        f"/v2/smart_trades/{tid}/reduce_funds",
        {"order_type": "market", "units": {"value": "0.3"}},
    )
    api.price("USDT_RGG", "115")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    open_units = sum(
        (Decimal(s["units"]["value"]) for s in trade["take_profit"]["steps"][1:]), Decimal(0)
    )
    assert open_units == Decimal(trade["data"]["entered_amount"]) - Decimal(
        trade["data"]["closed_amount"]
    )
    api.price("USDT_RGG", "131")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["status"]["type"] == "finished"
    assert trade["data"]["entered_amount"] == "1.7"
    assert_all_sold(api, trade)


# ---- extreme admitted values -------------------------------------------------------------------

TINY = "0." + "0" * 39 + "1"  # 1e-40, the smallest admitted
DIGITS_40 = "1234567890.123456789012345678901234567891"
DIGITS_100 = "9" * 30 + "." + "9" * 70
with localcontext(prec=100):
    ALMOST_100 = str(Decimal(100) - Decimal(TINY))  # 99.99...9, 40 nines: with TINY makes 100


def _limit(side: str, units: Any, price: Any) -> dict[str, Any]:
    return {
        "type": side,
        "units": {"value": units},
        "order_type": "limit",
        "price": {"value": price},
    }


def _market(side: str, units: Any) -> dict[str, Any]:
    return {"type": side, "units": {"value": units}, "order_type": "market"}


def _tp(**price: Any) -> dict[str, Any]:
    return {
        "enabled": True,
        "steps": [{"order_type": "market", "price": {"type": "bid", **price}, "volume": 100}],
    }


def _sl(**price: Any) -> dict[str, Any]:
    return {
        "enabled": True,
        "order_type": "market",
        "conditional": {"price": {"type": "bid", **price}},
    }


EXTREMES: list[tuple[str, str, dict[str, Any]]] = [
    # (name, last price of the pair, overrides of the create body)
    ("limit sell at 1e-30 fills at once", "100", {"position": _limit("sell", "1", 1e-30)}),
    ("limit buy at 1e-30 waits", "100", {"position": _limit("buy", "1", 1e-30)}),
    ("limit sell at 1e-40 string", "100", {"position": _limit("sell", TINY, TINY)}),
    ("1e30 units at market", "100", {"position": _market("buy", 1e30)}),
    ("1e30 units at 1e30", "1" + "0" * 30, {"position": _limit("sell", "1" + "0" * 30, 1e30)}),
    ("1e-40 units at market", "100", {"position": _market("buy", TINY)}),
    ("40 digits", "100", {"position": _limit("sell", DIGITS_40, DIGITS_40)}),
    ("100 digits", "100", {"position": _limit("sell", DIGITS_100, DIGITS_100)}),
    (
        "take profit and stop loss at extreme percents",
        "100",
        {
            "position": _market("buy", DIGITS_40),
            "take_profit": _tp(percent=1e30),
            "stop_loss": _sl(percent=-1e30),
        },
    ),
    (
        "take profit at a tiny percent, stop loss at 100 percent",
        "100",
        {
            "position": _market("sell", "3"),
            "take_profit": _tp(percent=TINY),
            "stop_loss": _sl(percent=100),
        },
    ),
    (
        "smart sell bought at 1e-40 with a take profit at 1e30",
        "100",
        {
            "skip_enter_step": True,
            "position": _limit("buy", 1e30, TINY),
            "take_profit": _tp(value=1e30),
        },
    ),
    ("quote at 1e-40, 1e30 units", TINY, {"position": _market("buy", 1e30)}),
    ("quote just under 1e31, tiny units", "9" * 31, {"position": _market("sell", TINY)}),
    (
        "trailing at the bounds",
        "100",
        {
            "position": {
                **_market("buy", "7"),
                "order_type": "conditional",
                "conditional": {
                    "price": {"value": TINY, "type": "last"},
                    "order_type": "market",
                    "trailing": {"enabled": True, "percent": 99},
                },
            },
            "take_profit": {
                "enabled": True,
                "steps": [
                    {
                        "order_type": "market",
                        "price": {"value": TINY, "type": "last"},
                        "volume": TINY,
                    },
                    {
                        "order_type": "limit",
                        "price": {"value": 1e30, "type": "last"},
                        "volume": ALMOST_100,
                        "trailing": {"enabled": True, "percent": 100},
                    },
                ],
            },
        },
    ),
]


_SCIENTIFIC = re.compile(r"-?[0-9]+(\.[0-9]+)?[eE][-+]?[0-9]+")


def _no_exponent(node: Any) -> None:
    """Decimals render in plain notation, as the real API writes them."""
    if isinstance(node, dict):
        for value in node.values():
            _no_exponent(value)
    elif isinstance(node, list):
        for value in node:
            _no_exponent(value)
    elif isinstance(node, str):
        assert not _SCIENTIFIC.fullmatch(node), node


@pytest.mark.parametrize(
    ("index", "last", "overrides"),
    [(index, last, overrides) for index, (_, last, overrides) in enumerate(EXTREMES)],
    ids=[name for name, _, _ in EXTREMES],
)
def test_extreme_admitted_values_create_read_list_and_close(
    api: Api, index: int, last: str, overrides: dict[str, Any]
) -> None:
    pair = f"USDT_RGX{index}"
    api.price(pair, last)
    created = api.call("POST", "/v2/smart_trades", body(pair, **overrides))
    assert created.status_code in (200, 201), created.text
    trade = created.json()
    tid = trade["id"]
    _no_exponent(trade)
    assert api.ok("GET", f"/v2/smart_trades/{tid}")["id"] == tid
    listed = api.ok("GET", "/v2/smart_trades", params={"pair": pair})
    assert [t["id"] for t in listed] == [tid]
    api.ok("GET", f"/v2/smart_trades/{tid}/trades")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    if trade["data"]["panic_sell_available"]:
        # Move the price to the other end of the admitted range and back, then close.
        api.price(pair, "9" * 31)
        api.ok("GET", "/v2/smart_trades", params={"pair": pair})
        api.price(pair, TINY)
        trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    if trade["data"]["panic_sell_available"]:
        trade = api.ok("POST", f"/v2/smart_trades/{tid}/close_by_market")
        assert trade["status"]["type"] == "panic_sold"
    elif trade["data"]["cancel_available"]:
        trade = api.ok("DELETE", f"/v2/smart_trades/{tid}")
        assert trade["status"]["type"] == "cancelled"
    _no_exponent(trade)
    assert trade["data"]["finished"] is True
    if trade["status"]["type"] != "cancelled":
        assert_all_sold(api, trade)
    api.ok("GET", "/v2/smart_trades", params={"pair": pair})


@pytest.mark.parametrize(
    "value",
    ["1" + "1" * 100, "0." + "0" * 40 + "1", "1" * 32, "0." + "1" * 101],
    ids=["101 digits", "1e-41", "1e31", "101 decimals"],
)
def test_values_beyond_the_admitted_range_answer_422_and_store_nothing(
    api: Api, value: str
) -> None:
    pair = "USDT_RGOUT"
    api.price(pair, "100")
    answer = api.call("POST", "/v2/smart_trades", body(pair, position=_limit("buy", "1", value)))
    assert answer.status_code == 422
    assert "position[price][value]" in answer.json()["error_attributes"]
    assert api.ok("GET", "/v2/smart_trades", params={"pair": pair}) == []


def test_prices_beyond_the_admitted_range_are_refused(api: Api) -> None:
    for last in ("1e31", "1e-41", "0." + "1" * 101):
        answer = httpx.post(
            api.base_url + "/_reference/prices", json={"pair": "USDT_RGQ", "last": last}
        )
        assert answer.status_code == 422, last
        assert "last" in answer.json()["error_attributes"]


def test_forty_digit_amounts_add_up_exactly(api: Api) -> None:
    """Sums of amounts ran in the default 28-digit context: 40-digit units came back rounded and
    the entered amount no longer matched what the steps sold."""
    api.price("USDT_RGS", "100")
    units = "1.000000000000000000000000000000000000001"
    steps = [
        {"order_type": "market", "price": {"value": "110", "type": "bid"}, "volume": "33.3"},
        {"order_type": "market", "price": {"value": "120", "type": "bid"}, "volume": "66.7"},
    ]
    tid = api.ok(
        "POST", "/v2/smart_trades", body("USDT_RGS", steps, position=_market("buy", units))
    )["id"]
    trade = api.ok(
        "POST",
        f"/v2/smart_trades/{tid}/add_funds",
        {"order_type": "market", "units": {"value": "0.000000000000000000000000000000000000002"}},
    )
    assert trade["data"]["entered_amount"] == "1.000000000000000000000000000000000000003"
    api.price("USDT_RGS", "121")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["status"]["type"] == "finished"
    assert trade["data"]["closed_amount"] == "1.000000000000000000000000000000000000003"
    assert_all_sold(api, trade)
