"""The state role's contract (checkpoints, quarantine, runs, report contacts, digest deliveries),
asserted through the port only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from factories import T0

from netra.domain.models import (
    Platform,
)
from netra.store.base import ReportReceipt, Store, StoreError


def test_checkpoints_round_trip(store: Store) -> None:
    assert store.get_checkpoint(Platform.X, "rina") is None
    store.set_checkpoint(Platform.X, "rina", "100")
    store.set_checkpoint(Platform.X, "rina", "200")
    store.set_checkpoint(Platform.BLUESKY, "rina", "abc")
    got = store.get_checkpoint(Platform.X, "rina")
    assert got is not None and got.cursor == "200"
    assert store.get_checkpoint(Platform.BLUESKY, "rina").cursor == "abc"  # type: ignore[union-attr]


def test_quarantine_keeps_payload_and_reason(store: Store) -> None:
    from netra.domain.models import QuarantinedItem

    item = QuarantinedItem(
        platform="x",
        account="rina_s",
        raw={"id": "9", "txt": "?"},
        error="missing field 'text'",
        seen_at=T0,
        key="k#0",
    )
    assert store.quarantine([item]) == 1
    [back] = store.list_quarantine()
    assert back == item


def test_quarantine_counts_attempts_then_settles_items(store: Store) -> None:
    from netra.domain.models import QuarantinedItem, QuarantineState

    def item(key: str, at_hours: float) -> QuarantinedItem:
        return QuarantinedItem(
            platform="x",
            account="Rina_S",
            raw={"id": key},
            error=f"missing field 'text' ({key})",
            seen_at=T0 + timedelta(hours=at_hours),
            key=key,
        )

    store.quarantine([item("a#0", 0), item("b#0", 0), item("c#0", 0)])
    assert store.quarantine_backlog() == {(Platform.X, "rina_s"): T0}
    retry_from = T0 + timedelta(hours=1)
    assert store.quarantine([item("a#0", 1), item("b#0", 1)]) == 2  # fetched again, still broken
    settled = store.settle_quarantine(Platform.X, "rina_s", retry_from, max_attempts=2)
    assert (settled.resolved, settled.given_up, settled.pending) == (1, 2, 0)
    states = {i.key: (i.state, i.attempts, i.outcome) for i in store.list_quarantine()}
    assert states["c#0"][0] is QuarantineState.RESOLVED
    assert states["a#0"] == (
        QuarantineState.GIVEN_UP,
        2,
        "gave up after 2 attempts: missing field 'text' (a#0)",
    )
    assert store.quarantine([item("a#0", 2)]) == 0  # given up: seen again, not counted
    assert store.quarantine_backlog() == {}
    assert store.quarantine_counts() == {
        QuarantineState.PENDING: 0,
        QuarantineState.RESOLVED: 1,
        QuarantineState.GIVEN_UP: 2,
    }
    assert len(store.list_quarantine(states=[QuarantineState.GIVEN_UP])) == 2


def test_collection_runs_are_kept(store: Store) -> None:
    store.save_collection_run(T0, T0 + timedelta(minutes=2), {"posts_new": 5, "accounts_failed": 1})
    [run] = store.collection_runs(since=T0 - timedelta(days=1))
    assert run["posts_new"] == 5 and run["finished_at"] == T0 + timedelta(minutes=2)
    assert store.collection_runs(since=T0 + timedelta(days=1)) == []


def test_report_contact_is_kept_apart(store: Store) -> None:
    store.save_report_contact("report:abc", "warga@example.org", T0)
    assert store.get_report_contact("report:abc") == "warga@example.org"
    assert store.get_report_contact("report:zzz") is None


def test_public_report_receipts_are_found_by_number_and_by_post(store: Store) -> None:
    kept = ReportReceipt("LPR-ABCDEFGHJK", "report:abc", T0, "f00d.png", "ab" * 32)
    store.save_report_receipt(kept)
    store.save_report_receipt(ReportReceipt("LPR-MNPQRSTUVW", "report:def", T0))
    assert store.report_receipt("LPR-ABCDEFGHJK") == kept
    assert store.report_receipt("lpr-abcdefghjk") is None  # exactly as issued
    assert store.report_receipt_of_post("report:abc") == kept
    assert store.report_receipt_of_post("report:def").screenshot is None  # type: ignore[union-attr]
    assert store.report_receipt_of_post("report:zzz") is None
    with pytest.raises(StoreError):
        store.save_report_receipt(ReportReceipt("LPR-ABCDEFGHJK", "report:ghi", T0))
    assert store.report_receipt("LPR-ABCDEFGHJK") == kept


def test_digest_deliveries_are_recorded_once_per_day_region_and_recipient(store: Store) -> None:
    day = date(2026, 11, 20)
    at = datetime(2026, 11, 20, 23, tzinfo=UTC)
    assert store.digest_recipients_sent(day, "64.71") == set()
    store.record_digest_sent(day, "64.71", "Panwas@BPP.example.id", at)
    store.record_digest_sent(day, "64.71", "panwas@bpp.example.id", at)  # a retry: no change
    assert store.digest_recipients_sent(day, "64.71") == {"panwas@bpp.example.id"}
    assert store.digest_recipients_sent(day, "all") == set()
    assert store.digest_recipients_sent(date(2026, 11, 21), "64.71") == set()
