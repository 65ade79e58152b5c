"""The users file: one YAML mapping, a list of users per API (`users:` for 3Commas,
`poloniex_users:` for Poloniex; each API reads its own key, see `ApiDefinition.load_users`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from spec_tools.load import parse_yaml


class UsersFileError(ValueError):
    """The users file is malformed; the message names the entry, never a secret."""


def read_users_file(path: str | Path) -> Any:
    """The file's YAML data (not checked here: each API checks its own list)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsersFileError(f"cannot read users file {path}: {exc.strerror}") from exc
    try:
        return parse_yaml(text)
    except yaml.YAMLError as exc:
        raise UsersFileError(f"users file {path} is not valid YAML") from exc
