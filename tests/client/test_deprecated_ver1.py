"""The ver1 operations are deprecated in the SDK: every call style warns and names the v2 replacement
(`x-replaced-by` in the spec), and the ver1 list pages by limit/offset (`x-pagination`)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from threecommas_client import SignedClient
from threecommas_client.api.smart_trades_v1 import create_simple_buy_v1
from threecommas_client.models import CreateSimpleBuyV1Request

from tests.client.test_wire_operations import V1_ANSWER

BODY = {
    "account_id": 68,
    "pair": "USDT_LTC",
    "units_to_buy": "0.5",
    "buy_price": "101.12",
    "buy_method": "limit",
}


def _client(handler: Any) -> SignedClient:
    return SignedClient(api_key="k", secret="s", transport=httpx.MockTransport(handler))


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(201, json=V1_ANSWER)


def test_function_style_warns_naming_the_v2_operation() -> None:
    with _client(_answer) as client, pytest.warns(DeprecationWarning) as caught:
        create_simple_buy_v1.sync(client=client, body=CreateSimpleBuyV1Request.from_dict(BODY))
    message = str(caught[0].message)
    assert "create_simple_buy_v1" in message and "create_smart_trade" in message
    assert "client.smart_trades.create" in message
    assert caught[0].filename == __file__  # points at the caller's line


def test_resource_style_warns_too() -> None:
    with _client(_answer) as client, pytest.warns(DeprecationWarning, match="create_smart_trade"):
        client.smart_trades_v1.create_simple_buy(CreateSimpleBuyV1Request.from_dict(BODY))


def test_resource_method_names_keep_smart_sell_and_cover_apart() -> None:
    with _client(_answer) as client:
        names = set(dir(client.smart_trades_v1))
    assert {
        "create_simple_sell",
        "create_simple_buy",
        "create_smart_sell",
        "create_smart_cover",
        "create",
    } <= names


def test_ver1_list_pages_with_limit_and_offset() -> None:
    seen: list[tuple[str | None, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        limit, offset = request.url.params.get("limit"), request.url.params.get("offset")
        seen.append((limit, offset))
        rows = 2 if offset in (None, "0", "2") else 1
        return httpx.Response(200, content=json.dumps([V1_ANSWER] * rows).encode())

    with _client(handler) as client, pytest.warns(DeprecationWarning):
        trades = list(client.smart_trades_v1.list_auto_paging(limit=2))
    assert len(trades) == 5
    assert seen == [("2", "0"), ("2", "2"), ("2", "4")]
