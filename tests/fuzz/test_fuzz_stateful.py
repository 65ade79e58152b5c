"""Stateful fuzzing through the spec's links: create a SmartTrade, then read, update, cancel, add
funds, set notes and list its trades, in sequences Hypothesis chooses (in-process, ASGI).

Invariant (tests/fuzz/readback.py): after every accepted write, the user's list and the written
SmartTrade read back with 200 and bodies that conform to the spec. A share of the steps is made
hostile by reference_server/fuzz_hooks.py, so a hostile value that a write accepts is read back too.
Seed and counts: tests/fuzz/schemathesis.toml, `FUZZ_SEED` / `FUZZ_MULTIPLIER` (tests/fuzz/budget.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, seed, settings

import reference_server.fuzz_hooks  # noqa: F401  (registers the demo-user auth and hooks)
from reference_server.app import create_app
from reference_server.threecommas.testing import PlaceholderSigner
from reference_server.threecommas.users import DEMO_SECRET

from .budget import CONFIG, SEED, STATEFUL_EXAMPLES, STATEFUL_STEPS, count, record_finding
from .readback import WRITE_METHODS, AsgiClient, Contract, ReadBack, written_trade_id

ROOT = Path(__file__).resolve().parents[2]
schema = schemathesis.openapi.from_path(str(ROOT / "openapi" / "3commas.yaml"), config=CONFIG)
app = create_app(rate_limit=False)
schema.app = app
SIGNER = PlaceholderSigner(DEMO_SECRET)
READ_BACK = ReadBack(AsgiClient(app), Contract())


@seed(SEED)  # the config's seed (or FUZZ_SEED): the same sequences on every run with that seed
class SmartTradeLifecycle(schema.as_state_machine()):  # type: ignore[misc]
    def setup(self) -> None:
        # Each example starts from an empty server, so Hypothesis can replay and shrink it exactly.
        app.state.reference.reset()

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        count("stateful")
        return {"auth": SIGNER}

    def step(self, input: Any) -> Any:
        try:
            return super().step(input)
        except BaseException as error:
            record_finding(f"stateful {input.case.method} {input.case.path}", input.case, error)
            raise

    def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
        super().validate_response(response, case, **kwargs)
        if case.method.upper() in WRITE_METHODS and 200 <= response.status_code < 300:
            operation_id = case.operation.definition.raw.get("operationId", "")
            try:
                body = response.json()
            except ValueError:
                body = None
            trade_id = written_trade_id(operation_id, case.path_parameters, body)
            READ_BACK.check(trade_id, f"{case.method} {case.formatted_path} ({operation_id})")


TestSmartTradeLifecycle = SmartTradeLifecycle.TestCase
TestSmartTradeLifecycle.settings = settings(
    max_examples=STATEFUL_EXAMPLES,
    stateful_step_count=STATEFUL_STEPS,
    deadline=None,
    derandomize=False,  # seeded above instead, so FUZZ_SEED can pick other sequences
    database=None,
    suppress_health_check=list(HealthCheck),
)
