"""Schemathesis hooks for fuzzing the reference server's APIs as their demo users (in-process and
CLI), dispatching by the operation's API to its profile (reference_server/fuzzing.py, the API
packages' `fuzz` modules): auth placeholders, last-moment signing, valid creates, error shape.

Loaded by tests/fuzz (import) and by `make fuzz` (SCHEMATHESIS_HOOKS=reference_server.fuzz_hooks).

Besides signing as the demo user, a `flatmap_case` hook turns a share of the generated cases
(`FUZZ_HOSTILE_PERCENT`, 25 by default) hostile, with values Hypothesis never generates on its own:
lone surrogates and control characters in strings, Rails bracket keys (deep, `a[]`, `a[0][b]`) in
the query string or a form body, latin-1 bytes in the auth headers, and extreme decimals (`1e-30`,
`1e30`, 40 significant digits, `-0`, `1E+2`, a hair past a bound; any `format: decimal` field of
the spec) as JSON numbers and as strings. Every choice is a Hypothesis draw, so the seed replays it
exactly. The mutations are generic: they read the fields from whichever spec the case comes from.

A hostile case may break rules the schema cannot state, so it is judged on what any input must get:
no 5xx, a JSON body conforming to the spec, and on 4xx an error naming what was wrong in the API's
own error shape (`hostile_error_names_the_problem`); the checks that assume the schema alone
decides acceptance (`positive_data_acceptance`, `negative_data_rejection`, ...) do not judge it.
"""

from __future__ import annotations

import copy
import json
import os
from collections import OrderedDict
from typing import Any

import schemathesis
from hypothesis import strategies as st

from .fuzzing import FuzzProfile, profile_for
from .values import is_utf8

HOSTILE_PERCENT = int(os.environ.get("FUZZ_HOSTILE_PERCENT", "25"))


def _profile(case_or_operation: Any) -> FuzzProfile:
    operation = getattr(case_or_operation, "operation", case_or_operation)
    return profile_for(operation.schema.raw_schema)


@schemathesis.auth()
class DemoUserAuth:
    """The operation's API writes its demo user's key and placeholders (replaced by its signer at
    the last moment) only where the generated case carries those headers: cases that drop or garble
    them on purpose stay broken, so `ignored_auth` and `missing_required_header` keep their
    meaning."""

    def get(self, case: Any, ctx: Any) -> str:
        return "demo-user"

    def set(self, case: Any, data: str, ctx: Any) -> None:
        headers = case.headers if case.headers is not None else {}
        meta = case.meta
        positive = meta is None or meta.generation.mode.is_positive
        _profile(case).set_auth(headers, positive)
        case.headers = headers


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    """Valid creates open real orders of the demo user (the API's profile says how)."""
    operation = context.operation
    meta = case.meta
    if operation is not None and meta is not None and meta.generation.mode.is_positive:
        operation_id = operation.definition.raw.get("operationId", "")
        _profile(operation).map_case(operation_id, case)
    return case


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Sign at the last moment, from the prepared request's exact bytes (CLI and in-process)."""
    kwargs.setdefault("auth", _profile(case).signer)


# ---- hostile values -----------------------------------------------------------------------------

# Text a JSON string may carry but Hypothesis never draws: lone surrogates (valid JSON as `\ud800`),
# C0/C1 controls, NUL, BOM, bidi overrides, line separators.
_ODD_TEXT = [
    "\ud800",
    "\udfff",
    "a\ud83d",
    "\udc00z",
    "\x00",
    "\x1b[31m",
    "\x7f",
    "\u0085",
    "\u2028",
    "\u202e",
    "\ufeff",
    "\r\n",
    "\t",
    "\x9b",
]
_TEXT_CHARS = st.one_of(
    st.integers(0xD800, 0xDFFF).map(chr),  # lone surrogates
    st.integers(0x00, 0x1F).map(chr),  # C0 controls
    st.integers(0x7F, 0x9F).map(chr),  # DEL and C1 controls
    st.sampled_from(["a", "Z", "_", "0", "é", "€", "\U0001f600"]),
)
HOSTILE_TEXT = st.one_of(
    st.sampled_from(_ODD_TEXT), st.text(alphabet=_TEXT_CHARS, min_size=1, max_size=12)
)
# A query string is text on the wire: no surrogates (they cannot be encoded), the rest as above.
_QUERY_TEXT = HOSTILE_TEXT.map(lambda s: "".join(c for c in s if not 0xD800 <= ord(c) <= 0xDFFF))

# Decimals at the edges: tiny, huge, long, signed zero, exponent forms, just past the usual bounds.
EXTREME_DECIMAL_TEXT = [
    "1e-30",
    "1E-30",
    "0.000000000000000000000000000001",
    "1e30",
    "1E+30",
    "1e+31",
    "1E+2",
    "-0",
    "-0.0",
    "0.0",
    "0E-40",
    "1e-400",
    "1e400",
    "-1e30",
    "1234567890.123456789012345678901234567890",
    "9999999999999999999999999999999999999999",
    "100.00000000000000000001",
    "100.0000000000000000000000000000001",
    "0.00999999999999999999999",
    "0.010000000000000000000000001",
    "1000000000000000000000000000000.0000000001",
]


def _decimal_value() -> st.SearchStrategy[Any]:
    """An extreme decimal as a JSON string, as a JSON number Python can hold, or as `RawNumber`
    (a numeral written into the JSON text verbatim, for digits a float cannot keep)."""
    return st.one_of(
        st.sampled_from(EXTREME_DECIMAL_TEXT),
        st.sampled_from([1e-30, 1e30, -0.0, 0.0, 1e-300, 1e300, 100.0, 5e-324, 10**40 - 1]),
        st.sampled_from(EXTREME_DECIMAL_TEXT).map(RawNumber),
    )


class RawNumber(str):
    """A numeral to write into a JSON body as a number, digit for digit."""


_BRACKET_SHAPES = [
    "{h}" + "[a]" * 2,
    "{h}" + "[a]" * 50,
    "{h}" + "[a]" * 2000,
    "{h}" + "[]" * 50,
    "{h}" + "[]" * 2000,
    "{h}[]",
    "{h}[][b]",
    "{h}[0][b]",
    "{h}[99999999999999999999][b]",
    # Digits to str.isdigit() that int() cannot read (²), or reads (Arabic-Indic, full-width).
    "{h}[\u00b2][b]",
    "{h}[\u0661][b]",
    "{h}[\uff11]",
    "{h}[b][0][]",
    "[a]",
    "a[",
    "a]",
    "a[b",
    "a[]]",
    "[]",
    "a[b]c",
    "=",
    "a[\x00]",
    "take_profit[steps][0][price][value]",
    "position[units][value]",
]


def _bracket_key(shape: int, head_index: int, names: list[str]) -> str:
    names = names or ["a"]
    return _BRACKET_SHAPES[shape].replace("{h}", names[head_index % len(names)])


# ---- the mutations ------------------------------------------------------------------------------

# Keyed by case id: which hostile change a case carries (for the checks, the filter and reports).
HOSTILE: OrderedDict[str, str] = OrderedDict()
_HOSTILE_LIMIT = 4096


def hostility(case: Any) -> str | None:
    """What hostile change `case` carries, or None."""
    return HOSTILE.get(case.id)


def _remember(case: Any, description: str) -> None:
    HOSTILE[case.id] = description
    while len(HOSTILE) > _HOSTILE_LIMIT:
        HOSTILE.popitem(last=False)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, (*path, index))]
    return [(path, value)]


def _set(target: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def _decimal_names(spec: dict[str, Any]) -> frozenset[str]:
    """Property names whose schema is a decimal (`format: decimal`, directly or through `$ref`)."""
    schemas = spec.get("components", {}).get("schemas", {})

    def is_decimal(schema: Any) -> bool:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 10:
            schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
            seen += 1
        return isinstance(schema, dict) and schema.get("format") == "decimal"

    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if is_decimal(prop):
                    names.add(name)
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schemas)
    return frozenset(names)


_DECIMAL_NAMES: dict[int, frozenset[str]] = {}


def _decimal_paths(case: Any) -> list[tuple[Any, ...]]:
    spec = case.operation.schema.raw_schema
    names = _DECIMAL_NAMES.get(id(spec))
    if names is None:
        names = _DECIMAL_NAMES[id(spec)] = _decimal_names(spec)
    return [
        path
        for path, _ in _leaves(case.body)
        if path and (path[-1] in names or (len(path) > 1 and path[-2] in names))
    ]


def _dump_json(body: Any) -> bytes:
    """JSON text, with `RawNumber`s written as bare numerals."""
    marks: dict[str, str] = {}

    def swap(value: Any) -> Any:
        if isinstance(value, RawNumber):
            mark = f"@@raw{len(marks)}@@"
            marks[mark] = str(value)
            return mark
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    text = json.dumps(swap(body))
    for mark, numeral in marks.items():
        text = text.replace(f'"{mark}"', numeral)
    return text.encode()


def rails_pairs(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """A JSON-like body as form pairs with Rails bracket keys (`position[units][value]`)."""
    if isinstance(value, dict):
        return [
            pair
            for key, item in value.items()
            for pair in rails_pairs(item, f"{prefix}[{key}]" if prefix else str(key))
        ]
    if isinstance(value, list):
        return [
            pair for i, item in enumerate(value) for pair in rails_pairs(item, f"{prefix}[{i}]")
        ]
    if value is None:
        return [(prefix, "")]
    if isinstance(value, bool):
        return [(prefix, "true" if value else "false")]
    return [(prefix, str(value))]


def form_text(pairs: list[tuple[str, str]]) -> str:
    from urllib.parse import quote

    # Lone surrogates go out as their (invalid) UTF-8 bytes, percent-encoded.
    def enc(text: str, safe: str) -> str:
        return quote(text, safe=safe, errors="surrogatepass")

    return "&".join(f"{enc(k, '[]')}={enc(v, '')}" for k, v in pairs)


def _pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)]


def _mutate_string(plan: dict[str, Any], case: Any) -> str | None:
    spots = [("body", p) for p, v in _leaves(case.body) if isinstance(v, str) and p]
    if isinstance(case.query, dict):
        spots += [("query", (k,)) for k, v in case.query.items() if isinstance(v, str)]
    if not spots:
        return None
    where, path = _pick(spots, plan["index"])
    container = case.body if where == "body" else case.query
    original = container
    for part in path:
        original = original[part]
    odd = plan["text"] if where == "body" else plan["query_text"]
    new = {
        "replace": odd,
        "prefix": odd + original,
        "suffix": original + odd,
        "middle": original[: len(original) // 2] + odd + original[len(original) // 2 :],
    }[plan["how"]]
    _set(container, path, new)
    if where == "body" and not is_utf8(new):
        # Schemathesis re-validates a body it sees changed (a stateful link merging a field into it,
        # a check deriving a case, any `case.meta` read) with jsonschema_rs, which raises
        # UnicodeEncodeError on a lone surrogate. Its JSON text, surrogates as `\ud800` escapes
        # (the bytes the server gets either way), is a body Schemathesis sends without validating.
        case.body = _dump_json(case.body)
    return f"string {where}{list(path)} = {new!r}"


def _mutate_decimal(plan: dict[str, Any], case: Any) -> str | None:
    paths = _decimal_paths(case) if isinstance(case.body, dict) else []
    if not paths:
        return None
    path = _pick(paths, plan["index"])
    value = plan["decimal"]
    _set(case.body, path, value)
    if any(isinstance(v, RawNumber) for _, v in _leaves(case.body)):
        case.body = _dump_json(case.body)  # sent verbatim (serialize_json passes bytes through)
    shown = f"{value} (number)" if isinstance(value, RawNumber) else repr(value)
    return f"decimal body{list(path)} = {shown}"


def _mutate_query_brackets(plan: dict[str, Any], case: Any) -> str | None:
    names = sorted(case.query) if isinstance(case.query, dict) else []
    names += [p.name for p in case.operation.query] + ["a", "page", "note", "position"]
    key = _bracket_key(plan["shape"], plan["index"], names)
    value = plan["query_text"] if plan["how"] == "replace" else "1"
    query = dict(case.query) if isinstance(case.query, dict) else {}
    query[key] = value
    case.query = query
    return f"query key {_short(key)} = {value!r}"


def _mutate_form_body(plan: dict[str, Any], case: Any) -> str | None:
    if not isinstance(case.body, dict):
        return None
    pairs = rails_pairs(case.body)
    key = _bracket_key(plan["shape"], plan["index"], [*sorted(case.body), "a"])
    value = _pick(["1", "", "x", "true"], plan["index"])
    pairs.insert(plan["index"] % (len(pairs) + 1), (key, value))
    case.body = form_text(pairs)
    case.media_type = "application/x-www-form-urlencoded"
    return f"form body with key {_short(key)} = {value!r}"


_LATIN1 = st.text(alphabet=st.integers(0x80, 0xFF).map(chr), min_size=1, max_size=8)


def _mutate_auth_header(plan: dict[str, Any], case: Any) -> str | None:
    auth_headers = _profile(case).hostile.auth_headers
    names = [n for n in (case.headers or {}) if n.lower() in auth_headers]
    if not names:
        return None
    name = _pick(names, plan["index"])
    # A placeholder would be signed over; a garbled one goes out as it is.
    original = case.headers[name] if name.lower() == auth_headers[0] else "0" * 64
    # No whitespace (NEL, NBSP) at the ends: clients refuse a header value that starts with one.
    odd = plan["latin1"].strip() or "\xe9"
    new = {
        "replace": odd,
        "prefix": odd + original,
        "suffix": original + odd,
        "middle": original[: len(original) // 2] + odd + original[len(original) // 2 :],
    }[plan["how"]]
    case.headers[name] = new
    return f"header {name} = {new!r}"


def _short(key: str) -> str:
    return key if len(key) <= 60 else f"{key[:40]}…({len(key)} chars)"


_MUTATIONS = {
    "string": _mutate_string,
    "decimal": _mutate_decimal,
    "query_brackets": _mutate_query_brackets,
    "form_body": _mutate_form_body,
    "auth_header": _mutate_auth_header,
}

# Everything a mutation may use, drawn up front in one fixed shape whatever the case holds: the
# draws never depend on generated or server-returned data, so stateful runs replay and shrink.
_PLANS = st.fixed_dictionaries(
    {
        "roll": st.integers(0, 99),
        "kind": st.integers(0, len(_MUTATIONS) - 1),
        "index": st.integers(0, 2**16),
        "how": st.sampled_from(["replace", "prefix", "suffix", "middle"]),
        "text": HOSTILE_TEXT,
        "query_text": _QUERY_TEXT.map(lambda s: s or "\x00"),
        "decimal": _decimal_value(),
        "shape": st.integers(0, len(_BRACKET_SHAPES) - 1),
        "latin1": st.one_of(
            _LATIN1, st.sampled_from(["é".encode().decode("latin-1"), "\xff", "\x80"])
        ),
    }
)


def _apply_plan(case: Any, plan: dict[str, Any]) -> Any:
    if plan["roll"] >= HOSTILE_PERCENT:
        return case
    # Mutate copies: a generated body may be an object other cases share (the examples phase reuses
    # the spec's example), and a hostile change made in place turned up in later, unmarked cases.
    # Set past Case.__setattr__: an equal copy is no modification. The mutations' own changes are
    # (Schemathesis finds in-place ones by hash and re-validates them), so a body with a lone
    # surrogate goes to it as JSON text, which it does not validate (`_mutate_string`).
    for attribute in ("body", "query", "headers"):
        value = getattr(case, attribute, None)
        if isinstance(value, (dict, list)):
            object.__setattr__(case, attribute, copy.deepcopy(value))
    # Each kind in turn from the drawn one, so a case without strings still gets another kind.
    kinds = list(_MUTATIONS)
    start = plan["kind"]
    for kind in kinds[start:] + kinds[:start]:
        description = _MUTATIONS[kind](plan, case)
        if description is not None:
            _remember(case, description)
            return case
    return case


@schemathesis.hook
def flatmap_case(context: Any, case: Any) -> Any:
    return _PLANS.map(lambda plan: _apply_plan(case, plan))


# The checks that judge acceptance by the schema alone; a hostile case goes past the schema.
_SCHEMA_ACCEPTANCE_CHECKS = {
    "positive_data_acceptance",
    "negative_data_rejection",
    "missing_required_header",
    "ignored_auth",
    "unsupported_method",
}


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if hostility(case) is None:
        return True
    return not _SCHEMA_ACCEPTANCE_CHECKS.intersection(getattr(type(failure), "checks", ()))


@schemathesis.check
def hostile_error_names_the_problem(ctx: Any, response: Any, case: Any) -> bool | None:
    """A hostile input answered 4xx gets a JSON error that says what was wrong, in the error shape
    of the operation's API (its profile's `error_complaint`)."""
    what = hostility(case)
    if what is None or not 400 <= response.status_code < 500:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{response.status_code} without a JSON body for {what}") from None
    complaint = _profile(case).error_complaint(response.status_code, body)
    if complaint is not None:
        raise AssertionError(f"{response.status_code}: {complaint} for {what}: {body!r}")
    return True
