"""The smart-order state machine as data: the states, the actions, and which action each allows.

`TABLE[state][action]` is the state an action leads to; an action missing from a state's row is
forbidden there. Only `PENDING_NEW` allows anything: a smart order acts once (triggers, fails or is
canceled) and then stays where it is. `PENDING_CANCEL`, `REJECTED` and `EXPIRED` are known states
that this simulation never enters (its cancels are immediate, it refuses bad orders with an error
instead of a `REJECTED` order, and nothing expires); they allow nothing, like the other final
states. `engine.transition` is the one function that changes a smart order's state.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final


class SmartOrderState(StrEnum):
    PENDING_NEW = "PENDING_NEW"
    PENDING_CANCEL = "PENDING_CANCEL"
    CANCELED = "CANCELED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"
    TRIGGERED = "TRIGGERED"
    FAILED = "FAILED"


class Action(StrEnum):
    CANCEL = "cancel"  # cancel by id, by ids, or all
    REPLACE = "replace"  # cancel-replace: the old order ends CANCELED, a new one is created
    TRIGGER = "trigger"  # the market reached the trigger; the regular order was placed
    FAIL = "fail"  # triggered, but the regular order could not be placed


S = SmartOrderState
TABLE: Final[Mapping[SmartOrderState, Mapping[Action, SmartOrderState]]] = {
    S.PENDING_NEW: {
        Action.CANCEL: S.CANCELED,
        Action.REPLACE: S.CANCELED,
        Action.TRIGGER: S.TRIGGERED,
        Action.FAIL: S.FAILED,
    },
    S.PENDING_CANCEL: {},
    S.CANCELED: {},
    S.REJECTED: {},
    S.EXPIRED: {},
    S.TRIGGERED: {},
    S.FAILED: {},
}
OPEN_STATES: Final = frozenset(state for state, row in TABLE.items() if row)


class ForbiddenTransition(Exception):
    def __init__(self, state: SmartOrderState, action: Action) -> None:
        super().__init__(f"{action} is not allowed in {state}")
        self.state = state
        self.action = action


def allowed(state: SmartOrderState, action: Action) -> bool:
    return action in TABLE[state]


def next_state(state: SmartOrderState, action: Action) -> SmartOrderState:
    try:
        return TABLE[state][action]
    except KeyError:
        raise ForbiddenTransition(state, action) from None


class OrderState(StrEnum):
    """The states of the regular order a smart order places (`TriggeredOrder.state`)."""

    NEW = "NEW"
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    FILLED = "FILLED"
    PENDING_CANCEL = "PENDING_CANCEL"
    PARTIALLY_CANCELED = "PARTIALLY_CANCELED"
    CANCELED = "CANCELED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"
    FAILED = "FAILED"
