"""Poloniex API users (an api key and its HMAC secret) and the documented demo user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# The demo user, so a local server works with no setup. Made up for this project (not a real
# Poloniex key): four groups of eight like real keys, and 64 hex digits as the secret.
DEMO_POLONIEX_API_KEY = "DEMOPLNX-REFSERVR-SMARTORD-00000001"
DEMO_POLONIEX_SECRET = "c7c4f4cad0fa7d6ba22b102dd539821bc29215225aa472667f6ae9dd744956d8"


@dataclass(frozen=True)
class PoloniexUser:
    api_key: str
    # repr=False: secrets must never reach logs or tracebacks.
    secret: str = field(repr=False)

    def __repr__(self) -> str:
        return f"PoloniexUser(api_key={self.api_key[:8]}…)"


def users_by_key(users: Iterable[PoloniexUser]) -> dict[str, PoloniexUser]:
    return {user.api_key: user for user in users}


def demo_users() -> dict[str, PoloniexUser]:
    return users_by_key([PoloniexUser(DEMO_POLONIEX_API_KEY, DEMO_POLONIEX_SECRET)])
