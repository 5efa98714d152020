"""The posts role's contract (posts, their evidence and which model scored them),
asserted through the port only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import T0, flag, post

from netra.domain.models import (
    evidence_hash,
)
from netra.store.base import ScoreRecord, Store


def test_upsert_posts_is_idempotent(store: Store) -> None:
    posts = [post(str(i), f"teks {i}") for i in range(10)]
    assert store.upsert_posts(posts).new == 10
    again = store.upsert_posts(posts)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 10)
    stored = store.get_post("x:3")
    assert stored is not None and stored.text == "teks 3"
    assert stored.raw_sha256 == evidence_hash(posts[3].raw)  # the hash a dossier shows


def test_edit_keeps_earlier_version_and_its_evidence(store: Store) -> None:
    original = post("1", "dukung no 2 ya")
    store.upsert_posts([original])
    first_hash = store.get_post("x:1").raw_sha256  # type: ignore[union-attr]
    edited = post("1", "selamat pagi semua", collected_at=T0 + timedelta(days=2))
    result = store.upsert_posts([edited])
    assert result.updated_ids == ["x:1"]
    stored = store.get_post("x:1")
    assert stored is not None and stored.text == "selamat pagi semua"
    assert [v.text for v in stored.edit_history] == ["dukung no 2 ya"]
    assert stored.edit_history[0].raw_sha256 == first_hash
    assert stored.edit_history[0].raw == {"id": "1", "text": "dukung no 2 ya"}
    assert stored.raw_sha256 != first_hash


def test_mark_deleted_keeps_evidence(store: Store) -> None:
    store.upsert_posts([post("1", "dukung no 2")])
    gone = T0 + timedelta(days=3)
    assert store.mark_deleted("x:1", gone) is True
    assert store.mark_deleted("x:1", gone + timedelta(days=1)) is False
    stored = store.get_post("x:1")
    assert stored is not None and stored.deleted_at == gone and stored.text == "dukung no 2"
    assert stored.raw == {"id": "1", "text": "dukung no 2"}


def test_purge_keeps_flagged_posts(store: Store) -> None:
    old_flagged, old_plain, recent = (
        post("1", "dukung no 2"),
        post("2", "makan siang"),
        post("3", "baru", hours=24 * 40),
    )
    store.upsert_posts([old_flagged, old_plain, recent])
    store.upsert_flags([flag(old_flagged)])
    purged = store.purge(before=T0 + timedelta(days=30))
    assert purged == 1
    plain = store.get_post("x:2")
    assert (
        plain is not None and plain.text == "" and plain.raw == {} and plain.purged_at is not None
    )
    kept = store.get_post("x:1")
    assert kept is not None and kept.text == "dukung no 2" and kept.raw
    assert store.get_post("x:3").text == "baru"  # type: ignore[union-attr]
    assert store.purge(before=T0 + timedelta(days=30)) == 0  # nothing left to purge
    assert store.search_flags(q="dukung").total == 1  # evidence still searchable


def test_unscored_posts_per_model(store: Store) -> None:
    store.upsert_posts([post(str(i), f"teks {i}") for i in range(5)])
    batch, cursor = store.unscored_posts("m1", limit=3)
    assert [p.native_id for p in batch] == ["0", "1", "2"]
    rest, after_rest = store.unscored_posts("m1", limit=10, cursor=cursor)
    assert [p.native_id for p in rest] == ["3", "4"]
    assert store.unscored_posts("m1", cursor=after_rest)[0] == []  # nothing after the end
    store.record_scores([ScoreRecord(p.id, "m1", 0.1, 0.3, False, T0) for p in batch])
    left, _ = store.unscored_posts("m1")
    assert [p.native_id for p in left] == ["3", "4"]
    assert len(store.unscored_posts("m2")[0]) == 5  # a new model scores everything again
    store.mark_deleted("x:4", T0)
    assert [p.native_id for p in store.unscored_posts("m1")[0]] == ["3"]


@pytest.mark.parametrize("cursor", ["", "nonsense", "WyJ1bnNjb3JlZCIsLTFd", "WzEsMl0"])
def test_an_unscored_cursor_not_from_the_store_is_a_clear_error(store: Store, cursor: str) -> None:
    store.upsert_posts([post("1", "teks")])
    with pytest.raises(ValueError, match="cursor"):
        store.unscored_posts("m1", cursor=cursor)


def test_scoring_bookkeeping(store: Store) -> None:
    assert store.scoring_counts() == {"scored": 0, "flagged": 0}
    assert store.latest_scoring_model() is None
    posts = [post(str(i), f"teks {i}") for i in range(4)]
    store.upsert_posts(posts)
    store.record_scores(
        [ScoreRecord(p.id, "m1", 0.1 * i, 0.3, False, T0) for i, p in enumerate(posts)]
    )
    store.record_scores(  # scored again by a newer model: the record is replaced
        [ScoreRecord("x:0", "m2", 0.9, 0.3, True, T0 + timedelta(hours=1))]
    )
    assert store.scoring_counts() == {"scored": 4, "flagged": 1}
    assert store.latest_scoring_model() == "m2"


def test_audit_candidates_are_unflagged_posts_outside_the_queue_in_seeded_order(
    store: Store,
) -> None:
    posts = [post(str(i), f"teks {i}") for i in range(6)]
    store.upsert_posts(posts)
    store.record_scores(
        [ScoreRecord(p.id, "m1", 0.05 * i, 0.3, i == 0, T0) for i, p in enumerate(posts)]
    )
    store.upsert_flags([flag(posts[1])])  # in the queue already
    store.mark_deleted("x:2", T0)
    drawn = store.audit_candidates("m1", limit=10, seed=7)
    assert sorted(c.post_id for c in drawn) == ["x:3", "x:4", "x:5"]
    assert {c.post_id: (c.probability, c.threshold) for c in drawn}["x:4"] == (0.2, 0.3)
    assert store.audit_candidates("m1", limit=10, seed=7) == drawn  # the seed fixes the order
    assert len(store.audit_candidates("m1", limit=2, seed=7)) == 2
    assert store.audit_candidates("m2", limit=10, seed=7) == []


def test_posts_after_pages_every_post_in_id_order(store: Store) -> None:
    store.upsert_posts([post(str(i), f"teks {i}") for i in (3, 1, 4, 2)])
    store.mark_deleted("x:2", T0 + timedelta(days=1))
    first = store.posts_after(None, limit=3)
    assert [p.id for p in first] == ["x:1", "x:2", "x:3"]
    assert first[1].deleted_at is not None  # deleted posts are copied too
    assert [p.id for p in store.posts_after("x:3", limit=3)] == ["x:4"]
    assert store.posts_after("x:4") == []
