"""The ver1 SmartTrade state machine: one table of what each status allows, one way to change it.

`ALLOWED` says, for every ver1 status, which actions it allows: the user's (cancel, update, panic
sell, step panic sell, cancel an order, add funds, force process) and the price engine's (fill the
entry, fill the targets). The guards the commands run (`require`) and the `editable`,
`cancellable` and `panic_sellable` flags rendering shows (`available`) both read it. A refusal is
400 `Wrong param(s)` "<Action> is not allowed in the current status".

`TRANSITIONS` lists the status changes a ver1 SmartTrade may go through and `STEP_TRANSITIONS`
those of a step; `move` and `move_step` are the only writers of a status and refuse any other
change (a server bug, surfacing as a 500).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from .errors import ApiError, wrong_params
from .v1_statuses import SIMPLE, TERMINAL, V1Status, V1StepStatus

if TYPE_CHECKING:
    from .v1_model import V1Step, V1Trade


class V1Action(StrEnum):
    CANCEL = "cancel"
    UPDATE = "update"
    PANIC_SELL = "panic_sell"
    STEP_PANIC_SELL = "step_panic_sell"
    CANCEL_ORDER = "cancel_order"
    ADD_FUNDS = "add_funds"
    FORCE_PROCESS = "force_process"
    # What a price move may do.
    FILL_ENTRY = "fill_entry"
    FILL_TARGETS = "fill_targets"


_A = V1Action
_S = V1Status
_WAITING_ACTIONS = frozenset(
    {_A.CANCEL, _A.UPDATE, _A.CANCEL_ORDER, _A.FORCE_PROCESS, _A.FILL_ENTRY}
)
_IN_FLIGHT = frozenset(
    {_A.CANCEL, _A.PANIC_SELL, _A.CANCEL_ORDER, _A.FORCE_PROCESS, _A.FILL_TARGETS}
)

# THE table. Ended statuses allow nothing.
ALLOWED: dict[V1Status, frozenset[V1Action]] = {
    _S.CONDITIONAL_ORDER_WAITING_PRICE: _WAITING_ACTIONS,
    _S.TRAILING_BUY_ACTIVATED: _WAITING_ACTIONS,
    _S.BUY_ORDER_PLACED: _WAITING_ACTIONS,
    _S.BOUGHT: frozenset(
        {
            _A.CANCEL,
            _A.UPDATE,
            _A.PANIC_SELL,
            _A.STEP_PANIC_SELL,
            _A.CANCEL_ORDER,
            _A.ADD_FUNDS,
            _A.FORCE_PROCESS,
            _A.FILL_TARGETS,
        }
    ),
    _S.TRAILING_TAKE_PROFIT_ACTIVATED: _IN_FLIGHT | {_A.STEP_PANIC_SELL},
    _S.TAKE_PROFIT_ORDER_PLACED: _IN_FLIGHT | {_A.STEP_PANIC_SELL},
    _S.STOP_LOSS_ORDER_PLACED: _IN_FLIGHT,
    _S.PANIC_SELL_ORDER_PLACED: frozenset({_A.FORCE_PROCESS, _A.FILL_TARGETS}),
    **{status: frozenset() for status in sorted(TERMINAL)},
}

_HOLD_TO = frozenset(
    {
        _S.BOUGHT,
        _S.TRAILING_TAKE_PROFIT_ACTIVATED,
        _S.TAKE_PROFIT_ORDER_PLACED,
        _S.STOP_LOSS_ORDER_PLACED,
        _S.TAKE_PROFIT_FINISHED,
        _S.STOP_LOSS_FINISHED,
        _S.PANIC_SELL_FINISHED,
        _S.CANCELLED,
    }
)
_ENTERED = frozenset({_S.BOUGHT, _S.SIMPLE_TRADE_FINISHED, _S.CANCELLED})
# Where a ver1 SmartTrade may go from each status. A filled entry of a SimpleBuy/SimpleSell ends it
# (`simple_trade_finished`); of any other kind it holds the position (`bought`), and the take
# profit, stop loss and panic sell take it from there, step by step.
TRANSITIONS: dict[V1Status, frozenset[V1Status]] = {
    _S.CONDITIONAL_ORDER_WAITING_PRICE: _ENTERED | {_S.TRAILING_BUY_ACTIVATED, _S.BUY_ORDER_PLACED},
    _S.TRAILING_BUY_ACTIVATED: _ENTERED | {_S.BUY_ORDER_PLACED},
    _S.BUY_ORDER_PLACED: _ENTERED,
    _S.BOUGHT: _HOLD_TO - {_S.BOUGHT},
    _S.TRAILING_TAKE_PROFIT_ACTIVATED: _HOLD_TO - {_S.TRAILING_TAKE_PROFIT_ACTIVATED},
    _S.TAKE_PROFIT_ORDER_PLACED: _HOLD_TO - {_S.TAKE_PROFIT_ORDER_PLACED},
    _S.STOP_LOSS_ORDER_PLACED: _HOLD_TO - {_S.STOP_LOSS_ORDER_PLACED},
    _S.PANIC_SELL_ORDER_PLACED: frozenset({_S.PANIC_SELL_FINISHED, _S.CANCELLED}),
    **{status: frozenset() for status in sorted(TERMINAL)},
}

_ENDED_STEP = frozenset(
    {
        V1StepStatus.PROCESSED,
        V1StepStatus.SKIPPED,
        V1StepStatus.CANCELLED,
        V1StepStatus.PANIC_SOLD,
    }
)
STEP_TRANSITIONS: dict[V1StepStatus, frozenset[V1StepStatus]] = {
    V1StepStatus.IDLE: _ENDED_STEP | {V1StepStatus.ENQUEUED},
    V1StepStatus.ENQUEUED: _ENDED_STEP,
    V1StepStatus.NEED_CHECK: _ENDED_STEP,
    V1StepStatus.PROCESSED: frozenset(),
    V1StepStatus.SKIPPED: frozenset(),
    V1StepStatus.FAILED: frozenset(),
    V1StepStatus.CANCELLED: frozenset(),
    V1StepStatus.PANIC_SOLD: frozenset(),
}

# Beyond the status: SimpleBuys and SimpleSells take no edit and no funds.
_CONDITIONS: dict[V1Action, Callable[[V1Trade], bool]] = {
    _A.UPDATE: lambda trade: trade.kind not in SIMPLE,
    _A.ADD_FUNDS: lambda trade: trade.kind not in SIMPLE,
}

_LABELS: dict[V1Action, str] = {
    _A.CANCEL: "Cancel",
    _A.UPDATE: "Update",
    _A.PANIC_SELL: "Panic sell",
    _A.STEP_PANIC_SELL: "Step panic sell",
    _A.CANCEL_ORDER: "Cancel order",
    _A.ADD_FUNDS: "Add funds",
    _A.FORCE_PROCESS: "Force process",
    _A.FILL_ENTRY: "Entry",
    _A.FILL_TARGETS: "Targets",
}


class IllegalTransition(RuntimeError):
    """A status change the machine does not have: a server bug, never the user's doing."""


def allows(status: V1Status, action: V1Action) -> bool:
    return action in ALLOWED[status]


def available(trade: V1Trade, action: V1Action) -> bool:
    """Whether `action` is allowed on `trade` now: its status allows it, and any condition holds."""
    condition = _CONDITIONS.get(action)
    return allows(trade.status, action) and (condition is None or condition(trade))


def refusal(action: V1Action) -> ApiError:
    return wrong_params(f"{_LABELS[action]} is not allowed in the current status")


def require(trade: V1Trade, action: V1Action) -> None:
    if not available(trade, action):
        raise refusal(action)


def move(trade: V1Trade, status: V1Status, now: datetime) -> None:
    """Change the SmartTrade's status (checked against `TRANSITIONS`), stamping `updated_at`, and
    `closed_at` when it ends."""
    if status not in TRANSITIONS[trade.status]:
        raise IllegalTransition(f"ver1 SmartTrade {trade.id}: {trade.status} -> {status}")
    trade.status = status
    trade.updated_at = now
    if status in TERMINAL:
        trade.closed_at = now


def move_step(step: V1Step, status: V1StepStatus, now: datetime) -> None:
    """Change a step's status (checked against `STEP_TRANSITIONS`), stamping its `updated_at`."""
    if status not in STEP_TRANSITIONS[step.status]:
        raise IllegalTransition(f"ver1 step {step.id}: {step.status} -> {status}")
    step.status = status
    step.updated_at = now
