"""The reference server answers the success status the current documentation gives, read from the
spec by the rule of openapi/README.md (`x-success-status`, else the operation's one 2xx response)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from reference_server.spec_validation import Spec
from reference_server.threecommas.api import SPEC
from spec_tools.load import load_yaml

# api-facts.md, "Success status codes (current docs)"; force_process is not listed and stays 200.
CURRENT_DOCS = {
    "create_smart_trade": 201,
    "add_funds_to_smart_trade": 201,
    "reduce_funds_of_smart_trade": 201,
    "force_start_smart_trade": 201,
    "close_smart_trade_by_market": 201,
    "set_smart_trade_note": 201,
    "close_trade_by_market": 201,
    "list_smart_trades": 200,
    "get_smart_trade": 200,
    "update_smart_trade": 200,
    "cancel_smart_trade": 200,
    "get_reduce_funds_info": 200,
    "list_smart_trade_trades": 200,
    "cancel_trade": 200,
    "force_process_smart_trade": 200,
}


@pytest.fixture(scope="module")
def spec() -> Spec:
    return Spec(SPEC)


def test_every_operation_answers_the_current_docs_status(spec: Spec) -> None:
    v2 = {op_id: op for op_id, op in spec.by_id.items() if op.template.startswith("/v2/")}
    assert {op_id: op.success_status for op_id, op in v2.items()} == CURRENT_DOCS
    # ver1 (registry entry missing-v1-responses): every POST 201, GET and PATCH 200.
    ver1 = [op for op in spec.by_id.values() if op.template.startswith("/ver1/")]
    assert len(ver1) == 13
    assert all(op.success_status == (201 if op.method.upper() == "POST" else 200) for op in ver1)


def test_create_declares_200_too_but_answers_x_success_status(spec: Spec) -> None:
    responses = spec.document["paths"]["/v2/smart_trades"]["post"]["responses"]
    assert {"200", "201"} <= set(responses)
    assert spec.by_id["create_smart_trade"].success_status == 201


def test_the_rule_reads_the_extension_not_the_order(tmp_path: Path) -> None:
    document = load_yaml(SPEC)
    changed = copy.deepcopy(document)
    create = changed["paths"]["/v2/smart_trades"]["post"]
    create["responses"] = dict(reversed(list(create["responses"].items())))
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(changed, sort_keys=False), encoding="utf-8")
    assert Spec(path).by_id["create_smart_trade"].success_status == 201
    create["x-success-status"] = 200
    path.write_text(yaml.safe_dump(changed, sort_keys=False), encoding="utf-8")
    assert Spec(path).by_id["create_smart_trade"].success_status == 200
