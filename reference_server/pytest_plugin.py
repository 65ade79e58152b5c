"""pytest fixtures that run the reference server for a bot's own test suite.

Installed with the package (`pip install ./kit`), pytest loads this plugin through the `pytest11`
entry point; from a checkout, `pytest -p reference_server.pytest_plugin`. Nothing starts until a
test asks for one of the fixtures:

- `reference_server_session` (session): one server on a free loopback port for the whole run, as a
  `RunningServer` (base URL, credentials per API, spec versions, `set_price`, `price`, `reset`).
- `reference_server` (function): the same server, reset first: no orders, no price moves, so
  every test starts from the same state. Take `reference_server_session` to share state instead.
- `threecommas_api` (function): `ThreeCommasApi`, the base URL with `/public/api`, the first
  3Commas user's key, secret and account ids; reset like `reference_server`.
- `poloniex_api` (function): `PoloniexApi`, the base URL (Poloniex is served at the root), the
  first Poloniex user's key and secret; reset like `reference_server`.

Options (command line, or the ini setting of the same meaning):

- `--reference-users PATH` / `reference_server_users`: a users file (`users:` for 3Commas,
  `poloniex_users:` for Poloniex; reference_server/users.example.yaml). Default: the demo users.
  An ini path is relative to the ini file's folder.
- `--reference-rate-limit` / `reference_server_rate_limit = true`: enforce each operation's
  documented rate limit (off by default, so a fast suite is never throttled; turn it on to test
  how a bot handles 429).
- `--reference-lenient` / `reference_server_lenient = true`: ignore body keys the spec does not
  declare, as the live APIs do (default strict: an error naming the key, which catches a typo).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest

from .apis import APIS
from .app import create_app, load_users_file, spec_versions
from .testing import ServerThread
from .threecommas.api import PREFIX as THREECOMMAS_PREFIX
from .threecommas.testing import HmacAuth
from .users_file import UsersFileError

Naming = Literal["pair", "symbol"]
Number = Decimal | str | int


@dataclass(frozen=True)
class Price:
    """A market's quote as the server holds it, in both namings (`symbol` is None for a market no
    Poloniex symbol names)."""

    pair: str  # 3Commas: quote currency first, `USDT_BTC`
    symbol: str | None  # Poloniex: base currency first, `BTC_USDT`
    bid: Decimal
    ask: Decimal
    last: Decimal


class RunningServer:
    """The server a fixture started: where it is, who may call it, and its test controls."""

    def __init__(
        self,
        base_url: str,
        users_by_api: Mapping[str, Any],
        *,
        rate_limit: bool,
        lenient: bool,
        spec_versions: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = base_url
        # The contract each API serves, by API name (`{"3commas": "2.0.0+curated.1", ...}`).
        self.spec_versions = dict(spec_versions or {})
        self.rate_limit = rate_limit
        self.lenient = lenient
        self._control = httpx.Client(base_url=base_url, timeout=10)
        threecommas = users_by_api.get("3commas") or []
        poloniex = users_by_api.get("poloniex") or {}
        self.threecommas_users = tuple(
            ThreeCommasApi(
                base_url=base_url + THREECOMMAS_PREFIX,
                api_key=user.api_key,
                secret=user.secret,
                account_ids=tuple(account.id for account in user.accounts),
                server=self,
            )
            for user in threecommas
        )
        self.poloniex_users = tuple(
            PoloniexApi(base_url=base_url, api_key=user.api_key, secret=user.secret, server=self)
            for user in poloniex.values()
        )

    def __repr__(self) -> str:
        return f"RunningServer({self.base_url!r})"

    @property
    def threecommas(self) -> ThreeCommasApi:
        """The first 3Commas user (the demo user without a users file)."""
        if not self.threecommas_users:
            pytest.fail("the reference server's users file lists no 3Commas `users:`")
        return self.threecommas_users[0]

    @property
    def poloniex(self) -> PoloniexApi:
        """The first Poloniex user (the demo user without a users file)."""
        if not self.poloniex_users:
            pytest.fail("the reference server's users file lists no `poloniex_users:`")
        return self.poloniex_users[0]

    def set_price(
        self,
        market: str,
        last: Number,
        *,
        bid: Number | None = None,
        ask: Number | None = None,
        naming: Naming = "pair",
    ) -> Price:
        """Move a market (`POST /_reference/prices`); every API's orders on it react at once.
        `naming="pair"` reads `market` as 3Commas does (`USDT_BTC`), `"symbol"` as Poloniex does
        (`BTC_USDT`): both name the same shared market. A bid or ask not given is `last`."""
        body: dict[str, str] = {naming: market, "last": str(last)}
        if bid is not None:
            body["bid"] = str(bid)
        if ask is not None:
            body["ask"] = str(ask)
        return self._price(self._control.post("/_reference/prices", json=body))

    def price(self, market: str, *, naming: Naming = "pair") -> Price:
        """A market's current quote (`GET /_reference/prices`)."""
        return self._price(self._control.get("/_reference/prices", params={naming: market}))

    def reset(self) -> None:
        """Forget every order and every price move of every API (`POST /_reference/reset`)."""
        response = self._control.post("/_reference/reset")
        if response.status_code != 200:
            raise AssertionError(f"reset answered {response.status_code}: {response.text}")

    def close(self) -> None:
        self._control.close()

    @staticmethod
    def _price(response: httpx.Response) -> Price:
        if response.status_code != 200:
            raise AssertionError(f"price control answered {response.status_code}: {response.text}")
        data = response.json()
        return Price(
            pair=data["pair"],
            symbol=data.get("symbol"),
            bid=Decimal(data["bid"]),
            ask=Decimal(data["ask"]),
            last=Decimal(data["last"]),
        )


@dataclass(frozen=True)
class ThreeCommasApi:
    """A 3Commas user of the running server."""

    base_url: str  # with /public/api: what a client's base URL is set to
    api_key: str
    secret: str | None = field(repr=False)  # None for a user with only an RSA key
    account_ids: tuple[int, ...]
    server: RunningServer = field(repr=False, compare=False)

    @property
    def account_id(self) -> int:
        """The user's first exchange account (the demo user's is its Binance spot account)."""
        if not self.account_ids:
            pytest.fail(f"3Commas user {self.api_key[:6]}… has no accounts in the users file")
        return self.account_ids[0]

    def auth(self) -> httpx.Auth:
        """An httpx auth that signs as this user (HMAC), for calls a test makes itself."""
        if self.secret is None:
            pytest.fail(f"3Commas user {self.api_key[:6]}… has no HMAC secret")
        return HmacAuth(self.api_key, self.secret)

    def set_price(
        self, pair: str, last: Number, *, bid: Number | None = None, ask: Number | None = None
    ) -> Price:
        """Move a market named the 3Commas way (`USDT_BTC`)."""
        return self.server.set_price(pair, last, bid=bid, ask=ask, naming="pair")


@dataclass(frozen=True)
class PoloniexApi:
    """A Poloniex user of the running server."""

    base_url: str  # Poloniex paths are served from the root
    api_key: str
    secret: str = field(repr=False)
    server: RunningServer = field(repr=False, compare=False)

    def set_price(
        self, symbol: str, last: Number, *, bid: Number | None = None, ask: Number | None = None
    ) -> Price:
        """Move a market named the Poloniex way (`BTC_USDT`)."""
        return self.server.set_price(symbol, last, bid=bid, ask=ask, naming="symbol")


# ---- options ---------------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("reference_server", "smart-trading reference server")
    group.addoption(
        "--reference-users",
        metavar="PATH",
        default=None,
        help="users file for the reference server fixtures (default: the demo users)",
    )
    group.addoption(
        "--reference-rate-limit",
        action="store_true",
        default=None,
        help="enforce the documented rate limits (default: off)",
    )
    group.addoption(
        "--reference-lenient",
        action="store_true",
        default=None,
        help="ignore undeclared body keys as the live APIs do (default: strict)",
    )
    parser.addini(
        "reference_server_users", "users file for the reference server fixtures", default=""
    )
    parser.addini(
        "reference_server_rate_limit",
        "enforce the documented rate limits",
        type="bool",
        default=False,
    )
    parser.addini(
        "reference_server_lenient", "ignore undeclared body keys", type="bool", default=False
    )


def _users_path(config: pytest.Config) -> Path | None:
    given = config.getoption("--reference-users")
    if given:
        return Path(given)
    in_ini = str(config.getini("reference_server_users") or "")
    if not in_ini:
        return None
    base = config.inipath.parent if config.inipath is not None else config.rootpath
    return base / in_ini


def _flag(config: pytest.Config, option: str, ini: str) -> bool:
    given = config.getoption(option)
    return bool(config.getini(ini)) if given is None else bool(given)


# ---- fixtures --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def reference_server_session(pytestconfig: pytest.Config) -> Iterator[RunningServer]:
    """One reference server for the whole run; its state is shared between tests."""
    users_path = _users_path(pytestconfig)
    rate_limit = _flag(pytestconfig, "--reference-rate-limit", "reference_server_rate_limit")
    lenient = _flag(pytestconfig, "--reference-lenient", "reference_server_lenient")
    try:
        users_by_api = (
            load_users_file(users_path)
            if users_path is not None
            else {api.name: api.demo_users() for api in APIS}
        )
    except UsersFileError as exc:
        raise pytest.UsageError(f"reference server users file: {exc}") from None
    app = create_app(users_by_api=users_by_api, rate_limit=rate_limit, lenient=lenient)
    with ServerThread(app) as thread:
        running = RunningServer(
            thread.base_url,
            users_by_api,
            rate_limit=rate_limit,
            lenient=lenient,
            spec_versions=spec_versions(app),
        )
        try:
            yield running
        finally:
            running.close()


@pytest.fixture
def reference_server(reference_server_session: RunningServer) -> RunningServer:
    """The session's server, reset before the test: no orders, no price moves."""
    reference_server_session.reset()
    return reference_server_session


@pytest.fixture
def threecommas_api(reference_server: RunningServer) -> ThreeCommasApi:
    """The first 3Commas user of a freshly reset server."""
    return reference_server.threecommas


@pytest.fixture
def poloniex_api(reference_server: RunningServer) -> PoloniexApi:
    """The first Poloniex user of a freshly reset server."""
    return reference_server.poloniex
