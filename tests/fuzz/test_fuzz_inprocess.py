"""Schemathesis over every operation of openapi/3commas.yaml, in-process (ASGI), all default checks.

Requests are signed as a client would sign them, except the ones a check breaks on purpose (see
reference_server/fuzz_hooks.py and `PlaceholderSigner`). A share of the cases is made hostile by the
hooks there (lone surrogates, bracket keys, latin-1 header bytes, extreme decimals). Seed and counts
come from tests/fuzz/schemathesis.toml, scaled by `FUZZ_SEED` / `FUZZ_MULTIPLIER` (tests/fuzz/budget.py).
"""

from __future__ import annotations

from pathlib import Path

import schemathesis

import reference_server.fuzz_hooks  # noqa: F401  (registers the demo-user auth and hooks)
from reference_server.app import create_app
from reference_server.threecommas.testing import PlaceholderSigner
from reference_server.threecommas.users import DEMO_SECRET

from .budget import CONFIG, count, record_finding

ROOT = Path(__file__).resolve().parents[2]
app = create_app(rate_limit=False)
schema = schemathesis.openapi.from_path(str(ROOT / "openapi" / "3commas.yaml"), config=CONFIG)
schema.app = app
SIGNER = PlaceholderSigner(DEMO_SECRET)


@schema.parametrize()
def test_every_operation(case: schemathesis.Case) -> None:
    count("stateless")
    try:
        case.call_and_validate(auth=SIGNER)
    except BaseException as error:
        record_finding(f"stateless {case.method} {case.path}", case, error)
        raise
