"""Hostile inputs sent straight to each served API (in-process ASGI, exact bytes, signed as the
API's demo user); every generic test runs once per API (`[3commas]`, `[poloniex]`, from
tests/fuzz/targets.py), reading its operations and fields from the API's spec and `fuzz` profile.

What Hypothesis never generates on its own: lone surrogates and control characters in strings, Rails
bracket keys in query strings and form bodies, latin-1 bytes in the auth headers, extreme decimals
as JSON numbers and strings, decimals a hair past the spec's bounds, oversized bodies, thousands of
invalid take profit steps (3Commas). Every answer must be < 500 and JSON; a 4xx must be the API's
`Error` and say what was wrong in its shape (3Commas `error_attributes`/`error_description`,
Poloniex a `{code, message}` whose message names the parameter); after an accepted write the
user's data must still read back (tests/fuzz/readback.py). Seed and counts: tests/fuzz/budget.py.
"""

from __future__ import annotations

import copy
import json
import os
import re
import time
from decimal import Decimal, localcontext
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from reference_server.fuzz_hooks import (
    _BRACKET_SHAPES,
    _LATIN1,
    HOSTILE_TEXT,
    RawNumber,
    _bracket_key,
    _decimal_names,
    _decimal_value,
    _dump_json,
    _leaves,
    form_text,
    rails_pairs,
)
from reference_server.limits import MAX_BODY_BYTES

from .budget import HOSTILE_EXAMPLES, SEED, count
from .readback import Answer
from .targets import TARGETS, Target

STALL_SECONDS = float(os.environ.get("FUZZ_STALL_SECONDS", "20"))

HOSTILE = settings(
    max_examples=HOSTILE_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=list(HealthCheck),
)
APIS = pytest.mark.parametrize("api", list(TARGETS))


class Api:
    """One target's hostile plan: its valid create, operations' paths and error checks."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.client = target.client
        self.contract = target.contract
        self.read_back = target.read_back
        self.plan = target.profile.hostile
        self.error = self.contract.component("Error")
        self.valid_create = dict(self.plan.valid_create)
        self.create_path, self.create_method = self._op(self.plan.create)
        self.cancel_path, self.cancel_method = self._op(self.plan.cancel)
        self.list_path = self.read_back.lists[0][0]
        self.get_path = self.read_back.get_path
        self.string_paths = [p for p, v in _leaves(self.valid_create) if isinstance(v, str)]
        self.decimal_paths = _decimal_paths(
            self.valid_create, _decimal_names(self.contract.document)
        )

    def _op(self, operation_id: str) -> tuple[str, str]:
        path, method = self.contract.operation(operation_id)
        return path, method.upper()

    @staticmethod
    def at(template: str, resource_id: Any) -> str:
        return re.sub(r"\{[^}]+\}", str(resource_id), template)

    def fresh(self) -> None:
        count("hostile", self.target.name)
        self.target.reset()

    def judge(self, answer: Answer, what: str) -> Any:
        """< 500, JSON; a 4xx is the API's `Error` naming the problem. Returns the body."""
        assert answer.status < 500, f"{what}: answered {answer}"
        assert answer.headers.get("content-type", "").startswith("application/json"), (
            f"{what}: not JSON: {answer}"
        )
        body = answer.json()
        if answer.status >= 400:
            errors = [e.message for e in self.error.iter_errors(body)]
            assert not errors, f"{what}: error body breaks the spec's Error: {errors[:3]} {answer}"
            complaint = self.target.profile.error_complaint(answer.status, body)
            assert complaint is None, f"{what}: {complaint}: {answer}"
        return body

    def send_create(self, body: Any, query: bytes = b"") -> Answer:
        raw = body if isinstance(body, bytes) else _dump_json(body)
        return self.client.request(
            self.create_method, self.create_path, query, raw, "application/json"
        )

    def create(self, body: Any, what: str) -> Any:
        answer = self.send_create(body)
        out = self.judge(answer, what)
        if 200 <= answer.status < 300:
            self.read_back.check(self.created_id(out), what)
            return out
        return None

    def created_id(self, body: Any) -> Any:
        return self.read_back.written_id(self.plan.create, {}, body)

    def open(self) -> Any:
        answer = self.send_create(self.valid_create)
        assert 200 <= answer.status < 300, answer
        return self.created_id(answer.json())

    def cancel(self, resource_id: Any, what: str) -> None:
        answer = self.client.json(self.cancel_method, self.at(self.cancel_path, resource_id))
        self.judge(answer, f"cancel after {what}")
        assert answer.status < 300, f"cancel after {what}: answered {answer}"
        self.read_back.check(resource_id, f"cancel after {what}")


def _decimal_paths(
    body: Any, names: frozenset[str], path: tuple[Any, ...] = ()
) -> list[tuple[Any, ...]]:
    if isinstance(body, dict):
        out = []
        for key, item in body.items():
            if key in names and not isinstance(item, (dict, list)):
                out.append((*path, key))
            out += _decimal_paths(item, names, (*path, key))
        return out
    if isinstance(body, list):
        return [p for i, item in enumerate(body) for p in _decimal_paths(item, names, (*path, i))]
    return []


def _put(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(body)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


API = {name: Api(target) for name, target in TARGETS.items()}
# 3Commas alone (tests of its own operations).
TC = API["3commas"]
VALID_CREATE = TC.valid_create



# ---- strings -----------------------------------------------------------------------------------


# Regression: a lone surrogate in a note is stored and every list/get answers 500 after
@APIS
@seed(SEED)
@HOSTILE
@given(text=HOSTILE_TEXT, index=st.integers(0, 100), how=st.sampled_from(["replace", "suffix"]))
def test_hostile_text_in_create_strings(api: str, text: str, index: int, how: str) -> None:
    """Odd text in each string of a valid create (the note, the pair or symbol, the side, ...)."""
    target = API[api]
    target.fresh()
    path = target.string_paths[index % len(target.string_paths)]
    original = dict(_leaves(target.valid_create))[path]
    value = text if how == "replace" else original + text
    what = f"create with {'.'.join(map(str, path))} = {value!r}"
    target.create(_put(target.valid_create, path, value), what)


@seed(SEED)
@settings(HOSTILE, max_examples=max(1, HOSTILE_EXAMPLES // 2))
@given(text=HOSTILE_TEXT, where=st.sampled_from(["set_note", "update note"]))
def test_hostile_text_in_notes_3commas(text: str, where: str) -> None:
    TC.fresh()
    what = f"{where} = {text!r}"
    trade = TC.open()
    path = (
        f"/v2/smart_trades/{trade}/set_note" if where == "set_note" else f"/v2/smart_trades/{trade}"
    )
    method = "POST" if where == "set_note" else "PATCH"
    answer = TC.client.json(method, path, {"note": text})
    TC.judge(answer, what)
    if answer.status < 300:
        TC.read_back.check(trade, what)


# ---- bracket keys ------------------------------------------------------------------------------


# Regression: bracket keys 2000 deep in the query or a form body answer 500
@APIS
@seed(SEED)
@HOSTILE
@given(
    shape=st.integers(0, len(_BRACKET_SHAPES) - 1),
    head=st.integers(0, 100),
    value=st.sampled_from(["1", "", "x", "%00", "true"]),
    where=st.sampled_from(
        ["list query", "get query", "create form", "create query", "cancel form"]
    ),
)
def test_bracket_keys(api: str, shape: int, head: int, value: str, where: str) -> None:
    target = API[api]
    target.fresh()
    names = sorted(target.valid_create) if where.startswith("create") else [*target.plan.query_names]
    key = _bracket_key(shape, head, names)
    pair = form_text([(key, value)]).encode()
    what = f"{where} with {key[:60]!r}{'…' if len(key) > 60 else ''}={value!r}"
    client = target.client
    form_type = "application/x-www-form-urlencoded"
    if where == "list query":
        answer = client.request("GET", target.list_path, pair)
    elif where == "get query":
        answer = client.request("GET", target.at(target.get_path, target.open()), pair)
    elif where == "create query":
        answer = target.send_create(target.valid_create, pair)
    elif where == "create form":
        pairs = rails_pairs(target.valid_create)
        pairs.insert(head % (len(pairs) + 1), (key, value))
        form = form_text(pairs).encode()
        answer = client.request(target.create_method, target.create_path, b"", form, form_type)
    else:
        resource = target.open()
        answer = client.request(
            target.cancel_method, target.at(target.cancel_path, resource), b"", pair, form_type
        )
    body = target.judge(answer, what)
    if 200 <= answer.status < 300 and where.startswith("create"):
        target.read_back.check(target.created_id(body), what)
    elif 200 <= answer.status < 300 and where == "cancel form":
        target.read_back.check(resource, what)


# ---- auth headers ------------------------------------------------------------------------------


# Regression: a non-ASCII byte in the Signature header answers 500
@APIS
@seed(SEED)
@HOSTILE
@given(
    header=st.integers(0, 10),
    odd=_LATIN1,
    how=st.sampled_from(["replace", "suffix", "prefix"]),
    method=st.sampled_from(["GET", "POST"]),
)
def test_non_ascii_auth_headers(api: str, header: int, odd: str, how: str, method: str) -> None:
    target = API[api]
    target.fresh()
    names = target.plan.auth_headers
    name = names[header % len(names)].encode()
    if method == "POST":
        body, path, verb = _dump_json(target.valid_create), target.create_path, target.create_method
    else:
        body, path, verb = b"", target.list_path, "GET"
    raw_path = (target.client.prefix + path).encode()
    good = target.target.profile.sign_raw(verb, raw_path, b"", body)
    original = dict(good)[name]
    raw = odd.encode("latin-1")
    value = {"replace": raw, "suffix": original + raw, "prefix": raw + original}[how]
    headers = [(n, value if n == name else v) for n, v in good]
    answer = target.client.request(
        verb, path, b"", body, "application/json" if body else None, headers, sign=False
    )
    what = f"{name.decode()} = {value!r}"
    out = target.judge(answer, what)
    assert answer.status in (400, 401), f"{what}: answered {answer}"
    code = out.get("error", out.get("code"))
    assert code in target.plan.auth_error_codes, f"{what}: answered {answer}"


# ---- decimals ----------------------------------------------------------------------------------


@APIS
@seed(SEED)
@HOSTILE
@given(index=st.integers(0, 100), value=_decimal_value())
def test_extreme_decimals(api: str, index: int, value: Any) -> None:
    target = API[api]
    target.fresh()
    path = target.decimal_paths[index % len(target.decimal_paths)]
    shown = f"{value} (number)" if isinstance(value, RawNumber) else repr(value)
    what = f"create with {'.'.join(map(str, path))} = {shown}"
    created = target.create(_put(target.valid_create, path, value), what)
    if created is not None:
        target.cancel(target.created_id(created), what)


def _bounded_decimals(target: Api) -> list[tuple[tuple[Any, ...], str, Decimal]]:
    """(path in the valid create, keyword, bound) for each decimal there whose number form the spec
    bounds (`maximum: 100`, `exclusiveMinimum: 0`...), read from the spec's request schema."""
    doc = target.contract.document
    schemas = doc["components"]["schemas"]

    def deref(node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            node = schemas[node["$ref"].rsplit("/", 1)[-1]]
        return node

    out = []

    def walk(schema: Any, body: Any, path: tuple[Any, ...]) -> None:
        schema = deref(schema)
        if isinstance(body, list):
            for i, item in enumerate(body):
                walk(schema.get("items", {}), item, (*path, i))
            return
        if not isinstance(body, dict):
            if schema.get("format") == "decimal":
                for branch in map(deref, schema.get("anyOf", [])):
                    for keyword in ("maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum"):
                        if branch.get("type") == "number" and keyword in branch:
                            out.append((path, keyword, Decimal(str(branch[keyword]))))
            return
        for key, item in body.items():
            walk((schema.get("properties") or {}).get(key, {}), item, (*path, key))

    operation = doc["paths"][target.create_path][target.create_method.lower()]
    walk(operation["requestBody"]["content"]["application/json"]["schema"], target.valid_create, ())
    return [b for b in out if abs(b[2]) < Decimal("1e20")]


BOUNDS = [(api, bound) for api, target in API.items() for bound in _bounded_decimals(target)]


# Regression: decimal bounds compared on a float copy (100.00000000000000000001 passes maximum 100)
@seed(SEED)
@settings(HOSTILE, max_examples=max(20, HOSTILE_EXAMPLES // 5))
@given(
    bound=st.sampled_from(BOUNDS) if BOUNDS else st.nothing(),
    digits=st.integers(15, 40),
    as_number=st.booleans(),
)
def test_decimal_bounds_are_exact(
    bound: tuple[str, tuple[tuple[Any, ...], str, Decimal]], digits: int, as_number: bool
) -> None:
    """A decimal a hair past its bound (`100.00000000000000000001` for `maximum: 100`) is refused
    (3Commas 422, Poloniex 400) naming the field: bounds are compared exactly, not on a float copy."""
    api, (path, keyword, limit) = bound
    target = API[api]
    target.fresh()
    with localcontext(prec=100):
        step = Decimal(1).scaleb(-digits)
        beyond = limit + step if "aximum" in keyword else limit - step
        if keyword.startswith("exclusive"):
            beyond = limit
        text = format(beyond, "f")
    value = RawNumber(text) if as_number else text
    what = (
        f"{api} create with {'.'.join(map(str, path))} = {text}"
        f"{' (number)' if as_number else ''} ({keyword} {limit})"
    )
    answer = target.send_create(_put(target.valid_create, path, value))
    body = target.judge(answer, what)
    assert answer.status in (400, 422), f"{what}: accepted: {answer}"
    assert str(path[-1]) in json.dumps(body), f"{what}: the error does not name {path[-1]}: {answer}"


# ---- oversized bodies --------------------------------------------------------------------------


@APIS
@pytest.mark.parametrize("size", [MAX_BODY_BYTES + 1, 4 * MAX_BODY_BYTES])
def test_oversized_create_body(api: str, size: int) -> None:
    """A create body past the size limit is refused with the API's error, not read or kept."""
    target = API[api]
    target.fresh()
    padded = dict(target.valid_create)
    text = _dump_json(padded)
    padding = size - len(text)
    key = target.string_paths[0][-1]
    padded[key] = str(padded[key]) + "x" * max(padding, 1)
    answer = target.send_create(padded)
    target.judge(answer, f"create of {size} bytes")
    assert 400 <= answer.status < 500, f"create of {size} bytes: answered {answer}"


# ---- many steps --------------------------------------------------------------------------------


def _steps_body(step: dict[str, Any], steps: int) -> bytes:
    body = copy.deepcopy(VALID_CREATE)
    body["take_profit"]["steps"] = [step] * steps
    return json.dumps(body).encode()


def _most_steps_under_the_limit(step: dict[str, Any]) -> int:
    """The largest step count whose create body (as `TC.client.json` sends it) fits the limit."""
    low, high = 1, MAX_BODY_BYTES
    while low < high:
        middle = (low + high + 1) // 2
        if len(_steps_body(step, middle)) <= MAX_BODY_BYTES:
            low = middle
        else:
            high = middle - 1
    return low


# The answer to the most steps that fit: a 422 naming at most MAX_VALIDATION_ERRORS fields stays
# small whatever the step count.
MAX_ANSWER_BYTES = 16 * 1024


@pytest.mark.parametrize(
    "step",
    [
        {"order_type": "limit", "price": {"type": "bid"}, "volume": "x"},
        {"order_type": "limit", "price": {"value": "12000", "type": "bid"}, "volume": "0.01"},
        {},
    ],
    ids=["invalid", "valid-looking", "empty"],
)
def test_many_take_profit_steps_do_not_stall_3commas(step: dict[str, Any]) -> None:
    """The most steps that fit under the body limit (MAX_BODY_BYTES) answer 422 in bounded time
    and size; a tenth of them may cost about a tenth of the time, not a hundredth (timings on a
    shared CI box are noisy, so the growth is judged, with an absolute ceiling of
    `FUZZ_STALL_SECONDS`, 20 s by default). One step more is past the limit: 413 naming `body`,
    without reading the steps."""
    most = _most_steps_under_the_limit(step)
    assert most >= 500, f"only {most} steps like {step} fit in {MAX_BODY_BYTES} bytes"
    elapsed = {}
    for steps in (most // 10, most):
        TC.fresh()
        raw = _steps_body(step, steps)
        start = time.perf_counter()
        answer = TC.client.request("POST", "/v2/smart_trades", b"", raw, "application/json")
        elapsed[steps] = time.perf_counter() - start
        TC.judge(answer, f"create with {steps} take profit steps like {step}")
        assert answer.status == 422, answer
        assert len(answer.content) <= MAX_ANSWER_BYTES, (
            f"{steps} steps: a {len(answer.content)}-byte answer"
        )
    # Under 50 ms the timer's noise is the measure, not the steps (a tenth of 16,000 empty steps
    # took 2 ms, the whole 0.2 s: "119x").
    growth = elapsed[most] / max(elapsed[most // 10], 0.05)
    assert elapsed[most] < STALL_SECONDS and growth < 40, (
        f"{most // 10} steps took {elapsed[most // 10]:.2f} s, {most} took {elapsed[most]:.2f} s "
        f"({growth:.0f}x)"
    )
    TC.fresh()
    raw = _steps_body(step, most + 1)
    assert len(raw) > MAX_BODY_BYTES
    answer = TC.client.request("POST", "/v2/smart_trades", b"", raw, "application/json")
    body = TC.judge(answer, f"create with {most + 1} take profit steps like {step}")
    assert answer.status == 413, answer
    assert "body" in (body.get("error_attributes") or {}), answer
