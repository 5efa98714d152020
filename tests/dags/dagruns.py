"""Running a DAG for real with dag.test() and reading back what it left: used by the DAG tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum

from netra.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "dags"
REGISTRY = ROOT / "data" / "demo" / "registry.csv"
WITA = "Asia/Makassar"
ZERO = timedelta(0)


def queue_state(store: SqliteStore) -> dict[str, Any]:
    """What a re-run must not change: posts, flags with their review state, scoring, checkpoints."""
    conn = store.db.get()
    return {
        "posts": conn.execute("SELECT COUNT(*), SUM(LENGTH(doc)) FROM posts").fetchone(),
        "flags": conn.execute(
            "SELECT id, status, version, score FROM flags ORDER BY id"
        ).fetchall(),
        "scores": conn.execute("SELECT COUNT(*) FROM post_scores").fetchone(),
        "checkpoints": conn.execute(
            "SELECT platform, account, cursor FROM checkpoints ORDER BY 1, 2"
        ).fetchall(),
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
