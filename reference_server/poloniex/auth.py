"""Request signing as Poloniex checks it (openapi/poloniex.yaml, `Signature.x-signing`).

Headers (any letter case): `key`, `signTimestamp` (ms), `signature`; optional, unsigned:
`signatureMethod` (`hmacSHA256`), `signatureVersion`, `recvWindow` (ms).

`signature = base64(HMAC_SHA256(secret, METHOD + "\\n" + PATH + "\\n" + PARAMS))` where PATH is
the raw path (the `cid:` prefix included) and PARAMS is

- with a body: `requestBody=<the exact body bytes>&signTimestamp=<ts>`;
- with query parameters (GET): every query parameter plus `signTimestamp`, sorted by key, values
  URL-encoded (a space as `%20`), joined with `&`;
- with neither: `signTimestamp=<ts>`.

Checks, in this order, each answering a `PoloniexError` in the `{code, message}` shape:

1. `key` missing or unknown: 401, code 401 (the contract documents no code; see errors.py);
2. `signTimestamp` missing or not 1 to 19 ASCII digits, `recvWindow` not 1 to 19 ASCII digits or
   zero, `signatureMethod` other than `hmacSHA256`: 400, code 25001 (invalid parameter);
3. the time window: `signTimestamp` more than `TOLERANCE_MS` ahead of server time, or (without
   `recvWindow`) more than `TOLERANCE_MS` behind it: 400, code 25001; with `recvWindow`, a
   request older than `signTimestamp + recvWindow`: 408, code 408;
4. `signature` missing or matching no accepted payload: 401, code 401.

Accepted payloads: the raw path as sent and, when it differs, its percent-decoded form (a client
may sign `cid:x` while its HTTP library sends `cid%3Ax`); for a query, both the values re-encoded
as the rules say and the parameters exactly as sent (sorted the same way), so a client whose
encoder keeps `,` or `:` unescaped still verifies. Any bytes in any header or the query end in
one of the errors above, never in another exception.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import quote_from_bytes, unquote_to_bytes

from .errors import (
    PoloniexError,
    invalid_api_key,
    invalid_parameter,
    invalid_signature,
    request_expired,
    timestamp_out_of_window,
)
from .users import PoloniexUser

# "Within about a second of server time" (api-facts.md, Poloniex signing).
TOLERANCE_MS = 1000
SIGNATURE_METHOD = "hmacSHA256"
# 19 digits hold any int64 millisecond count; longer is refused before int() sees it.
_MAX_DIGITS = 19


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def payload(method: str, path: str | bytes, params: str | bytes) -> bytes:
    """The string to sign: `METHOD\\nPATH\\nPARAMS`, as bytes."""
    return _bytes(method.upper()) + b"\n" + _bytes(path) + b"\n" + _bytes(params)


def sign(secret: str, method: str, path: str | bytes, params: str | bytes) -> str:
    """`base64(HMAC_SHA256(secret, METHOD\\nPATH\\nPARAMS))`."""
    digest = hmac.new(_bytes(secret), payload(method, path, params), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _encode(value: bytes) -> bytes:
    # Unreserved characters stay; everything else, a space included, is %XX.
    return quote_from_bytes(value, safe="").encode("ascii")


def body_params(body: str | bytes, timestamp: str | int) -> bytes:
    """PARAMS for a request with a JSON body."""
    return b"requestBody=" + _bytes(body) + b"&signTimestamp=" + _bytes(str(timestamp))


def query_params(pairs: Iterable[tuple[str, str]], timestamp: str | int) -> bytes:
    """PARAMS for a request with query parameters, from decoded `(key, value)` pairs."""
    items = [(_bytes(k), _bytes(v)) for k, v in pairs]
    items.append((b"signTimestamp", _bytes(str(timestamp))))
    items.sort(key=lambda kv: kv[0])
    return b"&".join(_encode(k) + b"=" + _encode(v) for k, v in items)


def request_params(
    timestamp: str | int, query: Iterable[tuple[str, str]] = (), body: str | bytes = b""
) -> bytes:
    """PARAMS for any request, as a client builds it."""
    if body:
        return body_params(body, timestamp)
    return query_params(query, timestamp)


def signed_headers(
    user: PoloniexUser,
    method: str,
    path: str,
    timestamp: int,
    query: Iterable[tuple[str, str]] = (),
    body: str | bytes = b"",
) -> dict[str, str]:
    """The headers a correct client sends (for tests and fuzz hooks)."""
    params = request_params(timestamp, query, body)
    return {
        "key": user.api_key,
        "signTimestamp": str(timestamp),
        "signature": sign(user.secret, method, path, params),
        "signatureMethod": SIGNATURE_METHOD,
        "signatureVersion": "2",
    }


def _decode_component(raw: bytes) -> bytes:
    return unquote_to_bytes(raw.replace(b"+", b" "))


def _query_candidates(raw_query: bytes, ts: bytes) -> list[bytes]:
    """PARAMS a client may have signed for this query string: re-encoded, and as sent."""
    parts: list[tuple[bytes, bytes, bytes]] = []  # (decoded key, re-encoded part, raw part)
    for raw in raw_query.split(b"&"):
        if not raw:
            continue
        raw_key, _, raw_value = raw.partition(b"=")
        key, value = _decode_component(raw_key), _decode_component(raw_value)
        parts.append((key, _encode(key) + b"=" + _encode(value), raw))
    parts.append((b"signTimestamp", b"signTimestamp=" + ts, b"signTimestamp=" + ts))
    parts.sort(key=lambda part: part[0])
    encoded = b"&".join(part[1] for part in parts)
    as_sent = b"&".join(part[2] for part in parts)
    return [encoded] if as_sent == encoded else [encoded, as_sent]


def signed_payloads(
    method: str, raw_path: str | bytes, raw_query: bytes, body: bytes, ts: bytes
) -> list[bytes]:
    """Every payload a correct client may have signed for this request."""
    path = _bytes(raw_path)
    paths = [path]
    decoded = unquote_to_bytes(path)
    if decoded != path:
        paths.append(decoded)
    if body:
        params = [body_params(body, ts.decode("ascii"))]
    elif raw_query:
        params = _query_candidates(raw_query, ts)
    else:
        params = [b"signTimestamp=" + ts]
    return [payload(method, p, q) for p in paths for q in params]


def _digits(value: str | None) -> int | None:
    """A header of 1 to 19 ASCII digits as an int; anything else None."""
    if value is None or not 0 < len(value) <= _MAX_DIGITS:
        return None
    if not (value.isascii() and value.isdigit()):
        return None
    return int(value)


def _check_window(ts: int, recv_window: int | None, now_ms: int) -> None:
    if ts > now_ms + TOLERANCE_MS:
        raise timestamp_out_of_window()
    if recv_window is None:
        if now_ms - ts > TOLERANCE_MS:
            raise timestamp_out_of_window()
    elif now_ms - ts > recv_window:
        raise request_expired()


def verify_signature(secret: str, signature: str, payloads: Iterable[bytes]) -> bool:
    if not signature or not signature.isascii():
        return False
    given = signature.encode("ascii")
    key = _bytes(secret)
    found = False
    for data in payloads:
        expected = base64.b64encode(hmac.new(key, data, hashlib.sha256).digest())
        # No early exit: every candidate costs the same whether or not one matched.
        found |= hmac.compare_digest(expected, given)
    return found


def authenticate(
    users: Mapping[str, PoloniexUser],
    method: str,
    raw_path: str | bytes,
    raw_query: bytes,
    body: bytes,
    headers: Mapping[str, str],
    now_ms: int,
) -> PoloniexUser:
    """The user who signed this request, or a `PoloniexError` (see the module docstring)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    api_key = lowered.get("key")
    user = users.get(api_key) if api_key else None
    if user is None:
        raise invalid_api_key()
    ts_text = lowered.get("signtimestamp")
    ts = _digits(ts_text)
    if ts is None or ts_text is None:
        raise invalid_parameter("Invalid signTimestamp")
    recv_text = lowered.get("recvwindow")
    recv_window = None if recv_text is None else _digits(recv_text)
    if recv_text is not None and not recv_window:
        raise invalid_parameter("Invalid recvWindow")
    method_name = lowered.get("signaturemethod")
    if method_name is not None and method_name != SIGNATURE_METHOD:
        raise invalid_parameter("Invalid signatureMethod")
    _check_window(ts, recv_window, now_ms)
    signature = lowered.get("signature")
    payloads = signed_payloads(method, raw_path, raw_query, body, ts_text.encode("ascii"))
    if signature is None or not verify_signature(user.secret, signature, payloads):
        raise invalid_signature()
    return user


__all__ = [
    "SIGNATURE_METHOD",
    "TOLERANCE_MS",
    "PoloniexError",
    "authenticate",
    "body_params",
    "payload",
    "query_params",
    "request_params",
    "sign",
    "signed_headers",
    "signed_payloads",
    "verify_signature",
]
