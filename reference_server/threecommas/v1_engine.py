"""The ver1 price engine: what a quote does to a ver1 SmartTrade.

The entry fills (market at once, limit when the book reaches it, conditional once the price
crosses `buy_price`, trailing once the price turns back by `trailing_buy_step`); then the take
profit steps sell their shares as the price reaches them (trailing ones once it turns back), limit
add-funds orders fill, and the stop loss sells the rest when crossed (after its timeout, following
the price when trailing). Which of these a status allows is the machine's `fill_entry` /
`fill_targets`; the holding statuses (`bought`, `..._order_placed`, `trailing_take_profit_activated`)
are read off the steps by `settle`. Crossing, limit fills and trailing are v2's (`engine`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..decimals import HUNDRED, ONE, ZERO, add, div, mul, pct_of, split, sub, total
from ..prices import Quote
from .engine import crossed, limit_reached, trail
from .v1_machine import V1Action, allows, move, move_step
from .v1_model import V1Step, V1Trade
from .v1_statuses import HOLDING, SIMPLE, V1Status, V1StepStatus

# ---- small rules -----------------------------------------------------------------------------


def entry_quote(trade: V1Trade, quote: Quote) -> Decimal:
    """Buying pays the ask; selling gets the bid."""
    return quote.ask if trade.long else quote.bid


def exit_quote(trade: V1Trade, quote: Quote) -> Decimal:
    return quote.bid if trade.long else quote.ask


def from_entry(average: Decimal, percent: Decimal) -> Decimal:
    """A price `percent` away from the entry (the sign says which way)."""
    return mul(average, add(ONE, div(percent, HUNDRED)))


def limit_price(step: V1Step) -> Decimal | None:
    """A limit step's order price (its own, else its trigger price); None for a market step."""
    if step.sell_method != "limit":
        return None
    return step.sell_order_price if step.sell_order_price is not None else step.price


def fill(step: V1Step, price: Decimal, now: datetime, status: V1StepStatus | None = None) -> None:
    if step.placed_at is None:
        step.placed_at = now
    move_step(step, status or V1StepStatus.PROCESSED, now)
    step.fill_price = price
    step.closed_at = now
    step.trailing_active = False


def place(step: V1Step, now: datetime) -> None:
    """The step's order goes to the exchange (a limit order waits on the book)."""
    if step.status == V1StepStatus.IDLE:
        move_step(step, V1StepStatus.ENQUEUED, now)
    step.placed_at = now
    step.trailing_active = False


def start_trailing(step: V1Step, watched: Decimal, now: datetime) -> None:
    move_step(step, V1StepStatus.ENQUEUED, now)
    step.trailing_active = True
    step.trailing_extreme = watched
    step.trailing_updated_at = now


def end_steps(trade: V1Trade, status: V1StepStatus, now: datetime) -> None:
    for step in trade.steps():
        if step.open:
            move_step(step, status, now)


def close(trade: V1Trade, status: V1Status, now: datetime, steps: V1StepStatus) -> None:
    """End the SmartTrade: its open steps end as `steps` (skipped, or cancelled by the user)."""
    end_steps(trade, steps, now)
    move(trade, status, now)


# ---- targets -----------------------------------------------------------------------------------


def place_targets(trade: V1Trade, now: datetime) -> None:
    """Prices from percentages against the average entry; units shared by the open steps."""
    average = trade.average_enter()
    if average is None:
        return
    tp = trade.take_profit
    for step in trade.open_take_profits():
        if step.price_percentage is not None and not step.trailing_active:
            step.price = from_entry(average, step.price_percentage)
        elif (
            tp.type == "classic"
            and tp.percentage_condition is not None
            and trade.trailing_buy_enabled
        ):
            step.price = from_entry(average, tp.percentage_condition)
    sl = trade.open_stop_loss()
    sl_settings = trade.stop_loss
    if sl is not None and sl.placed_at is None:
        if sl_settings.percentage_condition is not None and trade.trailing_buy_enabled:
            sl.price = from_entry(average, sl_settings.percentage_condition)
        if sl_settings.trailing and sl.price is not None:
            # A trailing stop keeps the distance it starts at from the entry, in percent.
            sl.trailing_percent = abs(div(mul(sub(average, sl.price), HUNDRED), average))
    rebalance(trade)


def rebalance(trade: V1Trade) -> None:
    """Open take profit steps share what is left of the position by their percents (the last one
    takes the rest, so no unit is lost); the stop loss covers all of it."""
    steps = [s for s in trade.open_take_profits() if s.placed_at is None]
    placed = total(s.units for s in trade.open_take_profits() if s.placed_at is not None)
    left = max(sub(trade.remaining(), placed), ZERO)
    for step, units in zip(steps, split(left, [s.percent or ZERO for s in steps]), strict=True):
        step.units = units
    sl = trade.open_stop_loss()
    if sl is not None:
        sl.units = max(trade.remaining(), ZERO)


def after_exit(trade: V1Trade, now: datetime, ended: V1Status) -> None:
    """Units left the position: once none is left the SmartTrade ends as `ended`."""
    trade.updated_at = now
    if trade.remaining() <= 0:
        close(trade, ended, now, V1StepStatus.SKIPPED)
    else:
        rebalance(trade)


def settle(trade: V1Trade, now: datetime) -> None:
    """A holding SmartTrade's status, read off its steps."""
    if trade.status not in HOLDING or trade.status == V1Status.PANIC_SELL_ORDER_PLACED:
        return
    sl = trade.open_stop_loss()
    steps = trade.open_take_profits()
    if sl is not None and sl.on_book:
        wanted = V1Status.STOP_LOSS_ORDER_PLACED
    elif any(s.on_book for s in steps):
        wanted = V1Status.TAKE_PROFIT_ORDER_PLACED
    elif any(s.trailing_active for s in steps):
        wanted = V1Status.TRAILING_TAKE_PROFIT_ACTIVATED
    else:
        wanted = V1Status.BOUGHT
    if wanted != trade.status:
        move(trade, wanted, now)


# ---- the entry -----------------------------------------------------------------------------------


def entered(trade: V1Trade, price: Decimal, now: datetime) -> None:
    """The entry filled: a Simple trade is done; any other holds the position for its targets."""
    fill(trade.entry, price, now)
    if trade.kind in SIMPLE:
        close(trade, V1Status.SIMPLE_TRADE_FINISHED, now, V1StepStatus.SKIPPED)
        return
    move(trade, V1Status.BOUGHT, now)
    place_targets(trade, now)


def _advance_entry(trade: V1Trade, quote: Quote, now: datetime) -> None:
    entry = trade.entry
    if trade.status == V1Status.CONDITIONAL_ORDER_WAITING_PRICE:
        watched = quote.get(entry.price_method)
        if entry.price is None or trade.condition is None:
            return
        if not crossed(watched, entry.price, trade.condition):
            return
        trade.triggered = True
        if trade.trailing_buy_enabled:
            start_trailing(entry, watched, now)
            move(trade, V1Status.TRAILING_BUY_ACTIVATED, now)
            return
        if entry.sell_method == "limit":
            place(entry, now)
            move(trade, V1Status.BUY_ORDER_PLACED, now)
        else:
            entered(trade, entry_quote(trade, quote), now)
            return
    if entry.trailing_active:
        # Follow the price away from us; enter once it turns back by the trailing step.
        watched = quote.get(entry.price_method)
        if trail(entry, watched, follow_high=not trade.long, now=now):
            if entry.sell_method == "limit" and entry.sell_order_price is not None:
                place(entry, now)
                move(trade, V1Status.BUY_ORDER_PLACED, now)
            else:
                entered(trade, entry_quote(trade, quote), now)
                return
    if entry.open and entry.placed_at is not None and not entry.trailing_active:
        if entry.sell_method == "market":
            entered(trade, entry_quote(trade, quote), now)
        elif entry.sell_order_price is not None and limit_reached(
            entry.side, entry.sell_order_price, quote
        ):
            entered(trade, entry.sell_order_price, now)


# ---- targets -----------------------------------------------------------------------------------


def _execute(trade: V1Trade, step: V1Step, quote: Quote, now: datetime) -> bool:
    """A triggered exit step places its order: market fills now, limit waits on the book.
    Whether it filled."""
    price = limit_price(step)
    if price is None:
        fill(step, exit_quote(trade, quote), now)
        return True
    place(step, now)
    if limit_reached(step.side, price, quote):
        fill(step, price, now)
        return True
    return False


def _advance_funds(trade: V1Trade, quote: Quote, now: datetime) -> None:
    for step in trade.buy_steps[1:]:
        price = limit_price(step)
        if step.on_book and price is not None and limit_reached(step.side, price, quote):
            fill(step, price, now)
            place_targets(trade, now)
            trade.updated_at = now


def _advance_take_profits(trade: V1Trade, quote: Quote, now: datetime) -> bool:
    """Whether a step filled."""
    filled = False
    for step in trade.open_take_profits():
        if step.price is None:
            continue
        watched = quote.get(step.price_method)
        price = limit_price(step)
        if step.on_book and price is not None:
            if limit_reached(step.side, price, quote):
                fill(step, price, now)
                filled = True
            continue
        if step.trailing_active:
            if trail(step, watched, follow_high=trade.long, now=now):
                filled = _execute(trade, step, quote, now) or filled
            continue
        reached = watched >= step.price if trade.long else watched <= step.price
        if not reached:
            continue
        if step.trailing_percent is not None:
            start_trailing(step, watched, now)
            trade.updated_at = now
        else:
            filled = _execute(trade, step, quote, now) or filled
    return filled


def _advance_stop_loss(trade: V1Trade, quote: Quote, now: datetime) -> None:
    sl = trade.open_stop_loss()
    if sl is None or sl.price is None:
        return
    price = limit_price(sl)
    if sl.on_book and price is not None:
        if limit_reached(sl.side, price, quote):
            sl.units = trade.remaining()
            fill(sl, price, now)
            close(trade, V1Status.STOP_LOSS_FINISHED, now, V1StepStatus.SKIPPED)
        return
    watched = quote.get(sl.price_method)
    if sl.trailing_percent is not None:
        # It ratchets towards profit, keeping its distance; it never moves back.
        if trade.long:
            candidate = sub(watched, pct_of(watched, sl.trailing_percent))
            better = candidate > sl.price
        else:
            candidate = add(watched, pct_of(watched, sl.trailing_percent))
            better = candidate < sl.price
        if better:
            sl.price, sl.trailing_extreme, sl.trailing_updated_at = candidate, watched, now
            sl.updated_at = now
    beyond = watched <= sl.price if trade.long else watched >= sl.price
    if not beyond:
        trade.sl_crossed_at = None
        return
    if trade.stop_loss.timeout_enabled:
        # The price must stay beyond the stop for the timeout before it sells.
        if trade.sl_crossed_at is None:
            trade.sl_crossed_at = now
        if (now - trade.sl_crossed_at).total_seconds() < trade.stop_loss.timeout_seconds:
            return
    sl.units = trade.remaining()
    if _execute(trade, sl, quote, now):
        close(trade, V1Status.STOP_LOSS_FINISHED, now, V1StepStatus.SKIPPED)


def _advance_targets(trade: V1Trade, quote: Quote, now: datetime) -> None:
    _advance_funds(trade, quote, now)
    if _advance_take_profits(trade, quote, now):
        after_exit(trade, now, V1Status.TAKE_PROFIT_FINISHED)
        if trade.terminal:
            return
    _advance_stop_loss(trade, quote, now)
    settle(trade, now)


def advance(trade: V1Trade, quote: Quote, now: datetime) -> None:
    """Move the SmartTrade as far as the current quote takes it (an entry that fills lets the
    targets react to the same quote)."""
    if allows(trade.status, V1Action.FILL_ENTRY):
        _advance_entry(trade, quote, now)
    if allows(trade.status, V1Action.FILL_TARGETS):
        _advance_targets(trade, quote, now)
