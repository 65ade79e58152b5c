"""Answers shaped as openapi/poloniex.yaml's response schemas say.

Decimals are strings in plain notation (`"0.00"` for a zero or a field the order does not use);
ids are digit strings; times are integer ms. `get_smart_order` answers a one-element array.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .decimals import ZERO_TEXT, fmt
from .engine import CancelOutcome, SmartOrder, TriggeredOrder


def _decimal(value: Decimal | None) -> str:
    return ZERO_TEXT if value is None else fmt(value)


def smart_order_ref(order: SmartOrder) -> dict[str, Any]:
    """`SmartOrderRef`: the answer to create and replace."""
    return {"id": str(order.id), "clientOrderId": order.client_order_id}


def triggered_order(order: TriggeredOrder) -> dict[str, Any]:
    """`TriggeredOrder`: the regular order a smart order placed."""
    return {
        "id": str(order.id),
        "clientOrderId": order.client_order_id,
        "symbol": order.symbol,
        "state": str(order.state),
        "accountType": "SPOT",
        "side": str(order.side),
        "type": order.type,
        "timeInForce": order.time_in_force,
        "quantity": _decimal(order.quantity),
        "price": _decimal(order.price),
        "avgPrice": _decimal(order.avg_price),
        "amount": _decimal(order.amount),
        "filledQuantity": _decimal(order.filled_quantity),
        "filledAmount": _decimal(order.filled_amount),
        "createTime": order.create_time,
        "updateTime": order.update_time,
        "orderSource": "SMART",
        "loan": False,
        "cancelReason": 0,
    }


def smart_order(order: SmartOrder) -> dict[str, Any]:
    """`SmartOrder`; trailing keys only on trailing types, `triggeredOrder` only when TRIGGERED."""
    out: dict[str, Any] = {
        "id": str(order.id),
        "clientOrderId": order.client_order_id,
        "symbol": order.symbol,
        "state": str(order.state),
        "accountType": order.account_type,
        "side": str(order.side),
        "type": str(order.type),
        "timeInForce": order.time_in_force,
        "quantity": _decimal(order.quantity),
        "price": _decimal(order.price),
        "amount": _decimal(order.amount),
        "stopPrice": _decimal(order.stop_price),
        "createTime": order.create_time,
        "updateTime": order.update_time,
    }
    if order.trailing:
        if order.trailing_offset is not None:
            out["trailingOffset"] = order.trailing_offset.text()
        if order.limit_offset is not None:
            out["limitOffset"] = order.limit_offset.text()
        out["activationPrice"] = _decimal(order.activation_price)
        if order.operator is not None:
            out["operator"] = order.operator
    if order.state == "TRIGGERED" and order.triggered_order is not None:
        out["triggeredOrder"] = triggered_order(order.triggered_order)
    return out


def smart_orders(orders: Iterable[SmartOrder]) -> list[dict[str, Any]]:
    """The answer to `list_smart_orders` and `list_smart_order_history`: a bare array."""
    return [smart_order(order) for order in orders]


def smart_order_details(order: SmartOrder) -> list[dict[str, Any]]:
    """The answer to `get_smart_order`: an array of exactly one `SmartOrder`."""
    return [smart_order(order)]


def cancel_result(outcome: CancelOutcome) -> dict[str, Any]:
    """`CancelResult`: the answer to `cancel_smart_order`, and each item of the batch cancels."""
    return {
        "orderId": outcome.order_id,
        "clientOrderId": outcome.client_order_id,
        "state": outcome.state,
        "code": outcome.code,
        "message": outcome.message,
    }


def cancel_results(outcomes: Iterable[CancelOutcome]) -> list[dict[str, Any]]:
    """The answer to `cancel_smart_orders_by_ids` and `cancel_all_smart_orders`."""
    return [cancel_result(outcome) for outcome in outcomes]
