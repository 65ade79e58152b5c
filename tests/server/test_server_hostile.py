"""Hostile input: every bad request answers 4xx with a JSON error naming what was wrong; nothing
answers 500, stalls, grows without bound, or leaves state that fails to read back."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from reference_server import __main__ as cli
from reference_server.app import ReferenceServer, create_app
from reference_server.limits import (
    MAX_BODY_BYTES,
    MAX_BRACKET_DEPTH,
    MAX_JSON_DEPTH,
    MAX_KEY_LENGTH,
    MAX_PARAMETERS,
    MAX_VALIDATION_ERRORS,
)
from reference_server.rate_limit import RateLimiter
from reference_server.spec_validation import Spec, drop_undeclared, parse_rfc3339
from reference_server.testing import ServerThread
from reference_server.threecommas import render as rendering
from reference_server.threecommas.api import SPEC
from reference_server.threecommas.model import SmartTrade
from reference_server.threecommas.testing import signature_for
from reference_server.threecommas.users import DEMO_API_KEY, DEMO_SECRET, DEMO_SPOT_ACCOUNT_ID
from tests.tls import VERIFY

from .conftest import ERROR, Api

TRADES = "/v2/smart_trades"


def body(pair: str, **overrides: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "account_id": DEMO_SPOT_ACCOUNT_ID,
        "pair": pair,
        "position": {"type": "buy", "units": {"value": "1"}, "order_type": "market"},
        "take_profit": {"enabled": False},
        "stop_loss": {"enabled": False},
    }
    out.update(overrides)
    return out


class Raw:
    """Requests with exact bytes (body, query, headers), signed unless told otherwise."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, verify=VERIFY)

    def send(
        self,
        method: str,
        path: str,
        content: bytes = b"",
        query: bytes = b"",
        content_type: str | bytes = "application/json",
        headers: dict[str, Any] | None = None,
        sign: bool = True,
    ) -> httpx.Response:
        raw_path = ("/public/api" + path).encode()
        sent: dict[str, Any] = {"Content-Type": content_type}
        if sign:
            sent["APIKEY"] = DEMO_API_KEY
            sent["Signature"] = signature_for(DEMO_SECRET, raw_path, query, content)
        sent.update(headers or {})
        url = raw_path.decode() + ("?" + query.decode("latin-1") if query else "")
        response = self.http.request(method, url, content=content, headers=sent)
        assert response.status_code < 500, response.text
        assert response.headers["content-type"].startswith("application/json"), response.text
        if response.status_code >= 400:
            ERROR.validate(response.json())
        return response


@pytest.fixture
def raw(server: ServerThread) -> Iterator[Raw]:
    client = Raw(server.base_url)
    yield client
    client.http.close()


def attributes(response: httpx.Response) -> dict[str, list[str]]:
    data = response.json()
    assert isinstance(data.get("error_attributes"), dict), data
    return dict(data["error_attributes"])


# ---- 1. lone surrogates: refused, and never stored ----------------------------------------------

SURROGATE_NOTE = '"note": "\\ud800"'  # valid JSON text: a lone surrogate escape


def test_lone_surrogate_in_a_note_is_refused_naming_it(raw: Raw, api: Api) -> None:
    api.price("USDT_SUR", "100")
    text = json.dumps(body("USDT_SUR"))[:-1] + ", " + SURROGATE_NOTE + "}"
    response = raw.send("POST", TRADES, text.encode())
    assert response.status_code == 422
    assert response.json()["error"] == "record_invalid"
    assert attributes(response) == {"note": ["is not valid UTF-8 text"]}
    tid = api.ok("POST", TRADES, body("USDT_SUR"))["id"]
    response = raw.send("POST", f"{TRADES}/{tid}/set_note", b"{" + SURROGATE_NOTE.encode() + b"}")
    assert response.status_code == 422 and "note" in attributes(response)
    # Nothing was poisoned: the user's reads all answer.
    assert api.ok("GET", f"{TRADES}/{tid}")["note"] == ""
    assert api.ok("GET", TRADES, params={"pair": "USDT_SUR"})


def test_lone_surrogate_in_a_key_or_nested_value_is_refused(raw: Raw) -> None:
    response = raw.send("POST", TRADES, b'{"\\udfff": 1, "position": {"type": "\\ud83d"}}')
    assert response.status_code == 422
    assert set(attributes(response)) == {"\\udfff", "position[type]"}
    assert raw.send("GET", TRADES).status_code == 200


def test_a_write_whose_answer_fails_to_render_changes_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.price("USDT_TXN", "100")
    tid = api.ok("POST", TRADES, body("USDT_TXN", note="before"))["id"]
    before = api.ok("GET", f"{TRADES}/{tid}")
    listed = api.ok("GET", TRADES, params={"pair": "USDT_TXN", "per_page": 100})
    real_render = rendering.render

    def render(trade: SmartTrade, quote: Any) -> dict[str, Any]:
        if trade.note == "boom" or trade.pair == "USDT_BOOM":
            raise RuntimeError("render failed")
        return real_render(trade, quote)

    monkeypatch.setattr(rendering, "render", render)
    # set_note: the handler changes the trade, rendering fails, the store keeps the old trade.
    assert api.call("POST", f"{TRADES}/{tid}/set_note", {"note": "boom"}).status_code == 500
    assert api.ok("GET", f"{TRADES}/{tid}") == before
    # create: the new trade is not added, and its id is not spent.
    api.price("USDT_BOOM", "100")
    assert api.call("POST", TRADES, body("USDT_BOOM")).status_code == 500
    assert api.ok("GET", TRADES, params={"pair": "USDT_BOOM"}) == []
    # add funds: the entered amount is what it was.
    calls = [0]

    def render_once_failing(trade: SmartTrade, quote: Any) -> dict[str, Any]:
        calls[0] += 1
        if calls[0] == 1:
            raise RuntimeError("render failed")
        return real_render(trade, quote)

    monkeypatch.setattr(rendering, "render", render_once_failing)
    funds = {"order_type": "market", "units": {"value": "1"}}
    assert api.call("POST", f"{TRADES}/{tid}/add_funds", funds).status_code == 500
    monkeypatch.setattr(rendering, "render", real_render)
    assert api.ok("GET", f"{TRADES}/{tid}") == before
    assert api.ok("GET", TRADES, params={"pair": "USDT_TXN", "per_page": 100}) == listed
    next_id = api.ok("POST", TRADES, body("USDT_TXN"))["id"]
    assert next_id == tid + 1  # the failed create gave its id back


# ---- 2. bracket keys: depth, length, count ------------------------------------------------------


@pytest.mark.parametrize("where", ["query", "form"])
def test_bracket_keys_deeper_than_the_limit_answer_400_naming_the_parameter(
    raw: Raw, where: str
) -> None:
    deep = ("a" + "[b]" * 2000 + "=1").encode()
    if where == "query":
        response = raw.send("GET", TRADES, query=deep)
    else:
        response = raw.send("POST", TRADES, deep, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert list(attributes(response)) == ["a"]
    just_over = ("a" + "[b]" * (MAX_BRACKET_DEPTH + 1) + "=1").encode()
    assert raw.send("GET", TRADES, query=just_over).status_code == 400
    at_limit = ("a" + "[b]" * MAX_BRACKET_DEPTH + "=1").encode()
    assert raw.send("GET", TRADES, query=at_limit).status_code == 200


def test_too_many_parameters_or_too_long_a_name_answer_400(raw: Raw) -> None:
    many = "&".join(f"x{i}=1" for i in range(MAX_PARAMETERS + 1)).encode()
    assert raw.send("GET", TRADES, query=many).status_code == 400
    form = raw.send("POST", TRADES, many, content_type="application/x-www-form-urlencoded")
    assert form.status_code == 400
    long_name = b"k" * (MAX_KEY_LENGTH + 1) + b"=1"
    response = raw.send("GET", TRADES, query=long_name)
    assert response.status_code == 400 and len(response.content) < 1024


# ---- 3. garbage in headers and bodies -----------------------------------------------------------


@pytest.mark.parametrize(
    "headers, error",
    [
        ({"Signature": "é".encode("latin-1")}, "signature_invalid"),
        ({"Signature": b"\xff\xfe\x80abc"}, "signature_invalid"),
        ({"Signature": "a" * 10_000}, "signature_invalid"),
        ({"APIKEY": b"\xff\xfe"}, "api_key_invalid_or_expired"),
        ({"APIKEY": "ключ".encode()}, "api_key_invalid_or_expired"),
    ],
)
def test_non_ascii_or_huge_credentials_answer_401(
    raw: Raw, headers: dict[str, Any], error: str
) -> None:
    response = raw.send("GET", TRADES, headers=headers)
    assert response.status_code == 401 and response.json()["error"] == error


@pytest.mark.parametrize("tail", [b"\xa0", b"\x85", "\u3000".encode()])
def test_a_valid_signature_with_a_non_http_whitespace_tail_answers_401(raw: Raw, tail: bytes) -> None:
    """Found by the hostile fuzz: `str.strip()` took the no-break space (latin-1 0xA0) off the header,
    so a signature with trailing bytes passed. Only HTTP's own whitespace is optional around it."""
    signature = signature_for(DEMO_SECRET, b"/public/api/v2/smart_trades", b"", b"").encode()
    response = raw.send("GET", TRADES, headers={"Signature": signature + tail})
    assert response.status_code == 401 and response.json()["error"] == "signature_invalid"


@pytest.mark.parametrize(
    "content, content_type",
    [
        (b'{"a": 1}', "garbage;;;===;charset"),
        (b'{"a": 1}', "text/plain"),
        (b'\xff\xfe{"a": 1}', "application/json"),
        (b"a=\xff", "application/x-www-form-urlencoded"),
        (b'{"a": 1', "application/json"),
        (b'{"a": NaN}', "application/json"),
    ],
)
def test_garbage_bodies_answer_400(raw: Raw, content: bytes, content_type: str) -> None:
    assert raw.send("POST", TRADES, content, content_type=content_type).status_code == 400


def test_a_control_character_in_a_header_answers_400(raw: Raw) -> None:
    """A header value with a control byte is not HTTP (RFC 9110 field-value): uvicorn's parser
    (httptools) refuses the request with 400 before the app sees it."""
    headers = {"Content-Type": "\x01garbage;;;===;charset"}
    response = raw.http.post("/public/api" + TRADES, content=b'{"a": 1}', headers=headers)
    assert response.status_code == 400


# ---- 4. size, nesting and error count -----------------------------------------------------------


def test_a_body_over_the_limit_answers_413(raw: Raw) -> None:
    big = b'{"note": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = raw.send("POST", TRADES, big)
    assert response.status_code == 413 and "body" in attributes(response)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the reader stops past the limit
        yield b'{"note": "'
        for _ in range(MAX_BODY_BYTES // 1024 + 8):
            yield b"x" * 1024
        yield b'"}'

    response = raw.http.post(
        "/public/api" + TRADES, content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413 and response.json()["error"] == "payload_too_large"


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b"[" * 900 + b"]" * 900,
        json.dumps(
            json.loads('{"a":' * (MAX_JSON_DEPTH + 1) + "1" + "}" * (MAX_JSON_DEPTH + 1))
        ).encode(),
    ],
)
def test_json_nested_deeper_than_the_limit_answers_400_naming_the_body(
    raw: Raw, content: bytes
) -> None:
    if len(content) > MAX_BODY_BYTES:
        content = content[: MAX_BODY_BYTES // 2] + content[-MAX_BODY_BYTES // 2 :]
    response = raw.send("POST", TRADES, content)
    assert response.status_code == 400 and "body" in attributes(response)


def test_thousands_of_invalid_steps_cost_a_bounded_answer(raw: Raw) -> None:
    step = {"order_type": "x", "price": {"type": "y"}, "volume": "z", "junk": 1}
    steps = [step] * 700
    content = json.dumps(body("USDT_BTC", take_profit={"enabled": True, "steps": steps}))
    assert len(content) < MAX_BODY_BYTES
    started = time.monotonic()
    response = raw.send("POST", TRADES, content.encode())
    assert time.monotonic() - started < 2
    assert response.status_code == 422
    assert 0 < len(attributes(response)) <= MAX_VALIDATION_ERRORS
    assert len(response.content) < 8192


# ---- 5. rate limits count verified users; failures count per address ----------------------------


def test_unsigned_requests_with_a_victims_key_do_not_lock_the_victim_out() -> None:
    server = ReferenceServer(rate_limiter=RateLimiter(limit=3))
    with ServerThread(server.app) as running:
        raw, victim = Raw(running.base_url), Api(running.base_url)
        for _ in range(10):
            response = raw.send(
                "GET", TRADES, headers={"APIKEY": DEMO_API_KEY, "Signature": "0" * 64}, sign=False
            )
            assert response.status_code == 401
        for index in range(30):  # junk keys: nothing is kept for them in the user table
            raw.send("GET", TRADES, headers={"APIKEY": f"junk-{index}"}, sign=False)
        assert server.rate_limiter.size() == 0
        assert victim.call("GET", TRADES).status_code == 200
        raw.http.close()
        victim.http.close()


def test_failed_authentications_are_limited_per_address() -> None:
    now = [0.0]
    failures = RateLimiter(limit=3, window=60, block=300, clock=lambda: now[0])
    server = ReferenceServer(rate_limiter=RateLimiter(enabled=False), auth_limiter=failures)
    with ServerThread(server.app) as running:
        raw, api = Raw(running.base_url), Api(running.base_url)
        bad = {"APIKEY": DEMO_API_KEY, "Signature": "0" * 64}
        codes = [raw.send("GET", TRADES, headers=bad, sign=False).status_code for _ in range(4)]
        assert codes == [401, 401, 401, 429]
        assert api.call("GET", TRADES).status_code == 429  # the address is blocked
        now[0] += 301
        assert api.call("GET", TRADES).status_code == 200
        raw.http.close()
        api.http.close()


def test_limiter_tables_are_bounded_and_drop_idle_keys_first() -> None:
    now = [0.0]
    limiter = RateLimiter(limit=1, window=60, block=1e9, clock=lambda: now[0], max_entries=100)
    assert limiter.check("attacker") is None
    assert limiter.check("attacker") == 429  # blocked for good: never idle
    for index in range(10_000):
        if index % 50 == 0:
            now[0] += 61  # the keys seen so far go idle
        limiter.check(f"junk-{index}")
        assert limiter.size() <= 100
    assert limiter.blocked("attacker") == 429
    busy = RateLimiter(limit=5, window=60, clock=lambda: 0.0, max_entries=100)
    for index in range(1000):  # none idle: the least recently seen go
        busy.check(f"k{index}")
    assert busy.size() <= 100 and busy.blocked("k999") is None


# ---- 6. decimal bounds on the exact value -------------------------------------------------------


@pytest.mark.parametrize(
    "literal, ok",
    [
        ("100", True),
        ("100.00000000000000000000", True),
        ("100.00000000000000000001", False),
        ("0.01", True),
        ("0.00999999999999999999999", False),
    ],
)
@pytest.mark.parametrize("as_string", [False, True])
def test_trailing_percent_bounds_hold_exactly(
    raw: Raw, api: Api, literal: str, ok: bool, as_string: bool
) -> None:
    api.price("USDT_EXB", "100")
    step = {
        "order_type": "market",
        "price": {"value": "110", "type": "bid"},
        "volume": 100,
        "trailing": {"enabled": True, "percent": "PERCENT"},
    }
    text = json.dumps(body("USDT_EXB", take_profit={"enabled": True, "steps": [step]}))
    text = text.replace('"PERCENT"', f'"{literal}"' if as_string else literal)
    response = raw.send("POST", TRADES, text.encode())
    if ok:
        assert response.status_code == 201, response.text  # create answers 201 (x-success-status)
    else:
        assert response.status_code == 422
        assert "take_profit[steps][0][trailing][percent]" in attributes(response)


def test_volume_exclusive_minimum_holds_exactly(raw: Raw) -> None:
    step = {"order_type": "market", "price": {"value": "110", "type": "bid"}, "volume": "VOL"}
    text = json.dumps(body("USDT_BTC", take_profit={"enabled": True, "steps": [step]}))
    for literal in ("0", "0.0", "0E-400"):
        response = raw.send("POST", TRADES, text.replace('"VOL"', literal).encode())
        assert response.status_code == 422
        assert "take_profit[steps][0][volume]" in attributes(response)


# ---- 7. timestamps in filters -------------------------------------------------------------------


def test_every_timestamp_validation_accepts_filters(api: Api) -> None:
    api.price("USDT_TSF", "100")
    api.ok("POST", TRADES, body("USDT_TSF"))
    future = ["2999-01-01t00:00:00z", "2999-01-01T00:00:00Z", "2999-01-01T01:00:00.123456789+01:00"]
    past = ["2000-01-01t00:00:00z", "2000-01-01T00:00:00.5-05:30"]
    for moment in future:
        assert api.ok("GET", TRADES, params={"pair": "USDT_TSF", "from": moment}) == []
        assert api.ok("GET", TRADES, params={"pair": "USDT_TSF", "to": moment})
    for moment in past:
        assert api.ok("GET", TRADES, params={"pair": "USDT_TSF", "from": moment})
        assert api.ok("GET", TRADES, params={"pair": "USDT_TSF", "to": moment}) == []
    for bad in (
        "2999-01-01",
        "2999-01-01T00:00:00",
        "2999-13-01T00:00:00Z",
        "2999-01-01T00:00:60Z",
    ):
        assert api.call("GET", TRADES, params={"from": bad}).status_code in (400, 422)


def test_rfc3339_parser() -> None:
    assert parse_rfc3339("2024-08-12t14:35:21z") == datetime(2024, 8, 12, 14, 35, 21, tzinfo=UTC)
    assert parse_rfc3339("2024-08-12T16:35:21.1234567+02:00") == datetime(
        2024, 8, 12, 14, 35, 21, 123456, tzinfo=UTC
    )
    for bad in ("2024-08-12T14:35:21+24:00", "9999-12-31T23:59:59-23:59", "2024-02-30T00:00:00Z"):
        assert parse_rfc3339(bad) is None
    assert parse_rfc3339("2024-08-12T14:35:21Z\n") is None


# ---- 8. --lenient ---------------------------------------------------------------------------------


def _with_unknown_keys() -> dict[str, Any]:
    step = {"order_type": "market", "price": {"value": "110", "type": "bid", "x": 1}, "volume": 100}
    step["junk"] = {"deep": [1, 2]}
    out = body("USDT_LEN", take_profit={"enabled": True, "steps": [step]}, foo="bar")
    out["position"]["bogus"] = True
    return out


def test_strict_names_every_unknown_key(api: Api) -> None:
    api.price("USDT_LEN", "100")
    response = api.call("POST", TRADES, _with_unknown_keys())
    assert response.status_code == 422
    assert {
        "foo",
        "position[bogus]",
        "take_profit[steps][0][junk]",
        "take_profit[steps][0][price][x]",
    } <= set(attributes(response))


def test_lenient_ignores_unknown_keys_at_any_depth() -> None:
    with ServerThread(create_app(rate_limit=False, lenient=True)) as running:
        api = Api(running.base_url)
        api.price("USDT_LEN", "100")
        trade = api.ok("POST", TRADES, _with_unknown_keys())
        assert trade["take_profit"]["steps"][0]["price"]["value"] == "110.0"
        # Declared keys are still validated.
        bad = _with_unknown_keys()
        bad["position"]["type"] = "sideways"
        response = api.call("POST", TRADES, bad)
        assert response.status_code == 422 and list(attributes(response)) == ["position[type]"]
        api.http.close()


def test_drop_undeclared_follows_the_spec() -> None:
    op = Spec(SPEC).by_id["create_smart_trade"]
    kept = body("USDT_BTC", note="n", instant=True)
    assert drop_undeclared(op, {**kept, "zzz": 1}) == kept


def test_cli_lenient_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[Any] = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **kwargs: served.append(app))
    assert cli.main(["--lenient", "--no-rate-limit"]) == 0
    assert cli.main([]) == 0
    assert [app.state.reference.lenient for app in served] == [True, False]


@pytest.mark.parametrize("query", [b"per_page=1e999999", b"account_id=1e999999", b"page=-1e999999"])
def test_huge_exponents_in_integer_parameters_answer_400(raw: Raw, query: bytes) -> None:
    response = raw.send("GET", TRADES, query=query)
    assert response.status_code == 400
    assert list(attributes(response)) == [query.split(b"=")[0].decode()]


@pytest.mark.parametrize("key", ["%C2%B2", "%D9%A1", "%EF%BC%91"])  # ², Arabic-Indic 1, full-width 1
def test_bracket_indexes_of_non_ascii_digits_are_keys_not_a_crash(raw: Raw, key: str) -> None:
    # `steps[²]` read as a list index made int() raise (a 500); such an index is a plain key.
    assert raw.send("GET", TRADES, query=f"page=1&a[{key}]=1".encode()).status_code == 200
    form = f"account_id=1&pair=USDT_BTC&steps[{key}][x]=1".encode()
    response = raw.send("POST", TRADES, form, content_type="application/x-www-form-urlencoded")
    assert 400 <= response.status_code < 500
