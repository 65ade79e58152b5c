"""Deterministic simulated prices per pair, moved only by `POST /_reference/prices`."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from decimal import Decimal

from .decimals import add, admitted, mul, sub
from .problems import invalid_body

# Known pairs start at round, recognisable prices; others get a stable price from their name.
_DEFAULTS: dict[str, Decimal] = {
    "USDT_BTC": Decimal(10000),
    "USDT_ETH": Decimal(2000),
    "USDT_DOGE": Decimal("0.1"),
    "USDT_BTCUSDT_UMCBL": Decimal(10000),
    "BTC_BTCUSD_PERP": Decimal(10000),
}
# Half the spread around `last`, as a fraction.
_HALF_SPREAD = Decimal("0.0001")


@dataclass(frozen=True)
class Quote:
    bid: Decimal
    ask: Decimal
    last: Decimal

    def get(self, kind: str) -> Decimal:
        return {"bid": self.bid, "ask": self.ask}.get(kind, self.last)


def _seed_price(pair: str) -> Decimal:
    if pair in _DEFAULTS:
        return _DEFAULTS[pair]
    digest = int.from_bytes(hashlib.sha256(pair.encode()).digest()[:4], "big")
    # 1.00 .. 1000.00, stable across runs and machines.
    return Decimal(100 + digest % 99_901) / Decimal(100)


def _quote_around(last: Decimal) -> Quote:
    spread = mul(last, _HALF_SPREAD)
    return Quote(bid=sub(last, spread), ask=add(last, spread), last=last)


class PriceBook:
    def __init__(self) -> None:
        self._quotes: dict[str, Quote] = {}
        self._lock = threading.Lock()

    def quote(self, pair: str) -> Quote:
        with self._lock:
            quote = self._quotes.get(pair)
            if quote is None:
                quote = _quote_around(_seed_price(pair))
                self._quotes[pair] = quote
            return quote

    def set(
        self, pair: str, last: Decimal, bid: Decimal | None = None, ask: Decimal | None = None
    ) -> Quote:
        # Quotes meet the bounds request decimals meet (decimals.py sizes its arithmetic for
        # them): a price like 1e999 would make every trade on the pair fail to compute or render.
        problems = {
            key: ["is out of range"]
            for key, value in (("last", last), ("bid", bid), ("ask", ask))
            if value is not None and not admitted(value)
        }
        if problems:
            raise invalid_body(problems)
        quote = Quote(bid=last if bid is None else bid, ask=last if ask is None else ask, last=last)
        with self._lock:
            self._quotes[pair] = quote
        return quote
