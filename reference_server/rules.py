"""Business rules the spec states in prose, beyond what its JSON Schema (with `if`/`then`) checks.

The schema already enforces the required-when rules (a limit entry needs a price, a step needs a
value or a percent, ...), and spec_validation holds decimals sent as strings to the bounds the spec
gives their number form. What is left here is what JSON Schema cannot say: volumes adding up to
100, breakeven needing two steps, rules that depend on the account, and a magnitude guard (the
range decimals.py sizes its arithmetic for). Each
violation names its field with a Rails bracket path, as the real API does.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .decimals import HUNDRED, ZERO, add, admitted, to_decimal

Attributes = dict[str, list[str]]
# Decimals far outside any price or amount (`1e999999999` renders as a billion digits), or with more
# significant digits than any exchange quotes, are refused at once, naming the field: everything
# admitted fits decimals.CONTEXT, so nothing stored can fail to compute or render later.
_DECIMAL_KEYS = frozenset({"value", "percent", "volume"})


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


def _number(value: Any) -> Decimal | None:
    if not present(value) or isinstance(value, bool):
        return None
    try:
        return to_decimal(value)
    except (InvalidOperation, ValueError):
        return None


class Checker:
    def __init__(self) -> None:
        self.errors: Attributes = {}

    def add(self, path: str, message: str) -> None:
        messages = self.errors.setdefault(path, [])
        if message not in messages:
            messages.append(message)

    def magnitudes(self, node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                child = f"{path}[{key}]" if path else str(key)
                if key in _DECIMAL_KEYS and not isinstance(value, (dict, list)):
                    number = _number(value)
                    if number is not None and not admitted(number):
                        self.add(child, "is out of range")
                else:
                    self.magnitudes(value, child)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                self.magnitudes(value, f"{path}[{index}]")


def _leverage(c: Checker, body: dict[str, Any], futures: bool) -> None:
    if as_bool(get(body, "leverage", "enabled")) and not futures:
        c.add("leverage[enabled]", "is only available on futures accounts")


def _take_profit(c: Checker, take_profit: Any) -> None:
    if not as_bool(get(take_profit, "enabled")):
        return
    steps = get(take_profit, "steps")
    if not isinstance(steps, list):
        return
    total = ZERO
    for step in steps:
        total = add(total, _number(get(step, "volume")) or ZERO)
    if total != HUNDRED:
        c.add("take_profit[steps]", "volumes must add up to 100")


def _stop_loss(c: Checker, stop_loss: Any, take_profit: Any) -> None:
    if not as_bool(get(stop_loss, "enabled")):
        return
    if as_bool(get(stop_loss, "breakeven")):
        steps = get(take_profit, "steps")
        if (
            not as_bool(get(take_profit, "enabled"))
            or not isinstance(steps, list)
            or len(steps) < 2
        ):
            c.add("stop_loss[breakeven]", "needs at least two take profit steps")


def check_create(body: dict[str, Any], futures: bool) -> Attributes:
    c = Checker()
    c.magnitudes(body, "")
    _leverage(c, body, futures)
    if not as_bool(body.get("instant")):
        _take_profit(c, body.get("take_profit"))
        _stop_loss(c, body.get("stop_loss"), body.get("take_profit"))
    return c.errors


def check_update(body: dict[str, Any], futures: bool, take_profit_now: Any = None) -> Attributes:
    c = Checker()
    c.magnitudes(body, "")
    _leverage(c, body, futures)
    _take_profit(c, body.get("take_profit"))
    _stop_loss(c, body.get("stop_loss"), body.get("take_profit", take_profit_now))
    return c.errors


def check_funds(body: dict[str, Any]) -> Attributes:
    c = Checker()
    c.magnitudes(body, "")
    return c.errors
