"""The generated `poloniex_client` (SignedClient + api functions) against the reference server over
real loopback HTTP, sync and async: every smart-order operation, triggers from the shared market
moved under its 3Commas pair name, typed errors, two isolated users, concurrent creates and exact
decimals. Every raw answer is also checked against openapi/poloniex.yaml (the operation's schema
for its status, else `Error`) by a transport that sits under the SDK."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from poloniex_client import SignedClient
from poloniex_client.api.smart_orders import (
    cancel_all_smart_orders,
    cancel_smart_order,
    cancel_smart_orders_by_ids,
    create_smart_order,
    get_smart_order,
    list_smart_order_history,
    list_smart_orders,
    replace_smart_order,
)
from poloniex_client.errors import BadRequest, NotFound, Unauthorized
from poloniex_client.models import (
    CancelAllSmartOrdersRequest,
    CancelSmartOrdersByIdsRequest,
    SmartOrderCreateRequest,
    SmartOrderReplaceRequest,
)
from poloniex_client.models.list_smart_order_history_direction import (
    ListSmartOrderHistoryDirection,
)

from reference_server.app import create_app, load_users_file
from reference_server.poloniex.users import DEMO_POLONIEX_API_KEY, DEMO_POLONIEX_SECRET
from reference_server.spec_validation import Spec
from reference_server.testing import ServerThread
from tests.server.poloniex.spec_helper import SPEC, SPEC_PATH, assert_valid, validator
from tests.tls import VERIFY

USERS = {
    "demo": (DEMO_POLONIEX_API_KEY, DEMO_POLONIEX_SECRET),
    "alice": ("e2e-alice-plnx", "e2e-alice-secret"),
    "bob": ("e2e-bob-plnx", "e2e-bob-secret"),
    "carol": ("e2e-carol-plnx", "e2e-carol-secret"),  # concurrency, sync
    "dave": ("e2e-dave-plnx", "e2e-dave-secret"),  # concurrency, async
}
ROUTES = Spec(SPEC_PATH)
# signTimestamp may lag under load on a shared machine; recvWindow keeps the requests valid.
RECV_WINDOW = 60_000


# ---- raw answers against the spec ----------------------------------------------------------------


def _schema_for(method: str, path: str, status: int) -> Any:
    op, _, _ = ROUTES.match(method, path)
    if op is not None:
        responses = SPEC["paths"][op.template][method.lower()]["responses"]
        if str(status) in responses:
            escaped = op.template.replace("~", "~0").replace("/", "~1")
            pointer = f"/paths/{escaped}/{method.lower()}/responses/{status}"
            if "$ref" in responses[str(status)]:
                pointer = responses[str(status)]["$ref"][1:]
            return validator(f"{pointer}/content/application~1json/schema")
    assert status >= 400, (method, path, status)
    return validator("/components/schemas/Error")


def check_raw(request: httpx.Request, status: int, body: bytes) -> None:
    path = request.url.raw_path.decode("ascii").split("?", 1)[0]
    assert_valid(_schema_for(request.method, path, status), json.loads(body))


def _rebuilt(response: httpx.Response, body: bytes, request: httpx.Request) -> httpx.Response:
    headers = [
        (k, v)
        for k, v in response.headers.multi_items()
        if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")
    ]
    return httpx.Response(response.status_code, headers=headers, content=body, request=request)


class CheckingTransport(httpx.BaseTransport):
    """Sends over loopback, then checks the raw body against the spec before the SDK parses it."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.checked = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        body = response.read()
        response.close()
        check_raw(request, response.status_code, body)
        self.checked += 1
        return _rebuilt(response, body, request)

    def close(self) -> None:
        self.inner.close()


class AsyncCheckingTransport(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.checked = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        await response.aclose()
        check_raw(request, response.status_code, body)
        self.checked += 1
        return _rebuilt(response, body, request)

    async def aclose(self) -> None:
        await self.inner.aclose()


# ---- server, users, clients ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def users_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("e2e-poloniex") / "users.yaml"
    lines = ["poloniex_users:"]
    lines += [f"  - {{api_key: {key}, secret: {secret}}}" for key, secret in USERS.values()]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def server(users_file: Path) -> Iterator[ServerThread]:
    app = create_app(users_by_api=load_users_file(users_file), rate_limit=False)
    with ServerThread(app) as running:
        yield running


def client_for(server: ServerThread, user: str = "demo", **kwargs: Any) -> SignedClient:
    key, secret = USERS[user]
    kwargs.setdefault("secret", secret)
    kwargs.setdefault("transport", CheckingTransport())
    kwargs.setdefault("async_transport", AsyncCheckingTransport())
    return SignedClient(
        api_key=key,
        base_url=server.base_url,
        recv_window=RECV_WINDOW,
        max_retries=0,
        **kwargs,
    )


def move_price(server: ServerThread, pair: str, last: str) -> None:
    """Moves the market by its 3Commas name (`USDT_BTC`), as the 3Commas side of the server sees it."""
    response = httpx.post(server.base_url + "/_reference/prices", json={"pair": pair, "last": last}, verify=VERIFY)
    assert response.status_code == 200, response.text


def order_body(**fields: Any) -> SmartOrderCreateRequest:
    fields.setdefault("side", "SELL")
    fields.setdefault("quantity", "1")
    return SmartOrderCreateRequest.from_dict(fields)


# ---- a whole life, sync and async ------------------------------------------------------------------


def test_every_operation_sync(server: ServerThread) -> None:
    move_price(server, "USDT_EPA", "100")
    transport = CheckingTransport()
    with client_for(server, transport=transport) as client:
        stop = create_smart_order.sync(
            client=client,
            body=order_body(
                symbol="EPA_USDT", type="STOP", stopPrice="90", clientOrderId="epa-stop"
            ),
        )
        assert stop.client_order_id == "epa-stop" and stop.id.isdigit()
        stop_limit = create_smart_order.sync(
            client=client,
            body=order_body(symbol="EPA_USDT", type="STOP_LIMIT", stopPrice="85", price="84"),
        )
        trailing = create_smart_order.sync(
            client=client,
            body=order_body(symbol="EPA_USDT", type="TRAILING_STOP", trailingOffset="5%"),
        )
        trailing_limit = create_smart_order.sync(
            client=client,
            body=order_body(
                symbol="EPA_USDT",
                type="TRAILING_STOP_LIMIT",
                trailingOffset="10",
                limitOffset="1",
                stopPrice="120",
                operator="GTE",
            ),
        )

        # Without `types` only STOP and STOP_LIMIT are listed; the trailing ones on request.
        listed = {o.id for o in list_smart_orders.sync(client=client)}
        assert {stop.id, stop_limit.id} <= listed
        assert not {trailing.id, trailing_limit.id} & listed
        every = list_smart_orders.sync(
            client=client, types="TRAILING_STOP,TRAILING_STOP_LIMIT,STOP_LIMIT,STOP"
        )
        by_id = {o.id: o for o in every}
        assert {stop.id, stop_limit.id, trailing.id, trailing_limit.id} <= set(by_id)
        assert by_id[trailing.id].type_ == "TRAILING_STOP"
        assert by_id[trailing_limit.id].limit_offset == "1"

        [read] = get_smart_order.sync(stop.id, client=client)
        assert (read.state, read.type_, read.stop_price) == ("PENDING_NEW", "STOP", Decimal(90))
        [by_cid] = get_smart_order.sync("cid:epa-stop", client=client)
        assert by_cid.id == stop.id

        new = replace_smart_order.sync(
            stop.id,
            client=client,
            body=SmartOrderReplaceRequest.from_dict(
                {"stopPrice": "80", "clientOrderId": "epa-stop-2"}
            ),
        )
        assert new.id != stop.id and new.client_order_id == "epa-stop-2"
        assert get_smart_order.sync(stop.id, client=client)[0].state == "CANCELED"
        [replaced] = get_smart_order.sync("cid:epa-stop-2", client=client)
        assert (replaced.stop_price, replaced.side) == (Decimal(80), "SELL")

        result = cancel_smart_order.sync("cid:epa-stop-2", client=client)
        assert (result.order_id, result.state, result.code) == (new.id, "CANCELED", 200)
        results = cancel_smart_orders_by_ids.sync(
            client=client,
            body=CancelSmartOrdersByIdsRequest.from_dict({"orderIds": [stop_limit.id, "404"]}),
        )
        assert [(r.order_id, r.code) for r in results] == [(stop_limit.id, 200), ("404", 21301)]
        # Without `orderTypes` cancel-all covers the stops only (the spec's default), both gone.
        stops_only = CancelAllSmartOrdersRequest.from_dict({"symbols": ["EPA_USDT"]})
        assert cancel_all_smart_orders.sync(client=client, body=stops_only) == []
        everything = cancel_all_smart_orders.sync(
            client=client,
            body=CancelAllSmartOrdersRequest.from_dict(
                {"symbols": ["EPA_USDT"], "orderTypes": ["TRAILING_STOP", "TRAILING_STOP_LIMIT"]}
            ),
        )
        assert {r.order_id for r in everything} == {trailing.id, trailing_limit.id}
        assert all(r.state == "CANCELED" and r.code == 200 for r in everything)
        pending = list_smart_orders.sync(
            client=client, types="TRAILING_STOP,TRAILING_STOP_LIMIT,STOP_LIMIT,STOP"
        )
        assert not [o for o in pending if o.symbol == "EPA_USDT"]

        history = list_smart_order_history.sync(client=client, symbol="EPA_USDT")
        assert [o.id for o in history] == sorted(
            [stop.id, stop_limit.id, trailing.id, trailing_limit.id, new.id], key=int, reverse=True
        )
        assert {o.state for o in history} == {"CANCELED"}
    assert transport.checked == 17  # every answer the SDK parsed was first checked against the spec


async def test_every_operation_async(server: ServerThread) -> None:
    move_price(server, "USDT_EPB", "100")
    async with client_for(server) as client:
        ref = await create_smart_order.asyncio(
            client=client,
            body=order_body(
                symbol="EPB_USDT", side="BUY", type="STOP", stopPrice="110", clientOrderId="epb-1"
            ),
        )
        limit = await create_smart_order.asyncio(
            client=client,
            body=order_body(symbol="EPB_USDT", type="STOP_LIMIT", stopPrice="90", price="89"),
        )
        trailing = await create_smart_order.asyncio(
            client=client,
            body=order_body(symbol="EPB_USDT", type="TRAILING_STOP", trailingOffset="3"),
        )
        trailing_limit = await create_smart_order.asyncio(
            client=client,
            body=order_body(
                symbol="EPB_USDT", type="TRAILING_STOP_LIMIT", trailingOffset="3", limitOffset="2"
            ),
        )
        listed = await list_smart_orders.asyncio(client=client, types="STOP,TRAILING_STOP_LIMIT")
        assert {ref.id, trailing_limit.id} <= {o.id for o in listed}
        assert not {limit.id, trailing.id} & {o.id for o in listed}
        [read] = await get_smart_order.asyncio("cid:epb-1", client=client)
        assert (read.id, read.side, read.stop_price) == (ref.id, "BUY", Decimal(110))
        new = await replace_smart_order.asyncio(
            ref.id, client=client, body=SmartOrderReplaceRequest.from_dict({"stopPrice": "115"})
        )
        [replaced] = await get_smart_order.asyncio(new.id, client=client)
        # The replacement keeps the old details it does not amend; its clientOrderId is the one
        # sent, here none.
        assert (replaced.stop_price, replaced.side, replaced.client_order_id) == (
            Decimal(115),
            "BUY",
            "",
        )
        cancelled = await cancel_smart_order.asyncio(new.id, client=client)
        assert cancelled.state == "CANCELED"
        by_ids = await cancel_smart_orders_by_ids.asyncio(
            client=client,
            body=CancelSmartOrdersByIdsRequest.from_dict({"orderIds": [limit.id, trailing.id]}),
        )
        assert [r.code for r in by_ids] == [200, 200]
        rest = await cancel_all_smart_orders.asyncio(
            client=client, body=CancelAllSmartOrdersRequest.from_dict({"orderTypes": []})
        )
        assert [r.order_id for r in rest] == [trailing_limit.id]
        history = await list_smart_order_history.asyncio(client=client, symbol="EPB_USDT")
        assert len(history) == 5 and {o.state for o in history} == {"CANCELED"}


# ---- triggers from the shared market ---------------------------------------------------------------


def test_moving_the_threecommas_pair_triggers_the_order(server: ServerThread) -> None:
    move_price(server, "USDT_EPC", "100")
    with client_for(server) as client:
        stop = create_smart_order.sync(
            client=client, body=order_body(symbol="EPC_USDT", type="STOP", stopPrice="90")
        )
        stop_limit = create_smart_order.sync(
            client=client,
            body=order_body(
                symbol="EPC_USDT", side="BUY", type="STOP_LIMIT", stopPrice="120", price="125"
            ),
        )
        move_price(server, "USDT_EPC", "89")  # 3Commas naming: quote first
        [triggered] = get_smart_order.sync(stop.id, client=client)
        assert triggered.state == "TRIGGERED"
        placed = triggered.triggered_order
        assert placed and placed.symbol == "EPC_USDT" and placed.side == "SELL"
        assert placed.type_ == "MARKET" and placed.state == "FILLED"
        assert placed.avg_price == Decimal(89) and placed.filled_quantity == Decimal(1)
        assert get_smart_order.sync(stop_limit.id, client=client)[0].state == "PENDING_NEW"
        assert stop.id not in {o.id for o in list_smart_orders.sync(client=client)}

        move_price(server, "USDT_EPC", "121")
        [limit] = get_smart_order.sync(stop_limit.id, client=client)
        assert limit.state == "TRIGGERED" and limit.triggered_order
        assert limit.triggered_order.type_ == "LIMIT"
        assert limit.triggered_order.price == Decimal(125)
        # A triggered order can no longer be replaced (404, 21301) nor canceled as a smart order.
        with pytest.raises(NotFound) as caught:
            replace_smart_order.sync(
                stop.id, client=client, body=SmartOrderReplaceRequest.from_dict({})
            )
        assert caught.value.code == 21301
        history = list_smart_order_history.sync(
            client=client, symbol="EPC_USDT", states="TRIGGERED"
        )
        assert [o.id for o in history] == [stop_limit.id, stop.id]
        assert all(o.triggered_order for o in history)


async def test_trigger_read_async(server: ServerThread) -> None:
    move_price(server, "USDT_EPD", "100")
    async with client_for(server) as client:
        ref = await create_smart_order.asyncio(
            client=client,
            body=order_body(symbol="EPD_USDT", type="TRAILING_STOP", trailingOffset="10%"),
        )
        move_price(server, "USDT_EPD", "200")
        move_price(server, "USDT_EPD", "181")
        assert (await get_smart_order.asyncio(ref.id, client=client))[0].state == "PENDING_NEW"
        move_price(server, "USDT_EPD", "179")
        [order] = await get_smart_order.asyncio(ref.id, client=client)
        assert order.state == "TRIGGERED" and order.triggered_order
        assert order.triggered_order.state == "FILLED"


# ---- history paging --------------------------------------------------------------------------------


def test_history_pages_by_id(server: ServerThread) -> None:
    move_price(server, "USDT_EPE", "100")
    with client_for(server) as client:
        ids = [
            create_smart_order.sync(
                client=client, body=order_body(symbol="EPE_USDT", type="STOP", stopPrice="50")
            ).id
            for _ in range(7)
        ]
        cancel_all_smart_orders.sync(
            client=client, body=CancelAllSmartOrdersRequest.from_dict({"symbols": ["EPE_USDT"]})
        )
        newest_first = sorted(ids, key=int, reverse=True)
        seen: list[str] = []
        page = list_smart_order_history.sync(client=client, symbol="EPE_USDT", limit=3)
        while page:
            seen += [o.id for o in page]
            page = list_smart_order_history.sync(
                client=client,
                symbol="EPE_USDT",
                limit=3,
                from_=int(page[-1].id),
                direction=ListSmartOrderHistoryDirection.NEXT,
            )
        assert seen == newest_first
        newer = list_smart_order_history.sync(
            client=client,
            symbol="EPE_USDT",
            limit=2,
            from_=int(newest_first[-1]),
            direction=ListSmartOrderHistoryDirection.PRE,
        )
        assert [o.id for o in newer] == newest_first[-3:-1]


# ---- typed errors ----------------------------------------------------------------------------------


def test_typed_errors(server: ServerThread) -> None:
    move_price(server, "USDT_EPF", "100")
    with client_for(server) as client:
        with pytest.raises(NotFound) as unknown:
            get_smart_order.sync("987654321", client=client)
        assert (unknown.value.status_code, unknown.value.code) == (404, 21301)
        assert unknown.value.message
        with pytest.raises(NotFound) as unknown_cid:
            cancel_smart_order.sync("cid:nobody-has-this", client=client)
        assert unknown_cid.value.code == 21301

        body = order_body(symbol="EPF_USDT", type="STOP", stopPrice="90", clientOrderId="epf-dup")
        create_smart_order.sync(client=client, body=body)
        with pytest.raises(BadRequest) as duplicate:
            create_smart_order.sync(client=client, body=body)
        assert (duplicate.value.status_code, duplicate.value.code) == (400, 25004)
        assert "clientOrderId" in duplicate.value.message

        with pytest.raises(BadRequest) as invalid:  # STOP_LIMIT needs a price
            create_smart_order.sync(
                client=client, body=order_body(symbol="EPF_USDT", type="STOP_LIMIT", stopPrice="9")
            )
        assert (invalid.value.code, "price" in invalid.value.message) == (25001, True)
        with pytest.raises(BadRequest) as bad_symbol:
            create_smart_order.sync(
                client=client, body=order_body(symbol="not-a-symbol", type="STOP", stopPrice="9")
            )
        assert bad_symbol.value.code == 25001 and "symbol" in bad_symbol.value.message

    with client_for(server, secret="not-the-secret") as wrong:
        with pytest.raises(Unauthorized) as denied:
            list_smart_orders.sync(client=wrong)
        assert (denied.value.status_code, denied.value.code) == (401, 401)
        assert denied.value.message


async def test_typed_errors_async(server: ServerThread) -> None:
    async with client_for(server, secret="wrong") as wrong:
        with pytest.raises(Unauthorized) as denied:
            await create_smart_order.asyncio(
                client=wrong, body=order_body(symbol="EPF_USDT", type="STOP", stopPrice="1")
            )
        assert denied.value.code == 401
    async with client_for(server) as client:
        with pytest.raises(NotFound) as unknown:
            await replace_smart_order.asyncio(
                "1234567", client=client, body=SmartOrderReplaceRequest.from_dict({})
            )
        assert unknown.value.code == 21301


# ---- two users -------------------------------------------------------------------------------------


def test_two_users_are_isolated(server: ServerThread) -> None:
    move_price(server, "USDT_EPG", "100")
    with client_for(server, "alice") as alice, client_for(server, "bob") as bob:
        mine = create_smart_order.sync(
            client=alice,
            body=order_body(symbol="EPG_USDT", type="STOP", stopPrice="90", clientOrderId="same"),
        )
        for call in (
            lambda: get_smart_order.sync(mine.id, client=bob),
            lambda: get_smart_order.sync("cid:same", client=bob),
            lambda: cancel_smart_order.sync(mine.id, client=bob),
            lambda: replace_smart_order.sync(
                mine.id, client=bob, body=SmartOrderReplaceRequest.from_dict({})
            ),
        ):
            with pytest.raises(NotFound) as caught:
                call()
            assert caught.value.code == 21301
        assert mine.id not in {o.id for o in list_smart_orders.sync(client=bob)}
        assert list_smart_order_history.sync(client=bob, symbol="EPG_USDT") == []
        [result] = cancel_smart_orders_by_ids.sync(
            client=bob, body=CancelSmartOrdersByIdsRequest.from_dict({"orderIds": [mine.id]})
        )
        assert result.code == 21301
        cancel_all_smart_orders.sync(client=bob, body=CancelAllSmartOrdersRequest.from_dict({}))
        # The same clientOrderId is free for Bob.
        theirs = create_smart_order.sync(
            client=bob,
            body=order_body(symbol="EPG_USDT", type="STOP", stopPrice="90", clientOrderId="same"),
        )
        assert theirs.id != mine.id
        assert get_smart_order.sync("cid:same", client=alice)[0].id == mine.id
        assert get_smart_order.sync("cid:same", client=bob)[0].id == theirs.id
        # One market: the trigger reaches both users' orders.
        move_price(server, "USDT_EPG", "80")
        assert get_smart_order.sync(mine.id, client=alice)[0].state == "TRIGGERED"
        assert get_smart_order.sync(theirs.id, client=bob)[0].state == "TRIGGERED"


# ---- concurrency -----------------------------------------------------------------------------------

N = 24


def test_concurrent_creates_threads(server: ServerThread) -> None:
    move_price(server, "USDT_EPH", "100")
    with client_for(server, "carol") as client:

        def create(i: int) -> str:
            body = order_body(
                symbol="EPH_USDT", type="STOP", stopPrice="90", clientOrderId=f"eph-{i}"
            )
            return create_smart_order.sync(client=client, body=body).id

        with ThreadPoolExecutor(max_workers=8) as pool:
            ids = list(pool.map(create, range(N)))
        assert len(set(ids)) == N
        listed = list_smart_orders.sync(client=client, limit=2000)
        assert sorted(o.id for o in listed) == sorted(ids)
        assert sorted(o.client_order_id for o in listed) == sorted(f"eph-{i}" for i in range(N))
        cancelled = cancel_all_smart_orders.sync(
            client=client, body=CancelAllSmartOrdersRequest.from_dict({})
        )
        assert sorted(r.order_id for r in cancelled) == sorted(ids)


async def test_concurrent_creates_asyncio(server: ServerThread) -> None:
    move_price(server, "USDT_EPI", "100")
    async with client_for(server, "dave") as client:
        refs = await asyncio.gather(
            *(
                create_smart_order.asyncio(
                    client=client,
                    body=order_body(
                        symbol="EPI_USDT", type="STOP", stopPrice="90", clientOrderId=f"epi-{i}"
                    ),
                )
                for i in range(N)
            )
        )
        ids = [ref.id for ref in refs]
        assert len(set(ids)) == N
        assert sorted(r.client_order_id for r in refs) == sorted(f"epi-{i}" for i in range(N))
        listed = await list_smart_orders.asyncio(client=client, limit=2000)
        assert sorted(o.id for o in listed) == sorted(ids)
        results = await asyncio.gather(*(cancel_smart_order.asyncio(i, client=client) for i in ids))
        assert {r.state for r in results} == {"CANCELED"}
        assert await list_smart_orders.asyncio(client=client) == []


# ---- exact decimals --------------------------------------------------------------------------------


def test_decimals_are_exact_end_to_end(server: ServerThread) -> None:
    move_price(server, "USDT_EPJ", "100")
    quantity = "0.123456789012345678"
    stop_price = "99.000000000000000000000001"
    price = "98.99999999999999999999999999"
    with client_for(server) as client:
        ref = create_smart_order.sync(
            client=client,
            body=order_body(
                symbol="EPJ_USDT",
                type="STOP_LIMIT",
                quantity=quantity,
                stopPrice=stop_price,
                price=price,
            ),
        )
        [order] = get_smart_order.sync(ref.id, client=client)
        assert order.quantity == Decimal(quantity) and str(order.quantity) == quantity
        assert str(order.stop_price) == stop_price and str(order.price) == price
        listed = {o.id: o for o in list_smart_orders.sync(client=client)}[ref.id]
        assert str(listed.quantity) == quantity
        move_price(server, "USDT_EPJ", "99")  # 99 <= 99.000...001: a sell stop triggers
        [triggered] = get_smart_order.sync(ref.id, client=client)
        assert triggered.state == "TRIGGERED" and triggered.triggered_order
        assert str(triggered.triggered_order.quantity) == quantity
        assert str(triggered.triggered_order.price) == price
