"""3Commas users and their exchange accounts: the users file's `users:` list, or the documented
demo user."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from ..users_file import UsersFileError, read_users_file

# The demo user: documented in the README so `make serve` works with no setup.
# The api key and secret are the ones printed in the public 3Commas docs (not secrets);
# the RSA key is the public half of the docs' published throwaway test key.
DEMO_API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
DEMO_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
DEMO_SPOT_ACCOUNT_ID = 32402783
DEMO_FUTURES_ACCOUNT_ID = 32402784
_DEMO_RSA_PATH = Path(__file__).resolve().parent.parent / "demo_rsa_public.pem"


@dataclass(frozen=True)
class Account:
    id: int
    type: str
    name: str
    market: str

    @property
    def is_futures(self) -> bool:
        return "futures" in self.type

    def render(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "market": self.market,
            "link": f"/accounts/{self.id}",
        }


@dataclass(frozen=True)
class User:
    api_key: str
    # repr=False: secrets must never reach logs or tracebacks.
    secret: str | None = field(default=None, repr=False)
    rsa_public_key: RSAPublicKey | None = field(default=None, repr=False)
    accounts: tuple[Account, ...] = ()

    def __repr__(self) -> str:
        return f"User(api_key={self.api_key[:6]}…, accounts={[a.id for a in self.accounts]})"

    def account(self, account_id: int) -> Account | None:
        for account in self.accounts:
            if account.id == account_id:
                return account
        return None


def _load_rsa(pem: str, where: str) -> RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise UsersFileError(f"{where}: rsa_public_key is not a PEM public key") from exc
    if not isinstance(key, RSAPublicKey):
        raise UsersFileError(f"{where}: rsa_public_key is not an RSA key")
    return key


def parse_users(data: Any) -> list[User]:
    if not isinstance(data, dict) or not isinstance(data.get("users"), list) or not data["users"]:
        raise UsersFileError("expected a mapping with a non-empty `users` list")
    users: list[User] = []
    seen_keys: set[str] = set()
    seen_accounts: set[int] = set()
    for index, entry in enumerate(data["users"]):
        where = f"users[{index}]"
        if not isinstance(entry, dict):
            raise UsersFileError(f"{where}: expected a mapping")
        api_key = entry.get("api_key")
        if not isinstance(api_key, str) or not api_key:
            raise UsersFileError(f"{where}: api_key must be a non-empty string")
        if api_key in seen_keys:
            raise UsersFileError(f"{where}: duplicate api_key")
        seen_keys.add(api_key)
        secret = entry.get("secret")
        if secret is not None and (not isinstance(secret, str) or not secret):
            raise UsersFileError(f"{where}: secret must be a non-empty string")
        pem = entry.get("rsa_public_key")
        rsa = _load_rsa(pem, where) if isinstance(pem, str) else None
        if pem is not None and not isinstance(pem, str):
            raise UsersFileError(f"{where}: rsa_public_key must be a PEM string")
        if secret is None and rsa is None:
            raise UsersFileError(f"{where}: needs a secret or an rsa_public_key")
        accounts: list[Account] = []
        for a_index, raw in enumerate(entry.get("accounts") or []):
            a_where = f"{where}.accounts[{a_index}]"
            if not isinstance(raw, dict):
                raise UsersFileError(f"{a_where}: expected a mapping")
            account_id = raw.get("id")
            if not isinstance(account_id, int) or isinstance(account_id, bool) or account_id < 1:
                raise UsersFileError(f"{a_where}: id must be a positive integer")
            if account_id in seen_accounts:
                raise UsersFileError(f"{a_where}: account id {account_id} is used twice")
            seen_accounts.add(account_id)
            accounts.append(
                Account(
                    id=account_id,
                    type=str(raw.get("type", "paper_trading")),
                    name=str(raw.get("name", f"Account {account_id}")),
                    market=str(raw.get("market", "Paper trading")),
                )
            )
        users.append(User(api_key, secret, rsa, tuple(accounts)))
    return users


def load_users(path: str | Path) -> list[User]:
    """The `users:` list of a users file."""
    return parse_users(read_users_file(path))


def demo_users() -> list[User]:
    rsa = _load_rsa(_DEMO_RSA_PATH.read_text(encoding="ascii"), "demo user")
    return [
        User(
            api_key=DEMO_API_KEY,
            secret=DEMO_SECRET,
            rsa_public_key=rsa,
            accounts=(
                Account(DEMO_SPOT_ACCOUNT_ID, "binance", "Demo Binance Spot", "Binance Spot"),
                Account(
                    DEMO_FUTURES_ACCOUNT_ID,
                    "binance_futures",
                    "Demo Binance Futures",
                    "Binance Futures USDT-M",
                ),
            ),
        )
    ]


def describe_demo_users() -> list[str]:
    """The demo user as the start-up banner shows it (the key and secret are published, not secret)."""
    return [
        f"demo user APIKEY={DEMO_API_KEY}",
        f"demo user HMAC secret={DEMO_SECRET}",
        "demo user RSA: the public 3Commas docs test key (tests/fixtures)",
        f"demo accounts: {DEMO_SPOT_ACCOUNT_ID} (binance), {DEMO_FUTURES_ACCOUNT_ID} (binance_futures)",
    ]
