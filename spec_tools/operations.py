"""The operations of a spec, in path and method order: one loop instead of one per module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .refs import RefError, resolve

# The HTTP methods a path item may hold (OpenAPI 3.1, Path Item Object), in the spec's order.
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

Spec = dict[str, Any]


def path_items(spec: Spec) -> Iterator[tuple[str, dict[str, Any]]]:
    """(route, path item) per path, the item's `$ref` followed. An item that is no mapping or whose `$ref`
    leads nowhere is skipped (the contract lint reports the dangling `$ref`)."""
    for route, raw in (spec.get("paths") or {}).items():
        try:
            item = resolve(spec, raw)
        except RefError:
            continue
        if isinstance(item, dict):
            yield str(route), item


def operations(spec: Spec) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(route, method, operation) for every operation."""
    for route, item in path_items(spec):
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield route, method, item[method]


def by_operation_id(spec: Spec) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (route, method, operation); operations without an id are left out."""
    return {
        str(op["operationId"]): (route, method, op)
        for route, method, op in operations(spec)
        if op.get("operationId")
    }
