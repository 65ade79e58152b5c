"""The ver1 (deprecated) SmartTrades handlers, one per operationId: validated values in (`Ctx`),
JSON values out.

`ctx.state` is the request's `store.Transaction`; its `v1` holds the ver1 trades (copies, swapped
in once the core has rendered and serialized the answer). Users, accounts and ids are v2's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..decimals import to_decimal
from ..protocol import Ctx, Handler
from . import v1_commands, v1_engine
from .errors import forbidden_account, record_invalid
from .v1_build import create_trade
from .v1_model import V1Trade
from .v1_render import render, render_order, render_step
from .v1_rules import as_bool, check_create, check_funds, integer
from .v1_statuses import SCOPES


def _trade(ctx: Ctx) -> V1Trade:
    trade: V1Trade = ctx.state.v1.get(ctx.user.api_key, int(ctx.params["smart_trade_id"]))
    return trade


def _render(ctx: Ctx, trade: V1Trade) -> dict[str, Any]:
    return render(trade, ctx.state.quote(trade.pair))


def _create(create: str) -> Handler:
    def handler(ctx: Ctx) -> Any:
        body = ctx.body
        account = ctx.user.account(int(body["account_id"]))
        if account is None:
            raise forbidden_account()
        problems = check_create(body)
        if problems:
            raise record_invalid(problems)
        state = ctx.state
        quote = state.quote(body["pair"])
        now = state.clock()
        trade = create_trade(
            create,
            body,
            state.new_trade_id(),
            ctx.user.api_key,
            account,
            quote,
            state.new_order_id,
            now,
        )
        v1_engine.advance(trade, quote, now)
        state.v1.add(trade)
        return _render(ctx, trade)

    handler.__name__ = f"create_{create}_v1"
    return handler


def _sort_key(order: str) -> Callable[[V1Trade], Any]:
    if order == "closed_at":
        return lambda t: (t.closed_at is not None, t.closed_at or t.created_at, t.id)
    return lambda t: (t.created_at, t.id)


def list_smart_trades_v1(ctx: Ctx) -> Any:
    p = ctx.params
    trades = ctx.state.v1.owned(ctx.user.api_key)
    if p.get("account_id") is not None:
        trades = [t for t in trades if t.account.id == int(p["account_id"])]
    wanted = SCOPES.get(str(p.get("scope")))
    if wanted is not None:
        trades = [t for t in trades if t.status in wanted]
    if p.get("type"):
        trades = [t for t in trades if t.kind.value == p["type"]]
    trades.sort(key=_sort_key(str(p.get("order", "created_at"))), reverse=True)
    offset = int(p.get("offset", 0))
    limit = p.get("limit")
    chosen = trades[offset:] if limit is None else trades[offset : offset + int(limit)]
    return [_render(ctx, t) for t in chosen]


def cancel_order_v1(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    v1_commands.cancel_order(trade, int(ctx.body["step_id"]), ctx.state.clock())
    return _render(ctx, trade)


def add_funds_v1(ctx: Ctx) -> Any:
    """`response_type` shapes the answer: `empty` (default) `{}`, `smart_trade` the SmartTrade,
    `order` the order placed, `step` the step created."""
    trade = _trade(ctx)
    body = ctx.body
    problems = check_funds(body)
    if problems:
        raise record_invalid(problems)
    rate = None if as_bool(body["is_market"]) else to_decimal(body["rate"])
    step = v1_commands.add_funds(
        trade,
        ctx.state.quote(trade.pair),
        to_decimal(body["quantity"]),
        rate,
        ctx.state.new_order_id,
        ctx.state.clock(),
    )
    response_type = body.get("response_type") or "empty"
    if response_type == "smart_trade":
        return _render(ctx, trade)
    if response_type == "order":
        return render_order(trade, step)
    if response_type == "step":
        return render_step(trade, step)
    return {}


def step_panic_sell_v1(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    step_id = integer(ctx.body["step_id"])
    assert step_id is not None
    v1_commands.step_panic_sell(trade, step_id, ctx.state.quote(trade.pair), ctx.state.clock())
    return _render(ctx, trade)


def update_smart_trade_v1(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    v1_commands.update(
        trade, ctx.body, ctx.state.quote(trade.pair), ctx.state.new_order_id, ctx.state.clock()
    )
    return _render(ctx, trade)


def cancel_smart_trade_v1(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    v1_commands.cancel(trade, ctx.state.clock())
    return _render(ctx, trade)


def panic_sell_v1(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    v1_commands.panic_sell(
        trade, ctx.state.quote(trade.pair), ctx.state.new_order_id, ctx.state.clock()
    )
    return _render(ctx, trade)


def force_process_v1(ctx: Ctx) -> Any:
    trade = _trade(ctx)
    v1_commands.force_process(trade, ctx.state.quote(trade.pair), ctx.state.clock())
    return _render(ctx, trade)


V1_HANDLERS: dict[str, Handler] = {
    **{
        f"create_{create}_v1": _create(create)
        for create in ("simple_sell", "simple_buy", "smart_sell", "smart_cover", "smart_trade")
    },
    **{
        f.__name__: f
        for f in (
            list_smart_trades_v1,
            cancel_order_v1,
            add_funds_v1,
            step_panic_sell_v1,
            update_smart_trade_v1,
            cancel_smart_trade_v1,
            panic_sell_v1,
            force_process_v1,
        )
    },
}
