"""The posts role on Elasticsearch: posts with their evidence and edit history, deletion and
retention, and the scoring bookkeeping (which model scored a post, what it said)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from elasticsearch import ApiError

from netra.domain.models import (
    Post,
    canonical_json,
    hash_canonical_json,
    utcnow,
)
from netra.store import cursors
from netra.store.elastic import bulk, documents
from netra.store.elastic.base import BOOKKEEPING, ElasticRole, post_from_source
from netra.store.ports.types import (
    AuditCandidate,
    ScoreRecord,
    StoreError,
    UpsertResult,
)

UNSCORED = "es-unscored"


def _after(cursor: str | None) -> str | None:
    """The post id an unscored-posts cursor resumes after (None: from the start)."""
    if cursor is None:
        return None
    value = cursors.decode(UNSCORED, cursor)
    if not isinstance(value, str) or not value:
        raise cursors.not_ours(UNSCORED)
    return value


class ElasticPosts(ElasticRole):
    """Implements ``netra.store.ports.PostStore``."""

    def upsert_posts(self, posts: Sequence[Post]) -> UpsertResult:
        result = UpsertResult()
        index = self.es.alias("posts")
        existing = {
            doc["_id"]: doc["_source"]
            for doc in self._mget("posts", [documents.doc_id(p.id) for p in posts]).values()
        }
        latest: dict[str, tuple[Post, dict[str, Any]]] = {}  # _id → (post, bookkeeping)
        edited_queued: dict[str, Post] = {}
        for post in posts:
            did = documents.doc_id(post.id)
            digest = hash_canonical_json(canonical_json(post.raw))
            post = post.model_copy(update={"raw_sha256": digest})
            if did in latest:
                before, keep = latest[did]
            elif did in existing:
                before = post_from_source(existing[did])
                keep = {k: existing[did][k] for k in BOOKKEEPING if k in existing[did]}
            else:
                latest[did] = (post, {})
                result.new += 1
                result.new_ids.append(post.id)
                continue
            if before.raw_sha256 == digest:
                result.unchanged += 1
                continue
            merged = before.recaptured(post)
            if (merged.text, merged.media) != (before.text, before.media):
                result.edited += 1
                if keep.get("queued"):
                    edited_queued[did] = merged
            latest[did] = (merged, keep)
            if post.id not in result.new_ids:
                result.updated += 1
                result.updated_ids.append(post.id)
        actions = [
            bulk.index_action(index, did, {**documents.post_document(post), **keep})
            for did, (post, keep) in latest.items()
        ]
        self._write("upsert posts", actions)
        if edited_queued:  # the queue searches the post's text: keep the flag's copy current
            flags = self.es.alias("flags")
            self._write(
                "refresh edited flag texts",
                [
                    bulk.BulkAction(
                        "update",
                        flags,
                        did,
                        {"doc": {"post_text": p.text, "post_media": list(p.media)}},
                        3,
                    )
                    for did, p in edited_queued.items()
                ],
            )
        return result

    def get_post(self, post_id: str) -> Post | None:
        doc = self._get("posts", documents.doc_id(post_id))
        return None if doc is None or not doc.get("found") else post_from_source(doc["_source"])

    def posts_after(self, after: str | None, limit: int = 500) -> list[Post]:
        body: dict[str, Any] = {
            "size": limit,
            "query": {"range": {"id": {"gt": after}}} if after else {"match_all": {}},
            "sort": [{"id": "asc"}],
        }
        hits = self._search("posts", body, "posts after")["hits"]["hits"]
        return [post_from_source(h["_source"]) for h in hits]

    def mark_deleted(self, post_id: str, seen_gone_at: datetime) -> bool:
        did = documents.doc_id(post_id)
        for _ in range(5):
            doc = self._get("posts", did)
            if doc is None or not doc.get("found") or doc["_source"].get("deleted_at"):
                return False
            when = documents.iso(seen_gone_at)
            try:
                self.es.call(
                    "mark deleted",
                    lambda doc=doc, when=when: self.client.update(  # type: ignore[misc]
                        index=self.es.alias("posts"),
                        id=did,
                        doc={"deleted_at": when, "last_checked_at": when},
                        if_seq_no=doc["_seq_no"],
                        if_primary_term=doc["_primary_term"],
                        refresh=self.refresh,
                    ),
                    passthrough=(409,),
                )
            except ApiError as exc:
                if exc.meta.status == 409:
                    continue  # written meanwhile: read again
                raise
            return True
        raise StoreError(f"mark deleted {post_id!r}: the post kept changing; try again")

    def purge(self, before: datetime, keep_flagged: bool = True) -> int:
        now = documents.iso(utcnow())
        must_not: list[dict[str, Any]] = [{"exists": {"field": "purged_at"}}]
        if keep_flagged:
            must_not.append({"term": {"queued": True}})
        query = {
            "bool": {
                "filter": [{"range": {"created_at": {"lt": documents.iso(before)}}}],
                "must_not": must_not,
            }
        }
        purged_queued = (
            [
                hit["_id"]
                for hit in self._scan(
                    "posts",
                    {
                        "bool": {
                            **query["bool"],
                            "filter": [*query["bool"]["filter"], {"term": {"queued": True}}],
                        }
                    },
                    [{"id": "asc"}],
                    _source=False,
                )
            ]
            if not keep_flagged
            else []
        )
        response = self.es.call(
            "purge posts",
            lambda: self.client.update_by_query(
                index=self.es.alias("posts"),
                query=query,
                script={
                    "lang": "painless",
                    "source": "ctx._source.text = ''; ctx._source.media = [];"
                    " ctx._source.raw = [:]; ctx._source.edit_history = [];"
                    " ctx._source.purged_at = params.now;",
                    "params": {"now": now},
                },
                conflicts="proceed",
                refresh=True,
                slices="auto",
            ),
        )
        body = response.body
        if body.get("failures"):
            raise StoreError(f"elasticsearch purge posts: {len(body['failures'])} failure(s)")
        if purged_queued:
            self._write(
                "purge flag texts",
                [
                    bulk.BulkAction(
                        "update",
                        self.es.alias("flags"),
                        did,
                        {"doc": {"post_text": "", "post_media": []}},
                        3,
                    )
                    for did in purged_queued
                ],
            )
        return int(body.get("updated", 0))

    def record_scores(self, records: Sequence[ScoreRecord]) -> None:
        index = self.es.alias("posts")
        actions = [
            bulk.BulkAction(
                "update",
                index,
                documents.doc_id(r.post_id),
                {
                    "doc": {
                        "scoring": {
                            "model_version": r.model_version,
                            "probability": r.probability,
                            "threshold": r.threshold,
                            "flagged": r.flagged,
                            "scored_at": documents.iso(r.scored_at),
                        }
                    }
                },
                3,
            )
            for r in records
        ]
        # A score of a post that is not stored changes nothing (as in the embedded store).
        self._write(
            "record scores",
            actions,
            ignore=lambda e: e.status == 404 and e.type == "document_missing_exception",
        )

    def _live_posts(self) -> list[dict[str, Any]]:
        return [{"exists": {"field": "deleted_at"}}, {"exists": {"field": "purged_at"}}]

    def unscored_posts(
        self, model_version: str, limit: int = 500, cursor: str | None = None
    ) -> tuple[list[Post], str | None]:
        after = _after(cursor)
        body: dict[str, Any] = {
            "size": limit,
            "query": {
                "bool": {
                    "must_not": [
                        *self._live_posts(),
                        {"term": {"scoring.model_version": model_version}},
                    ]
                }
            },
            "sort": [{"id": "asc"}],
        }
        if after is not None:
            body["search_after"] = [after]
        hits = self._search("posts", body, "unscored posts")["hits"]["hits"]
        posts = [post_from_source(h["_source"]) for h in hits]
        next_cursor = cursors.encode(UNSCORED, posts[-1].id) if posts else cursor
        return posts, next_cursor

    def scoring_counts(self) -> dict[str, int]:
        return {
            "scored": self._count("posts", {"exists": {"field": "scoring.model_version"}}),
            "flagged": self._count("posts", {"term": {"scoring.flagged": True}}),
        }

    def latest_scoring_model(self) -> str | None:
        hits = self._search(
            "posts",
            {
                "size": 1,
                "query": {"exists": {"field": "scoring.model_version"}},
                "sort": [{"scoring.scored_at": "desc"}, {"id": "asc"}],
                "_source": ["scoring.model_version"],
            },
        )["hits"]["hits"]
        return str(hits[0]["_source"]["scoring"]["model_version"]) if hits else None

    def audit_candidates(self, model_version: str, limit: int, seed: int) -> list[AuditCandidate]:
        body = {
            "size": limit,
            "query": {
                "function_score": {
                    "query": {
                        "bool": {
                            "filter": [
                                {"term": {"scoring.model_version": model_version}},
                                {"term": {"scoring.flagged": False}},
                            ],
                            "must_not": [*self._live_posts(), {"term": {"queued": True}}],
                        }
                    },
                    "random_score": {"seed": seed, "field": "id"},
                    "boost_mode": "replace",
                }
            },
            "sort": [{"_score": "desc"}, {"id": "asc"}],
            "_source": ["id", "scoring"],
        }
        hits = self._search("posts", body, "audit candidates")["hits"]["hits"]
        return [
            AuditCandidate(
                h["_source"]["id"],
                float(h["_source"]["scoring"]["probability"]),
                h["_source"]["scoring"].get("threshold"),
            )
            for h in hits
        ]
