"""Compatibility: remove once all importers use spec_tools (spec_tools/load.py, spec_tools/lint.py,
spec_tools/check.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spec_tools import check
from spec_tools.lint import lint_spec
from spec_tools.load import LintProblem, SpecError, load_spec, validate_spec
from spec_tools.operations import METHODS as HTTP_METHODS

__all__ = [
    "HTTP_METHODS",
    "LintProblem",
    "SpecError",
    "lint_spec",
    "load_checked_spec",
    "load_spec",
    "validate_spec",
]


def load_checked_spec(
    path: Path,
    registry: Path | None = None,
    *,
    lint_profile: str = "threecommas",
    sources: Path | None = None,
) -> dict[str, Any]:
    """spec_tools.check.load_checked_spec with this module's old default profile."""
    return check.load_checked_spec(path, registry, lint_profile=lint_profile, sources=sources)
