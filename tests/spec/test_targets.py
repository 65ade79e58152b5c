"""What every spec target must satisfy, whatever its API: one run per row of generator/specs.py TARGETS.

Valid OpenAPI 3.1, generation lint and contract lint (under the target's lint profile) clean, its curation
registry holding against the spec and the target's sources, every `$ref` resolving, every example
validating against its schema, every link naming an operation of the spec. A new spec row gets all of
these by being added to the table.
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.specs import REPO_ROOT, TARGETS, SpecTarget
from spec_tools.curation import check_registry
from spec_tools.lint import PROFILES, lint_contract, lint_spec
from spec_tools.load import validate_spec
from spec_tools.operations import operations
from spec_tools.refs import refs, resolve
from spec_tools.validators import validator_at

from .targets import BY_TARGET, media_examples, registry_of, spec_of, text_of


def test_the_table_has_the_known_targets() -> None:
    assert {"threecommas", "poloniex"} <= {t.name for t in TARGETS}


@BY_TARGET
def test_spec_is_valid_openapi_3_1(target: SpecTarget) -> None:
    spec = spec_of(target)
    assert str(spec["openapi"]).startswith("3.1")
    validate_spec(spec, target.spec)


@BY_TARGET
def test_generation_lint_passes(target: SpecTarget) -> None:
    assert [str(p) for p in lint_spec(spec_of(target))] == []


@BY_TARGET
def test_contract_lint_passes_under_the_targets_profile(target: SpecTarget) -> None:
    assert target.lint_profile in PROFILES
    problems = lint_contract(
        spec_of(target), text_of(target), registry_of(target), target.lint_profile
    )
    assert [str(p) for p in problems] == []


@BY_TARGET
def test_registry_holds_against_the_targets_sources(target: SpecTarget) -> None:
    if target.registry is None:
        pytest.skip(f"{target.name} has no curation registry")
    sources = REPO_ROOT / target.sources
    assert sources.is_dir(), sources
    problems = check_registry(spec_of(target), text_of(target), registry_of(target), sources)
    assert [str(p) for p in problems] == []


@BY_TARGET
def test_every_ref_resolves(target: SpecTarget) -> None:
    spec = spec_of(target)
    found = set(refs(spec))
    assert found, "a spec without a single $ref: its components are unused"
    for ref in found:
        assert isinstance(resolve(spec, {"$ref": ref}), dict), ref


@BY_TARGET
def test_every_embedded_example_validates(target: SpecTarget) -> None:
    spec = spec_of(target)
    checked = 0
    for where, pointer, value in media_examples(spec):
        errors = [e.message for e in validator_at(spec, pointer).iter_errors(value)]
        assert errors == [], where
        checked += 1
    assert checked > 0, f"{target.name}: no request or response example to check"


@BY_TARGET
def test_every_component_example_validates(target: SpecTarget) -> None:
    spec = spec_of(target)
    for name, schema in ((spec.get("components") or {}).get("schemas") or {}).items():
        samples: list[Any] = list(schema.get("examples") or [])
        if "example" in schema:
            samples.append(schema["example"])
        validator = validator_at(spec, f"/components/schemas/{name}")
        for sample in samples:
            assert [e.message for e in validator.iter_errors(sample)] == [], name


@BY_TARGET
def test_links_name_existing_operations(target: SpecTarget) -> None:
    spec = spec_of(target)
    operation_ids = {op.get("operationId") for _, _, op in operations(spec)}
    for route, method, op in operations(spec):
        for status, response in (op.get("responses") or {}).items():
            for name, link in (resolve(spec, response).get("links") or {}).items():
                link = resolve(spec, link)
                assert "operationRef" not in link, (
                    f"{method} {route} {status} {name}: use operationId"
                )
                assert link.get("operationId") in operation_ids, f"{method} {route} {status} {name}"


@BY_TARGET
def test_the_checked_load_passes(target: SpecTarget) -> None:
    """The gate the generator runs (load, validate, lint, registry) with the row's own settings."""
    assert target.load_checked(REPO_ROOT / target.spec) == spec_of(target)
