"""The ceiling of the HTTP stack: a bare ASGI app answering every request with one fixed JSON body,
served by uvicorn as `python -m reference_server` serves (httptools and uvloop when installed).

`python -m benchmarks.bare_asgi --port N --body FILE`: what the reference server would reach if
authenticating, validating, reading the trade and rendering it cost nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import uvicorn

from reference_server.__main__ import fast_stack


def app_for(body: bytes) -> Any:
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [
            (b"content-length", str(len(body)).encode("ascii")),
            (b"content-type", b"application/json"),
        ],
    }
    answer = {"type": "http.response.body", "body": body}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send(start)
        await send(answer)

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bare_asgi")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", type=Path, required=True)
    args = parser.parse_args(argv)
    app = app_for(args.body.read_bytes())
    uvicorn.run(
        app, host=args.host, port=args.port, log_level="warning", lifespan="off", **fast_stack()
    )


if __name__ == "__main__":
    main()
