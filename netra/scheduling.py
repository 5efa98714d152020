"""What the Airflow DAGs in dags/ share, kept here so the DAG files stay thin and free of
business logic (and so this module imports nothing from Airflow)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from netra.models import Platform
from netra.settings import Settings, get_settings
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
    """The Airflow pool of a platform: its slots bound how many tasks talk to it at once, so
    slots × NETRA_HTTP_REQUESTS_PER_SECOND is the DAGs' request rate on that platform."""
    return f"netra_{Platform(platform).value}"


def timezone() -> str:
    return Settings().timezone


@contextmanager
def session() -> Iterator[tuple[Store, Settings]]:
    """The store and settings for one task, from the worker's NETRA_* environment."""
    settings = get_settings()
    store = open_store(settings)
    try:
        yield store, settings
    finally:
        store.close()
