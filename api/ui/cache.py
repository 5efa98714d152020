"""Short-lived answers kept by one API process: what the filter forms offer (every agency and
region in the queue: a scan of all flags) and the order of a filtered view (for an item's
previous and next links). Both are conveniences, never the record: a decision made through
this process drops the views at once, and everything else ages out within seconds."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class TtlCache:
    def __init__(self, seconds: float, max_entries: int = 256) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
        value = compute()  # outside the lock: a slow store query must not hold up other pages
        with self._lock:
            self._entries[key] = (now + self.seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class UiCaches:
    """One per app (``app.state.ui_caches``)."""

    def __init__(self) -> None:
        self.choices = TtlCache(seconds=300, max_entries=16)
        self.views = TtlCache(seconds=20, max_entries=256)

    def decided(self) -> None:
        """A decision changes which items a view holds."""
        self.views.clear()
