"""The price engine: what a quote does to a SmartTrade.

Entries (market, limit, conditional, trailing) fill; take profit steps fill in order as the price
reaches them, trailing ones once the price turns back; the stop loss fills when crossed (after its
timeout, at the entry price once breakeven applies, following the price when trailing); limit
add- and reduce-funds orders fill when the book reaches them. Which of these a status allows is the
machine's `fill_entry` / `fill_targets`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Protocol

from ..decimals import HUNDRED, ZERO, add, div, mul, pct_of, split, sub
from ..prices import Quote
from .machine import Action, allows, move, move_order
from .model import Order, SmartTrade
from .statuses import OrderStatus, TradeStatus

# ---- small rules -----------------------------------------------------------------------------


def crossed(price: Decimal, target: Decimal, condition: str) -> bool:
    return price >= target if condition == "greater" else price <= target


def entry_quote(trade: SmartTrade, quote: Quote) -> Decimal:
    """Buying pays the ask; selling gets the bid."""
    return quote.ask if trade.long else quote.bid


def exit_quote(trade: SmartTrade, quote: Quote) -> Decimal:
    return quote.bid if trade.long else quote.ask


def limit_reached(side: str, limit: Decimal, quote: Quote) -> bool:
    return quote.ask <= limit if side == "buy" else quote.bid >= limit


def _limit_fills(order: Order, quote: Quote) -> bool:
    return order.open and order.price is not None and limit_reached(order.side, order.price, quote)


def fill(order: Order, price: Decimal, now: datetime) -> None:
    move_order(order, OrderStatus.FINISHED, now)
    order.fill_price = price
    order.closed_at = now


class Trailing(Protocol):
    """Anything that trails a price: a v2 order, a ver1 step."""

    trailing_percent: Decimal | None
    trailing_extreme: Decimal | None
    trailing_updated_at: datetime | None


def trail(order: Trailing, watched: Decimal, follow_high: bool, now: datetime) -> bool:
    """Trailing, written once (a trailing entry follows lows when buying, highs when selling; a
    trailing take profit the other way): keep the extreme the price reached, and say whether it
    has turned back from it by the order's percent."""
    extreme = order.trailing_extreme or watched
    percent = order.trailing_percent or ZERO
    if follow_high:
        extreme = max(extreme, watched)
        turned = watched <= sub(extreme, pct_of(extreme, percent))
    else:
        extreme = min(extreme, watched)
        turned = watched >= add(extreme, pct_of(extreme, percent))
    if extreme != order.trailing_extreme:
        order.trailing_extreme = extreme
        order.trailing_updated_at = now
    return turned


def _start_trailing(order: Order, watched: Decimal, now: datetime) -> None:
    move_order(order, OrderStatus.TRAILING_ACTIVATED, now)
    order.trailing_extreme = watched
    order.trailing_updated_at = now


# ---- placing and sizing targets ----------------------------------------------------------------


def place_limit_steps(trade: SmartTrade) -> None:
    """Limit take profit steps go on the book once the position is in."""
    for step in trade.steps:
        if step.status == OrderStatus.IDLE and step.order_type == "limit":
            move_order(step, OrderStatus.ORDER_PLACED)


def place_targets(trade: SmartTrade, now: datetime) -> None:
    """Prices from percentages against the entry; units from volumes of the open position."""
    average = trade.average_enter()
    if average is None:
        return
    direction = Decimal(1) if trade.long else Decimal(-1)
    for step in trade.steps:
        if step.open and step.percent is not None:
            step.price = mul(average, add(Decimal(1), mul(direction, div(step.percent, HUNDRED))))
    place_limit_steps(trade)
    rebalance_steps(trade)
    sl = trade.open_stop_loss()
    if sl is not None:
        if sl.percent is not None:
            sl.price = mul(average, sub(Decimal(1), mul(direction, div(sl.percent, HUNDRED))))
        sl.units = trade.remaining()


def rebalance_steps(trade: SmartTrade) -> None:
    """Open steps share what is left of the position by their volumes; the last takes the rest.

    Every unit not held back for a pending reduce-funds order goes to an open step, exactly (shares
    are rounded down, the last step takes the difference); with no open step left, the units stay
    in the position, for the stop loss or a close at market to sell."""
    open_steps = trade.open_steps()
    parts = split(trade.reducible(), [s.volume or ZERO for s in open_steps])
    for step, units in zip(open_steps, parts, strict=True):
        step.units = units
    sl = trade.open_stop_loss()
    if sl is not None:
        sl.units = max(trade.remaining(), ZERO)


# ---- ending ------------------------------------------------------------------------------------


def cancel_open_orders(trade: SmartTrade, now: datetime) -> None:
    for order in trade.orders():
        if order.open:
            move_order(order, OrderStatus.CANCELLED, now)


def close(trade: SmartTrade, status: TradeStatus, now: datetime) -> None:
    """End the trade: its open orders are cancelled, the status moves (stamping the times)."""
    cancel_open_orders(trade, now)
    move(trade, status, now)


def finish_entry(trade: SmartTrade, now: datetime) -> None:
    """The position is filled: place targets, or finish a simple buy/sell."""
    if trade.instant:
        close(trade, TradeStatus.FINISHED, now)
        return
    move(trade, TradeStatus.WAITING_TARGETS, now)
    place_targets(trade, now)


def after_exit(trade: SmartTrade, now: datetime) -> None:
    """Units left the position (a step or reduce order filled) or came back (one was cancelled)."""
    trade.updated_at = now
    sl = trade.open_stop_loss()
    # Move to breakeven: after the first take profit the stop sits at the entry price.
    breakeven = trade.sl is not None and trade.sl.get("breakeven")
    if breakeven and sl is not None and any(s.filled for s in trade.steps):
        sl.price = trade.average_enter()
        sl.percent = None
    # Finished only once every unit is sold: cancelled steps and reduce-funds orders give their
    # units back (to the open steps, else to the position), and units held back for a pending
    # reduce-funds order are sold by that order.
    if trade.remaining() <= 0:
        close(trade, TradeStatus.FINISHED, now)
    else:
        rebalance_steps(trade)


# ---- a price move --------------------------------------------------------------------------------


def _advance_entry(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    position = trade.position
    cond = trade.conditional
    if cond is not None and not trade.triggered:
        watched = quote.get(cond["price_kind"])
        if not crossed(watched, cond["price"], cond["condition"]):
            return
        trade.triggered = True
        position.updated_at = now
        if cond.get("trailing_percent") is not None:
            _start_trailing(position, watched, now)
        elif position.order_type == "limit":
            move_order(position, OrderStatus.ORDER_PLACED, now)
        else:
            fill(position, entry_quote(trade, quote), now)
            finish_entry(trade, now)
            return
    if position.status == OrderStatus.TRAILING_ACTIVATED:
        # Trailing entry: follow the price away from us, enter when it turns back by the percent.
        watched = quote.get(cond["price_kind"]) if cond else quote.last
        if trail(position, watched, follow_high=not trade.long, now=now):
            fill(position, entry_quote(trade, quote), now)
            finish_entry(trade, now)
        return
    if position.order_type == "limit" and position.price is not None:
        if limit_reached(position.side, position.price, quote):
            fill(position, position.price, now)
            finish_entry(trade, now)
    elif position.order_type == "market" and position.open:
        fill(position, entry_quote(trade, quote), now)
        finish_entry(trade, now)


def _advance_targets(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    # Limit add-funds and reduce-funds orders.
    for order in trade.add_funds:
        if _limit_fills(order, quote):
            assert order.price is not None
            fill(order, order.price, now)
            place_targets(trade, now)
    for order in trade.reduce_funds:
        if _limit_fills(order, quote):
            assert order.price is not None
            fill(order, order.price, now)
            after_exit(trade, now)
            if trade.terminal:
                return
    price = exit_quote(trade, quote)
    first_fill = False
    for step in trade.steps:
        if not step.open or step.price is None:
            continue
        watched = quote.get(step.price_kind)
        if step.status == OrderStatus.TRAILING_ACTIVATED:
            if trail(step, watched, follow_high=trade.long, now=now):
                fill(step, price, now)
                first_fill = True
            continue
        reached = watched >= step.price if trade.long else watched <= step.price
        if not reached:
            continue
        if step.trailing_percent is not None:
            _start_trailing(step, watched, now)
        else:
            fill(step, step.price if step.order_type == "limit" else price, now)
            first_fill = True
    if first_fill:
        after_exit(trade, now)
        if trade.terminal:
            return
    _advance_stop_loss(trade, quote, now)


def _advance_stop_loss(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    sl = trade.open_stop_loss()
    if sl is None or sl.price is None or trade.sl is None:
        return
    watched = quote.get(sl.price_kind)
    if sl.trailing_percent is not None:
        # A trailing stop follows the price towards profit, keeping its distance in percent (it
        # ratchets: unlike `trail`, nothing turns, the stop only ever moves one way).
        if trade.long:
            candidate = sub(watched, pct_of(watched, sl.trailing_percent))
            if candidate > sl.price:
                sl.price, sl.trailing_extreme, sl.trailing_updated_at = candidate, watched, now
        else:
            candidate = add(watched, pct_of(watched, sl.trailing_percent))
            if candidate < sl.price:
                sl.price, sl.trailing_extreme, sl.trailing_updated_at = candidate, watched, now
    beyond = watched <= sl.price if trade.long else watched >= sl.price
    if not beyond:
        trade.sl_crossed_at = None
        return
    timeout = trade.sl.get("timeout")
    if timeout is not None:
        # With a timeout the price must stay beyond the stop for that many seconds.
        if trade.sl_crossed_at is None:
            trade.sl_crossed_at = now
        if (now - trade.sl_crossed_at).total_seconds() < timeout:
            return
    limit = trade.sl.get("limit_price")
    sl.units = trade.remaining()
    fill(sl, limit if limit is not None else exit_quote(trade, quote), now)
    close(trade, TradeStatus.STOP_LOSS_FINISHED, now)


def waits_on_clock(trade: SmartTrade) -> bool:
    """True when advancing the trade again to the same quote may change it later: a stop loss
    crossed and waiting out its timeout. Otherwise `now` only stamps changes (store.py relies on
    it: a trade advancing changes nothing stays so until its quote moves)."""
    return trade.sl_crossed_at is not None


def advance(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    """Move the trade as far as the current quote takes it (an entry that fills lets the targets
    react to the same quote)."""
    if allows(trade.status, Action.FILL_ENTRY):
        _advance_entry(trade, quote, now)
    if allows(trade.status, Action.FILL_TARGETS):
        _advance_targets(trade, quote, now)
