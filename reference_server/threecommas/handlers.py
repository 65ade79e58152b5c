"""The 3Commas handlers, one per operationId: validated values in (`Ctx`), JSON values out.

`ctx.state` is the request's `store.Transaction` (copies of the stored trades, swapped in only once
the core has rendered and serialized the answer).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..decimals import to_decimal
from ..protocol import Ctx, Handler
from ..spec_validation import parse_rfc3339
from ..values import get
from . import commands, engine, machine, render
from .build import apply_update, create_trade
from .errors import forbidden_account, record_invalid
from .model import Order, SmartTrade
from .rules import check_create, check_funds, check_update
from .statuses import LIST_FILTERS


def _success_schema_name(ctx: Ctx) -> str | None:
    op = ctx.op
    raw = ctx.spec.document["paths"][op.template][op.method.lower()]
    response = ctx.spec._deref(raw.get("responses", {}).get(str(op.success_status), {}))
    schema = (response.get("content") or {}).get("application/json", {}).get("schema") or {}
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def _trade_result(ctx: Ctx, trade: SmartTrade, order: Order) -> Any:
    """A trade-level action answers the Trade or its SmartTrade, as the operation documents."""
    if _success_schema_name(ctx) == "Trade":
        return render.render_order(trade, order)
    return _render(ctx, trade)


def _trade(ctx: Ctx, name: str = "id") -> SmartTrade:
    trade: SmartTrade = ctx.state.get(ctx.user.api_key, int(ctx.params[name]))
    return trade


def _render(ctx: Ctx, trade: SmartTrade) -> dict[str, Any]:
    return render.render(trade, ctx.state.quote(trade.pair))


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
    trades = ctx.state.owned(ctx.user.api_key)
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
    wanted = LIST_FILTERS.get(str(p.get("status", "all")))
    if wanted is not None:
        trades = [t for t in trades if t.status in wanted]
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
    store = ctx.state
    quote = store.quote(body["pair"])
    now = store.clock()
    trade = create_trade(
        body, store.new_trade_id(), ctx.user.api_key, account, quote, store.new_order_id, now
    )
    engine.advance(trade, quote, now)
    store.add(trade)
    return _render(ctx, trade)


def get_smart_trade(ctx: Ctx) -> Any:
    # Read only: a settled trade is neither copied nor advanced, its answer served as rendered.
    trade = ctx.state.read(ctx.user.api_key, int(ctx.params["id"]))
    return ctx.state.rendered(trade, render.render)


def update_smart_trade(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    machine.require(trade, machine.Action.UPDATE)
    current_tp = {"enabled": trade.tp_enabled, "steps": trade.steps}
    problems = check_update(ctx.body, trade.account.is_futures, current_tp)
    if problems:
        raise record_invalid(problems)
    quote = ctx.state.quote(trade.pair)
    now = ctx.state.clock()
    apply_update(trade, ctx.body, quote, ctx.state.new_order_id, now)
    engine.advance(trade, quote, now)
    return _render(ctx, trade)


def cancel_smart_trade(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    commands.cancel(trade, ctx.state.clock())
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
    now = ctx.state.clock()
    commands.add_funds(
        trade, ctx.state.quote(trade.pair), order_type, units, price, ctx.state.new_order_id(), now
    )
    return _render(ctx, trade)


def get_reduce_funds_info(ctx: Ctx) -> Any:
    return commands.reduce_funds_info(_trade(ctx))


def reduce_funds_of_smart_trade(ctx: Ctx) -> Any:
    trade, order_type, units, price = _funds(ctx)
    now = ctx.state.clock()
    commands.reduce_funds(
        trade, ctx.state.quote(trade.pair), order_type, units, price, ctx.state.new_order_id(), now
    )
    return _render(ctx, trade)


def close_smart_trade_by_market(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    commands.close_by_market(
        trade, ctx.state.quote(trade.pair), ctx.state.new_order_id(), ctx.state.clock()
    )
    return _render(ctx, trade)


def force_start_smart_trade(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    commands.force_start(trade, ctx.state.quote(trade.pair), ctx.state.clock())
    return _render(ctx, trade)


def force_process_smart_trade(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    commands.force_process(trade, ctx.state.quote(trade.pair), ctx.state.clock())
    return _render(ctx, trade)


def set_smart_trade_note(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    commands.set_note(trade, ctx.body["note"], ctx.state.clock())
    return _render(ctx, trade)


def list_smart_trade_trades(ctx: Ctx) -> Any:
    trade = _trade(ctx, "smart_trade_id")
    return [render.render_order(trade, order) for order in trade.orders()]


def close_trade_by_market(ctx: Ctx) -> Any:
    trade = _trade(ctx, "smart_trade_id")
    order = ctx.state.get_order(trade, int(ctx.params["id"]))
    commands.close_order_by_market(trade, order, ctx.state.quote(trade.pair), ctx.state.clock())
    return _trade_result(ctx, trade, order)


def cancel_trade(ctx: Ctx) -> Any:
    trade = _trade(ctx, "smart_trade_id")
    order = ctx.state.get_order(trade, int(ctx.params["id"]))
    commands.cancel_order(trade, order, ctx.state.clock())
    return _trade_result(ctx, trade, order)


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
