"""The whole gate a spec passes before anything is built from it: load, OpenAPI validation, generation lint
and, given its curation registry, the contract lint (under a lint profile) and the registry check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .curation import check_registry, load_registry
from .lint import lint_contract, lint_spec
from .load import LintProblem, SpecError, load_spec, validate_spec


def load_checked_spec(
    path: Path,
    registry: Path | None = None,
    *,
    lint_profile: str = "general",
    sources: Path | None = None,
) -> dict[str, Any]:
    """The spec at path, validated and linted; SpecError naming every problem otherwise. With a registry,
    also the contract (general rules plus those of lint_profile) and the registry, against the vendor
    documents in sources (default: the `sources` folder beside the registry)."""
    spec = load_spec(path)
    validate_spec(spec, path)
    problems: list[LintProblem] = [*lint_spec(spec)]
    if registry is not None:
        text = path.read_text(encoding="utf-8")
        entries = load_registry(registry)
        problems += [
            *lint_contract(spec, text, entries, lint_profile),
            *check_registry(spec, text, entries, sources or registry.parent / "sources"),
        ]
    if problems:
        raise SpecError(
            f"{path}: {len(problems)} lint problem(s):\n" + "\n".join(f"  {p}" for p in problems)
        )
    return spec
