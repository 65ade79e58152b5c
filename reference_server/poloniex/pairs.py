"""Poloniex symbols and the 3Commas pair names of the same markets, so both APIs share prices.

Poloniex writes the base currency first (`BTC_USDT`: BTC priced in USDT); 3Commas writes the quote
currency first (`USDT_BTC`). `reference_server.prices.PriceBook` is keyed by 3Commas pairs.
"""

from __future__ import annotations

import re

SYMBOL = re.compile(r"[A-Z0-9]{1,20}_[A-Z0-9]{1,20}")


def is_symbol(text: str) -> bool:
    """A symbol as the contract's `Symbol` pattern admits it (`BTC_USDT`)."""
    return SYMBOL.fullmatch(text) is not None


def threecommas_pair(symbol: str) -> str:
    """`BTC_USDT` -> `USDT_BTC` (base_quote -> quote_base); ValueError for a non-symbol."""
    if not is_symbol(symbol):
        raise ValueError(f"not a Poloniex symbol: {symbol!r}")
    base, _, quote = symbol.partition("_")
    return f"{quote}_{base}"


def poloniex_symbol(pair: str) -> str | None:
    """`USDT_BTC` -> `BTC_USDT`; None for a pair no Poloniex symbol names (`USDT_BTCUSDT_UMCBL`)."""
    quote, _, base = pair.partition("_")
    symbol = f"{base}_{quote}"
    return symbol if is_symbol(symbol) else None
