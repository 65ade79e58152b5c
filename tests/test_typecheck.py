"""The hand-written code passes `mypy --strict` (the generated packages have their own test in
tests/client/test_generator.py; the READMEs' code blocks in tests/client/test_readme_typecheck.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAND_WRITTEN = ["generator", "spec_tools", "reference_server", "docs", "benchmarks", "examples"]


def test_hand_written_code_is_mypy_strict_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *HAND_WRITTEN],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
