"""The ver1 machine's table, status by action (pure: no HTTP, no store), and its transitions."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from reference_server.threecommas import v1_machine
from reference_server.threecommas.errors import ApiError
from reference_server.threecommas.users import Account
from reference_server.threecommas.v1_machine import ALLOWED, TRANSITIONS, V1Action, available
from reference_server.threecommas.v1_model import V1Step, V1Trade
from reference_server.threecommas.v1_statuses import (
    HOLDING,
    TERMINAL,
    WAITING,
    V1Kind,
    V1Purpose,
    V1Status,
    V1StepStatus,
)

A, S = V1Action, V1Status
NOW = datetime(2024, 1, 1, tzinfo=UTC)
_WAIT = {A.CANCEL, A.UPDATE, A.CANCEL_ORDER, A.FORCE_PROCESS, A.FILL_ENTRY}
_FLIGHT = {A.CANCEL, A.PANIC_SELL, A.CANCEL_ORDER, A.FORCE_PROCESS, A.FILL_TARGETS}
EXPECTED: dict[V1Status, set[V1Action]] = {
    S.CONDITIONAL_ORDER_WAITING_PRICE: _WAIT,
    S.TRAILING_BUY_ACTIVATED: _WAIT,
    S.BUY_ORDER_PLACED: _WAIT,
    S.BOUGHT: _FLIGHT | {A.UPDATE, A.STEP_PANIC_SELL, A.ADD_FUNDS},
    S.TRAILING_TAKE_PROFIT_ACTIVATED: _FLIGHT | {A.STEP_PANIC_SELL},
    S.TAKE_PROFIT_ORDER_PLACED: _FLIGHT | {A.STEP_PANIC_SELL},
    S.STOP_LOSS_ORDER_PLACED: _FLIGHT,
    S.PANIC_SELL_ORDER_PLACED: {A.FORCE_PROCESS, A.FILL_TARGETS},
    **{status: set() for status in TERMINAL},
}


def trade(status: V1Status, kind: V1Kind = V1Kind.CLASSIC) -> V1Trade:
    account = Account(1, "binance", "Spot", "Binance Spot")
    out = V1Trade(1, "owner", account, "USDT_X", kind, "market", Decimal(1), None, NOW, NOW, status)
    out.buy_steps.append(V1Step(2, 1, V1Purpose.ENTRY, "buy", "market", Decimal(1), NOW, NOW, 3))
    return out


def test_every_status_has_a_row_and_the_groups_cover_them() -> None:
    assert set(ALLOWED) == set(V1Status) == set(TRANSITIONS)
    assert WAITING | HOLDING | TERMINAL == set(V1Status)
    assert not (WAITING & HOLDING or WAITING & TERMINAL or HOLDING & TERMINAL)


@pytest.mark.parametrize("status", list(V1Status))
@pytest.mark.parametrize("action", list(V1Action))
def test_the_table_status_by_action(status: V1Status, action: V1Action) -> None:
    assert (action in ALLOWED[status]) is (action in EXPECTED[status])
    assert available(trade(status), action) is (action in EXPECTED[status])
    if action not in EXPECTED[status]:
        with pytest.raises(ApiError) as refused:
            v1_machine.require(trade(status), action)
        assert refused.value.status == 400 and refused.value.error == "Wrong param(s)"
        assert "is not allowed in the current status" in str(refused.value.description)


@pytest.mark.parametrize("action", [A.UPDATE, A.ADD_FUNDS])
def test_simple_trades_take_no_edit_and_no_funds(action: V1Action) -> None:
    assert not available(trade(S.BOUGHT, V1Kind.SIMPLE_BUY), action)
    assert available(trade(S.BOUGHT, V1Kind.SMART_SALE), action)


def test_terminal_statuses_go_nowhere() -> None:
    for status in TERMINAL:
        assert TRANSITIONS[status] == frozenset()


def test_move_follows_the_transitions_and_stamps_the_times() -> None:
    later = datetime(2024, 1, 2, tzinfo=UTC)
    t = trade(S.BUY_ORDER_PLACED)
    v1_machine.move(t, S.BOUGHT, later)
    assert t.status == S.BOUGHT and t.updated_at == later and t.closed_at is None
    v1_machine.move(t, S.TAKE_PROFIT_FINISHED, later)
    assert t.closed_at == later
    with pytest.raises(v1_machine.IllegalTransition):
        v1_machine.move(t, S.BOUGHT, later)
    with pytest.raises(v1_machine.IllegalTransition):
        v1_machine.move(trade(S.BUY_ORDER_PLACED), S.TAKE_PROFIT_FINISHED, later)


def test_move_step_follows_the_step_transitions() -> None:
    step = trade(S.BOUGHT).entry
    v1_machine.move_step(step, V1StepStatus.ENQUEUED, NOW)
    v1_machine.move_step(step, V1StepStatus.PROCESSED, NOW)
    with pytest.raises(v1_machine.IllegalTransition):
        v1_machine.move_step(step, V1StepStatus.CANCELLED, NOW)
