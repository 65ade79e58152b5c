"""ver1 SmartTrades over loopback HTTP: a signing client whose every answer is checked against the
response schema the spec gives the operation for that status."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reference_server.spec_validation import SPEC_URI, Spec, Validator
from reference_server.testing import ServerThread
from reference_server.threecommas.api import SPEC as THREECOMMAS_SPEC
from reference_server.threecommas.testing import HmacAuth
from reference_server.threecommas.users import DEMO_API_KEY, DEMO_SECRET
from tests.tls import VERIFY

from ..conftest import OTHER_KEY, OTHER_SECRET

SPEC = Spec(THREECOMMAS_SPEC)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def response_schema(method: str, path: str, status: int) -> Any:
    """A `$ref` to the operation's answer schema for `status` (or its `4XX`/`5XX` range)."""
    op, _, _ = SPEC.match(method, path)
    assert op is not None, (method, path)
    responses = SPEC.document["paths"][op.template][op.method.lower()]["responses"]
    key = str(status) if str(status) in responses else f"{str(status)[0]}XX"
    assert key in responses, f"{op.operation_id} documents no {status}"
    raw = responses[key]
    pointer = (
        raw["$ref"]
        if "$ref" in raw
        else f"#/paths/{_escape(op.template)}/{op.method.lower()}/responses/{key}"
    )
    return {"$ref": f"{SPEC_URI}{pointer}/content/application~1json/schema"}


class V1Api:
    """Bare httpx with our own signing; every body checked against the spec."""

    def __init__(self, base_url: str, api_key: str, secret: str) -> None:
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
        schema = response_schema(method, path.split("?", 1)[0], response.status_code)
        Validator(schema, registry=SPEC.registry).validate(response.json())
        return response

    def ok(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        response = self.call(method, path, body, **kwargs)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def refused(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        """400 `Wrong param(s)`: the status does not allow the action."""
        response = self.call(method, path, body)
        assert response.status_code == 400, response.text
        data: dict[str, Any] = response.json()
        assert data["error"] == "Wrong param(s)"
        return data

    def invalid(self, method: str, path: str, body: Any = None) -> dict[str, list[str]]:
        """422 `record_invalid`: its `error_attributes`."""
        response = self.call(method, path, body)
        assert response.status_code == 422, response.text
        assert response.json()["error"] == "record_invalid"
        attributes: dict[str, list[str]] = response.json()["error_attributes"]
        return attributes

    def get(self, trade_id: int) -> dict[str, Any]:
        """ver1 has no single read: the trade from the list."""
        trades = self.ok("GET", "/ver1/smart_trades", params={"limit": 1000})
        found: dict[str, Any] = next(t for t in trades if t["id"] == trade_id)
        return found

    def price(self, pair: str, last: str, bid: str | None = None, ask: str | None = None) -> None:
        body = {"pair": pair, "last": last, "bid": bid or last, "ask": ask or last}
        response = httpx.post(self.base_url + "/_reference/prices", json=body, verify=VERIFY)
        assert response.status_code == 200, response.text


@pytest.fixture
def v1(server: ServerThread) -> Iterator[V1Api]:
    client = V1Api(server.base_url, DEMO_API_KEY, DEMO_SECRET)
    yield client
    client.http.close()


@pytest.fixture
def v1_other(server: ServerThread) -> Iterator[V1Api]:
    client = V1Api(server.base_url, OTHER_KEY, OTHER_SECRET)
    yield client
    client.http.close()
