"""Seed, counts and the case counter shared by the fuzz tests.

Counts and the seed live in tests/fuzz/schemathesis.toml; the environment scales or replaces them:

- `FUZZ_SEED`: the seed of every fuzz test (stateless, stateful, hostile) instead of the config's.
- `FUZZ_MULTIPLIER`: every count times this (`make fuzz-deep` uses 8; a fraction such as 0.1 gives
  a quick run while developing, at least one example each).
- `FUZZ_HOSTILE_PERCENT`: the share of generated cases made hostile (reference_server/fuzz_hooks.py).
"""

from __future__ import annotations

import os
from collections import Counter
from functools import cache
from pathlib import Path

from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from .config_cache import memoize_config_lookups

CONFIG_PATH = Path(__file__).with_name("schemathesis.toml")
MULTIPLIER = float(os.environ.get("FUZZ_MULTIPLIER") or "1")
if not MULTIPLIER > 0:
    raise ValueError(f"FUZZ_MULTIPLIER must be positive, not {MULTIPLIER}")


def scaled(count: int) -> int:
    """A count from the config times `MULTIPLIER`, at least 1."""
    return max(1, round(count * MULTIPLIER))


def _load(share: float = 1.0) -> SchemathesisConfig:
    """The config with the environment's seed and its counts scaled (stateless ones also by
    `share`)."""
    config = SchemathesisConfig.from_path(str(CONFIG_PATH))
    project = config.projects.default
    if os.environ.get("FUZZ_SEED"):
        project.seed = int(os.environ["FUZZ_SEED"])
    stateless = project.generation.max_examples or 100
    stateful = project.phases.stateful.generation.max_examples or stateless
    project.generation.update(max_examples=max(1, round(scaled(stateless) * share)))
    project.phases.stateful.generation.update(max_examples=scaled(stateful))
    # Per-operation counts ([[operations]] generation.max-examples) scale the same way.
    for operation in project.operations.operations:
        if operation.generation is not None and operation.generation.max_examples:
            count = scaled(operation.generation.max_examples)
            operation.generation.update(max_examples=max(1, round(count * share)))
    return config


CONFIG = _load()
_PROJECT = CONFIG.projects.default
SEED: int = CONFIG.seed


@cache
def mode_config(mode: GenerationMode) -> SchemathesisConfig:
    """The config for one generation mode alone, with half the stateless counts: an operation
    fuzzed a mode at a time (`FuzzProfile.rule_free_negatives`) gets the cases one run of both
    modes draws (Schemathesis picks either mode for each case)."""
    config = _load(share=0.5)
    config.projects.default.generation.update(modes=[mode])
    return config


# The configs are final once made: Schemathesis' per-case lookups in them can be kept.
memoize_config_lookups()

# Generated cases per operation in the stateless run (where the config sets no other count).
STATELESS_EXAMPLES = _PROJECT.generation.max_examples
# Scenarios of each API's stateful run, each up to STATEFUL_STEPS calls.
STATEFUL_EXAMPLES = _PROJECT.phases.stateful.generation.max_examples
STATEFUL_STEPS = _PROJECT.phases.stateful.max_steps
# Examples per test in tests/fuzz/test_fuzz_hostile.py: the stateless count, per operation there too.
HOSTILE_EXAMPLES = STATELESS_EXAMPLES

# Generated cases actually sent, by kind and by (API, kind); tests/fuzz/conftest.py writes them to
# reports/fuzz-stats.json.
CASES: Counter[str] = Counter()
API_CASES: Counter[tuple[str, str]] = Counter()


def count(kind: str, api: str) -> None:
    CASES[kind] += 1
    API_CASES[api, kind] += 1


# First-seen failures, by their first line (reports/fuzz-stats.json "findings"): Hypothesis may only
# say "Flaky" when a stateful failure does not replay (the server's wall clock moves between runs),
# so the original error and the request that got it are kept here, with the seed to replay.
FINDINGS: dict[str, str] = {}


def record_finding(where: str, case: object, error: BaseException) -> None:
    message = str(error).strip().splitlines()
    head = f"{where}: {type(error).__name__}: {message[0][:200] if message else ''}"
    if head in FINDINGS or len(FINDINGS) >= 100:
        return
    try:
        curl = case.as_curl_command()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        curl = repr(case)
    FINDINGS[head] = curl[:2000]
