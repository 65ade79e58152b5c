"""spec_tools, the package the generator, the reference server, the docs build and the tests share: its
resolver, its operations loop and its validators, and that it stands on its own."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from generator.specs import REPO_ROOT
from spec_tools.operations import by_operation_id, operations
from spec_tools.refs import RefError, lookup, pointer, refs, registry, resolve, resolves, split
from spec_tools.validators import schema_validator, validator_at

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/a/{id}": {"get": {"operationId": "get_a"}, "parameters": []},
        "/b": {"$ref": "#/components/pathItems/B"},
    },
    "components": {
        "pathItems": {"B": {"post": {"operationId": "post_b"}}},
        "schemas": {
            "a/b~c": {"type": "integer", "format": "int64"},
            "Alias": {"$ref": "#/components/schemas/a~1b~0c"},
            "Loop1": {"$ref": "#/components/schemas/Loop2"},
            "Loop2": {"$ref": "#/components/schemas/Loop1"},
            "List": {"type": "array", "prefixItems": [{"type": "string"}]},
        },
    },
}


def test_importing_spec_tools_imports_neither_generator_nor_reference_server() -> None:
    code = (
        "import sys, importlib, pkgutil, spec_tools\n"
        "for m in pkgutil.iter_modules(spec_tools.__path__):\n"
        "    importlib.import_module(f'spec_tools.{m.name}')\n"
        "print(sorted({n.split('.')[0] for n in sys.modules} & {'generator', 'reference_server', 'docs'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_pointers_escape_and_unescape() -> None:
    assert pointer("paths", "/v2/x", "get") == "/paths/~1v2~1x/get"
    assert pointer("a~/b") == "/a~0~1b"
    assert split("#/components/schemas/a~1b~0c") == ["components", "schemas", "a/b~c"]
    assert split("") == split("#") == []


def test_resolve_follows_chains_escapes_and_list_indices() -> None:
    assert resolve(DOC, {"$ref": "#/components/schemas/Alias"}) == {
        "type": "integer",
        "format": "int64",
    }
    assert lookup(DOC, "/components/schemas/List/prefixItems/0") == {"type": "string"}
    assert resolve(DOC, {"type": "string"}) == {"type": "string"}


@pytest.mark.parametrize(
    ("ref", "why"),
    [
        ("#/components/schemas/Loop1", "cycle"),
        ("#/components/schemas/Nope", "no 'Nope'"),
        ("#/components/schemas/List/prefixItems/3", "no '3'"),
        ("other.yaml#/X", "only local"),
    ],
)
def test_resolve_refuses_what_leads_nowhere(ref: str, why: str) -> None:
    with pytest.raises(RefError, match=why):
        resolve(DOC, {"$ref": ref})
    assert not resolves(DOC, ref)


def test_refs_lists_every_ref() -> None:
    assert set(refs(DOC)) == {
        "#/components/pathItems/B",
        "#/components/schemas/a~1b~0c",
        "#/components/schemas/Loop2",
        "#/components/schemas/Loop1",
    }


def test_operations_follow_path_item_refs() -> None:
    assert [(r, m, o["operationId"]) for r, m, o in operations(DOC)] == [
        ("/a/{id}", "get", "get_a"),
        ("/b", "post", "post_b"),
    ]
    assert set(by_operation_id(DOC)) == {"get_a", "post_b"}


def test_registry_is_built_once_per_document() -> None:
    assert registry(DOC) is registry(DOC)
    assert registry(DOC) is not registry({**DOC})
    assert registry(DOC, "urn:other") is not registry(DOC)


def test_validators_resolve_refs_and_check_openapi_integer_formats() -> None:
    check = schema_validator(DOC, "Alias")
    assert check.is_valid(2**63 - 1)
    assert not check.is_valid(2**63)
    assert not check.is_valid("1")
    same = validator_at(DOC, "#/components/schemas/a~1b~0c")
    assert same.is_valid(5) and not same.is_valid(-(2**63) - 1)
