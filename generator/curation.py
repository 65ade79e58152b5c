"""Compatibility: remove once all importers use spec_tools (spec_tools/curation.py,
spec_tools/validators.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spec_tools import curation
from spec_tools.curation import token_pattern, typo_tokens
from spec_tools.load import LintProblem
from spec_tools.validators import schema_validator, validator_at

__all__ = [
    "OPENAPI_DIR",
    "SOURCES_DIR",
    "check_registry",
    "load_registry",
    "schema_validator",
    "token_pattern",
    "typo_tokens",
    "validator_at",
]

OPENAPI_DIR = Path(__file__).resolve().parent.parent / "openapi"
SOURCES_DIR = OPENAPI_DIR / "sources"


def load_registry(path: Path = OPENAPI_DIR / "3commas.curation.yaml") -> dict[str, Any]:
    """spec_tools.curation.load_registry with this module's old default path."""
    return curation.load_registry(path)


def check_registry(
    spec: dict[str, Any], spec_text: str, registry: dict[str, Any], sources_dir: Path = SOURCES_DIR
) -> list[LintProblem]:
    """spec_tools.curation.check_registry with this module's old default sources."""
    return curation.check_registry(spec, spec_text, registry, sources_dir)
