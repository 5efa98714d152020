"""The DAGs in dags/: they import cleanly with the settings every DAG must have, and real
`dag.test()` runs of each work against the embedded store, the fake platform server on 127.0.0.1
(the platforms themselves cannot be reached from here) and a real SMTP server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from netra.fake_platforms import start_fake_platforms
from netra.models import Platform
from netra.settings import Settings
from netra.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "dags"
REGISTRY = ROOT / "data" / "demo" / "registry.csv"
WITA = "Asia/Makassar"
DAG_IDS = {"netra_collect_score", "netra_recheck", "netra_daily_digest", "netra_retrain"}


def test_dagbag_imports_every_dag_with_owner_tags_retries_and_catchup(dagbag: Any) -> None:
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == DAG_IDS
    for dag_id in DAG_IDS:
        dag = dagbag.get_dag(dag_id)
        assert dag.owner == "netra"
        assert "netra" in dag.tags and len(dag.tags) >= 2
        assert dag.catchup is False
        source = (DAGS / f"{dag_id}.py").read_text()
        assert re.search(r"catchup=False", source), f"{dag_id}: catchup not set explicitly"
        for t in dag.tasks:
            assert t.retries >= 1, f"{dag_id}.{t.task_id} has no retries"
            assert t.retry_exponential_backoff, f"{dag_id}.{t.task_id}: no exponential backoff"


def test_schedules_windows_and_pools(dagbag: Any) -> None:
    from airflow.sdk import CronDataIntervalTimetable

    collect = dagbag.get_dag("netra_collect_score")
    assert isinstance(collect.timetable, CronDataIntervalTimetable)  # a window, not an instant
    assert (collect.timetable.expression, collect.timetable.timezone) == ("0 * * * *", WITA)
    digest = dagbag.get_dag("netra_daily_digest")
    assert isinstance(digest.timetable, CronDataIntervalTimetable)
    assert (digest.timetable.expression, digest.timetable.timezone) == ("0 7 * * *", WITA)
    pools = json.loads((DAGS / "pools.json").read_text())
    for platform in (Platform.X, Platform.BLUESKY, Platform.MASTODON, Platform.YOUTUBE, Platform.TIKTOK):
        task = collect.get_task(f"collect_{platform.value}")
        assert task.pool == f"netra_{platform.value}" and task.pool in pools
        assert dagbag.get_dag("netra_recheck").get_task(f"recheck_{platform.value}").pool == task.pool


# -- real runs -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the runs of this module: the first one trains the default model."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture()
def world(tmp_path: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SqliteStore]:
    """The demo registry in the embedded store and the fake platforms serving its accounts."""
    from netra.commands.registry import import_file

    settings = Settings()
    store = SqliteStore(settings.db_path)
    assert import_file(store, REGISTRY, dry_run=False, encoding=None) == 0
    server = start_fake_platforms(REGISTRY, ROOT / "data" / "corpus", posts_per_account=6, seed=5)
    monkeypatch.setenv("NETRA_PLATFORM_URL", server.url)
    monkeypatch.setenv("NETRA_HTTP_REQUESTS_PER_SECOND", "500")
    monkeypatch.setenv("NETRA_MODEL_DIR", str(model_dir))
    monkeypatch.setenv("NETRA_AUDIT_SAMPLE_RATE", "0.02")
    yield store
    server.stop()
    store.close()


def _state(store: SqliteStore) -> dict[str, Any]:
    """What a re-run must not change: posts, flags with their review state, scoring, checkpoints."""
    conn = store.db.get()
    return {
        "posts": conn.execute("SELECT COUNT(*), SUM(LENGTH(doc)) FROM posts").fetchone(),
        "flags": conn.execute("SELECT id, status, version, score FROM flags ORDER BY id").fetchall(),
        "scores": conn.execute("SELECT COUNT(*) FROM post_scores").fetchone(),
        "checkpoints": conn.execute(
            "SELECT platform, account, cursor FROM checkpoints ORDER BY 1, 2"
        ).fetchall(),
    }


def _run(dagbag: Any, dag_id: str, logical_date: pendulum.DateTime) -> Any:
    from airflow.utils.state import DagRunState

    run = dagbag.get_dag(dag_id).test(logical_date=logical_date)
    assert run.state == DagRunState.SUCCESS, f"{dag_id}: {run.state}"
    return run


def test_collect_score_dag_collects_scores_and_a_rerun_changes_nothing(
    dagbag: Any, world: SqliteStore
) -> None:
    hour = pendulum.datetime(2026, 11, 20, 10, tz=WITA)
    _run(dagbag, "netra_collect_score", hour)
    first = _state(world)
    posts, _ = first["posts"]
    assert posts > 300 and first["scores"][0] == posts  # every collected post was scored
    assert first["flags"], "the demo's partisan posts reach the queue"
    runs = world.collection_runs(hour.subtract(days=1))
    assert {r["batch"]["platform"] for r in runs} == {p.value for p in Platform if p.value in ("x", "bluesky", "mastodon", "youtube", "tiktok")}
    assert all(r["dag_run"] for r in runs)

    _run(dagbag, "netra_collect_score", hour)  # the same data interval again
    assert _state(world) == first
