"""The ver1 (deprecated) SmartTrade's enums: its statuses, its steps' statuses, the kinds of
SmartTrade and of step, and what the list's `scope` filter matches.

The only place a ver1 status or kind is spelt out: everything else names the enum members. Values
are the strings `SmartTradeV1` and `SmartTradeV1Step` carry in openapi/3commas.yaml (seed 002's
`SmartTradeEntity` / `SmartTradeStepEntity`).
"""

from __future__ import annotations

from enum import StrEnum


class V1Status(StrEnum):
    """`SmartTradeV1.status`."""

    # Waiting for the entry.
    CONDITIONAL_ORDER_WAITING_PRICE = "conditional_order_waiting_price"
    TRAILING_BUY_ACTIVATED = "trailing_buy_activated"
    BUY_ORDER_PLACED = "buy_order_placed"
    # Holding the position (SmartTrade, SmartSale, SmartCover).
    BOUGHT = "bought"
    TRAILING_TAKE_PROFIT_ACTIVATED = "trailing_take_profit_activated"
    TAKE_PROFIT_ORDER_PLACED = "take_profit_order_placed"
    STOP_LOSS_ORDER_PLACED = "stop_loss_order_placed"
    # Known; never reached here: a simulated panic sell fills at once.
    PANIC_SELL_ORDER_PLACED = "panic_sell_order_placed"
    # Ended.
    TAKE_PROFIT_FINISHED = "take_profit_finished"
    STOP_LOSS_FINISHED = "stop_loss_finished"
    PANIC_SELL_FINISHED = "panic_sell_finished"
    SIMPLE_TRADE_FINISHED = "simple_trade_finished"
    CANCELLED = "cancelled"
    FAILED = "failed"  # known to the API and the list's scope; never reached here


class V1StepStatus(StrEnum):
    """`SmartTradeV1Step.status`."""

    IDLE = "idle"  # waiting for its price
    ENQUEUED = "enqueued"  # triggered: trailing, or its limit order on the book
    NEED_CHECK = "need_check"  # known; never set here
    PROCESSED = "processed"  # filled
    SKIPPED = "skipped"  # never ran: the SmartTrade ended another way
    FAILED = "failed"  # known; never set here
    CANCELLED = "cancelled"  # cancelled by the user (cancel_order_v1, cancel_smart_trade_v1)
    PANIC_SOLD = "panic_sold"  # sold at market by step_panic_sell_v1


class V1Kind(StrEnum):
    """`SmartTradeV1.type`: which create made the SmartTrade, and whether its entry is conditional."""

    CLASSIC = "SmartTrade::Classic"
    CONDITIONAL_BUY = "SmartTrade::ConditionalBuy"
    SMART_SALE = "SmartTrade::SmartSale"
    SELL_BUY_BACK = "SmartTrade::SellBuyBack"  # a SmartCover
    CONDITIONAL_SELL = "SmartTrade::ConditionalSell"  # a conditional SmartCover
    SIMPLE_BUY = "SmartTrade::SimpleBuy"
    CONDITIONAL_SIMPLE_BUY = "SmartTrade::ConditionalSimpleBuy"
    SIMPLE_SELL = "SmartTrade::SimpleSell"
    CONDITIONAL_SIMPLE_SELL = "SmartTrade::ConditionalSimpleSell"


class V1StepType(StrEnum):
    """`SmartTradeV1Step.type`. The entry steps' types are not in 002's list (which names only take
    profit and stop loss steps): `BuyStep` / `SellStep` are this server's assumption."""

    TAKE_PROFIT = "SmartTradeStep::TakeProfitStep"
    TRAILING_TAKE_PROFIT = "SmartTradeStep::TrailingTakeProfitStep"
    TAKE_PROFIT_BUY = "SmartTradeStep::TakeProfitBuyStep"
    TRAILING_TAKE_PROFIT_BUY = "SmartTradeStep::TrailingTakeProfitBuyStep"
    STOP_LOSS = "SmartTradeStep::StopLossStep"
    TRAILING_STOP_LOSS = "SmartTradeStep::TrailingStopLossStep"
    STOP_LOSS_BUY = "SmartTradeStep::StopLossBuyStep"
    TRAILING_STOP_LOSS_BUY = "SmartTradeStep::TrailingStopLossBuyStep"
    BUY = "SmartTradeStep::BuyStep"
    SELL = "SmartTradeStep::SellStep"


class V1Purpose(StrEnum):
    """What a step is for (which of the SmartTrade's step arrays holds it)."""

    ENTRY = "buy"
    TAKE_PROFIT = "take_profit"
    STOP_LOSS = "stop_loss"
    PANIC_SELL = "panic_sell"


WAITING: frozenset[V1Status] = frozenset(
    {
        V1Status.CONDITIONAL_ORDER_WAITING_PRICE,
        V1Status.TRAILING_BUY_ACTIVATED,
        V1Status.BUY_ORDER_PLACED,
    }
)
HOLDING: frozenset[V1Status] = frozenset(
    {
        V1Status.BOUGHT,
        V1Status.TRAILING_TAKE_PROFIT_ACTIVATED,
        V1Status.TAKE_PROFIT_ORDER_PLACED,
        V1Status.STOP_LOSS_ORDER_PLACED,
        V1Status.PANIC_SELL_ORDER_PLACED,
    }
)
TERMINAL: frozenset[V1Status] = frozenset(V1Status) - WAITING - HOLDING
OPEN_STEP: frozenset[V1StepStatus] = frozenset(
    {V1StepStatus.IDLE, V1StepStatus.ENQUEUED, V1StepStatus.NEED_CHECK}
)

SIMPLE: frozenset[V1Kind] = frozenset(
    {
        V1Kind.SIMPLE_BUY,
        V1Kind.CONDITIONAL_SIMPLE_BUY,
        V1Kind.SIMPLE_SELL,
        V1Kind.CONDITIONAL_SIMPLE_SELL,
    }
)
CONDITIONAL: frozenset[V1Kind] = frozenset(
    {
        V1Kind.CONDITIONAL_BUY,
        V1Kind.CONDITIONAL_SELL,
        V1Kind.CONDITIONAL_SIMPLE_BUY,
        V1Kind.CONDITIONAL_SIMPLE_SELL,
    }
)
SHORT: frozenset[V1Kind] = frozenset(
    {
        V1Kind.SELL_BUY_BACK,
        V1Kind.CONDITIONAL_SELL,
        V1Kind.SIMPLE_SELL,
        V1Kind.CONDITIONAL_SIMPLE_SELL,
    }
)

# What each value of the list's `scope` filter matches; any other value (or none) matches all.
SCOPES: dict[str, frozenset[V1Status]] = {
    "active": WAITING | HOLDING,
    "finished": frozenset(
        {
            V1Status.TAKE_PROFIT_FINISHED,
            V1Status.STOP_LOSS_FINISHED,
            V1Status.PANIC_SELL_FINISHED,
            V1Status.SIMPLE_TRADE_FINISHED,
        }
    ),
    "cancelled": frozenset({V1Status.CANCELLED}),
    "failed": frozenset({V1Status.FAILED}),
}
