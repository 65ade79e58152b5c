"""Exact decimals for Poloniex smart orders: parsing request values, arithmetic, rendering.

Request values are kept exactly as sent (a `Decimal` built from the text holds every digit);
only computed values (fills, trailing prices) round, in `CTX`: 80 significant digits and the
widest exponent range, so no admitted value can overflow, and the traps that stay on
(invalid operation, division by zero) are guarded by the callers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
)

from .errors import invalid_parameter

CTX = Context(
    prec=80,
    rounding=ROUND_HALF_EVEN,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero],
)
ZERO = Decimal(0)
HUNDRED = Decimal(100)
# Quantities derived from an amount are floored to this step (the documented fills show 8 places).
QUANTITY_STEP = Decimal("1e-8")
# How answers write a zero or a placeholder (`"amount": "0.00"`).
ZERO_TEXT = "0.00"


def parse_positive(value: object, field: str) -> Decimal:
    """A request decimal (numeric string or JSON number) that must be finite and above zero."""
    if isinstance(value, bool):
        raise invalid_parameter(f"Invalid {field}")
    try:
        if isinstance(value, int):
            result = Decimal(value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise invalid_parameter(f"Invalid {field}")
            # repr() is the shortest text that reads back as this float: what the client wrote.
            result = Decimal(repr(value))
        elif isinstance(value, (str, Decimal)):
            # A JSON number reaches the engine as an exact Decimal (the core parses it so).
            result = Decimal(value)
        else:
            raise invalid_parameter(f"Invalid {field}")
    except (InvalidOperation, ValueError) as exc:
        raise invalid_parameter(f"Invalid {field}") from exc
    if not result.is_finite() or result <= 0:
        raise invalid_parameter(f"Invalid {field}")
    return result


@dataclass(frozen=True)
class Offset:
    """A trailing or limit offset: a price distance, or a percentage of the market price."""

    value: Decimal
    percent: bool

    def distance(self, price: Decimal) -> Decimal:
        if not self.percent:
            return self.value
        return CTX.divide(CTX.multiply(price, self.value), HUNDRED)

    def text(self) -> str:
        return fmt(self.value) + ("%" if self.percent else "")


def parse_offset(value: object, field: str) -> Offset:
    if isinstance(value, str) and value.endswith("%"):
        return Offset(parse_positive(value[:-1], field), percent=True)
    return Offset(parse_positive(value, field), percent=False)


def fmt(value: Decimal) -> str:
    """Plain notation, never an exponent nor `-0`; a zero is `"0.00"` as the API writes it."""
    if value.is_zero():
        return ZERO_TEXT
    return format(value, "f")


def clean(value: Decimal) -> Decimal:
    """A computed value without trailing zeros (`601.0000` -> `601`)."""
    return value.normalize(CTX) if value.is_finite() else value


def mul(a: Decimal, b: Decimal) -> Decimal:
    return CTX.multiply(a, b)


def add(a: Decimal, b: Decimal) -> Decimal:
    return CTX.add(a, b)


def sub(a: Decimal, b: Decimal) -> Decimal:
    return CTX.subtract(a, b)


def floor_quantity(amount: Decimal, price: Decimal) -> Decimal:
    """`amount / price` floored to `QUANTITY_STEP`; zero when `price` is not above zero."""
    if price <= 0:
        return ZERO
    quotient = CTX.divide(amount, price)
    if quotient.adjusted() >= CTX.prec - 9:
        return quotient  # no fractional digits left at this precision
    return quotient.quantize(QUANTITY_STEP, rounding=ROUND_DOWN, context=CTX)
