"""poloniex_client: signing vectors, every operation on the wire (verified by an HMAC computed here), `{code,
message}` errors, GET-only retries, exact decimals, and secrets that never show."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import importlib
import json
import logging
import pickle
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, quote

import httpx
import poloniex_client as pc
import pytest
from poloniex_client._retry import RetryPolicy
from poloniex_client.api.smart_orders import (
    cancel_smart_order,
    create_smart_order,
    get_smart_order,
    list_smart_order_history,
    list_smart_orders,
)
from poloniex_client.models import (
    CancelAllSmartOrdersRequest,
    CancelSmartOrdersByIdsRequest,
    SmartOrder,
    SmartOrderCreateRequest,
    SmartOrderReplaceRequest,
)

from spec_tools.load import load_yaml

from .helpers import REPO_ROOT, no_sleep

SPEC_PATH = REPO_ROOT / "openapi" / "poloniex.yaml"
SECRET = "poloniex-api-secret"
API_KEY = "poloniex-test-api-key-0123456789"
NOW = 1674197467415


def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = load_yaml(SPEC_PATH)
    return spec


def _clock() -> int:
    return NOW


def _example(name: str) -> Any:
    return _spec()["components"]["examples"][name]["value"]


# --- an independent verifier: the rules of api-facts.md, written here without the SDK --------------------------


def expected_payload(request: httpx.Request) -> bytes:
    raw_path, _, raw_query = request.url.raw_path.partition(b"?")
    stamp = request.headers["signTimestamp"]
    if request.content:
        params = b"requestBody=" + request.content + b"&signTimestamp=" + stamp.encode()
    else:
        pairs = parse_qsl(raw_query.decode(), keep_blank_values=True) + [("signTimestamp", stamp)]
        pairs.sort(key=lambda kv: kv[0])
        params = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs).encode()
    return request.method.encode() + b"\n" + raw_path + b"\n" + params


def verify(request: httpx.Request, secret: str = SECRET) -> None:
    want = base64.b64encode(hmac.new(secret.encode(), expected_payload(request), hashlib.sha256).digest()).decode()
    assert request.headers["signature"] == want, expected_payload(request)
    assert request.headers["key"] == API_KEY
    assert request.headers["content-type"] == "application/json"


SMART_ORDER = {
    "id": "999991586827571200", "clientOrderId": "", "symbol": "ETH_USDT", "state": "PENDING_NEW",
    "accountType": "SPOT", "side": "BUY", "type": "STOP_LIMIT", "timeInForce": "GTC", "quantity": "0.036",
    "price": "1", "amount": "0.00", "stopPrice": "3750.00", "createTime": 1630832295888, "updateTime": 1630832295888,
}
CANCEL_RESULT = {"orderId": "9876543", "clientOrderId": "88888", "state": "CANCELED", "code": 200, "message": ""}
REF = {"id": "10000009", "clientOrderId": "999999910"}


class Recorder:
    """Records each request; answers from a queue, else with the operation's documented shape."""

    def __init__(self, answers: list[tuple[int, Any]] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answers = list(answers or [])
        self.transport = httpx.MockTransport(self._handle)

    def _default(self, request: httpx.Request) -> Any:
        path, method = request.url.path, request.method
        if method in ("POST", "PUT"):
            return REF
        if method == "DELETE":
            return CANCEL_RESULT if path.count("/") == 2 and not path.endswith("cancelByIds") else [CANCEL_RESULT]
        return [SMART_ORDER]

    def _handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        status, body = self.answers.pop(0) if self.answers else (200, self._default(request))
        if isinstance(body, bytes):
            return httpx.Response(status, content=body)
        if isinstance(body, str):
            return httpx.Response(status, content=body.encode(), headers={"content-type": "text/plain"})
        return httpx.Response(status, json=body)


def _client(recorder: Recorder, **kwargs: Any) -> pc.SignedClient:
    kwargs.setdefault("retry_policy", RetryPolicy(max_retries=2, backoff=0.0, sleep=no_sleep))
    return pc.SignedClient(api_key=API_KEY, secret=SECRET, clock=_clock, transport=recorder.transport, **kwargs)


# --- signing vectors ---------------------------------------------------------------------------------------------


def test_api_facts_vector() -> None:
    payload = 'DELETE\n/some/path\nrequestBody={"a":1,"b":["2",null]}&signTimestamp=1674197467415'
    assert pc.sign_hmac(SECRET, payload) == "rCahSwbMNIzxQRUSqzxdMvYP9CDWfRUDNIFDVABxHQQ="
    assert pc.signing_payload("delete", "/some/path", 1674197467415, body=b'{"a":1,"b":["2",null]}') == payload.encode()
    assert pc.sign_request(SECRET, "DELETE", "/some/path", 1674197467415, body=b'{"a":1,"b":["2",null]}') == (
        "rCahSwbMNIzxQRUSqzxdMvYP9CDWfRUDNIFDVABxHQQ="
    )


def _spec_vectors() -> list[dict[str, str]]:
    vectors: list[dict[str, str]] = _spec()["components"]["securitySchemes"]["Signature"]["x-signing"]["vectors"]
    return vectors


@pytest.mark.parametrize("vector", _spec_vectors(), ids=lambda v: v["origin"])
def test_spec_x_signing_vectors(vector: dict[str, str]) -> None:
    assert pc.sign_hmac(vector["secret"], vector["payload"]) == vector["signature"]


def test_documented_get_form() -> None:
    """`GET\\n/orders\\nlimit=5&signTimestamp=1659259836247&symbol=ETH_USDT`: sorted, signTimestamp among them."""
    payload = pc.signing_payload("GET", "/orders", 1659259836247, query=[("symbol", "ETH_USDT"), ("limit", "5")])
    assert payload == b"GET\n/orders\nlimit=5&signTimestamp=1659259836247&symbol=ETH_USDT"
    spaced = pc.signing_payload("GET", "/x", 1, query=[("a", "b c"), ("types", "STOP,STOP_LIMIT")])
    assert spaced == b"GET\n/x\na=b%20c&signTimestamp=1&types=STOP%2CSTOP_LIMIT"


def test_cid_path_is_sent_and_signed_as_is() -> None:
    """The spec's cid vector, from a real call: `cid:` is neither escaped on the wire nor in the signature."""
    vector = next(v for v in _spec_vectors() if "cid:" in v["payload"])
    recorder = Recorder()
    client = pc.SignedClient(api_key=API_KEY, secret=SECRET, clock=lambda: 1659259836247, transport=recorder.transport)
    cancel_smart_order.sync("cid:myId-1", client=client)
    request = recorder.requests[-1]
    assert request.url.raw_path == b"/smartorders/cid:myId-1"
    assert request.headers["signature"] == vector["signature"]
    verify(request)


def test_query_with_space_signs_percent_20() -> None:
    recorder = Recorder()
    list_smart_order_history.sync(client=_client(recorder), symbol="A B", hide_cancel=True, limit=5)
    request = recorder.requests[-1]
    verify(request)
    params = expected_payload(request).split(b"\n")[2]
    assert params == b"hideCancel=true&limit=5&signTimestamp=1674197467415&symbol=A%20B"


def test_recv_window_client_wide_and_per_call() -> None:
    recorder = Recorder()
    client = _client(recorder, recv_window=5000)
    get_smart_order.sync("1", client=client)
    assert recorder.requests[-1].headers["recvWindow"] == "5000"
    get_smart_order.sync("1", client=client, recv_window=100)
    assert recorder.requests[-1].headers["recvWindow"] == "100"
    get_smart_order.sync("1", client=_client(recorder))
    assert "recvWindow" not in recorder.requests[-1].headers
    for request in recorder.requests:
        verify(request)  # recvWindow is not signed
    with pytest.raises(ValueError, match="recv_window"):
        _client(recorder, recv_window=0)


def test_timestamp_comes_from_the_clock() -> None:
    recorder = Recorder()
    ticks = iter([1000, 2000])
    client = pc.SignedClient(api_key=API_KEY, secret=SECRET, clock=lambda: next(ticks), transport=recorder.transport)
    list_smart_orders.sync(client=client)
    list_smart_orders.sync(client=client)
    assert [r.headers["signTimestamp"] for r in recorder.requests] == ["1000", "2000"]


# --- every operation on the wire -----------------------------------------------------------------------------------

CREATE = {"symbol": "BTC_USDT", "side": "BUY", "type": "STOP_LIMIT", "price": "60100.00", "stopPrice": "60000.00",
          "quantity": "100", "timeInForce": "FOK", "clientOrderId": "999999910"}

# operationId -> (positional args, keyword args, method, raw target, body bytes or None)
CASES: dict[str, tuple[tuple[Any, ...], dict[str, Any], str, bytes, bytes | None]] = {
    "create_smart_order": (
        (), {"body": SmartOrderCreateRequest.from_dict(CREATE)}, "POST", b"/smartorders",
        (
            b'{"symbol":"BTC_USDT","side":"BUY","type":"STOP_LIMIT","timeInForce":"FOK","price":"60100.00",'
            b'"stopPrice":"60000.00","quantity":"100","clientOrderId":"999999910"}'
        ),
    ),
    "list_smart_orders": (
        (), {"limit": 5, "types": "TRAILING_STOP,STOP"}, "GET", b"/smartorders?limit=5&types=TRAILING_STOP%2CSTOP", None,
    ),
    "cancel_all_smart_orders": (
        (), {"body": CancelAllSmartOrdersRequest.from_dict({"symbols": ["BTC_USDT", "ETH_USDT"], "accountTypes": ["SPOT"]})},
        "DELETE", b"/smartorders", b'{"symbols":["BTC_USDT","ETH_USDT"],"accountTypes":["SPOT"]}',
    ),
    "list_smart_order_history": (
        (), {"symbol": "BTC_USDT", "from_": 14368195657859072, "direction": "NEXT", "states": "CANCELED,FAILED"},
        "GET", b"/smartorders/history?symbol=BTC_USDT&from=14368195657859072&direction=NEXT&states=CANCELED%2CFAILED",
        None,
    ),
    "cancel_smart_orders_by_ids": (
        (), {"body": CancelSmartOrdersByIdsRequest.from_dict({"orderIds": ["9876543"], "clientOrderIds": ["myId-2"]})},
        "DELETE", b"/smartorders/cancelByIds", b'{"orderIds":["9876543"],"clientOrderIds":["myId-2"]}',
    ),
    "get_smart_order": (("cid:myId-1",), {}, "GET", b"/smartorders/cid:myId-1", None),
    "replace_smart_order": (
        ("14368195657859072",), {"body": SmartOrderReplaceRequest.from_dict({"stopPrice": "18000", "proceedOnFailure": True})},
        "PUT", b"/smartorders/14368195657859072", b'{"stopPrice":"18000","proceedOnFailure":true}',
    ),
    "cancel_smart_order": (("14368195657859072",), {}, "DELETE", b"/smartorders/14368195657859072", None),
}


def test_cases_cover_every_operation_of_the_spec() -> None:
    ids = {op["operationId"] for item in _spec()["paths"].values() for op in item.values()
           if isinstance(op, dict) and "operationId" in op}
    assert set(CASES) == ids


def _with_enum(kwargs: dict[str, Any]) -> dict[str, Any]:
    from poloniex_client.models import ListSmartOrderHistoryDirection

    return {k: ListSmartOrderHistoryDirection(v) if k == "direction" else v for k, v in kwargs.items()}


@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_operation_on_the_wire(operation_id: str) -> None:
    args, kwargs, method, target, body = CASES[operation_id]
    kwargs = _with_enum(kwargs)
    module = importlib.import_module(f"poloniex_client.api.smart_orders.{operation_id}")
    recorder = Recorder()
    client = _client(recorder)
    result = module.sync(*args, client=client, **kwargs)
    detailed = module.sync_detailed(*args, client=client, **kwargs)
    asyncio.run(module.asyncio(*args, client=client, **kwargs))
    asyncio.run(module.asyncio_detailed(*args, client=client, **kwargs))
    assert len(recorder.requests) == 4
    for request in recorder.requests:
        assert request.method == method
        assert request.url.raw_path == target
        assert request.url.host == "api.poloniex.com"
        assert request.content == (body or b"")
        if body is not None:
            json.loads(body)
        assert request.headers["signTimestamp"] == str(NOW)
        assert "signatureMethod" not in request.headers and "recvWindow" not in request.headers
        verify(request)
    assert detailed.parsed == result


def test_get_by_id_answers_a_one_element_array() -> None:
    recorder = Recorder([(200, _example("TriggeredSmartOrders"))])
    [order] = get_smart_order.sync("14368195657859072", client=_client(recorder))
    assert isinstance(order, SmartOrder)
    assert order.triggered_order is not None
    assert order.triggered_order.filled_amount == Decimal("9.999774555")
    assert str(order.triggered_order.filled_quantity) == "0.00025005"


def test_decimals_are_exact_both_ways() -> None:
    digits = "60000.000000000000000000000000000001"
    body = SmartOrderCreateRequest.from_dict({"symbol": "BTC_USDT", "side": "sell", "stopPrice": 25000, "quantity": digits})
    assert body.quantity == Decimal(digits)
    recorder = Recorder()
    create_smart_order.sync(client=_client(recorder), body=body)
    sent = recorder.requests[-1].content
    assert b'"quantity":"60000.000000000000000000000000000001"' in sent
    assert b'"stopPrice":"25000"' in sent
    recorder = Recorder([(200, [{**SMART_ORDER, "price": "0.1000000000000000000000000001"}])])
    [order] = list_smart_orders.sync(client=_client(recorder))
    assert order.price == Decimal("0.1000000000000000000000000001")
    assert order.to_dict()["price"] == "0.1000000000000000000000000001"


def test_unknown_fields_and_values_are_kept() -> None:
    recorder = Recorder([(200, [{**SMART_ORDER, "state": "SOMETHING_NEW", "newKey": {"x": 1}}])])
    [order] = list_smart_orders.sync(client=_client(recorder))
    assert order.state == "SOMETHING_NEW"
    assert order.to_dict()["newKey"] == {"x": 1}


def test_closed_request_rejects_misspelled_key() -> None:
    with pytest.raises(pc.WireValueError, match="unknown field"):
        CancelSmartOrdersByIdsRequest.from_dict({"orderId": ["1"]})


# --- errors --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, pc.BadRequest), (401, pc.Unauthorized), (403, pc.Forbidden), (404, pc.NotFound),
        (408, pc.RequestTimeout), (429, pc.RateLimited), (500, pc.ServerError), (503, pc.ServerError),
        (520, pc.ServerError), (409, pc.UnexpectedStatus),
    ],
)
def test_status_maps_to_exception_with_code_and_message(status: int, cls: type[pc.ApiError]) -> None:
    body = {"code": 21301, "message": "Couldn't locate smart order"}
    recorder = Recorder([(status, body)] * 3)
    with pytest.raises(cls) as info:
        cancel_smart_order.sync("1", client=_client(recorder))
    exc = info.value
    assert isinstance(exc, pc.ApiError) and isinstance(exc, pc.PoloniexError)
    assert (exc.status_code, exc.code, exc.message) == (status, 21301, "Couldn't locate smart order")
    assert exc.body == json.dumps(body).encode() or json.loads(exc.body) == body
    assert (exc.method, exc.path) == ("DELETE", "/smartorders/1")
    assert "21301" in str(exc) and "Couldn't locate smart order" in str(exc)


def test_unknown_codes_are_kept_and_odd_bodies_survive() -> None:
    for body, code, message in [
        ({"code": 99999, "message": "new"}, 99999, "new"),
        ({"code": "25001", "message": "as text"}, 25001, "as text"),
        ({"code": True, "message": None}, None, "Bad Request"),
        # `²` is a digit to str.isdigit() but no int() can read it (it raised ValueError).
        ({"code": "²", "message": "odd digits"}, None, "odd digits"),
        ("Too many requests", None, "Too many requests"),
        (b"\xff\xfe not utf-8", None, "\ufffd\ufffd not utf-8"),
        (b"[" * 100000, None, "[" * 1000),
    ]:
        recorder = Recorder([(400, body)])
        with pytest.raises(pc.BadRequest) as info:
            create_smart_order.sync(client=_client(recorder), body=SmartOrderCreateRequest.from_dict(CREATE))
        assert (info.value.code, info.value.message) == (code, message)


# --- retries -------------------------------------------------------------------------------------------------------


def test_get_is_retried_then_succeeds() -> None:
    recorder = Recorder([(503, {"code": 1, "message": "busy"}), (502, b"bad gateway")])
    assert len(list_smart_orders.sync(client=_client(recorder))) == 1
    assert len(recorder.requests) == 3


def test_get_retries_are_bounded() -> None:
    recorder = Recorder([(503, b"")] * 10)
    with pytest.raises(pc.ServerError):
        get_smart_order.sync("1", client=_client(recorder))
    assert len(recorder.requests) == 3


@pytest.mark.parametrize("operation_id", [o for o in sorted(CASES) if CASES[o][2] != "GET"])
def test_writes_are_sent_once(operation_id: str) -> None:
    args, kwargs, *_ = CASES[operation_id]
    module = importlib.import_module(f"poloniex_client.api.smart_orders.{operation_id}")
    recorder = Recorder([(503, b"")] * 5)
    with pytest.raises(pc.ServerError):
        module.sync(*args, client=_client(recorder), **kwargs)
    assert len(recorder.requests) == 1

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ReadTimeout("slow", request=request)

    calls: list[httpx.Request] = []
    client = pc.SignedClient(api_key=API_KEY, secret=SECRET, transport=httpx.MockTransport(refuse),
                             retry_policy=RetryPolicy(sleep=no_sleep))
    with pytest.raises(pc.ApiTimeoutError):
        module.sync(*args, client=client, **kwargs)
    assert len(calls) == 1


def test_rate_limited_is_not_retried() -> None:
    recorder = Recorder([(429, "Too Many Requests")] * 3)
    with pytest.raises(pc.RateLimited):
        list_smart_orders.sync(client=_client(recorder))
    assert len(recorder.requests) == 1


def test_transport_failures_are_package_exceptions() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = pc.SignedClient(api_key=API_KEY, secret=SECRET, transport=httpx.MockTransport(refuse),
                             retry_policy=RetryPolicy(sleep=no_sleep))
    with pytest.raises(pc.ApiConnectionError) as info:
        list_smart_orders.sync(client=client)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    recorder = Recorder([(200, b"not json")])
    with pytest.raises(pc.WireValueError, match="^list_smart_orders: response body is not valid JSON"):
        list_smart_orders.sync(client=_client(recorder))


# --- secrets -------------------------------------------------------------------------------------------------------


def test_secrets_never_leak(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    recorder = Recorder([(401, {"code": 401, "message": "bad signature"})] + [(500, "oops")] * 3)
    client = _client(recorder)
    texts = [repr(client), str(client), repr(client._signing), repr(client._signing.signer), str(vars(client))]
    for _ in range(2):
        with pytest.raises(pc.ApiError) as info:
            get_smart_order.sync("1", client=client)
        texts += [str(info.value), repr(info.value), repr(info.value.args), repr(vars(info.value))]
    with pytest.raises(TypeError):
        pickle.dumps(client)
    with pytest.raises(TypeError):
        pickle.dumps(client._signing.signer)
    texts += [record.getMessage() for record in caplog.records] + [caplog.text]
    for text in texts:
        assert SECRET not in text and API_KEY not in text, text


def test_bad_credentials_are_refused() -> None:
    with pytest.raises(ValueError, match="api_key"):
        pc.SignedClient(api_key="", secret=SECRET)
    with pytest.raises(ValueError, match="secret"):
        pc.SignedClient(api_key=API_KEY, secret="")


def test_readme_quickstart_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The generated README's first example, against a recording transport."""
    readme = (REPO_ROOT / "generated_client" / "poloniex_client" / "README.md").read_text(encoding="utf-8")
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    recorder = Recorder()
    real = pc.SignedClient

    def recording(**kwargs: Any) -> pc.SignedClient:
        return real(transport=recorder.transport, **kwargs)

    monkeypatch.setattr(pc, "SignedClient", recording)
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own generated README
    assert [(r.method, r.url.raw_path) for r in recorder.requests] == [
        ("POST", b"/smartorders"), ("GET", b"/smartorders/10000009"), ("DELETE", b"/smartorders/cid:myId-1"),
    ]
    assert all(r.headers["recvWindow"] == "5000" for r in recorder.requests)
    assert "PENDING_NEW Decimal('3750.00')" in capsys.readouterr().out
