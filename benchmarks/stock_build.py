"""A stock openapi-python-client build of the same spec (no templates, no pre-processing), for comparison."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

STOCK_PACKAGE = "stock_threecommas_client"


def stock_command(
    spec: Path, root: Path, package: str = STOCK_PACKAGE, post_hooks: bool = False
) -> list[str]:
    """The stock CLI generating spec into root/package (writing root/config.yaml); post_hooks keeps the stock
    generator's default ones (ruff check --fix, ruff format) instead of none."""
    config = root / "config.yaml"
    config.write_text(
        f"package_name_override: {package}\n" + ("" if post_hooks else "post_hooks: []\n")
    )
    cli = Path(sys.executable).parent / "openapi-python-client"
    return [
        str(cli), "generate", "--path", str(spec), "--config", str(config), "--meta", "none",
        "--output-path", str(root / package), "--overwrite",
    ]  # fmt: skip


def build_stock(spec: Path) -> tuple[ModuleType, tempfile.TemporaryDirectory[str]]:
    tmp = tempfile.TemporaryDirectory(prefix="bench-stock-")
    root = Path(tmp.name)
    subprocess.run(stock_command(spec, root), check=True, capture_output=True, text=True)
    sys.path.insert(0, str(root))
    return importlib.import_module(f"{STOCK_PACKAGE}.models"), tmp
