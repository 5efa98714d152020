"""What the Airflow DAGs in dags/ share, kept here so the DAG files stay thin and free of
business logic (and so this module imports nothing from Airflow)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from netra import metrics
from netra.alerts import Alert, AlertKind, notify
from netra.domain.models import Platform
from netra.domain.settings import Settings, get_settings
from netra.store import Store, open_store

OWNER = "netra"
TAGS = ["netra"]


def default_args(retries: int = 3) -> dict[str, Any]:
    """Retries wait 2, 4, 8 … minutes (at most 30): long enough for a platform's outage or a
    rate-limit window to pass, short enough to stay inside the hour."""
    return {
        "owner": OWNER,
        "retries": retries,
        "retry_delay": timedelta(minutes=2),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=30),
    }


def pool(platform: Platform | str) -> str:
    """The Airflow pool of a platform: its slots bound how many tasks talk to it at once; their
    requests together stay at NETRA_HTTP_REQUESTS_PER_SECOND per credential, a limit they share
    through NETRA_HTTP_RATE_LIMIT_DB (collectors/ratelimit.py)."""
    return f"netra_{Platform(platform).value}"


def timezone() -> str:
    return Settings().timezone


@contextmanager
def session() -> Iterator[tuple[Store, Settings]]:
    """The store and settings for one task, from the worker's NETRA_* environment. What the
    task counts (posts collected, scored, queued, rate-limit waits) goes to the metrics
    directory in NETRA_VAR_DIR, which the API's /metrics adds up."""
    settings = get_settings()
    store = open_store(settings)
    try:
        with metrics.recording(settings):
            yield store, settings
    finally:
        store.close()


def alerting(expected: timedelta) -> dict[str, Any]:
    """The ``@dag`` arguments that make failures heard: a failed run and a run still going
    ``expected`` after it was queued (Airflow 3's deadline alert, which replaced the SLA) are
    both sent to NETRA_ALERT_RECIPIENTS and NETRA_ALERT_WEBHOOK_URL. (Airflow is imported here,
    not at the top: this module must import without it.)"""
    from airflow.sdk.definitions.callback import AsyncCallback
    from airflow.sdk.definitions.deadline import DeadlineAlert, DeadlineReference

    return {
        "on_failure_callback": run_failed,
        "deadline": DeadlineAlert(
            reference=DeadlineReference.DAGRUN_QUEUED_AT,
            interval=expected,
            callback=AsyncCallback(deadline_missed),
        ),
    }


def run_failed(context: Mapping[str, Any]) -> None:
    """Airflow's DAG failure callback: which task failed, and Airflow's reason."""
    dag = context.get("dag")
    ti = context.get("ti")
    task = f"tugas {ti.task_id}" if ti is not None else "run"
    detail = f"{task} gagal ({context.get('reason') or 'tanpa alasan'})"
    alert = Alert(
        AlertKind.FAILURE, getattr(dag, "dag_id", "?"), str(context.get("run_id")), detail
    )
    notify(get_settings(), alert)


async def deadline_missed(context: Mapping[str, Any], **_: Any) -> None:
    """Airflow's deadline callback (run by the triggerer), given the run and the deadline."""
    run = context.get("dag_run") or {}
    deadline = (context.get("deadline") or {}).get("deadline_time")
    alert = Alert(
        AlertKind.DEADLINE,
        str(run.get("dag_id", "?")),
        str(run.get("dag_run_id") or run.get("run_id") or "?"),
        f"masih berjalan pada tenggat {deadline} (antre sejak {run.get('queued_at')})",
    )
    await asyncio.to_thread(notify, get_settings(), alert)
