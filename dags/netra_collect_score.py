"""Hourly: collect new public posts of every registered account, then score them and queue the
suspected ones (dugaan) for review.

Per API platform one task plans batches of accounts (ranges of handles) and one mapped task
collects each batch in that platform's pool. Scoring follows once every batch has finished, and
scores what arrived even if a batch failed; the run still ends failed then, so the failure shows.
Each hour's run covers its data interval; re-running it changes nothing (every write is an upsert
by id, checkpoints only move forward, and a post the current model scored is not scored again).
XCom carries batch ranges and counts only, never post text.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import CronDataIntervalTimetable, dag, task

from netra import pipeline, scheduling
from netra.domain.models import Platform


@task
def plan(platform: str) -> list[dict]:
    with scheduling.session() as (store, settings):
        batches = pipeline.plan_batches(
            store, Platform(platform), settings.collect_batch_size, settings.collect_max_batches
        )
    return [batch.as_dict() for batch in batches]


@task
def collect(batch: dict, data_interval_end=None, run_id=None) -> dict:
    with scheduling.session() as (store, settings):
        summary = pipeline.collect_batch(
            store,
            settings,
            pipeline.AccountBatch(**batch),
            since=data_interval_end - timedelta(days=settings.collect_since_days),
            run_info={"dag_run": run_id, "batch": batch},
        )
    # Every account failed: the platform is down or refuses us. Failing makes Airflow retry
    # with backoff; the checkpoints make the retry resume where this attempt stopped.
    return summary.require_some_success(f"batch {batch}").counts()


@task(trigger_rule="all_done")
def score(collected: list) -> dict:
    with scheduling.session() as (store, settings):
        summary = pipeline.score_new_posts(store, settings)
    return {
        "collected": pipeline.add_counts(group[:] if group else [] for group in collected),
        **summary.as_dict(),
    }


@task
def check_collection() -> None:
    """Runs only when every batch succeeded; a failed batch leaves it upstream_failed, so the
    DAG run is marked failed even though scoring went ahead."""


@dag(
    dag_id="netra_collect_score",
    schedule=CronDataIntervalTimetable("0 * * * *", timezone=scheduling.timezone()),
    start_date=pendulum.datetime(2026, 1, 1, tz=scheduling.timezone()),
    catchup=False,
    max_active_runs=1,
    default_args=scheduling.default_args(),
    tags=[*scheduling.TAGS, "collect", "score"],
    doc_md=__doc__,
    **scheduling.alerting(expected=timedelta(minutes=50)),
)
def netra_collect_score():
    collected = [
        collect.override(
            task_id=f"collect_{platform.value}", pool=scheduling.pool(platform)
        ).expand(batch=plan.override(task_id=f"plan_{platform.value}")(platform=platform.value))
        for platform in pipeline.API_PLATFORMS
    ]
    score(collected)
    collected >> check_collection()


netra_collect_score()
