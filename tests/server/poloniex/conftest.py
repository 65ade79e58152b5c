"""A smart-order engine over its own PriceBook and a hand-moved clock (no HTTP)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from reference_server.poloniex.engine import SmartOrder, SmartOrderEngine
from reference_server.prices import PriceBook

START_MS = 1_700_000_000_000


class Market:
    """The engine, its prices and its clock, moved by hand."""

    def __init__(self) -> None:
        self.now = START_MS
        self.prices = PriceBook()
        self.engine = SmartOrderEngine(self.prices, clock=lambda: self.now)

    def tick(self, ms: int = 1_000) -> None:
        self.now += ms

    def price(
        self, last: str, symbol: str = "BTC_USDT", bid: str | None = None, ask: str | None = None
    ) -> None:
        """Set the market (bid = ask = last unless given) and let the engine react."""
        base, quote = symbol.split("_")
        self.tick()
        self.prices.set(
            f"{quote}_{base}",
            Decimal(last),
            None if bid is None else Decimal(bid),
            None if ask is None else Decimal(ask),
        )
        self.engine.on_price(symbol)

    def create(self, owner: str = "alice", **body: Any) -> SmartOrder:
        body.setdefault("symbol", "BTC_USDT")
        self.tick()
        return self.engine.create(owner, body)


@pytest.fixture
def market() -> Market:
    return Market()
