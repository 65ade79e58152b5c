"""Compare two generated trees byte for byte, new and missing files included."""

from __future__ import annotations

from pathlib import Path

# Produced by installing or importing the package, never by the generator.
IGNORED_PARTS = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist"}


def _files(root: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    if not root.is_dir():
        return out
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_dir() or any(p in IGNORED_PARTS or p.endswith(".egg-info") for p in rel.parts):
            continue
        out[rel.as_posix()] = path.read_bytes()
    return out


def diff_trees(expected: Path, actual: Path) -> list[str]:
    """Human-readable differences; empty when the trees are identical."""
    want, have = _files(expected), _files(actual)
    problems = [f"missing from committed tree: {name}" for name in sorted(want.keys() - have.keys())]
    problems += [f"not produced by the generator: {name}" for name in sorted(have.keys() - want.keys())]
    problems += [f"differs: {name}" for name in sorted(want.keys() & have.keys()) if want[name] != have[name]]
    return problems
