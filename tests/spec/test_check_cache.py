"""The spec check's cache (spec_tools/check.py, cache_dir): a pass is remembered only for the very same inputs,
so a changed spec, registry, source document or tool version runs every check again, warm cache or not."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import __main__ as generator_cli
from generator import pipeline
from generator.specs import REPO_ROOT, target_by_name
from spec_tools import check
from spec_tools.curation import load_registry
from spec_tools.load import SpecError, validate_spec

VALID = """
openapi: 3.1.0
info: {title: tiny, version: '1'}
paths:
  /things:
    get:
      operationId: list_things
      tags: [things]
      responses:
        '200': {description: ok}
"""
# Valid YAML, not a valid OpenAPI document (no info).
INVALID = "openapi: 3.1.0\npaths: {}\n"
# Valid OpenAPI, but the generation lint fails (no operationId).
UNLINTED = VALID.replace("      operationId: list_things\n", "")


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths validate_spec really ran on (a cache hit runs nothing)."""
    seen: list[Path] = []
    real = validate_spec

    def spy(spec: dict[str, Any], path: Path) -> None:
        seen.append(path)
        real(spec, path)

    monkeypatch.setattr(check, "validate_spec", spy)
    return seen


def test_a_pass_is_remembered_for_the_same_bytes(tmp_path: Path, runs: list[Path]) -> None:
    spec, cache = tmp_path / "spec.yaml", tmp_path / "cache"
    spec.write_text(VALID)
    first = check.load_checked_spec(spec, cache_dir=cache)
    second = check.load_checked_spec(spec, cache_dir=cache)
    assert first == second == check.load_checked_spec(spec)  # the same spec as without a cache
    assert second is not first  # a fresh copy: callers may change theirs
    assert len(runs) == 2  # the first cached call and the uncached one; not the hit
    assert len(list(cache.glob("*.pickle"))) == 1


@pytest.mark.parametrize(
    ("broken", "message"), [(INVALID, "not a valid OpenAPI document"), (UNLINTED, "operationId")]
)
def test_a_changed_spec_is_checked_again_and_fails_with_a_warm_cache(
    tmp_path: Path, runs: list[Path], broken: str, message: str
) -> None:
    spec, cache = tmp_path / "spec.yaml", tmp_path / "cache"
    spec.write_text(VALID)
    check.load_checked_spec(spec, cache_dir=cache)
    spec.write_text(broken)
    for _ in range(2):  # a failure is never remembered
        with pytest.raises(SpecError, match=message):
            check.load_checked_spec(spec, cache_dir=cache)
    assert len(runs) == 3
    spec.write_text(VALID)
    check.load_checked_spec(spec, cache_dir=cache)  # back to the passing bytes: a hit
    assert len(runs) == 3


def test_a_new_tool_version_or_profile_checks_again(
    tmp_path: Path, runs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, cache = tmp_path / "spec.yaml", tmp_path / "cache"
    spec.write_text(VALID)
    check.load_checked_spec(spec, cache_dir=cache)
    distributions = check._distributions()
    monkeypatch.setattr(
        check, "_distributions", lambda: [*distributions, "openapi_spec_validator-99.0.dist-info"]
    )
    check.load_checked_spec(spec, cache_dir=cache)
    assert len(runs) == 2
    check.load_checked_spec(spec, cache_dir=cache, lint_profile="threecommas")
    assert len(runs) == 3


def test_a_damaged_entry_is_a_miss(tmp_path: Path, runs: list[Path]) -> None:
    spec, cache = tmp_path / "spec.yaml", tmp_path / "cache"
    spec.write_text(VALID)
    check.load_checked_spec(spec, cache_dir=cache)
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert check.load_checked_spec(spec, cache_dir=cache)["info"]["title"] == "tiny"
    assert len(runs) == 2


@pytest.fixture(scope="module")
def poloniex_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """poloniex's spec, registry and sources, copied (the smaller of the real targets)."""
    target = target_by_name("poloniex")
    assert target.registry is not None
    root = tmp_path_factory.mktemp("poloniex")
    spec, registry = root / "spec.yaml", root / "registry.yaml"
    shutil.copy(REPO_ROOT / target.spec, spec)
    shutil.copy(REPO_ROOT / target.registry, registry)
    sources = root / "sources"
    shutil.copytree(REPO_ROOT / target.sources, sources)
    return spec, registry, sources


def test_a_changed_registry_or_source_is_checked_again(
    tmp_path: Path, poloniex_copy: tuple[Path, Path, Path]
) -> None:
    spec, registry, sources = poloniex_copy
    cache = tmp_path / "cache"
    check.load_checked_spec(spec, registry, sources=sources, cache_dir=cache)
    entries = load_registry(registry)
    first = entries["entries"][0]
    quoted = sources / first["source"]
    original_source, original_registry = (
        quoted.read_text(encoding="utf-8"),
        registry.read_text(encoding="utf-8"),
    )
    try:
        # The quote gone from its vendor document: the registry check fails although spec and registry did not change.
        quoted.write_text(
            " ".join(original_source.split()).replace(" ".join(first["quote"].split()), "(cut)")
        )
        with pytest.raises(SpecError, match="is not in"):
            check.load_checked_spec(spec, registry, sources=sources, cache_dir=cache)
        quoted.write_text(original_source, encoding="utf-8")
        # New registry bytes, same verdict; then a registry that fails (a duplicate id).
        registry.write_text(original_registry + "\n# a comment\n", encoding="utf-8")
        check.load_checked_spec(spec, registry, sources=sources, cache_dir=cache)
        entries["entries"].append(dict(first))
        registry.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
        with pytest.raises(SpecError, match="duplicate id"):
            check.load_checked_spec(spec, registry, sources=sources, cache_dir=cache)
    finally:
        quoted.write_text(original_source, encoding="utf-8")
        registry.write_text(original_registry, encoding="utf-8")


def test_generator_fails_on_a_broken_spec_with_a_warm_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pipeline, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.delenv("GENERATOR_CACHE", raising=False)
    spec = tmp_path / "spec.yaml"
    spec.write_text(VALID)
    argv = ["--lint-only", "--only", "poloniex", "--spec", f"poloniex={spec}"]
    assert generator_cli.main(argv) == 0
    assert list((tmp_path / "cache" / "spec-check").glob("*.pickle"))  # warm
    spec.write_text(UNLINTED)
    assert generator_cli.main(argv) == 1
    assert "missing operationId" in capsys.readouterr().err
