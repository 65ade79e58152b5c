"""The resource-style clients (SignedClient, AsyncSignedClient) against the reference server over real loopback
HTTP: a trade's life through `client.smart_trades` / `client.smart_trade_trades`, raw responses, and auto-paging
across several pages of the v2 list."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from threecommas_client import AsyncSignedClient, BadRequest, NotFound, SignedClient
from threecommas_client.models import AddFundsRequest, SetNoteRequest, SmartTradeStatusFilter

from reference_server.app import create_app
from reference_server.testing import ServerThread
from reference_server.threecommas.users import DEMO_API_KEY, DEMO_SECRET, demo_users

from .test_e2e_sdk import create_body, move_price


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(create_app(users=list(demo_users()), rate_limit=False)) as running:
        yield running


def sync_client(server: ServerThread) -> SignedClient:
    return SignedClient(api_key=DEMO_API_KEY, secret=DEMO_SECRET, base_url=server.base_url + "/public/api", max_retries=0)


def test_resource_style_life_sync(server: ServerThread) -> None:
    move_price(server, "USDT_RES", "100")
    with sync_client(server) as client:
        trade = client.smart_trades.create(body=create_body("USDT_RES"))
        assert trade.status.type_ == "waiting_targets"
        trade = client.smart_trades.add_funds(
            trade.id, body=AddFundsRequest.from_dict({"order_type": "market", "units": {"value": "1"}})
        )
        assert trade.data.entered_amount == Decimal(3)
        assert client.smart_trades.get_reduce_funds_info(trade.id).max_reduce_funds_amount == Decimal(3)
        assert client.smart_trades.set_note(trade.id, body=SetNoteRequest(note="res")).note == "res"
        raw = client.smart_trades.with_raw_response.get(trade.id, timeout=5)
        assert raw.status_code == 200 and raw.headers["content-type"].startswith("application/json")
        assert raw.parsed.id == trade.id
        purposes = {row.trade_purpose for row in client.smart_trade_trades.list(trade.id)}
        assert {"position", "add_funds"} <= purposes
        trade = client.smart_trades.close_by_market(trade.id)
        with pytest.raises(NotFound) as missing:
            client.smart_trades.get(999_999_999)
        assert missing.value.headers.get("content-type", "").startswith("application/json")


def test_auto_paging_walks_every_page(server: ServerThread) -> None:
    move_price(server, "USDT_PAGE", "100")
    with sync_client(server) as client:
        created = [client.smart_trades.create(body=create_body("USDT_PAGE")).id for _ in range(5)]
        seen = [t.id for t in client.smart_trades.list_auto_paging(pair="USDT_PAGE", per_page=2)]
        assert sorted(seen) == sorted(created) and len(seen) == 5
        one_page = client.smart_trades.list(pair="USDT_PAGE", per_page=2, page=3)
        assert len(one_page) == 1
        active = list(client.smart_trades.list_auto_paging(pair="USDT_PAGE", status=SmartTradeStatusFilter.ACTIVE))
        assert len(active) == 5


async def test_resource_style_async_with_paging(server: ServerThread) -> None:
    move_price(server, "USDT_APAGE", "100")
    async with AsyncSignedClient(
        api_key=DEMO_API_KEY, secret=DEMO_SECRET, base_url=server.base_url + "/public/api", max_retries=0
    ) as client:
        created = [(await client.smart_trades.create(body=create_body("USDT_APAGE"))).id for _ in range(3)]
        seen = [t.id async for t in client.smart_trades.list_auto_paging(pair="USDT_APAGE", per_page=2)]
        assert sorted(seen) == sorted(created)
        cancelled = await client.smart_trades.close_by_market(created[0])
        assert cancelled.id == created[0]
        with pytest.raises(BadRequest):
            await client.smart_trades.cancel(created[0])
        raw = await client.smart_trades.with_raw_response.get(created[1])
        assert raw.status_code == httpx.codes.OK
