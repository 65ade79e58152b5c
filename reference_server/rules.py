"""Business rules the spec states in prose (descriptions, openapi/curation.yaml), beyond its schemas.

Each rule names the field it blames with a Rails bracket path, as the real API does; when either of
two fields would do, the key joins both paths with a comma.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .decimals import HUNDRED, ZERO, to_decimal

Attributes = dict[str, list[str]]
MAX_STEPS = 8
# Sanity bound on amounts and prices: the real API caps totals too (`must be less than or equal
# to 9000000.0`); ours only keeps Decimal arithmetic away from absurd exponents.
MAX_AMOUNT = Decimal("1e15")


def as_bool(value: Any) -> bool:
    """BooleanInput: JSON true/false or the strings 'true'/'false' (validated before)."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def present(value: Any) -> bool:
    return value is not None and value != ""


class Checker:
    def __init__(self) -> None:
        self.errors: Attributes = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def require(self, data: Any, path: str, *keys: str) -> bool:
        if present(get(data, *keys)):
            return True
        self.add(path, "is missing")
        return False

    def amount(self, value: Any, path: str, allow_zero: bool = False) -> Decimal | None:
        if not present(value):
            return None
        try:
            number = to_decimal(value)
        except (InvalidOperation, ValueError):
            self.add(path, "is invalid")
            return None
        if number < 0 or (number == 0 and not allow_zero):
            self.add(path, "must be greater than 0")
            return None
        if number > MAX_AMOUNT:
            self.add(path, f"must be less than or equal to {MAX_AMOUNT:f}")
            return None
        return number

    def percent(self, value: Any, path: str, low: Decimal, high: Decimal) -> None:
        if not present(value):
            return
        try:
            number = to_decimal(value)
        except (InvalidOperation, ValueError):
            self.add(path, "is invalid")
            return
        if number < low or number > high:
            self.add(path, f"must be between {low} and {high}")


def _check_note(c: Checker, body: dict[str, Any]) -> None:
    note = body.get("note")
    if note is None:
        return
    if not isinstance(note, str) or not 1 <= len(note) <= 300:
        c.add("note", "length must be between 1 and 300 characters")


def _check_leverage(c: Checker, body: dict[str, Any], futures: bool) -> None:
    leverage = body.get("leverage")
    if not isinstance(leverage, dict) or not as_bool(leverage.get("enabled")):
        return
    if not futures:
        c.add("leverage[enabled]", "is not supported for this account")
        return
    c.require(leverage, "leverage[type]", "type")
    if leverage.get("type") == "custom":
        c.require(leverage, "leverage[value]", "value")
    value = c.amount(leverage.get("value"), "leverage[value]")
    if value is not None and value > 125:
        c.add("leverage[value]", "must be less than or equal to 125")


def check_position(c: Checker, position: Any, creating: bool) -> None:
    if not isinstance(position, dict):
        return
    c.amount(get(position, "units", "value"), "position[units][value]")
    c.amount(get(position, "price", "value"), "position[price][value]")
    order_type = position.get("order_type")
    if order_type == "limit":
        c.require(position, "position[price][value]", "price", "value")
    if order_type == "conditional" or (not creating and "conditional" in position):
        if not c.require(position, "position[conditional]", "conditional"):
            return
        cond = position["conditional"]
        c.require(cond, "position[conditional][price][value]", "price", "value")
        c.amount(get(cond, "price", "value"), "position[conditional][price][value]")
        c.require(cond, "position[conditional][order_type]", "order_type")
        if cond.get("order_type") == "limit":
            c.require(position, "position[price][value]", "price", "value")
        trailing = cond.get("trailing")
        if isinstance(trailing, dict) and as_bool(trailing.get("enabled")):
            if cond.get("order_type") == "limit":
                c.add("position[conditional][trailing][enabled]", "is only allowed for market orders")
            if c.require(trailing, "position[conditional][trailing][percent]", "percent"):
                c.percent(
                    trailing.get("percent"),
                    "position[conditional][trailing][percent]",
                    Decimal("0.01"),
                    Decimal("99"),
                )
    elif order_type in ("market", "limit") and present(position.get("conditional")) and creating:
        c.add("position[conditional]", "is only allowed for conditional orders")


def check_take_profit(c: Checker, take_profit: Any) -> None:
    if not isinstance(take_profit, dict) or not as_bool(take_profit.get("enabled")):
        return
    steps = take_profit.get("steps")
    if not isinstance(steps, list) or not steps:
        c.add("take_profit[steps]", "is missing")
        return
    if len(steps) > MAX_STEPS:
        c.add("take_profit[steps]", f"must have at most {MAX_STEPS} steps")
    total = ZERO
    volumes_ok = True
    for index, step in enumerate(steps):
        p = f"take_profit[steps][{index}]"
        if not isinstance(step, dict):
            c.add(p, "is invalid")
            volumes_ok = False
            continue
        c.require(step, f"{p}[order_type]", "order_type")
        if c.require(step, f"{p}[volume]", "volume"):
            volume = c.amount(step.get("volume"), f"{p}[volume]")
            if volume is None:
                volumes_ok = False
            else:
                total += volume
        else:
            volumes_ok = False
        c.require(step, f"{p}[price][type]", "price", "type")
        value, percent = get(step, "price", "value"), get(step, "price", "percent")
        if not present(value) and not present(percent):
            c.add(f"{p}[price][value],{p}[price][percent]", "is missing")
        c.amount(value, f"{p}[price][value]")
        c.percent(percent, f"{p}[price][percent]", Decimal("0.01"), Decimal("1000"))
        trailing = step.get("trailing")
        if isinstance(trailing, dict) and as_bool(trailing.get("enabled")):
            if index != len(steps) - 1:
                c.add(f"{p}[trailing][enabled]", "is only allowed for the last step")
            if c.require(trailing, f"{p}[trailing][percent]", "percent"):
                c.percent(trailing.get("percent"), f"{p}[trailing][percent]", Decimal("0.01"), HUNDRED)
    if volumes_ok and total != HUNDRED:
        c.add("take_profit[steps]", "volumes must add up to 100")


def check_stop_loss(c: Checker, stop_loss: Any, take_profit: Any) -> None:
    if not isinstance(stop_loss, dict) or not as_bool(stop_loss.get("enabled")):
        return
    c.require(stop_loss, "stop_loss[order_type]", "order_type")
    if stop_loss.get("order_type") == "limit":
        c.require(stop_loss, "stop_loss[price][value]", "price", "value")
    c.amount(get(stop_loss, "price", "value"), "stop_loss[price][value]")
    if c.require(stop_loss, "stop_loss[conditional]", "conditional"):
        cond = stop_loss["conditional"]
        c.require(cond, "stop_loss[conditional][price][type]", "price", "type")
        value, percent = get(cond, "price", "value"), get(cond, "price", "percent")
        if not present(value) and not present(percent):
            c.add(
                "stop_loss[conditional][price][value],stop_loss[conditional][price][percent]",
                "is missing",
            )
        c.amount(value, "stop_loss[conditional][price][value]")
        c.percent(percent, "stop_loss[conditional][price][percent]", Decimal("0.01"), Decimal("99"))
        trailing = cond.get("trailing")
        if isinstance(trailing, dict) and as_bool(trailing.get("enabled")):
            if c.require(trailing, "stop_loss[conditional][trailing][percent]", "percent"):
                c.percent(
                    trailing.get("percent"),
                    "stop_loss[conditional][trailing][percent]",
                    Decimal("0.01"),
                    Decimal("99"),
                )
    timeout = stop_loss.get("timeout")
    if isinstance(timeout, dict) and as_bool(timeout.get("enabled")):
        if c.require(timeout, "stop_loss[timeout][value]", "value"):
            c.amount(timeout.get("value"), "stop_loss[timeout][value]")
    if as_bool(stop_loss.get("breakeven")):
        steps = get(take_profit, "steps")
        if not as_bool(get(take_profit, "enabled")) or not isinstance(steps, list) or len(steps) < 2:
            c.add("stop_loss[breakeven]", "needs at least two take profit steps")


def check_create(body: dict[str, Any], futures: bool) -> Attributes:
    c = Checker()
    _check_note(c, body)
    _check_leverage(c, body, futures)
    check_position(c, body.get("position"), creating=True)
    if not as_bool(body.get("instant")):
        check_take_profit(c, body.get("take_profit"))
        check_stop_loss(c, body.get("stop_loss"), body.get("take_profit"))
    return c.errors


def check_update(body: dict[str, Any], futures: bool) -> Attributes:
    c = Checker()
    _check_leverage(c, body, futures)
    check_position(c, body.get("position"), creating=False)
    check_take_profit(c, body.get("take_profit"))
    check_stop_loss(c, body.get("stop_loss"), body.get("take_profit"))
    return c.errors


def check_funds(body: dict[str, Any]) -> Attributes:
    """add_funds / reduce_funds: a limit order needs a price."""
    c = Checker()
    c.amount(get(body, "units", "value"), "units[value]")
    c.amount(get(body, "price", "value"), "price[value]")
    if body.get("order_type") == "limit":
        c.require(body, "price[value]", "price", "value")
    return c.errors


def check_note(body: dict[str, Any]) -> Attributes:
    c = Checker()
    if body.get("note") is None:
        c.add("note", "is missing")
    else:
        _check_note(c, body)
    return c.errors
