"""Print parse and signed-call figures with their baselines and targets. Not a test: nothing is asserted."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from threecommas_client import SignedClient
from threecommas_client._wire import loads
from threecommas_client.api.smart_trades import get_smart_trade
from threecommas_client.models import SmartTrade

from tests.seed_documents import seed_003_text

from .generate import main as generate_figures
from .loopback import serve
from .server import main as server_figures
from .stock_build import build_stock
from .test_run_time import figures as test_run_figures

REPO_ROOT = Path(__file__).resolve().parent.parent
REPORT = REPO_ROOT / "reports" / "bench-sdk.json"
SEED = seed_003_text()

# Goals and reference figures of the SDK's two ratios (issue "Performance to the limit").
PARSE_TARGET = 2.0
SIGNED_CALL_TARGET = 1.10
PARSE_ANCHORS = {"stock openapi-python-client": 6.5, "pydantic v2 (tuned)": 2.0, "msgspec with Decimal": 0.57}


def per_call_us(fn: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number * 1e6


def alternate(contenders: dict[str, Callable[[], object]], number: int, rounds: int) -> dict[str, list[float]]:
    """Per-call µs of each contender, measured in turn within every round (baseline, candidate, baseline, ...), so
    that a burst of load from other processes hits all of them alike; ratios are taken per round."""
    for fn in contenders.values():
        fn()  # warm up (imports, pools, caches)
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            times[name].append(per_call_us(fn, number))
    return times


def summary(times: list[float], base: list[float]) -> dict[str, Any]:
    ratios = sorted(t / b for t, b in zip(times, base, strict=True))
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
    return {
        "median_us": round(statistics.median(times), 2),
        "min_us": round(min(times), 2),
        "max_us": round(max(times), 2),
        "ratio_median": round(statistics.median(ratios), 3),
        "ratio_iqr": [round(quartiles[0], 3), round(quartiles[2], 3)],
        "ratio_min_max": [round(ratios[0], 3), round(ratios[-1], 3)],
    }


def show(label: str, row: dict[str, Any], note: str = "") -> None:
    low, high = row["ratio_iqr"]
    print(
        f"  {label:36} {row['median_us']:8.1f} µs  [{row['min_us']:.1f}–{row['max_us']:.1f}]"
        f"   {row['ratio_median']:5.2f}×  (IQR {low:.2f}–{high:.2f}×)   {note}"
    )


def parse_figures(rounds: int, number: int) -> dict[str, Any]:
    stock_models, tmp = build_stock(REPO_ROOT / "openapi" / "3commas.yaml")
    try:
        times = alternate(
            {
                "json.loads": lambda: json.loads(SEED),
                # What the endpoints do with a body: the compiled path (msgspec builds the models) when the body
                # holds nothing else, the checked path (loads + from_dict) otherwise.
                "threecommas_client": lambda: SmartTrade.from_json(SEED),
                "threecommas_client checked path": lambda: SmartTrade.from_dict(loads(SEED)),
                "stock openapi-python-client": lambda: stock_models.SmartTrade.from_dict(json.loads(SEED)),
            },
            number,
            rounds,
        )
    finally:
        tmp.cleanup()
    base = times["json.loads"]
    return {name: summary(t, base) for name, t in times.items()}


def signed_call_figures(rounds: int, number: int) -> dict[str, Any]:
    server, port = serve(SEED.encode())
    base_url = f"http://127.0.0.1:{port}/public/api"
    try:
        with httpx.Client(base_url=base_url) as bare, SignedClient(
            api_key="bench-key", secret="bench-secret", base_url=base_url
        ) as client:
            times = alternate(
                {
                    "bare httpx + json.loads": lambda: json.loads(bare.get("/v2/smart_trades/1").content),
                    "threecommas_client": lambda: get_smart_trade.sync(1, client=client),
                },
                number,
                rounds,
            )
    finally:
        server.shutdown()
        server.server_close()
    base = times["bare httpx + json.loads"]
    return {name: summary(t, base) for name, t in times.items()}


def main() -> None:
    rounds = 15
    parse = parse_figures(rounds, number=400)
    print(f"Parse of seed 003 (JSON text -> SmartTrade), {rounds} alternating rounds: median µs per call [min–max],")
    print("median of the per-round ratios to json.loads (interquartile range)")
    show("json.loads (baseline)", parse["json.loads"])
    show("threecommas_client (Decimal)", parse["threecommas_client"], f"target ≤ {PARSE_TARGET:.2f}×")
    show("  checked path (unknown keys etc.)", parse["threecommas_client checked path"], "(loads + from_dict)")
    show("stock openapi-python-client", parse["stock openapi-python-client"], "(measured here)")
    print("  anchors: " + ", ".join(f"{name} {ratio:.2f}×" for name, ratio in PARSE_ANCHORS.items()))

    signed = signed_call_figures(rounds, number=60)
    print(f"\nSigned GET /v2/smart_trades/{{id}} against a loopback server, {rounds} alternating rounds")
    show("bare httpx + json.loads (baseline)", signed["bare httpx + json.loads"])
    show("threecommas_client (signed, parsed)", signed["threecommas_client"], f"target ≤ {SIGNED_CALL_TARGET:.2f}×")

    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(
        json.dumps(
            {
                "rounds": rounds,
                "parse": {"target_ratio": PARSE_TARGET, "anchors": PARSE_ANCHORS, "figures": parse},
                "signed_call": {"target_ratio": SIGNED_CALL_TARGET, "figures": signed},
            },
            indent=2,
        )
        + "\n"
    )
    print(f"  (written to {REPORT.relative_to(REPO_ROOT)})")

    print()
    server_figures()  # the reference server: signed GETs/s over loopback beside in-process fuzz cases/s

    print()
    test_run_figures()
    fuzz_run_figures()
    generate_figures()  # make generate / check-generated beside stock openapi-python-client


def fuzz_run_figures(path: Path = REPO_ROOT / "reports" / "fuzz-stats.json") -> None:
    """The generated-case count and rate of the last `make test` fuzz run (tests/fuzz/conftest.py)."""
    print("Fuzzing in `make test` (tests/fuzz, last run)")
    if not path.exists():
        print(f"  no {path.relative_to(REPO_ROOT)} yet: run `make test` first")
        return
    stats = json.loads(path.read_text(encoding="utf-8"))
    kinds = ", ".join(f"{kind} {n}" for kind, n in stats.get("by_kind", {}).items())
    print(f"  {'generated cases':34} {stats['cases']:8d}   ({kinds})   target ≥ 20000")
    print(
        f"  {'cases per second':34} {stats['cases_per_s']:8.1f}   "
        f"({stats['seconds']} s, seed {stats['seed']}, counts x{stats['multiplier']})"
    )


if __name__ == "__main__":
    main()
