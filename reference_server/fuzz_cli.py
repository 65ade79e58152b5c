"""`make fuzz`: the schemathesis CLI against the reference server over real HTTP, one JUnit report
per API.

Starts the server (demo users, rate limits off) on a free loopback port in this process, then for
each served API with a fuzz profile (reference_server/fuzzing.py) runs `schemathesis run` on its
spec at its prefix in a subprocess, with the shared config (tests/fuzz/schemathesis.toml) and the
hooks (reference_server.fuzz_hooks, which sign as each API's demo user), writing
reports/fuzz-junit-<api>.xml. `--api NAME` (repeatable) runs only those APIs. The exit status is the
first failing run's, else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .app import create_app
from .fuzzing import profiles
from .testing import ServerThread

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference_server.fuzz_cli")
    names = [profile.name for profile in profiles()]
    parser.add_argument("--api", action="append", choices=names, help="only this API (repeatable)")
    parser.add_argument(
        "--config", type=Path, default=ROOT / "tests" / "fuzz" / "schemathesis.toml"
    )
    parser.add_argument(
        "--junit-dir", type=Path, default=ROOT / "reports", help="fuzz-junit-<api>.xml go here"
    )
    parser.add_argument(
        "--max-examples", type=int, default=None, help="override the config's count"
    )
    args, extra = parser.parse_known_args(argv)
    args.junit_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "reference_server.fuzz_hooks"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    status = 0
    with ServerThread(create_app(rate_limit=False)) as server, tempfile.TemporaryDirectory() as tmp:
        for profile in profiles():
            if args.api and profile.name not in args.api:
                continue
            url = server.base_url + profile.api.prefix
            junit = args.junit_dir / f"fuzz-junit-{profile.name}.xml"
            print(f"fuzzing {profile.name} at {url} (schemathesis CLI, report {junit})", flush=True)
            spec = profile.api.spec_path
            if profile.generation_overrides:
                # The spec with the schemas the profile gives Schemathesis in a form it can generate.
                spec = Path(tmp) / f"{profile.name}-generation.json"
                spec.write_text(json.dumps(profile.generation_spec(), default=str), encoding="utf-8")
            command = [
                str(Path(sys.executable).with_name("schemathesis")),
                "--config-file",
                str(args.config),
                "run",
                str(spec),
                "--url",
                url,
                "--report",
                "junit",
                "--report-junit-path",
                str(junit),
                "--workers",
                "1",  # one worker: stateful sequences see each other's orders in order
                *(["--max-examples", str(args.max_examples)] if args.max_examples else []),
                *extra,
            ]
            code = subprocess.run(command, env=env, cwd=ROOT, check=False).returncode
            status = status or code
    return status


if __name__ == "__main__":
    raise SystemExit(main())
