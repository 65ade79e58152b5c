"""Files the server reads at run time, kept inside the package so an installed copy has them too.

`specs/` holds the contracts each API serves. In the repository its entries are relative symlinks
to `openapi/` (one copy of every spec, no drift); building the wheel copies the targets in.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SPECS_DIR = PACKAGE_DIR / "specs"
