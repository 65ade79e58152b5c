"""Compatibility shim: creation and update moved to `reference_server.threecommas.build`.

Kept for app.py and the tests' imports; the core refactor imports from the package and removes it.
"""

from .threecommas.build import apply_update, create_trade

__all__ = ["apply_update", "create_trade"]
