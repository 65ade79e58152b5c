"""How the clients build and sign a request: the URL of an operation's path is the one httpx merges from the base
URL (parsed once), and the signing headers are set on the built request, as `SigningAuth` sets them on a plain
httpx client."""

from __future__ import annotations

from typing import Any

import httpx
import poloniex_client as pc
import pytest
import threecommas_client as tc
from poloniex_client.client import _plain_path as poloniex_plain_path
from poloniex_client.client import _url_joiner as poloniex_url_joiner
from threecommas_client.client import _joined_parts, _joined_text, _plain_path, _url_joiner
from threecommas_client.signing import Signer, SigningAuth

from tests.tls import VERIFY

BASES = [
    "https://api.3commas.io/public/api",
    "https://api.poloniex.com",
    "https://api.poloniex.com/",
    "http://127.0.0.1:8123/public/api/",
    "http://user:pw@example.com:81/a%20b/c",
    "http://[::1]:8000/x",
    "https://xn--bcher-kva.example/",
]
PATHS = [
    "/v2/smart_trades/1",
    "/smartorders/cid:myId-1",
    "/v2/smart_trades/a%2Fb/close_by_market",
    "/v2/x/%41%zz",
    "/v2/x/caf%C3%A9",
    "/",
    "/v2/smart_trades/..",
    "/v2/../../x",
    "//other.example/x",
    "/v2/x?q=1",
    "/v2/x#f",
    "v2/relative",
    "/v2/x y",
    "/v2/x/é",
    "/v2/x/a\"b",
    "/v2/.well-known",
    "/v2/smart_trades/1/",
]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("joiner_of, plain", [(_url_joiner, _plain_path), (poloniex_url_joiner, poloniex_plain_path),
                                              (_joined_parts, _plain_path), (_joined_text, _plain_path)])
def test_joined_url_is_httpx_merge(base: str, joiner_of: Any, plain: Any) -> None:
    http = httpx.Client(base_url=base, verify=VERIFY)
    join = joiner_of(http.base_url)
    assert join is not None
    joined = 0
    for path in PATHS:
        if plain(path):
            url, merged = join(path), http.build_request("GET", path).url
            assert (url, url.raw_path, str(url), url.host, url.port) == (
                merged, merged.raw_path, str(merged), merged.host, merged.port), path
            joined += 1
    assert joined >= 6
    for path in ("/v2/../x", "//h/x", "/x?q", "x", "/x y", "/é", "/a%zz", "/.hidden"):
        assert not plain(path)


def test_joiner_is_the_parts_one() -> None:
    join = _url_joiner(httpx.Client(base_url="https://api.3commas.io/public/api", verify=VERIFY).base_url)
    assert join is not None and join.__qualname__.startswith("_joined_parts")


def test_base_url_with_query_is_left_to_httpx() -> None:
    assert _url_joiner(httpx.Client(base_url="http://h/api?x=1", verify=VERIFY).base_url) is None


def test_client_sends_what_httpx_merges() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = tc.AuthenticatedClient(api_key="k", secret="s", base_url="https://api.3commas.io/public/api",
                                    transport=httpx.MockTransport(handle))
    for path in PATHS:
        client.call("op", {"method": "get", "url": path})
        expected = httpx.Client(base_url="https://api.3commas.io/public/api", verify=VERIFY).build_request("GET", path).url
        assert seen[-1].url == expected, path


def test_signing_auth_on_plain_httpx_signs_as_the_client() -> None:
    """SigningAuth is still an httpx.Auth: a plain httpx client signs exactly as the SDK's clients do."""
    requests: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(204)

    transport = httpx.MockTransport(handle)
    base = "https://api.3commas.io/public/api"
    auth = SigningAuth(Signer(api_key="key", secret="secret"), "paper")
    with httpx.Client(base_url=base, transport=transport, auth=auth) as plain:
        plain.post("/v2/smart_trades", content=b'{"a":1}', headers={"Content-Type": "application/json"})
    client = tc.AuthenticatedClient(api_key="key", secret="secret", base_url=base, forced_mode="paper", transport=transport)
    client.call("op", {"method": "post", "url": "/v2/smart_trades", "content": b'{"a":1}',
                       "headers": {"Content-Type": "application/json"}})
    first, second = requests
    for name in ("APIKEY", "Signature", "Forced-Mode"):
        assert first.headers[name] == second.headers[name]
    assert first.headers["Signature"] == tc.sign_hmac("secret", b'/public/api/v2/smart_trades?{"a":1}')


def test_poloniex_signing_auth_on_plain_httpx_signs_as_the_client() -> None:
    requests: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(204)

    transport = httpx.MockTransport(handle)
    auth = pc.signing.SigningAuth(pc.signing.Signer(api_key="key", secret="secret"), clock=lambda: 1700000000000)
    with httpx.Client(base_url="https://api.poloniex.com", transport=transport, auth=auth) as plain:
        plain.get("/smartorders/history", params={"symbol": "A B"})
    client = pc.AuthenticatedClient(api_key="key", secret="secret", clock=lambda: 1700000000000, transport=transport)
    client.call("op", {"method": "get", "url": "/smartorders/history", "params": {"symbol": "A B"}})
    first, second = requests
    for name in ("key", "signTimestamp", "signature", "Content-Type"):
        assert first.headers[name] == second.headers[name]
    assert first.headers["signature"] == pc.sign_request("secret", "GET", "/smartorders/history", 1700000000000,
                                                         query=[("symbol", "A B")])
