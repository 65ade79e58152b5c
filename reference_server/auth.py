"""Kept for existing imports: 3Commas signing lives in `reference_server.threecommas.auth`."""

from .threecommas.auth import Authenticator, hmac_signature, signed_payloads, verify

__all__ = ["Authenticator", "hmac_signature", "signed_payloads", "verify"]
