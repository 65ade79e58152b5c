"""The Poloniex handlers, one per operationId: validated values in (`Ctx`), JSON values out.

`ctx.state` is the request's `state.PoloniexTransaction`; `ctx.user` a `PoloniexUser`.
"""

from __future__ import annotations

from typing import Any

from ..protocol import Ctx, Handler
from . import render
from .engine import SmartOrderEngine


def _engine(ctx: Ctx) -> tuple[SmartOrderEngine, str]:
    owner: str = ctx.user.api_key
    engine: SmartOrderEngine = ctx.state.engine_for(owner)
    return engine, owner


def create_smart_order(ctx: Ctx) -> Any:
    engine, owner = _engine(ctx)
    return render.smart_order_ref(engine.create(owner, ctx.body))


def list_smart_orders(ctx: Ctx) -> Any:
    engine, owner = _engine(ctx)
    return render.smart_orders(engine.list_open(owner, ctx.params))


def list_smart_order_history(ctx: Ctx) -> Any:
    engine, owner = _engine(ctx)
    return render.smart_orders(engine.history(owner, ctx.params))


def get_smart_order(ctx: Ctx) -> Any:
    engine, owner = _engine(ctx)
    return render.smart_order_details(engine.get(owner, ctx.params["id"]))


def replace_smart_order(ctx: Ctx) -> Any:
    engine, owner = _engine(ctx)
    return render.smart_order_ref(engine.replace(owner, ctx.params["id"], ctx.body))


def cancel_smart_order(ctx: Ctx) -> Any:
    engine, owner = _engine(ctx)
    return render.cancel_result(engine.cancel(owner, ctx.params["id"]))


def cancel_smart_orders_by_ids(ctx: Ctx) -> Any:
    engine, owner = _engine(ctx)
    return render.cancel_results(engine.cancel_by_ids(owner, ctx.body))


def cancel_all_smart_orders(ctx: Ctx) -> Any:
    engine, owner = _engine(ctx)
    return render.cancel_results(engine.cancel_all(owner, ctx.body))


HANDLERS: dict[str, Handler] = {
    f.__name__: f
    for f in (
        create_smart_order,
        list_smart_orders,
        list_smart_order_history,
        get_smart_order,
        replace_smart_order,
        cancel_smart_order,
        cancel_smart_orders_by_ids,
        cancel_all_smart_orders,
    )
}
