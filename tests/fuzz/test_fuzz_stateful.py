"""Stateful fuzzing through the spec's links: create a SmartTrade, then read, update, cancel, add
funds, set notes and list its trades, in sequences Hypothesis chooses (in-process, ASGI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

import reference_server.fuzz_hooks  # noqa: F401  (registers the demo-user auth and hooks)
from reference_server.app import create_app
from reference_server.threecommas.testing import PlaceholderSigner
from reference_server.threecommas.users import DEMO_SECRET

ROOT = Path(__file__).resolve().parents[2]
CONFIG = SchemathesisConfig.from_path(str(Path(__file__).with_name("schemathesis.toml")))
schema = schemathesis.openapi.from_path(str(ROOT / "openapi" / "3commas.yaml"), config=CONFIG)
app = create_app(rate_limit=False)
schema.app = app
SIGNER = PlaceholderSigner(DEMO_SECRET)


class SmartTradeLifecycle(schema.as_state_machine()):  # type: ignore[misc]
    def setup(self) -> None:
        # Each example starts from an empty server, so Hypothesis can replay and shrink it exactly.
        app.state.reference.reset()

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"auth": SIGNER}


TestSmartTradeLifecycle = SmartTradeLifecycle.TestCase
TestSmartTradeLifecycle.settings = settings(
    max_examples=300,
    stateful_step_count=15,
    deadline=None,
    derandomize=True,  # a fixed seed: the same sequences on every run
    database=None,
    suppress_health_check=list(HealthCheck),
)
