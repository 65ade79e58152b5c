"""The rules that keep the ver1 state machine in one place, read off the package's v1 modules."""

from __future__ import annotations

import ast
from pathlib import Path

import reference_server.threecommas as package
from reference_server.threecommas.v1_statuses import V1Kind, V1Status, V1StepStatus, V1StepType

PACKAGE = Path(package.__file__).parent
VALUES = {e.value for e in (*V1Status, *V1StepStatus, *V1Kind, *V1StepType)}
# Also v2 statuses share some words (`cancelled`, `failed`): only the v1 modules are scanned.
V1_MODULES = sorted(PACKAGE.glob("v1_*.py"))


def _modules(*exclude: str) -> dict[str, ast.Module]:
    return {
        path.name: ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in V1_MODULES
        if path.name not in exclude
    }


def _field_names(tree: ast.Module) -> set[int]:
    """The keys of dict literals: in v1_render.py they name response fields (`"status": ...`)."""
    return {id(key) for node in ast.walk(tree) if isinstance(node, ast.Dict) for key in node.keys}


def test_no_ver1_status_or_kind_string_outside_v1_statuses_py() -> None:
    found = []
    for name, tree in _modules("v1_statuses.py").items():
        fields = _field_names(tree) if name == "v1_render.py" else set()
        found += [
            f"{name}:{node.lineno} {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in VALUES and id(node) not in fields
        ]
    assert found == []


def test_only_the_v1_machine_writes_a_status() -> None:
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _modules("v1_machine.py").items()
        for node in ast.walk(tree)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Attribute) and target.attr == "status"
    ]
    assert found == []


def test_the_scan_sees_the_v1_modules() -> None:
    names = {path.name for path in V1_MODULES}
    assert {
        "v1_statuses.py",
        "v1_machine.py",
        "v1_model.py",
        "v1_engine.py",
        "v1_commands.py",
        "v1_render.py",
        "v1_handlers.py",
        "v1_rules.py",
    } <= names
