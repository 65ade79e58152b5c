"""Reference server figures: signed GETs per second over loopback HTTP, and in-process fuzz cases per
second (schemathesis, all default checks), printed side by side.

`run()` returns the figures for benchmarks/__main__.py; `python -m benchmarks.server` prints them.
"""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _signed_gets(seconds: float, threads: int) -> float:
    from reference_server.app import create_app
    from reference_server.testing import ServerThread
    from reference_server.threecommas.testing import HmacAuth
    from reference_server.threecommas.users import DEMO_API_KEY, DEMO_SECRET, DEMO_SPOT_ACCOUNT_ID

    with ServerThread(create_app(rate_limit=False)) as server:
        base = server.base_url + "/public/api"
        auth = HmacAuth(DEMO_API_KEY, DEMO_SECRET)
        with httpx.Client(base_url=base, auth=auth) as client:
            body = {
                "account_id": DEMO_SPOT_ACCOUNT_ID,
                "pair": "USDT_BTC",
                "instant": "true",
                "position": {"type": "buy", "units": {"value": "0.01"}, "order_type": "market"},
            }
            trade_id = client.post("/v2/smart_trades", json=body).json()["id"]
        counts = [0] * threads
        deadline = time.perf_counter() + seconds

        def worker(index: int) -> None:
            with httpx.Client(base_url=base, auth=auth) as own:
                while time.perf_counter() < deadline:
                    response = own.get(f"/v2/smart_trades/{trade_id}")
                    assert response.status_code == 200
                    counts[index] += 1

        start = time.perf_counter()
        workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        return sum(counts) / (time.perf_counter() - start)


def _fuzz_cases(examples: int) -> tuple[float, int]:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.config import SchemathesisConfig

    import reference_server.fuzz_hooks  # noqa: F401  (demo-user auth and signing)
    from reference_server.app import create_app

    config = SchemathesisConfig.from_path(str(ROOT / "tests" / "fuzz" / "schemathesis.toml"))
    schema = schemathesis.openapi.from_path(str(ROOT / "openapi" / "3commas.yaml"), config=config)
    schema.app = create_app(rate_limit=False)
    total = 0
    start = time.perf_counter()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def one(case: Any) -> None:
            nonlocal total
            total += 1
            # Throughput only: tests/fuzz judges findings.
            with contextlib.suppress(Exception):
                case.call_and_validate()

        one()
    return total / (time.perf_counter() - start), total


def run(seconds: float = 3.0, examples: int = 50) -> dict[str, float]:
    sequential = _signed_gets(seconds, threads=1)
    parallel = _signed_gets(seconds, threads=4)
    fuzz_rate, fuzz_total = _fuzz_cases(examples)
    return {
        "signed_gets_per_s_1_client": sequential,
        "signed_gets_per_s_4_clients": parallel,
        "fuzz_cases_per_s_in_process": fuzz_rate,
        "fuzz_cases": float(fuzz_total),
    }


def main() -> None:
    figures = run()
    print("reference server                      per second")
    print(f"  signed GETs, loopback, 1 client     {figures['signed_gets_per_s_1_client']:10.0f}")
    print(f"  signed GETs, loopback, 4 clients    {figures['signed_gets_per_s_4_clients']:10.0f}")
    print(
        f"  fuzz cases, in-process (ASGI)       {figures['fuzz_cases_per_s_in_process']:10.0f}"
        f"   ({figures['fuzz_cases']:.0f} cases, all checks)"
    )


if __name__ == "__main__":
    main()
