"""`make generate` and `make check-generated` beside stock openapi-python-client on the same specs.

Every round runs each contender once, in turn (stock, ours, stock, ours, ...), so a burst of load from other
processes hits all of them alike; the ratios are taken per round, and their median is the figure. Stock is the
stock CLI run on every spec of generator/specs.py, one process per spec as `make generate` handles all of them,
with the settings of benchmarks/stock_build.py (no post-hooks); a second stock row keeps its default ruff
post-hooks (our generator formats with ruff too). `python -m benchmarks.generate [rounds]`.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.specs import REPO_ROOT, TARGETS

from .stock_build import stock_command

REPORT = REPO_ROOT / "reports" / "bench-generate.json"
TARGET_RATIO = (
    1.5  # issue "Performance to the limit": make generate ≤ 1.5× stock openapi-python-client
)
BASELINE = "stock openapi-python-client"
MAKE = os.environ.get("MAKE", "make")


# A run's wall-clock seconds and the CPU seconds (user + system) of its processes: on a machine shared with other
# work the CPU figure moves far less than the wall clock.
Sample = tuple[float, float]


def _cpu() -> float:
    usage = resource.getrusage(
        resource.RUSAGE_CHILDREN
    )  # every reaped descendant: make, python, ruff, helpers
    return usage.ru_utime + usage.ru_stime


def _timed(commands: list[list[str]], env: dict[str, str] | None = None) -> Sample:
    cpu, start = _cpu(), time.perf_counter()
    for cmd in commands:
        result = subprocess.run(
            cmd, cwd=REPO_ROOT, capture_output=True, text=True, check=False, env=env
        )
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - start, _cpu() - cpu


def _stock(post_hooks: bool) -> Callable[[], Sample]:
    def run() -> Sample:
        # A fresh folder each time, removed outside the timing (the stock CLI would delete an old one first).
        with tempfile.TemporaryDirectory(prefix="bench-stock-gen-") as tmp:
            commands = []
            for target in TARGETS:
                root = Path(tmp) / target.name
                root.mkdir()
                commands.append(
                    stock_command(REPO_ROOT / target.spec, root, target.package_name, post_hooks)
                )
            # The venv's ruff on PATH, or the stock CLI skips its post-hooks ("ruff is not in PATH").
            env = {
                **os.environ,
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            }
            return _timed(commands, env)

    return run


def _ours(cmd: list[str], env: dict[str, str] | None = None) -> Callable[[], Sample]:
    return lambda: _timed([cmd], env)


def contenders() -> dict[str, Callable[[], Sample]]:
    no_cache = {**os.environ, "GENERATOR_CACHE": "0"}
    return {
        BASELINE: _stock(post_hooks=False),
        "stock, default ruff post-hooks": _stock(post_hooks=True),
        "make generate": _ours([MAKE, "-s", "generate"]),
        "make check-generated": _ours([MAKE, "-s", "check-generated"]),
        "make generate, GENERATOR_CACHE=0": _ours([MAKE, "-s", "generate"], no_cache),
    }


def measure(rounds: int) -> dict[str, list[Sample]]:
    runs = contenders()
    for run in runs.values():
        run()  # warm up: file cache, .cache/generator, the setup stamp
    samples: dict[str, list[Sample]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            samples[name].append(run())
    return samples


def summary(samples: list[Sample], base: list[Sample]) -> dict[str, Any]:
    times, cpu = [s[0] for s in samples], [s[1] for s in samples]
    ratios = sorted(s[0] / b[0] for s, b in zip(samples, base, strict=True))
    cpu_ratios = [s[1] / b[1] for s, b in zip(samples, base, strict=True)]
    return {
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
        "ratio_median": round(statistics.median(ratios), 3),
        "ratio_min_max": [round(ratios[0], 3), round(ratios[-1], 3)],
        "cpu_median_s": round(statistics.median(cpu), 3),
        "cpu_ratio_median": round(statistics.median(cpu_ratios), 3),
    }


def main(rounds: int | None = None) -> dict[str, Any]:
    rounds = rounds or int(os.environ.get("BENCH_GENERATE_ROUNDS", "7"))
    samples = measure(rounds)
    figures = {name: summary(t, samples[BASELINE]) for name, t in samples.items()}
    specs = ", ".join(t.spec.as_posix() for t in TARGETS)
    print(f"\nGenerating the clients of {specs}, {rounds} alternating rounds: median s [min–max],")
    print(
        f"median of the per-round ratios to {BASELINE} [min–max]; CPU seconds (user+system) and their ratio"
    )
    for name, row in figures.items():
        low, high = row["ratio_min_max"]
        note = f"target ≤ {TARGET_RATIO:.2f}×" if name == "make generate" else ""
        if name == BASELINE:
            note = "(baseline: no post-hooks, as benchmarks/stock_build.py)"
        print(
            f"  {name:34} {row['median_s']:6.2f} s  [{row['min_s']:.2f}–{row['max_s']:.2f}]"
            f"   {row['ratio_median']:5.2f}×  [{low:.2f}–{high:.2f}×]"
            f"   CPU {row['cpu_median_s']:5.2f} s {row['cpu_ratio_median']:5.2f}×   {note}"
        )
    report = {
        "rounds": rounds,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "target_ratio": TARGET_RATIO,
        "baseline": BASELINE,
        "figures": figures,
        "wall_s": {name: [round(s[0], 3) for s in ss] for name, ss in samples.items()},
        "cpu_s": {name: [round(s[1], 3) for s in ss] for name, ss in samples.items()},
    }
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"  (written to {REPORT.relative_to(REPO_ROOT)})")
    return report


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
