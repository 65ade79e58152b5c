"""Open a page in headless Chromium over the DevTools protocol (--remote-debugging-pipe, stdlib only).

What the page logged (console errors and warnings, uncaught exceptions, browser log errors), every
request it made and the result of a script evaluated once it has rendered.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--mute-audio",
    # Nothing resolves: a page that tries the network fails loudly instead of depending on it.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class PageReport:
    result: Any = None
    errors: list[str] = field(
        default_factory=list
    )  # console error/warning/assert, exceptions, log errors
    requests: list[str] = field(default_factory=list)  # every URL the page asked for


class _Pipe:
    def __init__(self, proc: subprocess.Popen[bytes], write_fd: int, read_fd: int) -> None:
        self.proc, self.write_fd, self.read_fd = proc, write_fd, read_fd
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 20.0,
    ) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            for reply in self.read(deadline):
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return dict(reply.get("result", {}))
                self.events.append(reply)

    def read(self, deadline: float) -> list[dict[str, Any]]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("Chromium did not answer in time")
        ready, _, _ = select.select([self.read_fd], [], [], remaining)
        if not ready:
            return []
        chunk = os.read(self.read_fd, 1 << 20)
        if not chunk:
            raise RuntimeError("Chromium closed the DevTools pipe")
        self.buffer += chunk
        *messages, self.buffer = self.buffer.split(b"\0")
        return [json.loads(m) for m in messages if m]


def _describe(event: dict[str, Any]) -> str | None:
    method, params = event.get("method"), event.get("params", {})
    if method == "Runtime.consoleAPICalled" and params.get("type") in (
        "error",
        "warning",
        "assert",
    ):
        args = " ".join(
            str(a.get("value", a.get("description", ""))) for a in params.get("args", [])
        )
        return f"console.{params['type']}: {args}"
    if method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails", {})
        return f"uncaught: {details.get('exception', {}).get('description') or details.get('text')}"
    if method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
        entry = params["entry"]
        return f"log {entry['level']}: {entry.get('text')} {entry.get('url', '')}".strip()
    return None


def open_page(url: str, expression: str, ready: str, timeout: float = 30.0) -> PageReport:
    """Load url, wait until the JavaScript `ready` is true, then evaluate `expression` (JSON-able)."""
    chromium = chromium_path()
    if chromium is None:
        raise FileNotFoundError("chromium")
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()
    profile = tempfile.mkdtemp(prefix="docs-chromium-")

    def wire() -> None:  # Chromium reads commands on fd 3 and writes replies on fd 4.
        # Via fresh copies: a pipe end may already be fd 3 or 4, and dup2 onto itself keeps CLOEXEC.
        reader, writer = os.dup(to_browser_r), os.dup(from_browser_w)
        os.dup2(reader, 3)
        os.dup2(writer, 4)

    proc = subprocess.Popen(
        [chromium, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=False,  # pass_fds would close fds 3 and 4 after wire() made them
        preexec_fn=wire,  # noqa: PLW1509 - dup2 only, no locks taken
    )
    os.close(to_browser_r)
    os.close(from_browser_w)
    pipe = _Pipe(proc, to_browser_w, from_browser_r)
    report = PageReport()
    try:
        targets = pipe.send("Target.getTargets")["targetInfos"]
        page = next(t["targetId"] for t in targets if t["type"] == "page")
        session = pipe.send("Target.attachToTarget", {"targetId": page, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Runtime", "Log", "Network", "Page"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.send("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + timeout
        while True:
            state = pipe.send(
                "Runtime.evaluate",
                {"expression": f"Boolean({ready})", "returnByValue": True},
                session=session,
            )
            if state.get("result", {}).get("value") is True:
                break
            if time.monotonic() > deadline:
                report.errors.append(f"not ready after {timeout:.0f} s: {ready}")
                break
            time.sleep(0.2)
        value = pipe.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session
        )
        if "exceptionDetails" in value:
            report.errors.append(f"the check script failed: {value['exceptionDetails']}")
        report.result = value.get("result", {}).get("value")
        time.sleep(0.3)  # late console messages and requests
        try:
            pipe.send("Runtime.evaluate", {"expression": "0"}, session=session, timeout=5)
        except TimeoutError:
            pass
    finally:
        try:
            pipe.send("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001, S110 - it is killed below if it does not close
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(to_browser_w)
        os.close(from_browser_r)
        shutil.rmtree(profile, ignore_errors=True)
    for event in pipe.events:
        if event.get("method") == "Network.requestWillBeSent":
            report.requests.append(event["params"]["request"]["url"])
        described = _describe(event)
        if described:
            report.errors.append(described)
    return report
