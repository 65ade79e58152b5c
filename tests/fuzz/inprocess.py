"""Calling an ASGI app in the calling thread: the one ASGI exchange of the fuzz tests' in-process
clients (`readback.AsgiClient`, and `SameThreadSession`, the session Schemathesis sends cases with).

Schemathesis' own in-process session runs the app on an event loop in another thread, reached through
an anyio portal: two thread hops per request, about 190 µs of the 280 µs a small request costs there
(the app itself takes 25 µs). `SameThreadSession` is that session (a `requests.Session`, so
Schemathesis treats it as its own) with an adapter that runs the app on an event loop of the
calling thread instead; the bytes the app gets and answers are the same (tests/fuzz/test_inprocess.py).
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
import urllib3
from schemathesis.python.asgi import ASGIClient


@dataclass
class Collected:
    """What the app sent: the status (0 before `http.response.start`), the headers, the body."""

    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)


async def call_app(app: Any, scope: dict[str, Any], body: bytes, into: Collected) -> None:
    """One request to `app`, its whole body at once; what it answers goes `into`. An exception of
    the app propagates (after whatever it sent)."""
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            into.status = message["status"]
            into.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            into.chunks.append(message.get("body", b""))

    await app(scope, receive, send)


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    return b"".join(c.encode("utf-8") if isinstance(c, str) else bytes(c) for c in body)


class _SameThreadAdapter(requests.adapters.HTTPAdapter):
    def __init__(self, app: Any) -> None:
        super().__init__()
        self.app = app
        self.loop = asyncio.new_event_loop()

    def close(self) -> None:
        if not self.loop.is_closed():
            self.loop.close()

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, *args: Any, timeout: Any = None, **kwargs: Any
    ) -> requests.Response:
        parts = urlsplit(str(request.url))
        port = parts.port or {"http": 80, "https": 443}[parts.scheme]
        host = parts.hostname or ""
        headers = [] if "host" in request.headers else [(b"host", parts.netloc.encode("latin-1"))]
        # Header text goes to the app as the latin-1 octets a real server would give it.
        headers += [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in request.headers.items()
        ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": parts.scheme,
            "path": unquote(parts.path),
            "raw_path": parts.path.encode("latin-1"),
            "query_string": parts.query.encode("latin-1"),
            "root_path": "",
            "headers": headers,
            "client": ("testclient", 50000),
            "server": (host, port),
        }
        collected = Collected()
        call = call_app(self.app, scope, _body_bytes(request.body), collected)
        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        try:
            self.loop.run_until_complete(asyncio.wait_for(call, read_timeout))
        except TimeoutError:
            raise requests.exceptions.ReadTimeout(
                f"Read timed out. (read timeout={read_timeout})", request=request
            ) from None
        if collected.status == 0:
            raise RuntimeError("the application did not answer")
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(b"" if request.method == "HEAD" else collected.body),
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in collected.headers],
            status=collected.status,
            version=11,
            preload_content=False,
            request_method=request.method,
        )
        return self.build_response(request, raw)


class SameThreadSession(ASGIClient):
    """Schemathesis' in-process session, calling the app in this thread (see the module's doc)."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.adapter = _SameThreadAdapter(app)  # type: ignore[assignment]
        self.mount("http://", self.adapter)
        self.mount("https://", self.adapter)
        self.trust_env = False  # in-process: no proxy, no .netrc
