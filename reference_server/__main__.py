"""`python -m reference_server --host 127.0.0.1 --port 8080 [--users users.yaml] [--no-rate-limit]
[--lenient]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import uvicorn

from .app import PREFIX, create_app
from .spec_validation import DEFAULT_SPEC
from .users import DEMO_API_KEY, DEMO_SECRET, UsersFileError, demo_users, load_users


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reference_server",
        description="A stateful offline 3Commas SmartTrade v2 API for tests.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--users", type=Path, help="YAML users file (default: the demo user)")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI spec to serve")
    parser.add_argument(
        "--no-rate-limit", action="store_true", help="turn the documented rate limits off (fuzzing)"
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="ignore body keys the spec does not declare, as the live API does "
        "(default: strict, 422 naming the key)",
    )
    args = parser.parse_args(argv)
    try:
        users = load_users(args.users) if args.users else demo_users()
    except UsersFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    app = create_app(
        users=users, spec_path=args.spec, rate_limit=not args.no_rate_limit, lenient=args.lenient
    )
    print(f"3Commas reference server on http://{args.host}:{args.port}{PREFIX}")
    print(f"price control: POST http://{args.host}:{args.port}/_reference/prices")
    if args.users:
        # Secrets from a users file stay out of the output; the demo ones are published.
        for user in users:
            accounts = ", ".join(f"{a.id} ({a.type})" for a in user.accounts)
            print(f"user APIKEY={user.api_key} accounts: {accounts}")
    else:
        print(f"demo user APIKEY={DEMO_API_KEY}")
        print(f"demo user HMAC secret={DEMO_SECRET}")
        print("demo user RSA: the public 3Commas docs test key (tests/fixtures)")
        print(", ".join(f"account {a.id} ({a.type})" for a in users[0].accounts))
    print(f"rate limits: {'off' if args.no_rate_limit else 'on (100/min, then 429, then 418)'}")
    print(f"undeclared body keys: {'ignored (--lenient)' if args.lenient else 'refused (422)'}")
    sys.stdout.flush()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
