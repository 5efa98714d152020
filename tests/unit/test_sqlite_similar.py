"""similar() caches the embedding matrix; a re-score anywhere must never leave it stale."""

from __future__ import annotations

from pathlib import Path

from factories import flag, post, score

from netra.store.sqlite import SqliteStore


def _seed(db: SqliteStore) -> None:
    posts = [post(str(i), f"teks {i}") for i in range(3)]
    db.upsert_posts(posts)
    vectors = {"x:0": [1.0, 0.0], "x:1": [0.0, 1.0], "x:2": [-1.0, 0.0]}
    db.upsert_flags([flag(p) for p in posts], embeddings=vectors)


def _similarity(db: SqliteStore, a: str, b: str) -> float:
    return next(s.similarity for s in db.similar(a, k=5) if s.flag_id == b)


def test_a_rescore_in_another_process_is_seen_by_a_long_running_one(tmp_path: Path) -> None:
    server, scorer = SqliteStore(tmp_path / "n.db"), SqliteStore(tmp_path / "n.db")
    try:
        _seed(server)
        assert abs(_similarity(server, "x:0", "x:1")) < 1e-6  # the matrix is cached now
        rescored = flag(post("1", "teks 1"), p=0.8).model_copy(update={"score": score(0.8)})
        scorer.upsert_flags([rescored], embeddings={"x:1": [1.0, 0.0]})  # same count, same rowid
        assert _similarity(scorer, "x:0", "x:1") > 0.999
        assert _similarity(server, "x:0", "x:1") > 0.999
    finally:
        server.close()
        scorer.close()


def test_a_rescore_in_the_same_store_replaces_the_cached_vector(tmp_path: Path) -> None:
    db = SqliteStore(tmp_path / "n.db")
    try:
        _seed(db)
        assert _similarity(db, "x:0", "x:2") < -0.999
        db.upsert_flags([flag(post("2", "teks 2"))], embeddings={"x:2": [1.0, 0.0]})
        assert _similarity(db, "x:0", "x:2") > 0.999
    finally:
        db.close()
