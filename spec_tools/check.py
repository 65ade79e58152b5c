"""The whole gate a spec passes before anything is built from it: load, OpenAPI validation, generation lint
and, given its curation registry, the contract lint (under a lint profile) and the registry check.

With a cache_dir, a spec that passed is remembered under a digest of everything the verdict depends on (see
_cache_key); the next call with the same inputs returns the remembered spec without running the checks again,
and any change to an input runs them all. Only passing specs are remembered: a failing one fails every time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from .curation import check_registry, load_registry
from .lint import lint_contract, lint_spec
from .load import LintProblem, SpecError, load_spec, validate_spec

# Bump when the cache's layout or meaning changes.
_CACHE_FORMAT = b"spec-check-1"
# Entries kept in a cache folder (the newest); one per spec and registry version is all a run needs.
_CACHE_KEEP = 16
_PACKAGE_DIR = Path(__file__).resolve().parent


def load_checked_spec(
    path: Path,
    registry: Path | None = None,
    *,
    lint_profile: str = "general",
    sources: Path | None = None,
    cache_dir: Path | None = None,
) -> dict[str, Any]:
    """The spec at path, validated and linted; SpecError naming every problem otherwise. With a registry,
    also the contract (general rules plus those of lint_profile) and the registry, against the vendor
    documents in sources (default: the `sources` folder beside the registry). With cache_dir, a spec that
    passed with the very same inputs before is returned without checking it again (module docstring)."""
    if registry is not None and sources is None:
        sources = registry.parent / "sources"
    if cache_dir is None:
        return _checked(path, registry, lint_profile, sources)
    if not path.is_file():
        raise SpecError(f"{path}: spec file not found")
    key = _cache_key(path, registry, lint_profile, sources)
    entry = cache_dir / f"{key}.pickle"
    cached = _read(entry)
    if cached is not None:
        return cached
    spec = _checked(path, registry, lint_profile, sources)
    _write(entry, spec)
    return spec


def _checked(
    path: Path, registry: Path | None, lint_profile: str, sources: Path | None
) -> dict[str, Any]:
    spec = load_spec(path)
    validate_spec(spec, path)
    problems: list[LintProblem] = [*lint_spec(spec)]
    if registry is not None:
        assert sources is not None
        text = path.read_text(encoding="utf-8")
        entries = load_registry(registry)
        problems += [
            *lint_contract(spec, text, entries, lint_profile),
            *check_registry(spec, text, entries, sources),
        ]
    if problems:
        raise SpecError(
            f"{path}: {len(problems)} lint problem(s):\n" + "\n".join(f"  {p}" for p in problems)
        )
    return spec


def _cache_key(path: Path, registry: Path | None, lint_profile: str, sources: Path | None) -> str:
    """A digest of every input of the verdict: the spec's bytes, the registry's, every file of the sources
    folder (name and bytes), the lint profile, this package's own code, the Python version and the installed
    distributions (their dist-info names carry the versions of the validator, jsonschema, PyYAML, ...)."""
    digest = hashlib.sha256(_CACHE_FORMAT)

    def add(label: str, data: bytes) -> None:
        digest.update(f"\0{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("python", sys.version.encode())
    add("distributions", "\n".join(_distributions()).encode())
    for code in sorted(_PACKAGE_DIR.glob("*.py")):
        add(f"code:{code.name}", code.read_bytes())
    add("profile", lint_profile.encode())
    add("spec", path.read_bytes())
    if registry is not None:
        add("registry", registry.read_bytes())
    if sources is not None and sources.is_dir():
        for source in sorted(sources.iterdir()):
            if source.is_file():
                add(f"source:{source.name}", source.read_bytes())
    return digest.hexdigest()


def _distributions() -> list[str]:
    """The `*.dist-info` folders on sys.path (name-version), sorted."""
    found: set[str] = set()
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        found.update(n for n in names if n.endswith(".dist-info"))
    return sorted(found)


def _read(entry: Path) -> dict[str, Any] | None:
    # The cache lives in the project's own folder (as trusted as its code); an unreadable entry is a miss.
    try:
        data = pickle.loads(entry.read_bytes())
    except Exception:  # noqa: BLE001 (missing, truncated or from another pickle protocol: check again)
        return None
    return data if isinstance(data, dict) else None


def _write(entry: Path, spec: dict[str, Any]) -> None:
    """Atomically (a concurrent reader sees the old entry or the new one), then prune to the newest entries."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:
            fh.write(pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, entry)
        entries = sorted(
            entry.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for stale in entries[_CACHE_KEEP:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time
