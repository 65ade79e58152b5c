"""The smart-order state table: every allowed transition, every forbidden action."""

from __future__ import annotations

import itertools

import pytest

from reference_server.poloniex.engine import transition
from reference_server.poloniex.states import (
    OPEN_STATES,
    TABLE,
    Action,
    ForbiddenTransition,
    SmartOrderState,
    allowed,
    next_state,
)

from .conftest import Market
from .spec_helper import SPEC

S = SmartOrderState
EXPECTED = {
    (S.PENDING_NEW, Action.CANCEL): S.CANCELED,
    (S.PENDING_NEW, Action.REPLACE): S.CANCELED,
    (S.PENDING_NEW, Action.TRIGGER): S.TRIGGERED,
    (S.PENDING_NEW, Action.FAIL): S.FAILED,
}


def test_states_are_the_spec_known_values() -> None:
    known = SPEC["components"]["schemas"]["SmartOrder"]["properties"]["state"]["x-known-values"]
    assert {state.value for state in SmartOrderState} == set(known)
    assert set(TABLE) == set(SmartOrderState)


@pytest.mark.parametrize(("state", "action"), list(itertools.product(SmartOrderState, Action)))
def test_table_cell(state: SmartOrderState, action: Action) -> None:
    expected = EXPECTED.get((state, action))
    assert allowed(state, action) is (expected is not None)
    if expected is None:
        with pytest.raises(ForbiddenTransition):
            next_state(state, action)
    else:
        assert next_state(state, action) is expected


def test_only_pending_new_is_open() -> None:
    assert OPEN_STATES == {S.PENDING_NEW}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(SmartOrderState, Action)))
def test_transition_changes_state_and_update_time_or_nothing(
    market: Market, state: SmartOrderState, action: Action
) -> None:
    order = market.create(side="BUY", stopPrice="20000", quantity="1")
    order.state = state
    expected = EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(ForbiddenTransition):
            transition(order, action, 42)
        assert (order.state, order.update_time) == (state, 0)
    else:
        assert transition(order, action, 42) is expected
        assert (order.state, order.update_time) == (expected, 42)
