"""Shared test helpers: a recording mock transport and a signature verifier written independently of the SDK."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from spec_tools.load import load_yaml
from tests.seed_documents import seed_003_text

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures"
SPEC_PATH = REPO_ROOT / "openapi" / "3commas.yaml"
RSA_KEY_PEM = (FIXTURES / "3commas-docs-test-rsa-key.pem").read_text()
SEED_003 = seed_003_text()

# The docs' published (throwaway) credentials.
DOCS_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
DOCS_API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"


def load_spec() -> dict[str, Any]:
    spec: dict[str, Any] = load_yaml(SPEC_PATH)
    return spec


class Recorder:
    """An httpx.MockTransport that records each request and answers with a queue of (status, body) pairs."""

    def __init__(self, answers: list[tuple[int, bytes | str | Any]] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answers = list(answers or [])
        self.default: tuple[int, Any] = (200, json.loads(SEED_003))
        self.transport = httpx.MockTransport(self._handle)

    def _default_for(self, request: httpx.Request) -> tuple[int, Any]:
        path = request.url.path
        if request.method == "GET" and path.endswith("/smart_trades"):
            return 200, [json.loads(SEED_003)]
        if request.method == "GET" and path.endswith("/trades"):
            return 200, []
        if path.endswith("/reduce_funds_info"):
            return 200, {"max_reduce_funds_amount": "28.819532219570405727923627685"}
        if request.method == "POST" and not path.endswith("/force_process"):
            return 201, json.loads(SEED_003)  # the current docs' status for create and the actions
        return self.default

    def _handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        status, body = self.answers.pop(0) if self.answers else self._default_for(request)
        if isinstance(body, bytes):
            return httpx.Response(status, content=body)
        if isinstance(body, str):
            return httpx.Response(
                status, content=body.encode(), headers={"content-type": "text/plain"}
            )
        return httpx.Response(status, json=body)


def expected_payload(request: httpx.Request, algorithm: str) -> bytes:
    """The documented signing payload, rebuilt from the request as it went on the wire."""
    path = request.url.raw_path  # path plus ?query, percent-encoded as sent
    body = request.content
    if body and algorithm == "hmac" and b"?" not in path:
        return path + b"?" + body  # the HMAC page's form for a JSON body
    return path + body  # the RSA page's form


def verify_signature(
    request: httpx.Request, *, secret: str | None = None, public_pem: bytes | None = None
) -> None:
    signature = request.headers["Signature"]
    if secret is not None:
        want = hmac.new(
            secret.encode(), expected_payload(request, "hmac"), hashlib.sha256
        ).hexdigest()
        assert hmac.compare_digest(signature.lower(), want), "HMAC signature does not verify"
    else:
        assert public_pem is not None
        key = serialization.load_pem_public_key(public_pem)
        key.verify(  # type: ignore[union-attr,call-arg]
            base64.b64decode(signature),
            expected_payload(request, "rsa"),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )


def rsa_public_pem() -> bytes:
    key = serialization.load_pem_private_key(RSA_KEY_PEM.encode(), password=None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def no_sleep(_: float) -> None:
    return None


Factory = Callable[..., Any]
