"""Counts the generated cases the fuzz tests ran and writes reports/fuzz-stats.json.

A case is one request Hypothesis generated and the test sent: a stateless case, a step of a stateful
scenario, or a hostile example (the invariant's read-backs are not counted). Seconds are the fuzz
tests' own run time (setup and call), so cases per second is the fuzzing rate, not the session's.
`by_api` splits both per API: a test's seconds go to the API whose cases it sent.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from . import budget

ROOT = Path(__file__).resolve().parents[2]
STATS_PATH = Path(os.environ.get("FUZZ_STATS", ROOT / "reports" / "fuzz-stats.json"))
_HERE = Path(__file__).resolve().parent
_seconds = 0.0
_api_seconds: dict[str, float] = {}


def _is_fuzz(item: pytest.Item) -> bool:
    return _HERE in Path(str(item.path)).resolve().parents


def _per_api() -> Counter[str]:
    totals: Counter[str] = Counter()
    for (api, _), n in budget.API_CASES.items():
        totals[api] += n
    return totals


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: Any) -> Any:
    global _seconds
    if not _is_fuzz(item):
        return (yield)
    start = time.perf_counter()
    before = _per_api()
    try:
        return (yield)
    finally:
        elapsed = time.perf_counter() - start
        _seconds += elapsed
        sent = _per_api() - before
        if sent:
            api = sent.most_common(1)[0][0]
            _api_seconds[api] = _api_seconds.get(api, 0.0) + elapsed


def _stats() -> dict[str, Any]:
    total = sum(budget.CASES.values())
    return {
        "seed": budget.SEED,
        "multiplier": budget.MULTIPLIER,
        "cases": total,
        "by_kind": dict(sorted(budget.CASES.items())),
        "seconds": round(_seconds, 2),
        "cases_per_s": round(total / _seconds, 1) if _seconds else 0.0,
        "by_api": _by_api(),
        "findings": [{"failure": k, "request": v} for k, v in budget.FINDINGS.items()],
        "budget": {
            "stateless_examples_per_operation": budget.STATELESS_EXAMPLES,
            "stateful_scenarios": budget.STATEFUL_EXAMPLES,
            "stateful_max_steps": budget.STATEFUL_STEPS,
            "hostile_examples_per_test": budget.HOSTILE_EXAMPLES,
        },
    }


def _by_api() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for (api, kind), n in sorted(budget.API_CASES.items()):
        entry = out.setdefault(api, {"cases": 0, "by_kind": {}})
        entry["cases"] += n
        entry["by_kind"][kind] = n
    for api, entry in out.items():
        seconds = _api_seconds.get(api, 0.0)
        entry["seconds"] = round(seconds, 2)
        entry["cases_per_s"] = round(entry["cases"] / seconds, 1) if seconds else 0.0
    return out


def _counted() -> dict[str, Any]:
    """What this process counted, in a form pytest-xdist can send from a worker to the controller."""
    return {
        "cases": dict(budget.CASES),
        "api_cases": [[api, kind, n] for (api, kind), n in budget.API_CASES.items()],
        "seconds": _seconds,
        "api_seconds": dict(_api_seconds),
        "findings": dict(budget.FINDINGS),
    }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """On the pytest-xdist controller (tests/conftest.py registers this module there): add up a worker's
    counts; the seconds are summed over the workers, so cases per second stays a per-process rate."""
    global _seconds
    counted = getattr(node, "workeroutput", {}).get("fuzz_counted")
    if not counted:
        return
    budget.CASES.update(counted["cases"])
    for api, kind, n in counted["api_cases"]:
        budget.API_CASES[api, kind] += n
    _seconds += counted["seconds"]
    for api, seconds in counted["api_seconds"].items():
        _api_seconds[api] = _api_seconds.get(api, 0.0) + seconds
    for head, curl in counted["findings"].items():
        if len(budget.FINDINGS) < 100:
            budget.FINDINGS.setdefault(head, curl)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: the controller writes the report
        workeroutput["fuzz_counted"] = _counted()
        return
    if not budget.CASES:
        return
    STATS_PATH.parent.mkdir(parents=True, exist_ok=True)
    STATS_PATH.write_text(json.dumps(_stats(), indent=2) + "\n", encoding="utf-8")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not budget.CASES:
        return
    stats = _stats()
    kinds = ", ".join(f"{kind} {n}" for kind, n in stats["by_kind"].items())
    for api, entry in stats["by_api"].items():
        terminalreporter.write_line(
            f"fuzz {api}: {entry['cases']} cases in {entry['seconds']} s ({entry['by_kind']})"
        )
    terminalreporter.write_line(
        f"fuzz: {stats['cases']} generated cases ({kinds}) in {stats['seconds']} s, "
        f"{stats['cases_per_s']} cases/s, seed {stats['seed']} (x{stats['multiplier']}) "
        f"-> {STATS_PATH.relative_to(ROOT) if STATS_PATH.is_relative_to(ROOT) else STATS_PATH}"
    )
