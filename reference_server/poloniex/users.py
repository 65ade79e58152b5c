"""Poloniex API users (an api key and its HMAC secret) and the documented demo user."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..users_file import UsersFileError

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


def describe_demo_users() -> list[str]:
    """The demo user as the start-up banner shows it (made up for this project, not secret)."""
    return [f"demo user key={DEMO_POLONIEX_API_KEY}", f"demo user secret={DEMO_POLONIEX_SECRET}"]


def parse_users(data: Mapping[str, Any]) -> dict[str, PoloniexUser]:
    """The users file's `poloniex_users:` list of `{api_key, secret}`."""
    entries = data.get("poloniex_users")
    if not isinstance(entries, list) or not entries:
        raise UsersFileError("poloniex_users: expected a non-empty list")
    users: dict[str, PoloniexUser] = {}
    for index, entry in enumerate(entries):
        where = f"poloniex_users[{index}]"
        if not isinstance(entry, dict):
            raise UsersFileError(f"{where}: expected a mapping")
        api_key, secret = entry.get("api_key"), entry.get("secret")
        if not isinstance(api_key, str) or not api_key:
            raise UsersFileError(f"{where}: api_key must be a non-empty string")
        if api_key in users:
            raise UsersFileError(f"{where}: duplicate api_key")
        if not isinstance(secret, str) or not secret:
            raise UsersFileError(f"{where}: secret must be a non-empty string")
        unknown = sorted(set(entry) - {"api_key", "secret"})
        if unknown:
            raise UsersFileError(f"{where}: unknown keys {unknown}")
        users[api_key] = PoloniexUser(api_key, secret)
    return users
