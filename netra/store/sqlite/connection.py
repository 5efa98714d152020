"""Connections to the embedded database: one per thread, WAL, explicit write transactions."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from netra.store import cursors
from netra.store.sqlite.migrations import migrate, refresh_statistics

BUSY_TIMEOUT_MS = 30_000


def to_us(value: datetime | None) -> int | None:
    """UTC microseconds since the epoch: sortable, compact, zone-free."""
    if value is None:
        return None
    return int(value.astimezone(UTC).timestamp() * 1_000_000)


def from_us(value: int | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromtimestamp(value / 1_000_000, tz=UTC)


def encode_position(kind: str, rowid: int) -> str:
    """An opaque cursor for a position in a table read in rowid order."""
    return cursors.encode(kind, rowid)


def decode_position(kind: str, cursor: str | None) -> int:
    """The rowid an ``encode_position`` cursor of ``kind`` stands for (0 for None); ValueError
    for anything else."""
    if cursor is None:
        return 0
    rowid = cursors.decode(kind, cursor)
    if type(rowid) is not int or not 0 <= rowid < 2**63:
        raise cursors.not_ours(kind)
    return rowid


class Connections:
    """Hands each thread its own connection (sqlite3 connections are not shared across threads).
    Many processes may read while one writes: WAL, a generous busy timeout, and writes that take
    the lock up front with ``BEGIN IMMEDIATE`` so they never deadlock on upgrade."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.schema_version = migrate(self.get())
        refresh_statistics(self.get())

    def get(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA cache_size=-131072")  # 128 MB for dirty and hot pages
            # Reads go through one shared memory map, not a private cache per thread.
            conn.execute("PRAGMA mmap_size=4294967296")
            conn.execute("PRAGMA temp_store=MEMORY")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it (also on KeyboardInterrupt)."""
        conn = self.get()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot across several SELECTs."""
        conn = self.get()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                # Keeps planner statistics current as the tables grow (cheap when nothing changed).
                try:
                    conn.execute("PRAGMA optimize")
                except sqlite3.Error:
                    pass
                conn.close()
            self._all.clear()
        self._local = threading.local()
