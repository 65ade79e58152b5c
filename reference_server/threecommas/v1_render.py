"""ver1 SmartTrades and steps as the deprecated API answers them (`SmartTradeV1`,
`SmartTradeV1Step`): flat fields, decimals as strings, the steps in four arrays, timestamps in the
ISO 8601 form current payloads use (`TimestampV1` admits it and 002's space form).

The `editable`, `cancellable` and `panic_sellable` flags are the machine's answer (`available`),
the same one the commands' guards act on.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..decimals import HUNDRED, ZERO, add, div, fmt, fmt_opt, mul, neg, round_places, sub
from ..prices import Quote
from .render import iso
from .v1_machine import V1Action, available
from .v1_model import V1Step, V1Trade
from .v1_statuses import V1Purpose, V1StepType

_EXIT_TYPES: dict[tuple[V1Purpose, bool, bool], V1StepType] = {
    # (purpose, trailing, long)
    (V1Purpose.TAKE_PROFIT, False, True): V1StepType.TAKE_PROFIT,
    (V1Purpose.TAKE_PROFIT, True, True): V1StepType.TRAILING_TAKE_PROFIT,
    (V1Purpose.TAKE_PROFIT, False, False): V1StepType.TAKE_PROFIT_BUY,
    (V1Purpose.TAKE_PROFIT, True, False): V1StepType.TRAILING_TAKE_PROFIT_BUY,
    (V1Purpose.STOP_LOSS, False, True): V1StepType.STOP_LOSS,
    (V1Purpose.STOP_LOSS, True, True): V1StepType.TRAILING_STOP_LOSS,
    (V1Purpose.STOP_LOSS, False, False): V1StepType.STOP_LOSS_BUY,
    (V1Purpose.STOP_LOSS, True, False): V1StepType.TRAILING_STOP_LOSS_BUY,
}


def _iso_opt(moment: Any) -> str | None:
    return iso(moment) if moment is not None else None


def market_class(trade: V1Trade) -> str:
    """`BinanceMarket` from the account type `binance` (`binance_us` -> `BinanceUsMarket`)."""
    return "".join(part.capitalize() for part in trade.account.type.split("_")) + "Market"


def step_type(trade: V1Trade, step: V1Step) -> V1StepType:
    if step.purpose in (V1Purpose.ENTRY, V1Purpose.PANIC_SELL):
        return V1StepType.BUY if step.side == "buy" else V1StepType.SELL
    return _EXIT_TYPES[step.purpose, step.trailing_percent is not None, trade.long]


def render_step(trade: V1Trade, step: V1Step) -> dict[str, Any]:
    """A `SmartTradeV1Step`."""
    basis = step.fill_price if step.fill_price is not None else step.price
    return {
        "id": step.id,
        "editable": step.open
        and step.purpose is not V1Purpose.ENTRY
        and available(trade, V1Action.UPDATE),
        "position": step.position,
        "order_id": step.order_ref if step.placed_at is not None else None,
        "smart_trade_id": trade.id,
        "is_panic_sell": step.is_panic_sell,
        "created_at": iso(step.created_at),
        "updated_at": iso(step.updated_at),
        "trailing_last_price_updated_at": _iso_opt(step.trailing_updated_at),
        "type": step_type(trade, step).value,
        "price": fmt_opt(step.price),
        "average_result_price": fmt_opt(step.fill_price),
        "deviation_condition": fmt_opt(step.trailing_percent),
        "price_method": step.price_method,
        "trailing_last_price": fmt_opt(step.trailing_extreme),
        "sell_method": step.sell_method,
        "sell_order_price": fmt_opt(step.sell_order_price),
        "percent": fmt_opt(step.percent),
        "pair": trade.pair,
        "initial_amount": fmt(step.units),
        "initial_total": fmt_opt(mul(step.units, basis) if basis is not None else None),
        "actual_amount": fmt(step.filled_units),
        "actual_total": fmt(step.filled_total),
        "status": step.status.value,
        "market_order_id": step.order_ref
        if step.placed_at is not None and step.sell_method == "market"
        else None,
        "market_class": market_class(trade),
        "price_percentage": fmt_opt(step.price_percentage),
    }


def _profit(trade: V1Trade, quote: Quote) -> tuple[Decimal | None, Decimal | None]:
    """Realised plus unrealised (open units at the exit quote), in quote currency, and percent."""
    average = trade.average_enter()
    if average is None:
        return None, None
    exit_price = quote.bid if trade.long else quote.ask
    open_value = mul(trade.remaining(), sub(exit_price, average))
    closed_value = sub(trade.closed_total(), mul(trade.closed_amount(), average))
    profit = add(open_value, closed_value)
    if not trade.long:
        profit = neg(profit)
    entered = trade.entered_total()
    percent = div(mul(profit, HUNDRED), entered) if entered else ZERO
    return profit, round_places(percent, 2)


def render(trade: V1Trade, quote: Quote) -> dict[str, Any]:
    """A `SmartTradeV1`."""
    tp, sl = trade.take_profit, trade.stop_loss
    tp_step = next(iter(trade.open_take_profits()), None)
    sl_step = trade.open_stop_loss() or next(iter(trade.stop_loss_steps[-1:]), None)
    profit, percent = _profit(trade, quote)
    quote_code, _, base_code = trade.pair.partition("_")
    average = trade.average_enter()
    price = trade.buy_price if trade.buy_price is not None else average
    return {
        "id": trade.id,
        "account_id": trade.account.id,
        "trailing_stop_loss": sl.trailing,
        "from_currency_id": None,
        "trailing_stop_loss_condition_percentage": fmt_opt(
            sl_step.trailing_percent if sl_step is not None else None
        ),
        "trailing_take_profit": tp.trailing,
        "stop_loss_enabled": sl.enabled,
        "panic_sell_market_order_id": trade.panic_sell_market_order_id,
        "take_profit_enabled": tp.enabled,
        "trailing_buy_enabled": trade.trailing_buy_enabled,
        "stop_loss_timeout_seconds": sl.timeout_seconds,
        "stop_loss_timeout_enabled": sl.timeout_enabled,
        "panic_sellable": available(trade, V1Action.PANIC_SELL),
        "editable": available(trade, V1Action.UPDATE),
        "finished": trade.terminal,
        "cancellable": available(trade, V1Action.CANCEL),
        "created_at": iso(trade.created_at),
        "updated_at": iso(trade.updated_at),
        "trailing_stop_loss_last_price_updated_at": _iso_opt(
            sl_step.trailing_updated_at if sl_step is not None else None
        ),
        "trailing_take_profit_last_price_updated_at": _iso_opt(
            tp_step.trailing_updated_at if tp_step is not None else None
        ),
        "closed_at": _iso_opt(trade.closed_at),
        "status": trade.status.value,
        "take_profit_price_condition": fmt_opt(
            tp_step.price if tp_step is not None else tp.price_condition
        ),
        "take_profit_price_order": fmt_opt(tp.sell_order_price),
        "stop_loss_price_condition": fmt_opt(
            sl_step.price if sl_step is not None else sl.price_condition
        ),
        "stop_loss_price_order": fmt_opt(sl.sell_order_price),
        "units_to_buy": fmt(trade.units_to_buy),
        "buy_price": fmt_opt(price),
        "total": fmt_opt(mul(trade.units_to_buy, price) if price is not None else None),
        "average_buy_price": fmt_opt(average),
        "average_sell_price": fmt_opt(trade.average_close()),
        "error_message": trade.error_message,
        "trailing_take_profit_step": fmt_opt(tp.trailing_step),
        "type": trade.kind.value,
        "stop_loss_price_method": sl.price_method if sl.enabled else None,
        "take_profit_price_method": tp.price_method if tp.enabled else None,
        "trailing_stop_loss_last_price": fmt_opt(
            sl_step.trailing_extreme if sl_step is not None else None
        ),
        "trailing_take_profit_last_price": fmt_opt(
            tp_step.trailing_extreme if tp_step is not None else None
        ),
        "note": trade.note,
        "buy_method": trade.buy_method,
        "take_profit_type": tp.type,
        "stop_loss_type": "classic" if sl.enabled else None,
        "stop_loss_sell_method": sl.sell_method if sl.enabled else None,
        "take_profit_sell_method": tp.sell_method if tp.enabled else None,
        "take_profit_sell_order_price": fmt_opt(tp.sell_order_price),
        "stop_loss_sell_order_price": fmt_opt(sl.sell_order_price),
        "trailing_buy_step": fmt_opt(trade.trailing_buy_step),
        "profit_percentage": fmt_opt(percent),
        "current_price": fmt(quote.last),
        "account_market": market_class(trade),
        "account_name": trade.account.name,
        "from_currency_code": base_code,
        "from_currency_name": None,
        "from_currency_display_name": None,
        "to_currency_code": quote_code,
        "to_currency_name": None,
        "to_currency_display_name": None,
        "usd_profit": fmt_opt(profit),
        "smart_trade_steps": [render_step(trade, s) for s in trade.steps()],
        "take_profit_steps": [render_step(trade, s) for s in trade.take_profit_steps],
        "stop_loss_steps": [render_step(trade, s) for s in trade.stop_loss_steps],
        "buy_steps": [render_step(trade, s) for s in trade.buy_steps],
    }


def render_order(trade: V1Trade, step: V1Step) -> dict[str, Any]:
    """A `SmartTradeV1Order` (add_funds_v1, `response_type: order`): the order a step placed.
    Only `id` is in the spec; the rest is what this server knows of it."""
    return {
        "id": step.order_ref,
        "smart_trade_id": trade.id,
        "step_id": step.id,
        "pair": trade.pair,
        "side": step.side,
        "order_type": step.sell_method,
        "quantity": fmt(step.units),
        "rate": fmt_opt(step.sell_order_price),
        "average_price": fmt_opt(step.fill_price),
        "created_at": iso(step.created_at),
    }
