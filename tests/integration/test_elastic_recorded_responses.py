"""The Elasticsearch adapter against RECORDED RESPONSES, not a real cluster: a threaded HTTP
server on 127.0.0.1 answers each request with a canned Elasticsearch JSON body (and the
``X-Elastic-Product: Elasticsearch`` header the client checks), and the official client talks to
it through its real transport; nothing in the client is patched. What a real cluster does is
checked by the contract suites when NETRA_ES_URL is set (tests/contract/)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from factories import T0, event, flag, post

from netra.domain.models import FlagStatus
from netra.store.elastic import documents
from netra.store.elastic.adapter import ElasticPostQueueStore
from netra.store.elastic.connection import BulkWriteError, ElasticConnection
from netra.store.ports.types import Conflict, StoreError
from netra.store.sqlite import SqliteStore

Reply = tuple[int, dict[str, Any]]


class Recorded:
    """Canned replies by (method, path): each request takes the next reply of its route (the
    last one repeats); every request is kept for the assertions."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.requests: list[tuple[str, str, bytes]] = []

    def on(self, method: str, path: str, *replies: Reply) -> None:
        self.routes[(method, path)] = list(replies)

    def answer(self, method: str, path: str) -> Reply:
        replies = self.routes.get((method, path))
        if not replies:
            return 500, {"error": {"type": "unrecorded", "reason": f"{method} {path}"}}
        return replies.pop(0) if len(replies) > 1 else replies[0]

    def sent(self, method: str, path: str) -> list[bytes]:
        return [body for m, p, body in self.requests if (m, p) == (method, path)]


@pytest.fixture
def recorded() -> Iterator[tuple[Recorded, str]]:
    book = Recorded()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            path = unquote(urlsplit(self.path).path)
            book.requests.append((self.command, path, body))
            status, payload = book.answer(self.command, path)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("x-elastic-product", "Elasticsearch")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield book, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def adapter(recorded: tuple[Recorded, str], tmp_path: Path) -> Iterator[ElasticPostQueueStore]:
    _, url = recorded
    registry = SqliteStore(tmp_path / "registry.db")
    connection = ElasticConnection(url, max_retries=3, backoff_base=0.0, request_timeout=5)
    store = ElasticPostQueueStore(connection, registry=registry, refresh=False)
    yield store
    store.close()
    registry.close()


def _error(status: int, etype: str, reason: str) -> Reply:
    return status, {"error": {"type": etype, "reason": reason}, "status": status}


def _bulk_item(op: str, doc_id: str, status: int, **extra: Any) -> dict[str, Any]:
    return {op: {"_index": "netra-posts-v1", "_id": doc_id, "status": status, **extra}}


def test_recorded_409_on_a_decision_is_a_conflict_with_the_current_flag(
    recorded: tuple[Recorded, str], adapter: ElasticPostQueueStore
) -> None:
    book, _ = recorded
    p = post("1", "dukung no 2")
    mine = flag(p)
    theirs = mine.model_copy(update={"status": FlagStatus.DISMISSED, "version": 2})
    facts = documents.FlagFacts.of(p, None)

    def found(f: Any, seq_no: int) -> Reply:
        source = documents.flag_document(f, facts)
        return 200, {
            "_index": "netra-flags-v1",
            "_id": "x:1",
            "found": True,
            "_seq_no": seq_no,
            "_primary_term": 1,
            "_version": seq_no + 1,
            "_source": source,
        }

    book.on("GET", "/netra-flags/_doc/x:1", found(mine, 4), found(theirs, 5))
    book.on(
        "POST",
        "/netra-flags/_update/x:1",
        _error(409, "version_conflict_engine_exception", "[x:1]: version conflict"),
    )
    result = adapter.apply_review("x:1", 1, event("x:1", FlagStatus.IN_REVIEW))
    assert isinstance(result, Conflict)
    assert result.current.version == 2 and result.current.status is FlagStatus.DISMISSED
    (update,) = book.sent("POST", "/netra-flags/_update/x:1")
    assert json.loads(update)["doc"]["version"] == 2
    guarded = [p for m, p, _ in book.requests if m == "POST" and "_update" in p]
    assert guarded == ["/netra-flags/_update/x:1"]
    assert book.sent("PUT", "/_bulk") == []  # the loser appended no event


def test_recorded_429_on_bulk_is_retried_and_nothing_is_lost(
    recorded: tuple[Recorded, str], adapter: ElasticPostQueueStore
) -> None:
    book, _ = recorded
    posts = [post("1", "satu"), post("2", "dua")]
    book.on(
        "POST",
        "/netra-posts/_mget",
        (200, {"docs": [{"_id": "x:1", "found": False}, {"_id": "x:2", "found": False}]}),
    )
    book.on(
        "PUT",
        "/_bulk",
        _error(429, "es_rejected_execution_exception", "rejected execution of bulk"),
        (
            200,
            {
                "errors": False,
                "items": [
                    _bulk_item("index", "x:1", 201, result="created"),
                    _bulk_item("index", "x:2", 201, result="created"),
                ],
            },
        ),
    )
    result = adapter.upsert_posts(posts)
    assert (result.new, result.new_ids) == (2, ["x:1", "x:2"])
    first, second = book.sent("PUT", "/_bulk")
    assert first == second and first.count(b'"index"') == 2  # the same two documents again


def test_recorded_503_is_a_store_error_after_retries(
    recorded: tuple[Recorded, str], adapter: ElasticPostQueueStore
) -> None:
    book, _ = recorded
    book.on(
        "GET",
        "/netra-posts/_doc/x:1",
        _error(503, "unavailable_shards_exception", "primary shard is not active"),
    )
    with pytest.raises(StoreError, match=r"unavailable .*503.* after 4 attempts"):
        adapter.get_post("x:1")
    assert len(book.sent("GET", "/netra-posts/_doc/x:1")) == 4


def test_recorded_partial_bulk_failure_reports_each_failed_item(
    recorded: tuple[Recorded, str], adapter: ElasticPostQueueStore
) -> None:
    book, _ = recorded
    book.on(
        "POST",
        "/netra-posts/_mget",
        (200, {"docs": [{"_id": f"x:{i}", "found": False} for i in (1, 2, 3)]}),
    )
    book.on(
        "PUT",
        "/_bulk",
        (
            200,
            {
                "errors": True,
                "items": [
                    _bulk_item("index", "x:1", 201, result="created"),
                    _bulk_item(
                        "index",
                        "x:2",
                        400,
                        error={
                            "type": "document_parsing_exception",
                            "reason": "[1:2] failed to parse field [created_at]",
                        },
                    ),
                    _bulk_item("index", "x:3", 201, result="created"),
                ],
            },
        ),
    )
    with pytest.raises(BulkWriteError) as caught:
        adapter.upsert_posts([post("1", "a"), post("2", "b"), post("3", "c")])
    error = caught.value
    assert error.stored == 2
    assert [(e.id, e.status, e.type) for e in error.failed] == [
        ("x:2", 400, "document_parsing_exception")
    ]
    assert "x:2: 400" in str(error) and "failed to parse field [created_at]" in str(error)
    assert len(book.sent("PUT", "/_bulk")) == 1  # a 400 is not retried


def test_recorded_missing_index_names_the_migrate_command(
    recorded: tuple[Recorded, str], adapter: ElasticPostQueueStore
) -> None:
    book, _ = recorded
    book.on(
        "POST",
        "/netra-posts/_search",
        _error(404, "index_not_found_exception", "no such index [netra-posts]"),
    )
    with pytest.raises(StoreError, match=r"no such index \[netra-posts\].*netra index migrate"):
        adapter.latest_scoring_model()
    description = adapter.describe()
    assert not description.ok


def test_recorded_bulk_item_429_is_retried_alone(
    recorded: tuple[Recorded, str], adapter: ElasticPostQueueStore
) -> None:
    book, _ = recorded
    book.on(
        "POST",
        "/netra-posts/_mget",
        (200, {"docs": [{"_id": "x:1", "found": False}, {"_id": "x:2", "found": False}]}),
    )
    busy = {"type": "es_rejected_execution_exception", "reason": "queue full"}
    book.on(
        "PUT",
        "/_bulk",
        (
            200,
            {
                "errors": True,
                "items": [
                    _bulk_item("index", "x:1", 201, result="created"),
                    _bulk_item("index", "x:2", 429, error=busy),
                ],
            },
        ),
        (200, {"errors": False, "items": [_bulk_item("index", "x:2", 201, result="created")]}),
    )
    assert adapter.upsert_posts([post("1", "a"), post("2", "b")]).new == 2
    first, second = book.sent("PUT", "/_bulk")
    assert b'"x:1"' in first and b'"x:1"' not in second and b'"x:2"' in second
    assert T0  # the factories' clock


def test_the_url_credentials_are_not_in_messages() -> None:
    connection = ElasticConnection("http://elastic:s3cret@127.0.0.1:1", max_retries=0)
    assert "s3cret" not in connection.url
    connection.close()
