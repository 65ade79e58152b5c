"""The source documents' examples and tables, parsed as the tests need them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "openapi" / "sources"
SEED_000 = SOURCES / "000_2670319b238968a9.txt"
SEED_001 = SOURCES / "001_6fd61ce09f361c1d.txt"
SEED_003 = SOURCES / "003_bd01ae28ccb978bf.txt"


def seed_001_examples() -> dict[str, Any]:
    """The 23 JSON request examples of seed 001, by heading, parsed from the source document."""
    text = SEED_001.read_text(encoding="utf-8")
    section = text.split("### Examples", 1)[1].split("### Get smart trade v2 by id", 1)[0]
    found = re.findall(r"#### (.+?)\n```\n(.*?)\n```", section, re.DOTALL)
    return {title.strip(): json.loads(body) for title, body in found}


def seed_003_text() -> str:
    """Seed 003's response body: a real SmartTrade, as JSON text."""
    text = SEED_003.read_text(encoding="utf-8")
    return text[text.index("{") :] + "\n"


def seed_003_body() -> dict[str, Any]:
    body = json.loads(seed_003_text())
    assert isinstance(body, dict)
    return body


def seed_000_error_examples() -> dict[str, str]:
    """The raw error example bodies of seed 000, by status code."""
    text = SEED_000.read_text(encoding="utf-8")
    return dict(
        re.findall(
            r"<summary>Status: (\d{3}) [^<]*</summary><br>\s*```json\s*(.*?)```", text, re.DOTALL
        )
    )
