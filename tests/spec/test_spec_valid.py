"""The 3Commas contract is valid OpenAPI 3.1 and has exactly the operations the SDK is built from."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from spec_tools import paths as schema_paths
from spec_tools.operations import operations
from spec_tools.refs import resolve

EXPECTED_OPERATIONS = {
    "list_smart_trades": ("get", "/v2/smart_trades", "smart_trades"),
    "create_smart_trade": ("post", "/v2/smart_trades", "smart_trades"),
    "get_smart_trade": ("get", "/v2/smart_trades/{id}", "smart_trades"),
    "update_smart_trade": ("patch", "/v2/smart_trades/{id}", "smart_trades"),
    "cancel_smart_trade": ("delete", "/v2/smart_trades/{id}", "smart_trades"),
    "add_funds_to_smart_trade": ("post", "/v2/smart_trades/{id}/add_funds", "smart_trades"),
    "get_reduce_funds_info": ("get", "/v2/smart_trades/{id}/reduce_funds_info", "smart_trades"),
    "reduce_funds_of_smart_trade": ("post", "/v2/smart_trades/{id}/reduce_funds", "smart_trades"),
    "close_smart_trade_by_market": (
        "post",
        "/v2/smart_trades/{id}/close_by_market",
        "smart_trades",
    ),
    "force_start_smart_trade": ("post", "/v2/smart_trades/{id}/force_start", "smart_trades"),
    "force_process_smart_trade": ("post", "/v2/smart_trades/{id}/force_process", "smart_trades"),
    "set_smart_trade_note": ("post", "/v2/smart_trades/{id}/set_note", "smart_trades"),
    "list_smart_trade_trades": (
        "get",
        "/v2/smart_trades/{smart_trade_id}/trades",
        "smart_trade_trades",
    ),
    "close_trade_by_market": (
        "post",
        "/v2/smart_trades/{smart_trade_id}/trades/{id}/close_by_market",
        "smart_trade_trades",
    ),
    "cancel_trade": (
        "delete",
        "/v2/smart_trades/{smart_trade_id}/trades/{id}",
        "smart_trade_trades",
    ),
}
# The success statuses the documents give (api-facts.md, "Success status codes (current docs)"; seed
# 000 shows 200 for create). The first is the one the current docs give and the server answers.
SUCCESS_STATUSES = {
    "create_smart_trade": ("201", "200"),
    "add_funds_to_smart_trade": ("201",),
    "reduce_funds_of_smart_trade": ("201",),
    "force_start_smart_trade": ("201",),
    "close_smart_trade_by_market": ("201",),
    "set_smart_trade_note": ("201",),
    "close_trade_by_market": ("201",),
    "list_smart_trades": ("200",),
    "get_smart_trade": ("200",),
    "update_smart_trade": ("200",),
    "cancel_smart_trade": ("200",),
    "get_reduce_funds_info": ("200",),
    "list_smart_trade_trades": ("200",),
    "cancel_trade": ("200",),
    "force_process_smart_trade": ("200",),  # no document answers it; an assumption
}
WITH_BODY = {
    "create_smart_trade",
    "update_smart_trade",
    "add_funds_to_smart_trade",
    "reduce_funds_of_smart_trade",
    "set_smart_trade_note",
}


def test_spec_is_openapi_3_1_0(spec: dict[str, Any]) -> None:
    """Validity itself, and every $ref resolving, are tested for every target (test_targets.py)."""
    assert spec["openapi"] == "3.1.0"


def test_validator_rejects_a_broken_spec(spec: dict[str, Any]) -> None:
    broken = {**spec, "paths": {"/v2/smart_trades": {"get": {"responses": "nope"}}}}
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_server_and_security(spec: dict[str, Any]) -> None:
    assert spec["servers"][0]["url"] == "https://api.3commas.io/public/api"
    schemes = spec["components"]["securitySchemes"]
    assert (schemes["ApiKey"]["in"], schemes["ApiKey"]["name"]) == ("header", "APIKEY")
    assert (schemes["Signature"]["in"], schemes["Signature"]["name"]) == ("header", "Signature")
    described = schemes["Signature"]["description"]
    for fact in ("/public/api", "HMAC", "RSA", "PKCS1-v1_5", "base64", "hex", "?"):
        assert fact in described, fact


def test_exactly_the_fifteen_operations(spec: dict[str, Any]) -> None:
    found = {
        op["operationId"]: (method, route, op["tags"][0])
        for route, method, op in operations(spec)
        if op["tags"] != ["smart_trades_v1"]  # ver1: tests/spec/test_ver1_coverage.py
    }
    assert found == EXPECTED_OPERATIONS


@pytest.mark.parametrize("operation_id", sorted(EXPECTED_OPERATIONS))
def test_operation_is_complete(spec: dict[str, Any], operation_id: str) -> None:
    method, route, _ = EXPECTED_OPERATIONS[operation_id]
    op = spec["paths"][route][method]
    assert op["summary"] and op["description"]
    assert op["security"] == [{"ApiKey": [], "Signature": []}]
    assert op["x-permission"] in ("SMART_TRADES_READ", "SMART_TRADES_WRITE")
    assert op["x-permission"].endswith("READ") == (method == "get")
    assert op["x-weight"] == 1
    assert op["x-rate-limit"]["requests"] == 100
    params = [resolve(spec, p) for p in op.get("parameters", [])]
    forced = next(p for p in params if p["name"] == "Forced-Mode")
    assert forced["in"] == "header" and forced["schema"]["enum"] == ["paper", "real"]
    statuses = set(op["responses"])
    assert {"400", "401", "403", "418", "429", "5XX"} <= statuses
    assert {code for code in statuses if code.startswith("2")} == set(
        SUCCESS_STATUSES[operation_id]
    )
    assert ("404" in statuses) == ("{id}" in route or "{smart_trade_id}" in route)
    assert ("422" in statuses) == (operation_id in WITH_BODY)
    assert ("requestBody" in op) == (operation_id in WITH_BODY)


def test_list_filters(spec: dict[str, Any]) -> None:
    params = {
        p["name"]: p for p in spec["paths"]["/v2/smart_trades"]["get"]["parameters"] if "name" in p
    }
    assert set(params) == {
        "account_id", "pair", "type", "page", "per_page", "status", "order_by",
        "order_direction", "from", "to", "base", "quote",
    }  # fmt: skip
    assert params["per_page"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 10,
    }
    assert params["page"]["schema"]["default"] == 1
    assert params["order_direction"]["schema"]["enum"] == ["asc", "desc"]
    assert params["from"]["schema"]["format"] == params["to"]["schema"]["format"] == "date-time"
    status_enum = resolve(spec, params["status"]["schema"])["enum"]
    assert {"successfully_finished", "successfully_finish"} <= set(status_enum)


@pytest.mark.parametrize("operation_id", sorted(SUCCESS_STATUSES))
def test_the_server_answers_the_current_docs_status(
    spec: dict[str, Any], operation_id: str
) -> None:
    """The rule of openapi/README.md: `x-success-status`, else the one 2xx response."""
    method, route, _ = EXPECTED_OPERATIONS[operation_id]
    op = spec["paths"][route][method]
    declared = [code for code in op["responses"] if code.startswith("2")]
    chosen = str(op["x-success-status"]) if len(declared) > 1 else declared[0]
    assert chosen == SUCCESS_STATUSES[operation_id][0]


@pytest.mark.parametrize("status", ["201", "200"])
def test_links_from_create_reach_the_follow_up_operations(
    spec: dict[str, Any], status: str
) -> None:
    response = spec["paths"]["/v2/smart_trades"]["post"]["responses"][status]
    links = resolve(spec, response)["links"]
    targets = {link["operationId"] for link in links.values()}
    assert targets == {
        "get_smart_trade", "update_smart_trade", "cancel_smart_trade", "add_funds_to_smart_trade",
        "set_smart_trade_note", "list_smart_trade_trades", "close_smart_trade_by_market",
        "force_start_smart_trade", "force_process_smart_trade", "get_reduce_funds_info",
        "reduce_funds_of_smart_trade",
    }  # fmt: skip
    for link in links.values():
        assert list(link["parameters"].values()) == ["$response.body#/id"]


def test_links_from_the_trades_list_reach_the_trade_actions(spec: dict[str, Any]) -> None:
    links = spec["paths"]["/v2/smart_trades/{smart_trade_id}/trades"]["get"]["responses"]["200"][
        "links"
    ]
    assert {link["operationId"] for link in links.values()} == {
        "cancel_trade",
        "close_trade_by_market",
    }
    for link in links.values():
        assert link["parameters"] == {
            "smart_trade_id": "$request.path.smart_trade_id",
            "id": "$response.body#/0/id",
        }


def test_growing_value_sets_are_open_strings(spec: dict[str, Any]) -> None:
    for path in (
        "SmartTrade#status.type",
        "SmartTrade#account.type",
        "SmartTrade#data.type",
        "Trade#status",
    ):
        assert schema_paths.json_types(spec, path) == {"string"}, path
        assert schema_paths.enum_values(spec, path) == [], path
        assert any("x-known-values" in node for node in schema_paths.find(spec, path)), path


def test_response_objects_allow_unknown_properties(spec: dict[str, Any]) -> None:
    for name, schema in spec["components"]["schemas"].items():
        if schema.get("type") == "object" and not name.endswith(("Params", "Request")):
            assert schema.get("additionalProperties", True) is not False, name


def test_request_objects_are_closed(spec: dict[str, Any]) -> None:
    """A deliberate divergence (openapi/3commas.curation.yaml, divergence-closed-request-objects)."""
    closed = [
        name
        for name, schema in spec["components"]["schemas"].items()
        if schema.get("type") == "object" and name.endswith(("Params", "Request"))
    ]
    assert len(closed) >= 20
    for name in closed:
        assert spec["components"]["schemas"][name].get("additionalProperties") is False, name
