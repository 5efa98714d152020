"""Daily: revisit the posts in the review queue for edits and deletions (the evidence is kept
either way), one task per platform in that platform's pool; then apply the retention period to
unflagged posts."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import CronTriggerTimetable, dag, task

from netra import pipeline, scheduling
from netra.domain.models import Platform


@task
def recheck(platform: str) -> dict:
    with scheduling.session() as (store, settings):
        summary = pipeline.recheck(store, settings, platform=Platform(platform))
    return summary.require_some_success(f"{platform} re-check").counts()


@task(trigger_rule="all_done")
def apply_retention() -> dict:
    with scheduling.session() as (store, settings):
        return {"emptied": pipeline.apply_retention(store, settings)}


@dag(
    dag_id="netra_recheck",
    schedule=CronTriggerTimetable("0 3 * * *", timezone=scheduling.timezone()),
    start_date=pendulum.datetime(2026, 1, 1, tz=scheduling.timezone()),
    catchup=False,
    max_active_runs=1,
    default_args=scheduling.default_args(),
    tags=[*scheduling.TAGS, "recheck", "retention"],
    doc_md=__doc__,
    **scheduling.alerting(expected=timedelta(hours=2)),
)
def netra_recheck():
    checks = [
        recheck.override(task_id=f"recheck_{platform.value}", pool=scheduling.pool(platform))(
            platform=platform.value
        )
        for platform in pipeline.API_PLATFORMS
    ]
    checks >> apply_retention()


netra_recheck()
