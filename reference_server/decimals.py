"""Decimal helpers: exact arithmetic, rendering as the real API does (JSON strings).

Every computation runs in `CONTEXT`, never in the thread's default context (28 digits), and its
range is chosen from what the server admits, so that no admitted value can overflow, trap or lose
digits where exactness matters:

- An admitted decimal (`values.out_of_range` guards request bodies, prices.py simulated quotes)
  has an adjusted exponent in [MIN_ADJUSTED, MAX_ADJUSTED] (1e-40 .. just under 1e31) and at most
  MAX_DIGITS significant digits, so it is a multiple of 10**UNIT_EXPONENT (1e-139 > 1e-150).
- Unit amounts are only added, subtracted and split into shares (`share`), and shares are cut down
  to multiples of 10**UNIT_EXPONENT, so every unit amount stays a multiple of it. Amounts stay far
  below 1e40 (a million add-funds orders of 1e30 each), so a sum or difference of them needs at
  most 40 + 150 = 190 digits: with PREC = 200 it is exact, and units are conserved to the last
  digit.
- A product of two admitted values has at most 2 * MAX_DIGITS = 200 digits: exact as well. Longer
  chains (totals of averages, prices from percentages) round at 200 digits, which is harmless.
- Quotients round to QUOTIENT_PREC (40) digits, what real payloads carry.
- The exponent range (±EXP_LIMIT) is far beyond anything a few products and quotients of admitted
  values reach (about ±300), so Overflow, which stays a trap, cannot happen; nor can a division by
  zero, which every caller guards. `round_places` sizes its own precision to the value, so
  rounding a percentage never raises whatever its magnitude.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

MAX_ADJUSTED = 30
MIN_ADJUSTED = -40
MAX_DIGITS = 100
UNIT_EXPONENT = -150
PREC = 200
QUOTIENT_PREC = 40
EXP_LIMIT = 9_999

CONTEXT = Context(
    prec=PREC,
    rounding=ROUND_HALF_EVEN,
    Emax=EXP_LIMIT,
    Emin=-EXP_LIMIT,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
QUOTIENT = CONTEXT.copy()
QUOTIENT.prec = QUOTIENT_PREC
_QUOTIENT_DOWN = QUOTIENT.copy()
_QUOTIENT_DOWN.rounding = ROUND_DOWN

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
_UNIT_QUANTUM = Decimal(1).scaleb(UNIT_EXPONENT)
# Rendering falls back to scientific notation (which the spec's Decimal pattern admits) beyond
# this, so that no value can make an answer explode; admitted values never come near it.
_RENDER_LIMIT = 1_000


def to_decimal(value: object) -> Decimal:
    """A validated request decimal (JSON number or numeric string) as Decimal."""
    if isinstance(value, bool):
        raise InvalidOperation("boolean is not a decimal")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        result = Decimal(value.strip())
    else:
        raise InvalidOperation(f"not a decimal: {type(value).__name__}")
    if not result.is_finite():
        raise InvalidOperation("not finite")
    return result


def significant_digits(value: Decimal) -> int:
    """Digits of the coefficient without trailing zeros (`1.500` has 2)."""
    digits = value.as_tuple().digits
    count = len(digits)
    while count > 1 and digits[count - 1] == 0:
        count -= 1
    return count


def admitted(value: Decimal) -> bool:
    """Within the range every computation here is sized for (see the module docstring)."""
    if not value.is_finite():
        return False
    if value == 0:
        return True
    return (
        MIN_ADJUSTED <= value.adjusted() <= MAX_ADJUSTED and significant_digits(value) <= MAX_DIGITS
    )


def fmt(value: Decimal) -> str:
    """`14.91`, `100.0`, `0.0`: plain notation, never `-0`, exactly the value's digits."""
    if value == 0:
        return "0.0"
    if not -_RENDER_LIMIT <= value.adjusted() <= _RENDER_LIMIT:
        return format(value, "E")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0")
    if text.endswith("."):
        text += "0"
    elif "." not in text:
        text += ".0"
    return text


def fmt_opt(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def div(a: Decimal, b: Decimal) -> Decimal:
    return QUOTIENT.divide(a, b)


def mul(a: Decimal, b: Decimal) -> Decimal:
    return CONTEXT.multiply(a, b)


def add(a: Decimal, b: Decimal) -> Decimal:
    return CONTEXT.add(a, b)


def sub(a: Decimal, b: Decimal) -> Decimal:
    return CONTEXT.subtract(a, b)


def neg(a: Decimal) -> Decimal:
    return CONTEXT.minus(a)


def total(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of decimals (builtin `sum` would round in the default 28-digit context)."""
    result = ZERO
    for value in values:
        result = CONTEXT.add(result, value)
    return result


def pct_of(base: Decimal, percent: Decimal) -> Decimal:
    return div(mul(base, percent), HUNDRED)


def share(amount: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """`amount * part / whole` for non-negative operands, rounded down (to 40 digits, then to a
    multiple of 10**UNIT_EXPONENT): never above the exact share, so what is left after the shares
    (by subtraction) stays exact and never negative."""
    if whole == 0:
        return ZERO
    quotient = _QUOTIENT_DOWN.divide(CONTEXT.multiply(amount, part), whole)
    if quotient.as_tuple().exponent >= UNIT_EXPONENT:  # type: ignore[operator]
        return quotient
    return quotient.quantize(_UNIT_QUANTUM, rounding=ROUND_DOWN, context=CONTEXT)


def split(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`amount` shared by `weights`: each share rounded down (`share`), the last one the exact rest,
    so the parts add up to `amount` to the last digit."""
    whole = total(weights)
    parts = [share(amount, weight, whole) for weight in weights[:-1]]
    return [*parts, sub(amount, total(parts))] if weights else []


def round_places(value: Decimal, places: int) -> Decimal:
    """`value` rounded half-even to `places` decimals, in a precision sized to the value, so that
    no magnitude can make the quantize fail (the default context's 28 digits did)."""
    quantum = Decimal(1).scaleb(-places)
    context = CONTEXT.copy()
    context.prec = max(1, value.adjusted() + places + 2)
    context.Emax = max(context.Emax, value.adjusted() + 1)
    return value.quantize(quantum, context=context)
