"""Compatibility: remove once all importers use spec_tools (the walker is spec_tools/paths.py, the
resolver spec_tools/refs.py)."""

from spec_tools.paths import (
    Schema,
    branches,
    enum_values,
    field_paths,
    find,
    json_types,
    known_values,
)
from spec_tools.refs import resolve

__all__ = [
    "Schema",
    "branches",
    "enum_values",
    "field_paths",
    "find",
    "json_types",
    "known_values",
    "resolve",
]
