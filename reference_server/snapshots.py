"""Copies and comparisons of an API's stored records (dataclasses of scalars, lists and dicts), for
transactions: `clone` is `copy.deepcopy` without its generic machinery, `same` says whether a copy
still answers exactly as its original.

`clone` copies every mutable container and dataclass, keeping shared references shared (as
deepcopy's memo does), and shares the immutable scalars; any other type is deep-copied. `same` is
stricter than `==`: decimals must agree in sign, digits and exponent (`1.0` and `1.00` render
differently) and datetimes in UTC offset; a value of any other type must be the very same object
unless it is a str, int or bool. It may say "changed" for an unchanged value (a fresh object): never the reverse.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")

_SCALARS: frozenset[type] = frozenset(
    {str, int, float, bool, bytes, type(None), Decimal, datetime, date, time, timedelta}
)
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names when its instances are plain (`__dict__` holds exactly them)."""
    if kind not in _FIELDS:
        names: tuple[str, ...] | None = None
        if dataclasses.is_dataclass(kind) and not hasattr(kind, "__slots__"):
            names = tuple(f.name for f in dataclasses.fields(kind))
        _FIELDS[kind] = names
    return _FIELDS[kind]


def clone(value: T) -> T:
    """A deep copy of `value`."""
    return _clone(value, {})  # type: ignore[no-any-return]


def _clone(value: Any, memo: dict[int, Any]) -> Any:
    kind = type(value)
    if kind in _SCALARS or isinstance(value, Enum):
        return value
    done = memo.get(id(value))
    if done is not None:
        return done
    if kind is list:
        out_list: list[Any] = []
        memo[id(value)] = out_list
        out_list.extend(_clone(item, memo) for item in value)
        return out_list
    if kind is dict:
        out_dict: dict[Any, Any] = {}
        memo[id(value)] = out_dict
        for key, item in value.items():
            out_dict[key] = _clone(item, memo)
        return out_dict
    if kind is tuple:
        return tuple(_clone(item, memo) for item in value)
    names = _field_names(kind)
    if names is not None and set(value.__dict__) == set(names):
        out = object.__new__(kind)
        memo[id(value)] = out
        out.__dict__.update({name: _clone(item, memo) for name, item in value.__dict__.items()})
        return out
    out = copy.deepcopy(value)
    memo[id(value)] = out
    return out


def same(a: Any, b: Any) -> bool:
    """True when `a` and `b` hold the same data, down to how each value renders."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is str or kind is int or kind is bool:
        return bool(a == b)
    if kind is Decimal:
        return bool(a.as_tuple() == b.as_tuple())  # sign, digits and exponent: `-0` is not `0`
    if kind is datetime:
        return bool(a == b) and a.utcoffset() == b.utcoffset()
    if kind is list or kind is tuple:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if kind is dict:
        return list(a) == list(b) and all(same(item, b[key]) for key, item in a.items())
    names = _field_names(kind)
    if names is not None:
        return all(same(getattr(a, name), getattr(b, name)) for name in names)
    return False
