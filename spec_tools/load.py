"""Load a spec and validate it against OpenAPI 3.1; the error and problem types of the whole package."""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_SafeLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SpecError(Exception):
    """The spec cannot be used; the message names every problem found."""


@dataclass(frozen=True)
class LintProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def parse_yaml(text: str) -> Any:
    """YAML text as data: the safe loader (YAML 1.1, so unquoted 'on'/'off' would be booleans), libyaml's
    when PyYAML was built with it (the same data, a few times faster; the specs are ~300 KB)."""
    return yaml.load(text, Loader=_SafeLoader)


# Parsed documents by resolved path: (mtime_ns, size, pickled data). Each spec is read by the generator,
# the server's validators, the fuzz targets and dozens of test modules in one process; a pickle load
# is ~25 times faster than parsing and gives every caller its own copy to change. At most
# _CACHE_FILES entries, the least recently used dropped first.
_CACHE: OrderedDict[Path, tuple[int, int, bytes]] = OrderedDict()
_CACHE_FILES = 32
_CACHE_LOCK = threading.Lock()


def load_yaml(path: Path | str) -> Any:
    """A YAML file as data (see `parse_yaml`), a fresh copy on every call; re-read when the file's
    modification time or size changed."""
    resolved = Path(path).resolve()
    status = resolved.stat()
    stamp = (status.st_mtime_ns, status.st_size)
    with _CACHE_LOCK:
        cached = _CACHE.get(resolved)
        if cached is not None and cached[:2] == stamp:
            _CACHE.move_to_end(resolved)
    if cached is not None and cached[:2] == stamp:
        return pickle.loads(cached[2])
    data = parse_yaml(resolved.read_text(encoding="utf-8"))
    pickled = pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
    with _CACHE_LOCK:
        _CACHE[resolved] = (*stamp, pickled)
        while len(_CACHE) > _CACHE_FILES:
            _CACHE.popitem(last=False)
    return data


def load_spec(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise SpecError(f"{path}: spec file not found")
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise SpecError(f"{path}: top level is not a mapping")
    return data


def validate_spec(spec: dict[str, Any], path: Path) -> None:
    # Imported here: the validator takes a quarter of a second to import, which a cached check never needs.
    from openapi_spec_validator import validate

    try:
        validate(spec)
    except Exception as exc:  # noqa: BLE001 (the validator raises several unrelated exception types)
        raise SpecError(f"{path}: not a valid OpenAPI document: {exc}") from None
