"""Unique node ids for every collected test, checked at collection.

pytest 9 builds an item's node id from its original name plus its `parametrize` ids. Schemathesis
(`schema.parametrize()`) makes one item per API operation and puts the operation only in the item's
`name` (`test_x[POST /v2/smart_trades]`), so all of a schema's items got the one id `...::test_x`.
pytest-xdist's loadgroup scheduler keys items by id, and ran one of them: the stateless fuzz tests
sent a seventh of their cases. (tests/fuzz now parametrizes its operations itself.) Items sharing an
id get their name as id here; any id still shared fails the session before a test runs.

pytest-xdist's loadgroup puts a test's `xdist_group` into its id (`...@docs`) through the old
`item._nodeid` attribute, which pytest 9 no longer reads: the groups were ignored, so the docs tests
(one module-scoped build of the pages, Node tools installed on first use) ran in both workers at
once. `apply_xdist_groups` sets the suffix on the id pytest reads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest
from _pytest.nodeid import NodeId  # pytest's own id type; no public constructor for an item's id


def give_unique_node_ids(items: Sequence[pytest.Item]) -> None:
    """Rename items that share an id but carry a distinct `name`; raise `pytest.UsageError` naming
    the ids that stay shared."""
    counts = Counter(item.nodeid for item in items)
    for item in items:
        if counts[item.nodeid] > 1 and item.parent is not None:
            wanted = f"{item.parent.nodeid}::{item.name}"
            if wanted != item.nodeid:
                item._id = NodeId.parse(wanted)
    shared = sorted(nodeid for nodeid, n in Counter(item.nodeid for item in items).items() if n > 1)
    if shared:
        raise pytest.UsageError(f"tests sharing a node id (one would hide the others): {shared[:5]}")


def apply_xdist_groups(items: Sequence[pytest.Item]) -> None:
    """Give each item marked `xdist_group(name)` the id `<id>@<names>`, as pytest-xdist's loadgroup
    scheduler expects (several groups: their names sorted, joined by `_`)."""
    for item in items:
        names = sorted(
            {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
             for mark in item.iter_markers("xdist_group")}
        )
        if names and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")
