"""The DAGs in dags/: they import cleanly with the settings every DAG must have, and real
`dag.test()` runs of each work against the embedded store, the fake platform server on 127.0.0.1
(the platforms themselves cannot be reached from here) and a real SMTP server."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import httpx
import pendulum
import pytest
from dagruns import DAGS, WITA, queue_state, run_dag
from factories import flag, post
from smtp import smtp_server

from collectors.fake.server import FakeServer
from netra.domain.models import Platform
from netra.domain.settings import Settings
from netra.pipeline import API_PLATFORMS
from netra.store.sqlite import SqliteStore

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
    for platform in (
        Platform.X,
        Platform.BLUESKY,
        Platform.MASTODON,
        Platform.YOUTUBE,
        Platform.TIKTOK,
    ):
        task = collect.get_task(f"collect_{platform.value}")
        assert task.pool == f"netra_{platform.value}" and task.pool in pools
        assert (
            dagbag.get_dag("netra_recheck").get_task(f"recheck_{platform.value}").pool == task.pool
        )


# -- real runs -------------------------------------------------------------------------------------


def test_collect_score_dag_collects_scores_and_a_rerun_changes_nothing(
    dagbag: Any, world: tuple[SqliteStore, FakeServer]
) -> None:
    store, _ = world
    hour = pendulum.datetime(2026, 11, 20, 10, tz=WITA)
    xcoms = run_dag(dagbag, "netra_collect_score", hour)
    first = queue_state(store)
    posts, _ = first["posts"]
    assert posts > 300 and first["scores"][0] == posts  # every collected post was scored
    assert first["flags"], "the demo's partisan posts reach the queue"
    runs = store.collection_runs(hour.subtract(days=1))
    assert {r["batch"]["platform"] for r in runs} == {p.value for p in API_PLATFORMS}
    assert all(r["dag_run"] for r in runs)
    score = xcoms["score"]
    assert score["collected"]["posts_new"] == posts and score["scored"] == posts
    assert score["flagged"] + score["audited"] == len(first["flags"])
    # XCom carries ranges and counts only: no post text anywhere.
    queued = store.get_post(first["flags"][0][0])
    assert queued is not None and queued.text and queued.text not in json.dumps(xcoms)

    again = run_dag(dagbag, "netra_collect_score", hour)  # the same data interval again
    assert queue_state(store) == first
    assert again["score"]["collected"]["posts_new"] == 0 and again["score"]["scored"] == 0


def test_a_platform_that_fails_every_account_fails_the_run_but_the_rest_is_scored(
    dagbag: Any, world: tuple[SqliteStore, FakeServer]
) -> None:
    store, server = world
    broken = [a.handle for _, a in store.iter_accounts(Platform.X)]
    httpx.post(
        f"{server.url}/_fake/control", json={"faults": {"malformed_accounts": broken}}
    ).raise_for_status()
    xcoms = run_dag(
        dagbag, "netra_collect_score", pendulum.datetime(2026, 11, 20, 11, tz=WITA), "failed"
    )
    assert "collect_x" not in xcoms  # its batch raised (and would be retried)
    assert xcoms["score"]["scored"] > 0 and xcoms["score"]["collected"]["posts_new"] > 0
    assert store.summary().flags > 0
    assert not store.flagged_posts(Platform.X)


def test_recheck_dag_keeps_evidence_of_a_deleted_and_an_edited_post(
    dagbag: Any, world: tuple[SqliteStore, FakeServer]
) -> None:
    store, server = world
    run_dag(dagbag, "netra_collect_score", pendulum.datetime(2026, 11, 20, 10, tz=WITA))
    queued_x = [p for p in store.flagged_posts(Platform.X)]
    assert len(queued_x) >= 2
    deleted, edited = queued_x[0], queued_x[1]
    httpx.post(
        f"{server.url}/_fake/control",
        json={
            "delete": [f"x:{deleted.native_id}"],
            "edit": {f"x:{edited.native_id}": "teks diubah setelah ramai"},
        },
    ).raise_for_status()
    xcoms = run_dag(dagbag, "netra_recheck", pendulum.datetime(2026, 11, 21, 3, tz=WITA))
    assert xcoms["recheck_x"]["posts_deleted"] == 1 and xcoms["recheck_x"]["posts_edited"] == 1
    gone = store.get_post(deleted.id)
    assert gone is not None and gone.deleted_at is not None and gone.text == deleted.text
    changed = store.get_post(edited.id)
    assert changed is not None and changed.text == "teks diubah setelah ramai"
    assert changed.edit_history[0].text == edited.text
    assert "emptied" in xcoms["apply_retention"]


def test_daily_digest_dag_mails_each_region_the_previous_day(
    dagbag: Any, world: tuple[SqliteStore, FakeServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = world
    noon = pendulum.datetime(2026, 11, 20, 12, tz=WITA)
    for i, person in enumerate({p.region_code: p for p in store.iter_people()}.values()):
        queued = post(f"d{i}", "ayo coblos nomor 2", nip=person.nip)
        store.upsert_posts([queued])
        store.upsert_flags(
            [flag(queued).model_copy(update={"created_at": noon, "updated_at": noon})]
        )
    with smtp_server() as (port, inbox):
        monkeypatch.setenv("NETRA_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("NETRA_SMTP_PORT", str(port))
        monkeypatch.setenv("NETRA_SMTP_STARTTLS", "false")
        monkeypatch.setenv(
            "NETRA_DIGEST_RECIPIENTS",
            '{"all": ["prov@kaltim.example.id"], "64.71": ["panwas@bpp.example.id"]}',
        )
        # The run at 07:00 WITA on 21 November covers the 20th.
        xcoms = run_dag(dagbag, "netra_daily_digest", pendulum.datetime(2026, 11, 21, 7, tz=WITA))
        received = inbox.wait_for(2)
    assert {x["region"]: x["sent"] for x in xcoms["digest"]} == {
        "all": True,
        "64": False,
        "64.71": True,
    }
    assert {x["day"] for x in xcoms["digest"]} == {"2026-11-20"}
    subjects = {tuple(r): m["Subject"] for r, m in received}
    assert subjects[("prov@kaltim.example.id",)].startswith(
        "[Netra] Ringkasan harian 20 November 2026 — Semua wilayah: 2 dugaan baru"
    )
    assert "Kota Balikpapan" in subjects[("panwas@bpp.example.id",)]
    folder = Path("var") / "digests" / "2026-11-20"
    assert sorted(p.name for p in folder.glob("*.html")) == ["64.71.html", "64.html", "all.html"]


def test_retrain_dag_keeps_a_model_it_does_not_beat_and_logs_why(
    dagbag: Any, world: tuple[SqliteStore, FakeServer], caplog: pytest.LogCaptureFixture
) -> None:
    from classifiers.model import current_version
    from netra.scoring import load_model

    settings = Settings()
    before = load_model(settings).version  # the default model (trained once for this module)
    caplog.set_level(logging.INFO, logger="netra.retrain")
    xcoms = run_dag(dagbag, "netra_retrain", pendulum.datetime(2026, 11, 23, 2, tz=WITA))
    outcome = xcoms["retrain"]
    assert outcome["held_out"] > 300 and outcome["candidate"]["f1"] > 0.8
    logged = [r.getMessage() for r in caplog.records if r.name == "netra.retrain"]
    assert logged == [outcome["reason"]]
    # Same corpus, no decisions, same seed: the candidate cannot beat the current model.
    assert outcome["current_version"] == before and outcome["current"] == outcome["candidate"]
    assert not outcome["promoted"] and "F1 is not higher" in outcome["reason"]
    assert current_version(settings.model_dir) == before
