"""The hostile mutations of reference_server/fuzz_hooks.py change only the case they are applied to,
and Schemathesis can still handle the case they made."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, Phase, assume, given, settings
from schemathesis.generation import GenerationMode
from schemathesis.generation.meta import TestPhase

from reference_server.fuzz_hooks import _MUTATIONS, _apply_plan, _leaves, hostility

from .targets import TARGETS


def _string_plan(index: int, text: str) -> dict[str, Any]:
    return {
        "roll": 0,
        "kind": list(_MUTATIONS).index("string"),
        "index": index,
        "how": "replace",
        "text": text,
    }


def test_a_hostile_string_does_not_reach_a_shared_body() -> None:
    """Schemathesis' examples phase hands several cases one body object (the spec's example); the
    string mutation changed that list in place, so later cases, not marked hostile, sent the lone
    surrogate and were judged as positive (Poloniex `cancel_all_smart_orders`: 400 on a
    schema-valid request)."""
    shared = {"symbols": ["BTC_USDT", "ETH_USDT"], "accountTypes": ["SPOT"]}
    case = SimpleNamespace(id="shared-body-case", body=shared, query=None, headers={})
    _apply_plan(case, _string_plan(0, "\ud800"))
    assert hostility(case) is not None
    assert json.loads(case.body)["symbols"][0] == "\ud800"  # as JSON text, see the test below
    assert shared == {"symbols": ["BTC_USDT", "ETH_USDT"], "accountTypes": ["SPOT"]}


def test_a_lone_surrogate_in_a_body_survives_schemathesis_revalidating_it() -> None:
    """Deep stateful run (FUZZ_SEED=1497358376, FUZZ_MULTIPLIER=3): a link merged `account_id` into a
    ver1 create whose `pair` the string mutation had made a lone surrogate; the merge goes through
    Case.__setattr__, so `case.call` re-validated the body with jsonschema_rs: UnicodeEncodeError
    (reported as Flaky). The surrogate must still reach the server, which names the field."""
    target = TARGETS["3commas"]
    operation = target.schema.find_operation_by_id("create_simple_buy_v1")
    strategy = operation.as_strategy(
        generation_mode=GenerationMode.POSITIVE, phase=TestPhase.STATEFUL
    )
    answers: list[Any] = []

    @settings(
        max_examples=1,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(case: Any) -> None:
        assume(hostility(case) is None and isinstance(case.body, dict) and "pair" in case.body)
        spots = [path for path, value in _leaves(case.body) if isinstance(value, str) and path]
        _apply_plan(case, _string_plan(spots.index(("pair",)), "\ud800"))
        assert hostility(case) == "string body['pair'] = '\\ud800'"
        case.body = case.body  # what the link's merge does: the body marked changed
        assert case.meta is not None  # re-validates it
        kwargs = {"auth": target.profile.signer, "session": target.session}
        response = case.call(**kwargs)
        case.validate_response(response, transport_kwargs=kwargs)
        answers.append(response)

    run()
    assert len(answers) == 1
    assert answers[0].status_code == 422, answers[0].text
    assert "pair" in answers[0].json()["error_attributes"], answers[0].text
