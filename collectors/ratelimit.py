"""One request rate per platform credential, shared by every process that uses it.

Airflow runs several collection tasks of a platform at once (its pool's slots), each in its own
process; a limiter inside one process would let the platform see slots × the configured rate.
:class:`SharedRateLimiter` keeps the next free request slot of each key in a small SQLite file
(WAL): every request reserves the next slot atomically (``BEGIN IMMEDIATE``) and sleeps until it,
so all processes on that file together send at most ``rate`` requests per second per key. A 429
pushes the key's next slot back by the wait the platform asked for (:meth:`hold`), so the other
processes pause too instead of running into the same 429.

A key is the platform plus a hash of its credential (:func:`limit_key`): the credential itself
is never written. Times are wall-clock seconds, the one clock every process shares; when the
clock goes back, the stored slot is dropped rather than waited for.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

# A row written more than this many seconds ahead of the clock means the clock went back.
CLOCK_SKEW_TOLERANCE = 5.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS slots (
    key TEXT PRIMARY KEY,
    next_at REAL NOT NULL,   -- the earliest moment the next request of this key may start
    written_at REAL NOT NULL -- the clock when next_at was written
)
"""


def limit_key(platform: str, credential: str | None) -> str:
    """``platform:hash``: the requests made with one credential share one budget (those without
    a credential share the platform's). The credential itself is never stored."""
    digest = hashlib.sha256((credential or "").encode()).hexdigest()
    return f"{platform}:{digest[:32]}"


class SharedRateLimiter:
    """At most ``rate`` requests per second for ``key`` across every thread and process using
    the SQLite file at ``path`` (created on first use). A ``rate`` of 0 or less: no limit."""

    def __init__(
        self,
        path: Path,
        key: str,
        rate: float,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        busy_timeout: float = 60.0,
    ) -> None:
        self.path = Path(path)
        self.key = key
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._busy_timeout = busy_timeout
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._closer: weakref.finalize | None = None

    def acquire(self) -> None:
        """Reserve the key's next free slot and sleep until it."""
        if not self.interval:
            return

        def reserve(next_at: float, now: float) -> tuple[float, float]:
            start = max(now, next_at)
            return start + self.interval, start - now

        wait = self._update(reserve)
        if wait > 0:
            self._sleep(wait)

    def hold(self, seconds: float) -> None:
        """Start no request of this key, in any process, for ``seconds`` from now (the platform
        asked us to wait)."""
        if seconds <= 0:
            return

        def push(next_at: float, now: float) -> tuple[float, float]:
            return max(next_at, now + seconds), 0.0

        self._update(push)

    def close(self) -> None:
        if self._closer is not None:
            self._closer()
            self._closer = None
            self._conn = None

    def _update(self, change: Callable[[float, float], tuple[float, float]]) -> float:
        """Run ``change(next_at, now) -> (new next_at, result)`` on the key's row in one write
        transaction, so no other process reads or writes the row in between."""
        with self._lock:
            conn = self._connect()
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(
                    "SELECT next_at, written_at FROM slots WHERE key = ?", (self.key,)
                ).fetchone()
                now = self._clock()
                next_at = 0.0
                if row is not None and row[1] <= now + CLOCK_SKEW_TOLERANCE:
                    next_at = float(row[0])
                new_next, result = change(next_at, now)
                conn.execute(
                    "INSERT INTO slots (key, next_at, written_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET"
                    " next_at = excluded.next_at, written_at = excluded.written_at",
                    (self.key, new_next, now),
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout,
                isolation_level=None,  # transactions are explicit
                check_same_thread=False,  # guarded by self._lock
            )
            try:
                self._use_wal(conn)
                conn.execute("PRAGMA synchronous=NORMAL")  # a lost slot after a crash is harmless
                conn.execute(_SCHEMA)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
            self._closer = weakref.finalize(self, conn.close)
        return self._conn

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Switch a new file to WAL. Processes starting together on a new file may find it
        locked by the one switching it, without SQLite waiting for them: they retry."""
        deadline = time.monotonic() + self._busy_timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
