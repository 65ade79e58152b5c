"""`make fuzz`: the schemathesis CLI against the reference server over real HTTP, JUnit report.

Starts the server (demo user, rate limits off) on a free loopback port in this process, then runs
`schemathesis run` in a subprocess with the shared config (tests/fuzz/schemathesis.toml) and the
demo-user hooks (reference_server.fuzz_hooks), writing reports/fuzz-junit.xml.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .app import create_app
from .testing import ServerThread
from .threecommas.api import PREFIX

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference_server.fuzz_cli")
    parser.add_argument("--spec", type=Path, default=ROOT / "openapi" / "3commas.yaml")
    parser.add_argument(
        "--config", type=Path, default=ROOT / "tests" / "fuzz" / "schemathesis.toml"
    )
    parser.add_argument("--junit", type=Path, default=ROOT / "reports" / "fuzz-junit.xml")
    parser.add_argument(
        "--max-examples", type=int, default=None, help="override the config's count"
    )
    args, extra = parser.parse_known_args(argv)
    args.junit.parent.mkdir(parents=True, exist_ok=True)
    with ServerThread(create_app(spec_path=args.spec, rate_limit=False)) as server:
        url = server.base_url + PREFIX
        print(f"fuzzing {url} (schemathesis CLI, report {args.junit})", flush=True)
        command = [
            str(Path(sys.executable).with_name("schemathesis")),
            "--config-file",
            str(args.config),
            "run",
            str(args.spec),
            "--url",
            url,
            "--report",
            "junit",
            "--report-junit-path",
            str(args.junit),
            "--workers",
            "1",  # one worker: stateful sequences see each other's trades in order
            *(["--max-examples", str(args.max_examples)] if args.max_examples else []),
            *extra,
        ]
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "reference_server.fuzz_hooks"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
