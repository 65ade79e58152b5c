"""The generated SDK (SignedClient + api functions) against the reference server over real loopback
HTTP, sync and async: a whole SmartTrade life, every class of error, isolation, concurrency."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from threecommas_client import SignedClient
from threecommas_client.api.smart_trade_trades import (
    cancel_trade,
    close_trade_by_market,
    list_smart_trade_trades,
)
from threecommas_client.api.smart_trades import (
    add_funds_to_smart_trade,
    cancel_smart_trade,
    create_smart_trade,
    get_reduce_funds_info,
    get_smart_trade,
    list_smart_trades,
    reduce_funds_of_smart_trade,
    set_smart_trade_note,
    update_smart_trade,
)
from threecommas_client.errors import (
    BadRequest,
    Forbidden,
    NotFound,
    RateLimited,
    Unauthorized,
    UnprocessableEntity,
)
from threecommas_client.models import (
    AddFundsRequest,
    ReduceFundsRequest,
    SetNoteRequest,
    SmartTradeCreateRequest,
    SmartTradeUpdateRequest,
)

from reference_server.app import create_app
from reference_server.rate_limit import RateLimiter
from reference_server.testing import ServerThread
from reference_server.threecommas.users import (
    DEMO_API_KEY,
    DEMO_SECRET,
    DEMO_SPOT_ACCOUNT_ID,
    Account,
    User,
    demo_users,
)
from tests.tls import VERIFY

OTHER_KEY, OTHER_SECRET, OTHER_ACCOUNT = "e2e-other-key", "e2e-other-secret", 77701
RSA_KEY = (
    Path(__file__).resolve().parents[1] / "fixtures" / "3commas-docs-test-rsa-key.pem"
).read_text()


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    users = [
        *demo_users(),
        User(OTHER_KEY, OTHER_SECRET, None, (Account(OTHER_ACCOUNT, "binance", "B", "Binance"),)),
    ]
    with ServerThread(create_app(users=users, rate_limit=False)) as running:
        yield running


def client_for(server: ServerThread, **kwargs: Any) -> SignedClient:
    kwargs.setdefault("api_key", DEMO_API_KEY)
    if "private_key" not in kwargs:
        kwargs.setdefault("secret", DEMO_SECRET)
    return SignedClient(base_url=server.base_url + "/public/api", max_retries=0, **kwargs)


def move_price(server: ServerThread, pair: str, last: str) -> None:
    response = httpx.post(server.base_url + "/_reference/prices", json={"pair": pair, "last": last}, verify=VERIFY)
    assert response.status_code == 200, response.text


def create_body(pair: str, account_id: int = DEMO_SPOT_ACCOUNT_ID) -> SmartTradeCreateRequest:
    return SmartTradeCreateRequest.from_dict(
        {
            "account_id": account_id,
            "pair": pair,
            "position": {"type": "buy", "units": {"value": "2"}, "order_type": "market"},
            "take_profit": {
                "enabled": True,
                "steps": [
                    {
                        "order_type": "limit",
                        "price": {"value": "110", "type": "bid"},
                        "volume": "50",
                    },
                    {
                        "order_type": "market",
                        "price": {"value": "120", "type": "bid"},
                        "volume": "50",
                    },
                ],
            },
            "stop_loss": {
                "enabled": True,
                "order_type": "market",
                "conditional": {"price": {"value": "80", "type": "bid"}},
            },
        }
    )


def test_full_life_sync(server: ServerThread) -> None:
    move_price(server, "USDT_E2ES", "100")
    with client_for(server) as client:
        trade = create_smart_trade.sync(client=client, body=create_body("USDT_E2ES"))
        assert trade.status.type_ == "waiting_targets"
        assert trade.data.entered_amount == Decimal(2)
        trade = add_funds_to_smart_trade.sync(
            trade.id,
            client=client,
            body=AddFundsRequest.from_dict({"order_type": "market", "units": {"value": "1"}}),
        )
        assert trade.data.entered_amount == Decimal(3)
        info = get_reduce_funds_info.sync(trade.id, client=client)
        assert info.max_reduce_funds_amount == Decimal(3)
        trade = reduce_funds_of_smart_trade.sync(
            trade.id,
            client=client,
            body=ReduceFundsRequest.from_dict({"order_type": "market", "units": {"value": "1"}}),
        )
        assert trade.data.closed_amount == Decimal(1)
        trade = set_smart_trade_note.sync(trade.id, client=client, body=SetNoteRequest(note="e2e"))
        assert trade.note == "e2e"
        trade = update_smart_trade.sync(
            trade.id,
            client=client,
            body=SmartTradeUpdateRequest.from_dict(
                {
                    "stop_loss": {
                        "enabled": True,
                        "order_type": "market",
                        "conditional": {"price": {"value": "85", "type": "bid"}},
                    }
                }
            ),
        )
        assert trade.stop_loss.conditional.price.value == Decimal(85)

        move_price(server, "USDT_E2ES", "111")
        trade = get_smart_trade.sync(trade.id, client=client)
        assert [s.status.type_ for s in trade.take_profit.steps] == ["finished", "idle"]
        move_price(server, "USDT_E2ES", "121")
        trade = get_smart_trade.sync(trade.id, client=client)
        assert trade.status.type_ == "finished"
        assert trade.data.closed_amount == Decimal(3)
        # 1 unit reduced at 99.99 (the bid), 1 at 110 (limit), 1 at the 120.9879 bid; entry averaged 100.0033...
        assert trade.profit.volume is not None and trade.profit.volume > 0
        rows = list_smart_trade_trades.sync(trade.id, client=client)
        assert {r.trade_purpose for r in rows} >= {
            "position",
            "add_funds",
            "reduce_funds",
            "take_profit",
        }
        with pytest.raises(BadRequest) as not_now:
            cancel_smart_trade.sync(trade.id, client=client)
        assert not_now.value.error == "Wrong param(s)"


async def test_full_life_async_with_stop_loss_and_trade_actions(server: ServerThread) -> None:
    move_price(server, "USDT_E2EA", "100")
    async with client_for(server, private_key=RSA_KEY) as client:  # RSA signing this time
        trade = await create_smart_trade.asyncio(client=client, body=create_body("USDT_E2EA"))
        rows = await list_smart_trade_trades.asyncio(trade.id, client=client)
        first_step = next(r.id for r in rows if r.trade_purpose == "take_profit")
        trade = await cancel_trade.asyncio(trade.id, first_step, client=client)
        assert trade.take_profit.steps[0].status.type_ == "cancelled"
        move_price(server, "USDT_E2EA", "79")
        trade = await get_smart_trade.asyncio(trade.id, client=client)
        assert trade.status.type_ == "stop_loss_finished"
        assert trade.profit.volume == Decimal("-42.0")
        with pytest.raises(BadRequest):
            await close_trade_by_market.asyncio(trade.id, first_step, client=client)
        listed = await list_smart_trades.asyncio(client=client, pair="USDT_E2EA")
        assert [t.id for t in listed] == [trade.id]


def test_each_class_of_bad_input_gets_its_error(server: ServerThread) -> None:
    with client_for(server) as client:
        body = create_body("USDT_BTC").to_dict()
        body["take_profit"]["steps"][0]["volume"] = "10"
        with pytest.raises(UnprocessableEntity) as volumes:
            create_smart_trade.sync(client=client, body=SmartTradeCreateRequest.from_dict(body))
        assert volumes.value.error_attributes == {
            "take_profit[steps]": ["volumes must add up to 100"]
        }
        body = create_body("USDT_BTC").to_dict()
        del body["take_profit"]["steps"][1]["price"]["value"]
        with pytest.raises(UnprocessableEntity) as either:
            create_smart_trade.sync(client=client, body=SmartTradeCreateRequest.from_dict(body))
        assert set(either.value.field_errors) == {
            "take_profit[steps][1][price][value]",
            "take_profit[steps][1][price][percent]",
        }
        with pytest.raises(NotFound):
            get_smart_trade.sync(987654321, client=client)
        with pytest.raises(Forbidden) as forbidden:
            create_smart_trade.sync(
                client=client, body=create_body("USDT_BTC", account_id=OTHER_ACCOUNT)
            )
        assert forbidden.value.error_description == "Account not owned by current user."
    with (
        client_for(server, secret="not-the-secret") as wrong,
        pytest.raises(Unauthorized) as unauthorized,
    ):
        list_smart_trades.sync(client=wrong)
    assert unauthorized.value.error == "signature_invalid"
    with (
        client_for(server, api_key="unknown-key") as unknown,
        pytest.raises(Unauthorized) as no_key,
    ):
        list_smart_trades.sync(client=unknown)
    assert no_key.value.error == "api_key_invalid_or_expired"


def test_rate_limit_reaches_the_sdk_as_rate_limited() -> None:
    app = create_app(rate_limiter=RateLimiter(limit=2, clock=lambda: 0.0))
    with ServerThread(app) as running, client_for(running) as client:
        list_smart_trades.sync(client=client)
        list_smart_trades.sync(client=client)
        with pytest.raises(RateLimited) as limited:
            list_smart_trades.sync(client=client)
        assert limited.value.status_code == 429 and not limited.value.ip_banned
        with pytest.raises(RateLimited) as banned:
            list_smart_trades.sync(client=client)
        assert banned.value.ip_banned


def test_another_users_trades_are_invisible(server: ServerThread) -> None:
    move_price(server, "USDT_E2EI", "100")
    with (
        client_for(server) as mine,
        client_for(server, api_key=OTHER_KEY, secret=OTHER_SECRET) as theirs,
    ):
        trade = create_smart_trade.sync(client=mine, body=create_body("USDT_E2EI"))
        with pytest.raises(NotFound):
            get_smart_trade.sync(trade.id, client=theirs)
        with pytest.raises(NotFound):
            cancel_smart_trade.sync(trade.id, client=theirs)
        assert get_smart_trade.sync(trade.id, client=mine).status.type_ == "waiting_targets"


def test_concurrent_creates_from_threads_get_distinct_ids(server: ServerThread) -> None:
    ids: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            with client_for(server) as client:
                for _ in range(10):
                    trade = create_smart_trade.sync(client=client, body=create_body("USDT_E2EC"))
                    with lock:
                        ids.append(trade.id)
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(ids) == len(set(ids)) == 80
    with client_for(server) as client:
        stored = list_smart_trades.sync(client=client, pair="USDT_E2EC", per_page=100)
    assert sorted(t.id for t in stored) == sorted(ids)
