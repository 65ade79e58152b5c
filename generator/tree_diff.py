"""Compare two generated trees byte for byte (new and missing files included), and bring one up to date
with the other touching only what differs."""

from __future__ import annotations

import shutil
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
    problems = [
        f"missing from committed tree: {name}" for name in sorted(want.keys() - have.keys())
    ]
    problems += [
        f"not produced by the generator: {name}" for name in sorted(have.keys() - want.keys())
    ]
    problems += [
        f"differs: {name}" for name in sorted(want.keys() & have.keys()) if want[name] != have[name]
    ]
    return problems


def sync_tree(fresh: Path, target: Path) -> list[str]:
    """Make target's generated files equal fresh's: write the files that differ, delete those fresh lacks.

    Unchanged files keep their bytes and their mtime, so `make setup` (which depends on each package's
    pyproject.toml) does not reinstall after a regeneration that changed nothing it depends on, and the
    editable install's metadata (`*.egg-info`, ignored here) survives. Returns what changed.
    """
    want, have = _files(fresh), _files(target)
    changed = []
    for name in sorted(have.keys() - want.keys()):
        (target / name).unlink()
        changed.append(f"removed {name}")
    for name, content in sorted(want.items()):
        if have.get(name) != content:
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            changed.append(f"wrote {name}")
    # Folders left empty by removals (a dropped tag's api/<tag>/), caches aside.
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        rel = folder.relative_to(target)
        if any(p in IGNORED_PARTS or p.endswith(".egg-info") for p in rel.parts):
            continue
        leftovers = [c for c in folder.iterdir() if c.name not in IGNORED_PARTS]
        if not leftovers:
            shutil.rmtree(folder)
    return changed
