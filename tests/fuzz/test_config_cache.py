"""tests/fuzz/config_cache.py: a kept lookup answers what Schemathesis would compute, for every
operation of every fuzzed API and each phase whose settings tests/fuzz/schemathesis.toml sets."""

from __future__ import annotations

from typing import Any

import pytest
from schemathesis.config._projects import ProjectConfig

from . import budget  # noqa: F401  (scales the config, then keeps its lookups)
from .config_cache import _LOOKUPS
from .targets import TARGETS


def _operations() -> list[tuple[str, Any]]:
    return [
        (name, result.ok())
        for name, target in TARGETS.items()
        for result in target.schema.get_all_operations()
    ]


@pytest.mark.parametrize("lookup", _LOOKUPS)
def test_kept_lookups_answer_what_schemathesis_computes(lookup: str) -> None:
    cached = getattr(ProjectConfig, lookup)
    assert getattr(cached, "memoized", False)
    computed = cached.__wrapped__
    phases = [None] if lookup == "phases_for" else [None, "stateful", "coverage", "examples", "fuzzing"]
    for api, operation in _operations():
        config = operation.schema.config
        for phase in phases:
            kwargs: dict[str, Any] = {"operation": operation}
            if lookup != "phases_for":
                kwargs["phase"] = phase
            first = cached(config, **kwargs)
            assert cached(config, **kwargs) is first, (api, operation.label, phase)
            assert first == computed(config, **kwargs), (api, operation.label, phase)
