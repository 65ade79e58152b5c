"""A SmartTrade and its orders, and the amounts derived from them.

A long trade (`position.type == buy`) enters by buying and exits by selling; a short one mirrors
every comparison. Statuses change only through `machine.move` / `machine.move_order`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from ..decimals import ZERO, div, mul, sub, total
from .statuses import INITIAL, OPEN_ORDER, TERMINAL, OrderStatus, Purpose, TradeStatus
from .users import Account


class Filled(Protocol):
    @property
    def filled_units(self) -> Decimal: ...

    @property
    def filled_total(self) -> Decimal: ...


class FillAmounts:
    """What one order (v2) or step (ver1) has filled: its units and their total once it is filled."""

    units: Decimal
    fill_price: Decimal | None

    @property
    def filled(self) -> bool:
        raise NotImplementedError

    @property
    def filled_units(self) -> Decimal:
        return self.units if self.filled else ZERO

    @property
    def filled_total(self) -> Decimal:
        return mul(self.units, self.fill_price) if self.filled and self.fill_price else ZERO


class PositionTotals:
    """What a trade entered and closed, from its orders (v2) or steps (ver1): the one place these
    amounts and averages are computed. A trade lists what enters and what exits."""

    def entries(self) -> Sequence[Filled]:
        raise NotImplementedError

    def exits(self) -> Sequence[Filled]:
        raise NotImplementedError

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


@dataclass
class Order(FillAmounts):
    """One exchange order of a SmartTrade: a row of its `trades` sub-resource."""

    id: int
    purpose: Purpose
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
    status: OrderStatus = OrderStatus.IDLE
    fill_price: Decimal | None = None
    volume: Decimal | None = None  # take profit: share of the position, in percent
    position: int | None = None  # take profit: step number
    closed_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN_ORDER

    @property
    def filled(self) -> bool:
        return self.status == OrderStatus.FINISHED


@dataclass
class SmartTrade(PositionTotals):
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
    status: TradeStatus = INITIAL
    note: str = ""
    closed_at: datetime | None = None

    @property
    def long(self) -> bool:
        return self.side == "buy"

    @property
    def exit_side(self) -> str:
        return "sell" if self.long else "buy"

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    # ---- orders --------------------------------------------------------------------------------
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

    def open_steps(self) -> list[Order]:
        return [s for s in self.steps if s.open]

    def open_stop_loss(self) -> Order | None:
        return self.sl_order if self.sl_order is not None and self.sl_order.open else None

    # ---- derived amounts -----------------------------------------------------------------------

    def pending_reduce(self) -> Decimal:
        """Units held back for reduce-funds orders not filled yet."""
        return total(o.units for o in self.reduce_funds if o.open)

    def reducible(self) -> Decimal:
        """What reduce_funds may still take: the open position less pending reduce orders."""
        return max(sub(self.remaining(), self.pending_reduce()), ZERO)
