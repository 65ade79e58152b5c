"""The 3Commas state: smart trades per user, id counters, one lock around every read and write.

One lock for the whole store: requests are short, and a single lock makes "no lost update, no torn
read" hold across trades too (a price move touches every trade of a pair at once).

Requests change the store through a `Transaction` only: it hands out copies of the stored trades
(a read advances them too), keeps new and changed trades to itself, and `commit` swaps them in. The
app commits after the answer is rendered and serialized, so a request that fails at any step, even
while rendering, leaves every stored trade and both id counters as they were.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

from ..prices import PriceBook, Quote
from .engine import advance
from .errors import not_found
from .model import Order, SmartTrade
from .v1_store import V1Book, V1Transaction

WallClock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(self, prices: PriceBook | None = None, clock: WallClock = utc_now) -> None:
        self.prices = prices or PriceBook()
        self.clock = clock
        self._lock = threading.RLock()
        self._trades: dict[int, SmartTrade] = {}
        self.v1 = V1Book()  # the ver1 SmartTrades: same users, lock, ids, transactions
        # Start near real-looking ids so they read like the API's.
        self._next_trade_id = 30_000_001
        self._next_order_id = 1_000_000_001

    @contextmanager
    def locked(self) -> Iterator[None]:
        with self._lock:
            yield

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Holds the lock throughout; without `commit` (an exception, or none called) nothing
        changes, id counters included."""
        with self._lock:
            counters = (self._next_trade_id, self._next_order_id)
            txn = Transaction(self)
            try:
                yield txn
            finally:
                if not txn.committed:
                    self._next_trade_id, self._next_order_id = counters

    def new_trade_id(self) -> int:
        with self._lock:
            value = self._next_trade_id
            self._next_trade_id += 1
            return value

    def new_order_id(self) -> int:
        with self._lock:
            value = self._next_order_id
            self._next_order_id += 1
            return value

    def add(self, trade: SmartTrade) -> None:
        with self._lock:
            assert trade.id not in self._trades
            self._trades[trade.id] = trade

    def quote(self, pair: str) -> Quote:
        return self.prices.quote(pair)

    def get(self, owner: str, trade_id: int) -> SmartTrade:
        """The stored trade, advanced to now (committed); 404 for a missing or another's trade."""
        with self.transaction() as txn:
            trade = txn.get(owner, trade_id)
            txn.commit()
            return trade

    def get_order(self, trade: SmartTrade, order_id: int) -> Order:
        for order in trade.orders():
            if order.id == order_id:
                return order
        raise not_found()

    def owned(self, owner: str) -> list[SmartTrade]:
        with self.transaction() as txn:
            trades = txn.owned(owner)
            txn.commit()
            return trades

    def set_price(
        self, pair: str, last: Decimal, bid: Decimal | None = None, ask: Decimal | None = None
    ) -> Quote:
        """Move a pair's price and let every trade on it react at once (all or nothing)."""
        with self._lock:
            old = self.prices.quote(pair)
            quote = self.prices.set(pair, last, bid, ask)
            try:
                self.on_price(pair)
            except BaseException:
                self.prices.set(pair, old.last, old.bid, old.ask)
                raise
            return quote

    def on_price(self, pair: str) -> None:
        """Every trade on `pair` reacts to its current quote at once (all or nothing): the price
        hook the core calls after `POST /_reference/prices`."""
        with self._lock:
            quote = self.prices.quote(pair)
            now = self.clock()
            moved = [copy.deepcopy(t) for t in self._trades.values() if t.pair == pair]
            for trade in moved:
                advance(trade, quote, now)
            moved_v1 = self.v1.moved(pair, quote, now)
            self._trades.update((t.id, t) for t in moved)
            self.v1.update(moved_v1)

    def count(self) -> int:
        with self._lock:
            return len(self._trades)


class Transaction:
    """One request's view of the store (under its lock): copies in, copies out on `commit`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.clock = store.clock
        self.committed = False
        self._work: dict[int, SmartTrade] = {}  # trade id -> this request's copy
        self._new: set[int] = set()
        self.v1 = V1Transaction(store.v1, store.clock, store.quote)

    def _copy(self, trade: SmartTrade, now: datetime) -> SmartTrade:
        work = self._work.get(trade.id)
        if work is None:
            work = self._work[trade.id] = copy.deepcopy(trade)
            advance(work, self.quote(work.pair), now)
        return work

    def quote(self, pair: str) -> Quote:
        return self.store.quote(pair)

    def new_trade_id(self) -> int:
        return self.store.new_trade_id()

    def new_order_id(self) -> int:
        return self.store.new_order_id()

    def get(self, owner: str, trade_id: int) -> SmartTrade:
        """Another user's trade is as invisible as a missing one: 404 either way."""
        trade = self._work.get(trade_id) or self.store._trades.get(trade_id)
        if trade is None or trade.owner != owner:
            raise not_found()
        return self._copy(trade, self.clock())

    def get_order(self, trade: SmartTrade, order_id: int) -> Order:
        return self.store.get_order(trade, order_id)

    def owned(self, owner: str) -> list[SmartTrade]:
        now = self.clock()
        stored = [t for t in self.store._trades.values() if t.owner == owner]
        return [self._copy(t, now) for t in stored] + [
            t for i, t in self._work.items() if i in self._new and t.owner == owner
        ]

    def add(self, trade: SmartTrade) -> None:
        assert trade.id not in self.store._trades and trade.id not in self._work
        self._work[trade.id] = trade
        self._new.add(trade.id)

    def commit(self) -> None:
        """Swap this request's trades in; call only once its answer is rendered and serialized."""
        assert not self.committed
        self.store._trades.update(self._work)
        self.v1.commit()
        self.committed = True
