"""A ver1 SmartTrade and its steps, and the amounts derived from them.

A SmartTrade, SmartSale, SimpleBuy enters by buying and exits by selling; a SmartCover or
SimpleSell (`V1Kind` in `SHORT`) mirrors every side and comparison. Statuses change only through
`v1_machine.move` / `v1_machine.move_step`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from . import v1_machine
from .model import FillAmounts, PositionTotals
from .users import Account
from .v1_statuses import (
    OPEN_STEP,
    SHORT,
    TERMINAL,
    V1Kind,
    V1Purpose,
    V1Status,
    V1StepStatus,
)

_FILLED = frozenset({V1StepStatus.PROCESSED, V1StepStatus.PANIC_SOLD})


@dataclass
class V1Step(FillAmounts):
    """One step of a ver1 SmartTrade: an order it places (entry, add funds, take profit, stop loss,
    panic sell), with its trigger."""

    id: int
    smart_trade_id: int
    purpose: V1Purpose
    side: str  # buy / sell
    sell_method: str  # market / limit: the order placed once triggered
    units: Decimal
    created_at: datetime
    updated_at: datetime
    order_ref: int  # the exchange order's id, shown once the order is placed
    price: Decimal | None = None  # trigger price (take profit, stop loss, conditional entry)
    price_method: str = "bid"  # bid / ask / last: which quote the trigger watches
    price_percentage: Decimal | None = None  # trigger as a percentage from the buy price
    percent: Decimal | None = None  # take profit step: its share of the position, in percent
    position: int | None = None  # take profit step: its position
    sell_order_price: Decimal | None = None  # limit order price
    trailing_percent: Decimal | None = None  # `deviation_condition`
    trailing_extreme: Decimal | None = None  # `trailing_last_price`
    trailing_updated_at: datetime | None = None
    trailing_active: bool = False
    placed_at: datetime | None = None  # when its order went to the exchange
    status: V1StepStatus = V1StepStatus.IDLE
    fill_price: Decimal | None = None
    is_panic_sell: bool = False
    closed_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN_STEP

    @property
    def filled(self) -> bool:
        return self.status in _FILLED

    @property
    def on_book(self) -> bool:
        """Its limit order is placed and waiting to fill."""
        return self.open and self.placed_at is not None and self.sell_method == "limit"


@dataclass
class TakeProfitV1:
    enabled: bool = False
    type: str | None = None  # classic / step_sell
    price_condition: Decimal | None = None
    percentage_condition: Decimal | None = None
    price_method: str = "bid"
    sell_method: str = "market"
    sell_order_price: Decimal | None = None
    trailing: bool = False
    trailing_step: Decimal | None = None


@dataclass
class StopLossV1:
    enabled: bool = False
    price_condition: Decimal | None = None
    percentage_condition: Decimal | None = None
    price_method: str = "bid"
    sell_method: str = "market"
    sell_order_price: Decimal | None = None
    trailing: bool = False
    timeout_enabled: bool = False
    timeout_seconds: int = 300


@dataclass
class V1Trade(PositionTotals):
    id: int
    owner: str
    account: Account
    pair: str
    kind: V1Kind
    buy_method: str | None  # limit / market / conditional; None for a SmartSale
    units_to_buy: Decimal
    buy_price: Decimal | None
    created_at: datetime
    updated_at: datetime
    status: V1Status
    buy_steps: list[V1Step] = field(default_factory=list)  # the entry first, then add funds
    take_profit_steps: list[V1Step] = field(default_factory=list)
    stop_loss_steps: list[V1Step] = field(default_factory=list)
    panic_steps: list[V1Step] = field(default_factory=list)
    conditional_limit_price: Decimal | None = None
    condition: str | None = None  # greater / less: how the price must cross `buy_price`
    triggered: bool = False
    trailing_buy_enabled: bool = False
    trailing_buy_step: Decimal | None = None
    take_profit: TakeProfitV1 = field(default_factory=TakeProfitV1)
    stop_loss: StopLossV1 = field(default_factory=StopLossV1)
    sl_crossed_at: datetime | None = None
    panic_sell_market_order_id: int | None = None
    note: str | None = None
    error_message: str | None = None
    closed_at: datetime | None = None

    @property
    def long(self) -> bool:
        return self.kind not in SHORT

    @property
    def entry_side(self) -> str:
        return "buy" if self.long else "sell"

    @property
    def exit_side(self) -> str:
        return "sell" if self.long else "buy"

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    @property
    def entry(self) -> V1Step:
        return self.buy_steps[0]

    @property
    def editable(self) -> bool:
        return v1_machine.available(self, v1_machine.V1Action.UPDATE)

    # ---- steps ---------------------------------------------------------------------------------
    def entries(self) -> list[V1Step]:
        return self.buy_steps

    def exits(self) -> list[V1Step]:
        return [*self.take_profit_steps, *self.stop_loss_steps, *self.panic_steps]

    def steps(self) -> list[V1Step]:
        return [*self.buy_steps, *self.exits()]

    def step(self, step_id: int) -> V1Step | None:
        return next((s for s in self.steps() if s.id == step_id), None)

    def open_take_profits(self) -> list[V1Step]:
        return [s for s in self.take_profit_steps if s.open]

    def open_stop_loss(self) -> V1Step | None:
        return next((s for s in self.stop_loss_steps if s.open), None)

    # The entered and closed amounts and averages come from PositionTotals (model.py).
