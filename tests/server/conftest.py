"""A live reference server on a free loopback port and a signing client for it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reference_server.app import create_app
from reference_server.spec_validation import SPEC_URI, Spec, Validator
from reference_server.testing import ServerThread
from reference_server.threecommas.api import SPEC
from reference_server.threecommas.testing import HmacAuth
from reference_server.threecommas.users import DEMO_API_KEY, DEMO_SECRET, Account, User, demo_users
from tests.tls import VERIFY

OTHER_KEY, OTHER_SECRET, OTHER_ACCOUNT = "other-user-key", "other-user-secret", 55501
_SPEC = Spec(SPEC)


def _schema_validator(name: str) -> Any:
    return Validator({"$ref": f"{SPEC_URI}#/components/schemas/{name}"}, registry=_SPEC.registry)


SMART_TRADE = _schema_validator("SmartTrade")
TRADE = _schema_validator("Trade")
ERROR = _schema_validator("Error")


class Api:
    """Bare httpx with our own signing; checks every body against the spec's schemas."""

    def __init__(
        self, base_url: str, api_key: str = DEMO_API_KEY, secret: str = DEMO_SECRET
    ) -> None:
        self.base_url = base_url
        self.http = httpx.Client(
            base_url=base_url + "/public/api", auth=HmacAuth(api_key, secret), verify=VERIFY
        )

    def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        if body is not None:
            kwargs["content"] = json.dumps(body)
            kwargs.setdefault("headers", {})["Content-Type"] = "application/json"
        response = self.http.request(method, path, **kwargs)
        assert response.headers["content-type"].startswith("application/json"), response.text
        data = response.json()
        if response.status_code >= 400:
            ERROR.validate(data)
        elif isinstance(data, dict) and "position" in data:
            SMART_TRADE.validate(data)
        elif isinstance(data, list):
            for item in data:
                (SMART_TRADE if "position" in item else TRADE).validate(item)
        return response

    def ok(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        response = self.call(method, path, body, **kwargs)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def price(self, pair: str, last: str, bid: str | None = None, ask: str | None = None) -> None:
        body = {
            "pair": pair,
            "last": last,
            **({"bid": bid} if bid else {}),
            **({"ask": ask} if ask else {}),
        }
        response = httpx.post(self.base_url + "/_reference/prices", json=body, verify=VERIFY)
        assert response.status_code == 200, response.text


def users() -> list[User]:
    return [
        *demo_users(),
        User(
            OTHER_KEY,
            OTHER_SECRET,
            None,
            (Account(OTHER_ACCOUNT, "binance", "Other", "Binance Spot"),),
        ),
    ]


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(create_app(users=users(), rate_limit=False)) as running:
        yield running


@pytest.fixture
def api(server: ServerThread) -> Iterator[Api]:
    client = Api(server.base_url)
    yield client
    client.http.close()


@pytest.fixture
def other(server: ServerThread) -> Iterator[Api]:
    client = Api(server.base_url, OTHER_KEY, OTHER_SECRET)
    yield client
    client.http.close()
