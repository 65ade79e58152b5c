"""The Poloniex smart-order API over loopback HTTP, beside 3Commas on the same server: every
operation, triggers from the shared prices, isolation, signing failures, validation and hostile
input in Poloniex's `{code, message}` shape. Every answer is checked against openapi/poloniex.yaml
(the response schema of the operation for its status, else `Error`)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from reference_server.app import create_app, load_users_file
from reference_server.limits import MAX_BODY_BYTES
from reference_server.poloniex.auth import signed_headers
from reference_server.poloniex.state import PoloniexState
from reference_server.poloniex.users import DEMO_POLONIEX_API_KEY, PoloniexUser, demo_users
from reference_server.prices import PriceBook
from reference_server.rate_limit import RateLimiter
from reference_server.spec_validation import Spec
from reference_server.testing import ServerThread
from tests.tls import VERIFY

from .spec_helper import SPEC, SPEC_PATH, assert_valid, schema_validator, validator

ROUTES = Spec(SPEC_PATH)
DEMO = demo_users()[DEMO_POLONIEX_API_KEY]
ALICE = PoloniexUser("alice-plnx-key", "alice-plnx-secret")
BOB = PoloniexUser("bob-plnx-key", "bob-plnx-secret")


def _response_schema(method: str, path: str, status: int) -> Any:
    op, _, _ = ROUTES.match(method, path.split("?", 1)[0])
    if op is not None:
        responses = SPEC["paths"][op.template][method.lower()]["responses"]
        if str(status) in responses:
            escaped = op.template.replace("~", "~0").replace("/", "~1")
            pointer = f"/paths/{escaped}/{method.lower()}/responses/{status}"
            response = responses[str(status)]
            if "$ref" in response:
                pointer = response["$ref"][1:]
            return validator(f"{pointer}/content/application~1json/schema")
    assert status >= 400, (method, path, status)
    return schema_validator("Error")


class Client:
    """Signs each request as a Poloniex client does; checks every answer against the spec."""

    def __init__(self, base_url: str, user: PoloniexUser = DEMO) -> None:
        self.base_url = base_url
        self.user = user
        self.http = httpx.Client(base_url=base_url, verify=VERIFY)

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        query: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        content: bytes | None = None,
        sign: bool = True,
    ) -> httpx.Response:
        raw = content if content is not None else b"" if body is None else json.dumps(body).encode()
        pairs = query or []
        sent = dict(
            signed_headers(
                self.user,
                method,
                path,
                timestamp if timestamp is not None else int(time.time() * 1000),
                pairs,
                raw,
            )
            if sign
            else {}
        )
        if raw:
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        qs = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
        response = self.http.request(
            method, path + ("?" + qs if qs else ""), content=raw, headers=sent
        )
        assert response.headers["content-type"].startswith("application/json"), response.text
        assert_valid(_response_schema(method, path, response.status_code), response.json())
        return response

    def ok(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        response = self.send(method, path, body, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def error(self, status: int, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        response = self.send(method, path, body, **kwargs)
        assert response.status_code == status, response.text
        answer = response.json()
        assert set(answer) == {"code", "message"}, answer
        return answer

    def price(self, **body: str) -> Any:
        response = httpx.post(self.base_url + "/_reference/prices", json=body, verify=VERIFY)
        assert response.status_code == 200, response.text
        return response.json()


def stop(symbol: str, side: str = "SELL", stop_price: str = "90", **extra: Any) -> dict[str, Any]:
    return {
        "symbol": symbol,
        "side": side,
        "type": "STOP",
        "stopPrice": stop_price,
        "quantity": "1",
        **extra,
    }


@pytest.fixture(scope="module")
def users_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.yaml"
    path.write_text(
        "users:\n  - {api_key: tc-key, secret: tc-secret}\n"
        "poloniex_users:\n"
        f"  - {{api_key: {ALICE.api_key}, secret: {ALICE.secret}}}\n"
        f"  - {{api_key: {BOB.api_key}, secret: {BOB.secret}}}\n"
        f"  - {{api_key: {DEMO.api_key}, secret: {DEMO.secret}}}\n"
    )
    return path


@pytest.fixture(scope="module")
def server(users_file: Path) -> Iterator[ServerThread]:
    app = create_app(users_by_api=load_users_file(users_file), rate_limit=False)
    with ServerThread(app) as running:
        yield running


@pytest.fixture
def api(server: ServerThread) -> Iterator[Client]:
    client = Client(server.base_url)
    yield client
    client.http.close()


@pytest.fixture
def alice(server: ServerThread) -> Iterator[Client]:
    client = Client(server.base_url, ALICE)
    yield client
    client.http.close()


@pytest.fixture
def bob(server: ServerThread) -> Iterator[Client]:
    client = Client(server.base_url, BOB)
    yield client
    client.http.close()


# ---- every operation ---------------------------------------------------------------------------


def test_create_get_list_replace_cancel(api: Client) -> None:
    api.price(pair="USDT_PX1", last="100")
    ref = api.ok("POST", "/smartorders", stop("PX1_USDT", clientOrderId="px1-a"))
    assert ref["clientOrderId"] == "px1-a" and ref["id"].isdigit()
    (order,) = api.ok("GET", f"/smartorders/{ref['id']}")
    assert (order["state"], order["stopPrice"], order["symbol"]) == (
        "PENDING_NEW",
        "90",
        "PX1_USDT",
    )
    assert api.ok("GET", "/smartorders/cid:px1-a")[0]["id"] == ref["id"]
    assert ref["id"] in [o["id"] for o in api.ok("GET", "/smartorders")]
    new = api.ok("PUT", f"/smartorders/{ref['id']}", {"stopPrice": "80", "clientOrderId": "px1-b"})
    assert new["id"] != ref["id"]
    assert api.ok("GET", f"/smartorders/{ref['id']}")[0]["state"] == "CANCELED"
    assert api.ok("GET", f"/smartorders/{new['id']}")[0]["stopPrice"] == "80"
    result = api.ok("DELETE", f"/smartorders/{new['id']}")
    assert (result["orderId"], result["state"], result["code"]) == (new["id"], "CANCELED", 200)
    history = api.ok("GET", "/smartorders/history", query=[("symbol", "PX1_USDT")])
    assert [o["id"] for o in history] == [new["id"], ref["id"]]


def test_cancel_by_ids_and_cancel_all(api: Client) -> None:
    api.price(pair="USDT_PX2", last="100")
    first = api.ok("POST", "/smartorders", stop("PX2_USDT", clientOrderId="px2-1"))
    second = api.ok("POST", "/smartorders", stop("PX2_USDT", clientOrderId="px2-2"))
    third = api.ok("POST", "/smartorders", stop("PX2_USDT"))
    results = api.ok(
        "DELETE", "/smartorders/cancelByIds", {"orderIds": [first["id"], "123"]}
    )  # a literal segment, not an id
    assert [(r["orderId"], r["code"]) for r in results] == [(first["id"], 200), ("123", 21301)]
    by_client = api.ok("DELETE", "/smartorders/cancelByIds", {"clientOrderIds": ["px2-2"]})
    assert [(r["orderId"], r["code"]) for r in by_client] == [(second["id"], 200)]
    everything = api.ok("DELETE", "/smartorders", {"symbols": ["PX2_USDT"]})
    assert [r["orderId"] for r in everything] == [third["id"]]
    assert api.ok("DELETE", "/smartorders", {"symbols": ["PX2_USDT"]}) == []


def test_moving_the_threecommas_named_price_triggers_poloniex_orders(api: Client) -> None:
    api.price(pair="USDT_PX3", last="100")
    sell = api.ok("POST", "/smartorders", stop("PX3_USDT", stop_price="90"))
    buy = api.ok("POST", "/smartorders", stop("PX3_USDT", side="BUY", stop_price="120"))
    moved = api.price(pair="USDT_PX3", last="89")
    assert moved["symbol"] == "PX3_USDT" and Decimal(moved["last"]) == 89
    (order,) = api.ok("GET", f"/smartorders/{sell['id']}")
    assert order["state"] == "TRIGGERED"
    assert order["triggeredOrder"]["state"] == "FILLED"
    assert Decimal(order["triggeredOrder"]["avgPrice"]) == 89
    assert api.ok("GET", f"/smartorders/{buy['id']}")[0]["state"] == "PENDING_NEW"
    api.price(symbol="PX3_USDT", last="121")  # Poloniex naming moves the same market
    assert api.ok("GET", f"/smartorders/{buy['id']}")[0]["state"] == "TRIGGERED"
    quote = httpx.get(api.base_url + "/_reference/prices", params={"pair": "USDT_PX3"}).json()
    assert Decimal(quote["last"]) == 121 and quote["symbol"] == "PX3_USDT"


def test_trailing_stop_follows_the_market(api: Client) -> None:
    api.price(pair="USDT_PX4", last="100")
    body = {
        "symbol": "PX4_USDT",
        "side": "SELL",
        "type": "TRAILING_STOP",
        "trailingOffset": "10%",
        "quantity": "2",
    }
    ref = api.ok("POST", "/smartorders", body)
    api.price(pair="USDT_PX4", last="200")
    api.price(pair="USDT_PX4", last="185")
    assert api.ok("GET", f"/smartorders/{ref['id']}")[0]["state"] == "PENDING_NEW"
    api.price(pair="USDT_PX4", last="179")
    (order,) = api.ok("GET", f"/smartorders/{ref['id']}")
    assert order["state"] == "TRIGGERED" and Decimal(order["activationPrice"]) == 100


def test_users_are_isolated(alice: Client, bob: Client) -> None:
    alice.price(pair="USDT_PX5", last="100")
    ref = alice.ok("POST", "/smartorders", stop("PX5_USDT", clientOrderId="mine"))
    assert bob.error(404, "GET", f"/smartorders/{ref['id']}")["code"] == 21301
    assert bob.error(404, "GET", "/smartorders/cid:mine")["code"] == 21301
    assert bob.error(404, "DELETE", f"/smartorders/{ref['id']}")["code"] == 21301
    assert bob.error(404, "PUT", f"/smartorders/{ref['id']}", {})["code"] == 21301
    assert ref["id"] not in [o["id"] for o in bob.ok("GET", "/smartorders")]
    results = bob.ok("DELETE", "/smartorders/cancelByIds", {"orderIds": [ref["id"]]})
    assert results[0]["code"] == 21301
    bob.ok("DELETE", "/smartorders", {})
    # Bob's cancel-all and his clientOrderId of the same name touch nothing of Alice's.
    bob.ok("POST", "/smartorders", stop("PX5_USDT", clientOrderId="mine"))
    assert alice.ok("GET", f"/smartorders/{ref['id']}")[0]["state"] == "PENDING_NEW"


def test_a_users_file_without_poloniex_users_serves_none(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    path.write_text("users:\n  - {api_key: k, secret: s}\n")
    assert load_users_file(path)["poloniex"] == {}
    path.write_text("poloniex_users:\n  - {api_key: k}\n")
    with pytest.raises(ValueError, match=r"poloniex_users\[0\]: secret"):
        load_users_file(path)


# ---- signing -----------------------------------------------------------------------------------


def test_header_names_in_any_case(api: Client) -> None:
    now = int(time.time() * 1000)
    headers = signed_headers(DEMO, "GET", "/smartorders", now)
    shouting = {name.upper(): value for name, value in headers.items()}
    response = httpx.get(api.base_url + "/smartorders", headers=shouting)
    assert response.status_code == 200, response.text


def test_authentication_failures(api: Client) -> None:
    assert api.error(401, "GET", "/smartorders", sign=False)["code"] == 401
    assert api.error(401, "GET", "/smartorders", headers={"signature": "AAAA"})["code"] == 401
    stranger = Client(api.base_url, PoloniexUser("unknown-key", "whatever"))
    assert stranger.error(401, "GET", "/smartorders")["code"] == 401
    stale = int(time.time() * 1000) - 10_000
    assert api.error(400, "GET", "/smartorders", timestamp=stale)["code"] == 25001
    expired = api.error(408, "GET", "/smartorders", timestamp=stale, headers={"recvWindow": "5000"})
    assert expired["code"] == 408
    assert api.ok("GET", "/smartorders", timestamp=stale, headers={"recvWindow": "60000"}) == [
        *api.ok("GET", "/smartorders")
    ]
    # The signature covers the exact body bytes: a body changed after signing fails.
    now = int(time.time() * 1000)
    signed = signed_headers(DEMO, "POST", "/smartorders", now, body=b'{"symbol":"BTC_USDT"}')
    response = httpx.post(
        api.base_url + "/smartorders",
        content=b'{"symbol": "BTC_USDT"}',
        headers={**signed, "Content-Type": "application/json"},
    )
    assert response.status_code == 401 and response.json()["code"] == 401


# ---- validation and routing --------------------------------------------------------------------


def test_validation_errors_name_the_field(api: Client) -> None:
    missing = api.error(400, "POST", "/smartorders", {"side": "SELL", "stopPrice": "1"})
    assert missing["code"] == 25001 and "symbol" in missing["message"]
    bad = api.error(400, "POST", "/smartorders", stop("BTC_USDT", quantity="-1"))
    assert bad["code"] == 25001 and "quantity" in bad["message"]
    extra = api.error(400, "POST", "/smartorders", stop("BTC_USDT", colour="red"))
    assert "colour" in extra["message"]
    limit = api.error(400, "GET", "/smartorders", query=[("limit", "0")])
    assert limit["code"] == 25001 and "limit" in limit["message"]
    types = api.error(400, "GET", "/smartorders/history", query=[("type", "NOPE")])
    assert "type" in types["message"]
    empty = api.error(400, "DELETE", "/smartorders/cancelByIds", {})
    assert empty["code"] == 25001
    rule = api.error(
        400, "DELETE", "/smartorders/cancelByIds", {"orderIds": ["1"], "clientOrderIds": ["a", "b"]}
    )
    assert rule["code"] == 25001


def test_fixed_segments_route_before_the_id(api: Client) -> None:
    assert isinstance(api.ok("GET", "/smartorders/history"), list)
    assert api.ok("DELETE", "/smartorders/cancelByIds", {"orderIds": ["1"]})[0]["code"] == 21301
    assert api.error(404, "GET", "/smartorders/not-an-id!")["code"] == 21301
    response = api.send("PUT", "/smartorders/history")
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    assert set(response.json()) == {"code", "message"}
    response = api.send("POST", "/smartorders/cancelByIds")
    assert response.status_code == 405 and response.headers["allow"] == "DELETE"
    assert api.error(404, "GET", "/smartorders/1/2")["code"] == 404


# ---- hostile input -----------------------------------------------------------------------------


def test_hostile_input_answers_poloniex_shaped_4xx(api: Client) -> None:
    deep = "a" + "[b]" * 40
    answer = api.error(400, "GET", "/smartorders", query=[(deep, "1")])
    assert answer["code"] == 25001 and "a" in answer["message"]
    huge = b'{"symbol": "' + b"x" * (MAX_BODY_BYTES + 1) + b'"}'
    assert api.error(413, "POST", "/smartorders", content=huge)["code"] == 413
    surrogate = b'{"symbol": "\\ud800", "side": "SELL", "stopPrice": "1", "quantity": "1"}'
    answer = api.error(400, "POST", "/smartorders", content=surrogate)
    assert answer["code"] == 25001 and "symbol" in answer["message"]
    answer = api.error(400, "POST", "/smartorders", content=b"{not json")
    assert "body" in answer["message"]
    nested = b"[" * 100 + b"]" * 100
    assert api.error(400, "POST", "/smartorders", content=nested)["code"] == 25001
    assert api.error(400, "POST", "/smartorders", stop("BTC_USDT", quantity=1e400))["code"] == 25001


# ---- the control endpoints and rate limits -------------------------------------------------------


def test_reset_forgets_every_apis_orders(users_file: Path) -> None:
    app = create_app(users_by_api=load_users_file(users_file), rate_limit=False)
    with ServerThread(app) as running:
        client = Client(running.base_url)
        ref = client.ok("POST", "/smartorders", stop("BTC_USDT"))
        client.price(pair="USDT_BTC", last="12345")
        assert httpx.post(running.base_url + "/_reference/reset").status_code == 200
        assert client.error(404, "GET", f"/smartorders/{ref['id']}")["code"] == 21301
        quote = httpx.get(running.base_url + "/_reference/prices", params={"symbol": "BTC_USDT"})
        assert Decimal(quote.json()["last"]) == 10000
        client.http.close()


def test_rate_limited_requests_answer_429_in_poloniex_shape() -> None:
    app = create_app(rate_limiter=RateLimiter(limit=2, block=60, clock=lambda: 0.0))
    with ServerThread(app) as running:
        client = Client(running.base_url)
        codes = [client.send("GET", "/smartorders").status_code for _ in range(4)]
        assert codes == [200, 200, 429, 429]
        assert client.send("GET", "/smartorders").json()["code"] == 429
        client.http.close()


def test_spec_rate_limits_apply_per_operation() -> None:
    server = create_app().state.reference
    served = next(s for s in server.served if s.api.name == "poloniex")
    limit, limiter = served.limits["list_smart_orders"]
    assert (limit.scope, limit.requests, limit.per_seconds) == ("smartorders-list", 10, 1.0)
    assert (limiter.limit, limiter.window) == (10, 1.0)
    create, _ = served.limits["create_smart_order"]
    assert (create.requests, create.per_seconds) == (50, 1.0)


def test_a_write_that_fails_before_commit_changes_nothing() -> None:
    state = PoloniexState(PriceBook(), clock=lambda: 1_700_000_000_000)
    with state.transaction() as txn:
        kept = txn.engine_for("a").create("a", stop("BTC_USDT", clientOrderId="kept"))
        txn.commit()
    with pytest.raises(RuntimeError), state.transaction() as txn:
        engine = txn.engine_for("a")
        engine.create("a", stop("BTC_USDT", clientOrderId="lost"))
        engine.cancel("a", kept.id)
        raise RuntimeError("the answer failed to render")
    with state.transaction() as txn:
        engine = txn.engine_for("a")
        assert [o.client_order_id for o in engine.list_open("a", {})] == ["kept"]
        assert engine.create("a", stop("BTC_USDT")).id == kept.id + 1  # the id counter too


@pytest.mark.parametrize("value", [False, True, None, 0, ""])
def test_replace_with_a_non_decimal_stop_price_is_400_and_keeps_the_order(
    api: Client, value: Any
) -> None:
    """A reported fuzz finding (`stopPrice: false` on a replace answered 200) did not reproduce; this
    pins the answer: 400 naming `stopPrice`, and the order stays pending, unreplaced."""
    api.price(pair="USDT_PX9", last="100")
    ref = api.ok("POST", "/smartorders", stop("PX9_USDT"))
    answer = api.error(400, "PUT", f"/smartorders/{ref['id']}", {"stopPrice": value})
    assert answer["code"] == 25001 and "stopPrice" in answer["message"], answer
    (order,) = api.ok("GET", f"/smartorders/{ref['id']}")
    assert order["state"] == "PENDING_NEW"
    api.ok("DELETE", f"/smartorders/{ref['id']}")


def test_the_time_window_is_judged_on_an_injected_clock() -> None:
    """`create_app(clock=...)` replaces every API's wall clock, the signatures' time window too (the
    fuzz apps run on such a clock; before, Poloniex's window alone read the wall clock)."""
    at = datetime(2024, 11, 12, tzinfo=UTC)
    app = create_app(rate_limit=False, clock=lambda: at)
    on_the_clock = int(at.timestamp() * 1000)
    on_the_wall = time.time_ns() // 1_000_000
    with ServerThread(app) as running, httpx.Client(base_url=running.base_url) as http:
        answers = {
            stamp: http.get("/smartorders", headers=signed_headers(DEMO, "GET", "/smartorders", stamp))
            for stamp in (on_the_clock, on_the_wall)
        }
    assert answers[on_the_clock].status_code == 200, answers[on_the_clock].text
    refused = answers[on_the_wall]
    assert refused.status_code == 400
    assert refused.json() == {"code": 25001, "message": "Invalid signTimestamp: outside the time window"}
