"""Compatibility: remove once all importers use spec_tools (spec_tools/lint.py)."""

from __future__ import annotations

from typing import Any

from spec_tools import lint
from spec_tools.lint import OPERATION_KEYS, PROFILE_HEADERS, PROFILE_OPERATION_KEYS, PROFILES
from spec_tools.load import LintProblem
from spec_tools.operations import METHODS as HTTP_METHODS
from spec_tools.operations import operations
from spec_tools.refs import refs as _refs

__all__ = [
    "HTTP_METHODS",
    "OPERATION_KEYS",
    "PROFILES",
    "PROFILE_HEADERS",
    "PROFILE_OPERATION_KEYS",
    "_refs",
    "lint_contract",
    "operations",
]


def lint_contract(
    spec: dict[str, Any], spec_text: str, registry: dict[str, Any], profile: str = "threecommas"
) -> list[LintProblem]:
    """spec_tools.lint.lint_contract with this module's old default profile."""
    return lint.lint_contract(spec, spec_text, registry, profile)
