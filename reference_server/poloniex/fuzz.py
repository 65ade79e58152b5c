"""Fuzzing the Poloniex smart-order API as its demo user (the profile reference_server/fuzzing.py
reads).

Auth: where the generated case carries them, `key` gets the demo key and `signTimestamp` and
`signature` get placeholders; `PlaceholderSigner`, which sees the prepared request (method, raw
path, query and body bytes), turns only those placeholders into a fresh timestamp and the real
signature at the last moment. Cases that drop or garble a header on purpose stay broken. A
`recvWindow` a case carries that a slow run could outlast (a valid one under `MIN_RECV_WINDOW_MS`)
is raised to it, so its answer never depends on how long the run took (a stateful replay must
answer alike, and a negative case negated elsewhere must not meet a 408 first). Only values valid
before stay valid after: 1 to 19 digits become `MIN_RECV_WINDOW_MS`; anything the spec refuses
(`0`, 20 digits, a sign) is kept as negated.

Valid creates trade a symbol of the price book (`BTC_USDT`, `ETH_USDT`, `DOGE_USDT`) on the spot
account, so they open real smart orders that the stateful run reads, replaces and cancels through
the spec's links.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from ..fuzzing import FuzzProfile, Hostile, ReadBack
from ..protocol import wall_clock_ms
from .api import API
from .auth import request_params, sign
from .users import DEMO_POLONIEX_API_KEY, DEMO_POLONIEX_SECRET

PLACEHOLDER_SIGNATURE = "sign-me-please"
PLACEHOLDER_TIMESTAMP = "0000000000000"
MIN_RECV_WINDOW_MS = 600_000
SYMBOLS = ("BTC_USDT", "ETH_USDT", "DOGE_USDT")


# The signers' clock: the wall clock, or the clock of the app they sign for (`sign_on`).
_clock: list[Callable[[], int]] = [wall_clock_ms]


def _now_ms() -> int:
    return _clock[0]()


def sign_on(clock_ms: Callable[[], int] | None) -> None:
    """Stamp `signTimestamp`s by `clock_ms` (ms since the epoch), the clock of the app signed for:
    an in-process fuzz app runs on an injected clock, and judges the time window on it. None: the
    wall clock again."""
    _clock[0] = clock_ms or wall_clock_ms


def set_auth(headers: dict[str, Any], positive: bool = True) -> None:
    for name in list(headers):
        lowered = name.lower()
        if lowered == "key":
            headers[name] = DEMO_POLONIEX_API_KEY
        elif lowered == "signtimestamp":
            headers[name] = PLACEHOLDER_TIMESTAMP
        elif lowered == "signature":
            headers[name] = PLACEHOLDER_SIGNATURE
        elif lowered == "recvwindow":
            value = headers[name]
            text = str(value)
            if _short_valid_window(text):
                # Same type as generated: the checks re-validate the header against its schema.
                headers[name] = MIN_RECV_WINDOW_MS if isinstance(value, int) else str(MIN_RECV_WINDOW_MS)


def _short_valid_window(text: str) -> bool:
    """A `recvWindow` the spec accepts (1 to 19 digits, not zero) that is under the minimum."""
    return (
        0 < len(text) <= 19
        and text.isascii()
        and text.isdigit()
        and 0 < int(text) < MIN_RECV_WINDOW_MS
    )


def _query_pairs(query: bytes) -> list[tuple[bytes, bytes]]:
    pairs = []
    for part in query.split(b"&"):
        if part:
            key, _, value = part.partition(b"=")
            pairs.append(
                (unquote_to_bytes(key.replace(b"+", b" ")), unquote_to_bytes(value.replace(b"+", b" ")))
            )
    return pairs


def signature_for(method: str, raw_path: bytes, query: bytes, body: bytes, timestamp: str) -> str:
    """The demo user's signature of these exact bytes, as a client computes it."""
    params = request_params(timestamp, _query_pairs(query), body)  # type: ignore[arg-type]
    return sign(DEMO_POLONIEX_SECRET, method, raw_path, params)


class PlaceholderSigner:
    """A `requests` auth: a placeholder `signTimestamp` becomes the current time, a placeholder
    `signature` the real one over the prepared request's exact bytes."""

    def __repr__(self) -> str:
        return "PoloniexPlaceholderSigner(secret=***)"

    def __call__(self, request: Any) -> Any:
        headers = request.headers
        if headers.get("signTimestamp") == PLACEHOLDER_TIMESTAMP:
            headers["signTimestamp"] = str(_now_ms())
        if headers.get("signature") != PLACEHOLDER_SIGNATURE:
            return request
        timestamp = headers.get("signTimestamp")
        if timestamp is None:
            return request
        path, _, query = request.path_url.partition("?")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers["signature"] = signature_for(
            request.method, path.encode("latin-1"), query.encode("latin-1"), body, str(timestamp)
        )
        return request


def sign_raw(method: str, raw_path: bytes, query: bytes, body: bytes) -> list[tuple[bytes, bytes]]:
    timestamp = str(_now_ms())
    return [
        (b"key", DEMO_POLONIEX_API_KEY.encode()),
        (b"signtimestamp", timestamp.encode()),
        (b"signature", signature_for(method, raw_path, query, body, timestamp).encode()),
        (b"recvwindow", str(MIN_RECV_WINDOW_MS).encode()),
    ]


def map_case(operation_id: str, case: Any) -> None:
    if operation_id != "create_smart_order" or not isinstance(case.body, dict):
        return
    symbol = case.body.get("symbol")
    case.body["symbol"] = SYMBOLS[len(symbol) % len(SYMBOLS) if isinstance(symbol, str) else 0]
    if "accountType" in case.body:
        case.body["accountType"] = "SPOT"


def error_complaint(status: int, body: Any) -> str | None:
    """An `Error`, `{code, message}`: an integer code and a message; on 400 the message names the
    parameter (not a bare "Invalid parameter")."""
    if not isinstance(body, dict) or isinstance(body.get("code"), bool):
        return "not a {code, message} error"
    if not isinstance(body.get("code"), int):
        return "no integer error code"
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        return "no message"
    if status == 400 and message.strip().rstrip(":").lower() in ("invalid parameter", "invalid"):
        return "400 whose message names no parameter"
    return None


# A smart order the server accepts and keeps pending: a stop-limit buy triggered far above the
# market (BTC_USDT starts at 10000).
VALID_CREATE: dict[str, Any] = {
    "symbol": "BTC_USDT",
    "side": "BUY",
    "type": "STOP_LIMIT",
    "accountType": "SPOT",
    "timeInForce": "GTC",
    "price": "60100.00",
    "stopPrice": "60000.00",
    "quantity": "0.01",
    "clientOrderId": "fuzz-1",
}

PROFILE = FuzzProfile(
    api=API,
    set_auth=set_auth,
    signer=PlaceholderSigner(),
    sign_raw=sign_raw,
    sign_on=sign_on,
    map_case=map_case,
    error_complaint=error_complaint,
    read_back=ReadBack(
        lists=(
            ("list_smart_orders", {"types": "STOP,STOP_LIMIT,TRAILING_STOP,TRAILING_STOP_LIMIT"}),
            ("list_smart_order_history", {"limit": "100"}),
        ),
        get="get_smart_order",
        get_parameter="id",
        creates={"create_smart_order": "id", "replace_smart_order": "id"},
        path_parameters=("id",),
    ),
    hostile=Hostile(
        valid_create=VALID_CREATE,
        create="create_smart_order",
        cancel="cancel_smart_order",
        auth_headers=("key", "signtimestamp", "signature"),
        auth_error_codes=(401, 25001),
        query_names=("limit", "types", "a"),
    ),
)
