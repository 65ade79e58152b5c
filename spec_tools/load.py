"""Load a spec and validate it against OpenAPI 3.1; the error and problem types of the whole package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class SpecError(Exception):
    """The spec cannot be used; the message names every problem found."""


@dataclass(frozen=True)
class LintProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def load_yaml(path: Path) -> Any:
    """A YAML document as data (safe_load: YAML 1.1, so unquoted 'on'/'off' would be booleans)."""
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


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
