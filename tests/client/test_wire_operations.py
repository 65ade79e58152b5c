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
    ReduceFundsRequest,
    SetNoteRequest,
    SmartTrade,
    SmartTradeCreateRequest,
    SmartTradeUpdateRequest,
)

from .helpers import DOCS_API_KEY, DOCS_SECRET, Recorder, load_spec, verify_signature

CREATE = {"account_id": 1, "pair": "USDT_BTC", "position": {"type": "buy", "order_type": "market", "units": {"value": "0.01"}}}

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


def test_decimal_survives_wire_model_wire() -> None:
    text = "0.107068273092369477911646586345381526"
    req = AddFundsRequest.from_dict({"order_type": "market", "units": {"value": text}})
    assert req.units.value == Decimal(text)
    assert req.to_dict()["units"]["value"] == text


def test_closed_request_object_rejects_misspelled_key() -> None:
    from threecommas_client import WireValueError

    with pytest.raises(WireValueError, match=r"SmartTradeUpdateRequest\.note: unknown field"):
        SmartTradeUpdateRequest.from_dict({"note": "x"})
