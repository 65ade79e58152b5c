"""The state machine: its table cell by cell, every transition, and the flags agreeing with the
guards for every status (pure, no HTTP)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from reference_server.threecommas import commands, engine, machine
from reference_server.threecommas.build import apply_update
from reference_server.threecommas.errors import ApiError
from reference_server.threecommas.machine import (
    ALLOWED,
    ORDER_TRANSITIONS,
    TRANSITIONS,
    Action,
    IllegalTransition,
    OrderAction,
)
from reference_server.threecommas.model import Order, SmartTrade
from reference_server.threecommas.render import availability, render, render_order
from reference_server.threecommas.statuses import (
    TERMINAL,
    OrderStatus,
    Purpose,
    TradeStatus,
)

from .helpers import START, Run, body

T, O = TradeStatus, OrderStatus
WP, WT = T.WAITING_POSITION, T.WAITING_TARGETS

# The table as the API documents and the server behaves, written out independently of machine.py.
EXPECTED_ACTIONS: dict[TradeStatus, set[str]] = {
    WP: {
        "cancel",
        "update",
        "edit_position",
        "force_start",
        "force_process",
        "set_note",
        "fill_entry",
        "cancel_order:position",
        "cancel_order:take_profit",
        "cancel_order:add_funds",
        "cancel_order:reduce_funds",
        "close_order:position",
        "close_order:add_funds",
    },
    WT: {
        "cancel",
        "update",
        "add_funds",
        "reduce_funds",
        "reduce_funds_info",
        "close_by_market",
        "force_process",
        "set_note",
        "fill_targets",
        "cancel_order:take_profit",
        "cancel_order:add_funds",
        "cancel_order:reduce_funds",
        "close_order:take_profit",
        "close_order:stop_loss",
        "close_order:add_funds",
        "close_order:reduce_funds",
    },
    **{status: {"set_note"} for status in TERMINAL},
}
EXPECTED_TRANSITIONS: dict[TradeStatus, set[TradeStatus]] = {
    WP: {WT, T.FINISHED, T.CANCELLED},
    WT: {T.FINISHED, T.CANCELLED, T.PANIC_SOLD, T.STOP_LOSS_FINISHED},
    **{status: set() for status in TERMINAL},
}
_ENDED = {O.FINISHED, O.CANCELLED}
EXPECTED_ORDER_TRANSITIONS: dict[OrderStatus, set[OrderStatus]] = {
    O.IDLE: {O.ORDER_PLACED, O.TRAILING_ACTIVATED, *_ENDED},
    O.TO_PROCESS: {O.ORDER_PLACED, O.TRAILING_ACTIVATED, *_ENDED},
    O.ORDER_PLACED: {O.TRAILING_ACTIVATED, *_ENDED},
    O.TRAILING_ACTIVATED: _ENDED,
    O.FINISHED: set(),
    O.CANCELLED: set(),
}


def test_the_tables_cover_every_status() -> None:
    assert set(ALLOWED) == set(TradeStatus) == set(TRANSITIONS)
    assert set(ORDER_TRANSITIONS) == set(OrderStatus)
    assert TERMINAL == {T.FINISHED, T.CANCELLED, T.PANIC_SOLD, T.STOP_LOSS_FINISHED, T.FAILED}
    # Every order-level action exists for every purpose (the table decides, not the enum).
    for kind in OrderAction:
        for purpose in Purpose:
            assert machine.order_action(kind, purpose) == f"{kind}:{purpose}"


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(TradeStatus))
def test_each_cell_of_the_table(status: TradeStatus, action: Action) -> None:
    assert machine.allows(status, action) is (action.value in EXPECTED_ACTIONS[status])


# ---- transitions ---------------------------------------------------------------------------------


def _trade_in(status: TradeStatus) -> SmartTrade:
    trade = Run(body()).trade
    trade.status = status  # the test puts it there; only the machine moves it from here
    trade.closed_at = None
    return trade


@pytest.mark.parametrize("target", list(TradeStatus))
@pytest.mark.parametrize("source", list(TradeStatus))
def test_every_transition_through_the_one_status_writer(
    source: TradeStatus, target: TradeStatus
) -> None:
    trade = _trade_in(source)
    later = START.replace(hour=5)
    if target in EXPECTED_TRANSITIONS[source]:
        machine.move(trade, target, later)
        assert trade.status is target and trade.updated_at == later
        assert trade.closed_at == (later if target in TERMINAL else None)
    else:
        before = (trade.status, trade.updated_at, trade.closed_at)
        with pytest.raises(IllegalTransition):
            machine.move(trade, target, later)
        assert (trade.status, trade.updated_at, trade.closed_at) == before


@pytest.mark.parametrize("target", list(OrderStatus))
@pytest.mark.parametrize("source", list(OrderStatus))
def test_every_order_transition(source: OrderStatus, target: OrderStatus) -> None:
    order = Order(1, Purpose.TAKE_PROFIT, "sell", "limit", Decimal(1), START, START, status=source)
    later = START.replace(hour=5)
    if target in EXPECTED_ORDER_TRANSITIONS[source]:
        machine.move_order(order, target)
        assert order.status is target and order.updated_at == START  # no `now`, no stamp
        order.status = source
        machine.move_order(order, target, later)
        assert order.updated_at == later
    else:
        with pytest.raises(IllegalTransition):
            machine.move_order(order, target, later)
        assert order.status is source and order.updated_at == START


# ---- the flags agree with the guards ---------------------------------------------------------------


def _waiting_position() -> Run:
    position = {"type": "buy", "units": {"value": "1"}, "order_type": "limit"}
    return Run(body(position={**position, "price": {"value": "90"}}))


def _waiting_targets_with_funds_orders() -> Run:
    run = Run(body())
    now = run.clock.tick()
    commands.add_funds(
        run.trade, run.quote, "limit", Decimal("0.5"), Decimal(50), run.new_id(), now
    )
    commands.reduce_funds(
        run.trade, run.quote, "limit", Decimal("0.2"), Decimal(200), run.new_id(), now
    )
    return run


def _nothing_left_to_reduce() -> Run:
    run = Run(body())
    reducible = run.trade.reducible()
    commands.reduce_funds(
        run.trade, run.quote, "limit", reducible, Decimal(200), run.new_id(), run.clock.tick()
    )
    return run


def _forced(make: Callable[[], Run], status: TradeStatus) -> Callable[[], Run]:
    def build() -> Run:
        run = make()
        run.trade.status = status
        return run

    return build


def _after(make: Callable[[], Run], act: Callable[[Run], Any]) -> Callable[[], Run]:
    def build() -> Run:
        run = make()
        act(run)
        return run

    return build


def _instant() -> Run:
    return Run(body(instant=True))


VARIANTS: dict[str, Callable[[], Run]] = {
    "waiting_position": _waiting_position,
    "waiting_targets": _waiting_targets_with_funds_orders,
    "waiting_targets, nothing to reduce": _nothing_left_to_reduce,
    "waiting_targets, simple buy (forced)": _forced(_instant, WT),
    "finished": _after(lambda: Run(body()), lambda run: run.price("125")),
    "cancelled": _after(
        _waiting_targets_with_funds_orders,
        lambda run: commands.cancel(run.trade, run.clock.tick()),
    ),
    "panic_sold": _after(
        _waiting_targets_with_funds_orders,
        lambda run: commands.close_by_market(run.trade, run.quote, run.new_id(), run.clock.tick()),
    ),
    "stop_loss_finished": _after(lambda: Run(body()), lambda run: run.price("85")),
    "failed (forced)": _forced(_waiting_targets_with_funds_orders, T.FAILED),
}


def _succeeds(act: Callable[[], Any]) -> bool:
    try:
        act()
    except ApiError as error:
        assert (error.status, error.error) == (400, "Wrong param(s)")
        assert error.description is not None and "is not allowed in the current status" in (
            error.description
        )
        return False
    return True


def _on_copy(run: Run, act: Callable[[SmartTrade], Any]) -> Callable[[], Any]:
    return lambda: act(copy.deepcopy(run.trade))


def test_the_variants_cover_every_status() -> None:
    assert {make().trade.status for make in VARIANTS.values()} == set(TradeStatus)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_rendered_flags_agree_with_the_guards(name: str) -> None:
    run = VARIANTS[name]()
    trade, q, now = run.trade, run.quote, run.clock.tick()
    flags = availability(trade)
    data = render(trade, q)["data"]
    assert {key: data[key] for key in flags} == flags
    units = trade.reducible() / 2 if trade.reducible() > 0 else Decimal("0.1")
    commands_by_flag: dict[str, Callable[[SmartTrade], Any]] = {
        "editable": lambda t: apply_update(t, {}, q, run.new_id, now),
        "cancel_available": lambda t: commands.cancel(t, now),
        "panic_sell_available": lambda t: commands.close_by_market(t, q, run.new_id(), now),
        "add_funds_available": lambda t: commands.add_funds(
            t, q, "market", Decimal("0.1"), None, run.new_id(), now
        ),
        "reduce_funds_available": lambda t: commands.reduce_funds(
            t, q, "market", units, None, run.new_id(), now
        ),
        "force_start_available": lambda t: commands.force_start(t, q, now),
        "force_process_available": lambda t: commands.force_process(t, q, now),
    }
    assert set(commands_by_flag) == set(flags)
    for flag, act in commands_by_flag.items():
        assert _succeeds(_on_copy(run, act)) is flags[flag], flag
    # reduce_funds_info and set_note: the table alone.
    info = _succeeds(_on_copy(run, commands.reduce_funds_info))
    assert info is machine.allows(trade.status, Action.REDUCE_FUNDS_INFO)
    assert _succeeds(_on_copy(run, lambda t: commands.set_note(t, "n", now)))


@pytest.mark.parametrize("name", list(VARIANTS))
def test_order_flags_agree_with_the_order_guards(name: str) -> None:
    run = VARIANTS[name]()
    trade, q, now = run.trade, run.quote, run.clock.tick()
    rendered = render(trade, q)
    step_flags = {
        step["id"]: step["data"]
        for step in [*rendered["take_profit"]["steps"], *rendered["reduce_funds"]["steps"]]
    }
    for index, order in enumerate(trade.orders()):
        row = render_order(trade, order)
        can_close = machine.order_available(trade, order, OrderAction.CLOSE)
        if order.id in step_flags:
            assert step_flags[order.id] == {
                "cancelable": row["cancelable"],
                "panic_sell_available": can_close,
            }

        def cancel(t: SmartTrade, i: int = index) -> None:
            commands.cancel_order(t, t.orders()[i], now)

        def close(t: SmartTrade, i: int = index) -> None:
            commands.close_order_by_market(t, t.orders()[i], q, now)

        assert _succeeds(_on_copy(run, cancel)) is row["cancelable"], order.purpose
        assert _succeeds(_on_copy(run, close)) is can_close, order.purpose


def test_refusals_keep_todays_messages() -> None:
    trade = Run(body(), "100").trade
    engine.close(trade, T.CANCELLED, START.replace(hour=1))
    expected = {
        Action.CANCEL: "Cancel is not allowed in the current status",
        Action.UPDATE: "Update is not allowed in the current status",
        Action.ADD_FUNDS: "Add funds is not allowed in the current status",
        Action.REDUCE_FUNDS: "Reduce funds is not allowed in the current status",
        Action.REDUCE_FUNDS_INFO: "Reduce funds is not allowed in the current status",
        Action.CLOSE_BY_MARKET: "Close by market is not allowed in the current status",
        Action.FORCE_START: "Force start is not allowed in the current status",
        Action.FORCE_PROCESS: "Force process is not allowed in the current status",
        Action.CANCEL_TAKE_PROFIT_ORDER: "Cancel is not allowed in the current status",
        Action.CLOSE_STOP_LOSS_ORDER: "Close by market is not allowed in the current status",
    }
    for action, message in expected.items():
        with pytest.raises(ApiError) as info:
            machine.require(trade, action)
        assert (info.value.status, info.value.error) == (400, "Wrong param(s)")
        assert info.value.description == message
