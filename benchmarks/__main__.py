"""Print parse and signed-call figures with their baselines and targets. Not a test: nothing is asserted."""

from __future__ import annotations

import json
import timeit
from collections.abc import Callable
from pathlib import Path

import httpx
from threecommas_client import SignedClient
from threecommas_client._wire import loads
from threecommas_client.api.smart_trades import get_smart_trade
from threecommas_client.models import SmartTrade

from tests.seed_documents import seed_003_text

from .loopback import serve
from .server import main as server_figures
from .stock_build import build_stock

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = seed_003_text()


def per_call_us(fn: Callable[[], object], number: int, repeat: int = 5) -> float:
    fn()  # warm up (imports, pools, caches)
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def main() -> None:
    stock_models, tmp = build_stock(REPO_ROOT / "openapi" / "3commas.yaml")
    n = 2000
    base = per_call_us(lambda: json.loads(SEED), n)
    ours = per_call_us(lambda: SmartTrade.from_dict(loads(SEED)), n)
    stock = per_call_us(lambda: stock_models.SmartTrade.from_dict(json.loads(SEED)), n)
    print("Parse of seed 003 (JSON text -> SmartTrade), best of 5, µs per call")
    print(f"  {'json.loads (baseline)':34} {base:8.1f} µs   1.00×")
    print(
        f"  {'threecommas_client (Decimal)':34} {ours:8.1f} µs   {ours / base:4.2f}×   target ≤ 3.00×"
    )
    print(
        f"  {'stock openapi-python-client':34} {stock:8.1f} µs   {stock / base:4.2f}×   (reference, about 6×)"
    )
    tmp.cleanup()

    server, port = serve(SEED.encode())
    base_url = f"http://127.0.0.1:{port}/public/api"
    calls = 300
    with httpx.Client(base_url=base_url) as bare:
        bare_us = per_call_us(lambda: json.loads(bare.get("/v2/smart_trades/1").content), calls)
    with SignedClient(api_key="bench-key", secret="bench-secret", base_url=base_url) as client:
        sdk_us = per_call_us(lambda: get_smart_trade.sync(1, client=client), calls)
    server.shutdown()
    print("\nSigned GET /v2/smart_trades/{id} against a loopback server, best of 5, µs per call")
    print(f"  {'bare httpx + json.loads (baseline)':34} {bare_us:8.1f} µs   1.00×")
    print(
        f"  {'threecommas_client (signed, parsed)':34} {sdk_us:8.1f} µs   {sdk_us / bare_us:4.2f}×   target ≤ 1.15×"
    )

    print()
    server_figures()  # the reference server: signed GETs/s over loopback beside in-process fuzz cases/s

    print()
    fuzz_run_figures()


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
