"""ver1 errors over loopback HTTP: validation 422 naming the field (schema and server rules),
another user's trade 404 and account 403, the ver1 list's own rate limit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reference_server.app import create_app
from reference_server.testing import ServerThread
from reference_server.threecommas.testing import HmacAuth
from reference_server.threecommas.users import DEMO_API_KEY, DEMO_SECRET, DEMO_SPOT_ACCOUNT_ID

from ..conftest import OTHER_ACCOUNT
from .conftest import V1Api
from .test_lifecycles import ST, simple, smart_sell, smart_trade


def test_schema_rules_answer_422_naming_the_field(v1: V1Api) -> None:
    v1.price("USDT_V1VAL", "100")
    body = smart_trade("USDT_V1VAL")
    body.pop("take_profit_price_condition")
    assert "take_profit_price_condition" in v1.invalid("POST", f"{ST}/create_smart_trade", body)
    missing = simple("USDT_V1VAL")
    missing.pop("units_to_buy")
    assert "units_to_buy" in v1.invalid("POST", f"{ST}/create_simple_buy", missing)
    assert "rate" in v1.invalid(
        "POST", f"{ST}/{_bought(v1)}/add_funds", {"quantity": "1", "is_market": False}
    )


def _bought(v1: V1Api) -> int:
    trade_id: int = v1.ok("POST", f"{ST}/create_smart_sell", smart_sell("USDT_V1VAL"))["id"]
    return trade_id


def test_step_percents_must_add_up_to_100(v1: V1Api) -> None:
    v1.price("USDT_V1VAL", "100")
    body = smart_sell(
        "USDT_V1VAL",
        take_profit_type="step_sell",
        take_profit_step_orders=[{"percent": 50, "price": "110"}, {"percent": 49, "price": "120"}],
    )
    assert "take_profit_step_orders" in v1.invalid("POST", f"{ST}/create_smart_sell", body)


def test_update_rules_by_kind_and_sign(v1: V1Api) -> None:
    v1.price("USDT_V1VAL", "100")
    sale = _bought(v1)
    cover = v1.ok(
        "POST",
        f"{ST}/create_smart_cover",
        smart_trade(
            "USDT_V1VAL", take_profit_price_condition="90", stop_loss_price_condition="110"
        ),
    )["id"]
    off = {"take_profit_enabled": False, "stop_loss_enabled": False}
    assert "buy_price" in v1.invalid("PATCH", f"{ST}/{sale}/update", {**off, "buy_price": "90"})
    assert "average_buy_price" in v1.invalid(
        "PATCH", f"{ST}/{cover}/update", {**off, "average_buy_price": "90"}
    )
    assert "trailing_buy_step" in v1.invalid(
        "PATCH", f"{ST}/{sale}/update", {**off, "trailing_buy_step": "3"}
    )
    assert "take_profit_step_orders" in v1.invalid(
        "PATCH",
        f"{ST}/{sale}/update",
        {**off, "take_profit_step_orders": [{"percent": 100, "price": "120", "position": 1}]},
    )
    # A cover's stop loss percentage is positive, its take profit one negative.
    signs = {
        "take_profit_enabled": True,
        "take_profit_type": "classic",
        "take_profit_price_condition": "90",
        "take_profit_percentage_condition": "5",
        "stop_loss_enabled": True,
        "stop_loss_price_condition": "110",
        "stop_loss_percentage_condition": "-5",
    }
    errors = v1.invalid("PATCH", f"{ST}/{cover}/update", signs)
    assert {"take_profit_percentage_condition", "stop_loss_percentage_condition"} <= set(errors)
    v1.ok(
        "PATCH",
        f"{ST}/{sale}/update",
        signs | {"take_profit_price_condition": "120", "stop_loss_price_condition": "80"},
    )
    v1.ok("PATCH", f"{ST}/{sale}/update", {**off, "average_buy_price": "90"})


def test_update_positions_must_be_unique_against_steps_sold(v1: V1Api) -> None:
    v1.price("USDT_V1POS", "100")
    body = smart_sell(
        "USDT_V1POS",
        take_profit_type="step_sell",
        take_profit_step_orders=[{"percent": 50, "price": "110"}, {"percent": 50, "price": "130"}],
    )
    tid = v1.ok("POST", f"{ST}/create_smart_sell", body)["id"]
    v1.price("USDT_V1POS", "111")  # step 1 sold
    update: dict[str, Any] = {
        "take_profit_enabled": True,
        "take_profit_type": "step_sell",
        "take_profit_step_orders": [{"percent": 100, "price": "125", "position": 1}],
        "stop_loss_enabled": False,
    }
    assert "take_profit_step_orders" in v1.invalid("PATCH", f"{ST}/{tid}/update", update)
    update["take_profit_step_orders"][0]["position"] = 2
    trade = v1.ok("PATCH", f"{ST}/{tid}/update", update)
    assert [s["status"] for s in trade["take_profit_steps"]] == ["processed", "cancelled", "idle"]
    assert trade["take_profit_steps"][-1]["initial_amount"] == "0.5"


def test_another_users_trade_is_404_and_account_403(v1: V1Api, v1_other: V1Api) -> None:
    v1.price("USDT_V1ISO", "100")
    tid = v1.ok("POST", f"{ST}/create_smart_trade", smart_trade("USDT_V1ISO"))["id"]
    for method, path, body in [
        ("POST", f"{ST}/{tid}/cancel", None),
        ("POST", f"{ST}/{tid}/panic_sell", None),
        ("POST", f"{ST}/{tid}/force_process", None),
        ("POST", f"{ST}/{tid}/add_funds", {"quantity": "1", "is_market": True}),
        ("POST", f"{ST}/{tid}/cancel_order", {"step_id": 1}),
        ("POST", f"{ST}/{tid}/step_panic_sell", {"step_id": 1}),
        ("PATCH", f"{ST}/{tid}/update", {"take_profit_enabled": False, "stop_loss_enabled": False}),
    ]:
        response = v1_other.call(method, path, body)
        assert response.status_code == 404, (path, response.text)
    assert tid not in [t["id"] for t in v1_other.ok("GET", ST)]
    forbidden = v1_other.call(
        "POST",
        f"{ST}/create_smart_trade",
        smart_trade("USDT_V1ISO", account_id=DEMO_SPOT_ACCOUNT_ID),
    )
    assert forbidden.status_code == 403 and forbidden.json()["error"] == "Forbidden"
    mine = v1.call(
        "POST", f"{ST}/create_simple_buy", simple("USDT_V1ISO", account_id=OTHER_ACCOUNT)
    )
    assert mine.status_code == 403
    assert v1.get(tid)["status"] == "bought"  # untouched


@pytest.fixture
def limited() -> Iterator[ServerThread]:
    with ServerThread(create_app()) as running:
        yield running


def test_the_ver1_list_has_its_own_rate_limit(limited: ServerThread) -> None:
    auth = HmacAuth(DEMO_API_KEY, DEMO_SECRET)
    with httpx.Client(base_url=limited.base_url + "/public/api", auth=auth) as http:
        statuses = [http.get("/ver1/smart_trades").status_code for _ in range(41)]
        assert statuses[:40] == [200] * 40 and statuses[40] == 429
        # The v2 list (the general limit) is not blocked by it.
        assert http.get("/v2/smart_trades").status_code == 200
