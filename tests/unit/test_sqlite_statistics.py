"""The embedded store keeps its planner statistics in step with the queue's size."""

from __future__ import annotations

from pathlib import Path

from factories import flag, post

from netra.store.sqlite import SqliteStore
from netra.store.sqlite.migrations import refresh_statistics


def test_statistics_follow_the_queue(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")
    conn = store.db.get()
    assert refresh_statistics(conn) is False  # too small to matter
    posts = [post(str(i), f"teks {i}") for i in range(1200)]
    store.upsert_posts(posts)
    store.upsert_flags([flag(p) for p in posts])
    store.close()
    reopened = SqliteStore(tmp_path / "s.db")  # opening notices the growth and analyses
    stat = reopened.db.get().execute("SELECT stat FROM sqlite_stat1 WHERE tbl='flags'").fetchone()
    assert stat is not None and int(stat[0].split()[0]) == 1200
    assert refresh_statistics(reopened.db.get()) is False  # current: nothing to do
    reopened.close()
