"""The fuzz runs' invariant, and a raw in-process client to check it with.

Invariant, per API: after any accepted write, the user's data still reads back. The API's list
operations and its get operation on the written resource answer 2xx with bodies that conform to
those operations' response schemas, read from the API's spec (never restated here) and checked
with jsonschema. Which operations (and the list queries) is the API's `ReadBack` table, in its
package's `fuzz` module (e.g. 3Commas: `list_smart_trades?per_page=100`, `get_smart_trade`;
Poloniex: `list_smart_orders` with every type, `list_smart_order_history`, `get_smart_order`).

`AsgiClient` calls the app in-process with exactly the bytes it is given (path below the API's
prefix, query string, headers as raw bytes, body), signed as the API's demo user unless told
otherwise: hostile bytes reach the server untouched by any HTTP client's normalisation.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_to_bytes, urlencode

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from reference_server.fuzzing import FuzzProfile, profile_named
from spec_tools.load import load_yaml

from .inprocess import Collected, call_app

WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
_URI = "urn:fuzz:spec"


class Contract:
    """Response and schema validators taken from the spec by operation, status and media type."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or profile_named("3commas").api.spec_path
        self.document = load_yaml(path)
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

    def operation(self, operation_id: str) -> tuple[str, str]:
        """(path template, lowercase method) of an operation."""
        for path, item in self.document["paths"].items():
            for method, operation in item.items():
                if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                    return path, method
        raise LookupError(operation_id)

    def success(self, operation_id: str) -> tuple[str, str, Draft202012Validator]:
        """(path, method, validator of its 2xx JSON body) of an operation."""
        path, method = self.operation(operation_id)
        responses = self.document["paths"][path][method]["responses"]
        status = next(code for code in responses if str(code).startswith("2"))
        return path, method, self.response(path, method, str(status))

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

    def __init__(self, app: Any, profile: FuzzProfile | None = None) -> None:
        self.app = app
        self.profile = profile or profile_named("3commas")
        self.prefix = self.profile.api.prefix
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
        """`path` below the API's prefix, percent-encoded as on the wire; `query` without `?`."""
        raw_path = (self.prefix + path).encode("ascii")
        all_headers = [(b"host", b"testserver")]
        if content_type is not None:
            all_headers.append((b"content-type", content_type.encode("latin-1")))
        if body:
            all_headers.append((b"content-length", str(len(body)).encode()))
        if sign:
            all_headers += self.profile.sign_raw(method, raw_path, query, body)
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
        collected = Collected()
        try:
            await call_app(self.app, scope, body, collected)
        except Exception:  # noqa: BLE001
            # Starlette re-raises an unhandled error after its 500 answer went out.
            if collected.status == 0:
                collected.status = 500
        headers_by_name = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in collected.headers
        }
        return Answer(collected.status, headers_by_name, collected.body)


class ReadBack:
    """The invariant of the client's API, checked through `client` against the spec's response
    schemas, with the operations its profile's `ReadBack` table names."""

    def __init__(self, client: AsgiClient, contract: Contract) -> None:
        self.client = client
        self.plan = client.profile.read_back
        self.lists = []
        for operation_id, query in self.plan.lists:
            path, _, validator = contract.success(operation_id)
            self.lists.append((path, urlencode(dict(query)).encode(), validator))
        self.get_path, _, self.get_schema = contract.success(self.plan.get)

    def check(self, resource_id: Any, after: str) -> None:
        """Raise AssertionError unless the lists and the resource `resource_id` read back."""
        for path, query, validator in self.lists:
            listed = self.client.request("GET", path, query)
            shown = f"GET {path}{'?' + query.decode() if query else ''}"
            _conforms(listed, validator, f"{shown} after {after}")
        if resource_id is None:
            return
        path = self.get_path.replace(
            "{" + self.plan.get_parameter + "}", quote(str(resource_id), safe=":")
        )
        one = self.client.request("GET", path)
        _conforms(one, self.get_schema, f"GET {path} after {after}")

    def written_id(self, operation_id: str, path_parameters: dict[str, Any], body: Any) -> Any:
        return self.plan.written_id(operation_id, path_parameters, body)


def _conforms(answer: Answer, validator: Draft202012Validator, what: str) -> None:
    if not 200 <= answer.status < 300:
        raise AssertionError(f"the user's data no longer reads back: {what} answered {answer}")
    try:
        body = answer.json()
    except ValueError:
        raise AssertionError(
            f"{what} answered {answer.status} with a body that is not JSON: {answer}"
        ) from None
    error = next(iter(validator.iter_errors(body)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path)
        raise AssertionError(f"{what}: body breaks the spec at /{where}: {error.message[:300]}")
