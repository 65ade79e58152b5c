"""The boundary between the core and an API package.

The core (app factory, routing from a spec, parameter and body parsing, validation, limits, rate
limiting, users file, prices, control endpoints) knows no endpoint and no API. An API package
describes itself with one `ApiDefinition` (listed in `reference_server/apis.py`) and never parses
HTTP: it gets validated values in a `Ctx` and raises its own `ErrorAnswer`s.
Failures the core detects itself are `problems.Problem`s; each API's `render_problem` turns them
into its own `ErrorAnswer`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from .prices import PriceBook
from .problems import ErrorAnswer, Problem
from .spec_validation import Operation, Spec


def render_json(body: Any) -> bytes:
    """The exact bytes of an answer; raises for anything that is not UTF-8 JSON (a lone surrogate,
    a stray object), so a write whose answer cannot be sent is never committed."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Rendered:
    """A handler's answer already serialized (`render_json` of it): the core sends the bytes as
    they are. For answers an API caches between requests."""

    body: bytes


class Transaction(Protocol):
    """One request's view of an API's state, under its lock: nothing it changes is kept unless
    `commit` is called (the core calls it once the answer is rendered and serialized)."""

    def commit(self) -> None: ...


class ApiState(Protocol):
    """What the core needs of an API's state: transactions, and the reaction to a price move."""

    prices: PriceBook

    def transaction(self) -> AbstractContextManager[Any]: ...

    def on_price(self, pair: str) -> None:
        """Every order on `pair` (the shared PriceBook's naming) reacts to its new quote; all or
        nothing within this API."""


def wall_clock_ms() -> int:
    """Milliseconds since the epoch, by the wall clock."""
    return time.time_ns() // 1_000_000


def clock_ms(clock: Callable[[], datetime] | None) -> Callable[[], int]:
    """Milliseconds since the epoch by an injected clock (an aware datetime each call), or by the
    wall clock without one."""
    if clock is None:
        return wall_clock_ms
    return lambda: int(clock().timestamp() * 1000)


@dataclass
class RawRequest:
    """What an authenticator sees: the exact bytes as they arrived, and when."""

    method: str
    raw_path: bytes
    query: bytes
    body: bytes
    headers: Mapping[str, str]
    # The server's time of arrival in ms since the epoch: the app's clock when one was injected
    # (create_app(clock=...)), so a signature's time window is judged on the same clock as the
    # rest of the API.
    received_ms: int


@dataclass
class Ctx:
    """A validated request as a handler sees it."""

    user: Any
    op: Operation
    params: dict[str, Any]
    body: Any
    state: Any = field(repr=False)  # the API's transaction
    spec: Spec = field(repr=False)


Handler = Callable[[Ctx], Any]
Authenticator = Callable[[RawRequest], Any]


@dataclass(frozen=True)
class ApiDefinition:
    """One API served by the core. Adding an API is a package that builds one of these, plus a
    line in `reference_server/apis.py`."""

    name: str
    spec_path: Path
    # Where the spec's paths are served: "/public/api", or "" for the server's root.
    prefix: str
    # Operation handlers by operationId; every operation of the spec needs one.
    handlers: Mapping[str, Handler]
    # Users -> a function that returns the signing user of a request, or raises an ErrorAnswer.
    authenticator: Callable[[Any], Authenticator]
    # A core Problem in this API's error shape.
    render_problem: Callable[[Problem], ErrorAnswer]
    # A fresh state over the shared prices (the server's start, and `/_reference/reset`); called
    # as `new_state(prices)`, or `new_state(prices, clock=clock)` when the server is given a clock
    # (a callable returning an aware UTC datetime) that replaces the API's wall clock.
    new_state: Callable[..., ApiState]
    # The users file (a YAML mapping) -> this API's users (none when its key is absent).
    load_users: Callable[[Mapping[str, Any]], Any]
    # The documented demo users, served without a users file.
    demo_users: Callable[[], Any]
    # Lines that tell a person how to call as the demo users (keys, published secrets, accounts):
    # the start-up banner of `python -m reference_server` prints them under the API's name.
    describe_demo_users: Callable[[], list[str]]
    # The users-file key this API reads (documentation and error messages).
    users_key: str
    # The key that names a user for rate limiting.
    user_key: Callable[[Any], str]
    # Undeclared query parameters of a request with a body join the body (and win over it), as
    # Rails APIs read them.
    query_in_body: bool = False
    # How this API names a market, as a field of `POST /_reference/prices` (None: the shared
    # `pair` naming), and the conversions both ways (None when it cannot name that market).
    market_field: str | None = None
    to_pair: Callable[[str], str | None] = lambda name: name
    from_pair: Callable[[str], str | None] = lambda pair: pair

    def owns(self, spec: Spec, path: str) -> bool:
        """True when `path` is in this API's namespace: under its prefix, and (served from the
        root) under the first segment of one of its spec's paths."""
        if self.prefix:
            return path.startswith(self.prefix + "/")
        heads = {
            "/" + template.lstrip("/").split("/", 1)[0] for template in spec.methods_by_template
        }
        return any(path == head or path.startswith(head + "/") for head in heads)


def field_list(attributes: Mapping[str, Iterable[str]]) -> str:
    """`symbol is missing; quantity must be ...`: the fields and what is wrong with each."""
    return "; ".join(
        f"{name} {message}" for name, messages in attributes.items() for message in messages
    )
