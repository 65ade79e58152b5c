"""The bot against the reference server: real HTTP, real signatures, the contracts' answers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bot import ApiError, PoloniexBot, ThreeCommasBot

from reference_server.pytest_plugin import PoloniexApi, RunningServer, ThreeCommasApi


def test_take_profit_closes_the_trade(
    threecommas_bot: ThreeCommasBot, threecommas_api: ThreeCommasApi
) -> None:
    threecommas_api.set_price("USDT_BTC", "100")
    trade = threecommas_bot.buy_with_take_profit(
        threecommas_api.account_id, "USDT_BTC", units="0.5", take_profit="110"
    )
    assert threecommas_bot.status(trade) == "waiting_targets"

    threecommas_api.set_price("USDT_BTC", "105")  # not there yet
    assert threecommas_bot.status(trade) == "waiting_targets"

    threecommas_api.set_price("USDT_BTC", "112")
    assert threecommas_bot.status(trade) == "finished"
    assert Decimal(threecommas_bot.profit(trade)) > 0


def test_stop_order_triggers_when_the_price_falls(
    poloniex_bot: PoloniexBot, poloniex_api: PoloniexApi
) -> None:
    poloniex_api.set_price("BTC_USDT", "60000")  # Poloniex naming: base currency first
    order = poloniex_bot.stop_loss("BTC_USDT", quantity="0.01", stop_price="58000")
    assert poloniex_bot.state(order) == "PENDING_NEW"

    poloniex_api.set_price("BTC_USDT", "57950")
    assert poloniex_bot.state(order) == "TRIGGERED"


def test_both_apis_share_one_market(
    reference_server: RunningServer, poloniex_bot: PoloniexBot
) -> None:
    reference_server.set_price("USDT_ETH", "3000")  # 3Commas naming of the same market
    order = poloniex_bot.stop_loss("ETH_USDT", quantity="1", stop_price="2900")
    price = reference_server.set_price("USDT_ETH", "2899", bid="2898", ask="2900")
    assert price.symbol == "ETH_USDT" and price.last == Decimal(2899)
    assert poloniex_bot.state(order) == "TRIGGERED"


def test_an_account_the_user_does_not_have_is_refused(
    threecommas_bot: ThreeCommasBot, threecommas_api: ThreeCommasApi
) -> None:
    threecommas_api.set_price("USDT_BTC", "100")
    with pytest.raises(ApiError) as refused:
        threecommas_bot.buy_with_take_profit(1, "USDT_BTC", units="0.5", take_profit="110")
    assert 400 <= refused.value.status < 500
    assert "error" in refused.value.body


def test_a_wrong_secret_is_refused(poloniex_api: PoloniexApi) -> None:
    bot = PoloniexBot(poloniex_api.base_url, poloniex_api.api_key, "not-the-secret")
    with pytest.raises(ApiError) as refused:
        bot.stop_loss("BTC_USDT", quantity="0.01", stop_price="58000")
    bot.close()
    assert refused.value.status == 401


def test_each_test_starts_from_a_fresh_server(reference_server: RunningServer) -> None:
    # Earlier tests moved USDT_BTC; the function-scoped fixtures reset the server first, so the
    # market is back at its seed price (known pairs start at round prices: USDT_BTC at 10000).
    assert reference_server.price("USDT_BTC").last == Decimal(10000)
