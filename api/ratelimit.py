"""Events per client address in a sliding window (failed authentications, public reports):
past the limit a client waits."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_CLIENTS = 10_000  # beyond this the clients with the oldest events are forgotten first


class ClientWindowLimiter:
    """Counts events per client address; ``retry_after`` says how long a client that reached
    ``limit`` events within ``window`` seconds must wait (``None``: it may go on now). In-process:
    each server worker counts on its own."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float] | None:
        times = self._events.get(client)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._events[client]
            return None
        return times

    def retry_after(self, client: str) -> int | None:
        with self._lock:
            now = self.clock()
            times = self._recent(client, now)
            if times is None or len(times) < self.limit:
                return None
            return max(1, math.ceil(times[-self.limit] + self.window - now))

    def record(self, client: str) -> None:
        with self._lock:
            now = self.clock()
            times = self._recent(client, now)
            if times is None:
                if len(self._events) >= MAX_CLIENTS:
                    oldest = min(self._events, key=lambda c: self._events[c][-1])
                    del self._events[oldest]
                times = self._events[client] = deque(maxlen=self.limit)
            times.append(now)
