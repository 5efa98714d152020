"""A simulated national day on one 2-core machine with the embedded store: collect (fake platform
server in its own process, 127.0.0.1) → score → flag, timed per stage.

A national day: about 4.3 million ASN, a third of them active, about 1.3 million posts. Only
active accounts are registered here (the others cost collection nothing). ``--scale`` runs a
fraction of the day (default 5 %) and projects each stage linearly to the whole day: collection
by accounts (its cost is requests per account), scoring by posts; neither slows with volume on
this store (bench/README: Core, Collectors).
Collection goes through the same batches the hourly DAG maps (plan_batches → collect_batch).
Scoring runs with the embedding cache off, as if every post were new text.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _common import ROOT, WORK, peak_rss_mb, report, timed
from collect import fake_server, registry_file

from netra.domain.settings import Settings
from netra.pipeline import API_PLATFORMS, collect_batch, plan_batches, score_and_flag
from netra.registry import import_registry
from netra.scoring import build_scorer
from netra.store.sqlite import SqliteStore

DAY_POSTS = 1_300_000
DAY_ACTIVE_ACCOUNTS = 4_300_000 // 3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.05, help="share of the national day")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    accounts = round(DAY_ACTIVE_ACCOUNTS * args.scale)
    registry = registry_file(accounts)
    db = WORK / "national-day.db"
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    store = SqliteStore(db)
    import_registry(store, Path(registry))
    # About one post per active account in the day (0.9 on average nationally).
    with fake_server(registry, posts_per_account=1, days=1) as (url, health):
        settings = Settings(
            db_path=db,
            platform_url=url,
            http_requests_per_second=100_000,
            model_dir=ROOT / "var" / "models",
            data_dir=ROOT / "data",
        )
        cpu_before = time.process_time()
        with timed() as collecting:
            batches = [
                batch
                for platform in API_PLATFORMS
                for batch in plan_batches(store, platform, 200, 1024)
            ]
            failed = 0
            for batch in batches:
                failed += collect_batch(store, settings, batch).accounts_failed
        collect_cpu = time.process_time() - cpu_before
    posts = store.summary().posts
    scorer = build_scorer(settings, announce=print)
    scorer.encoder._cache_size = 0  # every post is encoded: no help from repeated texts
    with timed() as scoring:
        scored = score_and_flag(store, scorer, batch_size=1024, audit_rate=0.01)
    store.close()
    stages = {"collect": collecting(), "score_and_flag": scoring()}
    # Collection costs per account (requests), scoring per post.
    projected = {
        "collect": stages["collect"] * DAY_ACTIVE_ACCOUNTS / accounts / 60,
        "score_and_flag": stages["score_and_flag"] * DAY_POSTS / posts / 60,
    }
    report(
        "national_day",
        scale=args.scale,
        accounts=accounts,
        batches=len(batches),
        accounts_failed=failed,
        server_posts=health["posts"],
        posts=posts,
        flagged=scored.flagged,
        audit_items=scored.audited,
        collect_s=round(stages["collect"], 1),
        collect_posts_per_s=round(posts / stages["collect"]),
        collect_accounts_per_s=round(accounts / stages["collect"]),
        collect_client_cpu_s=round(collect_cpu, 1),
        score_and_flag_s=round(stages["score_and_flag"], 1),
        score_posts_per_s=round(posts / stages["score_and_flag"]),
        projected_day_minutes={k: round(v, 1) for k, v in projected.items()}
        | {"total": round(sum(projected.values()), 1)},
        peak_rss_mb=round(peak_rss_mb()),
    )


if __name__ == "__main__":
    main()
