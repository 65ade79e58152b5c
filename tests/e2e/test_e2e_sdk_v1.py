"""The generated SDK's deprecated ver1 functions (`threecommas_client.api.smart_trades_v1`) against
the reference server over loopback HTTP, sync: create, list, add funds, step panic sell, update,
cancel, typed errors."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from threecommas_client import SignedClient
from threecommas_client.api.smart_trades_v1 import (
    add_funds_v1,
    cancel_smart_trade_v1,
    create_simple_buy_v1,
    create_smart_sell_v1,
    list_smart_trades_v1,
    panic_sell_v1,
    step_panic_sell_v1,
    update_smart_trade_v1,
)
from threecommas_client.errors import BadRequest, NotFound
from threecommas_client.models import (
    AddFundsV1Request,
    CreateSimpleBuyV1Request,
    CreateSmartSellV1Request,
    SmartTradeV1,
    SmartTradeV1Empty,
    StepPanicSellV1Request,
    TakeProfitStepOrderV1Params,
    UpdateSmartTradeV1Request,
)

from reference_server.app import create_app
from reference_server.testing import ServerThread
from reference_server.threecommas.users import DEMO_API_KEY, DEMO_SECRET, DEMO_SPOT_ACCOUNT_ID
from tests.tls import VERIFY

# The ver1 functions may warn that the operation is deprecated: expected here.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(create_app(rate_limit=False)) as running:
        yield running


@pytest.fixture
def client(server: ServerThread) -> Iterator[SignedClient]:
    signed = SignedClient(
        base_url=server.base_url + "/public/api",
        api_key=DEMO_API_KEY,
        secret=DEMO_SECRET,
        max_retries=0,
    )
    yield signed
    signed.get_httpx_client().close()


def move_price(server: ServerThread, pair: str, last: str) -> None:
    body = {"pair": pair, "last": last, "bid": last, "ask": last}
    response = httpx.post(server.base_url + "/_reference/prices", json=body, verify=VERIFY)
    assert response.status_code == 200, response.text


def test_smart_sale_life_through_the_sdk(server: ServerThread, client: SignedClient) -> None:
    move_price(server, "USDT_SDKV1", "100")
    trade = create_smart_sell_v1.sync(
        client=client,
        body=CreateSmartSellV1Request(
            account_id=DEMO_SPOT_ACCOUNT_ID,
            pair="USDT_SDKV1",
            units_to_buy=Decimal(2),
            average_buy_price=Decimal(100),
            take_profit_enabled=True,
            take_profit_type="step_sell",
            take_profit_step_orders=[
                TakeProfitStepOrderV1Params(percent=Decimal(50), price=Decimal(110)),
                TakeProfitStepOrderV1Params(percent=Decimal(50), price=Decimal(120)),
            ],
            stop_loss_enabled=False,
        ),
    )
    assert isinstance(trade, SmartTradeV1)
    assert trade.status == "bought" and trade.type_ == "SmartTrade::SmartSale"

    empty = add_funds_v1.sync(
        trade.id, client=client, body=AddFundsV1Request(quantity=Decimal(1), is_market=True)
    )
    assert isinstance(empty, SmartTradeV1Empty)
    whole = add_funds_v1.sync(
        trade.id,
        client=client,
        body=AddFundsV1Request(quantity=Decimal(1), is_market=True, response_type="smart_trade"),
    )
    assert isinstance(whole, SmartTradeV1) and len(whole.buy_steps) == 3

    first = whole.take_profit_steps[0].id
    trade = step_panic_sell_v1.sync(
        trade.id, client=client, body=StepPanicSellV1Request(step_id=first)
    )
    assert [s.status for s in trade.take_profit_steps] == ["panic_sold", "idle"]

    trade = update_smart_trade_v1.sync(
        trade.id,
        client=client,
        body=UpdateSmartTradeV1Request(
            take_profit_enabled=False, stop_loss_enabled=False, note="sdk"
        ),
    )
    assert trade.note == "sdk" and trade.take_profit_enabled is False

    listed = list_smart_trades_v1.sync(client=client, scope="active")
    assert trade.id in [t.id for t in listed]

    trade = panic_sell_v1.sync(trade.id, client=client)
    assert trade.status == "panic_sell_finished"
    with pytest.raises(BadRequest):
        cancel_smart_trade_v1.sync(trade.id, client=client)
    with pytest.raises(NotFound):
        cancel_smart_trade_v1.sync(1, client=client)


def test_simple_buy_through_the_sdk(server: ServerThread, client: SignedClient) -> None:
    move_price(server, "USDT_SDKV1B", "100")
    trade = create_simple_buy_v1.sync(
        client=client,
        body=CreateSimpleBuyV1Request(
            account_id=DEMO_SPOT_ACCOUNT_ID,
            pair="USDT_SDKV1B",
            units_to_buy=Decimal("0.5"),
            buy_price=Decimal(99),
        ),
    )
    assert trade.status == "buy_order_placed" and trade.buy_method == "limit"
    move_price(server, "USDT_SDKV1B", "98")
    listed = list_smart_trades_v1.sync(client=client, type_="SmartTrade::SimpleBuy")
    found = next(t for t in listed if t.id == trade.id)
    assert found.status == "simple_trade_finished" and found.average_buy_price == Decimal(99)
