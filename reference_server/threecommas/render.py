"""SmartTrades, their steps and their trades as the API answers them.

Every availability flag is the machine's answer (`available`, `order_available`), the same one the
commands' guards act on.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ..decimals import HUNDRED, ZERO, add, div, fmt, fmt_opt, mul, neg, round_places, sub
from ..prices import Quote
from .machine import Action, OrderAction, available, order_available
from .model import Order, SmartTrade
from .statuses import Purpose, status_body


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _iso_opt(moment: datetime | None) -> str | None:
    return iso(moment) if moment else None


def _step_data(trade: SmartTrade, order: Order) -> dict[str, Any]:
    return {
        "cancelable": order_available(trade, order, OrderAction.CANCEL),
        "panic_sell_available": order_available(trade, order, OrderAction.CLOSE),
    }


def render_step(trade: SmartTrade, step: Order) -> dict[str, Any]:
    """A take profit step."""
    return {
        "id": step.id,
        "order_type": step.order_type,
        "editable": step.open and available(trade, Action.UPDATE),
        "units": {"value": fmt(step.units)},
        "price": {
            "type": step.price_kind,
            "value": fmt_opt(step.price),
            "percent": fmt_opt(step.percent),
        },
        "volume": fmt(step.volume or ZERO),
        "total": fmt(mul(step.units, step.fill_price or step.price or ZERO)),
        "trailing": {
            "enabled": step.trailing_percent is not None,
            "percent": fmt_opt(step.trailing_percent),
        },
        "status": status_body(step.status),
        "data": _step_data(trade, step),
        "position": step.position,
        "closed_at": _iso_opt(step.closed_at),
    }


def render_funds_step(trade: SmartTrade, order: Order) -> dict[str, Any]:
    """A reduce-funds order, or the market close."""
    return {
        "id": order.id,
        "type": order.order_type,
        "status": status_body(order.status),
        "units": {"value": fmt(order.units)},
        "price": {
            "value": fmt_opt(order.fill_price or order.price),
            "value_without_commission": fmt_opt(order.fill_price or order.price),
        },
        "total": {"value": fmt(mul(order.units, order.fill_price or order.price or ZERO))},
        "data": _step_data(trade, order),
    }


def render_stop_loss(trade: SmartTrade) -> dict[str, Any]:
    sl = trade.sl_order
    if trade.sl is None or sl is None:
        return {"enabled": False}
    return {
        "enabled": True,
        "price_type": "percent" if sl.percent is not None else "value",
        "breakeven": bool(trade.sl.get("breakeven")),
        "order_type": sl.order_type,
        "editable": available(trade, Action.UPDATE),
        "status": status_body(sl.status),
        "units": {"value": fmt(sl.units)},
        "total": {"value": fmt(mul(sl.units, sl.fill_price or sl.price or ZERO))},
        "price": {"value": fmt_opt(trade.sl.get("limit_price"))},
        "conditional": {
            "price": {
                "value": fmt_opt(sl.price),
                "type": sl.price_kind,
                "percent": fmt_opt(sl.percent),
            },
            "trailing": {
                "enabled": sl.trailing_percent is not None,
                "percent": fmt_opt(sl.trailing_percent),
            },
        },
        "timeout": {
            "enabled": trade.sl.get("timeout") is not None,
            "value": trade.sl.get("timeout"),
        },
    }


def render_position(trade: SmartTrade) -> dict[str, Any]:
    pos = trade.position
    editable = available(trade, Action.EDIT_POSITION)
    price = pos.fill_price if pos.fill_price is not None else pos.price
    out: dict[str, Any] = {
        "type": trade.side,
        "editable": editable,
        "units": {"value": fmt(pos.units), "editable": editable},
        "price": {
            "value": fmt_opt(price),
            "value_without_commission": fmt_opt(price),
            "editable": editable,
        },
        "total": {"value": fmt_opt(mul(pos.units, price) if price is not None else None)},
        "order_type": trade.entry_type,
        "status": status_body(pos.status),
    }
    cond = trade.conditional
    if cond is not None:
        out["conditional"] = {
            "editable": editable and not trade.triggered,
            "price": {"value": fmt(cond["price"]), "type": cond["price_kind"]},
            "order_type": cond["order_type"],
            "trailing": {
                "enabled": cond.get("trailing_percent") is not None,
                "percent": fmt_opt(cond.get("trailing_percent")),
                "editable": editable and not trade.triggered,
            },
        }
    return out


def availability(trade: SmartTrade) -> dict[str, bool]:
    """The `data.*_available` flags (and `data.editable`), straight from the machine."""
    return {
        "editable": available(trade, Action.UPDATE),
        "panic_sell_available": available(trade, Action.CLOSE_BY_MARKET),
        "add_funds_available": available(trade, Action.ADD_FUNDS),
        "reduce_funds_available": available(trade, Action.REDUCE_FUNDS),
        "force_start_available": available(trade, Action.FORCE_START),
        "force_process_available": available(trade, Action.FORCE_PROCESS),
        "cancel_available": available(trade, Action.CANCEL),
    }


def _profit(trade: SmartTrade, quote: Quote) -> tuple[Decimal | None, Decimal]:
    """Realised plus unrealised (open units at the exit quote), in quote currency, and percent."""
    average_enter = trade.average_enter()
    if average_enter is None:
        return None, ZERO
    entered_total = trade.entered_total()
    exit_price = quote.bid if trade.long else quote.ask
    open_value = mul(trade.remaining(), sub(exit_price, average_enter))
    closed_value = sub(trade.closed_total(), mul(trade.closed_amount(), average_enter))
    profit = add(open_value, closed_value)
    if not trade.long:
        profit = neg(profit)
    percent = div(mul(profit, HUNDRED), entered_total) if entered_total else ZERO
    return profit, percent


def render(trade: SmartTrade, quote: Quote) -> dict[str, Any]:
    """A `SmartTrade`."""
    average_enter = trade.average_enter()
    average_close = trade.average_close()
    profit, percent = _profit(trade, quote)
    leverage = dict(trade.leverage)
    if "value" in leverage and leverage["value"] is not None:
        leverage["value"] = fmt(leverage["value"])
    flags = availability(trade)
    position_filled = trade.position.filled
    return {
        "id": trade.id,
        "version": 2,
        "account": trade.account.render(),
        "pair": trade.pair,
        "instant": trade.instant,
        "status": status_body(trade.status),
        "leverage": leverage,
        "position": render_position(trade),
        "take_profit": {
            "enabled": trade.tp_enabled,
            "price_type": trade.tp_price_type,
            "steps": [render_step(trade, s) for s in trade.steps],
        },
        "stop_loss": render_stop_loss(trade),
        "reduce_funds": {"steps": [render_funds_step(trade, o) for o in trade.reduce_funds]},
        "market_close": render_funds_step(trade, trade.market_close) if trade.market_close else {},
        "note": trade.note,
        "note_raw": trade.note or None,
        "skip_enter_step": trade.skip_enter_step,
        "data": {
            "editable": flags["editable"],
            "current_price": {
                "bid": fmt(quote.bid),
                "ask": fmt(quote.ask),
                "last": fmt(quote.last),
                "quote_volume": "0.0",
                "day_change_percent": "0.0",
            },
            "target_price_type": "price",
            "orderbook_price_currency": trade.pair.split("_", 1)[0],
            "base_order_finished": position_filled,
            "missing_funds_to_close": "0.0",
            "liquidation_price": None,
            "average_enter_price": fmt_opt(average_enter),
            "average_close_price": fmt_opt(average_close),
            "average_enter_price_without_commission": fmt_opt(average_enter),
            "average_close_price_without_commission": fmt_opt(average_close),
            "panic_sell_available": flags["panic_sell_available"],
            "add_funds_available": flags["add_funds_available"],
            "reduce_funds_available": flags["reduce_funds_available"],
            "force_start_available": flags["force_start_available"],
            "force_process_available": flags["force_process_available"],
            "cancel_available": flags["cancel_available"],
            "finished": trade.terminal,
            "base_position_step_finished": position_filled,
            "entered_amount": fmt(trade.entered_amount()),
            "entered_total": fmt(trade.entered_total()),
            "closed_amount": fmt(trade.closed_amount()),
            "closed_total": fmt(trade.closed_total()),
            "commission": "0.0",
            "created_at": iso(trade.created_at),
            "updated_at": iso(trade.updated_at),
            "closed_at": _iso_opt(trade.closed_at),
            "type": trade.kind,
        },
        "profit": {
            "volume": fmt_opt(profit),
            "usd": fmt_opt(profit),
            "percent": fmt(round_places(percent, 2)),
            "roe": None,
        },
        "margin": {"amount": None, "total": None},
        "is_position_not_filled": not position_filled,
    }


def render_order(trade: SmartTrade, order: Order) -> dict[str, Any]:
    """A `Trade`: a row of `GET /v2/smart_trades/{id}/trades`."""
    filled = order.filled
    total_basis = order.fill_price or order.price
    return {
        "id": order.id,
        "average_price": fmt_opt(order.fill_price),
        "follow_price_type": order.price_kind,
        "initial_amount": fmt(order.units),
        "initial_total": fmt_opt(mul(order.units, total_basis) if total_basis else None),
        "initial_price": fmt_opt(order.price),
        "order_price": fmt_opt(order.price if order.order_type == "limit" else order.fill_price),
        "order_side": order.side,
        "order_type": order.order_type,
        "pair": trade.pair,
        "position_percentage": fmt_opt(order.volume),
        "realised_amount": fmt(order.units if filled else ZERO),
        "realised_total": fmt(order.filled_total),
        "realised_percentage": "100.0" if filled else "0.0",
        "realised_price": fmt_opt(order.fill_price),
        "status": order.status.value,
        "take_profit_percentage": fmt_opt(order.percent)
        if order.purpose is Purpose.TAKE_PROFIT
        else None,
        "trade_purpose": order.purpose.value,
        "trail_percentage": fmt_opt(order.trailing_percent),
        "trail_value": None,
        "trailing_enabled": order.trailing_percent is not None,
        "trailing_last_price": fmt_opt(order.trailing_extreme),
        "trailing_last_price_updated_at": _iso_opt(order.trailing_updated_at),
        "trigger_condition": order.condition,
        "trigger_price": fmt_opt(order.price)
        if order.purpose in (Purpose.TAKE_PROFIT, Purpose.STOP_LOSS)
        else None,
        "trigger_price_percentage": fmt_opt(order.percent),
        "trigger_type": "none" if order.condition is None else "price",
        "created_at": iso(order.created_at),
        "updated_at": iso(order.updated_at),
        "cancelable": order_available(trade, order, OrderAction.CANCEL),
        "force_processable": order.open and available(trade, Action.FORCE_PROCESS),
    }
