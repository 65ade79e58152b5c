"""Stateful fuzzing of every served API through its spec's links, in sequences Hypothesis chooses
(in-process, ASGI): 3Commas creates a SmartTrade, then reads, updates, cancels, adds funds, sets
notes and lists its trades; Poloniex creates a smart order, then reads, replaces (and reads the
replacement) and cancels it. One state machine per API, `TestLifecycle_<api>`.

Invariant (tests/fuzz/readback.py): after every accepted write, the API's lists and the written
resource read back with 2xx and bodies that conform to the spec (the operations are the API's
`ReadBack` table). A share of the steps is made hostile by reference_server/fuzz_hooks.py, so a
hostile value that a write accepts is read back too. Every scenario starts from a reset server on a
reset deterministic clock (tests/fuzz/targets.py), so a failing one replays and shrinks.
Seed and counts: tests/fuzz/schemathesis.toml, `FUZZ_SEED` / `FUZZ_MULTIPLIER` (tests/fuzz/budget.py).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, seed, settings

import reference_server.fuzz_hooks  # noqa: F401  (registers the demo-user auth and hooks)

from .budget import SEED, STATEFUL_EXAMPLES, STATEFUL_STEPS, count, record_finding
from .readback import WRITE_METHODS
from .targets import TARGETS, Target


def _lifecycle(target: Target) -> Any:
    signer, session = target.profile.signer, target.session
    read_back = target.read_back

    @seed(SEED)  # the config's seed (or FUZZ_SEED): the same sequences on every run with that seed
    class Lifecycle(target.schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            # Each example starts from an empty server on a reset clock, so Hypothesis can replay
            # and shrink it exactly.
            target.reset()

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            count("stateful", target.name)
            return {"auth": signer, "session": session}

        def step(self, input: Any) -> Any:
            try:
                return super().step(input)
            except BaseException as error:
                where = f"{target.name} stateful {input.case.method} {input.case.path}"
                record_finding(where, input.case, error)
                raise

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            super().validate_response(response, case, **kwargs)
            if case.method.upper() in WRITE_METHODS and 200 <= response.status_code < 300:
                operation_id = case.operation.definition.raw.get("operationId", "")
                try:
                    body = response.json()
                except ValueError:
                    body = None
                written = read_back.written_id(operation_id, case.path_parameters, body)
                read_back.check(written, f"{case.method} {case.formatted_path} ({operation_id})")

    Lifecycle.__name__ = f"Lifecycle_{target.ident}"
    test_case = Lifecycle.TestCase
    test_case.settings = settings(
        max_examples=STATEFUL_EXAMPLES,
        stateful_step_count=STATEFUL_STEPS,
        deadline=None,
        derandomize=False,  # seeded above instead, so FUZZ_SEED can pick other sequences
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    return test_case


for _target in TARGETS.values():
    globals()[f"TestLifecycle_{_target.ident}"] = _lifecycle(_target)
