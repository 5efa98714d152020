"""Weekly (Monday 02:00 in NETRA_TIMEZONE): train a candidate model on the labelled corpus plus
analysts' decisions and promote it only if it beats the current model on the held-out split.
The task's log and return value say why it was or was not promoted."""

from __future__ import annotations

import logging
from datetime import timedelta

import pendulum
from airflow.sdk import CronTriggerTimetable, dag, task

from netra import pipeline, scheduling

log = logging.getLogger("netra.retrain")


@task
def retrain() -> dict:
    with scheduling.session() as (store, settings):
        outcome = pipeline.retrain(store, settings)
    log.info("%s", outcome.reason)
    return outcome.as_dict()


@dag(
    dag_id="netra_retrain",
    schedule=CronTriggerTimetable("0 2 * * 1", timezone=scheduling.timezone()),
    start_date=pendulum.datetime(2026, 1, 1, tz=scheduling.timezone()),
    catchup=False,
    max_active_runs=1,
    default_args=scheduling.default_args(retries=1),
    tags=[*scheduling.TAGS, "classifier", "retrain"],
    doc_md=__doc__,
    **scheduling.alerting(expected=timedelta(hours=3)),
)
def netra_retrain():
    retrain()


netra_retrain()
