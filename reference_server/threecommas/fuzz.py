"""Fuzzing the 3Commas API as its demo user (the profile reference_server/fuzzing.py reads).

Auth: the demo key, and a placeholder signature that `PlaceholderSigner` replaces with the real one
from the prepared request's bytes, only where the generated case carries those headers (cases that
drop or garble them on purpose stay broken, so `ignored_auth` and `missing_required_header` keep
their meaning). Valid creates use one of the demo user's own accounts, so they open real SmartTrades
that the stateful runs then read, change and close (a random account id is another user's: 403);
ver1 creates the same on the spot account.
"""

from __future__ import annotations

from typing import Any

from spec_tools.load import parse_yaml

from ..fuzzing import FuzzProfile, Hostile, ReadBack
from .api import API
from .testing import PLACEHOLDER, PlaceholderSigner, signature_for
from .users import DEMO_API_KEY, DEMO_FUTURES_ACCOUNT_ID, DEMO_SECRET, DEMO_SPOT_ACCOUNT_ID


def set_auth(headers: dict[str, Any], positive: bool = True) -> None:
    for name in list(headers):
        if name.lower() == "apikey":
            headers[name] = DEMO_API_KEY
        elif name.lower() == "signature":
            headers[name] = PLACEHOLDER


def sign_raw(method: str, raw_path: bytes, query: bytes, body: bytes) -> list[tuple[bytes, bytes]]:
    signature = signature_for(DEMO_SECRET, raw_path, query, body)
    return [(b"apikey", DEMO_API_KEY.encode()), (b"signature", signature.encode())]


# Every ver1 write (their SmartTrades have their own ids, which the v2 get does not know).
V1_WRITES = frozenset(
    {
        "create_simple_sell_v1",
        "create_simple_buy_v1",
        "create_smart_sell_v1",
        "create_smart_cover_v1",
        "create_smart_trade_v1",
        "update_smart_trade_v1",
        "cancel_order_v1",
        "add_funds_v1",
        "step_panic_sell_v1",
        "cancel_smart_trade_v1",
        "panic_sell_v1",
        "force_process_v1",
    }
)

# ver1 creates (spot only): the demo user's spot account.
V1_CREATES = frozenset(
    {
        "create_simple_sell_v1",
        "create_simple_buy_v1",
        "create_smart_sell_v1",
        "create_smart_cover_v1",
        "create_smart_trade_v1",
    }
)


def map_case(operation_id: str, case: Any) -> None:
    if not isinstance(case.body, dict):
        return
    if operation_id in V1_CREATES:
        account_id = case.body.get("account_id")
        case.body["account_id"] = (
            str(DEMO_SPOT_ACCOUNT_ID) if isinstance(account_id, str) else DEMO_SPOT_ACCOUNT_ID
        )
        return
    if operation_id != "create_smart_trade":
        return
    leverage = case.body.get("leverage")
    futures = isinstance(leverage, dict) and str(leverage.get("enabled")).lower() == "true"
    account = DEMO_FUTURES_ACCOUNT_ID if futures else DEMO_SPOT_ACCOUNT_ID
    case.body["account_id"] = (
        account if not isinstance(case.body.get("account_id"), str) else str(account)
    )


def error_complaint(status: int, body: Any) -> str | None:
    """An `Error`: an error code; on 422 `error_attributes` naming the fields; on 400 those or a
    description naming the parameter."""
    if not isinstance(body, dict) or not isinstance(body.get("error"), str) or not body["error"]:
        return "no error code"
    if status == 422 and not body.get("error_attributes"):
        return "422 without error_attributes naming a field"
    if status == 400 and not (body.get("error_attributes") or body.get("error_description")):
        return "400 that names no parameter"
    return None


# A SmartTrade the server accepts and keeps open: a limit buy far below the market, one take profit
# step with trailing, an enabled stop loss.
VALID_CREATE: dict[str, Any] = {
    "account_id": DEMO_SPOT_ACCOUNT_ID,
    "pair": "USDT_BTC",
    "note": "fuzz",
    "position": {
        "type": "buy",
        "units": {"value": "0.01"},
        "order_type": "limit",
        "price": {"value": "5000"},
    },
    "take_profit": {
        "enabled": True,
        "steps": [
            {
                "order_type": "limit",
                "price": {"value": "12000", "type": "bid"},
                "volume": "100",
                "trailing": {"enabled": "true", "percent": "1"},
            }
        ],
    },
    "stop_loss": {
        "enabled": True,
        "order_type": "market",
        "conditional": {"price": {"value": "4000", "type": "bid"}},
    },
}

# The nine `if`/`then` rules of the ver1 SmartTrade and SmartCover creates, as Schemathesis is given
# them: choices of cases (`anyOf`) that accept the same bodies. Schemathesis rewrites each `if` into
# a `not`, and with nine of them its generator gives up (UnsupportedSchema), so these two operations
# could not be fuzzed. The spec keeps the `if`/`then`s, from which the server names the missing field
# (`take_profit_type is missing`); tests/fuzz/test_generation_overrides.py checks the two forms agree.
V1_CREATE_RULES: dict[str, Any] = parse_yaml(
    """
    # The rules of the description as choices of cases, without `if`/`then` (Schemathesis rewrites
    # each `if` into a `not`, and with nine of them could not generate bodies at all). The valid
    # bodies are the same as the nine `if`/`then`s'.
    allOf:
    # An enabled take profit is `classic` with its price (and its percentage after a trailing
    # entry) or `step_sell` with its steps.
    - anyOf:
      - properties:
          take_profit_enabled: {enum: [false, 'false'], description: Off.}
      - required: [take_profit_type, take_profit_price_condition]
        properties:
          take_profit_enabled: {enum: [true, 'true'], description: On.}
          take_profit_type: {const: classic, description: One target.}
        anyOf:
        - properties:
            trailing_buy_enabled: {enum: [false, 'false'], description: No trailing entry.}
        - required: [trailing_buy_enabled, take_profit_percentage_condition]
          properties:
            trailing_buy_enabled: {enum: [true, 'true'], description: A trailing entry.}
      - required: [take_profit_type, take_profit_step_orders]
        properties:
          take_profit_enabled: {enum: [true, 'true'], description: On.}
          take_profit_type: {const: step_sell, description: Steps.}
    # An enabled take profit: a `limit` one has its order price, a trailing one its step.
    - anyOf:
      - properties:
          take_profit_enabled: {enum: [false, 'false'], description: Off.}
      - allOf:
        - anyOf:
          - properties:
              take_profit_sell_method: {const: market, description: A market order.}
          - required: [take_profit_sell_method, take_profit_sell_order_price]
            properties:
              take_profit_sell_method: {const: limit, description: A limit order.}
        - anyOf:
          - properties:
              trailing_take_profit: {enum: [false, 'false'], description: Not trailing.}
          - required: [trailing_take_profit, trailing_take_profit_step]
            properties:
              trailing_take_profit: {enum: [true, 'true'], description: Trailing.}
    # An enabled stop loss has its price, its percentage after a trailing entry, and a `limit` one
    # its order price.
    - anyOf:
      - properties:
          stop_loss_enabled: {enum: [false, 'false'], description: Off.}
      - required: [stop_loss_price_condition]
        properties:
          stop_loss_enabled: {enum: [true, 'true'], description: On.}
        allOf:
        - anyOf:
          - properties:
              trailing_buy_enabled: {enum: [false, 'false'], description: No trailing entry.}
          - required: [trailing_buy_enabled, stop_loss_percentage_condition]
            properties:
              trailing_buy_enabled: {enum: [true, 'true'], description: A trailing entry.}
        - anyOf:
          - properties:
              stop_loss_sell_method: {const: market, description: A market order.}
          - required: [stop_loss_sell_method, stop_loss_sell_order_price]
            properties:
              stop_loss_sell_method: {const: limit, description: A limit order.}
"""
)

PROFILE = FuzzProfile(
    api=API,
    set_auth=set_auth,
    signer=PlaceholderSigner(DEMO_SECRET),
    sign_raw=sign_raw,
    map_case=map_case,
    error_complaint=error_complaint,
    read_back=ReadBack(
        lists=(
            ("list_smart_trades", {"per_page": "100"}),
            ("list_smart_trades_v1", {"limit": "100"}),
        ),
        get="get_smart_trade",
        get_parameter="id",
        creates={"create_smart_trade": "id"},
        path_parameters=("smart_trade_id", "id"),
        # ver1 SmartTrades are not v2's (GET /v2/smart_trades/{id} answers 404 for them) and ver1
        # has no get by id: their writes are read back through both lists.
        lists_only=V1_WRITES,
    ),
    hostile=Hostile(
        valid_create=VALID_CREATE,
        create="create_smart_trade",
        cancel="cancel_smart_trade",
        auth_headers=("apikey", "signature"),
        auth_error_codes=("signature_invalid", "api_key_invalid_or_expired"),
        query_names=("page", "per_page", "status", "a"),
    ),
    generation_overrides={
        "CreateSmartTradeV1Request": V1_CREATE_RULES,
        "CreateSmartCoverV1Request": V1_CREATE_RULES,
    },
    rule_free_negatives=(
        "CreateSmartTradeV1Request",
        "CreateSmartCoverV1Request",
        "CreateSmartSellV1Request",
        "UpdateSmartTradeV1Request",
    ),
)
