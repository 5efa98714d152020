"""The queue role's contract (flags, search, aggregates, reviews and their events),
asserted through the port only."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from factories import T0, event, flag, person, post

from netra.domain.models import (
    Category,
    FlagOrigin,
    FlagStatus,
    Platform,
)
from netra.domain.textsearch import UnusableQuery
from netra.store.base import AggregateBy, Conflict, FlagFilter, FlagSort, NotFound, Store, TimeField


def _seed_queue(store: Store, n: int = 30) -> None:
    store.upsert_people(
        [
            person("198503122010011003", agency="Dinas Kesehatan", region="64.71", accounts=[]),
            person("199001012015032001", agency="Dinas Pendidikan", region="64", accounts=[]),
        ]
    )
    posts, flags = [], []
    for i in range(n):
        nip = "198503122010011003" if i % 2 else "199001012015032001"
        platform = Platform.X if i % 3 else Platform.TIKTOK
        text = (
            "ayo menangkan paslon nomor 2 #CoblosNomor2"
            if i % 5 == 0
            else f"berkampanye hari ke {i}"
        )
        p = post(f"p{i}", text, platform=platform, hours=i, nip=nip)
        posts.append(p)
        category = Category.DUKUNGAN if i % 2 else Category.SERANGAN
        flags.append(flag(p, p=round(0.5 + (i % 10) / 20, 2), category=category, hours=i + 1))
    store.upsert_posts(posts)
    store.upsert_flags(flags)


def _all_pages(store: Store, **kwargs) -> list[str]:
    seen, cursor = [], None
    while True:
        page = store.search_flags(cursor=cursor, limit=7, **kwargs)
        seen += [hit.flag.id for hit in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen


def test_filters_combine(store: Store) -> None:
    _seed_queue(store)
    page = store.search_flags(
        FlagFilter(
            categories=frozenset({Category.DUKUNGAN}),
            agencies=frozenset({"Dinas Kesehatan"}),
            platforms=frozenset({Platform.X}),
        ),
        limit=100,
    )
    assert page.total == len(page.items) > 0
    for hit in page.items:
        assert hit.flag.category is Category.DUKUNGAN and hit.post.platform is Platform.X
        assert hit.person is not None and hit.person.agency == "Dinas Kesehatan"
    scored = store.search_flags(FlagFilter(score_min=0.8, score_max=0.9), limit=100)
    assert scored.items and all(0.8 <= h.flag.score.probability <= 0.9 for h in scored.items)
    window = store.search_flags(
        FlagFilter(posted_from=T0 + timedelta(hours=10), posted_to=T0 + timedelta(hours=20)),
        limit=100,
    )
    assert sorted(int(h.post.native_id[1:]) for h in window.items) == list(range(10, 20))


def test_full_text_matches_stems_and_hashtags(store: Store) -> None:
    _seed_queue(store)
    by_stem = store.search_flags(q="kampanye", limit=100)
    assert by_stem.total == 24  # "berkampanye" found through its stem
    by_tag = store.search_flags(q="#CoblosNomor2", limit=100)
    assert by_tag.total == 6
    by_word = store.search_flags(q="coblos", limit=100)  # a word inside the hashtag
    assert by_word.total == 6
    assert store.search_flags(q='"nomor 2" menangkan', limit=100).total == 6
    assert store.search_flags(q='AND OR NOT ( * "', limit=100).total is not None  # no syntax error


@pytest.mark.parametrize("sort", list(FlagSort))
def test_cursor_pages_cover_everything_once_in_order(store: Store, sort: FlagSort) -> None:
    _seed_queue(store)
    ids = _all_pages(store, sort=sort)
    assert len(ids) == len(set(ids)) == 30
    hits = {h.flag.id: h for h in store.search_flags(sort=sort, limit=100).items}
    assert ids == list(hits)
    if sort is FlagSort.SCORE_DESC:
        scores = [hits[i].flag.score.probability for i in ids]
        assert scores == sorted(scores, reverse=True)


def test_paging_stays_stable_while_new_flags_arrive(store: Store) -> None:
    _seed_queue(store)
    first = store.search_flags(limit=10)
    newcomers = [post(f"late{i}", "kampanye baru", hours=100 + i) for i in range(5)]
    store.upsert_posts(newcomers)
    store.upsert_flags(
        [flag(p, p=0.99, hours=200) for p in newcomers[:3]]
        + [flag(p, p=0.51, hours=200) for p in newcomers[3:]]
    )
    seen = [h.flag.id for h in first.items]
    cursor = first.next_cursor
    while cursor:
        page = store.search_flags(cursor=cursor, limit=10)
        seen += [h.flag.id for h in page.items]
        cursor = page.next_cursor
    original = [f"x:p{i}" if i % 3 else f"tiktok:p{i}" for i in range(30)]
    assert len(seen) == len(set(seen))  # nothing repeated
    assert set(original) <= set(seen)  # nothing skipped
    assert "x:late0" not in seen  # ranks above the cursor: shows on a fresh first page instead


def test_bad_cursor_is_a_clear_error(store: Store) -> None:
    _seed_queue(store)
    with pytest.raises(ValueError, match="cursor"):
        store.search_flags(cursor="garbage!!")
    other = store.search_flags(sort=FlagSort.POSTED_DESC, limit=5).next_cursor
    with pytest.raises(ValueError, match="cursor"):
        store.search_flags(sort=FlagSort.SCORE_DESC, cursor=other)


def test_a_crafted_cursor_is_a_clear_error(store: Store) -> None:
    _seed_queue(store)
    for value, last_id in (
        (2**70, "x:p1"),
        (float("nan"), "x:p1"),
        (True, "x:p1"),
        (0.5, "\ud800"),
    ):
        raw = json.dumps([FlagSort.SCORE_DESC.value, value, last_id]).encode()
        with pytest.raises(ValueError, match="cursor"):
            store.search_flags(cursor=base64.urlsafe_b64encode(raw).decode())


def test_a_query_without_a_searchable_word_is_refused_not_all_flags(store: Store) -> None:
    _seed_queue(store)
    for q in ("😀", "%", "选举"):
        with pytest.raises(UnusableQuery):
            store.search_flags(q=q)


def test_aggregate_by_field_and_day(store: Store) -> None:
    _seed_queue(store)
    by_category = {b.key: b.count for b in store.aggregate(by=AggregateBy.CATEGORY)}
    assert by_category == {"dukungan": 15, "serangan": 15}
    by_agency = {b.key: b.count for b in store.aggregate(by=AggregateBy.AGENCY)}
    assert by_agency == {"Dinas Kesehatan": 15, "Dinas Pendidikan": 15}
    # Flags enter at T0+1h .. T0+30h UTC; in WITA (UTC+8) that is 1 Oct 09:00 .. 2 Oct 14:00.
    per_day = {b.day: b.count for b in store.aggregate(interval="day", tz="Asia/Makassar")}
    assert per_day == {"2024-10-01": 15, "2024-10-02": 15}
    per_day_utc = {b.day: b.count for b in store.aggregate(interval="day", tz="UTC")}
    assert per_day_utc == {"2024-10-01": 23, "2024-10-02": 7}
    both = store.aggregate(
        FlagFilter(platforms=frozenset({Platform.TIKTOK})),
        by=AggregateBy.PLATFORM,
        interval="day",
        time_field=TimeField.POSTED,
        tz="UTC",
    )
    assert sum(b.count for b in both) == 10 and {b.key for b in both} == {"tiktok"}


def test_rescore_never_overwrites_review_state(store: Store) -> None:
    p = post("1", "dukung no 2")
    store.upsert_posts([p])
    store.upsert_flags([flag(p, p=0.7)])
    claimed = store.apply_review(
        "x:1", 1, event("x:1", FlagStatus.IN_REVIEW, assignees_added=["ana"])
    )
    assert not isinstance(claimed, Conflict)
    store.upsert_flags([flag(p, p=0.95, category=Category.MATERI_KAMPANYE)])
    current = store.get_flag("x:1")
    assert current is not None
    assert (current.status, current.assignees, current.version) == (
        FlagStatus.IN_REVIEW,
        ["ana"],
        2,
    )
    assert current.score.probability == 0.95 and current.category is Category.MATERI_KAMPANYE


def test_stale_version_gets_conflict_with_current_state(store: Store) -> None:
    p = post("1", "dukung no 2")
    store.upsert_posts([p])
    store.upsert_flags([flag(p)])
    ok = store.apply_review("x:1", 1, event("x:1", FlagStatus.IN_REVIEW, assignees_added=["ana"]))
    assert not isinstance(ok, Conflict) and ok.version == 2
    stale = store.apply_review(
        "x:1", 1, event("x:1", FlagStatus.DISMISSED, actor="budi", action="dismiss")
    )
    assert isinstance(stale, Conflict)
    assert stale.current.version == 2 and stale.current.status is FlagStatus.IN_REVIEW
    assert [e.actor for e in store.history("x:1")] == ["ana"]  # the loser left no trace
    with pytest.raises(NotFound):
        store.apply_review("x:nope", 1, event("x:nope", FlagStatus.IN_REVIEW))


def test_history_is_append_only_and_ordered(store: Store) -> None:
    p = post("1", "dukung no 2")
    store.upsert_posts([p])
    store.upsert_flags([flag(p)])
    store.apply_review(
        "x:1", 1, event("x:1", FlagStatus.IN_REVIEW, assignees_added=["ana", "budi"])
    )
    store.apply_review("x:1", 2, event("x:1", None, action="unassign", assignees_removed=["budi"]))
    final = store.apply_review(
        "x:1", 3, event("x:1", FlagStatus.CONFIRMED, action="confirm", note="jelas")
    )
    assert not isinstance(final, Conflict)
    assert final.assignees == ["ana"] and final.status is FlagStatus.CONFIRMED
    trail = store.history("x:1")
    assert [(e.from_status, e.to_status, e.version) for e in trail] == [
        (FlagStatus.NEW, FlagStatus.IN_REVIEW, 2),
        (FlagStatus.IN_REVIEW, None, 3),
        (FlagStatus.IN_REVIEW, FlagStatus.CONFIRMED, 4),
    ]
    assert [e.seq for e in trail] == sorted(e.seq for e in trail)
    assert trail[-1].note == "jelas"


def test_review_events_by_time_and_filter(store: Store) -> None:
    _seed_queue(store, n=4)  # p1, p3 belong to region 64.71; p0, p2 to region 64
    day = T0 + timedelta(days=1)
    for flag_id in ("x:p1", "tiktok:p0"):
        store.apply_review(flag_id, 1, event(flag_id, FlagStatus.IN_REVIEW, actor="ana"))
    late = event("tiktok:p3", FlagStatus.IN_REVIEW, actor="budi").model_copy(
        update={"at": day + timedelta(days=1)}
    )
    store.apply_review("tiktok:p3", 1, late)
    that_day = store.review_events(day, day + timedelta(days=1))
    assert sorted(e.flag_id for e in that_day) == ["tiktok:p0", "x:p1"]
    in_region = store.review_events(
        day, day + timedelta(days=2), FlagFilter(region_codes=frozenset({"64.71"}))
    )
    assert [(e.flag_id, e.actor) for e in in_region] == [("x:p1", "ana"), ("tiktok:p3", "budi")]


def test_assignee_filters(store: Store) -> None:
    _seed_queue(store, n=6)
    store.apply_review("x:p1", 1, event("x:p1", FlagStatus.IN_REVIEW, assignees_added=["ana"]))
    mine = store.search_flags(FlagFilter(assignee="ana"))
    assert [h.flag.id for h in mine.items] == ["x:p1"]
    unassigned = store.search_flags(FlagFilter(unassigned=True), limit=100)
    assert unassigned.total == 5


def test_similar_finds_nearest_embeddings(store: Store) -> None:
    posts = [post(str(i), f"teks {i}") for i in range(4)]
    store.upsert_posts(posts)
    vectors = {
        "x:0": [1.0, 0.0, 0.0],
        "x:1": [0.9, 0.1, 0.0],
        "x:2": [0.0, 1.0, 0.0],
        "x:3": [0.0, 0.0, 1.0],
    }
    store.upsert_flags([flag(p) for p in posts], embeddings=vectors)
    near = store.similar("x:0", k=2)
    assert [n.flag_id for n in near] == ["x:1", near[1].flag_id]
    assert near[0].similarity > 0.99 > near[1].similarity


def test_origin_filter(store: Store) -> None:
    a, b = post("a", "x"), post("b", "y")
    store.upsert_posts([a, b])
    store.upsert_flags([flag(a), flag(b, p=0.1, origin=FlagOrigin.AUDIT_SAMPLE)])
    audit = store.search_flags(FlagFilter(origins=frozenset({FlagOrigin.AUDIT_SAMPLE})))
    assert [h.flag.id for h in audit.items] == ["x:b"]


def test_flagged_posts_for_recheck(store: Store) -> None:
    a, b, c = post("a", "x"), post("b", "y"), post("c", "z")
    store.upsert_posts([a, b, c])
    store.upsert_flags([flag(a), flag(b)])
    store.mark_deleted("x:b", T0)
    assert [p.id for p in store.flagged_posts()] == ["x:a"]


def test_flag_embeddings_by_id(store: Store) -> None:
    posts = [post("1", "satu"), post("2", "dua")]
    store.upsert_posts(posts)
    store.upsert_flags([flag(p) for p in posts], {"x:1": [0.5, 0.25, 1.0]})
    assert store.flag_embeddings(["x:1", "x:2", "x:9"]) == {"x:1": [0.5, 0.25, 1.0]}
