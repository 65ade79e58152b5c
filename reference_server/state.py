"""In-memory state: smart trades per user, id counters, one lock around every read and write.

One lock for the whole store: requests are short, and a single lock makes "no lost update, no torn
read" hold across trades too (a price move touches every trade of a pair at once).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

from .errors import not_found
from .lifecycle import Order, SmartTrade, advance
from .prices import PriceBook, Quote

WallClock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(self, prices: PriceBook | None = None, clock: WallClock = utc_now) -> None:
        self.prices = prices or PriceBook()
        self.clock = clock
        self._lock = threading.RLock()
        self._trades: dict[int, SmartTrade] = {}
        # Start near real-looking ids so they read like the API's.
        self._next_trade_id = 30_000_001
        self._next_order_id = 1_000_000_001

    @contextmanager
    def locked(self) -> Iterator[None]:
        with self._lock:
            yield

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
        """Another user's trade is as invisible as a missing one: 404 either way."""
        with self._lock:
            trade = self._trades.get(trade_id)
            if trade is None or trade.owner != owner:
                raise not_found()
            advance(trade, self.quote(trade.pair), self.clock())
            return trade

    def get_order(self, trade: SmartTrade, order_id: int) -> Order:
        for order in trade.orders():
            if order.id == order_id:
                return order
        raise not_found()

    def owned(self, owner: str) -> list[SmartTrade]:
        with self._lock:
            now = self.clock()
            out = [t for t in self._trades.values() if t.owner == owner]
            for trade in out:
                advance(trade, self.quote(trade.pair), now)
            return out

    def set_price(
        self, pair: str, last: Decimal, bid: Decimal | None = None, ask: Decimal | None = None
    ) -> Quote:
        """Move a pair's price and let every trade on it react at once."""
        with self._lock:
            quote = self.prices.set(pair, last, bid, ask)
            now = self.clock()
            for trade in self._trades.values():
                if trade.pair == pair:
                    advance(trade, quote, now)
            return quote

    def count(self) -> int:
        with self._lock:
            return len(self._trades)
