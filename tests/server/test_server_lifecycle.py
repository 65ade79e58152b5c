"""SmartTrade lifecycles over real loopback HTTP: entries, take profit, stop loss, funds, closing,
trade-level actions, validation errors, isolation, form bodies, routing, concurrency."""

from __future__ import annotations

import base64
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from reference_server.app import create_app
from reference_server.rate_limit import RateLimiter
from reference_server.testing import ServerThread
from reference_server.threecommas.auth import hmac_signature
from reference_server.threecommas.users import (
    DEMO_API_KEY,
    DEMO_FUTURES_ACCOUNT_ID,
    DEMO_SECRET,
    DEMO_SPOT_ACCOUNT_ID,
)

from .conftest import OTHER_ACCOUNT, Api

SPOT = DEMO_SPOT_ACCOUNT_ID


def smart_trade(pair: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "account_id": SPOT,
        "pair": pair,
        "position": {"type": "buy", "units": {"value": "1"}, "order_type": "market"},
        "take_profit": {
            "enabled": True,
            "steps": [
                {"order_type": "limit", "price": {"value": "110", "type": "bid"}, "volume": 50},
                {"order_type": "market", "price": {"percent": "20", "type": "bid"}, "volume": "50"},
            ],
        },
        "stop_loss": {
            "enabled": True,
            "order_type": "market",
            "conditional": {"price": {"value": "90", "type": "bid"}},
        },
    }
    body.update(overrides)
    return body


def test_market_entry_take_profits_fill_as_the_price_rises(api: Api) -> None:
    api.price("USDT_TPA", "100")
    trade = api.ok("POST", "/v2/smart_trades", smart_trade("USDT_TPA"))
    assert trade["status"]["type"] == "waiting_targets"
    assert trade["position"]["price"]["value"] == "100.0"
    assert trade["data"]["entered_amount"] == "1.0" and trade["data"]["add_funds_available"] is True
    steps = trade["take_profit"]["steps"]
    assert [s["units"]["value"] for s in steps] == ["0.5", "0.5"]
    assert steps[1]["price"]["value"] == "120.0"  # 20 % above the entry
    tid = trade["id"]

    api.price("USDT_TPA", "111")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["take_profit"]["steps"][0]["status"]["type"] == "finished"
    assert trade["data"]["closed_amount"] == "0.5" and trade["data"]["closed_total"] == "55.0"

    api.price("USDT_TPA", "121")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["status"]["type"] == "finished" and trade["data"]["finished"] is True
    assert trade["stop_loss"]["status"]["type"] == "cancelled"
    assert Decimal(trade["profit"]["volume"]) == Decimal("15.5")  # 0.5*10 + 0.5*21
    assert not any(
        trade["data"][f]
        for f in ("cancel_available", "panic_sell_available", "add_funds_available")
    )
    rows = api.ok("GET", f"/v2/smart_trades/{tid}/trades")
    assert [r["trade_purpose"] for r in rows] == [
        "position",
        "take_profit",
        "take_profit",
        "stop_loss",
    ]
    assert [r["status"] for r in rows] == ["finished", "finished", "finished", "cancelled"]
    assert (
        api.call("POST", f"/v2/smart_trades/{tid}/close_by_market").json()["error"]
        == "Wrong param(s)"
    )


def test_stop_loss_fills_when_the_price_falls(api: Api) -> None:
    api.price("USDT_SLA", "100")
    tid = api.ok("POST", "/v2/smart_trades", smart_trade("USDT_SLA"))["id"]
    api.price("USDT_SLA", "89")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["status"]["type"] == "stop_loss_finished"
    assert trade["data"]["closed_amount"] == "1.0" and trade["profit"]["volume"] == "-11.0"


def test_trailing_stop_loss_follows_the_price_up(api: Api) -> None:
    api.price("USDT_TSL", "100")
    body = smart_trade("USDT_TSL", take_profit={"enabled": False})
    body["stop_loss"]["conditional"]["trailing"] = {"enabled": True, "percent": 10}
    tid = api.ok("POST", "/v2/smart_trades", body)["id"]
    api.price("USDT_TSL", "200")  # the stop moves to 180
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["stop_loss"]["conditional"]["price"]["value"] == "180.0"
    api.price("USDT_TSL", "179")
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["status"]["type"] == "stop_loss_finished" and trade["profit"]["volume"] == "79.0"


def test_trailing_take_profit_waits_for_the_turn(api: Api) -> None:
    api.price("USDT_TTP", "100")
    body = smart_trade("USDT_TTP", stop_loss={"enabled": False})
    body["take_profit"]["steps"] = [
        {
            "order_type": "market",
            "price": {"value": "110", "type": "last"},
            "volume": 100,
            "trailing": {"enabled": True, "percent": "5"},
        }
    ]
    tid = api.ok("POST", "/v2/smart_trades", body)["id"]
    api.price("USDT_TTP", "120")
    step = api.ok("GET", f"/v2/smart_trades/{tid}")["take_profit"]["steps"][0]
    assert step["status"]["type"] == "trailing_activated"
    api.price("USDT_TTP", "130")
    api.price("USDT_TTP", "123")  # 130 less 5 % is 123.5
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["status"]["type"] == "finished" and trade["data"]["average_close_price"] == "123.0"


def test_limit_entry_waits_then_fills_and_force_start(api: Api) -> None:
    api.price("USDT_LIM", "100")
    body = smart_trade("USDT_LIM")
    body["position"] = {
        "type": "buy",
        "units": {"value": "2"},
        "order_type": "limit",
        "price": {"value": "95"},
    }
    trade = api.ok("POST", "/v2/smart_trades", body)
    assert trade["status"]["type"] == "waiting_position" and trade["is_position_not_filled"] is True
    assert (
        trade["data"]["force_start_available"] is True
        and trade["data"]["add_funds_available"] is False
    )
    assert api.call("GET", f"/v2/smart_trades/{trade['id']}/reduce_funds_info").status_code == 400
    api.price("USDT_LIM", "95")
    trade = api.ok("GET", f"/v2/smart_trades/{trade['id']}")
    assert (
        trade["status"]["type"] == "waiting_targets"
        and trade["position"]["price"]["value"] == "95.0"
    )

    api.price("USDT_LIM", "100")
    second = api.ok("POST", "/v2/smart_trades", body)
    started = api.ok("POST", f"/v2/smart_trades/{second['id']}/force_start")
    assert (
        started["status"]["type"] == "waiting_targets"
        and started["data"]["entered_amount"] == "2.0"
    )
    again = api.call("POST", f"/v2/smart_trades/{second['id']}/force_start")
    assert again.status_code == 400 and again.json()["error"] == "Wrong param(s)"


def test_conditional_trailing_entry(api: Api) -> None:
    api.price("USDT_CND", "100")
    body = smart_trade("USDT_CND", take_profit={"enabled": False}, stop_loss={"enabled": False})
    body["position"] = {
        "type": "buy",
        "units": {"value": "1"},
        "order_type": "conditional",
        "conditional": {
            "price": {"value": "90", "type": "last"},
            "order_type": "market",
            "trailing": {"enabled": "true", "percent": "10"},
        },
    }
    tid = api.ok("POST", "/v2/smart_trades", body)["id"]
    api.price("USDT_CND", "90")
    assert (
        api.ok("GET", f"/v2/smart_trades/{tid}")["position"]["status"]["type"]
        == "trailing_activated"
    )
    api.price("USDT_CND", "80")
    api.price("USDT_CND", "88")  # 80 plus 10 %
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert (
        trade["status"]["type"] == "waiting_targets"
        and trade["position"]["price"]["value"] == "88.0"
    )


def test_simple_buy_finishes_at_once(api: Api) -> None:
    body = {
        "account_id": SPOT,
        "pair": "USDT_BTC",
        "instant": "true",
        "position": {"type": "buy", "units": {"value": "0.01"}, "order_type": "market"},
    }
    trade = api.ok("POST", "/v2/smart_trades", body)
    assert trade["status"]["type"] == "finished" and trade["data"]["type"] == "simple_buy"


def test_funds_close_and_cancel(api: Api) -> None:
    api.price("USDT_FND", "100")
    tid = api.ok("POST", "/v2/smart_trades", smart_trade("USDT_FND"))["id"]
    trade = api.ok(
        "POST",
        f"/v2/smart_trades/{tid}/add_funds",
        {"order_type": "market", "units": {"value": "1"}},
    )
    assert trade["data"]["entered_amount"] == "2.0"
    assert [s["units"]["value"] for s in trade["take_profit"]["steps"]] == ["1.0", "1.0"]
    info = api.ok("GET", f"/v2/smart_trades/{tid}/reduce_funds_info")
    assert info == {"max_reduce_funds_amount": "2.0"}
    too_much = api.call(
        "POST",
        f"/v2/smart_trades/{tid}/reduce_funds",
        {"order_type": "market", "units": {"value": "3"}},
    )
    assert too_much.status_code == 422 and "units[value]" in too_much.json()["error_attributes"]
    reduced = api.call(
        "POST",
        f"/v2/smart_trades/{tid}/reduce_funds",
        {"order_type": "market", "units": {"value": "0.5"}},
    )
    assert reduced.status_code == 201
    assert reduced.json()["reduce_funds"]["steps"][0]["status"]["type"] == "finished"
    closed = api.ok("POST", f"/v2/smart_trades/{tid}/close_by_market")
    assert (
        closed["status"]["type"] == "panic_sold"
        and closed["market_close"]["units"]["value"] == "1.5"
    )
    assert closed["data"]["closed_amount"] == "2.0"

    other_id = api.ok("POST", "/v2/smart_trades", smart_trade("USDT_FND"))["id"]
    cancelled = api.ok("DELETE", f"/v2/smart_trades/{other_id}")
    assert (
        cancelled["status"]["type"] == "cancelled"
        and cancelled["data"]["cancel_available"] is False
    )
    assert api.ok("GET", f"/v2/smart_trades/{other_id}")["status"]["type"] == "cancelled"
    twice = api.call("DELETE", f"/v2/smart_trades/{other_id}")
    assert twice.status_code == 400 and twice.json()["error"] == "Wrong param(s)"


def test_trade_level_close_and_cancel(api: Api) -> None:
    api.price("USDT_TRD", "100")
    tid = api.ok("POST", "/v2/smart_trades", smart_trade("USDT_TRD"))["id"]
    rows = api.ok("GET", f"/v2/smart_trades/{tid}/trades")
    first, second = [r["id"] for r in rows if r["trade_purpose"] == "take_profit"]
    position = next(r["id"] for r in rows if r["trade_purpose"] == "position")
    trade = api.ok("DELETE", f"/v2/smart_trades/{tid}/trades/{first}")
    assert trade["take_profit"]["steps"][0]["status"]["type"] == "cancelled"
    assert (
        trade["take_profit"]["steps"][1]["units"]["value"] == "1.0"
    )  # the open step takes the rest
    assert api.call("DELETE", f"/v2/smart_trades/{tid}/trades/{position}").status_code == 400
    trade = api.ok("POST", f"/v2/smart_trades/{tid}/trades/{second}/close_by_market")
    assert trade["status"]["type"] == "finished" and trade["data"]["closed_amount"] == "1.0"
    assert (
        api.call("POST", f"/v2/smart_trades/{tid}/trades/999999/close_by_market").status_code == 404
    )


def test_update_and_note(api: Api) -> None:
    api.price("USDT_UPD", "100")
    tid = api.ok("POST", "/v2/smart_trades", smart_trade("USDT_UPD"))["id"]
    trade = api.ok(
        "PATCH",
        f"/v2/smart_trades/{tid}",
        {
            "stop_loss": {
                "enabled": True,
                "order_type": "limit",
                "price": {"value": "79"},
                "conditional": {"price": {"percent": 20, "type": "bid"}},
            }
        },
    )
    assert trade["stop_loss"]["conditional"]["price"]["value"] == "80.0"
    assert trade["stop_loss"]["order_type"] == "limit"
    trade = api.ok(
        "POST", f"/v2/smart_trades/{tid}/set_note", {"note": "Breakout above the weekly range"}
    )
    assert trade["note"] == "Breakout above the weekly range"
    long_note = api.call("POST", f"/v2/smart_trades/{tid}/set_note", {"note": "x" * 301})
    assert long_note.status_code == 422 and "note" in long_note.json()["error_attributes"]
    api.ok("DELETE", f"/v2/smart_trades/{tid}")
    assert (
        api.call(
            "PATCH", f"/v2/smart_trades/{tid}", {"take_profit": {"enabled": False}}
        ).status_code
        == 400
    )


def test_validation_errors_name_the_field(api: Api) -> None:
    body = smart_trade("USDT_BTC")
    body["take_profit"]["steps"][0]["price"] = {"type": "bid"}
    errors = api.call("POST", "/v2/smart_trades", body).json()
    assert errors["error"] == "record_invalid"
    assert errors["error_attributes"] == {
        "take_profit[steps][0][price][value],take_profit[steps][0][price][percent]": ["is missing"]
    }
    body = smart_trade("USDT_BTC")
    del body["take_profit"]["steps"][1]["price"]["type"]
    attributes = api.call("POST", "/v2/smart_trades", body).json()["error_attributes"]
    assert attributes == {"take_profit[steps][1][price][type]": ["is missing"]}
    body = smart_trade("USDT_BTC")
    body["take_profit"]["steps"][0]["volume"] = 30
    response = api.call("POST", "/v2/smart_trades", body)
    assert response.status_code == 422
    assert response.json()["error_attributes"] == {
        "take_profit[steps]": ["volumes must add up to 100"]
    }
    body = smart_trade("USDT_BTC", leverage={"enabled": True, "type": "custom", "value": "5"})
    assert (
        "leverage[enabled]" in api.call("POST", "/v2/smart_trades", body).json()["error_attributes"]
    )
    body["account_id"] = DEMO_FUTURES_ACCOUNT_ID
    assert api.ok("POST", "/v2/smart_trades", body)["leverage"]["value"] == "5.0"
    body = smart_trade("USDT_BTC")
    body["position"]["unknown_key"] = 1
    assert (
        "position[unknown_key]"
        in api.call("POST", "/v2/smart_trades", body).json()["error_attributes"]
    )
    broken = api.http.post(
        "/v2/smart_trades", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400 and broken.json()["error"] == "Wrong param(s)"
    bad_query = api.call("GET", "/v2/smart_trades", params={"per_page": "1000"})
    assert bad_query.status_code == 400 and "per_page" in bad_query.json()["error_attributes"]


def test_isolation_between_users(api: Api, other: Api) -> None:
    mine = api.ok("POST", "/v2/smart_trades", smart_trade("USDT_BTC"))
    forbidden = other.call("POST", "/v2/smart_trades", smart_trade("USDT_BTC"))
    assert forbidden.status_code == 403
    assert forbidden.json() == {
        "error": "Forbidden",
        "error_description": "Account not owned by current user.",
    }
    assert other.call("GET", f"/v2/smart_trades/{mine['id']}").status_code == 404
    assert other.call("DELETE", f"/v2/smart_trades/{mine['id']}").status_code == 404
    assert other.call("GET", f"/v2/smart_trades/{mine['id']}/trades").status_code == 404
    assert all(t["account"]["id"] == OTHER_ACCOUNT for t in other.ok("GET", "/v2/smart_trades"))
    assert (
        api.call(
            "POST", "/v2/smart_trades", smart_trade("USDT_BTC", account_id=OTHER_ACCOUNT)
        ).status_code
        == 403
    )


def test_form_body_and_query_string_parameters(api: Api) -> None:
    form = (
        f"account_id={SPOT}&pair=USDT_BTC&position[type]=buy&position[order_type]=market"
        "&position[units][value]=0.01&take_profit[enabled]=true"
        "&take_profit[steps][][order_type]=limit&take_profit[steps][][volume]=100"
        "&take_profit[steps][][price][value]=12000&take_profit[steps][][price][type]=bid"
        "&stop_loss[enabled]=false"
    )
    response = api.http.post(
        "/v2/smart_trades",
        content=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["take_profit"]["steps"][0]["price"]["value"] == "12000.0"
    note = api.http.post(
        f"/v2/smart_trades/{response.json()['id']}/set_note", params={"note": "from the query"}
    )
    assert note.status_code == 201 and note.json()["note"] == "from the query"


def test_rsa_signed_request_and_json_without_question_mark(server: ServerThread) -> None:
    key = serialization.load_pem_private_key(
        (
            Path(__file__).resolve().parents[1] / "fixtures" / "3commas-docs-test-rsa-key.pem"
        ).read_bytes(),
        None,
    )
    body = b'{"note": "signed with RSA"}'
    url = server.base_url + "/public/api/v2/smart_trades"
    payload = b"/public/api/v2/smart_trades"
    signature = base64.b64encode(key.sign(payload, padding.PKCS1v15(), hashes.SHA256())).decode()  # type: ignore[union-attr,call-arg,arg-type]
    response = httpx.get(url, headers={"Apikey": DEMO_API_KEY, "signature": signature})
    assert response.status_code == 200
    hmac_no_q = hmac_signature(DEMO_SECRET, payload + body)
    response = httpx.post(
        url,
        content=body,
        headers={
            "APIKEY": DEMO_API_KEY,
            "Signature": hmac_no_q,
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 422  # authenticated; the body is not a SmartTrade
    wrong = httpx.get(url, headers={"APIKEY": DEMO_API_KEY, "Signature": signature.lower()})
    assert wrong.status_code == 401 and wrong.json()["error"] == "signature_invalid"


def test_routing_answers_json(api: Api, server: ServerThread) -> None:
    assert api.call("GET", "/v2/smart_trades/abc").status_code == 404
    assert api.call("GET", "/v2/smart_trades/99999999").json()["error"] == "Not found"
    assert api.call("GET", "/v2/nothing_here").status_code == 404
    response = api.http.put("/v2/smart_trades/1")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "PATCH", "DELETE"}
    assert response.headers["content-type"] == "application/json"
    outside = httpx.get(server.base_url + "/elsewhere")
    assert outside.status_code == 404 and outside.json()["error"] == "Not found"


def test_rate_limit_over_http_with_an_injected_clock() -> None:
    now = [0.0]
    app = create_app(rate_limiter=RateLimiter(limit=3, clock=lambda: now[0]))
    with ServerThread(app) as running:
        api = Api(running.base_url)
        assert [api.call("GET", "/v2/smart_trades").status_code for _ in range(5)] == [
            200,
            200,
            200,
            429,
            418,
        ]
        now[0] += 301
        assert api.call("GET", "/v2/smart_trades").status_code == 200
        api.http.close()


def test_concurrent_creates_and_updates_lose_nothing(api: Api, server: ServerThread) -> None:
    api.price("USDT_CON", "100")
    tid = api.ok("POST", "/v2/smart_trades", smart_trade("USDT_CON"))["id"]
    created: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        client = Api(server.base_url)
        for _ in range(10):
            new_id = client.ok("POST", "/v2/smart_trades", smart_trade("USDT_CON"))["id"]
            client.ok(
                "POST",
                f"/v2/smart_trades/{tid}/add_funds",
                {"order_type": "market", "units": {"value": "1"}},
            )
            with lock:
                created.append(new_id)
        client.http.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(created) == len(set(created)) == 80
    trade = api.ok("GET", f"/v2/smart_trades/{tid}")
    assert trade["data"]["entered_amount"] == "81.0"  # 1 + 80 add-funds, none lost
    listed = api.ok("GET", "/v2/smart_trades", params={"pair": "USDT_CON", "per_page": 100})
    assert len(listed) == 81


def test_stop_loss_timeout_and_breakeven_with_an_injected_clock() -> None:
    from datetime import UTC, datetime, timedelta

    from reference_server.app import ReferenceServer
    from reference_server.threecommas.store import Store

    now = [datetime(2024, 8, 12, 14, 35, 21, tzinfo=UTC)]
    server = ReferenceServer(
        rate_limiter=RateLimiter(enabled=False), store=Store(clock=lambda: now[0])
    )
    with ServerThread(server.app) as running:
        api = Api(running.base_url)
        api.price("USDT_TMO", "100")
        body = smart_trade("USDT_TMO")
        body["stop_loss"]["timeout"] = {"enabled": True, "value": "60"}
        body["stop_loss"]["breakeven"] = True
        trade = api.ok("POST", "/v2/smart_trades", body)
        assert trade["data"]["created_at"] == "2024-08-12T14:35:21.000Z"
        api.price("USDT_TMO", "111")  # first take profit: the stop moves to the entry price
        trade = api.ok("GET", f"/v2/smart_trades/{trade['id']}")
        assert trade["stop_loss"]["conditional"]["price"]["value"] == "100.0"
        api.price("USDT_TMO", "99")
        now[0] += timedelta(seconds=30)
        assert (
            api.ok("GET", f"/v2/smart_trades/{trade['id']}")["status"]["type"] == "waiting_targets"
        )
        now[0] += timedelta(seconds=31)
        trade = api.ok("GET", f"/v2/smart_trades/{trade['id']}")
        assert trade["status"]["type"] == "stop_loss_finished"
        assert trade["data"]["closed_at"] == "2024-08-12T14:36:22.000Z"
        api.http.close()
