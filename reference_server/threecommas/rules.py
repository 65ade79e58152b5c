"""SmartTrade business rules the spec states in prose, beyond what its JSON Schema (with `if`/`then`)
checks.

The schema already enforces the required-when rules (a limit entry needs a price, a step needs a
value or a percent, ...), and spec_validation holds decimals sent as strings to the bounds the spec
gives their number form. What is left here is what JSON Schema cannot say: volumes adding up to
100, breakeven needing two steps, rules that depend on the account, and the magnitude guard
(`values.out_of_range` on the body's decimal fields). Each violation names its field with a Rails
bracket path, as the real API does.
"""

from __future__ import annotations

from typing import Any

from ..decimals import HUNDRED, ZERO, add
from ..values import as_bool, get, number, out_of_range

Attributes = dict[str, list[str]]
# The body fields holding a decimal (`units[value]`, `steps[i][percent]`, `volume`, ...): refused
# at once when out of range, so nothing stored can fail to compute or render later.
_DECIMAL_KEYS = frozenset({"value", "percent", "volume"})


class Checker:
    def __init__(self) -> None:
        self.errors: Attributes = {}

    def add(self, path: str, message: str) -> None:
        messages = self.errors.setdefault(path, [])
        if message not in messages:
            messages.append(message)

    def magnitudes(self, body: Any) -> None:
        for path in out_of_range(body, _DECIMAL_KEYS):
            self.add(path, "is out of range")


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
        total = add(total, number(get(step, "volume")) or ZERO)
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
    c.magnitudes(body)
    _leverage(c, body, futures)
    if not as_bool(body.get("instant")):
        _take_profit(c, body.get("take_profit"))
        _stop_loss(c, body.get("stop_loss"), body.get("take_profit"))
    return c.errors


def check_update(body: dict[str, Any], futures: bool, take_profit_now: Any = None) -> Attributes:
    c = Checker()
    c.magnitudes(body)
    _leverage(c, body, futures)
    _take_profit(c, body.get("take_profit"))
    _stop_loss(c, body.get("stop_loss"), body.get("take_profit", take_profit_now))
    return c.errors


def check_funds(body: dict[str, Any]) -> Attributes:
    c = Checker()
    c.magnitudes(body)
    return c.errors
