"""The Poloniex state as the core drives it: the smart-order engine, in transactions.

A request's transaction holds the engine's lock from the handler until the answer is rendered and
serialized; the first time a handler asks for a user's orders (`engine_for`), that user's book is
copied, and without `commit` the copy is put back, so a request that fails at any step, rendering
included, changes nothing (ids included).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..prices import PriceBook
from ..protocol import wall_clock_ms
from .engine import Clock, SmartOrderEngine, Snapshot


class PoloniexTransaction:
    def __init__(self, engine: SmartOrderEngine) -> None:
        self._engine = engine
        self._snapshots: dict[str, Snapshot] = {}
        self.committed = False

    def engine_for(self, owner: str) -> SmartOrderEngine:
        """The engine, once `owner`'s orders are saved for a rollback."""
        if owner not in self._snapshots:
            self._snapshots[owner] = self._engine.snapshot([owner])
        return self._engine

    def commit(self) -> None:
        assert not self.committed
        self.committed = True

    def rollback(self) -> None:
        for snapshot in reversed(list(self._snapshots.values())):
            self._engine.restore(snapshot)


class PoloniexState:
    def __init__(self, prices: PriceBook, clock: Clock = wall_clock_ms) -> None:
        self.prices = prices
        self.engine = SmartOrderEngine(prices, clock)

    @contextmanager
    def transaction(self) -> Iterator[PoloniexTransaction]:
        with self.engine.locked():
            txn = PoloniexTransaction(self.engine)
            try:
                yield txn
            finally:
                if not txn.committed:
                    txn.rollback()

    def on_price(self, pair: str) -> None:
        """Every smart order on the market `pair` (3Commas naming) reacts, all or nothing."""
        with self.engine.locked():
            snapshot = self.engine.snapshot()
            try:
                self.engine.on_pair(pair)
            except BaseException:
                self.engine.restore(snapshot)
                raise
