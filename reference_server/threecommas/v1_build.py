"""ver1 request bodies into a new SmartTrade (the five creates) or changes to one (update).

The bodies are valid against their schemas and `v1_rules` when they get here. A new SmartTrade
starts with its entry placed (market, limit), trailing, or waiting for its price (conditional); a
SmartSale starts `bought`, at `average_buy_price`. The price engine takes it from there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..decimals import HUNDRED, to_decimal
from ..prices import Quote
from . import v1_engine
from .users import Account
from .v1_machine import move_step
from .v1_model import StopLossV1, TakeProfitV1, V1Step, V1Trade
from .v1_rules import as_bool, integer, number
from .v1_statuses import V1Kind, V1Purpose, V1Status, V1StepStatus

NewId = Callable[[], int]

# (create operation, conditional entry) -> kind. A SmartCover is `SellBuyBack` (conditional:
# `ConditionalSell`); SmartSale has no entry to choose.
KINDS: dict[tuple[str, bool], V1Kind] = {
    ("smart_trade", False): V1Kind.CLASSIC,
    ("smart_trade", True): V1Kind.CONDITIONAL_BUY,
    ("smart_cover", False): V1Kind.SELL_BUY_BACK,
    ("smart_cover", True): V1Kind.CONDITIONAL_SELL,
    ("simple_buy", False): V1Kind.SIMPLE_BUY,
    ("simple_buy", True): V1Kind.CONDITIONAL_SIMPLE_BUY,
    ("simple_sell", False): V1Kind.SIMPLE_SELL,
    ("simple_sell", True): V1Kind.CONDITIONAL_SIMPLE_SELL,
}


def _decimal(body: dict[str, Any], key: str) -> Decimal | None:
    return number(body.get(key))


def take_profit_settings(body: dict[str, Any]) -> TakeProfitV1:
    enabled = as_bool(body.get("take_profit_enabled"))
    trailing = enabled and as_bool(body.get("trailing_take_profit"))
    return TakeProfitV1(
        enabled=enabled,
        type=str(body["take_profit_type"]) if enabled and body.get("take_profit_type") else None,
        price_condition=_decimal(body, "take_profit_price_condition"),
        percentage_condition=_decimal(body, "take_profit_percentage_condition"),
        price_method=str(body.get("take_profit_price_method") or "bid"),
        sell_method=str(body.get("take_profit_sell_method") or "market"),
        sell_order_price=_decimal(body, "take_profit_sell_order_price"),
        trailing=trailing,
        trailing_step=_decimal(body, "trailing_take_profit_step") if trailing else None,
    )


def stop_loss_settings(body: dict[str, Any]) -> StopLossV1:
    enabled = as_bool(body.get("stop_loss_enabled"))
    timeout = integer(body.get("stop_loss_timeout_seconds"))
    return StopLossV1(
        enabled=enabled,
        price_condition=_decimal(body, "stop_loss_price_condition"),
        percentage_condition=_decimal(body, "stop_loss_percentage_condition"),
        price_method=str(body.get("stop_loss_price_method") or "bid"),
        sell_method=str(body.get("stop_loss_sell_method") or "market"),
        sell_order_price=_decimal(body, "stop_loss_sell_order_price"),
        trailing=enabled and as_bool(body.get("trailing_stop_loss")),
        timeout_enabled=enabled and as_bool(body.get("stop_loss_timeout_enabled")),
        timeout_seconds=300 if timeout is None else timeout,
    )


def _step(trade: V1Trade, purpose: V1Purpose, new_id: NewId, now: datetime, **kw: Any) -> V1Step:
    side = trade.entry_side if purpose is V1Purpose.ENTRY else trade.exit_side
    units = kw.pop("units", Decimal(0))
    return V1Step(
        new_id(),
        trade.id,
        purpose,
        side,
        kw.pop("sell_method", "market"),
        units,
        now,
        now,
        new_id(),
        **kw,
    )


def take_profit_steps(
    trade: V1Trade, orders: list[Any] | None, new_id: NewId, now: datetime
) -> list[V1Step]:
    """The steps of `trade.take_profit`: one for `classic`, one per order for `step_sell`."""
    tp = trade.take_profit
    if not tp.enabled:
        return []
    trailing = tp.trailing_step if tp.trailing else None
    if tp.type == "classic":
        return [
            _step(
                trade,
                V1Purpose.TAKE_PROFIT,
                new_id,
                now,
                sell_method=tp.sell_method,
                price=tp.price_condition,
                price_method=tp.price_method,
                percent=HUNDRED,
                position=1,
                sell_order_price=tp.sell_order_price if tp.sell_method == "limit" else None,
                trailing_percent=trailing,
            )
        ]
    steps = []
    for index, order in enumerate(orders or []):
        position = integer(order.get("position"))
        steps.append(
            _step(
                trade,
                V1Purpose.TAKE_PROFIT,
                new_id,
                now,
                sell_method=tp.sell_method,
                price=number(order.get("price")),
                price_method=str(order.get("price_method") or tp.price_method),
                price_percentage=number(order.get("price_percentage")),
                percent=to_decimal(order["percent"]),
                position=index + 1 if position is None else position,
                trailing_percent=trailing,
            )
        )
    return steps


def stop_loss_steps(trade: V1Trade, new_id: NewId, now: datetime) -> list[V1Step]:
    sl = trade.stop_loss
    if not sl.enabled:
        return []
    return [
        _step(
            trade,
            V1Purpose.STOP_LOSS,
            new_id,
            now,
            sell_method=sl.sell_method,
            price=sl.price_condition,
            price_method=sl.price_method,
            sell_order_price=sl.sell_order_price if sl.sell_method == "limit" else None,
        )
    ]


def create_trade(
    create: str,
    body: dict[str, Any],
    trade_id: int,
    owner: str,
    account: Account,
    quote: Quote,
    new_id: NewId,
    now: datetime,
) -> V1Trade:
    """`create` names the operation: smart_trade, smart_cover, smart_sell, simple_buy,
    simple_sell."""
    units = to_decimal(body["units_to_buy"])
    smart_sale = create == "smart_sell"
    buy_method = None if smart_sale else str(body.get("buy_method") or "limit")
    conditional = buy_method == "conditional"
    kind = V1Kind.SMART_SALE if smart_sale else KINDS[create, conditional]
    trailing_buy = not smart_sale and as_bool(body.get("trailing_buy_enabled"))
    buy_price = _decimal(body, "average_buy_price" if smart_sale else "buy_price")
    if smart_sale:
        status = V1Status.BOUGHT
    elif conditional:
        status = V1Status.CONDITIONAL_ORDER_WAITING_PRICE
    elif trailing_buy:
        status = V1Status.TRAILING_BUY_ACTIVATED
    else:
        status = V1Status.BUY_ORDER_PLACED
    trade = V1Trade(
        id=trade_id,
        owner=owner,
        account=account,
        pair=str(body["pair"]),
        kind=kind,
        buy_method=buy_method,
        units_to_buy=units,
        buy_price=buy_price,
        created_at=now,
        updated_at=now,
        status=status,
        conditional_limit_price=_decimal(body, "conditional_limit_price"),
        trailing_buy_enabled=trailing_buy,
        trailing_buy_step=(_decimal(body, "trailing_buy_step") or Decimal("5.0"))
        if trailing_buy
        else None,
        take_profit=take_profit_settings(body),
        stop_loss=stop_loss_settings(body),
        note=body.get("note"),
    )
    entry = _step(trade, V1Purpose.ENTRY, new_id, now, units=units, price=buy_price)
    trade.buy_steps.append(entry)
    if smart_sale:
        assert buy_price is not None
        v1_engine.fill(entry, buy_price, now)
    elif conditional:
        assert buy_price is not None
        trade.condition = "greater" if buy_price > quote.get(entry.price_method) else "less"
        if trade.conditional_limit_price is not None:
            entry.sell_method = "limit"
            entry.sell_order_price = trade.conditional_limit_price
    elif trailing_buy:
        v1_engine.start_trailing(entry, quote.get(entry.price_method), now)
    else:
        entry.sell_method = buy_method or "limit"
        if entry.sell_method == "limit":
            entry.sell_order_price = buy_price
        v1_engine.place(entry, now)
    entry.trailing_percent = trade.trailing_buy_step
    # Simple trades' bodies have no take profit or stop loss: both are off.
    trade.take_profit_steps = take_profit_steps(
        trade, body.get("take_profit_step_orders"), new_id, now
    )
    trade.stop_loss_steps = stop_loss_steps(trade, new_id, now)
    if smart_sale:
        v1_engine.place_targets(trade, now)
    return trade


def _replace(steps: list[V1Step], now: datetime) -> None:
    for step in steps:
        if step.open:
            move_step(step, V1StepStatus.CANCELLED, now)


def apply_update(
    trade: V1Trade, body: dict[str, Any], quote: Quote, new_id: NewId, now: datetime
) -> None:
    """New entry, take profit and stop loss settings (checked by `v1_rules.check_update`)."""
    entry = trade.entry
    if "buy_price" in body:
        price = to_decimal(body["buy_price"])
        trade.buy_price = entry.price = price
        trade.condition = "greater" if price > quote.get(entry.price_method) else "less"
    if "conditional_limit_price" in body and not trade.triggered and trade.condition is not None:
        trade.conditional_limit_price = to_decimal(body["conditional_limit_price"])
        entry.sell_method = "limit"
        entry.sell_order_price = trade.conditional_limit_price
    if "average_buy_price" in body:
        trade.buy_price = entry.fill_price = to_decimal(body["average_buy_price"])
    if "trailing_buy_enabled" in body:
        trade.trailing_buy_enabled = as_bool(body["trailing_buy_enabled"])
        if trade.trailing_buy_enabled and trade.trailing_buy_step is None:
            trade.trailing_buy_step = Decimal("5.0")
    if "trailing_buy_step" in body:
        trade.trailing_buy_step = to_decimal(body["trailing_buy_step"])
    entry.trailing_percent = trade.trailing_buy_step if trade.trailing_buy_enabled else None
    old_type = trade.take_profit.type
    trade.take_profit = take_profit_settings(body)
    orders = body.get("take_profit_step_orders")
    keep = trade.take_profit.type == "step_sell" == old_type and orders is None
    if keep:
        for step in trade.open_take_profits():
            step.price_method = trade.take_profit.price_method
            step.sell_method = trade.take_profit.sell_method
            step.trailing_percent = trade.take_profit.trailing_step
    else:
        _replace(trade.take_profit_steps, now)
        trade.take_profit_steps += take_profit_steps(trade, orders, new_id, now)
    _replace(trade.stop_loss_steps, now)
    trade.stop_loss = stop_loss_settings(body)
    trade.stop_loss_steps += stop_loss_steps(trade, new_id, now)
    trade.sl_crossed_at = None
    if "note" in body:
        trade.note = body["note"]
    trade.updated_at = now
    v1_engine.place_targets(trade, now)
