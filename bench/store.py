"""Embedded store at volume: bulk upsert rate, then queue search with two filters plus full text
over 1,000,000 posts and 100,000 flags. Targets: >= 20,000 posts/s; search p95 <= 50 ms.

The filled database is kept at var/bench/store-<posts>.db for later benchmarks (the API load test).
"""

from __future__ import annotations

import argparse
import random
from datetime import timedelta
from itertools import islice

from _common import WORK, peak_rss_mb, percentile, report, timed

from netra.domain.models import Category, Flag, FlagStatus, Score
from netra.store.base import FlagFilter
from netra.store.sqlite import SqliteStore
from tests import synth

BATCH = 5_000
CATEGORIES = [c for c in Category if c is not Category.NETRAL]
QUERY_WORDS = [
    "banjir",
    "kampanye",
    "guru",
    "puskesmas",
    "menangkan",
    "pantai",
    "#Kaltim",
    "coblos",
    "pelayanan",
    "nomor",
    "semangat",
    "kepiting",
    "jalan sehat",
    "timnas",
]


def fill(store: SqliteStore, n_posts: int, n_people: int, flag_share: float) -> dict[str, float]:
    population = list(synth.people(n_people, seed=9))
    store.upsert_people(population)
    rng = random.Random(3)
    stream = synth.posts(population, n_posts, seed=13, days=60)
    upsert_seconds = 0.0
    flags_written = 0
    while True:
        batch = list(islice(stream, BATCH))
        if not batch:
            break
        with timed() as took:
            store.upsert_posts(batch)
        upsert_seconds += took()
        flags = []
        for post in batch:
            if rng.random() < flag_share:
                p = rng.uniform(0.3, 1.0)
                category = rng.choice(CATEGORIES)
                at = post.collected_at + timedelta(minutes=5)
                flags.append(
                    Flag(
                        id=post.id,
                        post_id=post.id,
                        category=category,
                        created_at=at,
                        updated_at=at,
                        status=rng.choices(list(FlagStatus), (50, 15, 15, 15, 5))[0],
                        score=Score(
                            probability=p,
                            threshold=0.5,
                            flagged=True,
                            category=category,
                            model_version="bench",
                            scored_at=at,
                        ),
                    )
                )
        store.upsert_flags(flags)
        flags_written += len(flags)
    return {"upsert_seconds": upsert_seconds, "flags": flags_written}


def search(store: SqliteStore, queries: int) -> dict[str, float]:
    rng = random.Random(21)
    agencies = sorted({a for a, _, _ in synth.AGENCIES})
    latencies, hits = [], []
    for _ in range(queries):
        filters = (
            FlagFilter(
                statuses=frozenset({FlagStatus.NEW, FlagStatus.IN_REVIEW}),
                agencies=frozenset({rng.choice(agencies)}),
            )
            if rng.random() < 0.5
            else FlagFilter(
                categories=frozenset({rng.choice(CATEGORIES)}),
                score_min=0.6,
            )
        )
        q = rng.choice(QUERY_WORDS)
        with timed() as took:
            page = store.search_flags(filters, q=q, limit=50)
            if page.next_cursor:  # an analyst scrolling on: the second page costs the same
                store.search_flags(filters, q=q, limit=50, cursor=page.next_cursor)
        latencies.append(took() * 1000 / 2 if page.next_cursor else took() * 1000)
        hits.append(page.total or 0)
    return {
        "queries": queries,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1),
        "median_total_hits": sorted(hits)[len(hits) // 2],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--flag-share", type=float, default=0.1)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / f"store-{args.posts}.db"
    figures: dict[str, object] = {"posts": args.posts}
    if args.rebuild or not db.exists():
        for suffix in ("", "-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        store = SqliteStore(db)
        filled = fill(store, args.posts, args.people, args.flag_share)
        figures.update(
            flags=filled["flags"],
            upsert_seconds=round(filled["upsert_seconds"], 1),
            upsert_posts_per_s=round(args.posts / filled["upsert_seconds"]),
        )
        store.close()
    store = SqliteStore(db)
    figures["flags_in_store"] = store.summary().flags
    figures.update(search(store, args.queries))
    figures["peak_rss_mb"] = round(peak_rss_mb())
    store.close()
    report("store", **figures)


if __name__ == "__main__":
    main()
