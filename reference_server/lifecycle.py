"""Compatibility shim: the SmartTrade lifecycle moved to `reference_server.threecommas`.

It re-exports exactly the names app.py, state.py, the old build.py and the tests imported from
here (the model, the statuses they compare with, the engine's `advance` and `place_targets`, the
commands, rendering). The core refactor imports from the package modules instead and removes it.
"""

from .threecommas.commands import (
    add_funds,
    cancel,
    cancel_order,
    close_by_market,
    close_order_by_market,
    force_process,
    force_start,
    reduce_funds,
    reduce_funds_info,
)
from .threecommas.engine import advance, place_targets
from .threecommas.machine import OrderAction as _OrderAction
from .threecommas.machine import order_available as _order_available
from .threecommas.model import Order, SmartTrade
from .threecommas.render import render, render_order
from .threecommas.statuses import OrderStatus as _OrderStatus
from .threecommas.statuses import TradeStatus as _TradeStatus

# SmartTrade statuses (FINISHED and CANCELLED compare equal to the order statuses of that name).
WAITING_POSITION = _TradeStatus.WAITING_POSITION
WAITING_TARGETS = _TradeStatus.WAITING_TARGETS
FINISHED = _TradeStatus.FINISHED
CANCELLED = _TradeStatus.CANCELLED
PANIC_SOLD = _TradeStatus.PANIC_SOLD
STOP_LOSS_FINISHED = _TradeStatus.STOP_LOSS_FINISHED
# Order statuses.
IDLE = _OrderStatus.IDLE
PLACED = _OrderStatus.ORDER_PLACED


def order_cancelable(trade: SmartTrade, order: Order) -> bool:
    """Whether `cancel_trade` may cancel `order` now (the machine's `cancel_order:<purpose>`)."""
    return _order_available(trade, order, _OrderAction.CANCEL)


__all__ = [
    "CANCELLED",
    "FINISHED",
    "IDLE",
    "PANIC_SOLD",
    "PLACED",
    "STOP_LOSS_FINISHED",
    "WAITING_POSITION",
    "WAITING_TARGETS",
    "Order",
    "SmartTrade",
    "add_funds",
    "advance",
    "cancel",
    "cancel_order",
    "close_by_market",
    "close_order_by_market",
    "force_process",
    "force_start",
    "order_cancelable",
    "place_targets",
    "reduce_funds",
    "reduce_funds_info",
    "render",
    "render_order",
]
