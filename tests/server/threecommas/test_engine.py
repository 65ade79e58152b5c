"""The price engine without HTTP: entries, trailing, take profits in order, stop loss timeout and
breakeven under a test clock, units after funds orders come and go."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reference_server.decimals import total
from reference_server.threecommas import commands
from reference_server.threecommas.model import SmartTrade
from reference_server.threecommas.statuses import OrderStatus, TradeStatus

from .helpers import START, Run, body, quote

D = Decimal
NO_TAKE_PROFIT: dict[str, Any] = {"enabled": False}


def _units_conserved(trade: SmartTrade) -> None:
    remaining = trade.remaining()
    assert trade.entered_amount() == total([trade.closed_amount(), remaining])
    open_steps = trade.open_steps()
    if trade.status is TradeStatus.WAITING_TARGETS and open_steps:
        held = total(s.units for s in open_steps)
        assert total([held, trade.pending_reduce()]) == remaining
    sl = trade.open_stop_loss()
    if sl is not None and trade.status is TradeStatus.WAITING_TARGETS:
        assert sl.units == remaining


def test_market_entry_fills_at_the_ask_and_places_the_targets() -> None:
    trade = Run(body(), at=quote("100", bid="99.5", ask="100.5")).trade
    assert trade.status is TradeStatus.WAITING_TARGETS
    assert trade.position.status is OrderStatus.FINISHED and trade.position.fill_price == D("100.5")
    assert [s.status for s in trade.steps] == [OrderStatus.ORDER_PLACED, OrderStatus.IDLE]
    assert [s.units for s in trade.steps] == [D("0.5"), D("0.5")]
    assert trade.sl_order is not None and trade.sl_order.units == 1
    _units_conserved(trade)


def test_limit_entry_waits_for_the_ask_to_reach_its_price() -> None:
    position = {"type": "buy", "units": {"value": "2"}, "order_type": "limit"}
    run = Run(body(position={**position, "price": {"value": "90"}}, stop_loss={"enabled": False}))
    assert run.trade.position.status is OrderStatus.ORDER_PLACED
    run.price("90", bid="89.5", ask="90.5")
    assert run.trade.status is TradeStatus.WAITING_POSITION
    trade = run.price("90", bid="89.5", ask="89.9")
    assert trade.status is TradeStatus.WAITING_TARGETS
    assert trade.position.fill_price == 90 and trade.entered_amount() == 2
    # Its status changed, so did its updated_at (the one behaviour the machine added).
    assert trade.updated_at == run.clock.now


def test_trailing_entry_follows_the_price_down_and_enters_on_the_turn() -> None:
    position = {
        "type": "buy",
        "units": {"value": "1"},
        "order_type": "conditional",
        "conditional": {
            "price": {"value": "95", "type": "last"},
            "order_type": "market",
            "trailing": {"enabled": True, "percent": "10"},
        },
    }
    run = Run(body(position=position, take_profit=NO_TAKE_PROFIT))
    pos = run.trade.position
    run.price("96")
    assert not run.trade.triggered and [pos.status] == [OrderStatus.IDLE]
    run.price("94")
    assert pos.status is OrderStatus.TRAILING_ACTIVATED and pos.trailing_extreme == 94
    run.price("90")
    assert pos.trailing_extreme == 90 and pos.trailing_updated_at == run.clock.now
    run.price("98.9")  # 90 + 10 % = 99
    assert pos.status is OrderStatus.TRAILING_ACTIVATED and pos.trailing_extreme == 90
    trade = run.price("99")
    assert trade.status is TradeStatus.WAITING_TARGETS and pos.fill_price == 99


def test_take_profits_fill_in_order() -> None:
    run = Run(body())
    first, second = run.trade.steps
    run.price("105")
    assert first.open and second.open
    trade = run.price("115")
    assert first.status is OrderStatus.FINISHED and first.fill_price == 110  # its limit price
    assert second.open and second.units == D("0.5") and trade.remaining() == D("0.5")
    _units_conserved(trade)
    trade = run.price("125")
    assert second.fill_price == 125  # a market step sells at the bid
    assert trade.status is TradeStatus.FINISHED and trade.closed_at == run.clock.now
    assert trade.sl_order is not None and trade.sl_order.status is OrderStatus.CANCELLED
    assert trade.closed_total() == D("117.5") and trade.remaining() == 0


def test_trailing_take_profit_follows_the_price_up_and_sells_on_the_turn() -> None:
    step = {
        "order_type": "market",
        "price": {"value": "110", "type": "last"},
        "volume": 100,
        "trailing": {"enabled": True, "percent": "5"},
    }
    run = Run(body(take_profit={"enabled": True, "steps": [step]}))
    tp = run.trade.steps[0]
    run.price("112")
    assert tp.status is OrderStatus.TRAILING_ACTIVATED and tp.trailing_extreme == 112
    run.price("120")
    run.price("114.1")  # 120 - 5 % = 114
    assert tp.open and tp.trailing_extreme == 120
    trade = run.price("114")
    assert tp.fill_price == 114 and trade.status is TradeStatus.FINISHED


def test_stop_loss_timeout_under_the_test_clock() -> None:
    stop_loss = body()["stop_loss"] | {"timeout": {"enabled": True, "value": "60"}}
    run = Run(body(stop_loss=stop_loss, take_profit=NO_TAKE_PROFIT))
    run.price("89")
    crossed_at = run.clock.now
    assert run.trade.sl_crossed_at == crossed_at
    run.price("89", seconds=30)
    run.price("95", seconds=10)  # back above the stop: the wait starts over
    assert run.trade.sl_crossed_at is None
    run.price("89")
    run.price("89", seconds=59)
    assert run.trade.status is TradeStatus.WAITING_TARGETS
    trade = run.price("88", seconds=1)  # 60 s beyond the stop
    assert trade.status is TradeStatus.STOP_LOSS_FINISHED
    assert trade.sl_order is not None and trade.sl_order.fill_price == 88
    assert trade.closed_at == START.replace(minute=1, second=42)


def test_breakeven_moves_the_stop_to_the_entry_after_the_first_take_profit() -> None:
    run = Run(body(stop_loss=body()["stop_loss"] | {"breakeven": True}))
    sl = run.trade.sl_order
    assert sl is not None and sl.price == 90
    run.price("111")
    assert sl.price == 100 and sl.units == D("0.5")
    trade = run.price("99.99")
    assert trade.status is TradeStatus.STOP_LOSS_FINISHED and sl.fill_price == D("99.99")
    assert trade.remaining() == 0


def test_trailing_stop_loss_only_ever_moves_up() -> None:
    stop_loss = body()["stop_loss"]
    stop_loss["conditional"]["trailing"] = {"enabled": True, "percent": "10"}
    run = Run(body(stop_loss=stop_loss, take_profit=NO_TAKE_PROFIT))
    sl = run.trade.sl_order
    assert sl is not None
    run.price("110")
    assert sl.price == 99 and sl.trailing_extreme == 110
    run.price("105")
    assert sl.price == 99
    trade = run.price("99")
    assert trade.status is TradeStatus.STOP_LOSS_FINISHED


def test_units_conserved_after_a_reduce_funds_order_is_cancelled() -> None:
    run = Run(body())
    trade = run.trade
    commands.reduce_funds(trade, run.quote, "limit", D("0.4"), D(200), run.new_id(), START)
    order = trade.reduce_funds[0]
    assert [order.status] == [OrderStatus.ORDER_PLACED]
    assert [s.units for s in trade.steps] == [D("0.3"), D("0.3")] and trade.reducible() == D("0.6")
    _units_conserved(trade)
    commands.cancel_order(trade, order, run.clock.tick())
    assert order.status is OrderStatus.CANCELLED
    assert [s.units for s in trade.steps] == [D("0.5"), D("0.5")] and trade.reducible() == 1
    _units_conserved(trade)


def test_add_and_reduce_funds_share_their_placement() -> None:
    run = Run(body())
    trade = run.trade
    commands.add_funds(trade, run.quote, "market", D(1), None, run.new_id(), run.clock.tick())
    commands.reduce_funds(trade, run.quote, "limit", D("0.5"), D(105), run.new_id(), START)
    added, reduced = trade.add_funds[0], trade.reduce_funds[0]
    assert (added.side, added.status, added.fill_price) == ("buy", OrderStatus.FINISHED, D(100))
    assert (reduced.side, reduced.status) == ("sell", OrderStatus.ORDER_PLACED)
    assert trade.entered_amount() == 2 and trade.reducible() == D("1.5")
    _units_conserved(trade)
    run.price("105")
    assert reduced.status is OrderStatus.FINISHED and trade.remaining() == D("1.5")
    _units_conserved(trade)


def test_cancelling_the_last_take_profit_before_the_entry_finishes_the_trade() -> None:
    """Preserved as found (HTTP behaviour unchanged by the split): with nothing entered yet,
    cancelling the only take profit step leaves no units anywhere, and the trade ends as
    `finished` with its entry cancelled."""
    position = {"type": "buy", "units": {"value": "1"}, "order_type": "limit"}
    step = {"order_type": "market", "price": {"value": "110"}, "volume": 100}
    run = Run(
        body(
            position={**position, "price": {"value": "90"}},
            take_profit={"enabled": True, "steps": [step]},
        )
    )
    trade = run.trade
    commands.cancel_order(trade, trade.steps[0], run.clock.tick())
    assert trade.status is TradeStatus.FINISHED
    assert trade.position.status is OrderStatus.CANCELLED
