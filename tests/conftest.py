"""Session-wide setup.

Under pytest-xdist (`make test` runs `pytest -n`) the controller collects no tests, so it never loads
tests/fuzz/conftest.py by itself; it is registered here on the controller, where it adds up what each
worker counted (pytest_testnodedown) and writes reports/fuzz-stats.json once for the whole run.

Every collected test gets an id of its own (tests/node_ids.py), before pytest-xdist schedules them.
"""

from __future__ import annotations

import pytest

from tests.node_ids import apply_xdist_groups, give_unique_node_ids


def pytest_configure(config: pytest.Config) -> None:
    distributed = getattr(config.option, "dist", "no") != "no" and bool(
        getattr(config.option, "numprocesses", None) or getattr(config.option, "tx", None)
    )
    if distributed and not hasattr(config, "workerinput"):
        from tests.fuzz import conftest as fuzz_stats

        if not config.pluginmanager.is_registered(fuzz_stats):
            config.pluginmanager.register(fuzz_stats, "fuzz-stats")


# The longest tests first (each a minute of CPU or less, together more than half of the run), so
# pytest-xdist hands them out while the many short ones are left to even out the workers' ends.
_LONGEST_FIRST = ("tests/fuzz/test_fuzz_stateful.py", "tests/fuzz/test_fuzz_inprocess.py")


def _run_order(item: pytest.Item) -> int:
    path = item.nodeid.split("::", 1)[0]
    return _LONGEST_FIRST.index(path) if path in _LONGEST_FIRST else len(_LONGEST_FIRST)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    give_unique_node_ids(items)
    if getattr(config.option, "loadgroup", False):  # what pytest-xdist sets for --dist loadgroup
        apply_xdist_groups(items)
    items.sort(key=_run_order)  # stable: the order within each part stays the collection's
