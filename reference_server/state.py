"""Kept for existing imports: the 3Commas store lives in `reference_server.threecommas.store`."""

from .threecommas.store import Store, Transaction, WallClock, utc_now

__all__ = ["Store", "Transaction", "WallClock", "utc_now"]
