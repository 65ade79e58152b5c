"""The Poloniex smart-order API as the core serves it (from the server's root, at its real paths):
`API`, listed in `reference_server/apis.py`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ..bundled import SPECS_DIR
from ..prices import PriceBook
from ..protocol import ApiDefinition, Authenticator, RawRequest, clock_ms
from .auth import authenticate
from .errors import render_problem
from .handlers import HANDLERS
from .pairs import is_symbol, poloniex_symbol, threecommas_pair
from .state import PoloniexState
from .users import PoloniexUser, demo_users, describe_demo_users, parse_users

SPEC = SPECS_DIR / "poloniex.yaml"


def authenticator(users: Mapping[str, PoloniexUser]) -> Authenticator:
    def check(request: RawRequest) -> PoloniexUser:
        return authenticate(
            users,
            request.method,
            request.raw_path,
            request.query,
            request.body,
            request.headers,
            request.received_ms,
        )

    return check


def load_users(data: Mapping[str, Any]) -> dict[str, PoloniexUser]:
    """The users file's `poloniex_users:` list; none when the file has no `poloniex_users:`."""
    return parse_users(data) if "poloniex_users" in data else {}


def new_state(prices: PriceBook, clock: Callable[[], datetime] | None = None) -> PoloniexState:
    return PoloniexState(prices, clock_ms(clock))


def user_key(user: PoloniexUser) -> str:
    return user.api_key


def to_pair(symbol: str) -> str | None:
    return threecommas_pair(symbol) if is_symbol(symbol) else None


API = ApiDefinition(
    name="poloniex",
    spec_path=SPEC,
    prefix="",
    handlers=HANDLERS,
    authenticator=authenticator,
    render_problem=render_problem,
    new_state=new_state,
    load_users=load_users,
    demo_users=demo_users,
    describe_demo_users=describe_demo_users,
    users_key="poloniex_users",
    user_key=user_key,
    market_field="symbol",
    to_pair=to_pair,
    from_pair=poloniex_symbol,
)
