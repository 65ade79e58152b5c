"""Breaking changes between a released spec (the baseline) and the current one.

`python -m generator.breaking [--only NAME]` (the command; this module is the core) compares every
target of generator/specs.py with its last released spec, `openapi/released/<spec file stem>-<info.version>.yaml` (the highest version
there; a target without one is skipped). It prints each breaking change with its rule and location
and fails unless the current spec's `info.version` has a higher major version than the baseline's,
or the change is listed, with a reason, in `openapi/released/allowed-breaking.yaml`.

The question asked is: can a client written against the baseline fail against the current
contract? A request the baseline accepted may now be refused, or an answer may now carry
something the baseline ruled out. The rules (ids as printed):

Operations
  operation-removed            a method + path is gone (path parameter names do not matter)
  success-status-removed       a documented 2xx status is gone (adding one is compatible: a client
                               is expected to take any 2xx with the documented body as success)
  response-media-type-removed  a media type of a response is gone
Requests (parameters and bodies; what the baseline accepted must still be accepted)
  parameter-required           a new required parameter, or a parameter made required
  request-body-required        a request body made required
  request-media-type-removed   a media type of the request body is gone
  request-field-removed        a parameter or a body property is gone (the SDK drops its argument)
  request-property-required    a body property made required, or a new required one
  request-type-narrowed        a JSON type no longer accepted (null included; number -> integer)
  request-enum-narrowed        an enum value removed, or an enum/const put on an open field
  request-constraint-tightened a bound added or tightened (maximum, minimum, their exclusive forms,
                               maxLength, minLength, maxItems, minItems, maxProperties,
                               minProperties, multipleOf), uniqueItems or additionalProperties:
                               false added, or a pattern added or changed so that it refuses a
                               string the old one matched (found by sampling the old pattern; a
                               widened pattern passes, a pattern that cannot be sampled is flagged)
Responses (what the current contract may answer must have been possible before)
  response-property-removed    a property is gone
  response-property-optional   a required property is no longer required
  response-type-widened        a new JSON type (null included; integer -> number)
  response-enum-widened        a new enum value, or an enum/const dropped from a field

Compatible by these rules: new operations, new optional parameters and properties, new success or
error statuses, new response properties, widened request types, bounds and patterns, narrowed
response types, and new `x-known-values` (they are open by design). Not checked: security
requirements, headers of responses, `format`, and response bounds. A component reached from several
operations is reported once, at the first place it is reached (operations in path and method order).
"""

from __future__ import annotations

import importlib
import json
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .load import load_yaml
from .operations import METHODS, path_items
from .paths import branches
from .refs import resolve
from .versions import spec_major

# The regex parser of Python 3.11+ (sre_parse before); private, so typed loosely.
_sre: Any = importlib.import_module("re._parser")

Spec = dict[str, Any]
Schema = dict[str, Any]

RULES = (
    "operation-removed",
    "success-status-removed",
    "response-media-type-removed",
    "parameter-required",
    "request-body-required",
    "request-media-type-removed",
    "request-field-removed",
    "request-property-required",
    "request-type-narrowed",
    "request-enum-narrowed",
    "request-constraint-tightened",
    "response-property-removed",
    "response-property-optional",
    "response-type-widened",
    "response-enum-widened",
)

RELEASED_DIR = Path("openapi/released")
ALLOW_LIST = RELEASED_DIR / "allowed-breaking.yaml"
_ALL_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})
_UPPER = {"maximum": "number", "exclusiveMaximum": "number", "maxLength": "string", "maxItems": "array",
          "maxProperties": "object"}  # fmt: skip
_LOWER = {"minimum": "number", "exclusiveMinimum": "number", "minLength": "string", "minItems": "array",
          "minProperties": "object"}  # fmt: skip


@dataclass(frozen=True)
class Change:
    rule: str
    location: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.location}: {self.detail}"


def compare(old: Spec, new: Spec) -> list[Change]:
    """Every breaking change from old to new, in a stable order."""
    return _Diff(old, new).run()


# --- schema facts -----------------------------------------------------------------------------------


def _branch_types(branch: Schema) -> set[str]:
    declared = branch.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return set(declared)
    values = _branch_values(branch)
    if values is not None:
        return {_json_type(v) for v in values}
    if "properties" in branch:
        return {"object"}
    if "items" in branch:
        return {"array"}
    return set()


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


def _branch_values(branch: Schema) -> list[Any] | None:
    if "const" in branch:
        return [branch["const"]]
    if "enum" in branch:
        return list(branch["enum"])
    return None


def _types(spec: Spec, node: Schema) -> set[str]:
    """The JSON types a schema admits (every type when nothing restricts it)."""
    found: set[str] = set()
    typed = False
    for branch in branches(spec, node):
        types = _branch_types(branch)
        if types:
            typed = True
            found |= types
    return found if typed else set(_ALL_TYPES)


def _admits(types: set[str], json_type: str) -> bool:
    return json_type in types or (json_type == "integer" and "number" in types)


def _values(spec: Spec, node: Schema) -> set[str] | None:
    """The values a schema is limited to (JSON-encoded), or None when it is open. A bare null branch
    (`{type: 'null'}` beside an enum) adds null instead of opening the set."""
    values: set[str] = set()
    bearing = False
    for branch in branches(spec, node):
        listed = _branch_values(branch)
        if listed is not None:
            bearing = True
            values |= {json.dumps(v, sort_keys=True) for v in listed}
        elif _branch_types(branch) == {"null"}:
            values.add("null")
        elif _branch_types(branch):
            return None
    return values if bearing else None


def _bound(
    spec: Spec, node: Schema, keyword: str, json_type: str, upper: bool
) -> Decimal | None | str:
    """The loosest value of a bound over the branches of the type it applies to: None when one of them
    lacks it (unbounded), "n/a" when no branch has that type."""
    found: list[Decimal] = []
    for branch in branches(spec, node):
        types = _branch_types(branch)
        if not (json_type in types or (json_type == "number" and "integer" in types)):
            continue
        value = branch.get(keyword)
        if keyword in _ZERO_DEFAULT and value is None:
            value = 0  # an absent lower count bound is 0
        if keyword in ("maxLength", "minLength") and isinstance(branch.get("pattern"), str):
            value = _length_from_pattern(keyword, value, branch["pattern"])
        if value is None or isinstance(value, bool):
            return None
        found.append(Decimal(str(value)))
    if not found:
        return "n/a"
    return max(found) if upper else min(found)


_ZERO_DEFAULT = ("minLength", "minItems", "minProperties")


def _length_from_pattern(keyword: str, value: Any, pattern: str) -> Any:
    """A string length bound narrowed by what the pattern can match: a match is at least as long as the
    pattern's shortest match, and a pattern anchored at both ends matches nothing longer than its longest."""
    try:
        parsed = _sre.parse(pattern)
    except re.error:
        return value
    low, high = parsed.getwidth()
    if keyword == "minLength":
        return max(value, low)
    items = list(parsed)
    anchored = (
        len(items) >= 2
        and str(items[0][0]) == "AT" and str(items[0][1]) in ("AT_BEGINNING", "AT_BEGINNING_STRING")
        and str(items[-1][0]) == "AT" and str(items[-1][1]) in ("AT_END", "AT_END_STRING")
    )  # fmt: skip
    if not anchored or high >= _sre.MAXREPEAT:
        return value
    return high if value is None else min(value, high)


def _patterns(spec: Spec, node: Schema) -> list[str] | None:
    """The patterns of the string branches, or None when a string branch has none."""
    found: list[str] = []
    for branch in branches(spec, node):
        if "string" in _branch_types(branch) and _branch_values(branch) is None:
            if "pattern" not in branch:
                return None
            found.append(branch["pattern"])
    return found


def _properties(spec: Spec, node: Schema) -> tuple[dict[str, list[Schema]], set[str]]:
    props: dict[str, list[Schema]] = {}
    required: set[str] = set()
    for branch in branches(spec, node):
        for name, sub in (branch.get("properties") or {}).items():
            props.setdefault(name, []).append(sub)
        required.update(branch.get("required") or [])
    return props, required


def _items(spec: Spec, node: Schema) -> list[Schema]:
    return [b["items"] for b in branches(spec, node) if isinstance(b.get("items"), dict)]


def _map_values(spec: Spec, node: Schema) -> list[Schema]:
    return [
        b["additionalProperties"]
        for b in branches(spec, node)
        if isinstance(b.get("additionalProperties"), dict)
    ]


def _closed(spec: Spec, node: Schema) -> bool:
    return any(b.get("additionalProperties") is False for b in branches(spec, node))


def _one(schemas: list[Schema]) -> Schema:
    return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}


# --- pattern samples ----------------------------------------------------------------------------------

_POOL = "aZ09_-.:/ +@#~xQ5é"


class _Unsampleable(Exception):
    pass


def _draw(parsed: Any, rng: random.Random, mode: str) -> str:
    out: list[str] = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name in ("NOT_LITERAL", "ANY"):
            out.append(rng.choice(_POOL))
        elif name == "IN":
            out.append(_draw_in(arg, rng, mode))
        elif name == "BRANCH":
            alternatives = arg[1]
            pick = {"min": 0, "max": len(alternatives) - 1}.get(
                mode, rng.randrange(len(alternatives))
            )
            out.append(_draw(alternatives[pick], rng, mode))
        elif name == "SUBPATTERN":
            out.append(_draw(arg[-1], rng, mode))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            high = min(high, low + 4) if high == _sre.MAXREPEAT else high
            count = {"min": low, "max": high}.get(mode, rng.randint(low, high))
            out.extend(_draw(sub, rng, mode) for _ in range(count))
        elif name == "AT":
            continue
        else:  # lookarounds, back references, conditionals
            raise _Unsampleable(name)
    return "".join(out)


def _draw_in(items: list[Any], rng: random.Random, mode: str) -> str:
    choices: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            return rng.choice(_POOL)  # whatever is drawn is kept only if the whole pattern matches
        if name == "LITERAL":
            choices.append(chr(arg))
        elif name == "RANGE":
            low, high = arg
            choices += [chr(low), chr(high), chr(rng.randint(low, high))]
        elif name == "CATEGORY":
            choices += {"CATEGORY_DIGIT": "09", "CATEGORY_WORD": "aZ0_", "CATEGORY_SPACE": " "}.get(
                str(arg), _POOL
            )
    if not choices:
        return rng.choice(_POOL)
    return {"min": choices[0], "max": choices[-1]}.get(mode, rng.choice(choices))


def pattern_samples(pattern: str, count: int = 300) -> list[str] | None:
    """Strings the pattern matches, drawn deterministically; None when the pattern cannot be sampled."""
    try:
        parsed = _sre.parse(pattern)
        compiled = re.compile(pattern)
        rng = random.Random(pattern)
        drawn = [_draw(parsed, rng, "min"), _draw(parsed, rng, "max")]
        drawn += [_draw(parsed, rng, "random") for _ in range(count)]
    except (re.error, _Unsampleable, RecursionError):
        return None
    kept = sorted({s for s in drawn if compiled.search(s)})
    return kept or None


# --- the walk -------------------------------------------------------------------------------------------


def _norm_path(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _operations(spec: Spec) -> dict[tuple[str, str], tuple[str, Schema, Schema]]:
    found = {}
    for path, item in path_items(spec):
        for method in METHODS:
            if method in item:
                found[(_norm_path(path), method)] = (f"{method.upper()} {path}", item, item[method])
    return found


def _parameters(spec: Spec, item: Schema, operation: Schema) -> dict[tuple[str, str], Schema]:
    params: dict[tuple[str, str], Schema] = {}
    for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        param = resolve(spec, raw)
        params[(param["in"], param["name"])] = param
    return params


class _Diff:
    def __init__(self, old: Spec, new: Spec) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self._seen: set[tuple[int, int, bool]] = set()
        self._keep: list[Any] = []  # keeps wrapper schemas alive so their ids stay unique

    def add(self, rule: str, location: str, detail: str) -> None:
        self.changes.append(Change(rule, location, detail))

    def run(self) -> list[Change]:
        new_ops = _operations(self.new)
        for key, (name, old_item, old_op) in sorted(_operations(self.old).items()):
            if key not in new_ops:
                self.add("operation-removed", name, "the operation is gone")
                continue
            _, new_item, new_op = new_ops[key]
            self._parameters(
                name,
                _parameters(self.old, old_item, old_op),
                _parameters(self.new, new_item, new_op),
            )
            self._request_body(name, old_op.get("requestBody"), new_op.get("requestBody"))
            self._responses(name, old_op.get("responses") or {}, new_op.get("responses") or {})
        return self.changes

    def _parameters(
        self, op: str, old: dict[tuple[str, str], Schema], new: dict[tuple[str, str], Schema]
    ) -> None:
        for key in sorted(set(old) | set(new)):
            where = f"{op} {key[0]} parameter {key[1]!r}"
            if key not in new:
                self.add("request-field-removed", where, "the parameter is gone")
            elif new[key].get("required") and not (key in old and old[key].get("required")):
                self.add(
                    "parameter-required",
                    where,
                    "new and required" if key not in old else "now required",
                )
            if key in old and key in new and "schema" in old[key] and "schema" in new[key]:
                self.schema(old[key]["schema"], new[key]["schema"], where, "", request=True)

    def _request_body(self, op: str, old_raw: Schema | None, new_raw: Schema | None) -> None:
        old = resolve(self.old, old_raw) if old_raw else {}
        new = resolve(self.new, new_raw) if new_raw else {}
        if new.get("required") and not old.get("required"):
            self.add("request-body-required", f"{op} request body", "a body is now required")
        self._content(
            f"{op} request", old.get("content") or {}, new.get("content") or {}, request=True
        )

    def _responses(self, op: str, old: Schema, new: Schema) -> None:
        for status in sorted(old, key=str):
            where = f"{op} response {status}"
            if str(status) not in {str(s) for s in new}:
                if str(status).startswith("2"):
                    self.add("success-status-removed", where, "the success status is gone")
                continue
            new_status = next(s for s in new if str(s) == str(status))
            old_response, new_response = (
                resolve(self.old, old[status]),
                resolve(self.new, new[new_status]),
            )
            self._content(
                where,
                old_response.get("content") or {},
                new_response.get("content") or {},
                request=False,
            )

    def _content(self, where: str, old: Schema, new: Schema, *, request: bool) -> None:
        for media in sorted(old):
            if media not in new:
                rule = "request-media-type-removed" if request else "response-media-type-removed"
                self.add(rule, f"{where} {media}", "the media type is gone")
            elif "schema" in old[media] and "schema" in new[media]:
                self.schema(
                    old[media]["schema"],
                    new[media]["schema"],
                    f"{where} {media}",
                    "body",
                    request=request,
                )

    # One walk for both directions: `request` says which side may not narrow and which may not widen.
    def schema(
        self, old_node: Schema, new_node: Schema, where: str, field: str, *, request: bool
    ) -> None:
        self._keep += [old_node, new_node]
        key = (id(resolve(self.old, old_node)), id(resolve(self.new, new_node)), request)
        if key in self._seen:
            return  # a shared component: reported once, at the first place it is reached
        self._seen.add(key)
        at = f"{where}: {field}" if field else where
        old, new = (self.old, old_node), (self.new, new_node)
        self._types(at, _types(*old), _types(*new), request)
        self._enums(at, _values(*old), _values(*new), request)
        if request:
            self._constraints(at, old, new)
        self._props(where, field, old, new, request)
        for suffix, pick in (("[]", _items), ("{*}", _map_values)):
            old_subs, new_subs = pick(*old), pick(*new)
            if old_subs and new_subs:
                self.schema(
                    _one(old_subs), _one(new_subs), where, f"{field}{suffix}", request=request
                )

    def _types(self, at: str, old: set[str], new: set[str], request: bool) -> None:
        if request:
            lost = sorted(t for t in old if not _admits(new, t))
            if lost:
                self.add("request-type-narrowed", at, f"no longer accepts {', '.join(lost)}")
        else:
            gained = sorted(t for t in new if not _admits(old, t))
            if gained:
                self.add("response-type-widened", at, f"may now be {', '.join(gained)}")

    def _enums(self, at: str, old: set[str] | None, new: set[str] | None, request: bool) -> None:
        if request and new is not None:
            if old is None:
                self.add("request-enum-narrowed", at, f"now limited to {', '.join(sorted(new))}")
            elif old - new:
                self.add(
                    "request-enum-narrowed", at, f"no longer accepts {', '.join(sorted(old - new))}"
                )
        if not request and old is not None:
            if new is None:
                self.add("response-enum-widened", at, "no longer limited to its listed values")
            elif new - old:
                self.add("response-enum-widened", at, f"may now be {', '.join(sorted(new - old))}")

    def _constraints(self, at: str, old: tuple[Spec, Schema], new: tuple[Spec, Schema]) -> None:
        for table, upper in ((_UPPER, True), (_LOWER, False)):
            for keyword, json_type in table.items():
                before, after = (
                    _bound(*old, keyword, json_type, upper),
                    _bound(*new, keyword, json_type, upper),
                )
                if "n/a" in (before, after) or after is None:
                    continue
                assert not isinstance(before, str) and not isinstance(after, str)
                if before is None or (after < before if upper else after > before):
                    was = "none" if before is None else before
                    self.add("request-constraint-tightened", at, f"{keyword} {was} -> {after}")
        before_multiple = {b["multipleOf"] for b in branches(*old) if "multipleOf" in b}
        for after_multiple in sorted(
            {b["multipleOf"] for b in branches(*new) if "multipleOf" in b}
        ):
            if not any(
                Decimal(str(b)) % Decimal(str(after_multiple)) == 0 for b in before_multiple
            ):
                self.add("request-constraint-tightened", at, f"multipleOf {after_multiple} added")
        for flag, wording in (("uniqueItems", "uniqueItems added"),):
            if any(b.get(flag) for b in branches(*new)) and not any(
                b.get(flag) for b in branches(*old)
            ):
                self.add("request-constraint-tightened", at, wording)
        if _closed(*new) and not _closed(*old):
            self.add("request-constraint-tightened", at, "additionalProperties: false added")
        self._patterns(at, _patterns(*old), _patterns(*new))

    def _patterns(self, at: str, old: list[str] | None, new: list[str] | None) -> None:
        if new is None or (old is not None and sorted(set(old)) == sorted(set(new))):
            return
        if old is None:
            self.add("request-constraint-tightened", at, f"pattern {', '.join(new)} added")
            return
        compiled = [re.compile(p) for p in new]
        for pattern in old:
            samples = pattern_samples(pattern)
            if samples is None:
                self.add(
                    "request-constraint-tightened",
                    at,
                    f"pattern {pattern} changed and cannot be sampled",
                )
                return
            refused = [s for s in samples if not any(c.search(s) for c in compiled)]
            if refused:
                detail = f"pattern {pattern} -> {', '.join(new)} refuses {refused[0]!r}"
                self.add("request-constraint-tightened", at, detail)
                return

    def _props(
        self,
        where: str,
        field: str,
        old: tuple[Spec, Schema],
        new: tuple[Spec, Schema],
        request: bool,
    ) -> None:
        old_props, old_required = _properties(*old)
        new_props, new_required = _properties(*new)
        prefix = f"{field}." if field else ""
        for name in sorted(set(old_props) | set(new_props) | new_required | old_required):
            at = f"{where}: {prefix}{name}"
            if request:
                if name in old_props and name not in new_props:
                    self.add("request-field-removed", at, "the property is gone")
                if name in new_required and name not in old_required:
                    self.add(
                        "request-property-required",
                        at,
                        "now required" if name in old_props else "new and required",
                    )
            else:
                if name in old_props and name not in new_props:
                    self.add("response-property-removed", at, "the property is gone")
                elif name in old_required and name not in new_required:
                    self.add("response-property-optional", at, "no longer required")
            if name in old_props and name in new_props:
                self.schema(
                    _one(old_props[name]),
                    _one(new_props[name]),
                    where,
                    f"{prefix}{name}",
                    request=request,
                )


# --- baselines, the version gate and the command -----------------------------------------------------------


def load(path: Path) -> Spec:
    data: Spec = load_yaml(path)
    return data


def baseline_for(spec: Path, released_dir: Path) -> Path | None:
    """The last released copy of spec: `<stem>-<version>.yaml` in released_dir with the highest version."""
    from packaging.version import InvalidVersion, Version

    found: list[tuple[Version, Path]] = []
    for candidate in released_dir.glob(f"{spec.stem}-*.yaml"):
        try:
            found.append((Version(candidate.stem[len(spec.stem) + 1 :]), candidate))
        except InvalidVersion:
            continue
    return max(found)[1] if found else None


@dataclass(frozen=True)
class Verdict:
    changes: list[Change]
    unexcused: list[Change]
    major_bumped: bool
    old_version: str
    new_version: str

    @property
    def ok(self) -> bool:
        return self.major_bumped or not self.unexcused


def load_allow_list(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    entries = (load_yaml(path) or {}).get("allowed") or []
    for entry in entries:
        missing = {"target", "baseline", "rule", "location", "reason"} - {
            k for k, v in entry.items() if v
        }
        if missing:
            raise ValueError(f"{path}: entry {entry} lacks {', '.join(sorted(missing))}")
        if entry["rule"] not in RULES:
            raise ValueError(f"{path}: unknown rule {entry['rule']!r}")
    return list(entries)


def judge(target: str, old: Spec, new: Spec, allowed: Iterable[dict[str, str]] = ()) -> Verdict:
    old_version, new_version = str(old["info"]["version"]), str(new["info"]["version"])
    excused = {
        (e["rule"], e["location"])
        for e in allowed
        if e["target"] == target and str(e["baseline"]) == old_version
    }
    changes = compare(old, new)
    unexcused = [c for c in changes if (c.rule, f"{c.location}") not in excused]
    bumped = spec_major(new_version) > spec_major(old_version)
    return Verdict(changes, unexcused, bumped, old_version, new_version)


def report(name: str, verdict: Verdict) -> Iterator[str]:
    head = f"{name}: {verdict.old_version} -> {verdict.new_version}"
    if not verdict.changes:
        yield f"{head}: no breaking change"
        return
    yield f"{head}: {len(verdict.changes)} breaking change(s)"
    unexcused = set(verdict.unexcused)
    for change in verdict.changes:
        yield f"  {change}" + ("" if change in unexcused else "  (allowed)")
    if verdict.major_bumped:
        yield "  accepted: the major version was bumped"
    elif verdict.unexcused:
        yield (
            "  FAIL: bump the major version of info.version, or list each change with a reason in "
            + str(ALLOW_LIST)
        )
