"""The wall time of `make test`, recorded by the Makefile around its steps and printed by `make bench`.

`python -m benchmarks.test_run_time start` before the first step, `... finish` after the last one
(only a run whose steps all passed is recorded): reports/make-test.json gets the seconds, the number
of cores and the date. Not a test: nothing is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
STARTED = REPO_ROOT / ".cache" / "make-test-started"
REPORT = REPO_ROOT / "reports" / "make-test.json"
TARGET_SECONDS = 120.0


def start() -> None:
    STARTED.parent.mkdir(parents=True, exist_ok=True)
    STARTED.write_text(repr(time.time()), encoding="utf-8")


def finish() -> None:
    try:
        began = float(STARTED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    STARTED.unlink(missing_ok=True)
    record = {
        "seconds": round(time.time() - began, 1),
        "cores": os.cpu_count(),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"make test: {record['seconds']} s on {record['cores']} cores -> {REPORT.relative_to(REPO_ROOT)}")


def figures(path: Path = REPORT) -> None:
    """Print the last recorded `make test` beside its target; without a record (a fresh clone),
    run `make test` first to make one (`BENCH_MAKE_TEST=0`: don't)."""
    print("`make test` (last run on this machine)")
    if not path.exists() and os.environ.get("BENCH_MAKE_TEST", "1") != "0":
        print("  no record yet: running `make test` (about 2 minutes)")
        subprocess.run(["make", "--no-print-directory", "test"], cwd=REPO_ROOT, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not path.exists():
        print(f"  no {path.relative_to(REPO_ROOT)}: `make test` did not pass here")
        return
    record = json.loads(path.read_text(encoding="utf-8"))
    ratio = record["seconds"] / TARGET_SECONDS
    print(
        f"  {'wall time':34} {record['seconds']:8.1f} s   target ≤ {TARGET_SECONDS:.0f} s "
        f"({ratio:.2f}× the target; {record['cores']} cores, {record['finished']})"
    )


if __name__ == "__main__":
    {"start": start, "finish": finish, "print": figures}[sys.argv[1]]()
