"""Signing: the api-facts vectors for both algorithms, and every request the SDK sends verifies independently."""

from __future__ import annotations

import json

import pytest
from threecommas_client import SignedClient, sign_hmac, sign_rsa
from threecommas_client.api.smart_trades import (
    create_smart_trade,
    get_smart_trade,
    list_smart_trades,
)
from threecommas_client.models import SmartTradeCreateRequest

from .helpers import (
    DOCS_API_KEY,
    DOCS_SECRET,
    RSA_KEY_PEM,
    Recorder,
    rsa_public_pem,
    verify_signature,
)

HMAC_VECTORS = [
    (DOCS_SECRET, "/public/api/ver1/users/change_mode?mode=paper",
     "bca8d8c10acfbe8e76c5335d3efbe0a550487170a8bb7aaea0a13efabab55316"),
    (DOCS_SECRET, '/public/api/ver1/users/change_mode?{"mode": "paper"}',
     "0475b407ba6f2388d213134e478b330f74073388a232737837f79018694ae373"),
    ("abcd1234", "/public/api/ver1/bots", "505719450087661e95840d47b8bb2374ad2bb25abdcf0d99d7d410ab9b2f1d3a"),
]

RSA_VECTORS = [
    ("/public/api/ver1/users/change_mode?mode=paper",
     "W+a26NiV6KkWP5zWoaDU9nSHmfObAtbbaq+xPIKwiKIz81Mlgrek/Z51qsAWNXEMCpIGW40IYDo7BTq4FSvOVSxdfrFK3lRqBveoXW+/50QOd3p+"
     "fDe5Ku7Z0U6MvXSUeFOguMBxP7er1SLGOb5RLYI/2GPMI5txLAoSsTLjGkWOc7S3ZhUpxEfxSCp8wCFp6E99biIX2MhIT1/AAl290ID76Wr1dj9Y"
     "3QxIl6KtQlbpEqhvWBaadYaYyZR5YjHAn5NWAE2cvxLkH+SQE1khzAdB6T9ZJ9sgMtY1bOzTTV/Cj9W0SABCYr4In12+uFY0lB+ANvgi8hLr2NCl"
     "775Wdw=="),
    ('/public/api/ver1/users/change_mode{"mode": "paper"}',
     "EEVNxc6DLLb6PVNzc3jeNkVXVIfgHJVrfLws4Hm7wynLTLlDe6QpwPmOeT/5lAZDsft+sIN0nwo4SBNKmkea6mtxkcVz/8BuP3rhQVeGhRn3lAGy"
     "/nacsP35B50IMDx+ge1tnkjGGL4IbjtbfP5v+UVLMpJpWfVzQGlWpyLEL6PHAu7cuYs5Ug8lbfq4zgrpl1tSmemNVAedU4D4qYE/LaPB/z/urzoF"
     "YQZzobZbnXpLh4MRLaTjUgTNuiJawpk+j0K7Xk2AvHt+gY1TNOCmbRvjaP+ihgzZA0m4h32s7EdGMznI55C4CVftKQRVIfyR6TIifoljCG5nNJNZ"
     "tTj98Q=="),
]


@pytest.mark.parametrize(("secret", "payload", "signature"), HMAC_VECTORS)
def test_hmac_vectors(secret: str, payload: str, signature: str) -> None:
    assert sign_hmac(secret, payload) == signature
    assert sign_hmac(secret.encode(), payload.encode()) == signature


@pytest.mark.parametrize(("payload", "signature"), RSA_VECTORS)
def test_rsa_vectors(payload: str, signature: str) -> None:
    assert sign_rsa(RSA_KEY_PEM, payload) == signature


def _clients(recorder: Recorder) -> list[tuple[SignedClient, dict[str, object]]]:
    return [
        (SignedClient(api_key=DOCS_API_KEY, secret=DOCS_SECRET, transport=recorder.transport), {"secret": DOCS_SECRET}),
        (
            SignedClient(api_key=DOCS_API_KEY, private_key=RSA_KEY_PEM, transport=recorder.transport),
            {"public_pem": rsa_public_pem()},
        ),
    ]


def test_every_request_verifies_hmac_and_rsa() -> None:
    recorder = Recorder()
    body = SmartTradeCreateRequest.from_dict(
        {"account_id": 1, "pair": "USDT_BTC", "position": {"type": "buy", "order_type": "market", "units": {"value": "0.01"}}}
    )
    for client, verifier in _clients(recorder):
        recorder.requests.clear()
        list_smart_trades.sync(client=client, page=2, pair="USDT_BTC")
        get_smart_trade.sync(30404547, client=client)
        create_smart_trade.sync(client=client, body=body)
        assert len(recorder.requests) == 3
        for request in recorder.requests:
            assert request.headers["APIKEY"] == DOCS_API_KEY
            verify_signature(request, **verifier)  # type: ignore[arg-type]
        # the payload starts with the full /public/api path
        assert recorder.requests[0].url.raw_path == b"/public/api/v2/smart_trades?pair=USDT_BTC&page=2"


def test_json_body_signature_matches_docs_form() -> None:
    """HMAC over `path?{json}` as on the HMAC page; RSA over `path{json}` as on the RSA page."""
    recorder = Recorder()
    hmac_client = SignedClient(api_key=DOCS_API_KEY, secret=DOCS_SECRET, transport=recorder.transport)
    body = SmartTradeCreateRequest.from_dict(
        {"account_id": 1, "pair": "USDT_BTC", "position": {"type": "buy", "order_type": "market", "units": {"value": 1}}}
    )
    create_smart_trade.sync(client=hmac_client, body=body)
    request = recorder.requests[-1]
    payload = b"/public/api/v2/smart_trades?" + request.content
    assert request.headers["Signature"] == sign_hmac(DOCS_SECRET, payload)
    json.loads(request.content)  # the signed body is the JSON that was sent


def test_forced_mode_header() -> None:
    recorder = Recorder()
    client = SignedClient(api_key="k", secret="s", forced_mode="paper", transport=recorder.transport)
    get_smart_trade.sync(1, client=client)
    assert recorder.requests[-1].headers["Forced-Mode"] == "paper"
    plain = SignedClient(api_key="k", secret="s", transport=recorder.transport)
    get_smart_trade.sync(1, client=plain)
    assert "Forced-Mode" not in recorder.requests[-1].headers
    from threecommas_client.models import ForcedMode

    get_smart_trade.sync(1, client=client, forced_mode=ForcedMode.REAL)  # per call wins
    assert recorder.requests[-1].headers["Forced-Mode"] == "real"


def test_bad_credentials_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        SignedClient(api_key="k")
    with pytest.raises(ValueError, match="exactly one"):
        SignedClient(api_key="k", secret="s", private_key=RSA_KEY_PEM)
    with pytest.raises(ValueError, match="PEM"):
        SignedClient(api_key="k", private_key="-----BEGIN garbage")
    with pytest.raises(ValueError, match="forced_mode"):
        SignedClient(api_key="k", secret="s", forced_mode="live")  # type: ignore[arg-type]
