"""The core: one plain ASGI app serving every API of `apis.APIS`, each at its own path prefix.

Routing, parameters, bodies and validation are read from each API's spec; limits (limits.py), rate
limits (each operation's `x-rate-limit`), failed-authentication limits, the shared prices and the
`/_reference` control endpoints are the core's and apply to every API. An API (protocol.py) brings
its authenticator, handlers by operationId, error shape and state; every write follows one
protocol: validate, run the handler on the state's transaction, render, serialize, then commit.

No web framework sits in the request path: the app reads the ASGI scope itself (method, path, raw
path, query bytes, headers, client address), reads the body through a bounded reader and sends
JSON answers itself. Every answer, 404 and 405 (with `Allow`) included, is JSON.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl

from .apis import APIS
from .decimals import fmt, to_decimal
from .limits import (
    AUTH_FAILURE_BLOCK_SECONDS,
    AUTH_FAILURE_LIMIT,
    AUTH_FAILURE_WINDOW_SECONDS,
    MAX_BODY_BYTES,
    MAX_VALIDATION_ERRORS,
    RATE_BLOCK_SECONDS,
    RATE_LIMIT,
    RATE_WINDOW_SECONDS,
)
from .params import deep_merge, parse_json, parse_query, read_body
from .prices import PriceBook, Quote
from .problems import (
    ErrorAnswer,
    Problem,
    ProblemKind,
    core_body,
    invalid_body,
    malformed,
    not_found,
    payload_too_large,
    too_many_failed_authentications,
)
from .protocol import (
    ApiDefinition,
    ApiState,
    Authenticator,
    Ctx,
    RawRequest,
    Rendered,
    clock_ms,
    render_json,
)
from .rate_limit import RateLimiter
from .spec_validation import (
    Operation,
    ParameterError,
    Spec,
    bracket_path,
    drop_undeclared,
    validate_body,
    validate_parameters,
)
from .users_file import UsersFileError, read_users_file
from .values import is_utf8

log = logging.getLogger("reference_server")


Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Answer:
    """A JSON answer: status, body bytes and any extra headers (`Allow`, `Retry-After`)."""

    status: int
    body: bytes
    headers: Mapping[str, str] | None = None


def json_response(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Answer:
    """Never fails on what slipped through: text UTF-8 cannot carry is sent \\u-escaped (still
    JSON), anything else not JSON as its string form."""
    try:
        content = render_json(body)
    except (TypeError, ValueError):  # UnicodeEncodeError is a ValueError
        content = json.dumps(body, separators=(",", ":"), default=str).encode("ascii")
    return Answer(status, content, headers)


class Headers(Mapping[str, str]):
    """A request's headers: names case-insensitive; `get` and `[]` give the first of repeated
    names, `items()` every pair in order (header values are latin-1 text, every byte kept)."""

    __slots__ = ("_first", "_raw")

    def __init__(self, raw: Iterable[tuple[bytes, bytes]]) -> None:
        self._raw = [
            (name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in raw
        ]
        # Reversed: of a repeated name, the first is the one the mapping keeps.
        self._first = dict(reversed(self._raw))

    def __getitem__(self, key: str) -> str:
        return self._first[key.lower()]

    def get(self, key: str, default: Any = None) -> Any:
        return self._first.get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._first

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._raw)

    def keys(self) -> list[str]:  # type: ignore[override]
        return [name for name, _ in self._raw]

    def values(self) -> list[str]:  # type: ignore[override]
        return [value for _, value in self._raw]

    def items(self) -> list[tuple[str, str]]:  # type: ignore[override]
        return list(self._raw)


class Disconnected(Exception):
    """The client went away before its body arrived: nothing to answer."""


class Incoming:
    """One HTTP request as the core reads it from the ASGI scope."""

    __slots__ = ("client", "headers", "method", "path", "query", "raw_path", "receive")

    def __init__(self, scope: Mapping[str, Any], receive: Receive) -> None:
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        self.raw_path: bytes = scope.get("raw_path") or self.path.encode()
        self.query: bytes = scope.get("query_string", b"")
        self.headers = Headers(scope.get("headers") or ())
        client = scope.get("client")
        self.client: str = client[0] if client else "?"
        self.receive = receive

    def query_params(self) -> dict[str, str]:
        """The query string's names and values (the last of a repeated name)."""
        return dict(parse_qsl(self.query.decode("latin-1"), keep_blank_values=True))


async def send_answer(send: Send, answer: Answer) -> None:
    headers = [
        (b"content-length", str(len(answer.body)).encode("ascii")),
        (b"content-type", b"application/json"),
    ]
    if answer.headers:
        headers += [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in answer.headers.items()
        ]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


_NOT_UTF8 = "is not valid UTF-8 text"


def unencodable(value: Any, parts: list[Any] | None = None) -> list[str]:
    """Bracket paths of strings (values or keys) UTF-8 cannot encode: lone surrogates, which valid
    JSON can spell (`"\\ud800"`) but no answer can carry. At most MAX_VALIDATION_ERRORS."""
    try:
        json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
        return []
    except UnicodeEncodeError:
        pass
    found: list[str] = []
    stack: list[tuple[Any, list[Any]]] = [(value, parts or [])]
    while stack and len(found) < MAX_VALIDATION_ERRORS:
        node, where = stack.pop()
        if isinstance(node, str):
            if not is_utf8(node):
                found.append(bracket_path(where))
        elif isinstance(node, dict):
            for key, item in reversed(list(node.items())):
                shown = key.encode("utf-8", "backslashreplace").decode("utf-8")
                if not is_utf8(key):
                    found.append(bracket_path([*where, shown]))
                stack.append((item, [*where, shown]))
        elif isinstance(node, list):
            stack.extend((item, [*where, i]) for i, item in reversed(list(enumerate(node))))
    return found[:MAX_VALIDATION_ERRORS]


async def read_body_bytes(request: Incoming) -> bytes:
    """The body, never more than MAX_BODY_BYTES of it: a larger Content-Length is refused before
    reading, and a stream that runs past the limit is dropped as soon as it does."""
    declared = request.headers.get("content-length")
    # ASCII digits only: `²` is a digit to str.isdigit() but no int() can read it.
    digits = None if declared is None else declared.strip()
    if digits and digits.isascii() and digits.isdigit() and int(digits) > MAX_BODY_BYTES:
        raise payload_too_large(MAX_BODY_BYTES)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await request.receive()
        kind = message["type"]
        if kind == "http.request":
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise payload_too_large(MAX_BODY_BYTES)
            if chunk:
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        elif kind == "http.disconnect":
            raise Disconnected
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def error_response(error: ErrorAnswer) -> Answer:
    return json_response(error.status, error.body(), error.headers)


def core_response(problem: Problem) -> Answer:
    return json_response(problem.status, core_body(problem), problem.headers)


def load_users_file(path: str | Path, apis: Sequence[ApiDefinition] = APIS) -> dict[str, Any]:
    """Every API's users from one users file, by API name; an API whose key the file lacks gets
    none (the file lists every user). UsersFileError names the entry at fault."""
    data = read_users_file(path)
    if not isinstance(data, dict) or not any(api.users_key in data for api in apis):
        keys = " or ".join(f"`{api.users_key}`" for api in apis)
        raise UsersFileError(f"expected a mapping with a non-empty {keys} list")
    return {api.name: api.load_users(data) for api in apis}


@dataclass(frozen=True)
class RateLimit:
    """An operation's `x-rate-limit` (or the core's default): per verified user and scope."""

    scope: str
    requests: int
    per_seconds: float
    blocked_seconds: float

    @classmethod
    def of(cls, spec: Spec, op: Operation) -> RateLimit:
        raw = spec._deref(spec.document["paths"][op.template]).get(op.method.lower(), {})
        declared = raw.get("x-rate-limit")
        if not isinstance(declared, dict):
            return cls("default", RATE_LIMIT, RATE_WINDOW_SECONDS, RATE_BLOCK_SECONDS)
        per_seconds = float(declared.get("per_seconds", RATE_WINDOW_SECONDS))
        return cls(
            str(declared.get("scope", op.operation_id)),
            int(declared.get("requests", RATE_LIMIT)),
            per_seconds,
            float(declared.get("blocked_seconds", per_seconds)),
        )


@dataclass
class Served:
    """One API as this server runs it."""

    api: ApiDefinition
    spec: Spec
    users: Any
    authenticate: Authenticator
    state: ApiState
    limits: dict[str, tuple[RateLimit, RateLimiter]]  # operationId -> its limit and limiter


class ReferenceServer:
    def __init__(
        self,
        users: Any = None,
        spec_path: str | Path | None = None,
        rate_limiter: RateLimiter | None = None,
        store: ApiState | None = None,
        auth_limiter: RateLimiter | None = None,
        lenient: bool = False,
        *,
        apis: Sequence[ApiDefinition] = APIS,
        users_by_api: Mapping[str, Any] | None = None,
        rate_limit: bool = True,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`users`, `spec_path` and `store` are the first API's (kept from the one-API server);
        `users_by_api` gives any API's users by name. An API given no users serves its demo users.
        `rate_limiter` replaces every operation's limiter (tests); `rate_limit=False` turns the
        spec's limits off. Strict (default): an undeclared body key answers 422 naming it;
        `lenient` drops it before validation, as live APIs ignore it. `clock` (an aware UTC
        datetime each call) replaces every API's wall clock (fuzzing: replays must not differ)."""
        self.lenient = lenient
        self.clock = clock
        # The server's time in ms since the epoch: the injected clock's, or the wall clock's.
        self.now_ms = clock_ms(clock)
        self.rate_limiter = rate_limiter
        enabled = rate_limit and (rate_limiter is None or rate_limiter.enabled)
        self.rate_limit_enabled = enabled
        self.auth_limiter = (
            auth_limiter
            if auth_limiter is not None
            else RateLimiter(
                limit=AUTH_FAILURE_LIMIT,
                window=AUTH_FAILURE_WINDOW_SECONDS,
                block=AUTH_FAILURE_BLOCK_SECONDS,
                enabled=enabled,
            )
        )
        self.prices = store.prices if store is not None else PriceBook()
        self.served: list[Served] = []
        for index, api in enumerate(apis):
            spec = Spec(spec_path if index == 0 and spec_path is not None else api.spec_path)
            # A deprecated operation without a handler answers 501 after auth and validation.
            missing = [
                op.operation_id
                for op in spec.operations
                if op.operation_id not in api.handlers and not op.deprecated
            ]
            if missing:
                raise RuntimeError(f"{api.name}: spec operations without a handler: {missing}")
            if users_by_api is not None and api.name in users_by_api:
                api_users = users_by_api[api.name]
            elif index == 0 and users is not None:
                api_users = users
            else:
                api_users = api.demo_users()
            state = store if index == 0 and store is not None else self._new_state(api)
            self.served.append(
                Served(api, spec, api_users, api.authenticator(api_users), state, {})
            )
        for served in self.served:
            self._build_limits(served)
        # Longest prefix first: a path goes to the most specific API that owns it.
        self._routing = sorted(self.served, key=lambda s: len(s.api.prefix), reverse=True)
        self.app = ReferenceApp(self)

    def _build_limits(self, served: Served) -> None:
        tables: dict[str, RateLimiter] = {}
        for op in served.spec.operations:
            limit = RateLimit.of(served.spec, op)
            limiter = self.rate_limiter or tables.get(limit.scope)
            if limiter is None:
                limiter = tables[limit.scope] = RateLimiter(
                    limit=limit.requests,
                    window=limit.per_seconds,
                    block=limit.blocked_seconds,
                    enabled=self.rate_limit_enabled,
                )
            served.limits[op.operation_id] = (limit, limiter)

    # ---- state ---------------------------------------------------------------------------------
    @property
    def store(self) -> ApiState:
        """The first API's state (kept from the one-API server)."""
        return self.served[0].state

    def state(self, name: str) -> ApiState:
        return next(s.state for s in self.served if s.api.name == name)

    def reset(self) -> None:
        """Forget every API's orders and every price move (tests that must replay exactly)."""
        self.prices = PriceBook()
        for served in self.served:
            served.state = self._new_state(served.api)

    def _new_state(self, api: ApiDefinition) -> ApiState:
        if self.clock is None:
            return api.new_state(self.prices)
        return api.new_state(self.prices, clock=self.clock)

    def move_price(
        self, pair: str, last: Decimal, bid: Decimal | None = None, ask: Decimal | None = None
    ) -> Quote:
        """Set a market's quote, then let every API's orders on it react. A failure puts the old
        quote back (each API's own reaction is all or nothing)."""
        old = self.prices.quote(pair)
        quote = self.prices.set(pair, last, bid, ask)
        try:
            for served in self.served:
                served.state.on_price(pair)
        except BaseException:
            self.prices.set(pair, old.last, old.bid, old.ask)
            raise
        return quote

    # ---- answers -------------------------------------------------------------------------------
    def _owner(self, path: str) -> Served | None:
        for served in self._routing:
            if served.api.owns(served.spec, path):
                return served
        return None

    def _answer(self, served: Served | None, failure: Exception) -> Answer:
        if isinstance(failure, ErrorAnswer):
            return error_response(failure)
        if not isinstance(failure, Problem):
            failure = Problem(ProblemKind.INTERNAL, 500, "Internal error")
        if served is None:
            return core_response(failure)
        return error_response(served.api.render_problem(failure))

    def _crash(self, request: Incoming, exc: Exception) -> Answer:
        # Never leak internals (or secrets) in a 500: log the type, answer a generic JSON body.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.path)
        return self._answer(self._owner(request.path), exc)

    async def handle(self, scope: Mapping[str, Any], receive: Receive, send: Send) -> None:
        """One HTTP request, answered in JSON whatever happens (a client gone mid-body excepted)."""
        request = Incoming(scope, receive)
        try:
            answer = await self.dispatch(request)
        except Disconnected:
            return
        await send_answer(send, answer)

    async def dispatch(self, request: Incoming) -> Answer:
        path = request.path
        served = None
        try:
            if path.startswith("/_reference/"):
                return await self._control(request, path)
            served = self._owner(path)
            if served is None:
                raise not_found()
            return await self._dispatch(request, served, path)
        except (ErrorAnswer, Problem) as failure:
            return self._answer(served, failure)
        except Disconnected:
            raise
        except Exception as exc:  # noqa: BLE001 -- answered, not re-raised: uvicorn would reset it
            return self._crash(request, exc)

    async def _dispatch(self, request: Incoming, served: Served, path: str) -> Answer:
        api_path = path[len(served.api.prefix) :]
        op, path_params, allowed = served.spec.match(request.method, api_path)
        if op is None:
            if allowed:
                raise Problem(
                    ProblemKind.METHOD_NOT_ALLOWED,
                    405,
                    f"{request.method} is not allowed here",
                    headers={"Allow": ", ".join(allowed)},
                )
            raise not_found()
        # Failed authentications count per client address; a blocked address is refused before any
        # body is read or signature checked. Only a verified user's requests count toward that
        # user's limit: an unsigned request naming someone's API key costs them nothing.
        client = request.client
        if self.auth_limiter.blocked(client):
            raise too_many_failed_authentications(self.auth_limiter.block)
        raw_body = await read_body_bytes(request)
        raw = RawRequest(
            method=request.method,
            raw_path=request.raw_path,
            query=request.query,
            body=raw_body,
            headers=request.headers,
            received_ms=self.now_ms(),
        )
        try:
            user = served.authenticate(raw)
        except ErrorAnswer:
            if self.auth_limiter.check(client) is not None:
                raise too_many_failed_authentications(self.auth_limiter.block) from None
            raise
        limit, limiter = served.limits[op.operation_id]
        verdict = limiter.check(f"{served.api.name}:{limit.scope}:{served.api.user_key(user)}")
        if verdict == 429:
            raise Problem(
                ProblemKind.RATE_LIMITED,
                429,
                f"Too many requests. Blocked for {limiter.block:g} seconds.",
                op=op,
            )
        if verdict == 418:
            raise Problem(
                ProblemKind.BANNED,
                418,
                "Requests went on after a 429: temporarily banned.",
                op=op,
            )
        return self._execute(request, served, op, path_params, user, raw_body)

    def _execute(
        self,
        request: Incoming,
        served: Served,
        op: Operation,
        path_params: dict[str, str],
        user: Any,
        raw_body: bytes,
    ) -> Answer:
        query = parse_query(request.query.decode("latin-1")) if request.query else {}
        try:
            bad_text = unencodable(query) if query else []
            if bad_text:
                raise ParameterError("query", {name: [_NOT_UTF8] for name in bad_text})
            params = validate_parameters(op, path_params, query, request.headers)
        except ParameterError as error:
            if error.location == "path":
                raise Problem(ProblemKind.NOT_FOUND, 404, "Not found", op=op) from None
            raise Problem(
                ProblemKind.INVALID_PARAMETERS, 400, "Invalid parameters", error.attributes, op=op
            ) from None
        body: Any = {}
        if op.body_validator is not None:
            content_type = request.headers.get("content-type", "")
            # Numbers stay exact decimals, validated as such (bounds compared exactly).
            parsed = read_body(content_type, raw_body)
            if served.api.query_in_body and (isinstance(parsed, dict) or parsed is None):
                declared = {p.name for p in op.parameters if p.location == "query"}
                from_query = {k: v for k, v in query.items() if k not in declared}
                # Parameters in a POST's query string count, and win over the body.
                parsed = deep_merge(parsed or {}, from_query)
            bad_text = unencodable(parsed)
            if bad_text:
                raise _invalid_body({name: [_NOT_UTF8] for name in bad_text}, op)
            if self.lenient:
                parsed = drop_undeclared(op, parsed)
            problems = validate_body(op, parsed)
            if problems:
                raise _invalid_body(problems, op)
            body = parsed
        handler = served.api.handlers.get(op.operation_id)
        if handler is None:
            raise Problem(
                ProblemKind.NOT_IMPLEMENTED,
                501,
                f"{op.operation_id} is not implemented here",
                op=op,
            )
        # The commit protocol: the handler works on the state's transaction (copies, or changes
        # it can undo), the answer is rendered and serialized to bytes, and only then committed.
        # An exception at any step, rendering included, leaves the state as it was.
        with served.state.transaction() as txn:
            ctx = Ctx(user=user, op=op, params=params, body=body, state=txn, spec=served.spec)
            try:
                result = handler(ctx)
            except ArithmeticError as exc:  # InvalidOperation included
                # Numbers the schema let through but arithmetic cannot take (huge exponents).
                raise _invalid_body({"base": ["contains a number out of range"]}, op) from exc
            # A handler may hand over its answer already serialized (a cached rendering).
            content = result.body if isinstance(result, Rendered) else render_json(result)
            txn.commit()
        return Answer(op.success_status, content)

    # ---- control endpoints -----------------------------------------------------------------------
    async def _control(self, request: Incoming, path: str) -> Answer:
        """Test controls outside every API: no auth, no rate limit, the core's error shape."""
        if path == "/_reference/reset":
            if request.method != "POST":
                raise _method_not_allowed("POST")
            self.reset()
            return json_response(200, {"reset": [s.api.name for s in self.served]})
        if path != "/_reference/prices":
            raise not_found()
        if request.method == "GET":
            pair = self._market(request.query_params())
            return json_response(200, self._quote_body(pair, self.prices.quote(pair)))
        if request.method != "POST":
            raise _method_not_allowed("GET, POST")
        try:
            data = parse_json(await read_body_bytes(request))
        except (ValueError, RecursionError):
            raise malformed("Body is not valid JSON", {"body": ["is not valid JSON"]}) from None
        if not isinstance(data, dict):
            raise invalid_body({"pair": ["is missing"]})
        pair = self._market(data)
        values: dict[str, Decimal | None] = {}
        for key in ("last", "bid", "ask"):
            raw = data.get(key)
            if raw is None:
                if key == "last":
                    raise invalid_body({"last": ["is missing"]})
                values[key] = None
                continue
            try:
                number = to_decimal(raw)
            except (InvalidOperation, ValueError):
                raise invalid_body({key: ["is invalid"]}) from None
            if number <= 0:
                raise invalid_body({key: ["must be greater than 0"]})
            values[key] = number
        last = values["last"]
        assert last is not None
        try:
            quote = self.move_price(pair, last, values["bid"], values["ask"])
        except ArithmeticError as exc:
            raise invalid_body({"base": ["contains a number out of range"]}) from exc
        return json_response(200, self._quote_body(pair, quote))

    def _market(self, data: Mapping[str, Any]) -> str:
        """The shared pair a control request names: `pair` (`USDT_BTC`), or an API's own market
        field (`symbol`: `BTC_USDT`)."""
        fields: dict[str, Callable[[str], str | None]] = {"pair": _same_pair}
        fields.update(
            {s.api.market_field: s.api.to_pair for s in self.served if s.api.market_field}
        )
        given = [name for name in fields if data.get(name) not in (None, "")]
        names = " or ".join(fields)
        if len(given) != 1:
            message = "is missing" if not given else f"give one of {names}"
            raise invalid_body({"pair": [message]})
        name = given[0]
        value = data[name]
        if not isinstance(value, str):
            raise invalid_body({name: ["must be of type string"]})
        if unencodable(value):
            raise invalid_body({name: [_NOT_UTF8]})
        pair = fields[name](value)
        if pair is None:
            raise invalid_body({name: ["is invalid"]})
        return pair

    def _quote_body(self, pair: str, quote: Quote) -> dict[str, Any]:
        out: dict[str, Any] = {"pair": pair}
        for served in self.served:
            field = served.api.market_field
            name = served.api.from_pair(pair) if field else None
            if field and name is not None:
                out[field] = name
        out.update(bid=fmt(quote.bid), ask=fmt(quote.ask), last=fmt(quote.last))
        return out


def _same_pair(pair: str) -> str | None:
    return pair


def _invalid_body(attributes: dict[str, list[str]], op: Operation) -> Problem:
    return Problem(ProblemKind.INVALID_BODY, 422, "Invalid parameters", attributes, op=op)


def _method_not_allowed(allowed: str) -> Problem:
    return Problem(
        ProblemKind.METHOD_NOT_ALLOWED, 405, f"Use {allowed}", headers={"Allow": allowed}
    )


class ReferenceApp:
    """The ASGI app of a ReferenceServer (`app.state.reference` is the server): HTTP requests go
    to the server; lifespan events are acknowledged; a websocket is closed at once."""

    def __init__(self, server: ReferenceServer) -> None:
        self.state = SimpleNamespace(reference=server)
        self._handle = server.handle

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._handle(scope, receive, send)
        elif kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        elif kind == "websocket":
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1000})


def create_app(
    users: Any = None,
    spec_path: str | Path | None = None,
    rate_limit: bool = True,
    rate_limiter: RateLimiter | None = None,
    lenient: bool = False,
    *,
    users_by_api: Mapping[str, Any] | None = None,
    apis: Iterable[ApiDefinition] = APIS,
    clock: Callable[[], datetime] | None = None,
) -> ReferenceApp:
    """Every API of `apis` on one app. `users` (a list) and `spec_path` are the first API's;
    `users_by_api` (as `load_users_file` returns it) gives every API's users by name.
    `rate_limit=False` turns off both the per-user limits and the failed-authentication limit;
    `lenient=True` drops undeclared body keys instead of answering 422; `clock` replaces every
    API's wall clock (see `ReferenceServer`)."""
    server = ReferenceServer(
        users=users,
        spec_path=spec_path,
        rate_limiter=rate_limiter,
        lenient=lenient,
        apis=tuple(apis),
        users_by_api=users_by_api,
        rate_limit=rate_limit,
        clock=clock,
    )
    return server.app


def spec_versions(app: ReferenceApp) -> dict[str, str]:
    """Each served API's spec version (`info.version`), by API name."""
    server: ReferenceServer = app.state.reference
    return {s.api.name: str(s.spec.document["info"]["version"]) for s in server.served}
