"""SmartTrades built from request bodies, without HTTP, under a clock the test moves."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from reference_server.prices import Quote
from reference_server.threecommas import engine
from reference_server.threecommas.build import create_trade
from reference_server.threecommas.model import SmartTrade
from reference_server.threecommas.users import Account

ACCOUNT = Account(1, "binance", "Spot", "Binance Spot")
START = datetime(2024, 1, 1, tzinfo=UTC)


def quote(last: str, bid: str | None = None, ask: str | None = None) -> Quote:
    return Quote(bid=Decimal(bid or last), ask=Decimal(ask or last), last=Decimal(last))


def body(**overrides: Any) -> dict[str, Any]:
    """A long market entry of 1 unit; take profits at 110 (limit) and 120 (market), half each; a
    stop loss at 90."""
    out: dict[str, Any] = {
        "pair": "USDT_UNIT",
        "position": {"type": "buy", "units": {"value": "1"}, "order_type": "market"},
        "take_profit": {
            "enabled": True,
            "steps": [
                {"order_type": "limit", "price": {"value": "110", "type": "last"}, "volume": 50},
                {"order_type": "market", "price": {"value": "120", "type": "last"}, "volume": 50},
            ],
        },
        "stop_loss": {
            "enabled": True,
            "order_type": "market",
            "conditional": {"price": {"value": "90", "type": "last"}},
        },
    }
    out.update(overrides)
    return out


class Clock:
    def __init__(self) -> None:
        self.now = START

    def tick(self, seconds: float = 1) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


class Run:
    """One SmartTrade, its quote and clock, and fresh order ids."""

    def __init__(self, raw: dict[str, Any], price: str = "100", at: Quote | None = None) -> None:
        self.ids = itertools.count(1_000)
        self.clock = Clock()
        self.quote = at or quote(price)
        self.trade: SmartTrade = create_trade(
            raw, 1, "owner", ACCOUNT, self.quote, self.new_id, self.clock.now
        )
        engine.advance(self.trade, self.quote, self.clock.now)

    def new_id(self) -> int:
        return next(self.ids)

    def price(
        self, last: str, seconds: float = 1, bid: str | None = None, ask: str | None = None
    ) -> SmartTrade:
        self.quote = quote(last, bid, ask)
        engine.advance(self.trade, self.quote, self.clock.tick(seconds))
        return self.trade
