"""The statuses of a SmartTrade and of its orders, and the purposes of its orders.

The only place a status is spelt out: everything else names the enum members. Values are the
strings the API answers with (`Status.type`, `Trade.status` in openapi/3commas.yaml), and only those
the reference server uses: the spec knows more (`panic_sell_pending`, ...) that it never reaches.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class TradeStatus(StrEnum):
    """The status of a SmartTrade."""

    WAITING_POSITION = "waiting_position"
    WAITING_TARGETS = "waiting_targets"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    PANIC_SOLD = "panic_sold"
    STOP_LOSS_FINISHED = "stop_loss_finished"
    FAILED = "failed"  # known to the API and its list filter; never reached here


class OrderStatus(StrEnum):
    """The status of one order of a SmartTrade (a step, a row of its trades)."""

    IDLE = "idle"
    TO_PROCESS = "to_process"  # known to the API; never set here, counted as open
    ORDER_PLACED = "order_placed"
    TRAILING_ACTIVATED = "trailing_activated"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class Purpose(StrEnum):
    """What an order is for (`Trade.trade_purpose`)."""

    POSITION = "position"
    TAKE_PROFIT = "take_profit"
    STOP_LOSS = "stop_loss"
    ADD_FUNDS = "add_funds"
    REDUCE_FUNDS = "reduce_funds"
    MARKET_CLOSE = "market_close"


INITIAL = TradeStatus.WAITING_POSITION
TERMINAL: frozenset[TradeStatus] = frozenset(
    {
        TradeStatus.FINISHED,
        TradeStatus.CANCELLED,
        TradeStatus.PANIC_SOLD,
        TradeStatus.STOP_LOSS_FINISHED,
        TradeStatus.FAILED,
    }
)
OPEN_ORDER: frozenset[OrderStatus] = frozenset(
    {
        OrderStatus.IDLE,
        OrderStatus.TO_PROCESS,
        OrderStatus.ORDER_PLACED,
        OrderStatus.TRAILING_ACTIVATED,
    }
)

_TITLES: dict[str, str] = {
    OrderStatus.IDLE: "Pending",
    OrderStatus.TO_PROCESS: "Pending",
    OrderStatus.ORDER_PLACED: "Placed",
    OrderStatus.TRAILING_ACTIVATED: "Trailing activated",
    OrderStatus.FINISHED: "Finished",
    OrderStatus.CANCELLED: "Cancelled",
    TradeStatus.WAITING_POSITION: "Waiting position",
    TradeStatus.WAITING_TARGETS: "Waiting targets",
    TradeStatus.PANIC_SOLD: "Closed at market price",
    TradeStatus.STOP_LOSS_FINISHED: "Stop loss finished",
}


def title(status: TradeStatus | OrderStatus) -> str:
    """The human title; a status without one (`failed`) shows its value."""
    return _TITLES.get(status, status.value)


def status_body(status: TradeStatus | OrderStatus) -> dict[str, Any]:
    """A `Status` object: `type` and `basic_type` are the same value here."""
    return {"type": status.value, "basic_type": status.value, "title": title(status)}


# What each value of the list's `status` filter (SmartTradeStatusFilter in openapi/3commas.yaml)
# matches; None matches every SmartTrade. Both spellings of "successfully finished" are served.
LIST_FILTERS: dict[str, frozenset[TradeStatus] | None] = {
    "all": None,
    "active": frozenset(TradeStatus) - TERMINAL,
    "finished": TERMINAL,
    "successfully_finished": frozenset({TradeStatus.FINISHED}),
    "successfully_finish": frozenset({TradeStatus.FINISHED}),
    "cancelled": frozenset({TradeStatus.CANCELLED}),
    "failed": frozenset({TradeStatus.FAILED}),
}
