"""`SameThreadSession` (tests/fuzz/inprocess.py) gives the app what Schemathesis' own in-process
session gives it and hands back what the app answered, but runs the app in the calling thread."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from schemathesis.python.asgi import ASGIClient

from .inprocess import SameThreadSession

# Two answer headers of one name, and a latin-1 octet in a header value.
ANSWER_HEADERS = [
    (b"content-type", b"application/json"),
    (b"x-twice", b"one"),
    (b"x-twice", b"two"),
    (b"x-latin", b"caf\xe9"),
]


async def echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers with what it was given (and the thread it ran in); `/slow` sleeps, `/crash` raises."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["path"] == "/slow":
        await asyncio.sleep(5)
    if scope["path"] == "/crash":
        raise RuntimeError("the app failed")
    seen = {
        "method": scope["method"],
        "path": scope["path"],
        "raw_path": scope["raw_path"].decode("latin-1"),
        "query_string": scope["query_string"].decode("latin-1"),
        "headers": sorted([k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]),
        "body": body.decode("latin-1"),
        "thread": threading.get_ident(),
    }
    await send({"type": "http.response.start", "status": 201, "headers": ANSWER_HEADERS})
    await send({"type": "http.response.body", "body": json.dumps(seen).encode()})


@pytest.fixture
def sessions() -> Iterator[tuple[requests.Session, requests.Session]]:
    ours, theirs = SameThreadSession(echo), ASGIClient(echo)
    with ours, theirs:
        yield ours, theirs


REQUESTS = [
    ("GET", "http://localhost/plain", {}),
    ("GET", "http://localhost/a%20b/%E2%82%AC?x=1&y=%C3%A9&x=2", {}),
    ("POST", "http://localhost/body", {"data": "caf\u00e9 \U0001f600".encode()}),
    ("POST", "http://localhost:8080/form", {"data": {"a": "1", "b": ["2", "3"]}}),
    ("PUT", "http://localhost/json", {"json": {"n": 1.5}, "headers": {"X-Latin": "caf\u00e9"}}),
    ("DELETE", "http://localhost/empty", {"headers": {"Content-Type": "text/plain"}}),
]


@pytest.mark.parametrize(("method", "url", "kwargs"), REQUESTS, ids=[r[1] for r in REQUESTS])
def test_the_app_gets_and_answers_the_same_bytes(
    sessions: tuple[requests.Session, requests.Session], method: str, url: str, kwargs: Any
) -> None:
    ours, theirs = (session.request(method, url, **kwargs) for session in sessions)
    assert (ours.status_code, ours.raw.headers.items()) == (theirs.status_code, theirs.raw.headers.items())
    assert ours.headers["x-latin"] == "caf\u00e9"
    mine, reference = ours.json(), theirs.json()
    assert mine.pop("thread") == threading.get_ident() != reference.pop("thread")
    assert mine == reference


def test_head_answers_no_body(sessions: tuple[requests.Session, requests.Session]) -> None:
    ours, theirs = (session.head("http://localhost/plain") for session in sessions)
    assert ours.status_code == theirs.status_code == 201
    assert ours.content == theirs.content == b""


def test_a_slow_app_is_a_read_timeout() -> None:
    with SameThreadSession(echo) as session, pytest.raises(requests.exceptions.ReadTimeout):
        session.get("http://localhost/slow", timeout=0.05)


def test_an_app_error_reaches_the_caller() -> None:
    with SameThreadSession(echo) as session, pytest.raises(RuntimeError, match="the app failed"):
        session.get("http://localhost/crash")
