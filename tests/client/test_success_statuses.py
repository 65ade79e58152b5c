"""The SDK takes every success status the spec declares: create answers 201 (current docs) or 200
(seed 000), and both give the SmartTrade."""

from __future__ import annotations

import asyncio
import json

import pytest
from threecommas_client import SignedClient
from threecommas_client.api.smart_trades import create_smart_trade
from threecommas_client.models import SmartTrade, SmartTradeCreateRequest

from .helpers import DOCS_API_KEY, DOCS_SECRET, SEED_003, Recorder, load_spec

BODY = SmartTradeCreateRequest.from_dict(
    {"account_id": 1, "pair": "USDT_BTC", "instant": True,
     "position": {"type": "buy", "order_type": "market", "units": {"value": "0.01"}}}
)  # fmt: skip


def test_create_declares_201_and_200() -> None:
    responses = load_spec()["paths"]["/v2/smart_trades"]["post"]["responses"]
    assert {"200", "201"} <= set(responses)


@pytest.mark.parametrize("status", [201, 200])
def test_create_accepts_each_declared_success_status(status: int) -> None:
    recorder = Recorder([(status, json.loads(SEED_003)), (status, json.loads(SEED_003))])
    client = SignedClient(api_key=DOCS_API_KEY, secret=DOCS_SECRET, transport=recorder.transport)
    detailed = create_smart_trade.sync_detailed(client=client, body=BODY)
    assert detailed.status_code == status
    assert isinstance(detailed.parsed, SmartTrade) and detailed.parsed.id == 30404547
    parsed = asyncio.run(create_smart_trade.asyncio(client=client, body=BODY))
    assert isinstance(parsed, SmartTrade) and parsed.id == 30404547
