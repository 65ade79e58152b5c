"""Routing and request validation read from an API's spec at start (`ApiDefinition.spec_path`).

No schema is restated here: each operation's parameters and request body are validated with
jsonschema (Draft 2020-12) against the spec's own schemas, `$ref`s resolved inside the spec.
Errors come back as Rails bracket paths (`take_profit[steps][0][price][type]`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path
from typing import Any

from jsonschema import (  # type: ignore[import-untyped]
    Draft202012Validator,
    FormatChecker,
    ValidationError,
)
from jsonschema.validators import extend  # type: ignore[import-untyped]

from spec_tools.load import load_yaml
from spec_tools.refs import registry as spec_registry
from spec_tools.refs import resolve as spec_resolve
from spec_tools.validators import validator_at

from .limits import MAX_VALIDATION_ERRORS

# The base URI of the spec document in its jsonschema registry (`{SPEC_URI}#/components/...`).
SPEC_URI = "urn:reference-server-spec"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _is_integer(checker: Any, instance: Any) -> bool:
    # JSON Schema counts 1774.0 as an integer; our JSON numbers arrive as Decimal, not float.
    if isinstance(instance, bool):
        return False
    if isinstance(instance, Decimal):
        return instance.is_finite() and instance == instance.to_integral_value()
    return bool(Draft202012Validator.TYPE_CHECKER.is_type(instance, "integer"))


_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)
FORMATS = FormatChecker(formats=())


def parse_rfc3339(value: str) -> datetime | None:
    """An RFC 3339 date-time (`T`/`t`, `Z`/`z` or an offset, any fraction of a second) as an aware
    UTC datetime; None when it is not one, or names an instant datetime cannot hold. The one parser
    behind both the `date-time` format check and the list filters: what validation accepts, the
    filter reads. Leap seconds (`:60`) are refused: datetime has no such second."""
    found = _RFC3339.fullmatch(value)
    if found is None:
        return None
    year, month, day, hour, minute, second = (int(found.group(i)) for i in range(1, 7))
    fraction, zulu, sign, off_hours, off_minutes = found.group(7, 8, 9, 10, 11)
    micro = int((fraction or "")[:6].ljust(6, "0"))
    try:
        if zulu:
            zone = UTC
        else:
            if int(off_hours) > 23 or int(off_minutes) > 59:
                return None
            offset = timedelta(hours=int(off_hours), minutes=int(off_minutes))
            zone = timezone(-offset if sign == "-" else offset)
        moment = datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


@FORMATS.checks("date-time")  # type: ignore[untyped-decorator]
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or parse_rfc3339(value) is not None


@FORMATS.checks("int64")  # type: ignore[untyped-decorator]
def _is_int64(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return True
    return -(2**63) <= value <= 2**63 - 1


def _exact(number: Any) -> Decimal:
    if isinstance(number, float):
        return Decimal(repr(number))  # the spec's `0.01` is the decimal 0.01, not the float's value
    return number if isinstance(number, Decimal) else Decimal(number)


def _exact_bound(
    broken: Callable[[Decimal, Decimal], bool], word: str
) -> Callable[[Any, Any, Any, Any], Iterator[ValidationError]]:
    """minimum & co. compared on exact decimals: request numbers arrive as Decimal (never a float
    copy, which would let `100.00000000000000000001` meet `maximum: 100`), bounds as written."""

    def check(validator: Any, bound: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if not validator.is_type(instance, "number"):
            return
        try:
            out_of_bounds = broken(_exact(instance), _exact(bound))
        except (InvalidOperation, ValueError, TypeError):
            out_of_bounds = True  # not a comparable number (NaN)
        if out_of_bounds:
            yield ValidationError(f"the value is {word} {bound!r}")  # never repr a huge number

    return check


Validator = extend(
    Draft202012Validator,
    validators={
        "minimum": _exact_bound(lambda v, b: v < b, "less than the minimum of"),
        "exclusiveMinimum": _exact_bound(lambda v, b: v <= b, "not greater than"),
        "maximum": _exact_bound(lambda v, b: v > b, "greater than the maximum of"),
        "exclusiveMaximum": _exact_bound(lambda v, b: v >= b, "not less than"),
    },
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


def bracket_path(parts: Iterable[Any]) -> str:
    items = [str(p) for p in parts]
    if not items:
        return "base"
    return items[0] + "".join(f"[{p}]" for p in items[1:])


def _message(error: ValidationError) -> str:
    kind = error.validator
    value = error.validator_value
    if kind == "required":
        return "is missing"
    if kind == "enum":
        return "is not included in the list"
    if kind == "const":
        return f"must be {value!r}"
    if kind in ("minimum", "exclusiveMinimum"):
        word = "greater than or equal to" if kind == "minimum" else "greater than"
        return f"must be {word} {value}"
    if kind in ("maximum", "exclusiveMaximum"):
        word = "less than or equal to" if kind == "maximum" else "less than"
        return f"must be {word} {value}"
    if kind == "minLength":
        return f"is too short (minimum is {value} characters)"
    if kind == "maxLength":
        return f"is too long (maximum is {value} characters)"
    if kind == "minItems":
        return f"must have at least {value} items"
    if kind == "maxItems":
        return f"must have at most {value} items"
    if kind in ("additionalProperties", "unevaluatedProperties"):
        return "is not a permitted parameter"
    if kind == "type":
        return f"must be of type {value if isinstance(value, str) else ' or '.join(value)}"
    return "is invalid"


def _add(out: dict[str, list[str]], key: str, message: str) -> None:
    messages = out.setdefault(key, [])
    if message not in messages:
        messages.append(message)


def errors_to_attributes(
    errors: Iterable[ValidationError], prefix: list[Any], either: dict[int, str] | None = None
) -> dict[str, list[str]]:
    """`either` maps a `then: {required: [B]}` reached from `if: {not: {required: [A]}}` to A, so
    the key names both fields the way the real API joins them (`...[value],...[percent]`)."""
    out: dict[str, list[str]] = {}
    for error in errors:
        parts = [*prefix, *error.absolute_path]
        if error.validator == "required":
            missing = [
                k
                for k in error.validator_value
                if isinstance(error.instance, dict) and k not in error.instance
            ]
            alternative = (either or {}).get(id(error.schema))
            for name in missing or ["base"]:
                key = bracket_path([*parts, name])
                if alternative is not None:
                    key = f"{bracket_path([*parts, alternative])},{key}"
                _add(out, key, "is missing")
            continue
        if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(
            error.instance, dict
        ):
            allowed = set((error.schema.get("properties") or {}).keys())
            extras = [k for k in error.instance if k not in allowed] or ["base"]
            for name in extras:
                _add(out, bracket_path([*parts, name]), "is not a permitted parameter")
            continue
        _add(out, bracket_path(parts), _message(error))
    return out


def _either_rules(node: Any, found: dict[int, str]) -> None:
    """Find `if: {not: {required: [A]}}, then: {required: [B]}` anywhere in the document."""
    if isinstance(node, dict):
        cond, then = node.get("if"), node.get("then")
        if isinstance(cond, dict) and isinstance(then, dict):
            negated = cond.get("not")
            if isinstance(negated, dict) and len(negated.get("required") or []) == 1:
                found[id(then)] = negated["required"][0]
        for value in node.values():
            _either_rules(value, found)
    elif isinstance(node, list):
        for value in node:
            _either_rules(value, found)


# Keywords that never reject an instance (jsonschema ignores unknown ones; these are the usual).
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "deprecated", "default", "$comment"}
)
_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, Decimal),
    "string": (str,),
    "boolean": (bool,),
}
Check = Callable[[Any], bool]


def compile_scalar_check(schema: Any) -> Check | None:
    """A fast acceptance test for a simple scalar schema, generated from its keywords: `check(v)`
    True means the server's jsonschema validator (`Validator`, `FORMATS`) accepts `v` too; False
    means "ask jsonschema", which then names the problem. None when the schema uses anything but
    one `type` (integer, number, string, boolean) with bounds, lengths, `pattern`, `enum` and the
    formats below: jsonschema stays the only judge of anything else."""
    if not isinstance(schema, dict) or not isinstance(schema.get("type"), str):
        return None
    kind = schema["type"]
    if kind not in _PYTHON_TYPES:
        return None
    tests: list[Check] = []
    python_types = _PYTHON_TYPES[kind]
    # bool is an int to Python, never an integer or number to JSON Schema.
    tests.append(lambda v: type(v) in python_types)
    for keyword, value in schema.items():
        if keyword == "type" or keyword in _ANNOTATIONS or keyword.startswith("x-"):
            continue
        if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if kind not in ("integer", "number") or isinstance(value, bool):
                return None
            if not isinstance(value, (int, float, Decimal)):
                return None
            bound = _exact(value)
            tests.append(
                {
                    "minimum": lambda v, b=bound: v >= b,
                    "maximum": lambda v, b=bound: v <= b,
                    "exclusiveMinimum": lambda v, b=bound: v > b,
                    "exclusiveMaximum": lambda v, b=bound: v < b,
                }[keyword]
            )
        elif keyword in ("minLength", "maxLength") and kind == "string":
            if not isinstance(value, int) or isinstance(value, bool):
                return None
            tests.append(_length(value, keyword == "minLength"))
        elif keyword == "pattern" and kind == "string" and isinstance(value, str):
            try:
                search = re.compile(value).search
            except re.error:
                return None
            tests.append(_matches(search))
        elif keyword == "enum" and isinstance(value, list):
            # Same type and equal: jsonschema tells 1 from true and 1.0 from "1.0" the same way.
            tests.append(_one_of([(type(c), c) for c in value if type(c) in python_types]))
        elif keyword == "format" and isinstance(value, str):
            if value == "int64" and kind in ("integer", "number"):
                tests.append(lambda v: -(2**63) <= v <= 2**63 - 1)
            elif value == "date-time" and kind == "string":
                tests.append(lambda v: parse_rfc3339(v) is not None)
            elif value in FORMATS.checkers:
                return None  # a format the server checks and this does not know
            # Any other format is an annotation to the server's checker, as to this.
        else:
            return None

    def check(value: Any) -> bool:
        try:
            return all(test(value) for test in tests)
        except (ArithmeticError, TypeError, ValueError):
            return False  # jsonschema decides

    return check


def _length(limit: int, at_least: bool) -> Check:
    if at_least:
        return lambda v: len(v) >= limit
    return lambda v: len(v) <= limit


def _matches(search: Callable[[str], Any]) -> Check:
    return lambda v: search(v) is not None


def _one_of(choices: list[tuple[type, Any]]) -> Check:
    # Same type and equal: stricter than jsonschema (which counts 1.0 equal to 1), never looser.
    return lambda v: any(type(v) is kind and v == choice for kind, choice in choices)


@dataclass
class Parameter:
    name: str
    location: str  # path / query / header
    required: bool
    schema: dict[str, Any]
    validator: Any
    scalar_type: str | None  # integer / number / boolean / string: how to read a raw string
    # compile_scalar_check of the schema: values it accepts skip jsonschema (None: always ask it).
    check: Check | None = None


@dataclass
class Operation:
    operation_id: str
    method: str
    template: str
    pattern: re.Pattern[str]
    parameters: list[Parameter]
    body_validator: Any | None
    body_required: bool
    body_media_types: list[str]
    success_status: int
    error_statuses: set[int] = field(default_factory=set)
    either: dict[int, str] = field(default_factory=dict, repr=False)
    body_schema: Any | None = None
    resolve: Callable[[Any], Any] = field(default=lambda node: node, repr=False)
    deprecated: bool = False


class ParameterError(Exception):
    def __init__(self, location: str, attributes: dict[str, list[str]]) -> None:
        super().__init__(location)
        self.location = location
        self.attributes = attributes


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


class Spec:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.document: dict[str, Any] = load_yaml(self.path)
        self.registry = spec_registry(self.document, SPEC_URI)
        self.either: dict[int, str] = {}
        _either_rules(self.document, self.either)
        self.operations: list[Operation] = []
        self.by_id: dict[str, Operation] = {}
        self.methods_by_template: dict[str, list[str]] = {}
        for template, item in (self.document.get("paths") or {}).items():
            item = self._deref(item)
            shared = item.get("parameters") or []
            methods = [m for m in METHODS if m in item]
            self.methods_by_template[template] = [m.upper() for m in methods]
            for method in methods:
                op = self._operation(template, method, item[method], shared)
                self.operations.append(op)
                self.by_id[op.operation_id] = op
        self._by_template: dict[str, list[Operation]] = {}
        self._patterns: dict[str, re.Pattern[str]] = {}
        for op in self.operations:
            self._by_template.setdefault(op.template, []).append(op)
            self._patterns[op.template] = op.pattern
        # Per segment, a fixed one sorts before a templated one; otherwise the spec's order.
        self._templates = sorted(
            self._by_template,
            key=lambda t: [1 if "{" in segment else 0 for segment in t.strip("/").split("/")],
        )

    # -- loading -------------------------------------------------------------------------------
    def _deref(self, node: Any) -> Any:
        return spec_resolve(self.document, node)

    def _validator(self, pointer: str) -> Any:
        # The server's class (exact-decimal bounds, Decimal integers) and formats on the shared registry.
        return validator_at(
            self.document, pointer, cls=Validator, format_checker=FORMATS, uri=SPEC_URI
        )

    def _plain(self, schema: Any) -> Any:
        """The schema behind a lone `$ref` (siblings of a `$ref` also apply: None then)."""
        for _ in range(8):
            if not isinstance(schema, dict) or "$ref" not in schema:
                return schema
            if set(schema) - _ANNOTATIONS - {"$ref"}:
                return None
            ref = schema["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return None
            schema = self._deref({"$ref": ref})
        return None

    def _scalar_type(self, schema: Any, depth: int = 0) -> str | None:
        schema = self._deref(schema)
        if not isinstance(schema, dict) or depth > 8:
            return None
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        if isinstance(kind, str):
            return kind
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key) or []:
                found = self._scalar_type(sub, depth + 1)
                if found in ("integer", "number", "boolean"):
                    return found
        return None

    def _operation(
        self, template: str, method: str, raw: dict[str, Any], shared: list[Any]
    ) -> Operation:
        base = _pointer("paths", template, method)
        params: dict[tuple[str, str], Parameter] = {}
        for source, entries in (("shared", shared), ("own", raw.get("parameters") or [])):
            for index, entry in enumerate(entries):
                if "$ref" in entry:
                    pointer = entry["$ref"][2:]
                else:
                    pointer = (
                        f"{_pointer('paths', template)}/parameters/{index}"
                        if source == "shared"
                        else f"{base}/parameters/{index}"
                    )
                resolved = self._deref(entry)
                location = resolved["in"]
                if location == "cookie":
                    continue
                schema = resolved.get("schema") or {}
                params[(resolved["name"].lower(), location)] = Parameter(
                    name=resolved["name"],
                    location=location,
                    required=bool(resolved.get("required")) or location == "path",
                    schema=schema,
                    validator=self._validator(f"{pointer}/schema"),
                    scalar_type=self._scalar_type(schema),
                    check=compile_scalar_check(self._plain(schema)),
                )
        body_validator = None
        body_schema = None
        body_required = False
        media_types: list[str] = []
        if "requestBody" in raw:
            body = self._deref(raw["requestBody"])
            body_pointer = (
                raw["requestBody"]["$ref"][2:]
                if "$ref" in raw["requestBody"]
                else f"{base}/requestBody"
            )
            body_required = bool(body.get("required"))
            content = body.get("content") or {}
            media_types = list(content)
            media = (
                "application/json" if "application/json" in content else next(iter(content), None)
            )
            if media is not None and "schema" in content[media]:
                body_validator = self._validator(f"{body_pointer}/content/{_pointer(media)}/schema")
                body_schema = content[media]["schema"]
        codes = [str(code) for code in (raw.get("responses") or {})]
        statuses = [int(code) for code in codes if code.isascii() and code.isdigit()]
        # The operation's `x-success-status` (openapi/README.md), else its one 2xx response.
        declared = min((c for c in statuses if 200 <= c < 300), default=200)
        success = int(raw.get("x-success-status") or declared)
        regex = "^" + re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
        return Operation(
            operation_id=raw["operationId"],
            deprecated=bool(raw.get("deprecated", False)),
            method=method.upper(),
            template=template,
            pattern=re.compile(regex),
            parameters=list(params.values()),
            body_validator=body_validator,
            body_required=body_required,
            body_media_types=media_types,
            success_status=success,
            error_statuses={c for c in statuses if c >= 400},
            either=self.either,
            body_schema=body_schema,
            resolve=self._deref,
        )

    # -- routing -------------------------------------------------------------------------------
    def match(self, method: str, path: str) -> tuple[Operation | None, dict[str, str], list[str]]:
        """(operation, path params, allowed methods); allowed is empty when no path matches.

        Fixed segments win over templated ones (`/smartorders/history` before
        `/smartorders/{id}`), whatever the order of the spec's paths: the first template that
        matches the path decides, and its methods are the allowed ones."""
        for template in self._templates:
            found = self._patterns[template].match(path)
            if found is None:
                continue
            for op in self._by_template[template]:
                if op.method == method.upper():
                    return op, found.groupdict(), []
            return None, {}, self.methods_by_template[template]
        return None, {}, []


def coerce(raw: str, scalar_type: str | None) -> Any:
    """A raw string parameter read as the type its schema declares; left as is when it does not parse
    (the schema then rejects it, naming the parameter)."""
    if scalar_type == "integer" and len(raw) < 19 and raw.isascii() and raw.isdigit():
        return int(raw)  # what the Decimal reading below gives for plain digits, sooner
    if scalar_type in ("integer", "number"):
        try:
            number = Decimal(raw.strip())
        except InvalidOperation:
            return raw
        if not number.is_finite():
            return raw
        # Only a value int64 can hold becomes an int: `1e999999` stays a Decimal (the schema then
        # refuses it) instead of a million-digit int nothing can print.
        if (
            scalar_type == "integer"
            and number.adjusted() < 19
            and number == number.to_integral_value()
        ):
            return int(number)
        return number
    if scalar_type == "boolean" and raw in ("true", "false"):
        return raw == "true"
    return raw


def validate_parameters(
    op: Operation,
    path_params: dict[str, str],
    query: dict[str, Any],
    headers: Any,
) -> dict[str, Any]:
    """Validated, typed path and query values; raises ParameterError naming the parameter."""
    values: dict[str, Any] = {}
    for param in op.parameters:
        if param.location == "path":
            raw: Any = path_params.get(param.name)
        elif param.location == "query":
            raw = query.get(param.name)
        elif param.location == "header":
            if param.name.lower() in ("apikey", "signature"):
                continue
            raw = headers.get(param.name)
        else:
            continue
        if raw is None:
            if param.required:
                raise ParameterError(param.location, {param.name: ["is missing"]})
            continue
        value = coerce(raw, param.scalar_type) if isinstance(raw, str) else raw
        if param.check is not None and param.check(value):
            values[param.name] = value
            continue
        errors = list(islice(param.validator.iter_errors(value), MAX_VALIDATION_ERRORS))
        if errors:
            raise ParameterError(param.location, errors_to_attributes(errors, [param.name]))
        values[param.name] = value
    return values


def _alternatives(resolve: Callable[[Any], Any], schema: Any) -> Iterator[dict[str, Any]]:
    """A schema and the branches of its anyOf/oneOf/allOf, resolved."""
    schema = resolve(schema)
    if isinstance(schema, dict):
        yield schema
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key) or []:
                yield from _alternatives(resolve, sub)


_BOUNDS = ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")


def decimal_string_bounds(
    resolve: Callable[[Any], Any], schema: Any, value: Any, parts: list[Any]
) -> Iterator[tuple[str, str]]:
    """A `format: decimal` field takes a JSON number or a numeric string; the spec bounds its number
    branch, and a decimal's bounds do not depend on how it was written, so a numeric string is held
    to them too. Yields (bracket path, message) per violation."""
    branches = list(_alternatives(resolve, schema))
    if isinstance(value, str) and any(b.get("format") == "decimal" for b in branches):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return  # not numeric: the string branch's pattern already rejects it
        if not number.is_finite():
            return
        for branch in branches:
            if branch.get("type") not in ("number", "integer"):
                continue
            for keyword in _BOUNDS:
                if keyword not in branch:
                    continue
                bound = Decimal(str(branch[keyword]))
                broken = {
                    "minimum": number < bound,
                    "exclusiveMinimum": number <= bound,
                    "maximum": number > bound,
                    "exclusiveMaximum": number >= bound,
                }[keyword]
                if broken:
                    error = ValidationError("", validator=keyword, validator_value=branch[keyword])
                    yield bracket_path(parts), _message(error)
        return
    if isinstance(value, dict):
        for name, item in value.items():
            for branch in branches:
                sub = (branch.get("properties") or {}).get(name)
                if sub is not None:
                    yield from decimal_string_bounds(resolve, sub, item, [*parts, name])
                    break
    elif isinstance(value, list):
        items = next((b["items"] for b in branches if "items" in b), None)
        if items is not None:
            for index, item in enumerate(value):
                yield from decimal_string_bounds(resolve, items, item, [*parts, index])


def validate_body(op: Operation, body: Any) -> dict[str, list[str]]:
    """Problems by bracket path; validation stops at MAX_VALIDATION_ERRORS (jsonschema yields
    errors lazily), so thousands of bad items cost no more than twenty."""
    if op.body_validator is None:
        return {}
    errors = list(islice(op.body_validator.iter_errors(body), MAX_VALIDATION_ERRORS))
    attributes = errors_to_attributes(errors, [], op.either)
    extra = decimal_string_bounds(op.resolve, op.body_schema, body, [])
    for key, message in islice(extra, max(0, MAX_VALIDATION_ERRORS - len(errors))):
        _add(attributes, key, message)
    return dict(islice(attributes.items(), MAX_VALIDATION_ERRORS))


def _lenient_branches(
    resolve: Callable[[Any], Any], schemas: Iterable[Any]
) -> list[dict[str, Any]]:
    """Every subschema that can describe the same instance: anyOf/oneOf/allOf and if/then/else."""
    out: list[dict[str, Any]] = []
    pending = list(schemas)
    while pending and len(out) < 256:
        schema = resolve(pending.pop())
        if not isinstance(schema, dict):
            continue
        out.append(schema)
        for key in ("anyOf", "oneOf", "allOf"):
            pending.extend(schema.get(key) or [])
        pending.extend(schema[key] for key in ("if", "then", "else") if key in schema)
    return out


def _drop_undeclared(resolve: Callable[[Any], Any], schemas: list[Any], value: Any) -> Any:
    branches = _lenient_branches(resolve, schemas)
    if isinstance(value, dict):
        closed = any(
            b.get("additionalProperties") is False or b.get("unevaluatedProperties") is False
            for b in branches
        )
        declared: dict[str, list[Any]] = {}
        for branch in branches:
            for name, sub in (branch.get("properties") or {}).items():
                declared.setdefault(name, []).append(sub)
        patterns = [p for b in branches for p in (b.get("patternProperties") or {})]
        extra = [
            b["additionalProperties"]
            for b in branches
            if isinstance(b.get("additionalProperties"), dict)
        ]
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in declared:
                out[key] = _drop_undeclared(resolve, declared[key], item)
            elif any(re.search(p, key) for p in patterns):
                out[key] = item
            elif extra:
                out[key] = _drop_undeclared(resolve, extra, item)
            elif not closed:
                out[key] = item
        return out
    if isinstance(value, list):
        items = [b["items"] for b in branches if isinstance(b.get("items"), dict)]
        return [_drop_undeclared(resolve, items, item) for item in value] if items else value
    return value


def drop_undeclared(op: Operation, body: Any) -> Any:
    """`--lenient`, as the live API behaves: a copy of the body without the properties the request
    schema does not declare, at any depth, wherever the spec closes an object
    (`additionalProperties: false`). Read from the spec's schemas; nothing listed by hand."""
    if op.body_schema is None:
        return body
    return _drop_undeclared(op.resolve, [op.body_schema], body)
