"""Collection over real HTTP against the fake platform server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import httpx
import numpy as np
import pytest
from factories import score

from collectors.fake.payloads import native_id
from collectors.fake.server import FakeServer
from collectors.fake.world import FakeWorld
from collectors.files import PublicReport
from collectors.ratelimit import limit_key
from netra import pipeline
from netra.domain.models import AccountStatus, Flag, Platform, QuarantineState
from netra.domain.settings import Settings
from netra.fake_platforms import world_from
from netra.registry import import_registry
from netra.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "data" / "demo" / "registry.csv"
CORPUS = ROOT / "data" / "corpus"


def make_world(posts_per_account: int = 60) -> FakeWorld:
    return world_from(REGISTRY, CORPUS, posts_per_account=posts_per_account, days=20)


@pytest.fixture()
def server() -> Iterator[FakeServer]:
    with FakeServer(make_world()) as running:
        yield running


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    db = SqliteStore(tmp_path / "netra.db")
    import_registry(db, REGISTRY)
    yield db
    db.close()


def settings_for(server: FakeServer) -> Settings:
    return Settings(platform_url=server.url, http_requests_per_second=2000)


def control(server: FakeServer, order: dict) -> None:
    httpx.post(f"{server.url}/_fake/control", json=order).raise_for_status()


def visible_posts(world: FakeWorld) -> int:
    return sum(1 for a in world.accounts.values() for p in a.posts if not p.deleted)


def test_collects_every_post_then_nothing_new(server: FakeServer, store: SqliteStore) -> None:
    first = pipeline.collect(store, settings_for(server))
    assert first.accounts_failed == 0 and first.accounts_ok == len(server.platforms.world.accounts)
    assert first.posts_new == visible_posts(server.platforms.world) == store.summary().posts
    second = pipeline.collect(store, settings_for(server))
    assert (second.posts_new, second.posts_edited, second.quarantined) == (0, 0, 0)
    assert (
        store.collection_runs(datetime.now(UTC) - timedelta(hours=1))[0]["posts_new"]
        == first.posts_new
    )


def test_new_posts_after_a_run_are_picked_up(server: FakeServer, store: SqliteStore) -> None:
    pipeline.collect(store, settings_for(server))
    world = server.platforms.world
    account = next(a for a in world.accounts.values() if a.platform is Platform.X)
    newest = account.posts[0]
    from collectors.fake.world import FakePost

    world.add_post(
        account,
        FakePost(
            seq=999_999,
            platform=Platform.X,
            account=account.handle,
            text="postingan baru",
            created_at=newest.created_at + timedelta(minutes=5),
        ),
    )
    again = pipeline.collect(store, settings_for(server))
    assert again.posts_new == 1


def test_rate_limits_and_5xx_bursts_are_ridden_out(server: FakeServer, store: SqliteStore) -> None:
    control(server, {"faults": {"rate_limit_every": 4, "retry_after": "0.01", "error_burst": 3}})
    summary = pipeline.collect(store, settings_for(server))
    assert summary.accounts_failed == 0
    assert summary.rate_limit_waits > 0
    assert summary.posts_new == visible_posts(server.platforms.world)


def test_malformed_json_fails_one_account_and_the_run_goes_on(
    server: FakeServer, store: SqliteStore
) -> None:
    broken = next(
        a for a in server.platforms.world.accounts.values() if a.platform is Platform.MASTODON
    )
    control(server, {"faults": {"malformed_accounts": [broken.handle]}})
    summary = pipeline.collect(store, settings_for(server))
    assert summary.accounts_failed == 1
    assert summary.failures[0]["account"] == f"mastodon:{broken.handle}"
    assert "not JSON" in summary.failures[0]["error"]
    assert summary.accounts_ok == len(server.platforms.world.accounts) - 1
    assert store.get_checkpoint(Platform.MASTODON, broken.handle) is None  # retried next run


def test_schema_drift_is_quarantined_and_counted(server: FakeServer, store: SqliteStore) -> None:
    drifting = next(a for a in server.platforms.world.accounts.values() if a.platform is Platform.X)
    control(server, {"faults": {"drift_accounts": [drifting.handle]}})
    summary = pipeline.collect(store, settings_for(server))
    visible = [p for p in drifting.posts if not p.deleted]
    assert summary.quarantined == len(visible) and summary.accounts_failed == 0
    items = store.list_quarantine(limit=1000)
    assert len(items) == len(visible) and all("text" in i.error for i in items)
    assert all(i.raw.get("id") for i in items)  # the raw payload is kept


def test_gone_accounts_get_their_status_and_the_run_goes_on(
    server: FakeServer, store: SqliteStore
) -> None:
    world = server.platforms.world
    xs = [a for a in world.accounts.values() if a.platform is Platform.X]
    sky = next(a for a in world.accounts.values() if a.platform is Platform.BLUESKY)
    control(
        server,
        {
            "status": {
                f"x:{xs[0].handle}": "suspended",
                f"x:{xs[1].handle}": "protected",
                f"bluesky:{sky.handle}": "not_found",
            }
        },
    )
    summary = pipeline.collect(store, settings_for(server))
    assert summary.accounts_unavailable == 3 and summary.accounts_failed == 0
    statuses = {a.handle: a.status for _, a in store.iter_accounts()}
    assert statuses[xs[0].handle] is AccountStatus.SUSPENDED
    assert statuses[xs[1].handle] is AccountStatus.PROTECTED
    assert statuses[sky.handle] is AccountStatus.NOT_FOUND
    control(server, {"status": {f"x:{xs[0].handle}": "active"}})
    pipeline.collect(store, settings_for(server))
    assert {a.handle: a.status for _, a in store.iter_accounts()}[
        xs[0].handle
    ] is AccountStatus.ACTIVE


def test_recheck_keeps_evidence_of_edits_and_deletions(
    server: FakeServer, store: SqliteStore
) -> None:
    pipeline.collect(store, settings_for(server))
    world = server.platforms.world
    picks = {}
    for platform in (Platform.X, Platform.MASTODON, Platform.BLUESKY, Platform.YOUTUBE):
        account = next(
            a for a in world.accounts.values() if a.platform is platform and len(a.posts) >= 2
        )
        picks[platform] = account.posts[:2]
    flagged = []
    for platform, (edited, deleted) in picks.items():
        for fake in (edited, deleted):
            key = native_id(fake)
            post_id = (
                f"{platform.value}:{world.find(platform, fake.account).native_id}/{key}"
                if platform is Platform.BLUESKY
                else f"{platform.value}:{key}"
            )
            assert store.get_post(post_id) is not None, post_id
            flagged.append(post_id)
    now = datetime.now(UTC)
    store.upsert_flags(
        [
            Flag(
                id=i, post_id=i, score=score(), category="dukungan", created_at=now, updated_at=now
            )
            for i in flagged
        ]
    )
    originals = {i: store.get_post(i) for i in flagged}
    control(
        server,
        {
            "edit": {
                f"{p.value}:{native_id(e)}": "teks diubah setelah viral"
                for p, (e, _) in picks.items()
            },
            "delete": [f"{p.value}:{native_id(d)}" for p, (_, d) in picks.items()],
        },
    )
    summary = pipeline.recheck(store, settings_for(server))
    assert summary.posts_deleted == 4 and summary.posts_edited == 4
    for post_id in flagged[0::2]:
        post = store.get_post(post_id)
        assert post is not None and "teks diubah" in post.text
        assert post.edit_history[0].text == originals[post_id].text
        assert post.edit_history[0].raw_sha256 == originals[post_id].raw_sha256
    for post_id in flagged[1::2]:
        post = store.get_post(post_id)
        assert post is not None and post.deleted_at is not None
        assert post.text == originals[post_id].text and post.raw == originals[post_id].raw


def test_public_report_and_meta_import_enter_the_store(store: SqliteStore) -> None:
    account = next(a for _, a in store.iter_accounts(Platform.X))
    post = pipeline.submit_report(
        store,
        PublicReport(
            url=f"https://x.com/{account.handle}/status/1",
            text="ayo coblos nomor 2",
            screenshot_description=None,
            reporter_note="dilihat jam 7",
            reporter_contact="0812-0000-0000",
        ),
    )
    assert post.person_nip is not None
    assert store.get_report_contact(post.id) == "0812-0000-0000"
    fixtures = ROOT / "tests" / "fixtures" / "platforms"
    result, stored = pipeline.import_file(
        store, fixtures / "meta_content_library_export.csv", "meta-facebook"
    )
    assert stored == 0 and result.not_registered == result.rows  # the page is not a registered ASN


def test_killed_collection_resumes_without_duplicates_or_gaps(tmp_path: Path) -> None:
    """A real `netra collect` process is killed mid-run; the next run completes the set."""
    world = make_world(posts_per_account=120)
    with FakeServer(world) as running:
        control(running, {"faults": {"slow_ms": 15}})
        db = tmp_path / "killed.db"
        seed_store = SqliteStore(db)
        import_registry(seed_store, REGISTRY)
        env = {
            **os.environ,
            "NETRA_DB_PATH": str(db),
            "NETRA_PLATFORM_URL": running.url,
            "NETRA_HTTP_REQUESTS_PER_SECOND": "2000",
            "NETRA_DATA_DIR": str(ROOT / "data"),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "netra.cli", "collect"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        total = visible_posts(world)
        while time.monotonic() < deadline and seed_store.summary().posts < total // 3:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        partial = seed_store.summary().posts
        assert 0 < partial < total, "the kill should land mid-run"
        mid_run = [
            c
            for _, a in seed_store.iter_accounts()
            if (c := seed_store.get_checkpoint(a.platform, a.handle))
        ]
        control(running, {"faults": {"slow_ms": 0}})
        resumed = pipeline.collect(
            seed_store,
            Settings(db_path=db, platform_url=running.url, http_requests_per_second=2000),
        )
        assert resumed.accounts_failed == 0
        assert seed_store.summary().posts == total
        assert resumed.posts_new == total - partial  # nothing stored twice, nothing missed
        for _, account in seed_store.iter_accounts():
            checkpoint = seed_store.get_checkpoint(account.platform, account.handle)
            if checkpoint and checkpoint.cursor:
                assert "resume" not in json.loads(checkpoint.cursor)
        assert mid_run  # some accounts had advanced before the kill
        seed_store.close()


def test_collect_command_prints_a_summary(
    server: FakeServer, store: SqliteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from netra.cli import app

    monkeypatch.setenv("NETRA_DB_PATH", str(tmp_path / "netra.db"))
    monkeypatch.setenv("NETRA_PLATFORM_URL", server.url)
    monkeypatch.setenv("NETRA_HTTP_REQUESTS_PER_SECOND", "2000")
    runner = CliRunner()
    account = next(a for a in server.platforms.world.accounts.values() if a.platform is Platform.X)
    one = runner.invoke(app, ["collect", "--platform", "x", "--account", account.handle])
    assert one.exit_code == 0, one.output
    assert "accounts ok" in one.output and "posts new" in one.output
    assert store.summary().posts == len(account.posts)
    # The request rate was taken from the limit shared with other processes (NETRA_VAR_DIR).
    with closing(sqlite3.connect(tmp_path / "var" / "http-rate-limit.db")) as shared:
        assert shared.execute("SELECT key FROM slots").fetchall() == [(limit_key("x", None),)]
    refused = runner.invoke(app, ["collect", "--platform", "facebook"])
    assert refused.exit_code == 2 and "import-posts" in refused.output
    unknown = runner.invoke(app, ["collect", "--account", "tidak_terdaftar"])
    assert unknown.exit_code == 2 and "no registered account" in unknown.output
    reported = runner.invoke(
        app,
        [
            "report",
            "--url",
            f"https://x.com/{account.handle}",
            "--text",
            "ayo pilih 2",
            "--contact",
            "rahasia@example.org",
        ],
    )
    assert reported.exit_code == 0 and "linked to registered account" in reported.output
    assert "rahasia" not in reported.output
    assert runner.invoke(app, ["report", "--note", "tanpa isi"]).exit_code == 2


def _drifting(world: FakeWorld) -> list:  # type: ignore[type-arg]
    """One X account (items lose their text) and one Bluesky account (items lose the whole post,
    so every quarantined payload is the same)."""
    return [
        next(a for a in world.accounts.values() if a.platform is p and len(a.posts) >= 3)
        for p in (Platform.X, Platform.BLUESKY)
    ]


def _cli(monkeypatch: pytest.MonkeyPatch, server: FakeServer):  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from netra import cli

    monkeypatch.setenv("NETRA_PLATFORM_URL", server.url)
    monkeypatch.setenv("NETRA_HTTP_REQUESTS_PER_SECOND", "2000")
    monkeypatch.setattr(cli, "encoder_in_use", lambda settings: "not loaded in this test")
    runner = CliRunner()
    app = cli.app

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_quarantined_items_are_collected_again_once_the_fault_is_cleared(
    server: FakeServer, store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    netra = _cli(monkeypatch, server)
    world = server.platforms.world
    drifting = _drifting(world)
    stuck = sum(1 for a in drifting for p in a.posts if not p.deleted)
    control(server, {"faults": {"drift_accounts": [a.handle for a in drifting]}})
    netra("collect")
    assert store.summary().posts == visible_posts(world) - stuck
    assert f"Quarantine: {stuck} pending" in netra("status")
    control(server, {"faults": {"drift_accounts": []}})
    again = netra("collect")
    assert store.summary().posts == visible_posts(world)  # the checkpoint did not hide them
    assert re.search(rf"quarantine resolved\s+│\s+{stuck}\b", again), again
    status = netra("status")
    assert (
        f"Quarantine: 0 pending (retried at the next collection), 0 given up, {stuck} resolved"
        in status
    )
    resolved = store.list_quarantine(limit=1000, states=[QuarantineState.RESOLVED])
    assert len(resolved) == stuck and all("collected anew" in (i.outcome or "") for i in resolved)
    quiet = pipeline.collect(store, settings_for(server))
    assert (quiet.posts_new, quiet.quarantined, quiet.quarantine_resolved) == (0, 0, 0)


def test_items_still_unmappable_are_given_up_after_the_allowed_attempts(
    server: FakeServer, store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    netra = _cli(monkeypatch, server)
    monkeypatch.setenv("NETRA_QUARANTINE_MAX_ATTEMPTS", "2")
    drifting = _drifting(server.platforms.world)
    stuck = sum(1 for a in drifting for p in a.posts if not p.deleted)
    control(server, {"faults": {"drift_accounts": [a.handle for a in drifting]}})
    netra("collect")
    pending = netra("quarantine")
    assert pending.count("[pending, 1 attempt(s)]") == min(stuck, 20), pending
    retried = netra("quarantine", "retry")
    assert f"retried 2 accounts; quarantine: 0 pending, 0 resolved, {stuck} given up" in retried
    given_up = netra("quarantine", "list", "--state", "given_up", "--limit", "1000")
    x_posts = sum(1 for p in drifting[0].posts if not p.deleted)
    assert given_up.count("gave up after 2 attempts: missing field 'text'") == x_posts, given_up
    assert "nothing pending in quarantine" in netra("quarantine")
    assert f"0 pending (retried at the next collection), {stuck} given up" in netra("status")
    later = pipeline.collect(store, settings_for(server))  # given up: neither retried nor counted
    assert (later.quarantined, later.quarantine_given_up) == (0, 0)
    assert len(store.list_quarantine(limit=1000)) == stuck  # attempts counted, never copies


class _EveryThirdPost:
    """A scorer that flags every third post of a batch: what the model says is tested elsewhere;
    here, what scoring counts."""

    artifact = SimpleNamespace(version="every-third")

    def score(self, posts: list[object], explain_unflagged: object = True) -> list[SimpleNamespace]:
        return [
            SimpleNamespace(score=score(0.9 if i % 3 == 0 else 0.1), embedding=np.zeros(4))
            for i in range(len(posts))
        ]


def test_a_collection_and_scoring_in_other_processes_show_up_in_the_apis_metrics(
    server: FakeServer, store: SqliteStore, tmp_path: Path
) -> None:
    """`netra collect` runs in its own process and scoring in an Airflow-like task session; each
    counts into the metrics directory of NETRA_VAR_DIR, and the API's /metrics adds them up."""
    from fastapi.testclient import TestClient
    from scrape import by_label

    from api.app import create_app
    from netra import scheduling

    control(server, {"faults": {"rate_limit_every": 4, "retry_after": "0.01"}})
    env = {
        **os.environ,
        "NETRA_PLATFORM_URL": server.url,
        "NETRA_HTTP_REQUESTS_PER_SECOND": "2000",
    }
    done = subprocess.run(
        [sys.executable, "-m", "netra.cli", "collect"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    with scheduling.session() as (task_store, _):
        scored = pipeline.score_and_flag(task_store, _EveryThirdPost())
    world = server.platforms.world
    posts = Counter(
        a.platform.value for a in world.accounts.values() for p in a.posts if not p.deleted
    )
    run = store.collection_runs(datetime.now(UTC) - timedelta(hours=1))[0]
    with TestClient(create_app(Settings(), store)) as client:
        text = client.get("/metrics").text
    assert by_label(text, "netra_posts_collected_total", "platform") == posts
    assert by_label(text, "netra_posts_scored_total", "platform") == posts
    queued = by_label(text, "netra_posts_queued_total", "platform")
    assert sum(queued.values()) == scored.flagged == store.summary().flags > 0
    waits = by_label(text, "netra_rate_limit_waits_total", "platform")
    assert sum(waits.values()) == run["rate_limit_waits"] > 0
    assert set(waits) <= set(posts)
    batches = by_label(text, "netra_scoring_seconds_count", "model")
    assert batches == {"every-third": -(-scored.scored // 1024)}  # one observation a batch
