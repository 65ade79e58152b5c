"""Reference server figures: signed GETs per second driven by wrk from another process, beside Prism
mocking the same spec on the same request and a bare ASGI app serving the same bytes; then
in-process fuzz cases per second (schemathesis, all default checks).

Every server runs in its own process (`python -m reference_server --no-rate-limit`, `prism mock`,
`python -m benchmarks.bare_asgi`), each on a free loopback port; wrk keeps CONNECTIONS connections
open for a fixed time against one fixed path. The reference server checks everything it always
does (HMAC signature, the spec's parameter schema, ownership, the transaction); its request is a
GET of one pre-created SmartTrade with a precomputed signature (a 3Commas HMAC signs the path, so
fixed headers stay valid). Prism gets the same path and headers. Rounds alternate the order of the
servers; the figures are medians with their spread (min..max), and ratios are taken per round.
Results also go to reports/bench-server.json. Nothing is asserted: the machine is shared.

`python -m benchmarks.server [--seconds S] [--rounds N] [--no-fuzz]`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "bench-server.json"
PRISM = ROOT / "node_modules" / ".bin" / "prism"
SPEC = ROOT / "openapi" / "3commas.yaml"
CONNECTIONS = 8
TARGET_RATIO = 5.0
REFERENCE, PRISM_NAME, BARE = "reference server", "prism mock", "bare uvicorn"


@dataclass
class Target:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    rates: list[float] = field(default_factory=list)
    non_2xx: int = 0
    socket_errors: int = 0


@dataclass
class WrkRun:
    rate: float
    non_2xx: int
    socket_errors: int


def _free_port() -> int:
    from reference_server.testing import free_port

    return free_port()


def _spawn(args: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _wait_ready(url: str, headers: dict[str, str], process: subprocess.Popen[bytes]) -> bytes:
    """The body of the first 200 answer to `url`; raises if the process ends or 90 s pass."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited ({process.returncode})")
        with contextlib.suppress(httpx.HTTPError):
            answer = httpx.get(url, headers=headers, timeout=5)
            if answer.status_code == 200:
                return answer.content
            raise RuntimeError(f"{url} answered {answer.status_code}: {answer.text[:200]}")
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in 90 s")


def wrk(
    url: str, headers: dict[str, str], seconds: float, connections: int = CONNECTIONS
) -> WrkRun:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], check=True, capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkRun(
        float(rate.group(1)),
        int(non_2xx.group(1)) if non_2xx else 0,
        sum(int(n) for n in errors.groups()) if errors else 0,
    )


@contextlib.contextmanager
def _servers(with_prism: bool, workdir: Path) -> Iterator[tuple[list[Target], dict[str, str]]]:
    """Start the servers; yield them (ready, answering 200 to the request) and the headers."""
    from reference_server.threecommas.testing import HmacAuth, signature_for
    from reference_server.threecommas.users import (
        DEMO_API_KEY,
        DEMO_SECRET,
        DEMO_SPOT_ACCOUNT_ID,
    )

    started: list[Target] = []
    processes: list[subprocess.Popen[bytes]] = []  # stopped whatever happens

    def spawn(args: list[str]) -> subprocess.Popen[bytes]:
        processes.append(_spawn(args))
        return processes[-1]

    try:
        port = _free_port()
        ours = spawn(
            [sys.executable, "-m", "reference_server", "--no-rate-limit", "--port", str(port)]
        )
        base = f"http://127.0.0.1:{port}"
        _wait_ready(f"{base}/_reference/prices?pair=USDT_BTC", {}, ours)
        body = {
            "account_id": DEMO_SPOT_ACCOUNT_ID,
            "pair": "USDT_BTC",
            "position": {"type": "buy", "units": {"value": "0.01"}, "order_type": "market"},
            "take_profit": {
                "enabled": True,
                "steps": [
                    {
                        "order_type": "limit",
                        "price": {"value": "12000", "type": "last"},
                        "volume": 100,
                    }
                ],
            },
            "stop_loss": {
                "enabled": True,
                "order_type": "market",
                "conditional": {"price": {"value": "9000", "type": "last"}},
            },
        }
        with httpx.Client(
            base_url=base + "/public/api", auth=HmacAuth(DEMO_API_KEY, DEMO_SECRET)
        ) as c:
            created = c.post("/v2/smart_trades", json=body)
            if created.status_code != 201 and created.status_code != 200:
                raise RuntimeError(
                    f"creating the trade answered {created.status_code}: {created.text}"
                )
            trade_id = created.json()["id"]
        path = f"/public/api/v2/smart_trades/{trade_id}"
        headers = {
            "APIKEY": DEMO_API_KEY,
            "Signature": signature_for(DEMO_SECRET, path.encode(), b"", b""),
        }
        answer = _wait_ready(base + path, headers, ours)
        started.append(Target(REFERENCE, base + path, ours))

        body_file = workdir / "trade.json"
        body_file.write_bytes(answer)
        port = _free_port()
        bare = spawn(
            [
                sys.executable,
                "-m",
                "benchmarks.bare_asgi",
                "--port",
                str(port),
                "--body",
                str(body_file),
            ]
        )
        url = f"http://127.0.0.1:{port}{path}"
        _wait_ready(url, headers, bare)
        started.append(Target(BARE, url, bare))

        if with_prism:
            port = _free_port()
            # Quietest log level: Prism's per-request log lines would only slow it down.
            prism = spawn(
                [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "error", str(SPEC)]
            )
            # Prism serves the spec's paths without the server URL's `/public/api`.
            url = f"http://127.0.0.1:{port}/v2/smart_trades/{trade_id}"
            started.append(Target(PRISM_NAME, url, prism))
            _wait_ready(url, headers, prism)
        yield started, headers
    finally:
        for process in processes:
            _stop(process)


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
    }


def signed_gets(seconds: float = 4.0, rounds: int = 5) -> dict[str, Any]:
    """Alternating rounds of wrk against each server; medians, spreads and per-round ratios."""
    with_prism = PRISM.exists()
    with (
        tempfile.TemporaryDirectory() as tmp,
        _servers(with_prism, Path(tmp)) as (targets, headers),
    ):
        for target in targets:  # warm-up, a full run each: caches, Node's JIT, pools
            wrk(target.url, headers, seconds)
        for index in range(rounds):
            for target in targets if index % 2 == 0 else targets[::-1]:
                run = wrk(target.url, headers, seconds)
                target.rates.append(run.rate)
                target.non_2xx += run.non_2xx
                target.socket_errors += run.socket_errors
    by_name = {t.name: t for t in targets}
    figures: dict[str, Any] = {
        "connections": CONNECTIONS,
        "seconds_per_run": seconds,
        "rounds": rounds,
        "request": "GET /public/api/v2/smart_trades/{id}, HMAC-signed, fixed headers",
        "servers": {
            t.name: {
                "requests_per_s": _spread(t.rates),
                "runs": t.rates,
                "non_2xx": t.non_2xx,
                "socket_errors": t.socket_errors,
            }
            for t in targets
        },
        "ratios": {},
        "target_ratio_vs_prism": TARGET_RATIO,
    }
    ours = by_name[REFERENCE].rates
    for other in (PRISM_NAME, BARE):
        if other in by_name:
            per_round = [a / b for a, b in zip(ours, by_name[other].rates, strict=True)]
            figures["ratios"][f"{REFERENCE} / {other}"] = {**_spread(per_round), "runs": per_round}
    return figures


def fuzz_schema() -> Any:
    """The 3Commas spec as the fuzz tests give it to Schemathesis (its profile's generation spec:
    the raw spec's nine `if`/`then`s of the ver1 creates are a schema Schemathesis cannot generate
    from), served in-process by a fresh app."""
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    import reference_server.fuzz_hooks  # noqa: F401  (demo-user auth and signing)
    from reference_server.app import create_app
    from reference_server.fuzzing import profile_named

    config = SchemathesisConfig.from_path(str(ROOT / "tests" / "fuzz" / "schemathesis.toml"))
    schema = schemathesis.openapi.from_dict(profile_named("3commas").generation_spec(), config=config)
    schema.app = create_app(rate_limit=False)
    return schema


def _fuzz_cases(examples: int) -> tuple[float, int]:
    from hypothesis import HealthCheck, given, settings
    from schemathesis.core.result import Ok

    schema = fuzz_schema()
    total = 0
    start = time.perf_counter()
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            raise RuntimeError(f"schemathesis cannot build an operation: {result.err()}")
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


def _environment() -> dict[str, Any]:
    from reference_server.__main__ import fast_stack

    version = subprocess.run(
        ["wrk", "-v"], check=False, capture_output=True, text=True
    ).stdout.split("\n")[0]
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "wrk": version.strip(),
        "uvicorn": fast_stack() or {"http": "h11", "loop": "asyncio"},
    }


def run(
    seconds: float = 4.0, rounds: int = 5, examples: int = 50, fuzz: bool = True
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    if shutil.which("wrk") is None:
        figures["signed_gets"] = {"skipped": "wrk is not installed (apt-get install -y wrk)"}
    else:
        figures["environment"] = _environment()
        figures["signed_gets"] = signed_gets(seconds, rounds)
        if not PRISM.exists():
            figures["signed_gets"]["prism"] = "not installed: npm ci (make bench installs it)"
    if fuzz:
        rate, total = _fuzz_cases(examples)
        figures["fuzz"] = {"cases_per_s_in_process": rate, "cases": total}
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures


def report(figures: dict[str, Any]) -> None:
    gets = figures["signed_gets"]
    print(f"Reference server: signed GETs/s, wrk in another process, {CONNECTIONS} connections")
    if "skipped" in gets:
        print(f"  skipped: {gets['skipped']}")
    else:
        print(
            f"  ({gets['rounds']} alternating rounds of {gets['seconds_per_run']:g} s; "
            f"median [min..max]; uvicorn {figures['environment']['uvicorn']})"
        )
        for name, server in gets["servers"].items():
            s = server["requests_per_s"]
            bad = server["non_2xx"] + server["socket_errors"]
            note = f"   {bad} non-2xx/socket errors" if bad else ""
            print(f"  {name:34} {s['median']:9.0f} /s  [{s['min']:.0f}..{s['max']:.0f}]{note}")
        for name, ratio in gets["ratios"].items():
            target = f"   target ≥ {TARGET_RATIO:g}×" if name.endswith(PRISM_NAME) else ""
            print(
                f"  {name:34} {ratio['median']:9.2f} ×  [{ratio['min']:.2f}..{ratio['max']:.2f}]{target}"
            )
        if "prism" in gets:
            print(f"  prism: {gets['prism']}")
    if "fuzz" in figures:
        fuzz = figures["fuzz"]
        print(
            f"  {'fuzz cases, in-process (ASGI)':34} {fuzz['cases_per_s_in_process']:9.0f} /s  "
            f"({fuzz['cases']} cases, all checks)"
        )
    print(f"  written to {REPORT.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds")
    parser.add_argument("--no-fuzz", action="store_true", help="skip the in-process fuzz figure")
    args = parser.parse_args([] if argv is None and __name__ != "__main__" else argv)
    report(run(args.seconds, args.rounds, fuzz=not args.no_fuzz))


if __name__ == "__main__":
    main()
