"""A stock openapi-python-client build of the same spec (no templates, no pre-processing), for comparison."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

STOCK_PACKAGE = "stock_threecommas_client"


def build_stock(spec: Path) -> tuple[ModuleType, tempfile.TemporaryDirectory[str]]:
    tmp = tempfile.TemporaryDirectory(prefix="bench-stock-")
    root = Path(tmp.name)
    config = root / "config.yaml"
    config.write_text(f"package_name_override: {STOCK_PACKAGE}\npost_hooks: []\n")
    cli = Path(sys.executable).parent / "openapi-python-client"
    subprocess.run(
        [str(cli), "generate", "--path", str(spec), "--config", str(config), "--meta", "none",
         "--output-path", str(root / STOCK_PACKAGE)],
        check=True, capture_output=True, text=True,
    )
    sys.path.insert(0, str(root))
    return importlib.import_module(f"{STOCK_PACKAGE}.models"), tmp
