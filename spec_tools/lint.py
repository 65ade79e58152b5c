"""Lint: the conventions generation relies on (`lint_spec`), and the contract lint (`lint_contract`): what
makes the spec a complete reference, beyond being valid OpenAPI.

Every operation is named, tagged, summarised, described, secured and carries its permission and
weight; every schema and property is described; every `$ref` resolves; no component is unused; and
no word the curation registry marks as a typo appears anywhere. A lint profile (PROFILES) adds per-API
rules; each spec target names its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .curation import token_pattern, typo_tokens
from .load import LintProblem
from .operations import operations
from .refs import refs, resolve, resolves

OPERATION_KEYS = ("operationId", "tags", "summary", "description", "security")
# Per-API rules on top of the general ones, by lint profile (each spec target names one).
PROFILE_OPERATION_KEYS: dict[str, tuple[str, ...]] = {"threecommas": ("x-permission", "x-weight")}
PROFILE_HEADERS: dict[str, tuple[str, ...]] = {"threecommas": ("Forced-Mode",)}
PROFILES = ("general", "threecommas")
# Keywords whose values are schemas (or maps/lists of schemas) rather than a schema's own settings.
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_SINGLE = ("items", "additionalProperties", "not", "if", "then", "else", "contains")


def _walk(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(JSON pointer, mapping) for every mapping under node."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{where}/{index}")


def lint_spec(spec: dict[str, Any]) -> list[LintProblem]:
    """Conventions the generator relies on; each problem would otherwise surface as odd generated code."""
    problems: list[LintProblem] = []
    if not str(spec.get("openapi", "")).startswith("3.1"):
        problems.append(LintProblem("openapi", "must be 3.1.x"))
    seen_ids: dict[str, str] = {}
    for route, method, op in operations(spec):
        where = f"{method.upper()} {route}"
        op_id = op.get("operationId")
        if not op_id:
            problems.append(
                LintProblem(where, "missing operationId (it names the generated module)")
            )
        elif op_id in seen_ids:
            problems.append(
                LintProblem(where, f"operationId {op_id!r} already used by {seen_ids[op_id]}")
            )
        else:
            seen_ids[op_id] = where
        tags = op.get("tags") or []
        if len(tags) != 1:
            problems.append(
                LintProblem(where, "needs exactly one tag (it names the api/<tag> folder)")
            )
        for status in op.get("responses") or {}:
            text = str(status)
            is_code = text.isascii() and text.isdigit() and 100 <= int(text) <= 599
            is_range = len(text) == 3 and text[0] in "12345" and text[1:].upper() == "XX"
            if text != "default" and not (is_code or is_range):
                problems.append(
                    LintProblem(where, f"response status {status!r} is not an HTTP status")
                )
    for where, node in _walk(spec.get("components", {}).get("schemas", {}), "#/components/schemas"):
        enum = node.get("enum")
        if isinstance(enum, list) and None in enum:
            problems.append(
                LintProblem(
                    where, "null inside enum generates duplicate classes; use anyOf with null"
                )
            )
    return problems


def _described_schemas(node: Any, where: str, in_rule: bool = False) -> Iterator[LintProblem]:
    """A property schema without a description. Schemas inside if/then/else/not are rule fragments."""
    if not isinstance(node, dict):
        return
    for key in _SCHEMA_MAPS:
        for name, sub in (node.get(key) or {}).items():
            if not in_rule and isinstance(sub, dict) and "description" not in sub:
                yield LintProblem(f"{where}/{key}/{name}", "property has no description")
            yield from _described_schemas(sub, f"{where}/{key}/{name}", in_rule)
    for key in _SCHEMA_LISTS:
        for index, sub in enumerate(node.get(key) or []):
            yield from _described_schemas(sub, f"{where}/{key}/{index}", in_rule)
    for key in _SCHEMA_SINGLE:
        if isinstance(node.get(key), dict):
            rule = in_rule or key in ("if", "then", "else", "not")
            yield from _described_schemas(node[key], f"{where}/{key}", rule)


def _used_components(spec: dict[str, Any]) -> set[str]:
    """Components reachable from the paths and the security requirements, following `$ref`s."""
    used: set[str] = set()
    for requirement in spec.get("security") or []:
        used.update(f"#/components/securitySchemes/{name}" for name in requirement)
    for _, _, op in operations(spec):
        for requirement in op.get("security") or []:
            used.update(f"#/components/securitySchemes/{name}" for name in requirement)
    pending = list(refs(spec.get("paths")))
    while pending:
        ref = pending.pop()
        if ref in used or not ref.startswith("#/components/"):
            continue
        used.add(ref)
        kind, name = ref.split("/")[2:4]
        pending.extend(refs((spec.get("components") or {}).get(kind, {}).get(name)))
        # a pointer into a component (`#/components/schemas/X/properties/y`) uses X
        used.add(f"#/components/{kind}/{name}")
    return used


def _lint_success_statuses(
    spec: dict[str, Any], where: str, op: dict[str, Any], operation_ids: set[str]
) -> Iterator[LintProblem]:
    """Which 2xx the server answers is unambiguous, and every 2xx carries the same valid links.

    An operation declaring more than one 2xx names the one the current documentation gives in
    `x-success-status`; schemathesis follows the links of whichever status it gets, so each 2xx
    response carries the same links, and every link names an operation of the spec.
    """
    success = {
        str(code): resolve(spec, response)
        for code, response in (op.get("responses") or {}).items()
        if str(code).startswith("2")
    }
    chosen = op.get("x-success-status")
    if chosen is not None and str(chosen) not in success:
        yield LintProblem(where, f"x-success-status {chosen} is not one of its 2xx responses")
    if chosen is None and len(success) > 1:
        yield LintProblem(where, f"declares {sorted(success)} but no x-success-status")
    link_sets = {code: response.get("links") or {} for code, response in success.items()}
    if len({repr(sorted(links.items())) for links in link_sets.values()}) > 1:
        yield LintProblem(where, f"its 2xx responses {sorted(success)} carry different links")
    for code, links in link_sets.items():
        for name, link in links.items():
            if link.get("operationId") not in operation_ids:
                yield LintProblem(
                    f"{where} {code}", f"link {name} names no operation: {link.get('operationId')}"
                )


def _lint_deprecation(where: str, op: dict[str, Any], operation_ids: set[str]) -> list[LintProblem]:
    """A deprecated operation names its replacement (`x-replaced-by`), an operation that is not itself
    deprecated: the SDK's DeprecationWarning and the docs point users at it."""
    replaced_by = op.get("x-replaced-by")
    if not op.get("deprecated"):
        if replaced_by is not None:
            return [LintProblem(where, "x-replaced-by on an operation that is not deprecated")]
        return []
    if not replaced_by:
        return [LintProblem(where, "deprecated without x-replaced-by (the operation to use instead)")]
    if replaced_by not in operation_ids:
        return [LintProblem(where, f"x-replaced-by {replaced_by!r} is no operationId")]
    if f"`{replaced_by}`" not in str(op.get("description", "")):
        return [LintProblem(where, f"description does not name its replacement `{replaced_by}`")]
    return []


def lint_contract(
    spec: dict[str, Any], spec_text: str, registry: dict[str, Any], profile: str = "threecommas"
) -> list[LintProblem]:
    """The general rules, plus the profile's: `threecommas` also wants x-permission, x-weight and the
    Forced-Mode header on every operation; `general` nothing more."""
    if profile not in PROFILES:
        raise ValueError(f"unknown lint profile {profile!r}; known: {', '.join(PROFILES)}")
    profile_keys = PROFILE_OPERATION_KEYS.get(profile, ())
    required_headers = PROFILE_HEADERS.get(profile, ())
    problems: list[LintProblem] = []
    operation_ids = {str(op.get("operationId")) for _, _, op in operations(spec)}
    for route, method, op in operations(spec):
        where = f"{method.upper()} {route}"
        problems.extend(_lint_success_statuses(spec, where, op, operation_ids))
        for key in OPERATION_KEYS:
            if not op.get(key):
                problems.append(LintProblem(where, f"has no {key}"))
        problems.extend(_lint_deprecation(where, op, operation_ids))
        params = [resolve(spec, p) for p in op.get("parameters", [])]
        for key in profile_keys:
            if not op.get(key):
                problems.append(LintProblem(where, f"has no {key}"))
        for header in required_headers:
            if not any(p.get("name") == header and p.get("in") == "header" for p in params):
                problems.append(LintProblem(where, f"has no {header} header parameter"))
        for param in params:
            if not param.get("description"):
                problems.append(
                    LintProblem(where, f"parameter {param.get('name')} has no description")
                )
        yield_schemas = [(f"{where} parameter {p.get('name')}", p.get("schema")) for p in params]
        for media in (op.get("requestBody", {}).get("content") or {}).values():
            yield_schemas.append((f"{where} request body", media.get("schema")))
        for status, response in (op.get("responses") or {}).items():
            for media in (resolve(spec, response).get("content") or {}).values():
                yield_schemas.append((f"{where} {status}", media.get("schema")))
        for label, schema in yield_schemas:
            problems.extend(_described_schemas(schema, label))
    for name, schema in (spec.get("components", {}).get("schemas") or {}).items():
        where = f"#/components/schemas/{name}"
        if not schema.get("description"):
            problems.append(LintProblem(where, "component has no description"))
        problems.extend(_described_schemas(schema, where))
    for ref in sorted(set(refs(spec))):
        if not resolves(spec, ref):
            problems.append(LintProblem(ref, "$ref does not resolve"))
    used = _used_components(spec)
    for kind, members in (spec.get("components") or {}).items():
        for name in members or {}:
            if f"#/components/{kind}/{name}" not in used:
                problems.append(
                    LintProblem(f"#/components/{kind}/{name}", "component is never used")
                )
    for token in typo_tokens(registry):
        if token_pattern(token).search(spec_text):
            problems.append(
                LintProblem("spec text", f"contains {token!r}, a typo per the spec's curation registry")
            )
    return problems
