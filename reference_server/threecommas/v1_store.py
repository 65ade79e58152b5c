"""The ver1 SmartTrades inside the 3Commas state (`store.Store.v1`): same users, same lock, same
id counters, same transactions as v2.

`V1Book` holds the committed trades; a request sees them through its `V1Transaction` (the `v1`
of the request's `store.Transaction`), which hands out advanced copies and keeps new and changed
trades to itself until the store's transaction commits.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime

from ..prices import Quote
from .errors import not_found
from .v1_engine import advance
from .v1_model import V1Trade


class V1Book:
    """The committed ver1 trades (read and written under the owning store's lock)."""

    def __init__(self) -> None:
        self.trades: dict[int, V1Trade] = {}

    def moved(self, pair: str, quote: Quote, now: datetime) -> list[V1Trade]:
        """Copies of the trades on `pair`, advanced to `quote` (the caller swaps them in)."""
        moved = [copy.deepcopy(t) for t in self.trades.values() if t.pair == pair]
        for trade in moved:
            advance(trade, quote, now)
        return moved

    def update(self, trades: list[V1Trade]) -> None:
        self.trades.update((t.id, t) for t in trades)


class V1Transaction:
    """One request's ver1 view: copies in, copies out when the request's transaction commits."""

    def __init__(
        self, book: V1Book, clock: Callable[[], datetime], quote: Callable[[str], Quote]
    ) -> None:
        self.book = book
        self.clock = clock
        self.quote = quote
        self.work: dict[int, V1Trade] = {}
        self._new: set[int] = set()

    def _copy(self, trade: V1Trade) -> V1Trade:
        work = self.work.get(trade.id)
        if work is None:
            work = self.work[trade.id] = copy.deepcopy(trade)
            advance(work, self.quote(work.pair), self.clock())
        return work

    def get(self, owner: str, trade_id: int) -> V1Trade:
        """Another user's trade is as invisible as a missing one: 404 either way."""
        trade = self.work.get(trade_id) or self.book.trades.get(trade_id)
        if trade is None or trade.owner != owner:
            raise not_found()
        return self._copy(trade)

    def owned(self, owner: str) -> list[V1Trade]:
        stored = [self._copy(t) for t in self.book.trades.values() if t.owner == owner]
        return stored + [t for i, t in self.work.items() if i in self._new and t.owner == owner]

    def add(self, trade: V1Trade) -> None:
        assert trade.id not in self.book.trades and trade.id not in self.work
        self.work[trade.id] = trade
        self._new.add(trade.id)

    def commit(self) -> None:
        self.book.trades.update(self.work)
