"""Failures someone hears about: a failed DAG run and a missed deadline reach the alert e-mail
addresses (through the digest's SMTP settings, a real SMTP server here) and a chat webhook (a
real HTTP server on 127.0.0.1); a retried digest task mails each recipient once."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from typing import Any

import pendulum
import pytest
from dagruns import REGISTRY, WITA, run_dag
from smtp import Inbox, smtp_server
from webhook import Hook, webhook_server

from netra.domain.settings import Settings
from netra.store.sqlite import SqliteStore

DAY_RUN = pendulum.datetime(2026, 11, 21, 7, tz=WITA)  # covers the 20th
OPS = "ops@netra.example.id"


@pytest.fixture()
def registry() -> Iterator[SqliteStore]:
    """The demo registry in the embedded store: the regions the digest DAG maps over."""
    from netra.commands.registry import import_file

    store = SqliteStore(Settings().db_path)
    assert import_file(store, REGISTRY, dry_run=False, encoding=None) == 0
    yield store
    store.close()


@pytest.fixture()
def channels(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Inbox, Hook]]:
    with smtp_server() as (port, inbox), webhook_server() as hook:
        monkeypatch.setenv("NETRA_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("NETRA_SMTP_PORT", str(port))
        monkeypatch.setenv("NETRA_SMTP_STARTTLS", "false")
        monkeypatch.setenv("NETRA_ALERT_RECIPIENTS", json.dumps([OPS]))
        monkeypatch.setenv("NETRA_ALERT_WEBHOOK_URL", hook.url)
        yield inbox, hook


def _recipients(monkeypatch: pytest.MonkeyPatch, addresses: list[str]) -> None:
    monkeypatch.setenv("NETRA_DIGEST_RECIPIENTS", json.dumps({"all": addresses}))


def test_a_retried_digest_task_mails_each_recipient_once(
    dagbag: Any,
    registry: SqliteStore,
    channels: tuple[Inbox, Hook],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, hook = channels
    addresses = ["a@kaltim.example.id", "b@kaltim.example.id", "c@kaltim.example.id"]
    _recipients(monkeypatch, addresses)
    inbox.refusals = {"b@kaltim.example.id": 1}  # the first attempt fails after mailing a
    xcoms = run_dag(dagbag, "netra_daily_digest", DAY_RUN, retries=1)
    sent = {x["region"]: x for x in xcoms["digest"]}["all"]
    assert sent["sent"] and sent["already_sent"] == 1  # a, by the failed attempt
    assert sorted(to for to, _ in inbox.wait_for(3)) == [[a] for a in addresses]

    run_dag(dagbag, "netra_daily_digest", DAY_RUN)  # the same day again: nobody twice
    assert len(inbox.received) == 3
    assert hook.received == []  # it ended well: no alert


def test_a_failed_run_is_heard_by_mail_and_webhook_without_leaking_the_hook(
    dagbag: Any,
    registry: SqliteStore,
    channels: tuple[Inbox, Hook],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    inbox, hook = channels
    _recipients(monkeypatch, ["b@kaltim.example.id"])
    inbox.refusals = {"b@kaltim.example.id": 99}
    caplog.set_level(logging.INFO)
    run_dag(dagbag, "netra_daily_digest", DAY_RUN, expected="failed")
    ((to, mail),) = inbox.wait_for(1)
    assert to == [OPS] and mail["Subject"].startswith("[Netra] netra_daily_digest gagal")
    ((path, body),) = hook.received
    assert body["kind"] == "failure" and body["dag_id"] == "netra_daily_digest"
    assert "digest" in body["detail"] and body["text"].startswith(mail["Subject"])
    assert "T0K3N" not in caplog.text


def test_every_dag_has_a_deadline_and_a_missed_one_is_heard(
    dagbag: Any, channels: tuple[Inbox, Hook]
) -> None:
    from netra.scheduling import deadline_missed

    for dag_id in dagbag.dag_ids:
        dag = dagbag.get_dag(dag_id)
        assert dag.on_failure_callback is not None, dag_id
        (alert,) = dag.deadline
        assert alert.callback.path == "netra.scheduling.deadline_missed", dag_id
        assert pendulum.duration(minutes=10) <= alert.interval <= pendulum.duration(hours=3)
    inbox, hook = channels
    # What Airflow's scheduler hands the callback when the deadline passes (Deadline.handle_miss).
    context = {
        "dag_run": {
            "dag_id": "netra_collect_score",
            "dag_run_id": "scheduled__2026-11-21T02:00:00+00:00",
            "queued_at": "2026-11-21T03:00:02+00:00",
            "state": "running",
        },
        "deadline": {"id": "0193", "deadline_time": "2026-11-21T03:50:02+00:00"},
    }
    asyncio.run(deadline_missed(context=context))
    ((to, mail),) = inbox.wait_for(1)
    assert to == [OPS]
    assert mail["Subject"] == "[Netra] netra_collect_score melewati tenggat waktu"
    assert "scheduled__2026-11-21T02:00:00+00:00" in mail.get_content()
    ((_, body),) = hook.received
    assert body["kind"] == "deadline" and "2026-11-21T03:50:02" in body["detail"]
