"""The transport keyword arguments of `httpx_args` reach the SDK's transport (httpx ignores them on a client it hands
a transport, as the SDK's clients always do), and default verification shares one SSL context per process."""

from __future__ import annotations

import ssl
from typing import Any

import httpx
import pytest
from poloniex_client import Client as PoloniexClient
from threecommas_client import Client as ThreecommasClient

CLIENTS = pytest.mark.parametrize("client_type", [ThreecommasClient, PoloniexClient], ids=["threecommas", "poloniex"])


def _pools(client: Any) -> list[Any]:
    return [client.get_httpx_client()._transport._pool, client.get_async_httpx_client()._transport._pool]


@CLIENTS
def test_verify_and_limits_reach_the_transport(client_type: Any) -> None:
    context = ssl.create_default_context()
    limits = httpx.Limits(max_connections=3, max_keepalive_connections=1)
    client = client_type(httpx_args={"verify": context, "limits": limits})
    for pool in _pools(client):
        assert pool._ssl_context is context
        assert pool._max_connections == 3


@CLIENTS
def test_verify_false_is_not_ignored(client_type: Any) -> None:
    for pool in _pools(client_type(httpx_args={"verify": False})):
        assert pool._ssl_context.verify_mode == ssl.CERT_NONE


@CLIENTS
def test_clients_with_default_verification_share_one_verifying_context(client_type: Any) -> None:
    first, second = _pools(client_type()), _pools(client_type())
    contexts = {id(pool._ssl_context) for pool in first + second}
    assert len(contexts) == 1
    context = first[0]._ssl_context
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs(), "the default CA bundle is loaded"
    # Verification of one's own (a CA file, a client certificate) is not shared.
    assert _pools(client_type(httpx_args={"verify": ssl.create_default_context()}))[0]._ssl_context is not context
