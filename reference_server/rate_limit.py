"""The documented general limit: 100 requests a minute, then 429 and a 300 s block answered with 418."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]


@dataclass
class _Bucket:
    hits: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0


class RateLimiter:
    def __init__(
        self,
        limit: int = 100,
        window: float = 60.0,
        block: float = 300.0,
        clock: Clock = time.monotonic,
        enabled: bool = True,
    ) -> None:
        self.limit = limit
        self.window = window
        self.block = block
        self.clock = clock
        self.enabled = enabled
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> int | None:
        """None when the request may go on, else the status to answer (429 or 418)."""
        if not self.enabled:
            return None
        now = self.clock()
        with self._lock:
            bucket = self._buckets.setdefault(key, _Bucket())
            if now < bucket.blocked_until:
                # Going on after a 429 earns 418 (the real API's IP ban).
                return 418
            while bucket.hits and bucket.hits[0] <= now - self.window:
                bucket.hits.popleft()
            if len(bucket.hits) >= self.limit:
                bucket.blocked_until = now + self.block
                bucket.hits.clear()
                return 429
            bucket.hits.append(now)
            return None
