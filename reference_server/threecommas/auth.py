"""Request signing as 3Commas checks it: HMAC-SHA256 hex or RSA PKCS#1 v1.5 SHA-256 base64.

The signed payload is the raw path (with `/public/api`), `?query` if any, then the body.
A JSON body is accepted signed as `path?{json}` and as `path{json}` (the docs disagree);
a form body is signed like a query string.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from ..limits import MAX_SIGNATURE_LENGTH
from .errors import api_key_invalid, signature_invalid
from .users import User


def hmac_signature(secret: str, payload: str | bytes) -> str:
    data = payload.encode() if isinstance(payload, str) else payload
    return hmac.digest(secret.encode(), data, "sha256").hex()  # hmac.new's, in one C call


def signed_payloads(path: bytes, query: bytes, body: bytes) -> list[bytes]:
    """Every payload a correct client may have signed for this request (bytes as on the wire)."""
    base = path + b"?" + query if query else path
    if not body:
        return [base]
    if query:
        return [base + body, base + b"&" + body, base + b"?" + body]
    return [path + b"?" + body, path + body]


def _verify_rsa(key: RSAPublicKey, signature: str, payloads: list[bytes]) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    for payload in payloads:
        try:
            key.verify(raw, payload, padding.PKCS1v15(), hashes.SHA256())
            return True
        except InvalidSignature:
            continue
    return False


def verify(user: User, signature: str, payloads: list[bytes]) -> bool:
    """Any header text is safe here: compared as bytes (compare_digest refuses non-ASCII str)."""
    if len(signature) > MAX_SIGNATURE_LENGTH:
        return False
    if user.secret is not None:
        # Header values arrive as latin-1 text, so every byte round-trips.
        # Only HTTP's optional whitespace (SP, HTAB) is trimmed: str.strip() would also take
        # latin-1's no-break space and accept a signature with extra bytes.
        candidate = signature.strip(" \t").lower().encode("latin-1", "replace")
        for payload in payloads:
            if hmac.compare_digest(hmac_signature(user.secret, payload).encode(), candidate):
                return True
    return user.rsa_public_key is not None and _verify_rsa(user.rsa_public_key, signature, payloads)


class Authenticator:
    def __init__(self, users: list[User]) -> None:
        self._by_key = {user.api_key: user for user in users}

    def user_for_key(self, api_key: str | None) -> User | None:
        return self._by_key.get(api_key) if api_key else None

    def authenticate(
        self, headers: Mapping[str, str], path: bytes, query: bytes, body: bytes
    ) -> User:
        """Header names are case-insensitive (Starlette's Headers already are)."""
        user = self.user_for_key(headers.get("apikey"))
        if user is None:
            raise api_key_invalid()
        signature = headers.get("signature")
        if not signature or not verify(user, signature, signed_payloads(path, query, body)):
            raise signature_invalid()
        return user
