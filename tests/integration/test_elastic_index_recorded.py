"""``reindex`` and ``copy_embedded`` against RECORDED RESPONSES on loopback (not a real cluster):
the official client's real transport talks to the canned-reply server of
test_elastic_recorded_responses.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import test_elastic_recorded_responses as recorded_responses
from factories import post
from test_elastic_recorded_responses import Recorded, _bulk_item, _error

from netra.store.elastic.adapter import ElasticPostQueueStore
from netra.store.elastic.connection import ElasticConnection
from netra.store.elastic.copy import Checkpoint, copy_embedded
from netra.store.elastic.reindex import reindex
from netra.store.ports.types import StoreError
from netra.store.sqlite import SqliteStore

recorded = recorded_responses.recorded  # the loopback server fixture


def _connection(url: str) -> ElasticConnection:
    return ElasticConnection(url, max_retries=1, backoff_base=0.0, request_timeout=5)


def test_recorded_reindex_creates_copies_checks_and_swaps_in_order(
    recorded: tuple[Recorded, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from netra.store.elastic import reindex as module

    monkeypatch.setattr(module, "MAPPING_VERSION", 2)
    monkeypatch.setattr(module, "layout", lambda v, *a, **k: _layout_v2(*a, **k))
    book, url = recorded
    for role in ("posts", "flags", "events"):
        book.on("HEAD", f"/_alias/netra-{role}", (200, {}))
        book.on("GET", f"/_alias/netra-{role}", (200, {f"netra-{role}-v1": {"aliases": {}}}))
        book.on("PUT", f"/_index_template/netra-{role}", (200, {"acknowledged": True}))
        book.on("HEAD", f"/netra-{role}-v2", (404, {}))
        book.on("PUT", f"/netra-{role}-v2", (200, {"acknowledged": True}))
        book.on("POST", f"/netra-{role}-v2/_refresh", (200, {}))
        book.on("POST", f"/netra-{role}-v1/_count", (200, {"count": 3}))
        book.on("POST", f"/netra-{role}-v2/_count", (200, {"count": 3}))
    book.on("POST", "/_reindex", (200, {"task": "n:1"}))
    book.on("GET", "/_tasks/n:1", (200, {"completed": False}), (200, _done()))
    book.on("POST", "/_aliases", (200, {"acknowledged": True}))
    connection = _connection(url)
    done = reindex(connection, sleep=lambda _: None)
    assert done["posts"] == "reindexed v1 → v2 (3 documents)"
    posts = [(m, p) for m, p, _ in book.requests if "posts" in p or p in ("/_reindex",)][:9]
    assert [p for _, p in posts[:5]] == [
        "/_alias/netra-posts",
        "/_alias/netra-posts",
        "/_index_template/netra-posts",
        "/netra-posts-v2",
        "/netra-posts-v2",
    ]
    order = [p for m, p, _ in book.requests if m == "POST"]
    assert order[:5] == [
        "/_reindex",
        "/netra-posts-v2/_refresh",
        "/netra-posts-v1/_count",
        "/netra-posts-v2/_count",
        "/_aliases",
    ]
    assert json.loads(book.sent("PUT", "/netra-posts-v2")[0] or b"{}") == {}  # no alias yet
    reindexed = json.loads(book.sent("POST", "/_reindex")[0])
    assert reindexed == {"source": {"index": "netra-posts-v1"}, "dest": {"index": "netra-posts-v2"}}
    swap = json.loads(book.sent("POST", "/_aliases")[0])
    assert swap["actions"] == [
        {"remove": {"index": "netra-posts-v1", "alias": "netra-posts"}},
        {"add": {"index": "netra-posts-v2", "alias": "netra-posts", "is_write_index": True}},
    ]  # one request: remove and add
    assert len(book.sent("POST", "/_aliases")) == 3
    connection.close()


def _layout_v2(*args: Any, **kwargs: Any) -> Any:
    from netra.store.elastic.mappings import layout

    return layout(2, *args, **kwargs)


def _done() -> dict[str, Any]:
    return {"completed": True, "response": {"total": 3, "created": 3, "failures": []}}


def test_recorded_reindex_skips_roles_already_current(recorded: tuple[Recorded, str]) -> None:
    book, url = recorded
    for role in ("posts", "flags", "events"):
        book.on("HEAD", f"/_alias/netra-{role}", (200, {}))
        book.on("GET", f"/_alias/netra-{role}", (200, {f"netra-{role}-v1": {"aliases": {}}}))
    connection = _connection(url)
    assert reindex(connection) == dict.fromkeys(("posts", "flags", "events"), "current")
    assert {m for m, _, _ in book.requests} <= {"HEAD", "GET"}
    connection.close()


def _bulk_ok(body: bytes) -> tuple[int, dict[str, Any]]:
    lines = [json.loads(x) for x in body.splitlines()]
    items = [
        _bulk_item(next(iter(meta)), meta[next(iter(meta))]["_id"], 201, result="created")
        for meta in lines[::2]
    ]
    return 200, {"errors": False, "items": items}


@pytest.fixture
def embedded(tmp_path: Path) -> SqliteStore:
    store = SqliteStore(tmp_path / "netra.db")
    store.upsert_posts([post(str(i), f"teks {i}") for i in range(1, 5)])
    return store


def _cluster(url: str, registry: SqliteStore) -> ElasticPostQueueStore:
    return ElasticPostQueueStore(_connection(url), registry=registry, refresh=False)


def _empty_mget(ids: list[str]) -> tuple[int, dict[str, Any]]:
    return 200, {"docs": [{"_id": i, "found": False} for i in ids]}


def test_recorded_copy_sends_bulk_batches_and_resumes_after_a_failed_batch(
    recorded: tuple[Recorded, str], embedded: SqliteStore, tmp_path: Path
) -> None:
    book, url = recorded
    first = ["x:1", "x:2"]
    second = ["x:3", "x:4"]
    book.on("POST", "/netra-posts/_mget", _empty_mget(first), _empty_mget(second))
    ok = _bulk_ok(b"".join(json.dumps({"index": {"_id": i}}).encode() + b"\n{}\n" for i in first))
    busy = _error(503, "unavailable_shards_exception", "primary shard is not active")
    book.on("PUT", "/_bulk", ok, busy, busy)  # the second batch fails beyond retries
    checkpoint = Checkpoint(tmp_path / "var" / "es-copy-checkpoint.json")
    cluster = _cluster(url, embedded)
    with pytest.raises(StoreError, match="503"):
        copy_embedded(embedded, cluster, checkpoint, batch=2, sample=0)
    sent = book.sent("PUT", "/_bulk")
    assert len(sent) == 3  # batch 1, batch 2 and its one retry
    assert [json.loads(x)["index"]["_id"] for x in sent[0].splitlines()[::2]] == first
    assert json.loads(sent[0].splitlines()[1])["text"] == "teks 1"
    assert Checkpoint(checkpoint.path).state == {"posts": "x:2"}

    book.requests.clear()
    book.on("POST", "/netra-posts/_mget", _empty_mget(second))
    book.on(
        "PUT",
        "/_bulk",
        _bulk_ok(b"".join(json.dumps({"index": {"_id": i}}).encode() + b"\n{}\n" for i in second)),
    )
    for role, count in (("posts", 4), ("flags", 0), ("events", 0)):
        book.on("POST", f"/netra-{role}/_count", (200, {"count": count}))
    report = copy_embedded(embedded, cluster, Checkpoint(checkpoint.path), batch=2, sample=0)
    (resent,) = book.sent("PUT", "/_bulk")
    assert [json.loads(x)["index"]["_id"] for x in resent.splitlines()[::2]] == second
    assert report.resumed and report.copied["posts"] == 2 and report.ok
    assert report.source_counts == report.target_counts == {"posts": 4, "flags": 0, "events": 0}
    cluster.close()


def test_recorded_copy_reports_a_sample_mismatch(
    recorded: tuple[Recorded, str], embedded: SqliteStore, tmp_path: Path
) -> None:
    book, url = recorded
    checkpoint = Checkpoint(tmp_path / "cp.json")
    checkpoint.save(posts="x:4", posts_done=True, flags_done=True)  # copied before
    for role, count in (("posts", 4), ("flags", 0), ("events", 0)):
        book.on("POST", f"/netra-{role}/_count", (200, {"count": count}))
    from netra.store.elastic import documents

    for i in range(1, 5):
        stored = embedded.get_post(f"x:{i}")
        assert stored is not None
        if i == 3:
            stored = stored.model_copy(update={"text": "diubah"})
        book.on(
            "GET",
            f"/netra-posts/_doc/x:{i}",
            (200, {"_id": f"x:{i}", "found": True, "_source": documents.post_document(stored)}),
        )
    cluster = _cluster(url, embedded)
    report = copy_embedded(embedded, cluster, checkpoint, batch=2, sample=50, seed=1)
    assert report.sampled == 4 and not report.ok
    assert report.differences == ["post x:3: text: sqlite='teks 3' elasticsearch='diubah'"]
    cluster.close()


def test_index_commands_refuse_plainly_without_a_cluster_or_with_other_stores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from netra.cli import app

    monkeypatch.delenv("NETRA_ES_URL", raising=False)
    other = CliRunner().invoke(app, ["index", "copy", "--from", "mysql", "--to", "es"])
    assert other.exit_code == 2 and "only --from sqlite --to es" in other.output
    for command in (["index", "reindex"], ["index", "copy"], ["index", "migrate"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code != 0, command
        assert "NETRA_ES_URL" in result.output and "Traceback" not in result.output, command
