"""Load a spec, validate it against OpenAPI 3.1 and lint it against openapi/README.md's conventions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import validate

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DECIMAL_FORMAT = "decimal"


class SpecError(Exception):
    """The spec cannot be generated from; the message names every problem found."""


@dataclass(frozen=True)
class LintProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def load_spec(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise SpecError(f"{path}: spec file not found")
    with path.open(encoding="utf-8") as fh:
        # BaseLoader-free safe_load: YAML 1.1 would turn 'on'/'off' into booleans, so keys are checked below.
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise SpecError(f"{path}: top level is not a mapping")
    return data


def validate_spec(spec: dict[str, Any], path: Path) -> None:
    try:
        validate(spec)
    except Exception as exc:  # the validator raises several unrelated exception types
        raise SpecError(f"{path}: not a valid OpenAPI document: {exc}") from None


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for route, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if isinstance(item, dict) and method in item:
                out.append((route, method, item[method]))
    return out


def _walk(node: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        found.append((where, node))
        for key, value in node.items():
            found.extend(_walk(value, f"{where}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_walk(value, f"{where}/{index}"))
    return found


def lint_spec(spec: dict[str, Any]) -> list[LintProblem]:
    """Conventions the generator relies on; each problem would otherwise surface as odd generated code."""
    problems: list[LintProblem] = []
    if not str(spec.get("openapi", "")).startswith("3.1"):
        problems.append(LintProblem("openapi", "must be 3.1.x"))
    seen_ids: dict[str, str] = {}
    for route, method, op in _operations(spec):
        where = f"{method.upper()} {route}"
        op_id = op.get("operationId")
        if not op_id:
            problems.append(LintProblem(where, "missing operationId (it names the generated module)"))
        elif op_id in seen_ids:
            problems.append(LintProblem(where, f"operationId {op_id!r} already used by {seen_ids[op_id]}"))
        else:
            seen_ids[op_id] = where
        tags = op.get("tags") or []
        if len(tags) != 1:
            problems.append(LintProblem(where, "needs exactly one tag (it names the api/<tag> folder)"))
        for status in op.get("responses") or {}:
            text = str(status)
            is_code = text.isdigit() and 100 <= int(text) <= 599
            is_range = len(text) == 3 and text[0] in "12345" and text[1:].upper() == "XX"
            if text != "default" and not (is_code or is_range):
                problems.append(LintProblem(where, f"response status {status!r} is not an HTTP status"))
    for where, node in _walk(spec.get("components", {}).get("schemas", {}), "#/components/schemas"):
        enum = node.get("enum")
        if isinstance(enum, list) and None in enum:
            problems.append(LintProblem(where, "null inside enum generates duplicate classes; use anyOf with null"))
    return problems


def load_checked_spec(
    path: Path,
    registry: Path | None = None,
    *,
    lint_profile: str = "threecommas",
    sources: Path | None = None,
) -> dict[str, Any]:
    """Validate, lint for generation and, given its curation registry, check the contract (the general rules
    plus those of `lint_profile`) and the registry (against the vendor documents in `sources`)."""
    spec = load_spec(path)
    validate_spec(spec, path)
    problems: list[LintProblem] = [*lint_spec(spec)]
    if registry is not None:
        # Imported here: the contract checks need jsonschema, which plain generation does not.
        from .curation import SOURCES_DIR, check_registry, load_registry
        from .spec_lint import lint_contract

        text = path.read_text(encoding="utf-8")
        entries = load_registry(registry)
        problems += [
            *lint_contract(spec, text, entries, lint_profile),
            *check_registry(spec, text, entries, sources or SOURCES_DIR),
        ]
    if problems:
        raise SpecError(f"{path}: {len(problems)} lint problem(s):\n" + "\n".join(f"  {p}" for p in problems))
    return spec
