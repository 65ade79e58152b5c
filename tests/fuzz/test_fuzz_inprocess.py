"""Schemathesis over every operation of every served API's spec, in-process (ASGI), all default
checks: one test per API and operation (tests/fuzz/targets.py),
`test_every_operation_<api>[<METHOD> <path>]`.

Requests are signed as a client would sign them, except the ones a check breaks on purpose (see
reference_server/fuzz_hooks.py and each API's `fuzz` module). A share of the cases is made hostile
by the hooks there (lone surrogates, bracket keys, latin-1 header bytes, extreme decimals). Seed and
counts come from tests/fuzz/schemathesis.toml, scaled by `FUZZ_SEED` / `FUZZ_MULTIPLIER`
(tests/fuzz/budget.py).

Each operation's test is built when it runs, by the builder `schema.parametrize()` uses (the same
phases, settings and per-operation seed): `parametrize()` builds them all at collection, which
computes every operation's coverage cases in each pytest-xdist worker (5 s of CPU each), and a
worker runs only some of them.

Operations whose bodies carry cross-field rules (`FuzzProfile.rule_free_negatives`: the 3Commas ver1
creates and update) run a mode at a time, half the cases each: positive cases from the body with its
rules, negative ones from the body without them (tests/fuzz/test_generation_overrides.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import schemathesis
from schemathesis.checks import load_all_checks
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.pytest._test_builder import build_operation_test
from schemathesis.python._constants.orchestrator import make_constants_value_source

import reference_server.fuzz_hooks  # noqa: F401  (registers the demo-user auth and hooks)

from .budget import count, record_finding
from .targets import TARGETS, Target


@cache
def _feedback(api: str) -> FeedbackSources:
    """What Schemathesis' pytest plugin gives each schema's tests: the spec's constants."""
    return FeedbackSources(constants_value_source=make_constants_value_source(TARGETS[api].schema))


def _labels(target: Target) -> list[str]:
    return [result.ok().label for result in target.schema.get_all_operations()]


def _every_operation(target: Target) -> Any:
    signer, session = target.profile.signer, target.session

    def check(case: schemathesis.Case) -> None:
        count("stateless", target.name)
        try:
            case.call_and_validate(session=session, auth=signer)
        except BaseException as error:
            record_finding(f"{target.name} stateless {case.method} {case.path}", case, error)
            raise

    labels = _labels(target)

    @pytest.mark.parametrize("label", labels, ids=labels)
    def test(label: str) -> None:
        load_all_checks()
        # An operation whose body has cross-field rules runs a mode at a time: its negative cases
        # from the body without the rules (FuzzProfile.rule_free_negatives), half the cases each.
        schemas = (
            [target.positive_schema, target.negative_schema]
            if label in target.rule_free_labels
            else [target.schema]
        )
        for schema in schemas:
            operation = schema.find_operation_by_label(label)
            assert operation is not None, label
            run = build_operation_test(
                config=schema.config,
                operation=operation,
                test_func=check,
                given_kwargs={},
                feedback=_feedback(target.name),
            )
            run()

    test.__name__ = f"test_every_operation_{target.ident}"
    return test


for _target in TARGETS.values():
    globals()[f"test_every_operation_{_target.ident}"] = _every_operation(_target)
