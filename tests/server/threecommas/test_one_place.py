"""The rules that keep the state machine in one place, read off the package's source."""

from __future__ import annotations

import ast
from pathlib import Path

import reference_server.threecommas as package
from reference_server.threecommas.statuses import OrderStatus, TradeStatus

PACKAGE = Path(package.__file__).parent
STATUS_VALUES = {status.value for status in (*TradeStatus, *OrderStatus)}


def _modules(*exclude: str) -> dict[str, ast.Module]:
    return {
        path.name: ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(PACKAGE.glob("*.py"))
        # The ver1 modules have their own machine and statuses: test_v1_one_place.py.
        if path.name not in exclude and not path.name.startswith("v1_")
    }


def _field_names(tree: ast.Module) -> set[int]:
    """The keys of dict literals: in render.py they name response fields (`data.finished`)."""
    return {id(key) for node in ast.walk(tree) if isinstance(node, ast.Dict) for key in node.keys}


def test_no_status_string_outside_statuses_py() -> None:
    found = []
    for name, tree in _modules("statuses.py").items():
        fields = _field_names(tree) if name == "render.py" else set()
        found += [
            f"{name}:{node.lineno} {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and node.value in STATUS_VALUES
            and id(node) not in fields
        ]
    assert found == []


def test_only_the_machine_writes_a_status() -> None:
    found = [
        f"{name}:{node.lineno}"
        # errors.py: `status` there is an error's HTTP status, not a SmartTrade's.
        for name, tree in _modules("machine.py", "errors.py").items()
        for node in ast.walk(tree)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Attribute) and target.attr == "status"
    ]
    assert found == []


def test_the_scan_sees_the_package() -> None:
    modules = _modules()
    assert {"statuses.py", "machine.py", "engine.py", "commands.py", "render.py"} <= set(modules)
    literals = {
        node.value
        for node in ast.walk(modules["statuses.py"])
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert literals >= STATUS_VALUES
