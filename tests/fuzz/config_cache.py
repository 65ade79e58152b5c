"""Schemathesis' per-operation config lookups, each computed once.

For every generated case Schemathesis asks its project config which checks, generation settings and
phases apply to the case's operation, and each answer merges the config hierarchy anew: about a
twentieth of a fuzz case's time. The fuzz tests' config is fixed once tests/fuzz/budget.py has
scaled it, so each answer is kept per (config, operation, phase) after its first computation. The
cache holds the config and the operation with the answer, so their ids stay theirs; it grows with
the operations and phases fuzzed (about 300 entries), not with the cases.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from schemathesis.config._projects import ProjectConfig

_LOOKUPS = ("checks_config_for", "generation_for", "phases_for")
_CACHE: dict[tuple[str, int, int, str | None], tuple[Any, Any, Any]] = {}


def _cached(name: str, lookup: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(lookup)
    def cached(self: ProjectConfig, **kwargs: Any) -> Any:
        operation = kwargs.get("operation")
        key = (name, id(self), id(operation), kwargs.get("phase"))
        hit = _CACHE.get(key)
        if hit is None:
            hit = (lookup(self, **kwargs), self, operation)
            _CACHE[key] = hit
        return hit[0]

    cached.__dict__["memoized"] = True
    return cached


def memoize_config_lookups() -> None:
    """Call once the config will not change again (the lookups are keyword-only in Schemathesis)."""
    for name in _LOOKUPS:
        lookup = getattr(ProjectConfig, name)
        if not getattr(lookup, "memoized", False):
            setattr(ProjectConfig, name, _cached(name, lookup))
