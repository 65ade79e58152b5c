"""Every operation of the spec, on the wire: exact method, path, query, body bytes and signature headers."""

from __future__ import annotations

import asyncio
import datetime
import importlib
from decimal import Decimal
from typing import Any

import pytest
from threecommas_client import SignedClient
from threecommas_client.models import (
    AddFundsRequest,
    AddFundsV1Request,
    CancelOrderV1Request,
    CreateSimpleBuyV1Request,
    CreateSimpleSellV1Request,
    CreateSmartCoverV1Request,
    CreateSmartSellV1Request,
    CreateSmartTradeV1Request,
    ReduceFundsRequest,
    SetNoteRequest,
    SmartTrade,
    SmartTradeCreateRequest,
    SmartTradeUpdateRequest,
    SmartTradeV1,
    StepPanicSellV1Request,
    UpdateSmartTradeV1Request,
)

from .helpers import DOCS_API_KEY, DOCS_SECRET, Recorder, load_spec, verify_signature

CREATE = {"account_id": 1, "pair": "USDT_BTC", "position": {"type": "buy", "order_type": "market", "units": {"value": "0.01"}}}

V1_SIMPLE = {"account_id": 1, "pair": "BTC_ETH", "units_to_buy": "1.0525", "buy_price": "0.05", "buy_method": "limit"}
V1_SIMPLE_BYTES = b'{"account_id":1,"pair":"BTC_ETH","units_to_buy":"1.0525","buy_price":"0.05","buy_method":"limit"}'
V1_TRADE_BODY = {
    "account_id": 1, "pair": "BTC_ETH", "units_to_buy": "1", "buy_price": "0.05", "take_profit_enabled": True,
    "take_profit_type": "step_sell", "stop_loss_enabled": False,
    "take_profit_step_orders": [{"percent": "50", "price": "0.06", "price_method": "bid"}, {"percent": "50", "price_percentage": "20"}],
}
V1_TRADE_BYTES = (
    b'{"account_id":1,"pair":"BTC_ETH","units_to_buy":"1","buy_price":"0.05","take_profit_enabled":true,'
    b'"stop_loss_enabled":false,"take_profit_type":"step_sell","take_profit_step_orders":[{"percent":"50",'
    b'"price":"0.06","price_method":"bid"},{"percent":"50","price_percentage":"20"}]}'
)
# A ver1 SmartTrade as seed 002's entity listing shows it (abridged), for the ver1 answers.
V1_ANSWER = {
    "id": 1, "account_id": 68, "status": "bought", "type": "SmartTrade::Classic", "created_at": "2018-08-08 08:08:08",
    "closed_at": None, "units_to_buy": "1.0525", "trailing_stop_loss_condition_percentage": 2,
    "take_profit_steps": [{"id": 1, "smart_trade_id": 1, "type": "SmartTradeStep::TakeProfitStep", "status": "enqueued",
                           "created_at": "2018-09-09 09:09:09", "percent": "25.6"}],
}

# operationId -> (tag, positional args, keyword args, method, raw target, body bytes or None)
CASES: dict[str, tuple[str, tuple[Any, ...], dict[str, Any], str, bytes, bytes | None]] = {
    "list_smart_trades": (
        "smart_trades", (),
        {"page": 2, "per_page": 100, "from_": datetime.datetime(2024, 8, 12, 14, 35, 21, 632000, tzinfo=datetime.UTC)},
        "GET", b"/public/api/v2/smart_trades?page=2&per_page=100&from=2024-08-12T14%3A35%3A21.632Z", None,
    ),
    "create_smart_trade": (
        "smart_trades", (), {"body": SmartTradeCreateRequest.from_dict(CREATE)}, "POST", b"/public/api/v2/smart_trades",
        b'{"account_id":1,"pair":"USDT_BTC","position":{"type":"buy","order_type":"market","units":{"value":"0.01"}}}',
    ),
    "get_smart_trade": ("smart_trades", (30404547,), {}, "GET", b"/public/api/v2/smart_trades/30404547", None),
    "update_smart_trade": (
        "smart_trades", (7,), {"body": SmartTradeUpdateRequest.from_dict({"position": {"units": {"value": "0.01"}}})},
        "PATCH", b"/public/api/v2/smart_trades/7", b'{"position":{"units":{"value":"0.01"}}}',
    ),
    "cancel_smart_trade": ("smart_trades", (7,), {}, "DELETE", b"/public/api/v2/smart_trades/7", None),
    "add_funds_to_smart_trade": (
        "smart_trades", (7,),
        {"body": AddFundsRequest.from_dict({"order_type": "market", "units": {"value": "0.107068273092369477911646586345381526"}})},
        "POST", b"/public/api/v2/smart_trades/7/add_funds",
        b'{"order_type":"market","units":{"value":"0.107068273092369477911646586345381526"}}',
    ),
    "get_reduce_funds_info": ("smart_trades", (7,), {}, "GET", b"/public/api/v2/smart_trades/7/reduce_funds_info", None),
    "reduce_funds_of_smart_trade": (
        "smart_trades", (7,), {"body": ReduceFundsRequest.from_dict({"order_type": "market", "units": {"value": "100.0"}})},
        "POST", b"/public/api/v2/smart_trades/7/reduce_funds", b'{"order_type":"market","units":{"value":"100.0"}}',
    ),
    "close_smart_trade_by_market": ("smart_trades", (7,), {}, "POST", b"/public/api/v2/smart_trades/7/close_by_market", None),
    "force_start_smart_trade": ("smart_trades", (7,), {}, "POST", b"/public/api/v2/smart_trades/7/force_start", None),
    "force_process_smart_trade": ("smart_trades", (7,), {}, "POST", b"/public/api/v2/smart_trades/7/force_process", None),
    "set_smart_trade_note": (
        "smart_trades", (7,), {"body": SetNoteRequest(note="n\u00f6te \"q\"")}, "POST",
        b"/public/api/v2/smart_trades/7/set_note", '{"note":"n\u00f6te \\"q\\""}'.encode(),
    ),
    "list_smart_trade_trades": ("smart_trade_trades", (7,), {}, "GET", b"/public/api/v2/smart_trades/7/trades", None),
    "close_trade_by_market": (
        "smart_trade_trades", (7, 9), {}, "POST", b"/public/api/v2/smart_trades/7/trades/9/close_by_market", None,
    ),
    "cancel_trade": ("smart_trade_trades", (7, 9), {}, "DELETE", b"/public/api/v2/smart_trades/7/trades/9", None),
    # ver1 (deprecated), flat bodies
    "create_simple_buy_v1": (
        "smart_trades_v1", (), {"body": CreateSimpleBuyV1Request.from_dict(V1_SIMPLE)}, "POST",
        b"/public/api/ver1/smart_trades/create_simple_buy", V1_SIMPLE_BYTES,
    ),
    "create_simple_sell_v1": (
        "smart_trades_v1", (), {"body": CreateSimpleSellV1Request.from_dict(V1_SIMPLE)}, "POST",
        b"/public/api/ver1/smart_trades/create_simple_sell", V1_SIMPLE_BYTES,
    ),
    "create_smart_sell_v1": (
        "smart_trades_v1", (),
        {"body": CreateSmartSellV1Request.from_dict({"account_id": 1, "pair": "BTC_ETH", "units_to_buy": "1", "average_buy_price": "0.05", "take_profit_enabled": False, "stop_loss_enabled": False})},
        "POST", b"/public/api/ver1/smart_trades/create_smart_sell",
        b'{"account_id":1,"pair":"BTC_ETH","units_to_buy":"1","average_buy_price":"0.05","take_profit_enabled":false,"stop_loss_enabled":false}',
    ),
    "create_smart_cover_v1": (
        "smart_trades_v1", (), {"body": CreateSmartCoverV1Request.from_dict(V1_TRADE_BODY)}, "POST",
        b"/public/api/ver1/smart_trades/create_smart_cover", V1_TRADE_BYTES,
    ),
    "create_smart_trade_v1": (
        "smart_trades_v1", (), {"body": CreateSmartTradeV1Request.from_dict(V1_TRADE_BODY)}, "POST",
        b"/public/api/ver1/smart_trades/create_smart_trade", V1_TRADE_BYTES,
    ),
    "list_smart_trades_v1": (
        "smart_trades_v1", (), {"limit": 40, "offset": 80, "scope": "active"}, "GET",
        b"/public/api/ver1/smart_trades?limit=40&offset=80&scope=active", None,
    ),
    "cancel_order_v1": (
        "smart_trades_v1", (7,), {"body": CancelOrderV1Request.from_dict({"step_id": "128"})}, "POST",
        b"/public/api/ver1/smart_trades/7/cancel_order", b'{"step_id":128}',  # ids go out as integers
    ),
    "add_funds_v1": (
        "smart_trades_v1", (7,), {"body": AddFundsV1Request.from_dict({"quantity": "0.5", "is_market": False, "rate": "0.049"})},
        "POST", b"/public/api/ver1/smart_trades/7/add_funds", b'{"quantity":"0.5","is_market":false,"rate":"0.049"}',
    ),
    "step_panic_sell_v1": (
        "smart_trades_v1", (7,), {"body": StepPanicSellV1Request.from_dict({"step_id": 128})}, "POST",
        b"/public/api/ver1/smart_trades/7/step_panic_sell", b'{"step_id":128}',
    ),
    "update_smart_trade_v1": (
        "smart_trades_v1", (7,),
        {"body": UpdateSmartTradeV1Request.from_dict({"take_profit_enabled": "false", "stop_loss_enabled": True, "stop_loss_price_condition": "0.04"})},
        "PATCH", b"/public/api/ver1/smart_trades/7/update",
        # booleans go out canonical, whichever spelling the request model was given
        b'{"take_profit_enabled":false,"stop_loss_enabled":true,"stop_loss_price_condition":"0.04"}',
    ),
    "cancel_smart_trade_v1": ("smart_trades_v1", (7,), {}, "POST", b"/public/api/ver1/smart_trades/7/cancel", None),
    "panic_sell_v1": ("smart_trades_v1", (7,), {}, "POST", b"/public/api/ver1/smart_trades/7/panic_sell", None),
    "force_process_v1": ("smart_trades_v1", (7,), {}, "POST", b"/public/api/ver1/smart_trades/7/force_process", None),
}


def _spec_operation_ids() -> set[str]:
    spec = load_spec()
    return {op["operationId"] for item in spec["paths"].values() for op in item.values() if isinstance(op, dict) and "operationId" in op}


def test_cases_cover_every_operation_of_the_spec() -> None:
    assert set(CASES) == _spec_operation_ids()


@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_operation_on_the_wire(operation_id: str) -> None:
    tag, args, kwargs, method, target, body = CASES[operation_id]
    module = importlib.import_module(f"threecommas_client.api.{tag}.{operation_id}")
    for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
        assert callable(getattr(module, name))
    recorder = Recorder()
    if tag == "smart_trades_v1":
        answer = [V1_ANSWER] if method == "GET" else {} if operation_id == "add_funds_v1" else V1_ANSWER
        recorder = Recorder([(200 if method in ("GET", "PATCH") else 201, answer)] * 4)
    client = SignedClient(api_key=DOCS_API_KEY, secret=DOCS_SECRET, transport=recorder.transport)
    result = module.sync(*args, client=client, **kwargs)
    detailed = module.sync_detailed(*args, client=client, **kwargs)
    asyncio.run(module.asyncio(*args, client=client, **kwargs))
    asyncio.run(module.asyncio_detailed(*args, client=client, **kwargs))
    assert len(recorder.requests) == 4
    for request in recorder.requests:
        assert request.method == method
        assert request.url.raw_path == target
        assert request.url.host == "api.3commas.io"
        if body is None:
            assert request.content == b""
            assert "content-type" not in request.headers
        else:
            assert request.content == body
            assert request.headers["content-type"] == "application/json"
        assert request.headers["APIKEY"] == DOCS_API_KEY
        verify_signature(request, secret=DOCS_SECRET)
    assert detailed.parsed == result
    assert detailed.status_code in (200, 201)
    if isinstance(result, SmartTrade):
        assert result.id == 30404547
    if isinstance(result, SmartTradeV1):
        assert result.id == 1 and result.units_to_buy == Decimal("1.0525")


def test_decimal_survives_wire_model_wire() -> None:
    text = "0.107068273092369477911646586345381526"
    req = AddFundsRequest.from_dict({"order_type": "market", "units": {"value": text}})
    assert req.units.value == Decimal(text)
    assert req.to_dict()["units"]["value"] == text


def test_closed_request_object_rejects_misspelled_key() -> None:
    from threecommas_client import WireValueError

    with pytest.raises(WireValueError, match=r"SmartTradeUpdateRequest\.note: unknown field"):
        SmartTradeUpdateRequest.from_dict({"note": "x"})
