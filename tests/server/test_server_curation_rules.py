"""Every business rule of openapi/3commas.curation.yaml, over HTTP: its `violation` is answered 422
`record_invalid` naming `error_attribute`, its `valid` body is accepted. Rules read from the
registry, so a new rule is tested the day it is registered."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from reference_server.threecommas.users import DEMO_FUTURES_ACCOUNT_ID, DEMO_SPOT_ACCOUNT_ID
from spec_tools.load import load_yaml

from .conftest import Api

ROOT = Path(__file__).resolve().parents[2]
RULES = [
    pytest.param(r, id=r["id"])
    for r in load_yaml(ROOT / "openapi" / "3commas.curation.yaml")["rules"]
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


# ---- ver1: each request schema's operation; an update goes to a SmartTrade of the kind it needs.
V1_PAIR = "BTC_ETH"
V1_CREATES = {
    "CreateSmartTradeV1Request": "create_smart_trade",
    "CreateSmartSellV1Request": "create_smart_sell",
    "CreateSmartCoverV1Request": "create_smart_cover",
}
V1_WAITING = {
    "account_id": DEMO_SPOT_ACCOUNT_ID,
    "pair": V1_PAIR,
    "units_to_buy": "1",
    "buy_price": "0.04",
    "buy_method": "conditional",
    "take_profit_enabled": False,
    "stop_loss_enabled": False,
}
V1_SMART_SALE = {
    "account_id": DEMO_SPOT_ACCOUNT_ID,
    "pair": V1_PAIR,
    "units_to_buy": "1",
    "average_buy_price": "0.05",
    "take_profit_enabled": False,
    "stop_loss_enabled": False,
}


def send_v1(api: Api, rule: dict[str, Any], part: Any, valid: bool) -> Any:
    """A ver1 rule's group where it belongs: a create body, a step order, an add-funds body on a
    bought SmartSale, or an update of a conditional SmartTrade waiting for its price (of a
    SmartSale for the valid body of the rule on `average_buy_price`)."""
    api.price(V1_PAIR, "0.05")
    part = copy.deepcopy(part)
    schema = rule["schema"]
    if schema in V1_CREATES:
        body = {**part, "account_id": DEMO_SPOT_ACCOUNT_ID}
        return api.call("POST", f"/ver1/smart_trades/{V1_CREATES[schema]}", body)
    if schema == "TakeProfitStepOrderV1Params":
        body = {
            **V1_WAITING,
            "take_profit_enabled": True,
            "take_profit_type": "step_sell",
            "take_profit_step_orders": [part],
        }
        return api.call("POST", "/ver1/smart_trades/create_smart_trade", body)
    on_sale = schema == "AddFundsV1Request" or (rule["id"] == "rule-v1-update-by-kind" and valid)
    create = "create_smart_sell" if on_sale else "create_smart_trade"
    trade = api.ok("POST", f"/ver1/smart_trades/{create}", V1_SMART_SALE if on_sale else V1_WAITING)
    if schema == "AddFundsV1Request":
        return api.call("POST", f"/ver1/smart_trades/{trade['id']}/add_funds", part)
    assert schema == "UpdateSmartTradeV1Request", f"no placement for {schema}"
    return api.call("PATCH", f"/ver1/smart_trades/{trade['id']}/update", part)


def send(api: Api, rule: dict[str, Any], part: Any, valid: bool = False) -> Any:
    if rule.get("api") == "ver1":
        return send_v1(api, rule, part, valid)
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
        response = send(api, rule, valid, valid=True)
    assert response.status_code in (200, 201), response.text
