"""Pre-processing of a spec before openapi-python-client sees it.

The spec keeps its wire truth (a request decimal may be a JSON number or a numeric string); the SDK wants one
Python type for it. This step rewrites every union of decimal string, number and null into the decimal string
(plus null), so each such field becomes `decimal.Decimal` (or `Decimal | None`) on the models.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

SCHEMA_PREFIX = "#/components/schemas/"
# A number member of a decimal union may carry its own bounds; the decimal member keeps the wire pattern.
_NUMBER_KEYS = {"type", "description", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}


def _walk(node: Any, rewrite: Callable[[dict[str, Any]], bool]) -> None:
    """Call rewrite on every object under node (lists followed); where it returns True (it replaced the
    node's contents), what is under that object is not visited."""
    if isinstance(node, list):
        for item in node:
            _walk(item, rewrite)
    elif isinstance(node, dict) and not rewrite(node):
        for value in node.values():
            _walk(value, rewrite)


def _is_decimal_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "string" and schema.get("format") == "decimal"


def decimal_components(spec: dict[str, Any]) -> list[str]:
    schemas = spec.get("components", {}).get("schemas", {})
    return sorted(name for name, schema in schemas.items() if _is_decimal_schema(schema))


def _classify(member: Any, schemas: dict[str, Any], decimals: set[str]) -> str | None:
    """'decimal', 'nullable-decimal', 'number', 'null', or None if the member is something else."""
    if not isinstance(member, dict):
        return None
    ref = member.get("$ref")
    if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
        name = ref[len(SCHEMA_PREFIX) :]
        if name in decimals:
            return "decimal"
        target = schemas.get(name)
        if isinstance(target, dict) and "anyOf" in target:
            kinds = {_classify(m, schemas, decimals) for m in target["anyOf"]}
            if "decimal" in kinds and kinds <= {"decimal", "number", "null", "nullable-decimal"}:
                return "nullable-decimal" if "null" in kinds or "nullable-decimal" in kinds else "decimal"
        return None
    if _is_decimal_schema(member):
        return "decimal"
    if member.get("type") in ("number", "integer") and set(member) <= _NUMBER_KEYS:
        return "number"
    if member.get("type") == "null" and set(member) <= {"type", "description"}:
        return "null"
    return None


def collapse_decimal_unions(spec: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of spec where every decimal-or-number(-or-null) union is the decimal (or nullable) form."""
    out = copy.deepcopy(spec)
    schemas = out.get("components", {}).get("schemas", {})
    names = decimal_components(out)
    if not names:
        return out
    decimals = set(names)

    def rewrite(node: dict[str, Any]) -> bool:
        members = node.get("anyOf")
        if isinstance(members, list):
            kinds = [_classify(m, schemas, decimals) for m in members]
            if None not in kinds and ("decimal" in kinds or "nullable-decimal" in kinds):
                # Keep the union's own decimal member (its pattern, e.g. PositiveDecimal), drop the number.
                kept = members[kinds.index("decimal" if "decimal" in kinds else "nullable-decimal")]
                nullable = "null" in kinds or "nullable-decimal" in kinds
                node["anyOf"] = [copy.deepcopy(kept)] + ([{"type": "null"}] if nullable else [])
                return True
        return False

    _walk(out, rewrite)
    return out


def hoist_shared_parameter_enums(spec: dict[str, Any]) -> dict[str, Any]:
    """A shared parameter (components/parameters/X) with an inline enum gets one schema component X.

    Without this the stock generator makes one enum class per operation (GetSmartTradeForcedMode, ...).
    """
    out = copy.deepcopy(spec)
    components = out.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name, param in sorted((components.get("parameters") or {}).items()):
        schema = param.get("schema") if isinstance(param, dict) else None
        if isinstance(schema, dict) and "enum" in schema and "$ref" not in schema:
            if name in schemas and schemas[name] != schema:
                raise ValueError(f"components/parameters/{name}: a different schema {name} already exists")
            schemas[name] = schema
            param["schema"] = {"$ref": SCHEMA_PREFIX + name}
    return out


def _resolve_parameter(spec: dict[str, Any], param: Any) -> Any:
    ref = param.get("$ref") if isinstance(param, dict) else None
    prefix = "#/components/parameters/"
    if isinstance(ref, str) and ref.startswith(prefix):
        return spec.get("components", {}).get("parameters", {}).get(ref[len(prefix) :])
    return param


def drop_query_defaults(spec: dict[str, Any]) -> dict[str, Any]:
    """Query parameters lose their `default`: the stock client would send every default on every call.

    The default stays documentation of what the server assumes; the SDK sends only what the caller sets.
    """
    out = copy.deepcopy(spec)
    for item in (out.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        operations = [item] + [op for op in item.values() if isinstance(op, dict)]
        for op in operations:
            for param in op.get("parameters") or []:
                resolved = _resolve_parameter(out, param)
                if isinstance(resolved, dict) and resolved.get("in") == "query":
                    (resolved.get("schema") or {}).pop("default", None)
    return out


_STRING_KEYS = {"type", "description", "pattern", "minLength", "maxLength"}


def collapse_number_or_text_unions(spec: dict[str, Any]) -> dict[str, Any]:
    """A union of a JSON number (not integer) and a plain string (`"50"`, `50` or `"2%"`) becomes the string.

    The stock generator would type it `float | str`, and a float is not exact; as a string every digit is kept
    and sent as given. (Decimal unions are handled by collapse_decimal_unions.)
    """
    out = copy.deepcopy(spec)

    def is_number(member: Any) -> bool:
        # `number` only: an integer is exact as it is.
        return isinstance(member, dict) and member.get("type") == "number" and set(member) <= _NUMBER_KEYS

    def is_text(member: Any) -> bool:
        return (
            isinstance(member, dict)
            and member.get("type") == "string"
            and "format" not in member
            and set(member) <= _STRING_KEYS
        )

    def rewrite(node: dict[str, Any]) -> bool:
        members = node.get("anyOf")
        if isinstance(members, list) and len(members) == 2 and any(map(is_number, members)):
            text = [m for m in members if is_text(m)]
            if len(text) == 1:
                del node["anyOf"]
                node.update({k: v for k, v in text[0].items() if k != "description" or "description" not in node})
                return True
        return False

    _walk(out, rewrite)
    return out


_RULE_KEYS = {"required", "description"}


def _is_required_rule(member: Any, properties: dict[str, Any]) -> bool:
    names = member.get("required") if isinstance(member, dict) else None
    return (
        isinstance(names, list)
        and set(member) <= _RULE_KEYS
        and all(isinstance(n, str) and n in properties for n in names)
    )


def drop_required_alternatives(spec: dict[str, Any]) -> dict[str, Any]:
    """An object's `anyOf`/`oneOf` of bare `required` lists ("quantity or amount") is dropped.

    Such a union adds no field, only a rule (which the server enforces), but the stock generator would make the
    whole object a union of nothing and type it `Any`. The object keeps its properties and its other rules.
    """
    out = copy.deepcopy(spec)

    def rewrite(node: dict[str, Any]) -> bool:
        properties = node.get("properties")
        if isinstance(properties, dict):
            for key in ("anyOf", "oneOf"):
                members = node.get(key)
                if isinstance(members, list) and members and all(_is_required_rule(m, properties) for m in members):
                    del node[key]
        return False

    _walk(out, rewrite)
    return out


# Formats the generator reads (generator/oapc_extensions.py); they exist only in the prepared copy of a spec.
LOOSE_BOOL_FORMAT = "sdk-loose-bool"
LOOSE_INT_FORMAT = "sdk-loose-int"
_DIGIT_PATTERN_CHARS = set("^$[]0123456789-{},+*")


def _is_digit_string(member: Any) -> bool:
    """A string schema whose pattern admits only digits (`^[1-9][0-9]{0,18}$`, `^[1-8]$`)."""
    if not (isinstance(member, dict) and member.get("type") == "string" and set(member) <= _STRING_KEYS):
        return False
    pattern = member.get("pattern")
    return isinstance(pattern, str) and bool(pattern) and set(pattern) <= _DIGIT_PATTERN_CHARS


def _is_bool_text(member: Any) -> bool:
    return (
        isinstance(member, dict)
        and member.get("type") == "string"
        and set(member) <= {"type", "description", "enum"}
        and isinstance(member.get("enum"), list)
        and set(member["enum"]) <= {"true", "false"}
    )


def collapse_loose_input_unions(spec: dict[str, Any]) -> dict[str, Any]:
    """The request-side spellings of one value become that value's type, for generation only.

    * `boolean` or the string `"true"`/`"false"` (BooleanInput) -> `boolean` (format sdk-loose-bool);
    * `integer` or a string of digits (IdInput, IntegerInput, a step's `position`) -> `integer` (format
      sdk-loose-int).

    The SDK then types such a field `bool` / `int` and sends the canonical JSON form (true/false, a number); the
    loose format makes `from_dict` still read the string spellings the spec allows (generator/oapc_extensions.py).
    The spec itself keeps the union: the server accepts both.
    """
    out = copy.deepcopy(spec)

    def collapsed(members: list[Any]) -> dict[str, Any] | None:
        if len(members) != 2 or not all(isinstance(m, dict) for m in members):
            return None
        kinds = {m.get("type") for m in members}
        if kinds == {"boolean", "string"}:
            text = next(m for m in members if m.get("type") == "string")
            flag = next(m for m in members if m.get("type") == "boolean")
            if _is_bool_text(text) and set(flag) <= {"type", "description"}:
                return {"type": "boolean", "format": LOOSE_BOOL_FORMAT}
        if kinds == {"integer", "string"}:
            text = next(m for m in members if m.get("type") == "string")
            number = next(m for m in members if m.get("type") == "integer")
            if _is_digit_string(text) and set(number) <= _NUMBER_KEYS:
                kept = {k: v for k, v in number.items() if k not in ("description", "format")}
                return {**kept, "format": LOOSE_INT_FORMAT}
        return None

    def rewrite(node: dict[str, Any]) -> bool:
        members = node.get("anyOf")
        if isinstance(members, list) and set(node) <= {"anyOf", "description"}:
            replacement = collapsed(members)
            if replacement is not None:
                del node["anyOf"]
                node.update(replacement)
                return True
        return False

    _walk(out, rewrite)
    return out


def _with_description(schema: Any, description: Any) -> Any:
    """schema documented by description: a `$ref` is wrapped as `allOf: [$ref]` beside it (the stock generator
    reads no sibling of a `$ref`), any other schema gets it unless it has its own."""
    if not isinstance(schema, dict) or not isinstance(description, str) or not description:
        return schema
    if "$ref" in schema:
        rest = {k: v for k, v in schema.items() if k not in ("$ref", "description")}
        return {"allOf": [{"$ref": schema["$ref"]}], **rest, "description": description}
    if "description" not in schema:
        return {**schema, "description": description}
    return schema


def carry_descriptions(spec: dict[str, Any]) -> dict[str, Any]:
    """A field's own description reaches the SDK instead of its component's.

    * a property or array item written `{$ref: X, description: D}` becomes `{allOf: [{$ref: X}], description: D}`
      (openapi-python-client reads the description of a one-member allOf/anyOf beside a $ref, see
      generator/oapc_extensions.py; it ignores siblings of a bare $ref);
    * a parameter's description moves into its schema (the stock generator documents a parameter by its
      schema's description only: `page`, `per_page` and `account_id` had empty Args).
    """
    out = copy.deepcopy(spec)

    def rewrite(node: dict[str, Any]) -> bool:
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, prop in list(properties.items()):
                if isinstance(prop, dict) and "$ref" in prop:
                    properties[name] = _with_description(prop, prop.get("description"))
        items = node.get("items")
        if isinstance(items, dict) and "$ref" in items:
            node["items"] = _with_description(items, items.get("description"))
        return False

    _walk(out.get("components", {}).get("schemas", {}), rewrite)
    _walk(out.get("paths", {}), rewrite)

    def document(param: Any) -> None:
        if isinstance(param, dict) and "schema" in param:
            param["schema"] = _with_description(param["schema"], param.get("description"))

    for param in (out.get("components", {}).get("parameters") or {}).values():
        document(param)
    for item in (out.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        for op in [item] + [op for op in item.values() if isinstance(op, dict)]:
            for param in op.get("parameters") or []:
                if isinstance(param, dict) and "$ref" not in param:
                    document(param)
    return out


def prepare(spec: dict[str, Any]) -> dict[str, Any]:
    """Every transform the generator applies, in order."""
    return carry_descriptions(
        collapse_loose_input_unions(
            collapse_number_or_text_unions(
                collapse_decimal_unions(
                    hoist_shared_parameter_enums(drop_query_defaults(drop_required_alternatives(spec)))
                )
            )
        )
    )
