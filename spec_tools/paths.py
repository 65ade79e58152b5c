"""Walk a spec's schemas by field path (`SmartTrade#take_profit.steps[].price.percent`), through `$ref`s,
`anyOf`/`oneOf`/`allOf` branches and array items. The curation check and the spec tests share it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .refs import resolve

__all__ = ["Schema", "branches", "enum_values", "field_paths", "find", "json_types", "known_values"]

Schema = dict[str, Any]


def branches(spec: dict[str, Any], node: Schema) -> Iterator[Schema]:
    """The schema and every schema reachable through composition keywords, resolved."""
    node = resolve(spec, node)
    yield node
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, []):
            yield from branches(spec, sub)


def _step(spec: dict[str, Any], nodes: list[Schema], segment: str) -> list[Schema]:
    name, is_array = (segment[:-2], True) if segment.endswith("[]") else (segment, False)
    found = []
    for node in nodes:
        for branch in branches(spec, node):
            prop = (branch.get("properties") or {}).get(name)
            if prop is not None:
                found.append(prop)
    if is_array:
        found = [b["items"] for f in found for b in branches(spec, f) if "items" in b]
    return found


def find(spec: dict[str, Any], path: str) -> list[Schema]:
    """Every schema a field path reaches; empty when the path does not exist.

    `Component#a.b[].c`: `[]` steps into an array's items; a bare `Component` is the component itself.
    """
    component, _, fields = path.partition("#")
    root = (spec.get("components") or {}).get("schemas", {}).get(component)
    if root is None:
        return []
    nodes: list[Schema] = [root]
    for segment in filter(None, fields.split(".")):
        nodes = _step(spec, nodes, segment)
        if not nodes:
            return []
    return nodes


def json_types(spec: dict[str, Any], path: str) -> set[str]:
    """The JSON types a field may take, over all its branches."""
    types: set[str] = set()
    for node in find(spec, path):
        for branch in branches(spec, node):
            declared = branch.get("type")
            if isinstance(declared, str):
                types.add(declared)
            elif isinstance(declared, list):
                types.update(declared)
    return types


def enum_values(spec: dict[str, Any], path: str) -> list[Any]:
    """The enum values a field may take, over all its branches; empty when it is not an enum."""
    values: list[Any] = []
    for node in find(spec, path):
        for branch in branches(spec, node):
            for value in branch.get("enum", []):
                if value not in values:
                    values.append(value)
    return values


def known_values(spec: dict[str, Any], path: str) -> list[Any]:
    """The `x-known-values` a field lists, over all its branches; empty when it lists none."""
    values: list[Any] = []
    for node in find(spec, path):
        for branch in branches(spec, node):
            for value in branch.get("x-known-values", []):
                if value not in values:
                    values.append(value)
    return values


def field_paths(
    spec: dict[str, Any], component: str, prefix: str = "", depth: int = 0
) -> Iterator[str]:
    """Every field path under a component."""
    if depth > 12:
        return
    nodes = find(spec, f"{component}#{prefix}")
    names: dict[str, bool] = {}
    for node in nodes:
        for branch in branches(spec, node):
            for name, prop in (branch.get("properties") or {}).items():
                is_array = any("items" in b for b in branches(spec, prop))
                names[name] = names.get(name, False) or is_array
    for name, is_array in names.items():
        segment = f"{name}[]" if is_array else name
        path = f"{prefix}.{segment}" if prefix else segment
        yield path
        yield from field_paths(spec, component, path, depth + 1)
