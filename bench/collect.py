"""Collection from the fake platform server (its own process, 127.0.0.1): posts/s and the
collector's peak memory at growing volumes. Target: >= 1,000 posts/s; memory flat as volume
grows (pages are stored as they arrive, nothing accumulates)."""

from __future__ import annotations

import argparse
import random
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from _common import ROOT, WORK, peak_rss_mb, report, timed

from netra.domain.settings import Settings
from netra.pipeline import API_PLATFORMS, collect
from netra.registry import import_registry, write_csv
from netra.store.sqlite import SqliteStore
from tests import synth


def registry_file(accounts: int) -> str:
    """People with one account each, all on platforms with an API."""
    path = WORK / f"collect-registry-{accounts}.csv"
    chosen = []
    for person in synth.people(accounts * 3, seed=31, accounts_per_person=(1, 1)):
        if person.accounts[0].platform in API_PLATFORMS:
            chosen.append(person)
        if len(chosen) == accounts:
            break
    with path.open("w", newline="", encoding="utf-8") as out:
        write_csv(chosen, out, account_groups=1)
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def fake_server(registry: str, posts_per_account: int, days: int) -> Iterator[tuple[str, dict]]:
    """`netra fake-platforms` in its own process for ``registry``: its URL and health."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "netra.cli",
            "fake-platforms",
            "--port",
            str(port),
            "--registry",
            registry,
            "--posts-per-account",
            str(posts_per_account),
            "--days",
            str(days),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(6000):
            try:
                health = httpx.get(f"{url}/_fake/health").json()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url, health
    finally:
        server.terminate()
        server.wait()


def run(posts_per_account: int, accounts: int) -> dict[str, float]:
    registry = registry_file(accounts)
    with fake_server(registry, posts_per_account, days=25) as (url, health):
        db = WORK / f"collect-{posts_per_account}.db"
        for suffix in ("", "-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        store = SqliteStore(db)
        import_registry(store, Path(registry))
        settings = Settings(db_path=db, platform_url=url, http_requests_per_second=100_000)
        with timed() as took:
            summary = collect(store, settings)
        posts = store.summary().posts
        store.close()
        # Untimed second pass into a fresh store: the Python heap's peak while collecting.
        # (RSS also holds SQLite's page cache, which grows with the file up to its 64 MB cap.)
        fresh = SqliteStore(db.with_name(db.stem + "-heap.db"))
        import_registry(fresh, Path(registry))
        tracemalloc.start()
        collect(fresh, settings.model_copy(update={"db_path": fresh.db.path}))
        heap_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        fresh.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(fresh.db.path) + suffix).unlink(missing_ok=True)
        return {
            "server_posts": health["posts"],
            "collected": posts,
            "seconds": round(took(), 2),
            "posts_per_s": round(posts / took()),
            "requests": summary.requests,
            "python_heap_peak_mb": round(heap_peak / 2**20, 1),
            "peak_rss_mb": round(peak_rss_mb()),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=500)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    random.seed(1)
    # Growing volume in one process: peak RSS is monotone, so flat figures mean flat memory.
    for per_account in (10, 40, 80):
        report(
            "collect",
            accounts=args.accounts,
            posts_per_account=per_account,
            **run(per_account, args.accounts),
        )


if __name__ == "__main__":
    main()
