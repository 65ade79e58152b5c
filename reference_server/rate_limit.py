"""The documented general limit: 100 requests a minute, then 429 and a 300 s block answered with 418.

One `RateLimiter` class serves two tables: requests per verified user (counted only after the
signature checks out, so nobody can spend another user's budget) and failed authentications per
client address. Either table holds at most `max_entries` keys: past that, keys with nothing left to
remember (no hit inside the window, no block running) go first, then the least recently seen.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .limits import MAX_LIMITER_ENTRIES, RATE_BLOCK_SECONDS, RATE_LIMIT, RATE_WINDOW_SECONDS

Clock = Callable[[], float]


@dataclass
class _Bucket:
    hits: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0


class RateLimiter:
    def __init__(
        self,
        limit: int = RATE_LIMIT,
        window: float = RATE_WINDOW_SECONDS,
        block: float = RATE_BLOCK_SECONDS,
        clock: Clock = time.monotonic,
        enabled: bool = True,
        max_entries: int = MAX_LIMITER_ENTRIES,
    ) -> None:
        self.limit = limit
        self.window = window
        self.block = block
        self.clock = clock
        self.enabled = enabled
        self.max_entries = max_entries
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def size(self) -> int:
        """Keys held now (at most `max_entries`)."""
        with self._lock:
            return len(self._buckets)

    def _idle(self, bucket: _Bucket, now: float) -> bool:
        return now >= bucket.blocked_until and (
            not bucket.hits or bucket.hits[-1] <= now - self.window
        )

    def _bucket(self, key: str, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is not None:
            self._buckets.move_to_end(key)
            return bucket
        if len(self._buckets) >= self.max_entries:
            for stale in [k for k, b in self._buckets.items() if self._idle(b, now)]:
                del self._buckets[stale]
            # Make room for a tenth more at once, so a flood of new keys sweeps once per tenth.
            room = max(1, self.max_entries // 10)
            while self._buckets and len(self._buckets) > self.max_entries - room:
                self._buckets.popitem(last=False)
        bucket = self._buckets[key] = _Bucket()
        return bucket

    def blocked(self, key: str) -> int | None:
        """429 while `key` serves a block, else None; counts nothing and stores nothing."""
        if not self.enabled:
            return None
        with self._lock:
            bucket = self._buckets.get(key)
            return 429 if bucket is not None and self.clock() < bucket.blocked_until else None

    def check(self, key: str) -> int | None:
        """Count one hit: None when the request may go on, else the status to answer (429 or 418)."""
        if not self.enabled:
            return None
        now = self.clock()
        with self._lock:
            bucket = self._bucket(key, now)
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
