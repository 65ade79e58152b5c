"""Compatibility: remove once all importers use spec_tools (spec_tools/versions.py)."""

from spec_tools.versions import package_version, spec_major

__all__ = ["package_version", "spec_major"]
