"""3Commas signing for tests of (and against) the reference server: an httpx auth, the HMAC of a
request, and the placeholder signer the fuzzing uses.

Signing for fuzzing: a placeholder signature is replaced by a real one at the last moment.
Schemathesis breaks requests on purpose (drops or garbles the auth headers). Signing every request
would repair them and hide real findings, so the auth provider only writes a placeholder where a
Signature header is present, and `PlaceholderSigner`, which sees the final path, query and body
bytes, turns only that placeholder into the real HMAC signature.
"""

from __future__ import annotations

from typing import Any

import httpx

from .auth import hmac_signature

PLACEHOLDER = "sign-me-please"


def signature_for(secret: str, raw_path: bytes, query: bytes, body: bytes) -> str:
    payload = raw_path + (b"?" + query if query else b"")
    if body:
        payload += (b"?" if not query else b"") + body
    return hmac_signature(secret, payload)


class HmacAuth(httpx.Auth):
    """Signs each request the way the docs' HMAC page does (`path?query` then `?body`)."""

    requires_request_body = True

    def __init__(self, api_key: str, secret: str, json_separator: str = "?") -> None:
        self.api_key = api_key
        self._secret = secret
        self.json_separator = json_separator

    def auth_flow(self, request: httpx.Request) -> Any:
        raw = request.url.raw_path  # path plus `?query`, exactly as sent
        payload = raw.decode("ascii")
        body = request.content.decode("utf-8") if request.content else ""
        if body:
            payload += (self.json_separator if "?" not in payload else "") + body
        request.headers["APIKEY"] = self.api_key
        request.headers["Signature"] = hmac_signature(self._secret, payload)
        yield request


class PlaceholderSigner:
    """A `requests` auth (schemathesis sends with requests, in-process too): it sees the prepared
    request (final path, query and body bytes) and swaps only a placeholder signature for a real one."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def __repr__(self) -> str:
        return "PlaceholderSigner(secret=***)"

    def __call__(self, request: Any) -> Any:
        if request.headers.get("Signature") != PLACEHOLDER:
            return request
        path, _, query = request.path_url.partition("?")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        request.headers["Signature"] = signature_for(
            self._secret, path.encode("latin-1"), query.encode("latin-1"), body
        )
        return request
