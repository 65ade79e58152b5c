"""A small JSON Schema -> hypothesis strategy builder for the subset the spec uses.

hypothesis-jsonschema in the lock does not work with the locked hypothesis (`many.more` was removed), so the
tests build values themselves: objects (open ones get extra keys), anyOf, type lists, enum/const, string
patterns, integers, numbers, booleans, null, arrays, local $refs. Conditional keywords are not generated;
callers filter with a real validator where they matter (requests).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

DECIMAL_TEXT = st.one_of(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False, places=8),
    st.integers(min_value=0, max_value=10**40).map(lambda n: "0." + str(n).zfill(40)).map(Decimal),
).map(lambda d: format(d, "f"))
JSON_SCALARS = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=8)
EXTRA_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=5)


def build(schema: Any, defs: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    if schema is True or schema == {}:
        return EXTRA_VALUES
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        merged = {**defs[name], **{k: v for k, v in schema.items() if k not in ("$ref", "description")}}
        return build(merged, defs, depth)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema.get("oneOf")
        return st.one_of([build(o, defs, depth) for o in options])
    if "allOf" in schema and "type" not in schema and "properties" not in schema:
        plain = [s for s in schema["allOf"] if "if" not in s]
        return build(plain[0], defs, depth) if plain else EXTRA_VALUES
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([build({**schema, "type": k}, defs, depth) for k in kind])
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        low = schema.get("minimum", -10**9)
        if "exclusiveMinimum" in schema:
            low = schema["exclusiveMinimum"] + 1
        return st.integers(min_value=low, max_value=schema.get("maximum", 10**12))
    if kind == "number":
        low = schema.get("minimum")
        ints = st.integers(min_value=int(low) if low is not None else -10**9, max_value=10**9)
        floats = st.floats(min_value=low, max_value=schema.get("maximum"), allow_nan=False, allow_infinity=False)
        strategy = ints | floats
        if "exclusiveMinimum" in schema:
            strategy = strategy.filter(lambda v: v > schema["exclusiveMinimum"])
        return strategy
    if kind == "string":
        if "pattern" in schema and "[0-9]" in schema["pattern"]:
            # Decimal strings: real magnitudes (up to 40 significant digits), checked against the spec's pattern.
            # from_regex would draw exponents like 0E1000000000000000000, which the SDK rightly refuses.
            pattern = re.compile(schema["pattern"])
            return DECIMAL_TEXT.filter(lambda t: pattern.fullmatch(t) is not None)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        if schema.get("format") == "date-time":
            return st.datetimes(timezones=st.just(__import__("datetime").UTC)).map(lambda d: d.isoformat().replace("+00:00", "Z"))
        return st.text(min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 12), 12))
    if kind == "array":
        items = build(schema.get("items", True), defs, depth + 1)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=min(schema.get("maxItems", 3), 3))
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        if depth > 6:
            required_only = {k: build(v, defs, depth + 1) for k, v in props.items() if k in required}
            return st.fixed_dictionaries(required_only)
        fixed = {k: build(v, defs, depth + 1) for k, v in props.items() if k in required}
        optional = {k: build(v, defs, depth + 1) for k, v in props.items() if k not in required}
        base = st.fixed_dictionaries(fixed, optional=optional)
        if schema.get("additionalProperties", True) is not False and props:
            extra = st.dictionaries(st.text(min_size=1, max_size=6).filter(lambda k: k not in props), EXTRA_VALUES, max_size=2)
            return st.tuples(base, extra).map(lambda pair: {**pair[1], **pair[0]})
        return base
    return EXTRA_VALUES
