"""The SmartTrade model and its lifecycle: entry, take profit, stop loss, funds, closing.

Pure state transitions; `state.Store` holds the lock. A long trade (`position.type == buy`) enters
by buying and exits by selling; a short one mirrors every comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from .decimals import (
    HUNDRED,
    ZERO,
    add,
    div,
    fmt,
    fmt_opt,
    mul,
    neg,
    pct_of,
    round_places,
    share,
    sub,
    total,
)
from .errors import wrong_params
from .prices import Quote
from .users import Account

# Order (trade) statuses.
IDLE = "idle"
PLACED = "order_placed"
TRAILING = "trailing_activated"
TO_PROCESS = "to_process"
FINISHED = "finished"
CANCELLED = "cancelled"
OPEN_ORDER = (IDLE, PLACED, TRAILING, TO_PROCESS)

# SmartTrade statuses.
WAITING_POSITION = "waiting_position"
WAITING_TARGETS = "waiting_targets"
PANIC_SOLD = "panic_sold"
STOP_LOSS_FINISHED = "stop_loss_finished"
TERMINAL = (FINISHED, CANCELLED, PANIC_SOLD, STOP_LOSS_FINISHED, "failed")

TITLES = {
    IDLE: "Pending",
    PLACED: "Placed",
    TRAILING: "Trailing activated",
    TO_PROCESS: "Pending",
    FINISHED: "Finished",
    CANCELLED: "Cancelled",
    WAITING_POSITION: "Waiting position",
    WAITING_TARGETS: "Waiting targets",
    PANIC_SOLD: "Closed at market price",
    STOP_LOSS_FINISHED: "Stop loss finished",
}


def status_body(status: str) -> dict[str, Any]:
    return {"type": status, "basic_type": status, "title": TITLES.get(status, status)}


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Order:
    """One exchange order of a SmartTrade: a row of its `trades` sub-resource."""

    id: int
    purpose: str  # position, take_profit, stop_loss, add_funds, reduce_funds, market_close
    side: str  # buy / sell
    order_type: str  # market / limit
    units: Decimal
    created_at: datetime
    updated_at: datetime
    price: Decimal | None = None  # limit price, or the target price of a step
    price_kind: str = "last"  # bid / ask / last: which quote the trigger follows
    percent: Decimal | None = None  # target given as a percentage of the entry price
    trailing_percent: Decimal | None = None
    trailing_extreme: Decimal | None = None
    trailing_updated_at: datetime | None = None
    condition: str | None = None  # greater / less: how the price must cross `price`
    status: str = IDLE
    fill_price: Decimal | None = None
    volume: Decimal | None = None  # take profit: share of the position, in percent
    position: int | None = None  # take profit: step number
    closed_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN_ORDER

    @property
    def filled_units(self) -> Decimal:
        return self.units if self.status == FINISHED else ZERO

    @property
    def filled_total(self) -> Decimal:
        return (
            mul(self.units, self.fill_price)
            if self.status == FINISHED and self.fill_price
            else ZERO
        )


@dataclass
class SmartTrade:
    id: int
    owner: str
    account: Account
    pair: str
    side: str
    kind: str  # smart_trade, simple_buy, simple_sell, smart_sell, smart_cover
    instant: bool
    skip_enter_step: bool
    entry_type: str  # market / limit / conditional
    position: Order
    created_at: datetime
    updated_at: datetime
    leverage: dict[str, Any] = field(default_factory=lambda: {"enabled": False})
    conditional: dict[str, Any] | None = None  # price, price_kind, order_type, trailing_percent
    triggered: bool = False
    tp_enabled: bool = False
    tp_price_type: str = "value"
    steps: list[Order] = field(default_factory=list)
    sl: dict[str, Any] | None = None
    sl_order: Order | None = None
    sl_crossed_at: datetime | None = None
    add_funds: list[Order] = field(default_factory=list)
    reduce_funds: list[Order] = field(default_factory=list)
    market_close: Order | None = None
    status: str = WAITING_POSITION
    note: str = ""
    closed_at: datetime | None = None

    # ---- derived amounts -------------------------------------------------------------------
    @property
    def long(self) -> bool:
        return self.side == "buy"

    @property
    def exit_side(self) -> str:
        return "sell" if self.long else "buy"

    def entries(self) -> list[Order]:
        return [self.position, *self.add_funds]

    def exits(self) -> list[Order]:
        out = [*self.steps, *self.reduce_funds]
        if self.sl_order is not None:
            out.append(self.sl_order)
        if self.market_close is not None:
            out.append(self.market_close)
        return out

    def orders(self) -> list[Order]:
        return [*self.entries(), *self.exits()]

    def entered_amount(self) -> Decimal:
        return total(o.filled_units for o in self.entries())

    def entered_total(self) -> Decimal:
        return total(o.filled_total for o in self.entries())

    def closed_amount(self) -> Decimal:
        return total(o.filled_units for o in self.exits())

    def closed_total(self) -> Decimal:
        return total(o.filled_total for o in self.exits())

    def remaining(self) -> Decimal:
        return sub(self.entered_amount(), self.closed_amount())

    def average_enter(self) -> Decimal | None:
        amount = self.entered_amount()
        return div(self.entered_total(), amount) if amount else None

    def average_close(self) -> Decimal | None:
        amount = self.closed_amount()
        return div(self.closed_total(), amount) if amount else None

    def pending_reduce(self) -> Decimal:
        """Units held back for reduce-funds orders not filled yet."""
        return total(o.units for o in self.reduce_funds if o.open)

    def reducible(self) -> Decimal:
        """What reduce_funds may still take: the open position less pending reduce orders."""
        return max(sub(self.remaining(), self.pending_reduce()), ZERO)

    # ---- availability flags (as the docs describe `data.*_available`) ------------------------
    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    @property
    def editable(self) -> bool:
        return self.status in (WAITING_POSITION, WAITING_TARGETS)

    @property
    def panic_sell_available(self) -> bool:
        return self.status == WAITING_TARGETS

    @property
    def add_funds_available(self) -> bool:
        return self.status == WAITING_TARGETS and not self.instant

    @property
    def reduce_funds_available(self) -> bool:
        return self.status == WAITING_TARGETS and self.reducible() > 0

    @property
    def force_start_available(self) -> bool:
        return self.status == WAITING_POSITION

    @property
    def force_process_available(self) -> bool:
        return not self.terminal

    @property
    def cancel_available(self) -> bool:
        return self.status in (WAITING_POSITION, WAITING_TARGETS)


# ---- price movement ------------------------------------------------------------------------


def _crossed(price: Decimal, target: Decimal, condition: str) -> bool:
    return price >= target if condition == "greater" else price <= target


def _fill(order: Order, price: Decimal, now: datetime) -> None:
    order.status = FINISHED
    order.fill_price = price
    order.updated_at = now
    order.closed_at = now


def _entry_quote(trade: SmartTrade, quote: Quote) -> Decimal:
    # Buying pays the ask; selling gets the bid.
    return quote.ask if trade.long else quote.bid


def _exit_quote(trade: SmartTrade, quote: Quote) -> Decimal:
    return quote.bid if trade.long else quote.ask


def _limit_reached(side: str, limit: Decimal, quote: Quote) -> bool:
    return quote.ask <= limit if side == "buy" else quote.bid >= limit


def _finish_entry(trade: SmartTrade, now: datetime) -> None:
    """The position is filled: place targets, or finish a simple buy/sell."""
    if trade.instant:
        _close(trade, FINISHED, now)
        return
    trade.status = WAITING_TARGETS
    place_targets(trade, now)


def place_targets(trade: SmartTrade, now: datetime) -> None:
    """Prices from percentages against the entry; units from volumes of the open position."""
    average = trade.average_enter()
    if average is None:
        return
    direction = Decimal(1) if trade.long else Decimal(-1)
    for step in trade.steps:
        if step.open and step.percent is not None:
            step.price = mul(average, add(Decimal(1), mul(direction, div(step.percent, HUNDRED))))
        if step.status == IDLE:
            step.status = PLACED if step.order_type == "limit" else IDLE
    _rebalance_steps(trade)
    if trade.sl_order is not None and trade.sl_order.open:
        sl = trade.sl_order
        if sl.percent is not None:
            sl.price = mul(average, sub(Decimal(1), mul(direction, div(sl.percent, HUNDRED))))
        sl.units = trade.remaining()


def _rebalance_steps(trade: SmartTrade) -> None:
    """Open steps share what is left of the position by their volumes; the last takes the rest.

    Every unit not held back for a pending reduce-funds order goes to an open step, exactly (shares
    are rounded down, the last step takes the difference); with no open step left, the units stay
    in the position, for the stop loss or a close at market to sell."""
    open_steps = [s for s in trade.steps if s.open]
    left = trade.reducible()
    weights = total(s.volume or ZERO for s in open_steps)
    assigned = ZERO
    for index, step in enumerate(open_steps):
        if index == len(open_steps) - 1:
            step.units = sub(left, assigned)
        else:
            step.units = share(left, step.volume or ZERO, weights)
            assigned = add(assigned, step.units)
    if trade.sl_order is not None and trade.sl_order.open:
        trade.sl_order.units = max(trade.remaining(), ZERO)


def _close(trade: SmartTrade, status: str, now: datetime) -> None:
    for order in trade.orders():
        if order.open:
            order.status = CANCELLED
            order.updated_at = now
    trade.status = status
    trade.closed_at = now
    trade.updated_at = now


def _advance_entry(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    position = trade.position
    cond = trade.conditional
    if cond is not None and not trade.triggered:
        watched = quote.get(cond["price_kind"])
        if not _crossed(watched, cond["price"], cond["condition"]):
            return
        trade.triggered = True
        position.updated_at = now
        if cond.get("trailing_percent") is not None:
            position.status = TRAILING
            position.trailing_extreme = watched
            position.trailing_updated_at = now
        elif position.order_type == "limit":
            position.status = PLACED
        else:
            _fill(position, _entry_quote(trade, quote), now)
            _finish_entry(trade, now)
            return
    if position.status == TRAILING:
        # Trailing entry: follow the price away from us, enter when it turns back by the percent.
        watched = quote.get(cond["price_kind"]) if cond else quote.last
        extreme = position.trailing_extreme or watched
        percent = position.trailing_percent or ZERO
        if trade.long:
            extreme = min(extreme, watched)
            turned = watched >= add(extreme, pct_of(extreme, percent))
        else:
            extreme = max(extreme, watched)
            turned = watched <= sub(extreme, pct_of(extreme, percent))
        if extreme != position.trailing_extreme:
            position.trailing_extreme = extreme
            position.trailing_updated_at = now
        if turned:
            _fill(position, _entry_quote(trade, quote), now)
            _finish_entry(trade, now)
        return
    if position.order_type == "limit" and position.price is not None:
        if _limit_reached(position.side, position.price, quote):
            _fill(position, position.price, now)
            _finish_entry(trade, now)
    elif position.order_type == "market" and position.open:
        _fill(position, _entry_quote(trade, quote), now)
        _finish_entry(trade, now)


def _advance_targets(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    # Limit add-funds and reduce-funds orders.
    for order in trade.add_funds:
        if (
            order.open
            and order.price is not None
            and _limit_reached(order.side, order.price, quote)
        ):
            _fill(order, order.price, now)
            place_targets(trade, now)
    for order in trade.reduce_funds:
        if (
            order.open
            and order.price is not None
            and _limit_reached(order.side, order.price, quote)
        ):
            _fill(order, order.price, now)
            _after_exit(trade, now)
            if trade.terminal:
                return
    exit_price = _exit_quote(trade, quote)
    first_fill = False
    for step in trade.steps:
        if not step.open or step.price is None:
            continue
        watched = quote.get(step.price_kind)
        if step.status == TRAILING:
            extreme = step.trailing_extreme or watched
            percent = step.trailing_percent or ZERO
            if trade.long:
                extreme = max(extreme, watched)
                turned = watched <= sub(extreme, pct_of(extreme, percent))
            else:
                extreme = min(extreme, watched)
                turned = watched >= add(extreme, pct_of(extreme, percent))
            if extreme != step.trailing_extreme:
                step.trailing_extreme = extreme
                step.trailing_updated_at = now
            if turned:
                _fill(step, exit_price, now)
                first_fill = True
            continue
        reached = watched >= step.price if trade.long else watched <= step.price
        if not reached:
            continue
        if step.trailing_percent is not None:
            step.status = TRAILING
            step.trailing_extreme = watched
            step.trailing_updated_at = now
            step.updated_at = now
        else:
            _fill(step, step.price if step.order_type == "limit" else exit_price, now)
            first_fill = True
    if first_fill:
        _after_exit(trade, now)
        if trade.terminal:
            return
    _advance_stop_loss(trade, quote, now)


def _after_exit(trade: SmartTrade, now: datetime) -> None:
    trade.updated_at = now
    sl = trade.sl_order
    # Move to breakeven: after the first take profit the stop sits at the entry price.
    breakeven = trade.sl is not None and trade.sl.get("breakeven")
    if breakeven and sl is not None and sl.open and any(s.status == FINISHED for s in trade.steps):
        sl.price = trade.average_enter()
        sl.percent = None
    # Finished only once every unit is sold: cancelled steps and reduce-funds orders give their
    # units back (to the open steps, else to the position), and units held back for a pending
    # reduce-funds order are sold by that order.
    if trade.remaining() <= 0:
        _close(trade, FINISHED, now)
    else:
        _rebalance_steps(trade)


def _advance_stop_loss(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    sl = trade.sl_order
    if sl is None or not sl.open or sl.price is None or trade.sl is None:
        return
    watched = quote.get(sl.price_kind)
    if sl.trailing_percent is not None:
        # A trailing stop follows the price towards profit, keeping its distance in percent.
        if trade.long:
            candidate = sub(watched, pct_of(watched, sl.trailing_percent))
            if candidate > sl.price:
                sl.price, sl.trailing_extreme, sl.trailing_updated_at = candidate, watched, now
        else:
            candidate = add(watched, pct_of(watched, sl.trailing_percent))
            if candidate < sl.price:
                sl.price, sl.trailing_extreme, sl.trailing_updated_at = candidate, watched, now
    crossed = watched <= sl.price if trade.long else watched >= sl.price
    if not crossed:
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
    _fill(sl, limit if limit is not None else _exit_quote(trade, quote), now)
    _close(trade, STOP_LOSS_FINISHED, now)


def advance(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    """Move the trade as far as the current quote takes it."""
    if trade.terminal:
        return
    if trade.status == WAITING_POSITION:
        _advance_entry(trade, quote, now)
    if trade.status == WAITING_TARGETS:
        _advance_targets(trade, quote, now)


# ---- user operations -----------------------------------------------------------------------


def cancel(trade: SmartTrade, now: datetime) -> None:
    if not trade.cancel_available:
        raise wrong_params("Cancel is not allowed in the current status")
    _close(trade, CANCELLED, now)


def close_by_market(trade: SmartTrade, quote: Quote, new_id: int, now: datetime) -> None:
    if not trade.panic_sell_available:
        raise wrong_params("Close by market is not allowed in the current status")
    units = trade.remaining()
    order = Order(new_id, "market_close", trade.exit_side, "market", units, now, now)
    for other in trade.orders():
        if other.open:
            other.status = CANCELLED
            other.updated_at = now
    trade.market_close = order
    if units > 0:
        _fill(order, _exit_quote(trade, quote), now)
    else:
        order.status = FINISHED
    _close(trade, PANIC_SOLD, now)


def force_start(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    if not trade.force_start_available:
        raise wrong_params("Force start is not allowed in the current status")
    trade.triggered = True
    trade.position.order_type = "market"
    _fill(trade.position, _entry_quote(trade, quote), now)
    _finish_entry(trade, now)
    trade.updated_at = now


def force_process(trade: SmartTrade, quote: Quote, now: datetime) -> None:
    if not trade.force_process_available:
        raise wrong_params("Force process is not allowed in the current status")
    advance(trade, quote, now)
    trade.updated_at = now


def add_funds(
    trade: SmartTrade,
    quote: Quote,
    order_type: str,
    units: Decimal,
    price: Decimal | None,
    new_id: int,
    now: datetime,
) -> None:
    if not trade.add_funds_available:
        raise wrong_params("Add funds is not allowed in the current status")
    order = Order(new_id, "add_funds", trade.side, order_type, units, now, now, price=price)
    trade.add_funds.append(order)
    if order_type == "market":
        _fill(order, _entry_quote(trade, quote), now)
    else:
        order.status = PLACED
    place_targets(trade, now)
    trade.updated_at = now
    advance(trade, quote, now)


def reduce_funds(
    trade: SmartTrade,
    quote: Quote,
    order_type: str,
    units: Decimal,
    price: Decimal | None,
    new_id: int,
    now: datetime,
) -> None:
    if not trade.reduce_funds_available:
        raise wrong_params("Reduce funds is not allowed in the current status")
    if units > trade.reducible():
        from .errors import record_invalid

        raise record_invalid(
            {"units[value]": [f"must be less than or equal to {fmt(trade.reducible())}"]}
        )
    order = Order(new_id, "reduce_funds", trade.exit_side, order_type, units, now, now, price=price)
    trade.reduce_funds.append(order)
    if order_type == "market":
        _fill(order, _exit_quote(trade, quote), now)
    else:
        order.status = PLACED
    trade.updated_at = now
    if trade.remaining() <= 0:
        _close(trade, FINISHED, now)
        return
    _rebalance_steps(trade)
    advance(trade, quote, now)


def reduce_funds_info(trade: SmartTrade) -> dict[str, Any]:
    if trade.status != WAITING_TARGETS:
        raise wrong_params("Reduce funds is not allowed in the current status")
    return {"max_reduce_funds_amount": fmt(trade.reducible())}


def close_order_by_market(trade: SmartTrade, order: Order, quote: Quote, now: datetime) -> None:
    """Panic close of one trade: fill it now at the market price."""
    if trade.terminal or not order.open or order.purpose in ("market_close",):
        raise wrong_params("Close by market is not allowed in the current status")
    if order.purpose == "position":
        force_start(trade, quote, now)
        return
    if order.purpose in ("take_profit", "stop_loss", "reduce_funds"):
        if trade.status != WAITING_TARGETS:
            raise wrong_params("Close by market is not allowed in the current status")
        if order.purpose == "stop_loss":
            order.units = trade.remaining()
        _fill(order, _exit_quote(trade, quote), now)
        if order.purpose == "stop_loss":
            _close(trade, STOP_LOSS_FINISHED, now)
        else:
            _after_exit(trade, now)
        return
    # add_funds
    _fill(order, _entry_quote(trade, quote), now)
    place_targets(trade, now)
    trade.updated_at = now


def cancel_order(trade: SmartTrade, order: Order, now: datetime) -> None:
    if trade.terminal or not order_cancelable(trade, order):
        raise wrong_params("Cancel is not allowed in the current status")
    if order.purpose == "position":
        _close(trade, CANCELLED, now)
        return
    order.status = CANCELLED
    order.updated_at = now
    trade.updated_at = now
    if order.purpose in ("take_profit", "reduce_funds"):
        # Its units go back to the open steps, or to the position when none is left.
        _after_exit(trade, now)


def order_cancelable(trade: SmartTrade, order: Order) -> bool:
    if trade.terminal or not order.open:
        return False
    if order.purpose == "position":
        return trade.status == WAITING_POSITION
    return order.purpose in ("take_profit", "add_funds", "reduce_funds")


# ---- rendering -----------------------------------------------------------------------------


def _money(value: Decimal | None) -> dict[str, Any]:
    return {"value": fmt_opt(value)}


def render_step(trade: SmartTrade, step: Order) -> dict[str, Any]:
    return {
        "id": step.id,
        "order_type": step.order_type,
        "editable": step.open and trade.editable,
        "units": {"value": fmt(step.units)},
        "price": {
            "type": step.price_kind,
            "value": fmt_opt(step.price),
            "percent": fmt_opt(step.percent),
        },
        "volume": fmt(step.volume or ZERO),
        "total": fmt(mul(step.units, step.fill_price or step.price or ZERO)),
        "trailing": {
            "enabled": step.trailing_percent is not None,
            "percent": fmt_opt(step.trailing_percent),
        },
        "status": status_body(step.status),
        "data": {
            "cancelable": order_cancelable(trade, step),
            "panic_sell_available": step.open and trade.status == WAITING_TARGETS,
        },
        "position": step.position,
        "closed_at": iso(step.closed_at) if step.closed_at else None,
    }


def _render_funds_step(trade: SmartTrade, order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "type": order.order_type,
        "status": status_body(order.status),
        "units": {"value": fmt(order.units)},
        "price": {
            "value": fmt_opt(order.fill_price or order.price),
            "value_without_commission": fmt_opt(order.fill_price or order.price),
        },
        "total": {"value": fmt(mul(order.units, order.fill_price or order.price or ZERO))},
        "data": {
            "cancelable": order_cancelable(trade, order),
            "panic_sell_available": order.open and trade.status == WAITING_TARGETS,
        },
    }


def _render_stop_loss(trade: SmartTrade) -> dict[str, Any]:
    if trade.sl is None:
        return {"enabled": False}
    sl = trade.sl_order
    if sl is None:
        return {"enabled": False}
    return {
        "enabled": True,
        "price_type": "percent" if sl.percent is not None else "value",
        "breakeven": bool(trade.sl.get("breakeven")),
        "order_type": sl.order_type,
        "editable": trade.editable,
        "status": status_body(sl.status),
        "units": {"value": fmt(sl.units)},
        "total": {"value": fmt(mul(sl.units, sl.fill_price or sl.price or ZERO))},
        "price": {"value": fmt_opt(trade.sl.get("limit_price"))},
        "conditional": {
            "price": {
                "value": fmt_opt(sl.price),
                "type": sl.price_kind,
                "percent": fmt_opt(sl.percent),
            },
            "trailing": {
                "enabled": sl.trailing_percent is not None,
                "percent": fmt_opt(sl.trailing_percent),
            },
        },
        "timeout": {
            "enabled": trade.sl.get("timeout") is not None,
            "value": trade.sl.get("timeout"),
        },
    }


def _render_position(trade: SmartTrade) -> dict[str, Any]:
    pos = trade.position
    editable = trade.status == WAITING_POSITION
    price = pos.fill_price if pos.fill_price is not None else pos.price
    out: dict[str, Any] = {
        "type": trade.side,
        "editable": editable,
        "units": {"value": fmt(pos.units), "editable": editable},
        "price": {
            "value": fmt_opt(price),
            "value_without_commission": fmt_opt(price),
            "editable": editable,
        },
        "total": {"value": fmt_opt(mul(pos.units, price) if price is not None else None)},
        "order_type": trade.entry_type,
        "status": status_body(pos.status),
    }
    cond = trade.conditional
    if cond is not None:
        out["conditional"] = {
            "editable": editable and not trade.triggered,
            "price": {"value": fmt(cond["price"]), "type": cond["price_kind"]},
            "order_type": cond["order_type"],
            "trailing": {
                "enabled": cond.get("trailing_percent") is not None,
                "percent": fmt_opt(cond.get("trailing_percent")),
                "editable": editable and not trade.triggered,
            },
        }
    return out


def render(trade: SmartTrade, quote: Quote) -> dict[str, Any]:
    average_enter = trade.average_enter()
    average_close = trade.average_close()
    entered_total = trade.entered_total()
    # Realised plus unrealised (open units at the exit quote), in quote currency.
    profit: Decimal | None = None
    percent = ZERO
    if average_enter is not None:
        exit_price = quote.bid if trade.long else quote.ask
        open_value = mul(trade.remaining(), sub(exit_price, average_enter))
        closed_value = sub(trade.closed_total(), mul(trade.closed_amount(), average_enter))
        profit = add(open_value, closed_value)
        if not trade.long:
            profit = neg(profit)
        percent = div(mul(profit, HUNDRED), entered_total) if entered_total else ZERO
    leverage = dict(trade.leverage)
    if "value" in leverage and leverage["value"] is not None:
        leverage["value"] = fmt(leverage["value"])
    return {
        "id": trade.id,
        "version": 2,
        "account": trade.account.render(),
        "pair": trade.pair,
        "instant": trade.instant,
        "status": status_body(trade.status),
        "leverage": leverage,
        "position": _render_position(trade),
        "take_profit": {
            "enabled": trade.tp_enabled,
            "price_type": trade.tp_price_type,
            "steps": [render_step(trade, s) for s in trade.steps],
        },
        "stop_loss": _render_stop_loss(trade),
        "reduce_funds": {"steps": [_render_funds_step(trade, o) for o in trade.reduce_funds]},
        "market_close": _render_funds_step(trade, trade.market_close) if trade.market_close else {},
        "note": trade.note,
        "note_raw": trade.note or None,
        "skip_enter_step": trade.skip_enter_step,
        "data": {
            "editable": trade.editable,
            "current_price": {
                "bid": fmt(quote.bid),
                "ask": fmt(quote.ask),
                "last": fmt(quote.last),
                "quote_volume": "0.0",
                "day_change_percent": "0.0",
            },
            "target_price_type": "price",
            "orderbook_price_currency": trade.pair.split("_", 1)[0],
            "base_order_finished": trade.position.status == FINISHED,
            "missing_funds_to_close": "0.0",
            "liquidation_price": None,
            "average_enter_price": fmt_opt(average_enter),
            "average_close_price": fmt_opt(average_close),
            "average_enter_price_without_commission": fmt_opt(average_enter),
            "average_close_price_without_commission": fmt_opt(average_close),
            "panic_sell_available": trade.panic_sell_available,
            "add_funds_available": trade.add_funds_available,
            "reduce_funds_available": trade.reduce_funds_available,
            "force_start_available": trade.force_start_available,
            "force_process_available": trade.force_process_available,
            "cancel_available": trade.cancel_available,
            "finished": trade.terminal,
            "base_position_step_finished": trade.position.status == FINISHED,
            "entered_amount": fmt(trade.entered_amount()),
            "entered_total": fmt(entered_total),
            "closed_amount": fmt(trade.closed_amount()),
            "closed_total": fmt(trade.closed_total()),
            "commission": "0.0",
            "created_at": iso(trade.created_at),
            "updated_at": iso(trade.updated_at),
            "closed_at": iso(trade.closed_at) if trade.closed_at else None,
            "type": trade.kind,
        },
        "profit": {
            "volume": fmt_opt(profit),
            "usd": fmt_opt(profit),
            "percent": fmt(round_places(percent, 2)),
            "roe": None,
        },
        "margin": {"amount": None, "total": None},
        "is_position_not_filled": trade.position.status != FINISHED,
    }


def render_order(trade: SmartTrade, order: Order) -> dict[str, Any]:
    """A row of `GET /v2/smart_trades/{id}/trades`."""
    filled = order.status == FINISHED
    total_basis = order.fill_price or order.price
    return {
        "id": order.id,
        "average_price": fmt_opt(order.fill_price),
        "follow_price_type": order.price_kind,
        "initial_amount": fmt(order.units),
        "initial_total": fmt_opt(mul(order.units, total_basis) if total_basis else None),
        "initial_price": fmt_opt(order.price),
        "order_price": fmt_opt(order.price if order.order_type == "limit" else order.fill_price),
        "order_side": order.side,
        "order_type": order.order_type,
        "pair": trade.pair,
        "position_percentage": fmt_opt(order.volume),
        "realised_amount": fmt(order.units if filled else ZERO),
        "realised_total": fmt(order.filled_total),
        "realised_percentage": "100.0" if filled else "0.0",
        "realised_price": fmt_opt(order.fill_price),
        "status": order.status,
        "take_profit_percentage": fmt_opt(order.percent)
        if order.purpose == "take_profit"
        else None,
        "trade_purpose": order.purpose,
        "trail_percentage": fmt_opt(order.trailing_percent),
        "trail_value": None,
        "trailing_enabled": order.trailing_percent is not None,
        "trailing_last_price": fmt_opt(order.trailing_extreme),
        "trailing_last_price_updated_at": (
            iso(order.trailing_updated_at) if order.trailing_updated_at else None
        ),
        "trigger_condition": order.condition,
        "trigger_price": fmt_opt(order.price)
        if order.purpose in ("take_profit", "stop_loss")
        else None,
        "trigger_price_percentage": fmt_opt(order.percent),
        "trigger_type": "none" if order.condition is None else "price",
        "created_at": iso(order.created_at),
        "updated_at": iso(order.updated_at),
        "cancelable": order_cancelable(trade, order),
        "force_processable": order.open and not trade.terminal,
    }
