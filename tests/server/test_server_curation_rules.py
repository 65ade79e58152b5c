"""Every business rule of openapi/curation.yaml, over HTTP: its `violation` is answered 422
`record_invalid` naming `error_attribute`, its `valid` body is accepted. Rules read from the
registry, so a new rule is tested the day it is registered."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from reference_server.threecommas.users import DEMO_FUTURES_ACCOUNT_ID, DEMO_SPOT_ACCOUNT_ID

from .conftest import Api

ROOT = Path(__file__).resolve().parents[2]
RULES = [
    # ver1 rules wait for the server's ver1 handlers (it answers 501 for those operations today).
    pytest.param(r, id=r["id"], marks=pytest.mark.skip(reason="ver1 not served yet"))
    if r.get("api") == "ver1"
    else pytest.param(r, id=r["id"])
    for r in yaml.safe_load((ROOT / "openapi" / "curation.yaml").read_text())["rules"]
]
PAIR = "USDT_RULES"
STEP = {"order_type": "market", "price": {"value": "150", "type": "bid"}, "volume": 100}
STOP = {
    "enabled": True,
    "order_type": "market",
    "conditional": {"price": {"value": "50", "type": "bid"}},
}


def base() -> dict[str, Any]:
    return {
        "account_id": DEMO_SPOT_ACCOUNT_ID,
        "pair": PAIR,
        "position": {"type": "buy", "units": {"value": "1"}, "order_type": "market"},
        "take_profit": {"enabled": False},
        "stop_loss": {"enabled": False},
    }


def create_body(rule: dict[str, Any], part: Any) -> dict[str, Any]:
    """The rule's group placed where it belongs in an otherwise valid create body."""
    part = copy.deepcopy(part)
    body = base()
    schema = rule["schema"]
    if schema == "SmartTradeCreateRequest":
        return {**part, "account_id": DEMO_SPOT_ACCOUNT_ID, "pair": PAIR}
    if schema == "PositionParams":
        body["position"] = part
    elif schema == "PositionTrailingParams":
        body["position"] = {
            "type": "buy",
            "units": {"value": "1"},
            "order_type": "conditional",
            "conditional": {"price": {"value": "90"}, "order_type": "market", "trailing": part},
        }
    elif schema == "LeverageParams":
        body["account_id"] = DEMO_FUTURES_ACCOUNT_ID
        body["leverage"] = part
    elif schema == "TakeProfitParams":
        body["take_profit"] = part
    elif schema == "TakeProfitStepPriceParams":
        body["take_profit"] = {"enabled": True, "steps": [{**STEP, "price": part}]}
    elif schema == "TakeProfitTrailingParams":
        body["take_profit"] = {"enabled": True, "steps": [{**STEP, "trailing": part}]}
    elif schema == "StopLossParams":
        body["stop_loss"] = part
        if rule["id"] == "rule-breakeven-needs-two-steps":
            body["take_profit"] = {"enabled": True, "steps": [STEP]}
    elif schema == "TimeoutParams":
        body["stop_loss"] = {**STOP, "timeout": part}
    else:
        raise AssertionError(f"no placement for {schema}: teach this test where it goes")
    return body


def send(api: Api, rule: dict[str, Any], part: Any) -> Any:
    api.price(PAIR, "100")
    if rule["schema"] in ("SetNoteRequest", "ReduceFundsRequest"):
        trade = api.ok(
            "POST",
            "/v2/smart_trades",
            {**base(), "take_profit": {"enabled": True, "steps": [STEP]}},
        )
        path = "set_note" if rule["schema"] == "SetNoteRequest" else "reduce_funds"
        return api.call("POST", f"/v2/smart_trades/{trade['id']}/{path}", part)
    return api.call("POST", "/v2/smart_trades", create_body(rule, part))


@pytest.mark.parametrize("rule", RULES)
def test_violation_is_422_naming_the_field(api: Api, rule: dict[str, Any]) -> None:
    response = send(api, rule, rule["violation"])
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "record_invalid"
    assert rule["error_attribute"] in body["error_attributes"], body


@pytest.mark.parametrize("rule", RULES)
def test_valid_body_is_accepted(api: Api, rule: dict[str, Any]) -> None:
    valid = copy.deepcopy(rule["valid"])
    if rule["id"] == "rule-breakeven-needs-two-steps":
        # Same group as the violation: it holds with two take profit steps.
        body = create_body(rule, valid)
        body["take_profit"]["steps"] = [{**STEP, "volume": 50}, {**STEP, "volume": 50}]
        response = api.call("POST", "/v2/smart_trades", body)
    else:
        response = send(api, rule, valid)
    assert response.status_code in (200, 201), response.text
