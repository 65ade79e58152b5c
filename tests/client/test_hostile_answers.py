"""Answers a real API or a hostile server may give: any 2xx code, bodies that are not the documented one, failures
in transport, slow drips and gzip bombs. Whatever comes back, the caller sees a parsed model or an exception of
the package (ThreeCommasError), never json/httpx/RecursionError/UnicodeDecodeError."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import threecommas_client as tc
from threecommas_client._retry import RetryPolicy
from threecommas_client.api.smart_trades import (
    cancel_smart_trade,
    create_smart_trade,
    get_smart_trade,
    list_smart_trades,
)
from threecommas_client.errors import error_from_response
from threecommas_client.models import SmartTrade, SmartTradeCreateRequest

from .helpers import DOCS_API_KEY, DOCS_SECRET, RSA_KEY_PEM, SEED_003, Recorder, no_sleep

CREATE = SmartTradeCreateRequest.from_dict(
    {"account_id": 1, "pair": "USDT_BTC", "position": {"type": "buy", "order_type": "market", "units": {"value": "1"}}}
)
SEED = json.loads(SEED_003)


def _client(transport: httpx.MockTransport, **kwargs: Any) -> tc.SignedClient:
    policy = RetryPolicy(max_retries=2, backoff=0.0, sleep=no_sleep, async_sleep=lambda _: asyncio.sleep(0))
    return tc.SignedClient(api_key=DOCS_API_KEY, secret=DOCS_SECRET, transport=transport, retry_policy=policy, **kwargs)


def _create(client: tc.SignedClient, mode: str) -> SmartTrade:
    if mode == "sync":
        return create_smart_trade.sync(client=client, body=CREATE)
    return asyncio.run(create_smart_trade.asyncio(client=client, body=CREATE))


def _get(client: tc.SignedClient, mode: str) -> SmartTrade:
    if mode == "sync":
        return get_smart_trade.sync(1, client=client)
    return asyncio.run(get_smart_trade.asyncio(1, client=client))


MODES = ["sync", "async"]


# --- any 2xx with the documented body is a success ----------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [200, 201, 202, 299])
def test_any_2xx_with_the_schema_body_parses(status: int, mode: str) -> None:
    recorder = Recorder([(status, SEED)])
    trade = _create(_client(recorder.transport), mode)
    assert trade.id == 30404547


def test_detailed_response_keeps_an_unregistered_2xx_code() -> None:
    recorder = Recorder([(299, SEED)])
    response = create_smart_trade.sync_detailed(client=_client(recorder.transport), body=CREATE)
    assert response.status_code == 299 and response.parsed.id == 30404547


def test_201_on_a_get_parses_too() -> None:
    recorder = Recorder([(201, [SEED])])
    trades = list_smart_trades.sync(client=_client(recorder.transport))
    assert [t.id for t in trades] == [30404547]


# --- a 2xx without the documented body is a WireValueError naming the operation -----------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000
BAD_BODIES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "response body is empty"),
    "blank": (b" \r\n", "response body is empty"),
    "html": (b"<html><body>502 Bad Gateway</body></html>", "response body is not valid JSON"),
    "truncated": (SEED_003.encode()[:200], "response body is not valid JSON"),
    "nan": (b'{"id": NaN}', "response body is not valid JSON"),
    "infinity": (b"[Infinity]", "response body is not valid JSON"),
    "deep": (DEEP, "response body is not valid JSON"),
    "deep_object": (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "response body is not valid JSON"),
    "huge_int": (b'{"id": ' + b"9" * 5000 + b"}", "response body is not valid JSON"),
    "huge_exponent": (b'{"id": 1e999999999999}', "SmartTrade"),
    "not_utf8": (b'{"pair": "\xff\xfe"}', "response body is not valid JSON"),
    "list": (b"[1, 2]", "SmartTrade"),
    "string": (b'"ok"', "SmartTrade"),
    "null": (b"null", "SmartTrade"),
    "missing_field": (b'{"id": 1}', "SmartTrade"),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_2xx_without_the_documented_body(name: str, mode: str) -> None:
    body, says = BAD_BODIES[name]
    recorder = Recorder([(200, body)])
    with pytest.raises(tc.WireValueError) as info:
        _create(_client(recorder.transport), mode)
    exc = info.value
    assert type(exc) is tc.WireValueError  # not a JSONDecodeError or UnicodeDecodeError dressed up
    assert str(exc).startswith("create_smart_trade: ")
    assert says in str(exc)
    assert exc.operation == "create_smart_trade"
    assert len(str(exc)) < 1000


@pytest.mark.parametrize("body", [b"{}", b'{"a": 1}', b"[[1]]", b'["x"]', b"7", DEEP])
def test_list_operation_with_a_wrong_shape(body: bytes) -> None:
    recorder = Recorder([(200, body)])
    with pytest.raises(tc.WireValueError) as info:
        list_smart_trades.sync(client=_client(recorder.transport))
    assert str(info.value).startswith("list_smart_trades: ")


def test_wire_value_error_is_a_value_error_and_a_package_error() -> None:
    exc = tc.WireValueError("SmartTrade.id", "required field is missing")
    assert isinstance(exc, ValueError) and isinstance(exc, tc.ThreeCommasError)
    for cls in (tc.ApiConnectionError, tc.ApiTimeoutError, tc.ResponseTooLargeError, tc.ApiError):
        assert issubclass(cls, tc.ThreeCommasError)
    assert issubclass(tc.ApiTimeoutError, tc.ApiConnectionError)


# --- error bodies: error_from_response never fails -----------------------------------------------------------------

HOSTILE_ERROR_BODIES = [
    DEEP,
    b'{"error": ' + b"[" * 990 + b"]" * 990 + b"}",  # decodes, but str() of it may recurse too far
    b'{"error": NaN}',
    b"\xff\xfe\x00garbage",
    b'{"error": "x", "error_attributes": {"a": ' + b"[" * 990 + b"]" * 990 + b"}}",
    b'{"error": ' + b"9" * 5000 + b"}",
    b"",
    b"null",
    b'["record_invalid"]',
]


@pytest.mark.parametrize("body", HOSTILE_ERROR_BODIES)
@pytest.mark.parametrize("status", [400, 404, 422, 429, 418, 500, 409])
def test_error_from_response_never_fails(body: bytes, status: int) -> None:
    request = httpx.Request("GET", "https://api.3commas.io/public/api/v2/smart_trades/1")
    exc = error_from_response(httpx.Response(status, content=body, request=request))
    assert isinstance(exc, tc.ApiError) and exc.status_code == status and exc.body == body
    str(exc), repr(exc)


@pytest.mark.parametrize("mode", MODES)
def test_deeply_nested_error_body_is_the_typed_error(mode: str) -> None:
    recorder = Recorder([(422, DEEP)])
    with pytest.raises(tc.UnprocessableEntity) as info:
        _create(_client(recorder.transport), mode)
    assert info.value.body == DEEP


# --- transport failures are package errors; writes are never retried -----------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("mode", MODES)
def test_connection_refused_is_api_connection_error(mode: str) -> None:
    client = tc.SignedClient(
        api_key=DOCS_API_KEY, secret=DOCS_SECRET, base_url=f"http://127.0.0.1:{_free_port()}/public/api",
        retry_policy=RetryPolicy(max_retries=0),
    )
    with pytest.raises(tc.ApiConnectionError) as info:
        _create(client, mode)
    exc = info.value
    assert not isinstance(exc, tc.ApiTimeoutError)
    assert isinstance(exc.__cause__, httpx.ConnectError)
    assert exc.operation == "create_smart_trade" and exc.method == "POST"
    assert str(exc).startswith("create_smart_trade: ConnectError")


class Failing:
    """A mock transport that raises `error` for every request, counting them."""

    def __init__(self, error: type[httpx.TransportError]) -> None:
        self.error = error
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        raise self.error("boom", request=request)


FAILURES = [(httpx.ConnectError, tc.ApiConnectionError), (httpx.ReadError, tc.ApiConnectionError),
            (httpx.RemoteProtocolError, tc.ApiConnectionError), (httpx.ReadTimeout, tc.ApiTimeoutError),
            (httpx.ConnectTimeout, tc.ApiTimeoutError), (httpx.PoolTimeout, tc.ApiTimeoutError)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("error", "expected"), FAILURES)
def test_post_is_never_retried(error: type[httpx.TransportError], expected: type[Exception], mode: str) -> None:
    failing = Failing(error)
    with pytest.raises(expected) as info:
        _create(_client(failing.transport), mode)
    assert len(failing.requests) == 1
    assert isinstance(info.value.__cause__, error)


@pytest.mark.parametrize("mode", MODES)
def test_delete_is_never_retried(mode: str) -> None:
    failing = Failing(httpx.ReadTimeout)
    client = _client(failing.transport)
    with pytest.raises(tc.ApiTimeoutError):
        if mode == "sync":
            cancel_smart_trade.sync(1, client=client)
        else:
            asyncio.run(cancel_smart_trade.asyncio(1, client=client))
    assert len(failing.requests) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("error", "expected"), FAILURES)
def test_get_is_retried_then_fails_with_a_package_error(
    error: type[httpx.TransportError], expected: type[Exception], mode: str
) -> None:
    failing = Failing(error)
    with pytest.raises(expected):
        _get(_client(failing.transport), mode)
    assert len(failing.requests) == 3  # the first try + max_retries


@pytest.mark.parametrize("mode", MODES)
def test_get_retried_after_a_timeout_succeeds(mode: str) -> None:
    calls: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, json=SEED)

    assert _get(_client(httpx.MockTransport(handle)), mode).id == 30404547
    assert len(calls) == 2


# --- a real loopback server: deadlines and sizes -------------------------------------------------------------------


class RawServer:
    """A loopback HTTP/1.1 server: each request's head (and body) is read, then `answer(socket)` writes the reply."""

    def __init__(self, answer: Callable[[socket.socket], None]) -> None:
        self.answer = answer
        self.requests = 0
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/public/api"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                piece = conn.recv(65536)
                if not piece:
                    return
                data += piece
            head, _, rest = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(rest) < length:
                rest += conn.recv(65536)
            self.requests += 1
            with contextlib.suppress(OSError):
                self.answer(conn)

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@contextlib.contextmanager
def raw_server(answer: Callable[[socket.socket], None]) -> Iterator[RawServer]:
    server = RawServer(answer)
    try:
        yield server
    finally:
        server.close()


def _signed(server: RawServer, **kwargs: Any) -> tc.SignedClient:
    kwargs.setdefault("retry_policy", RetryPolicy(max_retries=0))
    return tc.SignedClient(api_key=DOCS_API_KEY, secret=DOCS_SECRET, base_url=server.base_url, **kwargs)


def drip_body(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
    for _ in range(500):  # a byte every 0.02 s, well within any per-read timeout: 10 s in all
        time.sleep(0.02)
        conn.sendall(b" ")


def drip_head(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for _ in range(500):
        time.sleep(0.02)
        conn.sendall(b"X-Slow: 1\r\n")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("answer", [drip_body, drip_head], ids=["body", "head"])
def test_timeout_is_a_deadline_for_the_whole_answer(answer: Callable[[socket.socket], None], mode: str) -> None:
    with raw_server(answer) as server:
        client = _signed(server, timeout=0.4)
        started = time.monotonic()
        with pytest.raises(tc.ApiTimeoutError) as info:
            _create(client, mode)
        elapsed = time.monotonic() - started
    assert elapsed < 0.4 + 0.5, elapsed  # a per-read timeout would wait for all 10 s of the drip
    assert info.value.timeout == 0.4 and str(info.value).startswith("create_smart_trade: ")
    assert server.requests == 1  # a POST is sent once


@pytest.mark.parametrize("mode", MODES)
def test_each_get_attempt_has_its_own_deadline(mode: str) -> None:
    with raw_server(drip_body) as server:
        client = _signed(server, timeout=0.25, retry_policy=RetryPolicy(max_retries=1, backoff=0.0))
        started = time.monotonic()
        with pytest.raises(tc.ApiTimeoutError):
            _get(client, mode)
        elapsed = time.monotonic() - started
    assert server.requests == 2
    assert 0.5 <= elapsed < 0.5 + 0.5, elapsed


def _gzip(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    return b"".join(packer.compress(zeros) for _ in range(size // len(zeros))) + packer.flush()


@functools.cache
def _bomb() -> bytes:
    """200 MiB of zeros in about 200 KB; made when a test first sends it, not at collection."""
    return _gzip(200 * 1024 * 1024)


def send_bomb(conn: socket.socket) -> None:
    bomb = _bomb()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {len(bomb)}\r\n\r\n"
    conn.sendall(head.encode() + bomb)


@pytest.mark.parametrize("mode", MODES)
def test_gzip_bomb_is_refused_without_inflating_it(mode: str) -> None:
    cap = 1024 * 1024
    with raw_server(send_bomb) as server:
        client = _signed(server, max_response_bytes=cap)
        tracemalloc.start()
        try:
            with pytest.raises(tc.ResponseTooLargeError) as info:
                _get(client, mode)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 4 * cap, peak  # the decompressed body never grew much past the cap (inflated it is 200 MiB)
    assert info.value.limit == cap and info.value.status_code == 200
    assert str(info.value).startswith("get_smart_trade: ")


def test_gzip_bomb_is_refused_under_the_default_cap() -> None:
    with raw_server(send_bomb) as server:
        client = _signed(server)
        assert client.max_response_bytes == 32 * 1024 * 1024
        with pytest.raises(tc.ResponseTooLargeError):
            get_smart_trade.sync(1, client=client)


@pytest.mark.parametrize("mode", MODES)
def test_gzip_answer_under_the_cap_parses(mode: str) -> None:
    packed = zlib.compress(SEED_003.encode(), wbits=16 + zlib.MAX_WBITS)
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    deflated = raw_deflate.compress(SEED_003.encode()) + raw_deflate.flush()
    for coding, body in (("gzip", packed), ("deflate", zlib.compress(SEED_003.encode())), ("deflate", deflated)):
        def answer(conn: socket.socket, coding: str = coding, body: bytes = body) -> None:
            head = f"HTTP/1.1 200 OK\r\nContent-Encoding: {coding}\r\nContent-Length: {len(body)}\r\n\r\n"
            conn.sendall(head.encode() + body)

        with raw_server(answer) as server:
            assert _get(_signed(server), mode).id == 30404547


@pytest.mark.parametrize("mode", MODES)
def test_plain_answer_over_the_cap_is_refused_before_it_is_read(mode: str) -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n" + b" " * 65536)
        time.sleep(5)  # the client does not wait for the rest

    with raw_server(answer) as server:
        started = time.monotonic()
        with pytest.raises(tc.ResponseTooLargeError):
            _get(_signed(server, max_response_bytes=1000), mode)
        assert time.monotonic() - started < 2


@pytest.mark.parametrize("mode", MODES)
def test_chunked_answer_over_the_cap_is_refused(mode: str) -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in range(100):
            conn.sendall(b"4000\r\n" + b" " * 0x4000 + b"\r\n")
        conn.sendall(b"0\r\n\r\n")

    with raw_server(answer) as server, pytest.raises(tc.ResponseTooLargeError):
        _get(_signed(server, max_response_bytes=100_000), mode)


def test_unsupported_content_encoding_is_a_package_error() -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 4\r\n\r\nabcd")

    with raw_server(answer) as server:
        with pytest.raises(tc.ApiConnectionError, match="Content-Encoding"):
            get_smart_trade.sync(1, client=_signed(server))


def test_corrupt_gzip_is_a_package_error() -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\n0123456789")

    with raw_server(answer) as server, pytest.raises(tc.ApiConnectionError):
        get_smart_trade.sync(1, client=_signed(server))


def test_connection_dropped_mid_body_is_a_package_error() -> None:
    def answer(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"id\":")

    with raw_server(answer) as server, pytest.raises(tc.ApiConnectionError) as info:
        create_smart_trade.sync(client=_signed(server), body=CREATE)
    assert isinstance(info.value.__cause__, httpx.HTTPError)
    assert server.requests == 1


def test_accept_encoding_asks_only_for_what_is_decoded() -> None:
    recorder = Recorder()
    get_smart_trade.sync(1, client=_client(recorder.transport))
    assert recorder.requests[0].headers["Accept-Encoding"] == "gzip, deflate"


# --- no secret in the new exceptions -------------------------------------------------------------------------------


def test_secrets_never_leak_from_transport_and_body_errors() -> None:
    texts: list[str] = []
    for kwargs in ({"secret": DOCS_SECRET}, {"private_key": RSA_KEY_PEM}):
        for error in (httpx.ConnectError, httpx.ReadTimeout):
            failing = Failing(error)
            client = tc.SignedClient(api_key=DOCS_API_KEY, transport=failing.transport, **kwargs)  # type: ignore[arg-type]
            with pytest.raises(tc.ApiConnectionError) as info:
                create_smart_trade.sync(client=client, body=CREATE)
            texts += [str(info.value), repr(info.value), repr(info.value.args)]
        client = tc.SignedClient(api_key=DOCS_API_KEY, transport=Recorder([(200, b"<html>")]).transport, **kwargs)  # type: ignore[arg-type]
        with pytest.raises(tc.WireValueError) as wire:
            create_smart_trade.sync(client=client, body=CREATE)
        texts += [str(wire.value), repr(wire.value)]
        client = tc.SignedClient(
            api_key=DOCS_API_KEY, transport=Recorder([(200, SEED)]).transport, max_response_bytes=10, **kwargs  # type: ignore[arg-type]
        )
        with pytest.raises(tc.ResponseTooLargeError) as big:
            create_smart_trade.sync(client=client, body=CREATE)
        texts += [str(big.value), repr(big.value)]
    key_body = "".join(RSA_KEY_PEM.strip().splitlines()[1:-1])
    for text in texts:
        assert DOCS_SECRET not in text and DOCS_API_KEY not in text and key_body[:40] not in text, text


def test_docstrings_name_the_package_errors() -> None:
    import inspect

    doc = inspect.getdoc(create_smart_trade.sync) or ""
    assert "httpx.TimeoutException" not in doc
    for name in ("ApiTimeoutError", "ApiConnectionError", "ResponseTooLargeError", "WireValueError"):
        assert name in doc


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("declared", ["²", "³³"])
def test_a_content_length_of_non_ascii_digits_is_not_a_crash(declared: str, mode: str) -> None:
    # `²` is a digit to str.isdigit() but no int() can read it: the size check raised ValueError.
    # Over the wire h11 refuses such a header; a transport in process (a test's) can deliver it.
    def handler(request: httpx.Request) -> httpx.Response:
        headers = [(b"content-type", b"application/json"), (b"content-length", declared.encode("latin-1"))]
        return httpx.Response(200, headers=headers, stream=httpx.ByteStream(json.dumps(SEED).encode()))

    assert _get(_client(httpx.MockTransport(handler)), mode).id == SEED["id"]
