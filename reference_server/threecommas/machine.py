"""The SmartTrade state machine: one table of what each status allows, one way to change status.

`ALLOWED` says, for every SmartTrade status, which actions it allows: the user's (cancel, update,
funds, close, force, note, and the order-level cancel and close, per order purpose) and the price
engine's (fill the entry, fill the targets). The guards commands run (`require`,
`require_order`) and the `data.*_available` / `cancelable` / `panic_sell_available` flags rendering
shows (`available`, `order_available`) both read it, so a flag can never promise what a guard
refuses. A failed guard is 400 `Wrong param(s)` "<Action> is not allowed in the current status".

`TRANSITIONS` lists the status changes a SmartTrade may go through and `ORDER_TRANSITIONS` those of
an order; `move` and `move_order` are the only writers of a status, and refuse any other change
(a bug in the server, not a user error: it surfaces as a 500).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from .errors import ApiError, wrong_params
from .statuses import TERMINAL, OrderStatus, Purpose, TradeStatus

if TYPE_CHECKING:
    from .model import Order, SmartTrade


class Action(StrEnum):
    # The user's actions on a SmartTrade.
    CANCEL = "cancel"
    UPDATE = "update"  # PATCH; also what makes steps and the stop loss `editable`
    EDIT_POSITION = "edit_position"  # the update may change the entry (units, price, leverage)
    ADD_FUNDS = "add_funds"
    REDUCE_FUNDS = "reduce_funds"
    REDUCE_FUNDS_INFO = "reduce_funds_info"
    CLOSE_BY_MARKET = "close_by_market"  # panic sell
    FORCE_START = "force_start"
    FORCE_PROCESS = "force_process"
    SET_NOTE = "set_note"
    # The user's actions on one order (`cancel_trade`, `close_trade_by_market`), per purpose.
    CANCEL_POSITION_ORDER = "cancel_order:position"
    CANCEL_TAKE_PROFIT_ORDER = "cancel_order:take_profit"
    CANCEL_STOP_LOSS_ORDER = "cancel_order:stop_loss"
    CANCEL_ADD_FUNDS_ORDER = "cancel_order:add_funds"
    CANCEL_REDUCE_FUNDS_ORDER = "cancel_order:reduce_funds"
    CANCEL_MARKET_CLOSE_ORDER = "cancel_order:market_close"
    CLOSE_POSITION_ORDER = "close_order:position"
    CLOSE_TAKE_PROFIT_ORDER = "close_order:take_profit"
    CLOSE_STOP_LOSS_ORDER = "close_order:stop_loss"
    CLOSE_ADD_FUNDS_ORDER = "close_order:add_funds"
    CLOSE_REDUCE_FUNDS_ORDER = "close_order:reduce_funds"
    CLOSE_MARKET_CLOSE_ORDER = "close_order:market_close"
    # What a price move may do.
    FILL_ENTRY = "fill_entry"  # the entry (conditional, trailing, limit, market) may fill
    FILL_TARGETS = "fill_targets"  # take profits, stop loss, funds orders are live


class OrderAction(StrEnum):
    CANCEL = "cancel_order"
    CLOSE = "close_order"


_ORDER_ACTIONS: dict[tuple[OrderAction, Purpose], Action] = {
    (kind, purpose): Action(f"{kind.value}:{purpose.value}")
    for kind in OrderAction
    for purpose in Purpose
}

_WP, _WT = TradeStatus.WAITING_POSITION, TradeStatus.WAITING_TARGETS

# THE table. Terminal statuses allow a note and nothing else.
ALLOWED: dict[TradeStatus, frozenset[Action]] = {
    _WP: frozenset(
        {
            Action.CANCEL,
            Action.UPDATE,
            Action.EDIT_POSITION,
            Action.FORCE_START,
            Action.FORCE_PROCESS,
            Action.SET_NOTE,
            Action.CANCEL_POSITION_ORDER,
            Action.CANCEL_TAKE_PROFIT_ORDER,
            Action.CANCEL_ADD_FUNDS_ORDER,
            Action.CANCEL_REDUCE_FUNDS_ORDER,
            Action.CLOSE_POSITION_ORDER,  # closing the entry order at market is a force start
            Action.CLOSE_ADD_FUNDS_ORDER,
            Action.FILL_ENTRY,
        }
    ),
    _WT: frozenset(
        {
            Action.CANCEL,
            Action.UPDATE,
            Action.ADD_FUNDS,
            Action.REDUCE_FUNDS,
            Action.REDUCE_FUNDS_INFO,
            Action.CLOSE_BY_MARKET,
            Action.FORCE_PROCESS,
            Action.SET_NOTE,
            Action.CANCEL_TAKE_PROFIT_ORDER,
            Action.CANCEL_ADD_FUNDS_ORDER,
            Action.CANCEL_REDUCE_FUNDS_ORDER,
            Action.CLOSE_TAKE_PROFIT_ORDER,
            Action.CLOSE_STOP_LOSS_ORDER,
            Action.CLOSE_ADD_FUNDS_ORDER,
            Action.CLOSE_REDUCE_FUNDS_ORDER,
            Action.FILL_TARGETS,
        }
    ),
    **{status: frozenset({Action.SET_NOTE}) for status in sorted(TERMINAL)},
}

# Where a SmartTrade may go from each status. Waiting position -> finished is a simple buy/sell
# filling (or, preserved as found, the last take profit step cancelled before the entry filled).
TRANSITIONS: dict[TradeStatus, frozenset[TradeStatus]] = {
    _WP: frozenset({_WT, TradeStatus.FINISHED, TradeStatus.CANCELLED}),
    _WT: frozenset(
        {
            TradeStatus.FINISHED,
            TradeStatus.CANCELLED,
            TradeStatus.PANIC_SOLD,
            TradeStatus.STOP_LOSS_FINISHED,
        }
    ),
    **{status: frozenset() for status in sorted(TERMINAL)},
}

_ENDED = frozenset({OrderStatus.FINISHED, OrderStatus.CANCELLED})
ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.IDLE: frozenset(
        {OrderStatus.ORDER_PLACED, OrderStatus.TRAILING_ACTIVATED, *_ENDED}
    ),
    OrderStatus.TO_PROCESS: frozenset(
        {OrderStatus.ORDER_PLACED, OrderStatus.TRAILING_ACTIVATED, *_ENDED}
    ),
    OrderStatus.ORDER_PLACED: frozenset({OrderStatus.TRAILING_ACTIVATED, *_ENDED}),
    OrderStatus.TRAILING_ACTIVATED: _ENDED,
    OrderStatus.FINISHED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

# Beyond the status: add funds is not for simple buys and sells, reduce funds needs something to
# reduce.
_CONDITIONS: dict[Action, Callable[[SmartTrade], bool]] = {
    Action.ADD_FUNDS: lambda trade: not trade.instant,
    Action.REDUCE_FUNDS: lambda trade: trade.reducible() > 0,
}

_LABELS: dict[Action, str] = {
    Action.CANCEL: "Cancel",
    Action.UPDATE: "Update",
    Action.EDIT_POSITION: "Update",
    Action.ADD_FUNDS: "Add funds",
    Action.REDUCE_FUNDS: "Reduce funds",
    Action.REDUCE_FUNDS_INFO: "Reduce funds",
    Action.CLOSE_BY_MARKET: "Close by market",
    Action.FORCE_START: "Force start",
    Action.FORCE_PROCESS: "Force process",
    Action.SET_NOTE: "Set note",
    Action.FILL_ENTRY: "Entry",
    Action.FILL_TARGETS: "Targets",
    **{_ORDER_ACTIONS[OrderAction.CANCEL, purpose]: "Cancel" for purpose in Purpose},
    **{_ORDER_ACTIONS[OrderAction.CLOSE, purpose]: "Close by market" for purpose in Purpose},
}


class IllegalTransition(RuntimeError):
    """A status change the machine does not have: a server bug, never the user's doing."""


# ---- reading the table -----------------------------------------------------------------------


def allows(status: TradeStatus, action: Action) -> bool:
    return action in ALLOWED[status]


def order_action(kind: OrderAction, purpose: Purpose) -> Action:
    return _ORDER_ACTIONS[kind, purpose]


def available(trade: SmartTrade, action: Action) -> bool:
    """Whether `action` is allowed on `trade` now: its status allows it, and any condition holds."""
    condition = _CONDITIONS.get(action)
    return allows(trade.status, action) and (condition is None or condition(trade))


def order_available(trade: SmartTrade, order: Order, kind: OrderAction) -> bool:
    """Whether `order` can be cancelled / closed at market now: it is open and the status allows
    that action for its purpose."""
    return order.open and available(trade, order_action(kind, order.purpose))


def refusal(action: Action) -> ApiError:
    return wrong_params(f"{_LABELS[action]} is not allowed in the current status")


def require(trade: SmartTrade, action: Action) -> None:
    if not available(trade, action):
        raise refusal(action)


def require_order(trade: SmartTrade, order: Order, kind: OrderAction) -> None:
    if not order_available(trade, order, kind):
        raise refusal(order_action(kind, order.purpose))


# ---- the only writers of a status ------------------------------------------------------------


def move(trade: SmartTrade, status: TradeStatus, now: datetime) -> None:
    """Change the SmartTrade's status (checked against `TRANSITIONS`), stamping `updated_at`, and
    `closed_at` when it ends."""
    if status not in TRANSITIONS[trade.status]:
        raise IllegalTransition(f"SmartTrade {trade.id}: {trade.status} -> {status}")
    trade.status = status
    trade.updated_at = now
    if status in TERMINAL:
        trade.closed_at = now


def move_order(order: Order, status: OrderStatus, now: datetime | None = None) -> None:
    """Change an order's status (checked against `ORDER_TRANSITIONS`); with `now`, stamp its
    `updated_at` (placing a step when the entry fills has never stamped it)."""
    if status not in ORDER_TRANSITIONS[order.status]:
        raise IllegalTransition(f"order {order.id}: {order.status} -> {status}")
    order.status = status
    if now is not None:
        order.updated_at = now
