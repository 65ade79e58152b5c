"""The bot's clients, pointed at the reference server the plugin's fixtures start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bot import PoloniexBot, ThreeCommasBot

from reference_server.pytest_plugin import PoloniexApi, ThreeCommasApi


@pytest.fixture
def threecommas_bot(threecommas_api: ThreeCommasApi) -> Iterator[ThreeCommasBot]:
    assert threecommas_api.secret is not None  # the demo user signs with HMAC
    bot = ThreeCommasBot(threecommas_api.base_url, threecommas_api.api_key, threecommas_api.secret)
    yield bot
    bot.close()


@pytest.fixture
def poloniex_bot(poloniex_api: PoloniexApi) -> Iterator[PoloniexBot]:
    bot = PoloniexBot(poloniex_api.base_url, poloniex_api.api_key, poloniex_api.secret)
    yield bot
    bot.close()
