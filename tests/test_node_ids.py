"""tests/node_ids.py: items sharing an id get their names as ids; ids still shared stop the session."""

from __future__ import annotations

from typing import Any

import pytest
from _pytest.nodeid import NodeId

from tests.node_ids import apply_xdist_groups, give_unique_node_ids


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


class _Mark:
    def __init__(self, *args: str) -> None:
        self.args = args
        self.kwargs: dict[str, str] = {}


class _GroupedItem(_Item):
    def __init__(self, nodeid: str, groups: list[str]) -> None:
        super().__init__(nodeid, nodeid.rsplit("::", 1)[-1])
        self.groups = groups

    def iter_markers(self, name: str) -> list[_Mark]:
        return [_Mark(group) for group in self.groups] if name == "xdist_group" else []


def test_xdist_groups_reach_the_id_pytest_reads() -> None:
    items: list[Any] = [
        _GroupedItem("tests/docs/test_d.py::test_a[x]", ["docs"]),
        _GroupedItem("tests/docs/test_d.py::test_b", ["docs", "browser"]),
        _GroupedItem("tests/x/test_y.py::test_c", []),
    ]
    apply_xdist_groups(items)
    assert [item.nodeid for item in items] == [
        "tests/docs/test_d.py::test_a[x]@docs",
        "tests/docs/test_d.py::test_b@browser_docs",
        "tests/x/test_y.py::test_c",
    ]


def test_the_docs_tests_share_one_worker(request: pytest.FixtureRequest) -> None:
    # Under `make test` (loadgroup), every docs test's id carries the group the scheduler reads.
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not a loadgroup run")
    docs = [item.nodeid for item in request.session.items if item.nodeid.startswith("tests/docs/")]
    assert docs and all(nodeid.endswith("@docs") for nodeid in docs)
