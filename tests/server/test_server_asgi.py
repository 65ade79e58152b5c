"""The core as a plain ASGI app (no framework): headers, lifespan, websocket, and a client that
leaves mid-body, driven with raw ASGI messages."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from reference_server.app import Headers, create_app


def test_headers_are_case_insensitive_and_keep_every_pair() -> None:
    headers = Headers([(b"APIKEY", b"first"), (b"x-b", b"\xe9"), (b"apikey", b"second")])
    assert headers["apikey"] == headers.get("ApiKey") == "first"
    assert headers.get("x-B") == "\xe9" and "X-b" in headers and headers.get("none") is None
    assert headers.items() == [("apikey", "first"), ("x-b", "\xe9"), ("apikey", "second")]
    assert len(headers) == 3 and list(headers) == ["apikey", "x-b", "apikey"]


def _run(scope: dict[str, Any], incoming: list[dict[str, Any]]) -> list[dict[str, Any]]:
    app = create_app(rate_limit=False)
    sent: list[dict[str, Any]] = []
    queue = list(incoming)

    async def receive() -> dict[str, Any]:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def _http(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
    }


def test_lifespan_is_acknowledged_and_a_websocket_closed() -> None:
    sent = _run({"type": "lifespan"}, [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    sent = _run({"type": "websocket", "path": "/"}, [{"type": "websocket.connect"}])
    assert [m["type"] for m in sent] == ["websocket.close"]


def test_a_wrong_method_answers_json_405_with_allow() -> None:
    sent = _run(_http("PUT", "/public/api/v2/smart_trades", []), [{"type": "http.request"}])
    start, body = sent
    assert start["status"] == 405
    headers = dict(start["headers"])
    assert headers[b"content-type"] == b"application/json"
    assert headers[b"allow"] == b"GET, POST"
    assert headers[b"content-length"] == str(len(body["body"])).encode()
    assert "error" in json.loads(body["body"])


def test_a_client_gone_mid_body_gets_no_answer() -> None:
    scope = _http("POST", "/public/api/v2/smart_trades", [(b"content-type", b"application/json")])
    assert _run(scope, [{"type": "http.request", "body": b"{", "more_body": True}]) == []


def test_a_streamed_body_past_the_limit_answers_413() -> None:
    chunk = {"type": "http.request", "body": b"x" * 40_000, "more_body": True}
    sent = _run(_http("POST", "/public/api/v2/smart_trades", []), [chunk, chunk, chunk])
    assert sent[0]["status"] == 413


def test_the_fast_http_stack_is_used_when_installed_and_skipped_when_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    from reference_server.__main__ import fast_stack

    assert fast_stack() == {"http": "httptools", "loop": "uvloop"}  # both are in the lock file
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert fast_stack() == {}  # uvicorn's own h11 and asyncio then


@pytest.mark.parametrize("declared", ["²", "１２", " ³ "])
def test_a_content_length_of_non_ascii_digits_is_not_a_crash(declared: str) -> None:
    # `²` is a digit to str.isdigit() but no int() can read it (it was a 500). HTTP servers refuse
    # such a header before the app; an in-process ASGI caller reaches it.
    headers = [(b"content-type", b"application/json"), (b"content-length", declared.encode("latin-1", "replace"))]
    sent = _run(_http("POST", "/public/api/v2/smart_trades", headers), [{"type": "http.request", "body": b"{}"}])
    assert sent and 400 <= sent[0]["status"] < 500
    assert "error" in json.loads(sent[1]["body"])
