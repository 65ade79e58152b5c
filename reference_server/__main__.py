"""`python -m reference_server --host 127.0.0.1 --port 8080 [--users users.yaml] [--no-rate-limit]
[--lenient]`: every API of `apis.APIS` on one server, each at its own path prefix."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

import uvicorn

from .apis import APIS
from .app import create_app, load_users_file, spec_versions
from .users_file import UsersFileError


def fast_stack() -> dict[str, Any]:
    """uvicorn's C HTTP parser and event loop (httptools, uvloop) when installed; without them,
    uvicorn's pure-Python defaults (h11, asyncio), which serve the same answers more slowly."""
    options: dict[str, Any] = {}
    if importlib.util.find_spec("httptools") is not None:
        options["http"] = "httptools"
    if importlib.util.find_spec("uvloop") is not None:
        options["loop"] = "uvloop"
    return options


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reference_server",
        description="Stateful offline smart-trading APIs for tests: "
        + ", ".join(f"{api.name} at {api.prefix or '/'}" for api in APIS),
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--users", type=Path, help="YAML users file (default: the demo users)")
    parser.add_argument(
        "--spec", type=Path, default=None, help=f"serve another spec for {APIS[0].name}"
    )
    parser.add_argument(
        "--no-rate-limit", action="store_true", help="turn the documented rate limits off (fuzzing)"
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="ignore body keys the spec does not declare, as the live APIs do "
        "(default: strict, an error naming the key)",
    )
    args = parser.parse_args(argv)
    try:
        users = load_users_file(args.users) if args.users else None
    except UsersFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    app = create_app(
        users_by_api=users,
        spec_path=args.spec,
        rate_limit=not args.no_rate_limit,
        lenient=args.lenient,
    )
    base = f"http://{args.host}:{args.port}"
    for name, version in spec_versions(app).items():
        prefix = next(api.prefix for api in APIS if api.name == name)
        print(f"{name} reference API (spec {version}) on {base}{prefix or '/'}")
    print(f"price control: POST {base}/_reference/prices; reset: POST {base}/_reference/reset")
    if users is not None:
        # Secrets from a users file stay out of the output; the demo ones are published.
        for name, listed in users.items():
            keys = listed.keys() if isinstance(listed, dict) else [u.api_key for u in listed]
            print(f"{name} users: {', '.join(keys) or 'none'}")
    else:
        for api in APIS:
            for line in api.describe_demo_users():
                print(f"{api.name} {line}")
    print(f"rate limits: {'off' if args.no_rate_limit else 'on (each operation x-rate-limit)'}")
    print(f"undeclared body keys: {'ignored (--lenient)' if args.lenient else 'refused'}")
    sys.stdout.flush()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", **fast_stack())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
