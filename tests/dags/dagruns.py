"""Running a DAG for real with dag.test() and reading back what it left: used by the DAG tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum

from netra.domain.models import Post
from netra.store.base import Store, each_hit

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "dags"
REGISTRY = ROOT / "data" / "demo" / "registry.csv"
WITA = "Asia/Makassar"
ZERO = timedelta(0)
UNKNOWN_MODEL = "no-such-model"


def _every_post(store: Store) -> list[Post]:
    """Every live post, read through the port: none is scored by a model that does not exist."""
    found: list[Post] = []
    cursor = None
    while True:
        batch, cursor = store.unscored_posts(UNKNOWN_MODEL, limit=500, cursor=cursor)
        if not batch:
            return found
        found += batch


def queue_state(store: Store) -> dict[str, Any]:
    """What a re-run must not change: posts, flags with their review state, scoring, checkpoints."""
    posts = _every_post(store)
    checkpoints = [
        (a.platform.value, a.handle, checkpoint.cursor)
        for _, a in store.iter_accounts()
        if (checkpoint := store.get_checkpoint(a.platform, a.handle)) is not None
    ]
    return {
        "posts": (len(posts), sum(len(p.model_dump_json()) for p in posts)),
        "flags": sorted(
            (h.flag.id, h.flag.status.value, h.flag.version, h.flag.score.probability)
            for h in each_hit(store, None)
        ),
        "scores": (store.scoring_counts()["scored"],),
        "checkpoints": sorted(checkpoints),
    }


def run_dag(
    dagbag: Any,
    dag_id: str,
    logical_date: pendulum.DateTime,
    expected: str = "success",
    retries: int = 0,
) -> dict[str, Any]:
    """Run the DAG for ``logical_date``; assert it ended ``expected``; return its XComs by task
    id (a list for a mapped task, in map order). Each task gets ``retries`` retries, at once
    (dag.test() waits out real retry delays)."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState

    dag = dagbag.get_dag(dag_id)
    kept = ("retries", "retry_delay", "retry_exponential_backoff")
    saved = {task.task_id: {name: getattr(task, name) for name in kept} for task in dag.tasks}
    deadline = dag.deadline
    try:
        for task in dag.tasks:
            task.retries, task.retry_delay, task.retry_exponential_backoff = retries, ZERO, 0
        # dag.test() in Airflow 3.3 cannot end a run of a DAG with a deadline alert: its
        # in-memory scheduler DAG holds the alert's definition where the scheduler expects the
        # id of its database row. The scheduler proper reads the row; test_alerts covers the
        # callback.
        dag.deadline = None
        run = dag.test(logical_date=logical_date)
    finally:
        dag.deadline = deadline
        for task in dag.tasks:
            for name, value in saved[task.task_id].items():
                setattr(task, name, value)
    assert run.state == DagRunState(expected), f"{dag_id}: {run.state}"
    values: dict[str, Any] = {}
    with create_session() as session:
        query = XComModel.get_many(run_id=run.run_id, dag_ids=dag_id, key="return_value")
        for xcom in sorted(session.scalars(query), key=lambda x: (x.task_id, x.map_index)):
            value = XComModel.deserialize_value(xcom)
            if xcom.map_index >= 0:
                values.setdefault(xcom.task_id, []).append(value)
            else:
                values[xcom.task_id] = value
    return values
