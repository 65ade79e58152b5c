"""The hostile mutations of reference_server/fuzz_hooks.py change only the case they are applied to."""

from __future__ import annotations

from types import SimpleNamespace

from reference_server.fuzz_hooks import _MUTATIONS, _apply_plan, hostility


def test_a_hostile_string_does_not_reach_a_shared_body() -> None:
    """Schemathesis' examples phase hands several cases one body object (the spec's example); the
    string mutation changed that list in place, so later cases, not marked hostile, sent the lone
    surrogate and were judged as positive (Poloniex `cancel_all_smart_orders`: 400 on a
    schema-valid request)."""
    shared = {"symbols": ["BTC_USDT", "ETH_USDT"], "accountTypes": ["SPOT"]}
    case = SimpleNamespace(id="shared-body-case", body=shared, query=None, headers={})
    plan = {
        "roll": 0,
        "kind": list(_MUTATIONS).index("string"),
        "index": 0,
        "how": "replace",
        "text": "\ud800",
    }
    _apply_plan(case, plan)
    assert hostility(case) is not None
    assert case.body["symbols"][0] == "\ud800"
    assert shared == {"symbols": ["BTC_USDT", "ETH_USDT"], "accountTypes": ["SPOT"]}
