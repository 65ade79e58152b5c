"""Contract tests against the real 3Commas API. Opt-in, and skipped without credentials or in CI.

    THREECOMMAS_API_KEY           the key (required)
    THREECOMMAS_API_SECRET        its HMAC secret, or
    THREECOMMAS_RSA_KEY_FILE      a PEM file with its RSA private key
    THREECOMMAS_FORCED_MODE       paper (default) or real
    THREECOMMAS_ALLOW_TRADING=1   also create and cancel a far-from-market limit SmartTrade
    THREECOMMAS_ACCOUNT_ID        the account to trade on (with ALLOW_TRADING)
    THREECOMMAS_PAIR              the pair to trade on (default USDT_BTC)
    THREECOMMAS_BASE_URL          another server (e.g. `make serve`'s), default the real API

Read-only unless THREECOMMAS_ALLOW_TRADING=1; paper mode unless THREECOMMAS_FORCED_MODE=real.
Every body the API answers is validated against openapi/3commas.yaml, so drift shows up here first.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from spec_tools.load import load_yaml
from spec_tools.validators import schema_validator

pytestmark = pytest.mark.live

SPEC = load_yaml(Path(__file__).resolve().parents[2] / "openapi" / "3commas.yaml")
API_KEY = os.environ.get("THREECOMMAS_API_KEY", "")
SECRET = os.environ.get("THREECOMMAS_API_SECRET")
RSA_KEY_FILE = os.environ.get("THREECOMMAS_RSA_KEY_FILE")
FORCED_MODE = os.environ.get("THREECOMMAS_FORCED_MODE", "paper")
ALLOW_TRADING = os.environ.get("THREECOMMAS_ALLOW_TRADING") == "1"
BASE_URL = os.environ.get("THREECOMMAS_BASE_URL", "https://api.3commas.io/public/api")

if os.environ.get("CI"):
    pytest.skip("live API tests never run in CI", allow_module_level=True)
if not API_KEY or not (SECRET or RSA_KEY_FILE):
    pytest.skip("set THREECOMMAS_API_KEY and THREECOMMAS_API_SECRET (or _RSA_KEY_FILE)", allow_module_level=True)
if FORCED_MODE not in ("paper", "real"):
    pytest.fail(f"THREECOMMAS_FORCED_MODE must be paper or real, not {FORCED_MODE!r}")

from threecommas_client import SignedClient, Unauthorized
from threecommas_client.api.smart_trade_trades import list_smart_trade_trades
from threecommas_client.api.smart_trades import (
    cancel_smart_trade,
    create_smart_trade,
    get_smart_trade,
    list_smart_trades,
)
from threecommas_client.models import SmartTradeCreateRequest


@pytest.fixture(scope="module")
def client() -> Iterator[SignedClient]:
    private_key = Path(RSA_KEY_FILE).read_text(encoding="utf-8") if RSA_KEY_FILE else None
    with SignedClient(
        api_key=API_KEY, secret=SECRET, private_key=private_key, base_url=BASE_URL, forced_mode=FORCED_MODE  # type: ignore[arg-type]
    ) as c:
        yield c


def _conforms(component: str, body: Any) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in schema_validator(SPEC, component).iter_errors(body)]
    assert errors == [], f"the live API answered a {component} the contract does not describe"


def test_list_conforms(client: SignedClient) -> None:
    response = list_smart_trades.sync_detailed(client=client, per_page=10)
    assert response.status_code == 200
    raw = json.loads(response.content)
    assert isinstance(raw, list) and len(raw) <= 10
    for trade in raw:
        _conforms("SmartTrade", trade)
    assert response.parsed is not None and len(response.parsed) == len(raw)


def test_get_and_trades_conform(client: SignedClient) -> None:
    trades = list_smart_trades.sync(client=client, per_page=1)
    if not trades:
        pytest.skip("the account has no SmartTrade to read")
    response = get_smart_trade.sync_detailed(trades[0].id, client=client)
    _conforms("SmartTrade", json.loads(response.content))
    orders = list_smart_trade_trades.sync_detailed(trades[0].id, client=client)
    for order in json.loads(orders.content):
        _conforms("Trade", order)


def test_wrong_secret_is_unauthorized() -> None:
    with SignedClient(api_key=API_KEY, secret="not-the-secret", base_url=BASE_URL, forced_mode=FORCED_MODE) as wrong:  # type: ignore[arg-type]
        with pytest.raises(Unauthorized) as info:
            list_smart_trades.sync(client=wrong, per_page=1)
    assert "not-the-secret" not in str(info.value) and "not-the-secret" not in repr(info.value)


@pytest.mark.skipif(not ALLOW_TRADING, reason="set THREECOMMAS_ALLOW_TRADING=1 to create and cancel a SmartTrade")
def test_create_read_cancel(client: SignedClient) -> None:
    account_id = int(os.environ["THREECOMMAS_ACCOUNT_ID"])
    pair = os.environ.get("THREECOMMAS_PAIR", "USDT_BTC")
    body = SmartTradeCreateRequest.from_dict(
        {
            "account_id": account_id,
            "pair": pair,
            "instant": True,
            # far below any market price: the order rests and is cancelled before it can fill
            "position": {"type": "buy", "order_type": "limit", "units": {"value": "0.001"}, "price": {"value": "1"}},
        }
    )
    created = create_smart_trade.sync_detailed(client=client, body=body)
    raw = json.loads(created.content)
    _conforms("SmartTrade", raw)
    try:
        read = get_smart_trade.sync(raw["id"], client=client)
        assert read is not None and read.position.price is not None
        assert read.position.price.value == Decimal(1)
    finally:
        cancelled = cancel_smart_trade.sync_detailed(raw["id"], client=client)
        _conforms("SmartTrade", json.loads(cancelled.content))
