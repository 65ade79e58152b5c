"""The 3Commas SmartTrade v2 API as the core serves it: `API`, listed in `reference_server/apis.py`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ..bundled import SPECS_DIR
from ..prices import PriceBook
from ..protocol import ApiDefinition, Authenticator, RawRequest
from .auth import Authenticator as Signing
from .errors import render_problem
from .handlers import HANDLERS
from .store import Store
from .users import User, demo_users, describe_demo_users, parse_users
from .v1_handlers import V1_HANDLERS

PREFIX = "/public/api"
SPEC = SPECS_DIR / "3commas.yaml"


def authenticator(users: list[User]) -> Authenticator:
    signing = Signing(users)

    def authenticate(request: RawRequest) -> User:
        return signing.authenticate(request.headers, request.raw_path, request.query, request.body)

    return authenticate


def load_users(data: Mapping[str, Any]) -> list[User]:
    """The users file's `users:` list; none when the file has no `users:`."""
    return parse_users(data) if "users" in data else []


def new_state(prices: PriceBook, clock: Callable[[], datetime] | None = None) -> Store:
    return Store(prices) if clock is None else Store(prices, clock)


def user_key(user: User) -> str:
    return user.api_key


API = ApiDefinition(
    name="3commas",
    spec_path=SPEC,
    prefix=PREFIX,
    handlers={**HANDLERS, **V1_HANDLERS},
    authenticator=authenticator,
    render_problem=render_problem,
    new_state=new_state,
    load_users=load_users,
    demo_users=demo_users,
    describe_demo_users=describe_demo_users,
    users_key="users",
    user_key=user_key,
    query_in_body=True,
)
