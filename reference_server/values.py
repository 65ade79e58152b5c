"""Reading values out of a validated request body, for any API: nested lookups, presence, booleans
sent as JSON or as text, decimals, and the magnitude guard (`out_of_range`) that keeps every
admitted number inside the range `decimals.CONTEXT` is sized for."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from typing import Any

from .decimals import admitted, to_decimal


def get(data: Any, *keys: str) -> Any:
    """`data[k1][k2]...`, or None as soon as a level is missing or not a mapping."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def present(value: Any) -> bool:
    """Given and not blank (form bodies send an empty string for a cleared field)."""
    return value is not None and value != ""


def as_bool(value: Any) -> bool:
    """A boolean sent as JSON true/false or as the text 'true'/'false' (validated before)."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def number(value: Any) -> Decimal | None:
    """A present decimal (JSON number or numeric text) as Decimal; None when absent or not one."""
    if not present(value) or isinstance(value, bool):
        return None
    try:
        return to_decimal(value)
    except (InvalidOperation, ValueError):
        return None


def out_of_range(node: Any, keys: Collection[str], path: str = "") -> list[str]:
    """Bracket paths (`take_profit[steps][0][volume]`) of the scalars under any of `keys` whose
    decimal lies outside `decimals.admitted`: far beyond any price or amount (`1e999999999` would
    render as a billion digits), or with more significant digits than any exchange quotes."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}[{key}]" if path else str(key)
            if key in keys and not isinstance(value, (dict, list)):
                parsed = number(value)
                if parsed is not None and not admitted(parsed):
                    found.append(child)
            else:
                found.extend(out_of_range(value, keys, child))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(out_of_range(value, keys, f"{path}[{index}]"))
    return found


def is_utf8(text: str) -> bool:
    """Whether `text` is valid UTF-8 text (no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
