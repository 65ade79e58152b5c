"""Units are conserved through any sequence of lifecycle actions (pure model, no HTTP).

Random SmartTrades go through random price moves, add and reduce funds (market and limit),
trade-level cancels and closes, whole-trade closes and cancels. After every step: what open take
profit steps and pending reduce-funds orders hold is exactly the open position, the stop loss holds
all of it, and a trade that ended by selling (finished, closed at market, stop loss) holds nothing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference_server.decimals import mul, total
from reference_server.prices import Quote
from reference_server.threecommas import commands, engine, render
from reference_server.threecommas.build import create_trade
from reference_server.threecommas.errors import ApiError
from reference_server.threecommas.machine import OrderAction, order_available
from reference_server.threecommas.model import SmartTrade
from reference_server.threecommas.statuses import TradeStatus
from reference_server.threecommas.users import Account

from .conftest import SMART_TRADE, TRADE

ACCOUNT = Account(1, "binance", "Spot", "Binance Spot")
START = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Values:
    prices: list[str]
    units: list[str]
    percents: list[str]


ORDINARY = Values(
    prices=["50", "89", "95", "100", "104.5", "110", "111", "120", "121", "131", "200"],
    units=["0.1", "0.3", "1", "1.7", "0.333333333333333333333333333333333333333"],
    percents=["1", "5", "10", "20", "30"],
)
TINY = "0." + "0" * 39 + "1"
HUGE = "9" * 30 + "." + "9" * 70  # 100 significant digits, just under 1e31
EXTREME = Values(
    prices=[TINY, "1e-30", "0.000000001234567890123456789012345678901", "100", "1e30", HUGE],
    units=[TINY, "1", "1234567890.123456789012345678901234567891", "1e30", HUGE],
    percents=[TINY, "-100", "99.9999999999999999999999999999999999999999", "1e30", "-1e30"],
)
SOLD_OUT = (TradeStatus.FINISHED, TradeStatus.PANIC_SOLD, TradeStatus.STOP_LOSS_FINISHED)


def _quote(last: str) -> Quote:
    price = Decimal(last)
    return Quote(bid=price, ask=price, last=price)


@st.composite
def trades(draw: st.DrawFn, values: Values) -> dict[str, Any]:
    side = draw(st.sampled_from(["buy", "sell"]))
    entry = draw(st.sampled_from(["market", "limit"]))
    position: dict[str, Any] = {
        "type": side,
        "units": {"value": draw(st.sampled_from(values.units))},
    }
    position["order_type"] = entry
    if entry == "limit":
        position["price"] = {"value": draw(st.sampled_from(values.prices))}
    count = draw(st.integers(1, 4))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=count - 1, max_size=count - 1)))
    volumes = [b - a for a, b in itertools.pairwise([0, *cuts, 100])]
    if any(v <= 0 for v in volumes):
        volumes = [100]
    steps = [
        {
            "order_type": draw(st.sampled_from(["market", "limit"])),
            "price": {"percent": draw(st.sampled_from(values.percents)), "type": "last"},
            "volume": volume,
        }
        for volume in volumes
    ]
    body: dict[str, Any] = {
        "pair": "USDT_PROP",
        "position": position,
        "take_profit": {"enabled": draw(st.booleans()), "steps": steps},
        "stop_loss": {"enabled": False},
    }
    if draw(st.booleans()):
        body["stop_loss"] = {
            "enabled": True,
            "order_type": "market",
            "breakeven": len(steps) > 1 and draw(st.booleans()),
            "conditional": {"price": {"percent": draw(st.sampled_from(values.percents))}},
        }
    return body


def actions(values: Values) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    return st.lists(
        st.one_of(
            st.tuples(st.just("price"), st.sampled_from(values.prices)),
            st.tuples(
                st.just("add"),
                st.sampled_from(["market", "limit"]),
                st.sampled_from(values.units),
                st.sampled_from(values.prices),
            ),
            st.tuples(
                st.just("reduce"),
                st.sampled_from(["market", "limit"]),
                st.sampled_from(["0.25", "0.5", "1"]),  # a share of what may be reduced
                st.sampled_from(values.prices),
            ),
            st.tuples(st.just("cancel_order"), st.integers(0, 9)),
            st.tuples(st.just("cancel_order"), st.integers(0, 9)),
            st.tuples(st.just("close_order"), st.integers(0, 9)),
            st.tuples(st.sampled_from(["close_by_market", "cancel", "force_start"])),
        ),
        max_size=12,
    )


def check(trade: SmartTrade, quote: Quote) -> None:
    remaining = trade.remaining()
    assert remaining >= 0
    assert trade.entered_amount() == total([trade.closed_amount(), remaining])
    assert all(order.units >= 0 for order in trade.orders())
    open_steps = [s for s in trade.steps if s.open]
    if trade.status == TradeStatus.WAITING_TARGETS:
        if open_steps:
            held = total(s.units for s in open_steps)
            pending = total(o.units for o in trade.reduce_funds if o.open)
            assert total([held, pending]) == remaining
        if trade.sl_order is not None and trade.sl_order.open:
            assert trade.sl_order.units == remaining
    if trade.status in SOLD_OUT and not trade.instant:
        assert remaining == 0, trade.status
    SMART_TRADE.validate(render.render(trade, quote))


def act(trade: SmartTrade, action: tuple[Any, ...], quote: Quote, ids: Any, now: datetime) -> Quote:
    kind = action[0]
    if kind == "price":
        quote = _quote(action[1])
        engine.advance(trade, quote, now)
    elif kind in ("add", "reduce"):
        _, order_type, amount, price = action
        if kind == "add":
            units = Decimal(amount)
            price_value = Decimal(price) if order_type == "limit" else None
            commands.add_funds(trade, quote, order_type, units, price_value, next(ids), now)
        else:
            units = mul(trade.reducible(), Decimal(amount))
            if units > 0:
                price_value = Decimal(price) if order_type == "limit" else None
                commands.reduce_funds(trade, quote, order_type, units, price_value, next(ids), now)
    elif kind in ("cancel_order", "close_order"):
        candidates = [o for o in trade.orders() if o.open]
        if kind == "cancel_order":
            candidates = [o for o in candidates if order_available(trade, o, OrderAction.CANCEL)]
        if candidates:
            order = candidates[action[1] % len(candidates)]
            if kind == "cancel_order":
                commands.cancel_order(trade, order, now)
            else:
                commands.close_order_by_market(trade, order, quote, now)
    elif kind == "close_by_market":
        commands.close_by_market(trade, quote, next(ids), now)
    elif kind == "cancel":
        commands.cancel(trade, now)
    else:
        commands.force_start(trade, quote, now)
    return quote


def run(body: dict[str, Any], steps: list[tuple[Any, ...]]) -> None:
    ids = itertools.count(1)
    quote = _quote("100")
    trade = create_trade(body, 1, "owner", ACCOUNT, quote, lambda: next(ids), START)
    engine.advance(trade, quote, START)
    check(trade, quote)
    for index, action in enumerate(steps):
        now = START + timedelta(seconds=index + 1)
        try:
            quote = act(trade, action, quote, ids, now)
        except ApiError as error:
            assert error.status in (400, 422)  # not allowed now: nothing changed
        check(trade, quote)
    for order in trade.orders():
        TRADE.validate(render.render_order(trade, order))


SETTINGS = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(body=trades(ORDINARY), steps=actions(ORDINARY))
def test_units_are_conserved_through_any_sequence_of_actions(
    body: dict[str, Any], steps: list[tuple[Any, ...]]
) -> None:
    run(body, steps)


@SETTINGS
@given(body=trades(EXTREME), steps=actions(EXTREME))
def test_extreme_admitted_values_never_raise_and_conserve_units(
    body: dict[str, Any], steps: list[tuple[Any, ...]]
) -> None:
    """Every value at the ends of the admitted ranges (1e-40 .. 1e30, 100 digits, percents of
    +-1e30) and every quote between them: no arithmetic error, exact units, answers per the spec."""
    run(body, steps)
