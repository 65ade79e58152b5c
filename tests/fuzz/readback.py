"""The fuzz runs' invariant, and a raw in-process client to check it with.

Invariant: after any accepted write, the user's data still reads back. `GET /v2/smart_trades`
(`per_page=100`) and `GET /v2/smart_trades/{id}` of the written SmartTrade answer 200 with bodies
that conform to those operations' 200 response schemas, read from openapi/3commas.yaml (never
restated here) and checked with jsonschema.

`AsgiClient` calls the app in-process with exactly the bytes it is given (path, query string,
headers as raw bytes, body), signed as the demo user unless told otherwise: hostile bytes reach the
server untouched by any HTTP client's normalisation.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from reference_server.threecommas.testing import signature_for
from reference_server.threecommas.users import DEMO_API_KEY, DEMO_SECRET

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "3commas.yaml"
PREFIX = "/public/api"
WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
_URI = "urn:fuzz:3commas"


class Contract:
    """Response and schema validators taken from the spec by operation, status and media type."""

    def __init__(self, path: Path = SPEC_PATH) -> None:
        self.document = yaml.safe_load(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(_URI, resource)
        self._validators: dict[str, Draft202012Validator] = {}

    def _follow(self, pointer: list[str]) -> list[str]:
        """`pointer`, with each `$ref` met on the way taken (responses are often `$ref`s)."""
        node: Any = self.document
        out: list[str] = []
        for part in pointer:
            while isinstance(node, dict) and "$ref" in node and part not in node:
                out = node["$ref"].lstrip("#/").split("/")
                node = self.document
                for step in out:
                    node = node[step.replace("~1", "/").replace("~0", "~")]
            node = node[part]
            out.append(part.replace("~", "~0").replace("/", "~1"))
        return out

    def validator(self, *pointer: str) -> Draft202012Validator:
        """A validator for the schema at `pointer` in the spec (e.g. a response's schema)."""
        key = "/".join(pointer)
        if key not in self._validators:
            ref = f"{_URI}#/" + "/".join(self._follow(list(pointer)))
            self._validators[key] = Draft202012Validator({"$ref": ref}, registry=self.registry)
        return self._validators[key]

    def response(self, path: str, method: str, status: str) -> Draft202012Validator:
        return self.validator(
            "paths", path, method, "responses", status, "content", "application/json", "schema"
        )

    def component(self, name: str) -> Draft202012Validator:
        return self.validator("components", "schemas", name)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content)

    def __str__(self) -> str:
        text = self.content[:400].decode("utf-8", "replace")
        return f"{self.status} {text}"


class AsgiClient:
    """Calls an ASGI app on its own event loop, one request at a time, bytes as given."""

    def __init__(self, app: Any, api_key: str = DEMO_API_KEY, secret: str = DEMO_SECRET) -> None:
        self.app = app
        self.api_key = api_key
        self.secret = secret
        self.loop = asyncio.new_event_loop()

    def close(self) -> None:
        self.loop.close()

    def request(
        self,
        method: str,
        path: str,
        query: bytes = b"",
        body: bytes = b"",
        content_type: str | None = None,
        headers: list[tuple[bytes, bytes]] | None = None,
        sign: bool = True,
    ) -> Answer:
        """`path` below /public/api, percent-encoded as on the wire; `query` without `?`."""
        raw_path = (PREFIX + path).encode("ascii")
        all_headers = [(b"host", b"testserver")]
        if content_type is not None:
            all_headers.append((b"content-type", content_type.encode("latin-1")))
        if body:
            all_headers.append((b"content-length", str(len(body)).encode()))
        if sign:
            signature = signature_for(self.secret, raw_path, query, body)
            all_headers += [(b"apikey", self.api_key.encode()), (b"signature", signature.encode())]
        all_headers += headers or []
        return self.loop.run_until_complete(self._call(method, raw_path, query, body, all_headers))

    def json(self, method: str, path: str, data: Any = None, query: bytes = b"") -> Answer:
        body = b"" if data is None else json.dumps(data).encode()
        return self.request(method, path, query, body, "application/json" if body else None)

    async def _call(
        self, method: str, raw_path: bytes, query: bytes, body: bytes, headers: list[Any]
    ) -> Answer:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": unquote_to_bytes(raw_path).decode("utf-8", "replace"),
            "raw_path": raw_path,
            "query_string": query,
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        delivered = False

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}

        status = 0
        answer_headers: dict[str, str] = {}
        chunks: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    answer_headers[name.decode("latin-1").lower()] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, receive, send)
        except Exception:  # noqa: BLE001
            # Starlette re-raises an unhandled error after its 500 answer went out.
            if status == 0:
                status = 500
        return Answer(status, answer_headers, b"".join(chunks))


class ReadBack:
    """The invariant, checked through `client` against the spec's response schemas."""

    def __init__(self, client: AsgiClient, contract: Contract) -> None:
        self.client = client
        self.list_schema = contract.response("/v2/smart_trades", "get", "200")
        self.get_schema = contract.response("/v2/smart_trades/{id}", "get", "200")

    def check(self, trade_id: Any, after: str) -> None:
        """Raise AssertionError unless the list and the SmartTrade `trade_id` read back."""
        listed = self.client.request("GET", "/v2/smart_trades", b"per_page=100")
        _conforms(listed, self.list_schema, f"GET /v2/smart_trades?per_page=100 after {after}")
        if trade_id is None:
            return
        one = self.client.request("GET", f"/v2/smart_trades/{trade_id}")
        _conforms(one, self.get_schema, f"GET /v2/smart_trades/{trade_id} after {after}")


def _conforms(answer: Answer, validator: Draft202012Validator, what: str) -> None:
    if answer.status != 200:
        raise AssertionError(f"the user's data no longer reads back: {what} answered {answer}")
    try:
        body = answer.json()
    except ValueError:
        raise AssertionError(
            f"{what} answered 200 with a body that is not JSON: {answer}"
        ) from None
    error = next(iter(validator.iter_errors(body)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path)
        raise AssertionError(f"{what}: body breaks the spec at /{where}: {error.message[:300]}")


def written_trade_id(operation_id: str, path_parameters: dict[str, Any], body: Any) -> Any:
    """The SmartTrade an accepted write changed: the created one, or the one in the path."""
    if operation_id == "create_smart_trade":
        return body.get("id") if isinstance(body, dict) else None
    for name in ("smart_trade_id", "id"):
        if name in (path_parameters or {}):
            return path_parameters[name]
    return None
