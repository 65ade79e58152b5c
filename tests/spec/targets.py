"""The spec targets of generator/specs.py as test parameters, each spec, its text and its registry loaded
once. A test parametrised with BY_TARGET runs for every row: a new spec gets it by adding its row."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from generator.specs import REPO_ROOT, TARGETS, SpecTarget, target_by_name
from spec_tools.curation import load_registry
from spec_tools.load import load_spec
from spec_tools.operations import operations
from spec_tools.refs import pointer, resolve

Spec = dict[str, Any]

BY_TARGET = pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])


# Keyed by name: a SpecTarget holds dicts, so it is not hashable.
def spec_of(target: SpecTarget) -> Spec:
    return _spec(target.name)


def text_of(target: SpecTarget) -> str:
    return (REPO_ROOT / target.spec).read_text(encoding="utf-8")


def registry_of(target: SpecTarget) -> Spec:
    return _registry(target.name)


@cache
def _spec(name: str) -> Spec:
    return load_spec(REPO_ROOT / target_by_name(name).spec)


@cache
def _registry(name: str) -> Spec:
    registry = target_by_name(name).registry
    return load_registry(REPO_ROOT / registry) if registry else {}


def media_examples(spec: Spec) -> Iterator[tuple[str, str, Any]]:
    """(where, JSON pointer of the body schema, example value) for every example of a request or response
    body; a `$ref`'d response is pointed at where it is defined."""
    for route, method, op in operations(spec):
        base = pointer("paths", route, method)
        bodies = [("request", f"{base}/requestBody", op.get("requestBody") or {})]
        for status, response in (op.get("responses") or {}).items():
            bodies.append((str(status), f"{base}{pointer('responses', status)}", response))
        for label, at, raw in bodies:
            ref = raw.get("$ref", "")
            at = ref[1:] if ref else at  # jsonschema does not follow a `$ref` inside a pointer
            for media_type, media in (resolve(spec, raw).get("content") or {}).items():
                schema_pointer = f"{at}{pointer('content', media_type, 'schema')}"
                for name, example in (media.get("examples") or {}).items():
                    value = resolve(spec, example)["value"]
                    yield f"{method} {route} {label} {media_type} {name}", schema_pointer, value
                if "example" in media:
                    where = f"{method} {route} {label} {media_type} example"
                    yield where, schema_pointer, media["example"]
