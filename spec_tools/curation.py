"""The curation check: every entry of a curation registry (openapi/<spec stem>.curation.yaml, such as
openapi/3commas.curation.yaml) holds against its source and the spec."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import paths as schema_paths
from .load import LintProblem, load_yaml
from .operations import operations
from .refs import RefError, lookup
from .validators import schema_validator

_MISSING = object()
# Keys an entry of these categories needs besides the common ones.
_CATEGORY_KEYS = {"deliberate_divergence": ("reason",)}


def load_registry(path: Path) -> dict[str, Any]:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise TypeError(f"{path}: top level is not a mapping")
    return data


def _fold(text: str) -> str:
    return " ".join(text.split())


def _pointer(spec: dict[str, Any], pointer: str) -> Any:
    try:
        return lookup(spec, pointer)
    except RefError:
        return _MISSING


def token_pattern(token: str) -> re.Pattern[str]:
    """A whole-word match, so `cros` does not match `cross` nor `SMART_TRADE_READ` `SMART_TRADES_READ`."""
    return re.compile(rf"(?<![A-Za-z0-9_]){re.escape(token)}(?![A-Za-z0-9_])")


def contains_token(token: str, text: str) -> bool:
    """token_pattern(token) matches somewhere in text (the plain substring test first: far cheaper, and
    the pattern cannot match where the substring is absent)."""
    return token in text and token_pattern(token).search(text) is not None


def typo_tokens(registry: dict[str, Any]) -> list[str]:
    """The words the registry says must never appear in the spec."""
    tokens: list[str] = []
    for entry in registry.get("entries", []):
        tokens.extend(entry.get("check", {}).get("absent_tokens", []))
    return sorted(set(tokens))


def _success_statuses(spec: dict[str, Any]) -> dict[str, list[int]]:
    """Each operation's declared 2xx status codes, sorted."""
    found: dict[str, list[int]] = {}
    for _, _, op in operations(spec):
        if "operationId" in op:
            codes = [str(code) for code in op.get("responses") or {}]
            found[op["operationId"]] = sorted(
                int(c) for c in codes if c.isascii() and c.isdigit() and c.startswith("2")
            )
    return found


def _check_entry(
    entry: dict[str, Any],
    spec: dict[str, Any],
    spec_text: str,
    declared: dict[str, list[int]] | None = None,
) -> list[str]:
    """declared: _success_statuses(spec), if the caller has it already."""
    problems: list[str] = []
    check = entry.get("check") or {}
    if not check:
        problems.append("has no check")
    for path in check.get("present", []):
        if not schema_paths.find(spec, path):
            problems.append(f"field {path} is not in the spec")
    for path in check.get("absent", []):
        if schema_paths.find(spec, path):
            problems.append(f"field {path} is still in the spec")
    for path, expected in (check.get("types") or {}).items():
        actual = schema_paths.json_types(spec, path)
        if actual != set(expected):
            problems.append(f"{path} has types {sorted(actual)}, registry says {sorted(expected)}")
    for path, expected in (check.get("enum") or {}).items():
        values = schema_paths.enum_values(spec, path)
        if sorted(map(str, values)) != sorted(map(str, expected)):
            problems.append(f"{path} has enum {values}, registry says {expected}")
    for pointer, expected in (check.get("pointer") or {}).items():
        actual = _pointer(spec, pointer)
        if expected is None:
            if actual is not _MISSING:
                problems.append(f"{pointer} should be absent, is {actual!r}")
        elif actual != expected:
            problems.append(
                f"{pointer} is {'absent' if actual is _MISSING else repr(actual)}, registry says {expected!r}"
            )
    for path, expected in (check.get("known_values") or {}).items():
        missing = [v for v in expected if v not in schema_paths.known_values(spec, path)]
        if missing:
            problems.append(f"{path} does not list {missing} in x-known-values")
    for verdict, key in ((True, "validates"), (False, "rejects")):
        for component, instances in (check.get(key) or {}).items():
            if component not in (spec.get("components") or {}).get("schemas", {}):
                problems.append(f"schema {component!r} is not a component")
                continue
            validator = schema_validator(spec, component)
            for instance in instances:
                if validator.is_valid(instance) != verdict:
                    word = "rejects" if verdict else "accepts"
                    problems.append(f"{component} {word} {instance!r}")
    if declared is None:
        declared = _success_statuses(spec)
    for operation_id, expected in (check.get("success_statuses") or {}).items():
        codes = declared.get(operation_id)
        if codes is None:
            problems.append(f"operation {operation_id} is not in the spec")
        elif codes != sorted(expected):
            problems.append(f"{operation_id} declares 2xx {codes}, registry says {expected}")
    for token in check.get("absent_tokens", []):
        if contains_token(token, spec_text):
            problems.append(f"the spec still contains {token!r}")
    return problems


def _check_source(entry: dict[str, Any], folded_sources: dict[str, str]) -> list[str]:
    """folded_sources: each source document's text through _fold, by file name."""
    source = entry.get("source")
    if source not in folded_sources:
        return [f"source {source!r} is not a file of openapi/sources"]
    if _fold(entry.get("quote", "")) not in folded_sources[source]:
        return [f"quote {entry.get('quote')!r} is not in {source}"]
    return []


def _check_rule(rule: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    enforced_by = rule.get("enforced_by")
    component = rule.get("schema", "")
    if component not in (spec.get("components") or {}).get("schemas", {}):
        return [f"schema {component!r} is not a component"]
    validator = schema_validator(spec, component)
    if not validator.is_valid(rule.get("valid")):
        problems.append(f"its valid body is rejected by {component}")
    violation_rejected = not validator.is_valid(rule.get("violation"))
    if enforced_by == "schema" and not violation_rejected:
        problems.append(
            f"its violation is accepted by {component}, so the schema does not state the rule"
        )
    elif enforced_by == "server" and violation_rejected:
        problems.append(f"its violation is rejected by {component}: mark it enforced_by: schema")
    elif enforced_by not in ("schema", "server"):
        problems.append(f"enforced_by is {enforced_by!r}, not schema or server")
    if not rule.get("error_attribute"):
        problems.append("names no error_attribute")
    return problems


def check_registry(
    spec: dict[str, Any],
    spec_text: str,
    registry: dict[str, Any],
    sources_dir: Path,
) -> list[LintProblem]:
    """Every problem of the registry against the spec and the sources (the vendor documents in
    sources_dir, each spec's own); empty when all holds."""
    folded_sources = {
        p.name: _fold(p.read_text(encoding="utf-8"))
        for p in sources_dir.iterdir()
        if p.suffix in (".txt", ".md")
    }
    declared = _success_statuses(spec)
    categories = set(registry.get("categories") or {})
    problems: list[LintProblem] = []
    seen: set[str] = set()
    items = [*registry.get("entries", []), *registry.get("rules", [])]
    for item in items:
        item_id = str(item.get("id", "<no id>"))
        if item_id in seen:
            problems.append(LintProblem(item_id, "duplicate id"))
        seen.add(item_id)
        messages = _check_source(item, folded_sources)
        if item in registry.get("rules", []):
            messages += _check_rule(item, spec)
        else:
            if item.get("category") not in categories:
                messages.append(
                    f"category {item.get('category')!r} is not one of {sorted(categories)}"
                )
            required = ("field", "doc_says", "spec_says", "evidence")
            for key in (*required, *_CATEGORY_KEYS.get(str(item.get("category")), ())):
                if not item.get(key):
                    messages.append(f"has no {key}")
            messages += _check_entry(item, spec, spec_text, declared)
        problems.extend(LintProblem(item_id, m) for m in messages)
    return problems
