"""A published Poloniex client, unmodified, against the reference server: ccxt (pinned in
requirements.in) creates, lists, reads, replaces and cancels smart orders at the server's root.

ccxt routes a spot order with a `triggerPrice` to `POST /smartorders` (`STOP` without a price,
`STOP_LIMIT` with one), and `fetchOpenOrders` / `fetchOrder` / `editOrder` / `cancelOrder` /
`cancelAllOrders` with `{"trigger": True}` to the smart-order paths. It is only configured, never
patched:

- `urls["api"]` points both of its hosts (`spot`, `swap`) at the loopback server;
- its markets are set with `set_markets` from a Poloniex-shaped `/markets` entry parsed by ccxt
  itself, so `load_markets` never calls the public endpoints (`/markets`, `/currencies`,
  `/v3/market/allInstruments`) the reference server does not serve;
- `headers` adds `recvWindow` (an optional, unsigned header of the API), so a slow shared machine
  does not push a request past the one-second window of `signTimestamp`;
- `enableRateLimit` is off: its throttle only sleeps against a loopback server with rate limits off.

Every request it sends is recorded through its `requests` session's hooks and must go to the
loopback server: the test runs offline."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import ccxt
import ccxt.async_support as ccxt_async
import httpx
import pytest

from reference_server.app import create_app
from reference_server.poloniex.users import DEMO_POLONIEX_API_KEY, DEMO_POLONIEX_SECRET
from reference_server.testing import ServerThread
from tests.tls import VERIFY

# What `GET /markets` answers for one symbol (the fields ccxt's parse_market reads).
MARKET = {
    "symbol": "BTC_USDT",
    "baseCurrencyName": "BTC",
    "quoteCurrencyName": "USDT",
    "displayName": "BTC/USDT",
    "state": "NORMAL",
    "symbolTradeLimit": {
        "symbol": "BTC_USDT",
        "priceScale": 2,
        "quantityScale": 8,
        "amountScale": 2,
        "minQuantity": "0.000001",
        "minAmount": "1",
    },
}
RECV_WINDOW = "60000"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(create_app(rate_limit=False)) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_market(server: ServerThread) -> None:
    assert httpx.post(server.base_url + "/_reference/reset", verify=VERIFY).status_code == 200
    move_price(server, "60000")


def move_price(server: ServerThread, last: str) -> None:
    """Moves BTC_USDT by its 3Commas pair name, `USDT_BTC`."""
    response = httpx.post(
        server.base_url + "/_reference/prices", json={"pair": "USDT_BTC", "last": last}, verify=VERIFY
    )
    assert response.status_code == 200, response.text


def configure(exchange: Any, server: ServerThread) -> Any:
    exchange.urls["api"] = {"spot": server.base_url, "swap": server.base_url}
    # Its client-side throttle spaces calls for the real API's limits: against a loopback server with
    # rate limits off it only sleeps (about 0.6 s a test).
    exchange.enableRateLimit = False
    exchange.set_markets([exchange.parse_market(MARKET)])
    exchange.headers = {"recvWindow": RECV_WINDOW}
    return exchange


@pytest.fixture
def sent() -> list[str]:
    return []


@pytest.fixture
def exchange(server: ServerThread, sent: list[str]) -> Iterator[Any]:
    client = configure(
        ccxt.poloniex(
            {"apiKey": DEMO_POLONIEX_API_KEY, "secret": DEMO_POLONIEX_SECRET, "timeout": 20_000}
        ),
        server,
    )
    client.session.hooks["response"].append(lambda response, **_: sent.append(response.url))
    yield client
    assert sent and all(url.startswith(server.base_url + "/") for url in sent), sent


def test_create_list_read_replace_cancel(exchange: Any, server: ServerThread) -> None:
    stop = exchange.create_order(
        "BTC/USDT", "market", "sell", 0.5, None, {"triggerPrice": 55000, "clientOrderId": "cx-1"}
    )
    assert stop["id"].isdigit() and stop["clientOrderId"] == "cx-1"
    stop_limit = exchange.create_order(
        "BTC/USDT", "limit", "buy", "0.25", "65100", {"triggerPrice": "65000"}
    )

    listed = {o["id"]: o for o in exchange.fetch_open_orders("BTC/USDT", params={"trigger": True})}
    assert set(listed) == {stop["id"], stop_limit["id"]}
    assert listed[stop["id"]]["info"]["type"] == "STOP"
    assert listed[stop_limit["id"]]["info"]["type"] == "STOP_LIMIT"
    assert (listed[stop_limit["id"]]["amount"], listed[stop_limit["id"]]["price"]) == (0.25, 65100)
    assert listed[stop_limit["id"]]["triggerPrice"] == 65000
    assert all(o["status"] == "open" and o["symbol"] == "BTC/USDT" for o in listed.values())
    assert len(exchange.fetch_open_orders(params={"trigger": True})) == 2

    read = exchange.fetch_order(stop["id"], "BTC/USDT", {"trigger": True})
    assert (read["id"], read["side"], read["amount"], read["triggerPrice"]) == (
        stop["id"],
        "sell",
        0.5,
        55000,
    )
    assert read["info"]["state"] == "PENDING_NEW"
    by_client_id = exchange.fetch_order("cid:cx-1", None, {"trigger": True})
    assert by_client_id["info"]["id"] == stop["id"]

    edited = exchange.edit_order(
        stop["id"], "BTC/USDT", "market", "sell", 0.5, None, {"triggerPrice": 54000}
    )
    assert edited["id"] != stop["id"]
    assert exchange.fetch_order(stop["id"], None, {"trigger": True})["info"]["state"] == "CANCELED"
    assert exchange.fetch_order(edited["id"], None, {"trigger": True})["triggerPrice"] == 54000

    cancelled = exchange.cancel_order(stop_limit["id"], "BTC/USDT", {"trigger": True})
    assert (cancelled["id"], cancelled["status"]) == (stop_limit["id"], "canceled")
    rest = exchange.cancel_all_orders("BTC/USDT", {"trigger": True})
    assert [(o["id"], o["status"]) for o in rest] == [(edited["id"], "canceled")]
    assert exchange.fetch_open_orders("BTC/USDT", params={"trigger": True}) == []


def test_cancel_by_client_order_id(exchange: Any) -> None:
    ref = exchange.create_order(
        "BTC/USDT", "market", "sell", 1, None, {"triggerPrice": 50000, "clientOrderId": "cx-cid"}
    )
    # ccxt sends `clientOrderId` as the path segment itself: the API wants it as `cid:<id>`.
    result = exchange.cancel_order(
        "ignored", "BTC/USDT", {"trigger": True, "clientOrderId": "cid:cx-cid"}
    )
    assert (result["id"], result["clientOrderId"], result["status"]) == (
        ref["id"],
        "cx-cid",
        "canceled",
    )


def test_trigger_from_the_shared_market(exchange: Any, server: ServerThread) -> None:
    ref = exchange.create_order("BTC/USDT", "market", "sell", 0.5, None, {"triggerPrice": 55000})
    move_price(server, "54999.5")
    order = exchange.fetch_order(ref["id"], "BTC/USDT", {"trigger": True})
    assert order["info"]["state"] == "TRIGGERED"
    placed = order["info"]["triggeredOrder"]
    assert (placed["type"], placed["state"], placed["side"]) == ("MARKET", "FILLED", "SELL")
    assert Decimal(placed["avgPrice"]) == Decimal("54999.5")
    assert exchange.fetch_open_orders("BTC/USDT", params={"trigger": True}) == []


def test_api_errors_become_ccxt_exceptions(exchange: Any, server: ServerThread) -> None:
    with pytest.raises(ccxt.OrderNotFound, match="21301"):
        exchange.fetch_order("12345678", None, {"trigger": True})
    with pytest.raises(ccxt.OrderNotFound, match="21301"):
        exchange.cancel_order("12345678", "BTC/USDT", {"trigger": True})
    params = {"triggerPrice": 50000, "clientOrderId": "cx-dup"}
    exchange.create_order("BTC/USDT", "market", "sell", 1, None, params)
    with pytest.raises(ccxt.InvalidOrder, match="25004"):
        exchange.create_order("BTC/USDT", "market", "sell", 1, None, dict(params))
    wrong = configure(
        ccxt.poloniex({"apiKey": DEMO_POLONIEX_API_KEY, "secret": "not-the-secret"}), server
    )
    # ccxt maps no code to a bad signature (the server answers 401 with code 401): a plain
    # ExchangeError carrying the answer.
    with pytest.raises(ccxt.ExchangeError, match="Invalid signature"):
        wrong.fetch_open_orders(params={"trigger": True})


async def test_async_client(server: ServerThread) -> None:
    exchange = configure(
        ccxt_async.poloniex({"apiKey": DEMO_POLONIEX_API_KEY, "secret": DEMO_POLONIEX_SECRET}),
        server,
    )
    try:
        refs = await asyncio.gather(
            *(
                exchange.create_order(
                    "BTC/USDT",
                    "limit",
                    "buy",
                    "0.123456",
                    "70000.5",
                    {"triggerPrice": "70000", "clientOrderId": f"cx-async-{i}"},
                )
                for i in range(6)
            )
        )
        ids = {ref["id"] for ref in refs}
        assert len(ids) == 6
        listed = await exchange.fetch_open_orders("BTC/USDT", params={"trigger": True})
        assert {o["id"] for o in listed} == ids
        assert {o["info"]["quantity"] for o in listed} == {"0.123456"}
        assert {o["info"]["price"] for o in listed} == {
            "70000.5"
        }  # as ccxt formats it, kept exactly
        one = await exchange.fetch_order("cid:cx-async-3", None, {"trigger": True})
        assert one["clientOrderId"] == "cx-async-3"
        cancelled = await exchange.cancel_all_orders(None, {"trigger": True})
        assert {o["id"] for o in cancelled} == ids
    finally:
        await exchange.close()
