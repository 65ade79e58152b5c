"""Validated request bodies into a new SmartTrade (create) or changes to one (update)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..decimals import ZERO, to_decimal
from ..prices import Quote
from ..values import as_bool, get, present
from .engine import place_limit_steps, place_targets
from .machine import Action, allows, move, move_order, require
from .model import Order, SmartTrade
from .statuses import OrderStatus, Purpose, TradeStatus
from .users import Account

NewId = Callable[[], int]


def _dec(value: Any) -> Decimal | None:
    return to_decimal(value) if present(value) else None


def _kind(side: str, instant: bool, skip_enter_step: bool) -> str:
    if instant:
        return "simple_buy" if side == "buy" else "simple_sell"
    if skip_enter_step:
        return "smart_sell" if side == "buy" else "smart_cover"
    return "smart_trade"


def _leverage(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not as_bool(raw.get("enabled")):
        return {"enabled": False}
    return {
        "enabled": True,
        "type": raw.get("type"),
        "value": _dec(raw.get("value")),
        "type_editable": False,
    }


def _steps(raw: Any, exit_side: str, new_id: NewId, now: datetime, first: int) -> list[Order]:
    if not isinstance(raw, dict) or not as_bool(raw.get("enabled")):
        return []
    steps: list[Order] = []
    for index, step in enumerate(raw.get("steps") or []):
        trailing = step.get("trailing")
        trailing_on = isinstance(trailing, dict) and as_bool(trailing.get("enabled"))
        steps.append(
            Order(
                id=new_id(),
                purpose=Purpose.TAKE_PROFIT,
                side=exit_side,
                order_type=step["order_type"],
                units=ZERO,
                created_at=now,
                updated_at=now,
                price=_dec(get(step, "price", "value")),
                price_kind=get(step, "price", "type") or "last",
                percent=_dec(get(step, "price", "percent")),
                trailing_percent=_dec(trailing.get("percent"))
                if isinstance(trailing, dict) and trailing_on
                else None,
                volume=to_decimal(step["volume"]),
                position=first + index + 1,
            )
        )
    return steps


def _stop_loss(
    raw: Any, long: bool, new_id: NewId, now: datetime
) -> tuple[dict[str, Any] | None, Order | None]:
    if not isinstance(raw, dict) or not as_bool(raw.get("enabled")):
        return None, None
    cond: dict[str, Any] = raw.get("conditional") or {}
    trailing = cond.get("trailing")
    trailing_on = isinstance(trailing, dict) and as_bool(trailing.get("enabled"))
    timeout = raw.get("timeout")
    timeout_on = isinstance(timeout, dict) and as_bool(timeout.get("enabled"))
    timeout_value = (
        int(to_decimal(timeout["value"])) if timeout_on and isinstance(timeout, dict) else None
    )
    order = Order(
        id=new_id(),
        purpose=Purpose.STOP_LOSS,
        side="sell" if long else "buy",
        order_type=raw["order_type"],
        units=ZERO,
        created_at=now,
        updated_at=now,
        price=_dec(get(cond, "price", "value")),
        price_kind=get(cond, "price", "type") or ("bid" if long else "ask"),
        percent=_dec(get(cond, "price", "percent")),
        trailing_percent=_dec(trailing.get("percent"))
        if isinstance(trailing, dict) and trailing_on
        else None,
        condition="less" if long else "greater",
    )
    settings = {
        "breakeven": as_bool(raw.get("breakeven")),
        "timeout": timeout_value,
        "limit_price": _dec(get(raw, "price", "value")) if raw["order_type"] == "limit" else None,
    }
    return settings, order


def _conditional(raw: Any, long: bool, quote: Quote) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    kind = get(raw, "price", "type") or ("ask" if long else "bid")
    price = to_decimal(get(raw, "price", "value"))
    trailing = raw.get("trailing")
    trailing_on = isinstance(trailing, dict) and as_bool(trailing.get("enabled"))
    return {
        "price": price,
        "price_kind": kind,
        "order_type": raw.get("order_type", "market"),
        "trailing_percent": _dec(trailing.get("percent"))
        if isinstance(trailing, dict) and trailing_on
        else None,
        # The trigger fires when the price crosses from where it is now.
        "condition": "greater" if price > quote.get(kind) else "less",
    }


def create_trade(
    body: dict[str, Any],
    trade_id: int,
    owner: str,
    account: Account,
    quote: Quote,
    new_id: NewId,
    now: datetime,
) -> SmartTrade:
    position = body["position"]
    side = position["type"]
    long = side == "buy"
    instant = as_bool(body.get("instant"))
    skip = as_bool(body.get("skip_enter_step"))
    entry_type = position["order_type"]
    conditional = (
        _conditional(position.get("conditional"), long, quote)
        if entry_type == "conditional"
        else None
    )
    order_type = conditional["order_type"] if conditional else entry_type
    pos = Order(
        id=new_id(),
        purpose=Purpose.POSITION,
        side=side,
        order_type=order_type,
        units=to_decimal(get(position, "units", "value")),
        created_at=now,
        updated_at=now,
        price=_dec(get(position, "price", "value")),
        price_kind=conditional["price_kind"] if conditional else ("ask" if long else "bid"),
        trailing_percent=conditional["trailing_percent"] if conditional else None,
        condition=conditional["condition"] if conditional else None,
        status=OrderStatus.ORDER_PLACED
        if order_type == "limit" and not conditional
        else OrderStatus.IDLE,
    )
    steps = (
        []
        if instant
        else _steps(body.get("take_profit"), "sell" if long else "buy", new_id, now, 0)
    )
    sl, sl_order = (None, None) if instant else _stop_loss(body.get("stop_loss"), long, new_id, now)
    note = body.get("note")
    trade = SmartTrade(
        id=trade_id,
        owner=owner,
        account=account,
        pair=body["pair"],
        side=side,
        kind=_kind(side, instant, skip),
        instant=instant,
        skip_enter_step=skip,
        entry_type=entry_type,
        position=pos,
        created_at=now,
        updated_at=now,
        leverage=_leverage(body.get("leverage")),
        conditional=conditional,
        tp_enabled=bool(steps),
        tp_price_type="percent"
        if any(s.percent is not None and s.price is None for s in steps)
        else "value",
        steps=steps,
        sl=sl,
        sl_order=sl_order,
        note=note if isinstance(note, str) else "",
    )
    if skip:
        # Smart sell / smart cover: the user already holds the position at the given price.
        move_order(pos, OrderStatus.FINISHED)
        pos.fill_price = pos.price if pos.price is not None else quote.last
        pos.closed_at = now
        move(trade, TradeStatus.WAITING_TARGETS, now)
        place_targets(trade, now)
    return trade


def apply_update(
    trade: SmartTrade, body: dict[str, Any], quote: Quote, new_id: NewId, now: datetime
) -> None:
    """PATCH: each group given replaces the trade's settings for that group."""
    require(trade, Action.UPDATE)
    position = body.get("position")
    edit_position = allows(trade.status, Action.EDIT_POSITION)
    if isinstance(position, dict) and edit_position:
        units = _dec(get(position, "units", "value"))
        if units is not None:
            trade.position.units = units
        price = _dec(get(position, "price", "value"))
        if price is not None:
            trade.position.price = price
        if (
            isinstance(position.get("conditional"), dict)
            and trade.conditional
            and not trade.triggered
        ):
            merged = {**position["conditional"]}
            merged.setdefault("order_type", trade.conditional["order_type"])
            if not present(get(merged, "price", "value")):
                merged["price"] = {
                    **(merged.get("price") or {}),
                    "value": trade.conditional["price"],
                }
            trade.conditional = _conditional(merged, trade.long, quote)
            assert trade.conditional is not None
            trade.position.trailing_percent = trade.conditional["trailing_percent"]
            trade.position.order_type = trade.conditional["order_type"]
    if "leverage" in body and edit_position:
        trade.leverage = _leverage(body.get("leverage"))
    if "take_profit" in body and not trade.instant:
        kept = [s for s in trade.steps if not s.open]
        for step in trade.steps:
            if step.open:
                move_order(step, OrderStatus.CANCELLED)
        fresh = _steps(body.get("take_profit"), trade.exit_side, new_id, now, len(kept))
        trade.steps = kept + fresh
        trade.tp_enabled = bool(trade.steps)
        if fresh:
            trade.tp_price_type = (
                "percent"
                if any(s.percent is not None and s.price is None for s in fresh)
                else "value"
            )
    if "stop_loss" in body and not trade.instant:
        trade.sl, trade.sl_order = _stop_loss(body.get("stop_loss"), trade.long, new_id, now)
    trade.updated_at = now
    if allows(trade.status, Action.FILL_TARGETS):
        # The position is in: new steps go on the book and share it.
        place_limit_steps(trade)
        place_targets(trade, now)
