"""The ver1 rules the server enforces (openapi/3commas.curation.yaml, `api: ver1`, `enforced_by: server`):
what the schema cannot say, because it adds numbers up or depends on the stored SmartTrade.

- rule-v1-step-percent-sum: the take profit steps' `percent`s add up to exactly 100 (create and
  update);
- rule-v1-step-positions-unique: on update the steps' `position`s are unique, among themselves and
  against the SmartTrade's steps already sold;
- rule-v1-update-by-kind: on update `buy_price` and `trailing_buy_enabled` only for a conditional
  SmartTrade whose entry is still waiting, `average_buy_price` only for a SmartSale,
  `trailing_buy_step` only with trailing buy on, `take_profit_step_orders` only for a `step_sell`
  take profit;
- rule-v1-update-percentage-signs: on update the percentage conditions' signs follow the kind
  (SmartTrade, SmartSale: take profit positive, stop loss negative; SmartCover the other way).

Plus a magnitude guard on every decimal (the range decimals.py sizes its arithmetic for). Each
violation names its field as the request spells it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ..decimals import HUNDRED, ZERO, add, admitted, to_decimal
from .v1_model import V1Trade
from .v1_statuses import CONDITIONAL, V1Kind

Attributes = dict[str, list[str]]

_DECIMALS = (
    "units_to_buy",
    "buy_price",
    "average_buy_price",
    "conditional_limit_price",
    "trailing_buy_step",
    "take_profit_price_condition",
    "take_profit_percentage_condition",
    "take_profit_sell_order_price",
    "trailing_take_profit_step",
    "stop_loss_price_condition",
    "stop_loss_percentage_condition",
    "stop_loss_sell_order_price",
    "quantity",
    "rate",
)
_STEP_DECIMALS = ("percent", "price", "price_percentage")


def as_bool(value: Any) -> bool:
    """BooleanInput: JSON true/false or the strings 'true'/'false' (validated before)."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def number(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return to_decimal(value)
    except (InvalidOperation, ValueError):
        return None


def integer(value: Any) -> int | None:
    """IntegerInput / IdInput: an integer or a string of digits (validated before)."""
    found = number(value)
    if found is None or found != found.to_integral_value():
        return None
    return int(found)


class _Checker:
    def __init__(self) -> None:
        self.errors: Attributes = {}

    def add(self, path: str, message: str) -> None:
        messages = self.errors.setdefault(path, [])
        if message not in messages:
            messages.append(message)

    def magnitudes(self, body: dict[str, Any]) -> None:
        for key in _DECIMALS:
            value = number(body.get(key))
            if value is not None and not admitted(value):
                self.add(key, "is out of range")
        steps = body.get("take_profit_step_orders")
        for index, step in enumerate(steps if isinstance(steps, list) else []):
            for key in _STEP_DECIMALS:
                value = number(step.get(key)) if isinstance(step, dict) else None
                if value is not None and not admitted(value):
                    self.add(f"take_profit_step_orders[{index}][{key}]", "is out of range")

    def percent_sum(self, body: dict[str, Any]) -> None:
        steps = body.get("take_profit_step_orders")
        if not as_bool(body.get("take_profit_enabled")) or not isinstance(steps, list):
            return
        if body.get("take_profit_type") != "step_sell":
            return
        summed = ZERO
        for step in steps:
            summed = add(summed, number(step.get("percent")) or ZERO)
        if summed != HUNDRED:
            self.add("take_profit_step_orders", "percents must add up to 100")


def check_create(body: dict[str, Any]) -> Attributes:
    c = _Checker()
    c.magnitudes(body)
    if not c.errors:
        c.percent_sum(body)
    return c.errors


def check_funds(body: dict[str, Any]) -> Attributes:
    c = _Checker()
    c.magnitudes(body)
    return c.errors


def _by_kind(c: _Checker, trade: V1Trade, body: dict[str, Any]) -> None:
    waiting_conditional = trade.kind in CONDITIONAL and not trade.triggered
    for key in ("buy_price", "trailing_buy_enabled"):
        if key in body and not waiting_conditional:
            c.add(key, "is only available for a conditional SmartTrade waiting for its price")
    if "average_buy_price" in body and trade.kind != V1Kind.SMART_SALE:
        c.add("average_buy_price", "is only available for a SmartSale")
    trailing_buy = (
        as_bool(body["trailing_buy_enabled"])
        if "trailing_buy_enabled" in body
        else trade.trailing_buy_enabled
    )
    if "trailing_buy_step" in body and not trailing_buy:
        c.add("trailing_buy_step", "is only available with trailing_buy_enabled")
    steps = body.get("take_profit_step_orders")
    step_sell = as_bool(body.get("take_profit_enabled")) and (
        body.get("take_profit_type") == "step_sell"
    )
    if steps is not None and not step_sell:
        c.add("take_profit_step_orders", "is only available for a step_sell take profit")
    if step_sell and steps is None and trade.take_profit.type != "step_sell":
        c.add("take_profit_step_orders", "is missing")


def _positions(c: _Checker, trade: V1Trade, body: dict[str, Any]) -> None:
    steps = body.get("take_profit_step_orders")
    if not isinstance(steps, list):
        return
    taken = {s.position for s in trade.take_profit_steps if not s.open and s.filled}
    seen: set[int] = set()
    for step in steps:
        position = integer(step.get("position")) if isinstance(step, dict) else None
        if position is None:
            continue
        if position < 1:
            c.add("take_profit_step_orders", "positions must be greater than 0")
        elif position in seen or position in taken:
            c.add("take_profit_step_orders", "positions must be unique")
        seen.add(position)


def _signs(c: _Checker, trade: V1Trade, body: dict[str, Any]) -> None:
    direction = 1 if trade.long else -1
    for key, wanted in (
        ("take_profit_percentage_condition", direction),
        ("stop_loss_percentage_condition", -direction),
    ):
        value = number(body.get(key))
        if value is None:
            continue
        if value == 0 or (value > 0) != (wanted > 0):
            c.add(key, "must be positive" if wanted > 0 else "must be negative")


def check_update(trade: V1Trade, body: dict[str, Any]) -> Attributes:
    c = _Checker()
    c.magnitudes(body)
    _by_kind(c, trade, body)
    _positions(c, trade, body)
    _signs(c, trade, body)
    if "take_profit_step_orders" not in c.errors:
        c.percent_sum(body)
    return c.errors
