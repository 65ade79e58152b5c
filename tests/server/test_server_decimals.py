"""decimals.py: rendering, rounding and splitting never raise or lose a unit, whatever the size."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reference_server.decimals import (
    CONTEXT,
    EXP_LIMIT,
    MAX_DIGITS,
    UNIT_EXPONENT,
    admitted,
    fmt,
    round_places,
    share,
    split,
    sub,
    total,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0", "0.0"),
        ("-0.000", "0.0"),
        ("100", "100.0"),
        ("1E+2", "100.0"),
        ("14.9100", "14.91"),
        ("1e-40", "0." + "0" * 39 + "1"),
        ("1e30", "1" + "0" * 30 + ".0"),
        ("-2.50", "-2.5"),
        ("0." + "1" * 150, "0." + "1" * 150),  # exact: never cut to a context's precision
    ],
)
def test_fmt_renders_the_exact_value_in_plain_notation(value: str, text: str) -> None:
    assert fmt(Decimal(value)) == text


def test_fmt_stays_bounded_beyond_any_admitted_magnitude() -> None:
    assert fmt(Decimal("1e5000")) == "1E+5000"


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("1e150", "1" + "0" * 150 + ".0"),  # the default context's quantize raised from 1e26 on
        ("0.005", "0.0"),
        ("0.015", "0.02"),
        ("9.996", "10.0"),
        ("-99.995", "-100.0"),
        ("1e-80", "0.0"),
    ],
)
def test_round_places_never_raises(value: str, rounded: str) -> None:
    assert fmt(round_places(Decimal(value), 2)) == rounded


def test_the_context_spans_every_admitted_computation() -> None:
    assert CONTEXT.prec >= 2 * MAX_DIGITS  # a product of two admitted values is exact
    assert CONTEXT.Emax == EXP_LIMIT and EXP_LIMIT > 300


@pytest.mark.parametrize(
    "amount",
    ["1", "0." + "0" * 39 + "1", "1e30", "9" * 30 + "." + "9" * 70, "0.3333333333333333333333"],
)
@pytest.mark.parametrize("volumes", [[1, 1, 1], [33.3, 33.3, 33.4], ["1e-40", 50, 50], [7] * 8])
def test_shares_never_exceed_the_amount_and_the_rest_is_exact(
    amount: str, volumes: list[object]
) -> None:
    left = Decimal(amount)
    parts = [Decimal(str(v)) for v in volumes]
    whole = total(parts)
    shares = [share(left, part, whole) for part in parts[:-1]]
    last = sub(left, total(shares))
    assert all(s >= 0 for s in shares) and last >= 0
    assert total([*shares, last]) == left
    assert all(s.as_tuple().exponent >= UNIT_EXPONENT for s in shares)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("0", True),
        ("1e-40", True),
        ("1e-41", False),
        ("9" * 31, True),
        ("1e31", False),
        ("0." + "1" * 100, True),
        ("0." + "1" * 101, False),
        ("1" + "0" * 30 + ".000", True),  # trailing zeros are not significant
    ],
)
def test_admitted_range(value: str, ok: bool) -> None:
    assert admitted(Decimal(value)) is ok


@pytest.mark.parametrize(
    "amount, weights",
    [("1", ["1", "1", "1"]), ("0.3", ["50", "25", "25"]), ("1e-30", ["1", "2"]), ("7", ["0", "0"]), ("5", ["3"])],
)
def test_split_adds_up_exactly_and_never_exceeds_a_share(amount: str, weights: list[str]) -> None:
    parts = split(Decimal(amount), [Decimal(w) for w in weights])
    assert len(parts) == len(weights) and total(parts) == Decimal(amount)  # exact, not 28 digits
    assert all(p >= 0 for p in parts)


def test_split_of_nothing_is_empty() -> None:
    assert split(Decimal(1), []) == []
