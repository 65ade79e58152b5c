"""The pytest plugins are the ones pyproject.toml names, and the fuzz engine runs as installed.

With plugin autoloading on, pytest marks every module of each plugin's distribution for assertion
rewriting: all of Hypothesis and Schemathesis were recompiled in each worker (about 3 s of each
worker's start) and ran with rewritten asserts.
"""

from __future__ import annotations

import hypothesis.internal.conjecture.engine
import pytest
import schemathesis.generation.jsonschema.builder
from _pytest.assertion.rewrite import AssertionRewritingHook


@pytest.mark.parametrize(
    "module",
    [hypothesis.internal.conjecture.engine, schemathesis.generation.jsonschema.builder],
    ids=lambda module: module.__name__,
)
def test_fuzz_engine_is_not_assertion_rewritten(module: object) -> None:
    assert not isinstance(getattr(module, "__loader__", None), AssertionRewritingHook)


def test_the_named_plugins_are_loaded(pytestconfig: pytest.Config) -> None:
    manager = pytestconfig.pluginmanager
    assert pytestconfig.known_args_namespace.disable_plugin_autoload
    for name in ("xdist", "hypothesispytest", "pytest_asyncio.plugin", "schemathesis.pytest.plugin"):
        assert manager.has_plugin(name), name
    assert not manager.has_plugin("anyio"), "autoloaded despite --disable-plugin-autoload"
