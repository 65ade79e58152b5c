"""Signing (the documented vectors), users file, rate limiter, Rails bracket parameters."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from reference_server.params import parse_query
from reference_server.rate_limit import RateLimiter
from reference_server.threecommas.auth import Authenticator, hmac_signature, signed_payloads, verify
from reference_server.threecommas.errors import ApiError
from reference_server.threecommas.users import (
    DEMO_API_KEY,
    DEMO_SECRET,
    demo_users,
    load_users,
    parse_users,
)
from reference_server.users_file import UsersFileError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PRIVATE_PEM = (FIXTURES / "3commas-docs-test-rsa-key.pem").read_bytes()

HMAC_VECTORS = [
    (
        DEMO_SECRET,
        "/public/api/ver1/users/change_mode?mode=paper",
        "bca8d8c10acfbe8e76c5335d3efbe0a550487170a8bb7aaea0a13efabab55316",
    ),
    (
        DEMO_SECRET,
        '/public/api/ver1/users/change_mode?{"mode": "paper"}',
        "0475b407ba6f2388d213134e478b330f74073388a232737837f79018694ae373",
    ),
    (
        "abcd1234",
        "/public/api/ver1/bots",
        "505719450087661e95840d47b8bb2374ad2bb25abdcf0d99d7d410ab9b2f1d3a",
    ),
]
RSA_VECTORS = [
    (
        "/public/api/ver1/users/change_mode?mode=paper",
        "W+a26NiV6KkWP5zWoaDU9nSHmfObAtbbaq+xPIKwiKIz81Mlgrek/Z51qsAWNXEMCpIGW40IYDo7BTq4FSvOVSxdfrFK3lRqBveoXW+/50QOd3p+fDe5Ku7Z0U6MvXSUeFOguMBxP7er1SLGOb5RLYI/2GPMI5txLAoSsTLjGkWOc7S3ZhUpxEfxSCp8wCFp6E99biIX2MhIT1/AAl290ID76Wr1dj9Y3QxIl6KtQlbpEqhvWBaadYaYyZR5YjHAn5NWAE2cvxLkH+SQE1khzAdB6T9ZJ9sgMtY1bOzTTV/Cj9W0SABCYr4In12+uFY0lB+ANvgi8hLr2NCl775Wdw==",
    ),
    (
        '/public/api/ver1/users/change_mode{"mode": "paper"}',
        "EEVNxc6DLLb6PVNzc3jeNkVXVIfgHJVrfLws4Hm7wynLTLlDe6QpwPmOeT/5lAZDsft+sIN0nwo4SBNKmkea6mtxkcVz/8BuP3rhQVeGhRn3lAGy/nacsP35B50IMDx+ge1tnkjGGL4IbjtbfP5v+UVLMpJpWfVzQGlWpyLEL6PHAu7cuYs5Ug8lbfq4zgrpl1tSmemNVAedU4D4qYE/LaPB/z/urzoFYQZzobZbnXpLh4MRLaTjUgTNuiJawpk+j0K7Xk2AvHt+gY1TNOCmbRvjaP+ihgzZA0m4h32s7EdGMznI55C4CVftKQRVIfyR6TIifoljCG5nNJNZtTj98Q==",
    ),
]


@pytest.mark.parametrize(("secret", "payload", "expected"), HMAC_VECTORS)
def test_hmac_vectors(secret: str, payload: str, expected: str) -> None:
    assert hmac_signature(secret, payload) == expected


def test_hmac_hex_is_case_insensitive_and_both_json_forms_verify() -> None:
    user = demo_users()[0]
    path, body = b"/public/api/ver1/users/change_mode", b'{"mode": "paper"}'
    with_q = hmac_signature(DEMO_SECRET, path + b"?" + body)
    without_q = hmac_signature(DEMO_SECRET, path + body)
    payloads = signed_payloads(path, b"", body)
    assert verify(user, with_q.upper(), payloads)
    assert verify(user, without_q, payloads)
    assert not verify(user, hmac_signature("wrong", path + b"?" + body), payloads)


@pytest.mark.parametrize(("payload", "signature"), RSA_VECTORS)
def test_rsa_vectors_verify_with_the_demo_users_public_key(payload: str, signature: str) -> None:
    user = demo_users()[0]
    raw = payload.encode()
    assert verify(user, signature, [raw])
    # RSA base64 is case-sensitive.
    assert not verify(user, signature.swapcase(), [raw])
    key = serialization.load_pem_private_key(PRIVATE_PEM, None)
    again = base64.b64encode(key.sign(raw, padding.PKCS1v15(), hashes.SHA256())).decode()  # type: ignore[union-attr,call-arg,arg-type]
    assert again == signature


def test_form_body_is_signed_like_a_query_string() -> None:
    user = demo_users()[0]
    path, body = b"/public/api/v2/smart_trades/1/set_note", b"note=hi"
    assert verify(
        user, hmac_signature(DEMO_SECRET, path + b"?" + body), signed_payloads(path, b"", body)
    )


def test_authenticator_errors_are_the_real_ones() -> None:
    auth = Authenticator(demo_users())
    with pytest.raises(ApiError) as missing_key:
        auth.authenticate({}, b"/public/api/v2/smart_trades", b"", b"")
    assert (missing_key.value.status, missing_key.value.error) == (
        401,
        "api_key_invalid_or_expired",
    )
    with pytest.raises(ApiError) as bad_sig:
        auth.authenticate({"apikey": DEMO_API_KEY, "signature": "00"}, b"/public/api/x", b"", b"")
    assert (bad_sig.value.status, bad_sig.value.error) == (401, "signature_invalid")


def test_users_file_loads_and_never_shows_secrets(tmp_path: Path) -> None:
    public = (
        serialization.load_pem_private_key(PRIVATE_PEM, None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    users_file = tmp_path / "users.yaml"
    users_file.write_text(
        "users:\n"
        "  - api_key: alice\n    secret: alice-secret-123\n"
        "    accounts:\n      - {id: 32402783, type: binance, name: My Binance, market: Binance Spot}\n"
        "  - api_key: bob\n    rsa_public_key: |\n"
        + "".join(f"      {line}\n" for line in public.splitlines())
        + "    accounts:\n      - {id: 99, type: binance_futures}\n"
    )
    alice, bob = load_users(users_file)
    assert alice.account(32402783) is not None and alice.account(99) is None
    assert bob.secret is None and bob.rsa_public_key is not None and bob.accounts[0].is_futures
    assert "alice-secret-123" not in repr(alice) and "alice-secret-123" not in str(alice)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"users": []},
        {"users": [{"api_key": "x"}]},
        {"users": [{"api_key": "x", "secret": "s", "accounts": [{"id": "a"}]}]},
        {"users": [{"api_key": "x", "rsa_public_key": "not a pem"}]},
    ],
)
def test_bad_users_files_are_refused_with_a_clear_message(data: object) -> None:
    with pytest.raises(UsersFileError):
        parse_users(data)


def test_rate_limit_429_then_418_then_recovery_without_sleeping() -> None:
    now = [1000.0]
    limiter = RateLimiter(limit=100, window=60, block=300, clock=lambda: now[0])
    assert all(limiter.check("k") is None for _ in range(100))
    assert limiter.check("k") == 429
    assert limiter.check("other") is None  # per key
    now[0] += 10
    assert limiter.check("k") == 418
    now[0] += 300
    assert limiter.check("k") is None
    off = RateLimiter(limit=1, enabled=False)
    assert off.check("k") is None and off.check("k") is None


def test_window_slides() -> None:
    now = [0.0]
    limiter = RateLimiter(limit=2, window=60, block=300, clock=lambda: now[0])
    assert limiter.check("k") is None
    now[0] = 30
    assert limiter.check("k") is None
    now[0] = 61  # the first hit left the window
    assert limiter.check("k") is None


def test_rails_bracket_keys() -> None:
    parsed = parse_query(
        "position[units][value]=0.01&take_profit[steps][][order_type]=limit&take_profit[steps][][volume]=50"
        "&take_profit[steps][][order_type]=market&take_profit[steps][][volume]=50"
        "&stop_loss[conditional][price][value]=9000&x[0][a]=1&x[1][a]=2"
    )
    assert parsed["position"] == {"units": {"value": "0.01"}}
    assert parsed["take_profit"]["steps"] == [
        {"order_type": "limit", "volume": "50"},
        {"order_type": "market", "volume": "50"},
    ]
    assert parsed["x"] == [{"a": "1"}, {"a": "2"}]


def test_top_level_digit_keys_stay_a_mapping() -> None:
    assert parse_query("0=1&1=2") == {"0": "1", "1": "2"}


def test_the_example_users_file_loads() -> None:
    example = Path(__file__).resolve().parents[2] / "reference_server" / "users.example.yaml"
    alice, bob = load_users(example)
    assert alice.secret and alice.accounts[1].is_futures
    assert bob.secret is None and bob.rsa_public_key is not None
