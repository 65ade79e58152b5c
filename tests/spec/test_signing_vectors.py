"""The signing vectors of every spec's `x-signing` hold, so they cannot drift.

Each HMAC vector is recomputed from its secret and payload with the parameters of its algorithm
(`x-signing.algorithms`); each RSA vector is verified with the public key of the documentation's
published test key (tests/fixtures/3commas-docs-test-rsa-key.pem, a throwaway private key printed in
the vendor's docs; the public half is derived from it). A vector whose `origin` is api-facts.md
must be the one api-facts.md prints. Both specs write a vector alike: `algorithm` (a key of
`x-signing.algorithms`, which docs/signing.py needs too), `secret` (HMAC) or `key` (RSA),
`payload`, `signature`, `origin`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from spec_tools.load import load_yaml

REPO = Path(__file__).resolve().parents[2]
FACTS = (REPO / "openapi" / "sources" / "api-facts.md").read_text(encoding="utf-8")
RSA_KEY = Path("tests/fixtures/3commas-docs-test-rsa-key.pem")


def _specs() -> list[Path]:
    """Every OpenAPI document in openapi/ (the curation registries are not)."""
    return [
        path
        for path in sorted((REPO / "openapi").glob("*.yaml"))
        if "openapi" in (load_yaml(path) or {})
    ]


def _vectors() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(id, algorithm parameters with their `name`, vector) of every vector of every spec."""
    found = []
    for path in _specs():
        spec = load_yaml(path)
        for scheme_name, scheme in spec.get("components", {}).get("securitySchemes", {}).items():
            signing = scheme.get("x-signing")
            if not signing:
                continue
            algorithms = signing.get("algorithms") or {}
            for i, vector in enumerate(signing.get("vectors") or []):
                name = vector.get("algorithm")
                assert name in algorithms, f"{path.name}: vector {i}: unknown algorithm {name!r}"
                found.append(
                    (
                        f"{path.stem}-{scheme_name}-{i}-{name}",
                        {**algorithms[name], "name": name},
                        vector,
                    )
                )
    return found


VECTORS = _vectors()


def _public_key() -> rsa.RSAPublicKey:
    private = serialization.load_pem_private_key((REPO / RSA_KEY).read_bytes(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    return private.public_key()


def test_both_specs_carry_vectors() -> None:
    ids = [vector_id for vector_id, _, _ in VECTORS]
    assert sum(i.startswith("3commas-Signature-") and i.endswith("-hmac") for i in ids) == 3
    assert sum(i.startswith("3commas-Signature-") and i.endswith("-rsa") for i in ids) == 2
    assert sum(i.startswith("poloniex-Signature-") for i in ids) >= 2


@pytest.mark.parametrize(
    ("algorithm", "vector"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS]
)
def test_vector_holds(algorithm: dict[str, Any], vector: dict[str, Any]) -> None:
    assert {"payload", "signature", "origin"} <= set(vector)
    payload = str(vector["payload"]).encode()
    signature = str(vector["signature"])
    if "secret" in vector:
        mac = hmac.new(str(vector["secret"]).encode(), payload, algorithm["digest"]).digest()
        encoding = algorithm["encoding"]
        got = {"hex": mac.hex, "base64": lambda: base64.b64encode(mac).decode()}[encoding]()
        if algorithm.get("case_sensitive", True):
            assert got == signature
        else:
            assert got.lower() == signature.lower()
    else:
        assert algorithm["name"] == "rsa" and str(RSA_KEY) in str(vector["key"])
        assert algorithm["padding"] == "PKCS1v15" and algorithm["encoding"] == "base64"
        digest = {"sha256": hashes.SHA256()}[algorithm["digest"]]
        try:
            _public_key().verify(base64.b64decode(signature), payload, padding.PKCS1v15(), digest)
        except InvalidSignature:
            pytest.fail(f"the RSA signature of {vector['payload']!r} does not verify")


@pytest.mark.parametrize(
    ("algorithm", "vector"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS]
)
def test_vector_from_api_facts_is_the_printed_one(
    algorithm: dict[str, Any], vector: dict[str, Any]
) -> None:
    if vector["origin"] != "api-facts.md":
        return
    # api-facts.md writes a newline of a payload as the two characters `\n`.
    assert str(vector["payload"]).replace("\n", "\\n") in FACTS
    assert str(vector["signature"]) in FACTS
    if "secret" in vector:
        assert f"`{vector['secret']}`" in FACTS


def test_a_wrong_signature_fails() -> None:
    """The checks above are not vacuous: a one-character change breaks each kind."""
    hmac_vector = next(v for _, a, v in VECTORS if a["name"] == "hmac" and "secret" in v)
    mac = hmac.new(str(hmac_vector["secret"]).encode(), b"x", hashlib.sha256).hexdigest()
    assert mac.lower() != str(hmac_vector["signature"]).lower()
    rsa_vector = next(v for _, a, v in VECTORS if a["name"] == "rsa")
    with pytest.raises(InvalidSignature):
        _public_key().verify(
            base64.b64decode(rsa_vector["signature"]),
            str(rsa_vector["payload"]).encode() + b" ",
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
