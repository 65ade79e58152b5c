"""Each error status maps to its exception; GET-only retries; secrets never leak."""

from __future__ import annotations

import asyncio
import datetime
import logging
import pickle

import httpx
import pytest
import threecommas_client as tc
from threecommas_client._retry import RetryPolicy
from threecommas_client.api.smart_trades import (
    cancel_smart_trade,
    create_smart_trade,
    get_smart_trade,
    update_smart_trade,
)
from threecommas_client.models import SmartTradeCreateRequest, SmartTradeUpdateRequest

from .helpers import DOCS_API_KEY, DOCS_SECRET, RSA_KEY_PEM, Recorder, no_sleep

CREATE = SmartTradeCreateRequest.from_dict(
    {"account_id": 1, "pair": "USDT_BTC", "position": {"type": "buy", "order_type": "market", "units": {"value": "1"}}}
)


def _client(recorder: Recorder, **kwargs: object) -> tc.SignedClient:
    policy = RetryPolicy(max_retries=2, backoff=0.01, sleep=no_sleep)
    return tc.SignedClient(
        api_key=DOCS_API_KEY, secret=DOCS_SECRET, transport=recorder.transport, retry_policy=policy, **kwargs  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, tc.BadRequest), (401, tc.Unauthorized), (403, tc.Forbidden), (404, tc.NotFound),
        (422, tc.UnprocessableEntity), (429, tc.RateLimited), (418, tc.RateLimited), (500, tc.ServerError),
        (503, tc.ServerError), (520, tc.ServerError), (409, tc.UnexpectedStatus),
    ],
)
def test_status_maps_to_exception(status: int, cls: type[tc.ApiError]) -> None:
    body = {"error": "some_code", "error_description": "Some text"}
    recorder = Recorder([(status, body)] * 3)
    with pytest.raises(cls) as info:
        cancel_smart_trade.sync(1, client=_client(recorder))
    exc = info.value
    assert exc.status_code == status
    assert exc.error == "some_code"
    assert exc.error_description == "Some text"
    assert exc.body == httpx.Response(200, json=body).content
    assert isinstance(exc, tc.ApiError)


def test_unprocessable_carries_error_attributes() -> None:
    body = {
        "error": "record_invalid",
        "error_description": "Invalid parameters",
        "error_attributes": {
            "take_profit[steps][0][price][type]": ["is missing"],
            "take_profit[steps][0][price][value],take_profit[steps][0][price][percent]": ["one of them is required"],
        },
    }
    recorder = Recorder([(422, body)])
    with pytest.raises(tc.UnprocessableEntity) as info:
        create_smart_trade.sync(client=_client(recorder), body=CREATE)
    exc = info.value
    assert exc.error_attributes == body["error_attributes"]
    assert exc.field_errors["take_profit[steps][0][price][percent]"] == ["one of them is required"]
    assert "take_profit[steps][0][price][type]: is missing" in str(exc)


def test_plain_text_429_with_block_window() -> None:
    recorder = Recorder([(429, "Too Many Requests")])
    with pytest.raises(tc.RateLimited) as info:
        get_smart_trade.sync(1, client=_client(recorder))
    assert info.value.error == "Too Many Requests"
    assert info.value.blocked_for == datetime.timedelta(seconds=300)
    assert not info.value.ip_banned
    assert len(recorder.requests) == 1  # 429 is never retried: going on earns an IP ban


def test_418_is_ip_ban() -> None:
    recorder = Recorder([(418, b"")])
    with pytest.raises(tc.RateLimited) as info:
        get_smart_trade.sync(1, client=_client(recorder))
    assert info.value.ip_banned and info.value.blocked_for >= datetime.timedelta(minutes=2)


def test_get_retries_5xx_then_succeeds() -> None:
    recorder = Recorder([(503, {"error": "busy"}), (502, b"bad gateway")])
    trade = get_smart_trade.sync(1, client=_client(recorder))
    assert trade.id == 30404547
    assert len(recorder.requests) == 3


def test_get_retries_are_bounded() -> None:
    recorder = Recorder([(503, {"error": "busy"})] * 10)
    with pytest.raises(tc.ServerError):
        get_smart_trade.sync(1, client=_client(recorder))
    assert len(recorder.requests) == 3  # first try + max_retries


@pytest.mark.parametrize("call", ["post", "patch", "delete"])
def test_unsafe_methods_are_sent_once(call: str) -> None:
    recorder = Recorder([(503, {"error": "busy"})] * 5)
    client = _client(recorder)
    with pytest.raises(tc.ServerError):
        if call == "post":
            create_smart_trade.sync(client=client, body=CREATE)
        elif call == "patch":
            update_smart_trade.sync(1, client=client, body=SmartTradeUpdateRequest.from_dict({"position": {"units": {"value": 1}}}))
        else:
            cancel_smart_trade.sync(1, client=client)
    assert len(recorder.requests) == 1


def test_async_post_503_sent_once_and_get_retried() -> None:
    recorder = Recorder([(503, {"error": "busy"}), (503, {"error": "busy"})])
    client = tc.SignedClient(
        api_key="k", secret="s", transport=recorder.transport,
        retry_policy=RetryPolicy(max_retries=2, backoff=0.0, async_sleep=lambda _: asyncio.sleep(0)),
    )
    with pytest.raises(tc.ServerError):
        asyncio.run(create_smart_trade.asyncio(client=client, body=CREATE))
    assert len(recorder.requests) == 1
    client2 = tc.SignedClient(
        api_key="k", secret="s", transport=recorder.transport,
        retry_policy=RetryPolicy(max_retries=2, backoff=0.0, async_sleep=lambda _: asyncio.sleep(0)),
    )
    assert asyncio.run(get_smart_trade.asyncio(1, client=client2)).id == 30404547
    assert len(recorder.requests) == 3


def test_get_retries_transport_errors() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"max_reduce_funds_amount": "1.5"})

    from threecommas_client.api.smart_trades import get_reduce_funds_info

    client = tc.SignedClient(
        api_key="k", secret="s", transport=httpx.MockTransport(handler), retry_policy=RetryPolicy(sleep=no_sleep)
    )
    assert str(get_reduce_funds_info.sync(1, client=client).max_reduce_funds_amount) == "1.5"
    assert len(calls) == 2


SECRETS = [DOCS_SECRET, DOCS_API_KEY, "MII"]  # "MII": the start of any base64 PEM key body


def _leaks(text: str) -> list[str]:
    found = [s for s in (DOCS_SECRET, DOCS_API_KEY) if s in text]
    key_body = "".join(RSA_KEY_PEM.strip().splitlines()[1:-1])
    if key_body[:40] in text or "PRIVATE KEY" in text:
        found.append("private key")
    return found


def test_secrets_never_leak(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    for kwargs in ({"secret": DOCS_SECRET}, {"private_key": RSA_KEY_PEM}):
        recorder = Recorder([(401, {"error": "signature_invalid"}), (500, "oops"), (500, "oops"), (500, "oops")])
        client = tc.SignedClient(
            api_key=DOCS_API_KEY, transport=recorder.transport, retry_policy=RetryPolicy(sleep=no_sleep), **kwargs  # type: ignore[arg-type]
        )
        texts += [repr(client), str(client), repr(client._signing), repr(client._signing.signer), str(vars(client))]
        for call in (lambda: get_smart_trade.sync(1, client=client), lambda: get_smart_trade.sync(1, client=client)):
            with pytest.raises(tc.ApiError) as info:
                call()
            texts += [str(info.value), repr(info.value), repr(info.value.args)]
        with pytest.raises(TypeError):
            pickle.dumps(client)
    for bad in ({"private_key": "-----BEGIN PRIVATE KEY-----\n" + DOCS_SECRET + "\n-----END PRIVATE KEY-----"},):
        with pytest.raises(ValueError) as err:
            tc.SignedClient(api_key=DOCS_API_KEY, **bad)  # type: ignore[arg-type]
        texts.append(str(err.value))
    texts += [record.getMessage() for record in caplog.records]
    texts.append(caplog.text)
    for text in texts:
        assert _leaks(text) == [], text
