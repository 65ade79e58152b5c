"""The 3Commas state: smart trades per user, id counters, one lock around every read and write.

One lock for the whole store: requests are short, and a single lock makes "no lost update, no torn
read" hold across trades too (a price move touches every trade of a pair at once).

Requests change the store through a `Transaction` only: it hands out copies of the stored trades
(a read advances them too), keeps new and changed trades to itself, and `commit` swaps them in. The
app commits after the answer is rendered and serialized, so a request that fails at any step, even
while rendering, leaves every stored trade and both id counters as they were.

Settled trades: advancing a copy of a stored trade to the current quote that changes nothing (not
a byte of its answer) while no timer runs (`engine.waits_on_clock`) shows the stored trade is where
that quote leaves it, now and later. The commit keeps the stored object then (an unchanged copy is
never swapped in) and notes it settled under that quote object: until a commit replaces the trade
or a price move replaces the quote, reading it needs no copy and no advance, and its rendering
(`Transaction.rendered`) is served from the note.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ..prices import PriceBook, Quote
from ..protocol import Rendered, render_json
from ..snapshots import clone, same
from .engine import advance, waits_on_clock
from .errors import not_found
from .model import Order, SmartTrade
from .v1_store import V1Book, V1Transaction

WallClock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Settled:
    """A stored trade that advancing to `quote` leaves as it is; `body` its rendered answer under
    that quote, once a request rendered it."""

    trade: SmartTrade
    quote: Quote
    body: bytes | None = None


class Store:
    def __init__(self, prices: PriceBook | None = None, clock: WallClock = utc_now) -> None:
        self.prices = prices or PriceBook()
        self.clock = clock
        self._lock = threading.RLock()
        self._trades: dict[int, SmartTrade] = {}
        self.v1 = V1Book()  # the ver1 SmartTrades: same users, lock, ids, transactions
        self._settled: dict[int, Settled] = {}  # trade id -> what is known of the stored object
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
            for trade in moved:
                self._settled.pop(trade.id, None)

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
        self._origin: dict[int, SmartTrade] = {}  # trade id -> the stored object it copies
        self._fixed: dict[int, Quote] = {}  # trade id -> a quote advancing it changed nothing under
        self._bodies: dict[int, tuple[SmartTrade, Quote, bytes]] = {}  # renderings to note

    def _settled(self, trade: SmartTrade, quote: Quote) -> Settled | None:
        known = self.store._settled.get(trade.id)
        if known is not None and known.trade is trade and known.quote is quote:
            return known
        return None

    def _copy(self, trade: SmartTrade, now: datetime) -> SmartTrade:
        work = self._work.get(trade.id)
        if work is None:
            quote = self.quote(trade.pair)
            work = self._work[trade.id] = clone(trade)
            self._origin[trade.id] = trade
            if self._settled(trade, quote) is None:
                advance(work, quote, now)
                if not waits_on_clock(work) and same(work, trade):
                    self._fixed[trade.id] = quote
        return work

    def read(self, owner: str, trade_id: int) -> SmartTrade:
        """`get` for a request that only reads: a settled stored trade comes as it is, no copy.
        Never change what this returns."""
        if trade_id not in self._work:
            trade = self.store._trades.get(trade_id)
            if (
                trade is not None
                and trade.owner == owner
                and self._settled(trade, self.quote(trade.pair)) is not None
            ):
                return trade
        return self.get(owner, trade_id)

    def rendered(self, trade: SmartTrade, render: Callable[[SmartTrade, Quote], Any]) -> Rendered:
        """`render(trade, quote)` serialized; a settled trade's comes from its note (and a rendering
        of a settled trade, or of an unchanged copy of one, is noted on commit)."""
        quote = self.quote(trade.pair)
        origin = self._origin.get(trade.id, trade) if self._work.get(trade.id) is trade else trade
        known = self._settled(origin, quote)
        if known is not None and known.body is not None and origin is trade:
            return Rendered(known.body)
        body = render_json(render(trade, quote))
        if origin is trade or same(trade, origin):
            self._bodies[trade.id] = (trade, quote, body)
        return Rendered(body)

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
        """Swap this request's trades in; call only once its answer is rendered and serialized.
        A copy that still answers exactly as its stored original leaves the original in place."""
        assert not self.committed
        store = self.store
        for trade_id, work in self._work.items():
            origin = self._origin.get(trade_id)
            if (
                origin is None
                or store._trades.get(trade_id) is not origin
                or not same(work, origin)
            ):
                store._trades[trade_id] = work
                store._settled.pop(trade_id, None)
                continue
            quote = self._fixed.get(trade_id)
            if quote is not None and self._settled(origin, quote) is None:
                store._settled[trade_id] = Settled(origin, quote)
        for trade_id, (rendered, quote, body) in self._bodies.items():
            stored = store._trades.get(trade_id)
            is_copy = rendered is self._work.get(trade_id) and stored is self._origin.get(trade_id)
            known = self._settled(stored, quote) if stored is not None else None
            if known is not None and (rendered is stored or is_copy):
                known.body = body
        self.v1.commit()
        self.committed = True
