"""Decimal helpers: exact arithmetic, rendering as the real API does (JSON strings)."""

from __future__ import annotations

from decimal import Context, Decimal, InvalidOperation

# 40 significant digits: real payloads carry up to about that many.
CONTEXT = Context(prec=40)
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def to_decimal(value: object) -> Decimal:
    """A validated request decimal (JSON number or numeric string) as Decimal."""
    if isinstance(value, bool):
        raise InvalidOperation("boolean is not a decimal")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        result = Decimal(value.strip())
        if not result.is_finite():
            raise InvalidOperation("not finite")
        return result
    raise InvalidOperation(f"not a decimal: {type(value).__name__}")


def fmt(value: Decimal) -> str:
    """`14.91`, `100.0`, `0.0`: plain notation, never an exponent, never `-0`."""
    if value == 0:
        return "0.0"
    text = format(value.normalize(CONTEXT), "f")
    if "." not in text:
        text += ".0"
    return text


def fmt_opt(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def div(a: Decimal, b: Decimal) -> Decimal:
    return CONTEXT.divide(a, b)


def mul(a: Decimal, b: Decimal) -> Decimal:
    return CONTEXT.multiply(a, b)


def add(a: Decimal, b: Decimal) -> Decimal:
    return CONTEXT.add(a, b)


def sub(a: Decimal, b: Decimal) -> Decimal:
    return CONTEXT.subtract(a, b)


def pct_of(base: Decimal, percent: Decimal) -> Decimal:
    return div(mul(base, percent), HUNDRED)
