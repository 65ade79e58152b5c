"""Poloniex request signing: the published vectors and every failure mode (no HTTP)."""

from __future__ import annotations

import pytest

from reference_server.poloniex.auth import (
    TOLERANCE_MS,
    authenticate,
    query_params,
    sign,
    signed_headers,
)
from reference_server.poloniex.errors import PoloniexError
from reference_server.poloniex.users import (
    DEMO_POLONIEX_API_KEY,
    DEMO_POLONIEX_SECRET,
    PoloniexUser,
    demo_users,
    users_by_key,
)

from .spec_helper import SPEC

NOW = 1_700_000_000_000
USER = PoloniexUser("test-key", "test-secret")
OTHER = PoloniexUser("other-key", "other-secret")
USERS = users_by_key([USER, OTHER])


def _auth(
    headers: dict[str, str],
    method: str = "GET",
    path: str | bytes = "/smartorders",
    query: bytes = b"",
    body: bytes = b"",
    now: int = NOW,
) -> PoloniexUser:
    return authenticate(USERS, method, path, query, body, headers, now)


def _error(**kwargs: object) -> PoloniexError:
    with pytest.raises(PoloniexError) as caught:
        _auth(**kwargs)  # type: ignore[arg-type]
    return caught.value


# ---- vectors -------------------------------------------------------------------------------


def test_api_facts_vector() -> None:
    params = 'requestBody={"a":1,"b":["2",null]}&signTimestamp=1674197467415'
    signature = sign("poloniex-api-secret", "DELETE", "/some/path", params)
    assert signature == "rCahSwbMNIzxQRUSqzxdMvYP9CDWfRUDNIFDVABxHQQ="


def test_spec_x_signing_vectors() -> None:
    vectors = SPEC["components"]["securitySchemes"]["Signature"]["x-signing"]["vectors"]
    assert len(vectors) >= 2
    for vector in vectors:
        method, path, params = vector["payload"].split("\n", 2)
        assert sign(vector["secret"], method, path, params) == vector["signature"]


def test_documented_query_string_shape() -> None:
    params = query_params([("symbol", "ETH_USDT"), ("limit", "5")], 1659259836247)
    assert params == b"limit=5&signTimestamp=1659259836247&symbol=ETH_USDT"
    assert query_params([("q", "a b")], 1) == b"q=a%20b&signTimestamp=1"


# ---- accepted requests ---------------------------------------------------------------------


def test_body_request_verifies_and_headers_are_case_insensitive() -> None:
    body = b'{"symbol":"BTC_USDT","side":"BUY","stopPrice":"1","quantity":"1"}'
    headers = signed_headers(USER, "POST", "/smartorders", NOW, body=body)
    shouted = {name.upper(): value for name, value in headers.items()}
    assert _auth(shouted, method="POST", body=body) is USER


def test_get_with_query_verifies_whatever_the_parameter_order() -> None:
    headers = signed_headers(
        USER, "GET", "/smartorders", NOW, query=[("types", "STOP,TRAILING_STOP"), ("limit", "5")]
    )
    assert _auth(headers, query=b"limit=5&types=STOP%2CTRAILING_STOP") is USER
    assert _auth(headers, query=b"types=STOP%2CTRAILING_STOP&limit=5") is USER
    # An encoder that leaves `,` alone sends what it signed; the "as sent" form accepts it.
    params = b"limit=5&signTimestamp=" + str(NOW).encode() + b"&types=STOP,TRAILING_STOP"
    raw = dict(headers, signature=sign(USER.secret, "GET", "/smartorders", params))
    assert _auth(raw, query=b"types=STOP,TRAILING_STOP&limit=5") is USER


def test_query_space_is_signed_as_percent_20() -> None:
    headers = signed_headers(USER, "GET", "/smartorders/history", NOW, query=[("x", "a b")])
    assert _auth(headers, path="/smartorders/history", query=b"x=a+b") is USER
    assert _auth(headers, path="/smartorders/history", query=b"x=a%20b") is USER


def test_cid_path_signed_raw_or_decoded() -> None:
    headers = signed_headers(USER, "DELETE", "/smartorders/cid:myId-1", NOW)
    assert _auth(headers, method="DELETE", path=b"/smartorders/cid:myId-1") is USER
    assert _auth(headers, method="DELETE", path=b"/smartorders/cid%3AmyId-1") is USER


def test_demo_user() -> None:
    users = demo_users()
    user = users[DEMO_POLONIEX_API_KEY]
    assert user.secret == DEMO_POLONIEX_SECRET
    assert DEMO_POLONIEX_SECRET not in repr(user)
    headers = signed_headers(user, "GET", "/smartorders", NOW)
    assert authenticate(users, "GET", "/smartorders", b"", b"", headers, NOW) is user


def test_recv_window_extends_the_window() -> None:
    old = NOW - 5_000
    headers = dict(signed_headers(USER, "GET", "/smartorders", old), recvWindow="10000")
    assert _auth(headers) is USER


# ---- failures ------------------------------------------------------------------------------


def test_missing_or_unknown_key_is_401() -> None:
    headers = signed_headers(USER, "GET", "/smartorders", NOW)
    for broken in ({**headers, "key": "nobody"}, {k: v for k, v in headers.items() if k != "key"}):
        error = _error(headers=broken)
        assert (error.status, error.code) == (401, 401)
        assert error.body() == {"code": 401, "message": "Invalid Apikey"}


def test_wrong_signature_is_401() -> None:
    headers = signed_headers(USER, "GET", "/smartorders", NOW)
    cases = [
        {**headers, "signature": sign(OTHER.secret, "GET", "/smartorders", f"signTimestamp={NOW}")},
        {**headers, "signature": headers["signature"].lower()},  # case-sensitive
        {k: v for k, v in headers.items() if k != "signature"},
        {**headers, "signature": ""},
    ]
    for broken in cases:
        error = _error(headers=broken)
        assert (error.status, error.code, error.message) == (401, 401, "Invalid signature")


def test_signature_over_another_request_is_401() -> None:
    headers = signed_headers(USER, "POST", "/smartorders", NOW, body=b"{}")
    assert _error(headers=headers, method="POST", body=b"{ }").status == 401
    assert _error(headers=headers, method="PUT", body=b"{}").status == 401
    assert _error(headers=headers, method="POST", path="/smartorders/1", body=b"{}").status == 401


@pytest.mark.parametrize("skew", [TOLERANCE_MS + 1, -(TOLERANCE_MS + 1), -3_600_000])
def test_timestamp_outside_a_second_is_400(skew: int) -> None:
    headers = signed_headers(USER, "GET", "/smartorders", NOW + skew)
    error = _error(headers=headers)
    assert (error.status, error.code) == (400, 25001)


@pytest.mark.parametrize("skew", [TOLERANCE_MS, -TOLERANCE_MS, 0])
def test_timestamp_within_a_second_passes(skew: int) -> None:
    assert _auth(signed_headers(USER, "GET", "/smartorders", NOW + skew)) is USER


def test_older_than_recv_window_is_408() -> None:
    headers = dict(signed_headers(USER, "GET", "/smartorders", NOW - 5_001), recvWindow="5000")
    error = _error(headers=headers)
    assert (error.status, error.code) == (408, 408)
    # A future timestamp stays a 400 even with a window.
    ahead = dict(signed_headers(USER, "GET", "/smartorders", NOW + 5_000), recvWindow="60000")
    assert _error(headers=ahead).status == 400


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("signTimestamp", "abc"),
        ("signTimestamp", ""),
        ("signTimestamp", "-1"),
        ("signTimestamp", "1.5"),
        ("signTimestamp", "１２３"),  # full-width digits: isdigit() but not ASCII
        ("signTimestamp", "9" * 20),
        ("signTimestamp", "9" * 5000),
        ("signTimestamp", " 1700000000000"),
        ("recvWindow", "0"),
        ("recvWindow", "x"),
        ("recvWindow", "٣"),
        ("recvWindow", "9" * 400),
        ("signatureMethod", "hmacSHA512"),
    ],
)
def test_malformed_headers_are_400(name: str, value: str) -> None:
    headers = {**signed_headers(USER, "GET", "/smartorders", NOW), name: value}
    error = _error(headers=headers)
    assert (error.status, error.code) == (400, 25001)


def test_missing_timestamp_is_400() -> None:
    headers = signed_headers(USER, "GET", "/smartorders", NOW)
    del headers["signTimestamp"]
    assert _error(headers=headers).status == 400


@pytest.mark.parametrize(
    "headers",
    [
        {"key": "tëst-key\udcff", "signTimestamp": str(NOW), "signature": "x"},
        {"key": "test-key", "signTimestamp": str(NOW), "signature": "sïg\x00"},
        {"key": "test-key", "signTimestamp": str(NOW), "signature": "\ud800"},
        {"key": "test-key", "signTimestamp": str(NOW), "signature": "A" * 100_000},
        {"KEY": "test-key", "SIGNTIMESTAMP": str(NOW), "signature": "=" * 3},
    ],
)
def test_odd_bytes_end_in_a_4xx_never_another_exception(headers: dict[str, str]) -> None:
    for path in ("/smartorders", b"/smart\xff%zz", "/\udcff"):
        for query in (b"", b"a=%ff%fe&&=&b", b"\xff\x00=\x80"):
            for body in (b"", b"\xff\xfe{"):
                with pytest.raises(PoloniexError) as caught:
                    _auth(headers=headers, path=path, query=query, body=body)
                assert 400 <= caught.value.status < 500


def test_odd_query_bytes_still_verify_when_signed_as_sent() -> None:
    query = b"b=%ff&a=%zz"
    ts = str(NOW).encode()
    params = b"a=%zz&b=%ff&signTimestamp=" + ts
    headers = {"key": "test-key", "signTimestamp": str(NOW)}
    headers["signature"] = sign(USER.secret, "GET", "/smartorders", params)
    assert _auth(headers, query=query) is USER


# The spec's `RecvWindow` (1 to 19 digits, not all zeros) and the server agree on every form.
RECV_WINDOWS = [
    ("1", True),
    ("600000", True),
    ("0" * 18 + "7", True),
    ("9" * 19, True),
    ("0", False),
    ("0" * 19, False),
    ("0" * 19 + "7", False),
    ("1" + "0" * 19, False),
    ("-5", False),
    ("+5", False),
    (" 5", False),
    ("5.0", False),
]


@pytest.mark.parametrize(("value", "accepted"), RECV_WINDOWS)
def test_recv_window_bound_is_the_specs(value: str, accepted: bool) -> None:
    """The server refused a 20-digit `recvWindow` the spec's bare `integer` allowed; the spec now
    states the same bound, as the integer and as the digits the header carries."""
    from .spec_helper import validator

    schema = validator("/components/parameters/RecvWindow/schema")
    assert schema.is_valid(value) is accepted
    if value.isdigit() and value == str(int(value)):  # the same number as a JSON integer
        assert schema.is_valid(int(value)) is accepted
    headers = {**signed_headers(USER, "GET", "/smartorders", NOW), "recvWindow": value}
    if accepted:
        assert _auth(headers) is USER
    else:
        assert (_error(headers=headers).status, _error(headers=headers).code) == (400, 25001)
