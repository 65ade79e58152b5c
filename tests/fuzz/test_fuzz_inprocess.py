"""Schemathesis over every operation of every served API's spec, in-process (ASGI), all default
checks: one test per API (tests/fuzz/targets.py), `test_every_operation_<api>`.

Requests are signed as a client would sign them, except the ones a check breaks on purpose (see
reference_server/fuzz_hooks.py and each API's `fuzz` module). A share of the cases is made hostile
by the hooks there (lone surrogates, bracket keys, latin-1 header bytes, extreme decimals). Seed and
counts come from tests/fuzz/schemathesis.toml, scaled by `FUZZ_SEED` / `FUZZ_MULTIPLIER`
(tests/fuzz/budget.py).
"""

from __future__ import annotations

from typing import Any

import schemathesis

import reference_server.fuzz_hooks  # noqa: F401  (registers the demo-user auth and hooks)

from .budget import count, record_finding
from .targets import TARGETS, Target


def _every_operation(target: Target) -> Any:
    signer, session = target.profile.signer, target.session

    @target.schema.parametrize()
    def test(case: schemathesis.Case) -> None:
        count("stateless", target.name)
        try:
            case.call_and_validate(session=session, auth=signer)
        except BaseException as error:
            record_finding(f"{target.name} stateless {case.method} {case.path}", case, error)
            raise

    test.__name__ = f"test_every_operation_{target.ident}"
    return test


for _target in TARGETS.values():
    globals()[f"test_every_operation_{_target.ident}"] = _every_operation(_target)
