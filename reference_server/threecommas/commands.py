"""What the user asks of a SmartTrade: cancel, close at market, force start and process, add and
reduce funds, notes, and cancel or close one of its orders.

Every command first asks the machine (`require`, `require_order`); a refusal is the 400
`Wrong param(s)` the API answers. Then the engine does the rest.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ..decimals import fmt
from ..prices import Quote
from . import engine
from .errors import record_invalid
from .machine import Action, OrderAction, move_order, require, require_order
from .model import Order, SmartTrade
from .statuses import OrderStatus, Purpose, TradeStatus


def cancel(trade: SmartTrade, now: datetime) -> None:
    require(trade, Action.CANCEL)
    engine.close(trade, TradeStatus.CANCELLED, now)


def close_by_market(trade: SmartTrade, quote: Quote, new_id: int, now: datetime) -> None:
    """Panic sell: every open order cancelled, what is left of the position sold at market."""
    require(trade, Action.CLOSE_BY_MARKET)
    units = trade.remaining()
    order = Order(new_id, Purpose.MARKET_CLOSE, trade.exit_side, "market", units, now, now)
    engine.cancel_open_orders(trade, now)
    trade.market_close = order
    if units > 0:
        engine.fill(order, engine.exit_quote(trade, quote), now)
    else:
        move_order(order, OrderStatus.FINISHED)
    engine.close(trade, TradeStatus.PANIC_SOLD, now)


def force_start(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    """Enter now at market, whatever the entry was waiting for."""
    require(trade, Action.FORCE_START)
    trade.triggered = True
    trade.position.order_type = "market"
    engine.fill(trade.position, engine.entry_quote(trade, quote), now)
    engine.finish_entry(trade, now)
    trade.updated_at = now


def force_process(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    require(trade, Action.FORCE_PROCESS)
    engine.advance(trade, quote, now)
    trade.updated_at = now


def set_note(trade: SmartTrade, note: str, now: datetime) -> None:
    require(trade, Action.SET_NOTE)
    trade.note = note
    trade.updated_at = now


# ---- funds ---------------------------------------------------------------------------------------


def _funds_order(
    trade: SmartTrade,
    purpose: Purpose,
    quote: Quote,
    order_type: str,
    units: Decimal,
    price: Decimal | None,
    new_id: int,
    now: datetime,
) -> Order:
    """Add and reduce funds alike: an order on the entry side (add) or the exit side (reduce),
    filled at once at market, or placed at its limit for the engine to fill."""
    adding = purpose is Purpose.ADD_FUNDS
    side = trade.side if adding else trade.exit_side
    order = Order(new_id, purpose, side, order_type, units, now, now, price=price)
    (trade.add_funds if adding else trade.reduce_funds).append(order)
    if order_type == "market":
        market = engine.entry_quote(trade, quote) if adding else engine.exit_quote(trade, quote)
        engine.fill(order, market, now)
    else:
        move_order(order, OrderStatus.ORDER_PLACED)
    return order


def add_funds(
    trade: SmartTrade,
    quote: Quote,
    order_type: str,
    units: Decimal,
    price: Decimal | None,
    new_id: int,
    now: datetime,
) -> None:
    require(trade, Action.ADD_FUNDS)
    _funds_order(trade, Purpose.ADD_FUNDS, quote, order_type, units, price, new_id, now)
    engine.place_targets(trade, now)
    trade.updated_at = now
    engine.advance(trade, quote, now)


def reduce_funds(
    trade: SmartTrade,
    quote: Quote,
    order_type: str,
    units: Decimal,
    price: Decimal | None,
    new_id: int,
    now: datetime,
) -> None:
    require(trade, Action.REDUCE_FUNDS)
    if units > trade.reducible():
        raise record_invalid(
            {"units[value]": [f"must be less than or equal to {fmt(trade.reducible())}"]}
        )
    _funds_order(trade, Purpose.REDUCE_FUNDS, quote, order_type, units, price, new_id, now)
    trade.updated_at = now
    if trade.remaining() <= 0:
        engine.close(trade, TradeStatus.FINISHED, now)
        return
    engine.rebalance_steps(trade)
    engine.advance(trade, quote, now)


def reduce_funds_info(trade: SmartTrade) -> dict[str, Any]:
    require(trade, Action.REDUCE_FUNDS_INFO)
    return {"max_reduce_funds_amount": fmt(trade.reducible())}


# ---- one order -----------------------------------------------------------------------------------


def close_order_by_market(trade: SmartTrade, order: Order, quote: Quote, now: datetime) -> None:
    """Panic close of one order: fill it now at the market price."""
    require_order(trade, order, OrderAction.CLOSE)
    if order.purpose is Purpose.POSITION:
        force_start(trade, quote, now)
        return
    if order.purpose is Purpose.ADD_FUNDS:
        engine.fill(order, engine.entry_quote(trade, quote), now)
        engine.place_targets(trade, now)
        trade.updated_at = now
        return
    # Take profit, stop loss, reduce funds: an exit.
    if order.purpose is Purpose.STOP_LOSS:
        order.units = trade.remaining()
    engine.fill(order, engine.exit_quote(trade, quote), now)
    if order.purpose is Purpose.STOP_LOSS:
        engine.close(trade, TradeStatus.STOP_LOSS_FINISHED, now)
    else:
        engine.after_exit(trade, now)


def cancel_order(trade: SmartTrade, order: Order, now: datetime) -> None:
    require_order(trade, order, OrderAction.CANCEL)
    if order.purpose is Purpose.POSITION:
        engine.close(trade, TradeStatus.CANCELLED, now)
        return
    move_order(order, OrderStatus.CANCELLED, now)
    trade.updated_at = now
    if order.purpose in (Purpose.TAKE_PROFIT, Purpose.REDUCE_FUNDS):
        # Its units go back to the open steps, or to the position when none is left.
        engine.after_exit(trade, now)
