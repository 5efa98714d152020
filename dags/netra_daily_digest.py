"""Daily at 07:00 in NETRA_TIMEZONE (WITA by default): the digest of the previous local day,
one task per region (and one for all regions together), each written under var/digests/ and
e-mailed to that region's recipients (NETRA_DIGEST_RECIPIENTS). A region whose mail fails is
retried on its own."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import CronDataIntervalTimetable, dag, task

from netra import pipeline, scheduling
from netra.digest import ALL_REGIONS


@task
def regions() -> list[str]:
    with scheduling.session() as (store, _):
        return [ALL_REGIONS, *store.regions()]


@task
def digest(region: str, data_interval_end=None) -> dict:
    with scheduling.session() as (store, settings):
        # The run at 07:00 on day D covers day D-1 (local), whatever time the task starts.
        day = pipeline.previous_day(settings, data_interval_end)
        (outcome,) = pipeline.daily_digest(
            store, settings, day, region, send=bool(settings.smtp_host)
        )
    return {
        "day": day.isoformat(),
        "region": outcome.region,
        "recipients": len(outcome.recipients),
        "sent": outcome.sent,
        "already_sent": len(outcome.already_sent),
    }


@dag(
    dag_id="netra_daily_digest",
    schedule=CronDataIntervalTimetable("0 7 * * *", timezone=scheduling.timezone()),
    start_date=pendulum.datetime(2026, 1, 1, tz=scheduling.timezone()),
    catchup=False,
    max_active_runs=1,
    default_args=scheduling.default_args(),
    tags=[*scheduling.TAGS, "digest"],
    doc_md=__doc__,
    **scheduling.alerting(expected=timedelta(minutes=45)),
)
def netra_daily_digest():
    digest.expand(region=regions())


netra_daily_digest()
