"""The Starlette app: every answer JSON, routes and validation from the spec, state behind one lock."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import lifecycle
from .auth import Authenticator
from .build import apply_update, create_trade
from .decimals import to_decimal
from .errors import (
    ApiError,
    bad_request,
    forbidden_account,
    not_found,
    payload_too_large,
    record_invalid,
    too_many_failed_authentications,
    wrong_params,
)
from .lifecycle import SmartTrade
from .limits import (
    AUTH_FAILURE_BLOCK_SECONDS,
    AUTH_FAILURE_LIMIT,
    AUTH_FAILURE_WINDOW_SECONDS,
    MAX_BODY_BYTES,
    MAX_VALIDATION_ERRORS,
)
from .params import deep_merge, parse_json, parse_query, read_body
from .prices import Quote
from .rate_limit import RateLimiter
from .rules import check_create, check_funds, check_update, get
from .spec_validation import (
    DEFAULT_SPEC,
    Operation,
    ParameterError,
    Spec,
    bracket_path,
    drop_undeclared,
    parse_rfc3339,
    validate_body,
    validate_parameters,
)
from .state import Store, Transaction
from .users import User, demo_users

PREFIX = "/public/api"
log = logging.getLogger("reference_server")


@dataclass
class Ctx:
    user: User
    op: Operation
    params: dict[str, Any]
    body: dict[str, Any]
    store: Transaction = field(repr=False)


Handler = Callable[[Ctx], Any]


def render_json(body: Any) -> bytes:
    """The exact bytes of an answer; raises for anything that is not UTF-8 JSON (a lone surrogate,
    a stray object), so a write whose answer cannot be sent is never committed."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    """Never fails on what slipped through: text UTF-8 cannot carry is sent \\u-escaped (still
    JSON), anything else not JSON as its string form."""
    try:
        content = render_json(body)
    except (TypeError, ValueError):  # UnicodeEncodeError is a ValueError
        content = json.dumps(body, separators=(",", ":"), default=str).encode("ascii")
    return Response(content, status_code=status, media_type="application/json", headers=headers)


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
            if not _utf8(node):
                found.append(bracket_path(where))
        elif isinstance(node, dict):
            for key, item in reversed(list(node.items())):
                shown = key.encode("utf-8", "backslashreplace").decode("utf-8")
                if not _utf8(key):
                    found.append(bracket_path([*where, shown]))
                stack.append((item, [*where, shown]))
        elif isinstance(node, list):
            stack.extend((item, [*where, i]) for i, item in reversed(list(enumerate(node))))
    return found[:MAX_VALIDATION_ERRORS]


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


async def read_body_bytes(request: Request) -> bytes:
    """The body, never more than MAX_BODY_BYTES of it: a larger Content-Length is refused before
    reading, and a stream that runs past the limit is dropped as soon as it does."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > MAX_BODY_BYTES:
        raise payload_too_large(MAX_BODY_BYTES)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise payload_too_large(MAX_BODY_BYTES)
        chunks.append(chunk)
    return b"".join(chunks)


def error_response(error: ApiError) -> Response:
    return json_response(error.status, error.body(), error.headers)


# ---- handlers, one per operationId -------------------------------------------------------------


def _trade(ctx: Ctx, name: str = "id") -> SmartTrade:
    return ctx.store.get(ctx.user.api_key, int(ctx.params[name]))


def _render(ctx: Ctx, trade: SmartTrade) -> dict[str, Any]:
    return lifecycle.render(trade, ctx.store.quote(trade.pair))


_STATUS_FILTERS: dict[str, Callable[[SmartTrade], bool]] = {
    "all": lambda t: True,
    "active": lambda t: not t.terminal,
    "finished": lambda t: t.terminal,
    "successfully_finished": lambda t: t.status == lifecycle.FINISHED,
    "successfully_finish": lambda t: t.status == lifecycle.FINISHED,
    "cancelled": lambda t: t.status == lifecycle.CANCELLED,
    "failed": lambda t: t.status == "failed",
}


def _sort_key(order_by: str) -> Callable[[SmartTrade], Any]:
    if order_by == "updated_at":
        return lambda t: (t.updated_at, t.id)
    if order_by == "closed_at":
        return lambda t: (t.closed_at is not None, t.closed_at or t.created_at, t.id)
    if order_by == "status":
        return lambda t: (t.status, t.id)
    if order_by in ("profit", "profit_percentage"):
        return lambda t: (t.closed_total() - t.closed_amount() * (t.average_enter() or 0), t.id)
    return lambda t: (t.created_at, t.id)


def _as_datetime(value: Any) -> datetime | None:
    # The parser validation's `date-time` check uses: a filter it lets through is applied.
    return parse_rfc3339(value) if isinstance(value, str) else None


def list_smart_trades(ctx: Ctx) -> Any:
    p = ctx.params
    trades = ctx.store.owned(ctx.user.api_key)
    if "account_id" in p:
        trades = [t for t in trades if t.account.id == int(p["account_id"])]
    if p.get("pair"):
        trades = [t for t in trades if t.pair == p["pair"]]
    if p.get("type"):
        trades = [t for t in trades if t.kind == p["type"]]
    if p.get("base"):
        trades = [t for t in trades if t.pair.split("_", 1)[-1] == p["base"]]
    if p.get("quote"):
        trades = [t for t in trades if t.pair.split("_", 1)[0] == p["quote"]]
    status_filter = _STATUS_FILTERS.get(str(p.get("status", "all")))
    if status_filter is not None:
        trades = [t for t in trades if status_filter(t)]
    since, until = _as_datetime(p.get("from")), _as_datetime(p.get("to"))
    if since is not None:
        trades = [t for t in trades if t.created_at >= since]
    if until is not None:
        trades = [t for t in trades if t.created_at < until]
    trades.sort(key=_sort_key(str(p.get("order_by", "created_at"))))
    if p.get("order_direction", "desc") == "desc":
        trades.reverse()
    per_page = int(p.get("per_page", 10))
    page = int(p.get("page", 1))
    start = (page - 1) * per_page
    return [_render(ctx, t) for t in trades[start : start + per_page]]


def create_smart_trade(ctx: Ctx) -> Any:
    body = ctx.body
    account = ctx.user.account(int(body["account_id"]))
    if account is None:
        raise forbidden_account()
    problems = check_create(body, account.is_futures)
    if problems:
        raise record_invalid(problems)
    store = ctx.store
    quote = store.quote(body["pair"])
    now = store.clock()
    trade = create_trade(
        body, store.new_trade_id(), ctx.user.api_key, account, quote, store.new_order_id, now
    )
    lifecycle.advance(trade, quote, now)
    store.add(trade)
    return _render(ctx, trade)


def get_smart_trade(ctx: Ctx) -> Any:
    return _render(ctx, _trade(ctx))


def update_smart_trade(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    if not trade.editable:
        raise wrong_params("Update is not allowed in the current status")
    current_tp = {"enabled": trade.tp_enabled, "steps": trade.steps}
    problems = check_update(ctx.body, trade.account.is_futures, current_tp)
    if problems:
        raise record_invalid(problems)
    quote = ctx.store.quote(trade.pair)
    now = ctx.store.clock()
    apply_update(trade, ctx.body, quote, ctx.store.new_order_id, now)
    lifecycle.advance(trade, quote, now)
    return _render(ctx, trade)


def cancel_smart_trade(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    lifecycle.cancel(trade, ctx.store.clock())
    return _render(ctx, trade)


def _funds(ctx: Ctx) -> tuple[SmartTrade, str, Decimal, Decimal | None]:
    trade = _trade(ctx)
    problems = check_funds(ctx.body)
    if problems:
        raise record_invalid(problems)
    order_type = str(ctx.body.get("order_type", "market"))
    units = to_decimal(get(ctx.body, "units", "value"))
    raw_price = get(ctx.body, "price", "value")
    price = to_decimal(raw_price) if raw_price not in (None, "") and order_type == "limit" else None
    return trade, order_type, units, price


def add_funds_to_smart_trade(ctx: Ctx) -> Any:
    trade, order_type, units, price = _funds(ctx)
    now = ctx.store.clock()
    lifecycle.add_funds(
        trade, ctx.store.quote(trade.pair), order_type, units, price, ctx.store.new_order_id(), now
    )
    return _render(ctx, trade)


def get_reduce_funds_info(ctx: Ctx) -> Any:
    return lifecycle.reduce_funds_info(_trade(ctx))


def reduce_funds_of_smart_trade(ctx: Ctx) -> Any:
    trade, order_type, units, price = _funds(ctx)
    now = ctx.store.clock()
    lifecycle.reduce_funds(
        trade, ctx.store.quote(trade.pair), order_type, units, price, ctx.store.new_order_id(), now
    )
    return _render(ctx, trade)


def close_smart_trade_by_market(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    lifecycle.close_by_market(
        trade, ctx.store.quote(trade.pair), ctx.store.new_order_id(), ctx.store.clock()
    )
    return _render(ctx, trade)


def force_start_smart_trade(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    lifecycle.force_start(trade, ctx.store.quote(trade.pair), ctx.store.clock())
    return _render(ctx, trade)


def force_process_smart_trade(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    lifecycle.force_process(trade, ctx.store.quote(trade.pair), ctx.store.clock())
    return _render(ctx, trade)


def set_smart_trade_note(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    trade.note = ctx.body["note"]
    trade.updated_at = ctx.store.clock()
    return _render(ctx, trade)


def list_smart_trade_trades(ctx: Ctx) -> Any:
    trade = _trade(ctx, "smart_trade_id")
    return [lifecycle.render_order(trade, order) for order in trade.orders()]


def close_trade_by_market(ctx: Ctx) -> Any:
    trade = _trade(ctx, "smart_trade_id")
    order = ctx.store.get_order(trade, int(ctx.params["id"]))
    lifecycle.close_order_by_market(trade, order, ctx.store.quote(trade.pair), ctx.store.clock())
    return trade, order


def cancel_trade(ctx: Ctx) -> Any:
    trade = _trade(ctx, "smart_trade_id")
    order = ctx.store.get_order(trade, int(ctx.params["id"]))
    lifecycle.cancel_order(trade, order, ctx.store.clock())
    return trade, order


HANDLERS: dict[str, Handler] = {
    f.__name__: f
    for f in (
        list_smart_trades,
        create_smart_trade,
        get_smart_trade,
        update_smart_trade,
        cancel_smart_trade,
        add_funds_to_smart_trade,
        get_reduce_funds_info,
        reduce_funds_of_smart_trade,
        close_smart_trade_by_market,
        force_start_smart_trade,
        force_process_smart_trade,
        set_smart_trade_note,
        list_smart_trade_trades,
        close_trade_by_market,
        cancel_trade,
    )
}


# ---- the app ------------------------------------------------------------------------------------


class ReferenceServer:
    def __init__(
        self,
        users: list[User] | None = None,
        spec_path: str | Path = DEFAULT_SPEC,
        rate_limiter: RateLimiter | None = None,
        store: Store | None = None,
        auth_limiter: RateLimiter | None = None,
        lenient: bool = False,
    ) -> None:
        # Strict (default): an undeclared body key answers 422 naming it. Lenient: dropped before
        # validation, as the live API ignores it.
        self.lenient = lenient
        self.users = users if users is not None else demo_users()
        self.auth = Authenticator(self.users)
        self.spec = Spec(spec_path)
        # Requests per verified user; failed authentications per client address (off with it).
        self.rate_limiter = rate_limiter if rate_limiter is not None else RateLimiter()
        self.auth_limiter = (
            auth_limiter
            if auth_limiter is not None
            else RateLimiter(
                limit=AUTH_FAILURE_LIMIT,
                window=AUTH_FAILURE_WINDOW_SECONDS,
                block=AUTH_FAILURE_BLOCK_SECONDS,
                enabled=self.rate_limiter.enabled,
            )
        )
        self.store = store or Store()
        # A deprecated operation without a handler (ver1) answers 501 after auth and validation.
        missing = [
            op.operation_id
            for op in self.spec.operations
            if op.operation_id not in HANDLERS
            and not self.spec.document["paths"][op.template][op.method.lower()].get("deprecated")
        ]
        if missing:
            raise RuntimeError(f"spec operations without a handler: {missing}")
        # Operations whose success body is a Trade rather than a SmartTrade.
        self.trade_result_ops = {
            op.operation_id
            for op in self.spec.operations
            if self._success_schema_name(op) == "Trade"
        }
        self.app = Starlette(
            routes=[
                # No method list: every method reaches dispatch, which answers 405 with the
                # spec's methods for the path in `Allow` (Starlette's own 405 would be text/plain).
                Route("/{rest:path}", _AsgiEndpoint(self.dispatch))
            ],
            exception_handlers={Exception: self._crash, 404: self._not_found, 405: self._not_found},
        )

    def reset(self) -> None:
        """Forget every SmartTrade and price move (tests that must replay exactly)."""
        self.store = Store()

    def _success_schema_name(self, op: Operation) -> str | None:
        raw = self.spec.document["paths"][op.template][op.method.lower()]
        response = self.spec._deref(raw.get("responses", {}).get(str(op.success_status), {}))
        schema = (response.get("content") or {}).get("application/json", {}).get("schema") or {}
        ref = schema.get("$ref", "")
        return ref.rsplit("/", 1)[-1] if ref else None

    async def _crash(self, request: Request, exc: Exception) -> Response:
        # Never leak internals (or secrets) in a 500: log the type, answer a generic JSON body.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return json_response(
            500, {"error": "internal_error", "error_description": "Internal error"}
        )

    async def _not_found(self, request: Request, exc: Exception) -> Response:
        return error_response(not_found())

    async def dispatch(self, request: Request) -> Response:
        try:
            return await self._dispatch(request)
        except ApiError as error:
            return error_response(error)
        except Exception as exc:  # noqa: BLE001 -- answered, not re-raised: uvicorn would reset it
            return await self._crash(request, exc)

    async def _dispatch(self, request: Request) -> Response:
        path = request.url.path
        if path.startswith("/_reference/"):
            return await self._control(request, path)
        if not path.startswith(PREFIX + "/"):
            raise not_found()
        api_path = path[len(PREFIX) :]
        op, path_params, allowed = self.spec.match(request.method, api_path)
        if op is None:
            if allowed:
                raise ApiError(
                    405,
                    "method_not_allowed",
                    f"{request.method} is not allowed here",
                    headers={"Allow": ", ".join(allowed)},
                )
            raise not_found()
        # Failed authentications count per client address; a blocked address is refused before any
        # body is read or signature checked. Only a verified user's requests count toward that
        # user's limit: an unsigned request naming someone's API key costs them nothing.
        client = request.client.host if request.client else "?"
        if self.auth_limiter.blocked(client):
            raise too_many_failed_authentications(self.auth_limiter.block)
        raw_body = await read_body_bytes(request)
        raw_path = request.scope.get("raw_path") or path.encode()
        try:
            user = self.auth.authenticate(
                request.headers, raw_path, request.scope.get("query_string", b""), raw_body
            )
        except ApiError:
            if self.auth_limiter.check(client) is not None:
                raise too_many_failed_authentications(self.auth_limiter.block) from None
            raise
        verdict = self.rate_limiter.check(user.api_key)
        if verdict == 429:
            raise ApiError(
                429, "rate_limit_exceeded", "Too many requests. Blocked for 300 seconds."
            )
        if verdict == 418:
            raise ApiError(418, "ip_banned", "Requests went on after a 429: temporarily banned.")
        return self._execute(request, op, path_params, user, raw_body)

    def _execute(
        self,
        request: Request,
        op: Operation,
        path_params: dict[str, str],
        user: User,
        raw_body: bytes,
    ) -> Response:
        query = parse_query(request.scope.get("query_string", b"").decode("latin-1"))
        try:
            bad_text = unencodable(query)
            if bad_text:
                raise ParameterError("query", {name: [_NOT_UTF8] for name in bad_text})
            params = validate_parameters(op, path_params, query, request.headers)
        except ParameterError as error:
            if error.location == "path":
                raise not_found() from None
            status = 400 if 400 in op.error_statuses or 422 not in op.error_statuses else 422
            if status == 422:
                raise record_invalid(error.attributes) from None
            raise bad_request("Invalid parameters", error.attributes) from None
        body: dict[str, Any] = {}
        if op.body_validator is not None:
            content_type = request.headers.get("content-type", "")
            declared = {p.name for p in op.parameters if p.location == "query"}
            from_query = {k: v for k, v in query.items() if k not in declared}
            # Numbers stay exact decimals, validated as such (bounds compared exactly).
            parsed = read_body(content_type, raw_body)
            if isinstance(parsed, dict) or parsed is None:
                # Parameters in a POST's query string count, and win over the body.
                parsed = deep_merge(parsed or {}, from_query)
            bad_text = unencodable(parsed)
            if bad_text:
                raise record_invalid({name: [_NOT_UTF8] for name in bad_text})
            if self.lenient:
                parsed = drop_undeclared(op, parsed)
            problems = validate_body(op, parsed)
            if problems:
                raise record_invalid(problems)
            body = parsed
        handler = HANDLERS.get(op.operation_id)
        if handler is None:
            raise ApiError(501, "not_implemented", f"{op.operation_id} is not implemented here")
        # The commit protocol: the handler works on copies (the transaction hands out nothing
        # else), the answer is rendered and serialized to bytes, and only then are the copies
        # swapped in. An exception at any step, rendering included, leaves the store as it was.
        with self.store.transaction() as txn:
            ctx = Ctx(user=user, op=op, params=params, body=body, store=txn)
            try:
                result = handler(ctx)
                if isinstance(result, tuple):
                    trade, order = result
                    if op.operation_id in self.trade_result_ops:
                        result = lifecycle.render_order(trade, order)
                    else:
                        result = _render(ctx, trade)
            except (InvalidOperation, ArithmeticError) as exc:
                # Numbers the schema let through but arithmetic cannot take (huge exponents).
                raise record_invalid({"base": ["contains a number out of range"]}) from exc
            content = render_json(result)
            txn.commit()
        return Response(content, status_code=op.success_status, media_type="application/json")

    async def _control(self, request: Request, path: str) -> Response:
        """Test controls outside the API: no auth, no rate limit."""
        if path != "/_reference/prices":
            raise not_found()
        if request.method == "GET":
            pair = request.query_params.get("pair")
            if not pair:
                raise bad_request("pair is missing", {"pair": ["is missing"]})
            q = self.store.quote(pair)
            return json_response(200, _quote_body(pair, q))
        if request.method != "POST":
            raise ApiError(
                405, "method_not_allowed", "Use GET or POST", headers={"Allow": "GET, POST"}
            )
        try:
            data = parse_json(await read_body_bytes(request))
        except (ValueError, RecursionError):
            raise bad_request("Body is not valid JSON", {"body": ["is not valid JSON"]}) from None
        if not isinstance(data, dict) or not isinstance(data.get("pair"), str) or not data["pair"]:
            raise record_invalid({"pair": ["is missing"]})
        values: dict[str, Decimal | None] = {}
        for key in ("last", "bid", "ask"):
            raw = data.get(key)
            if raw is None:
                if key == "last":
                    raise record_invalid({"last": ["is missing"]})
                values[key] = None
                continue
            try:
                number = to_decimal(raw)
            except (InvalidOperation, ValueError):
                raise record_invalid({key: ["is invalid"]}) from None
            if number <= 0:
                raise record_invalid({key: ["must be greater than 0"]})
            values[key] = number
        last = values["last"]
        assert last is not None
        if unencodable(data["pair"]):
            raise record_invalid({"pair": ["is not valid UTF-8 text"]})
        try:
            quote = self.store.set_price(data["pair"], last, values["bid"], values["ask"])
        except ArithmeticError as exc:
            raise record_invalid({"base": ["contains a number out of range"]}) from exc
        return json_response(200, _quote_body(data["pair"], quote))


class _AsgiEndpoint:
    """A plain ASGI endpoint: Starlette routes every method to it (a function endpoint would be
    GET-only), so dispatch alone decides between 200, 404 and 405."""

    def __init__(self, handler: Callable[[Request], Any]) -> None:
        self.handler = handler

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        response = await self.handler(Request(scope, receive))
        await response(scope, receive, send)


def _quote_body(pair: str, quote: Quote) -> dict[str, Any]:
    from .decimals import fmt

    return {"pair": pair, "bid": fmt(quote.bid), "ask": fmt(quote.ask), "last": fmt(quote.last)}


def create_app(
    users: list[User] | None = None,
    spec_path: str | Path = DEFAULT_SPEC,
    rate_limit: bool = True,
    rate_limiter: RateLimiter | None = None,
    lenient: bool = False,
) -> Starlette:
    """`rate_limit=False` turns off both the per-user limit and the failed-authentication limit;
    `lenient=True` drops undeclared body keys instead of answering 422."""
    limiter = rate_limiter if rate_limiter is not None else RateLimiter(enabled=rate_limit)
    server = ReferenceServer(
        users=users, spec_path=spec_path, rate_limiter=limiter, lenient=lenient
    )
    app = server.app
    app.state.reference = server
    return app
