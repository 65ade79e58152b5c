"""tests/node_ids.py: items sharing an id get their names as ids; ids still shared stop the session."""

from __future__ import annotations

from typing import Any

import pytest
from _pytest.nodeid import NodeId

from tests.node_ids import give_unique_node_ids


class _Module:
    nodeid = "tests/fuzz/test_x.py"


class _Item:
    """What give_unique_node_ids reads of a pytest item: its id, name and parent."""

    parent = _Module()

    def __init__(self, nodeid: str, name: str) -> None:
        self._id = NodeId.parse(nodeid)
        self.name = name

    @property
    def nodeid(self) -> str:
        return str(self._id)


def _items(*pairs: tuple[str, str]) -> list[Any]:
    return [_Item(nodeid, name) for nodeid, name in pairs]


def test_items_sharing_an_id_get_their_names_as_ids() -> None:
    # As Schemathesis' items arrive under pytest 9: one id, the operation only in the name.
    items = _items(
        ("tests/fuzz/test_x.py::test_ops", "test_ops[GET /a]"),
        ("tests/fuzz/test_x.py::test_ops", "test_ops[POST /a]"),
        ("tests/fuzz/test_x.py::test_other", "test_other"),
    )
    give_unique_node_ids(items)
    assert [item.nodeid for item in items] == [
        "tests/fuzz/test_x.py::test_ops[GET /a]",
        "tests/fuzz/test_x.py::test_ops[POST /a]",
        "tests/fuzz/test_x.py::test_other",
    ]
    assert items[0]._id.params == "GET /a"


def test_ids_that_stay_shared_stop_the_session() -> None:
    items = _items(("tests/fuzz/test_x.py::test_y", "test_y"), ("tests/fuzz/test_x.py::test_y", "test_y"))
    with pytest.raises(pytest.UsageError, match="test_y"):
        give_unique_node_ids(items)


def test_every_fuzz_operation_is_its_own_test(request: pytest.FixtureRequest) -> None:
    # In this session: the collected stateless fuzz items (when collected) have one id each.
    ids = [item.nodeid for item in request.session.items if "test_fuzz_inprocess.py::" in item.nodeid]
    assert len(ids) == len(set(ids))
    assert all(nodeid.endswith("]") for nodeid in ids)
