"""The queue role on Elasticsearch: flags (with their person's agency and region copied in),
search with a point in time, aggregations, reviews guarded by sequence numbers, the append-only
events, and similar flags by kNN."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from elasticsearch import ApiError

from netra.domain.models import (
    Flag,
    Platform,
    Post,
    ReviewEvent,
)
from netra.store.elastic import bulk, documents, queries
from netra.store.elastic.base import PAGE, ElasticRole, post_from_source
from netra.store.elastic.connection import BulkWriteError
from netra.store.ports.types import (
    AggregateBy,
    Bucket,
    Conflict,
    FlagFilter,
    FlagHit,
    FlagPage,
    FlagSort,
    NotFound,
    SimilarFlag,
    StoreError,
    TimeField,
    UpsertResult,
)


class ElasticQueue(ElasticRole):
    """Implements ``netra.store.ports.QueueStore``."""

    def upsert_flags(
        self, flags: Sequence[Flag], embeddings: Mapping[str, Sequence[float]] | None = None
    ) -> UpsertResult:
        embeddings = embeddings or {}
        for flag in flags:
            if flag.id != flag.post_id:
                raise StoreError(f"flag {flag.id!r}: id must equal its post id {flag.post_id!r}")
        stored = {
            doc["_id"]: post_from_source(doc["_source"])
            for doc in self._mget("posts", [documents.doc_id(f.id) for f in flags]).values()
        }
        missing = sorted({f.id for f in flags if documents.doc_id(f.id) not in stored})
        if missing:
            raise StoreError(f"flags without a stored post: {', '.join(missing[:5])}")
        people = self._people([p.person_nip for p in stored.values()])
        index, posts_index = self.es.alias("flags"), self.es.alias("posts")
        actions: list[bulk.BulkAction] = []
        for flag in flags:
            did = documents.doc_id(flag.id)
            post = stored[did]
            vector = embeddings.get(flag.id)
            facts = documents.FlagFacts.of(post, people.get(post.person_nip or ""))
            actions.append(
                bulk.insert_or_refresh_action(
                    index,
                    did,
                    documents.flag_document(flag, facts, vector),
                    documents.rescore_document(flag, vector),
                )
            )
            actions.append(
                bulk.BulkAction("update", posts_index, did, {"doc": {"queued": True}}, 3)
            )
        report = self.es.bulk("upsert flags", actions, refresh=self.refresh)
        if report.failed:
            raise BulkWriteError("upsert flags", len(report.results), report.failed)
        result = UpsertResult()
        seen: set[str] = set()
        for action, outcome in report.results:
            if action.index != index or action.id in seen:
                continue
            seen.add(action.id)
            flag_id = next(f.id for f in flags if documents.doc_id(f.id) == action.id)
            if outcome == "created":
                result.new += 1
                result.new_ids.append(flag_id)
            elif outcome == "updated":
                result.updated += 1
                result.updated_ids.append(flag_id)
            else:
                result.unchanged += 1
        return result

    def flag_embeddings(self, flag_ids: Sequence[str]) -> dict[str, list[float]]:
        by_doc = {documents.doc_id(f): f for f in flag_ids}
        found = self._mget("flags", list(by_doc), source_includes=["embedding"])
        return {
            by_doc[did]: [float(x) for x in doc["_source"]["embedding"]]
            for did, doc in found.items()
            if doc.get("_source", {}).get("embedding") is not None
        }

    def _flag_doc(self, flag_id: str) -> dict[str, Any] | None:
        doc = self._get("flags", documents.doc_id(flag_id), source_excludes=["embedding"])
        return doc if doc is not None and doc.get("found") else None

    def get_flag(self, flag_id: str) -> Flag | None:
        doc = self._flag_doc(flag_id)
        return None if doc is None else documents.flag_from_document(doc["_source"])[0]

    def search_flags(
        self,
        filters: FlagFilter | None = None,
        q: str | None = None,
        sort: FlagSort = FlagSort.SCORE_DESC,
        cursor: str | None = None,
        limit: int = 50,
    ) -> FlagPage:
        position = queries.decode_cursor(cursor, sort) if cursor is not None else None
        queries.query(filters, q)  # refuses an unusable q before a point in time is opened
        pit_id = position.pit_id if position is not None else self._open_pit()
        body = queries.queue_search(filters, q, sort, limit, position, pit_id)
        try:
            response = self.es.call(
                "search flags",
                lambda: self.client.search(body=body),
                passthrough=(404,),
            )
        except ApiError as exc:
            if exc.meta.status != 404 or position is None:
                raise StoreError(f"elasticsearch search flags: {exc.meta.status}") from exc
            # The point in time expired: go on in a fresh one (the flag_id tie-breaker keeps
            # search_after valid; rows that arrived meanwhile may now show).
            body["pit"]["id"] = self._open_pit()
            response = self.es.call("search flags", lambda: self.client.search(body=body))
        data = response.body
        hits = data["hits"]["hits"]
        page = hits[:limit]
        next_pit = data.get("pit_id", body["pit"]["id"])
        next_cursor = None
        if len(hits) > limit:
            next_cursor = queries.encode_cursor(queries.next_cursor(sort, page[-1], next_pit))
        else:
            self._close_pit(next_pit)
        total = None
        if position is None:
            total = int(data["hits"]["total"]["value"])
        return FlagPage(items=self._hits(page), next_cursor=next_cursor, total=total)

    def _hits(self, hits: Sequence[Mapping[str, Any]]) -> list[FlagHit]:
        parsed = [documents.flag_from_document(h["_source"]) for h in hits]
        posts = self._mget("posts", [documents.doc_id(flag.post_id) for flag, _ in parsed])
        people = self._people([facts.person_nip for _, facts in parsed])
        items = []
        for flag, facts in parsed:
            doc = posts.get(documents.doc_id(flag.post_id))
            if doc is None:
                raise StoreError(f"flag {flag.id!r}: its post is not stored")
            items.append(
                FlagHit(
                    flag=flag,
                    post=post_from_source(doc["_source"]),
                    person=people.get(facts.person_nip or ""),
                )
            )
        return items

    def _open_pit(self) -> str:
        response = self.es.call(
            "open point in time",
            lambda: self.client.open_point_in_time(
                index=self.es.alias("flags"), keep_alive=queries.PIT_KEEP_ALIVE
            ),
        )
        return str(response.body["id"])

    def _close_pit(self, pit_id: str) -> None:
        try:
            self.client.close_point_in_time(id=pit_id)
        except ApiError:
            pass  # it expires by itself

    def aggregate(
        self,
        filters: FlagFilter | None = None,
        by: AggregateBy | None = None,
        interval: str | None = None,
        time_field: TimeField = TimeField.FLAGGED,
        tz: str = "UTC",
    ) -> list[Bucket]:
        buckets: list[Bucket] = []
        after: dict[str, Any] | None = None
        while True:
            body = queries.aggregate_body(filters, by, interval, time_field, tz, after)
            page, after = queries.parse_aggregate(self._search("flags", body, "aggregate flags"))
            buckets += page
            if after is None:
                return queries.sort_buckets(buckets)

    def apply_review(
        self, flag_id: str, expected_version: int, event: ReviewEvent
    ) -> Flag | Conflict:
        doc = self._flag_doc(flag_id)
        if doc is None:
            raise NotFound(f"no flag {flag_id!r}")
        current = documents.flag_from_document(doc["_source"])[0]
        if current.version != expected_version:
            return Conflict(current=current, expected_version=expected_version)
        assignees = [a for a in current.assignees if a not in event.assignees_removed]
        assignees += [a for a in event.assignees_added if a not in assignees]
        updated = current.model_copy(
            update={
                "status": event.to_status or current.status,
                "assignees": assignees,
                "version": current.version + 1,
                "updated_at": event.at,
            }
        )
        write = queries.review_update(
            documents.doc_id(flag_id), updated, doc["_seq_no"], doc["_primary_term"]
        )
        try:
            self.es.call(
                "review flag",
                lambda: self.client.update(
                    index=self.es.alias("flags"),
                    id=documents.doc_id(flag_id),
                    doc=write.body["doc"],
                    if_seq_no=write.params["if_seq_no"],
                    if_primary_term=write.params["if_primary_term"],
                    refresh=self.refresh,
                ),
                passthrough=(409,),
            )
        except ApiError as exc:
            if exc.meta.status != 409:
                raise
            now = self.get_flag(flag_id)
            if now is None:
                raise NotFound(f"no flag {flag_id!r}") from exc
            return Conflict(current=now, expected_version=expected_version)
        # The trail's position is the version the event made: the conditional write above lets
        # exactly one event make each version, and ``create`` refuses a second append.
        recorded = event.model_copy(
            update={
                "flag_id": flag_id,
                "from_status": current.status,
                "version": updated.version,
                "seq": updated.version,
            }
        )
        self._write(
            f"append review event of {flag_id}",
            [
                bulk.create_action(
                    self.es.alias("events"),
                    documents.event_doc_id(flag_id, updated.version),
                    documents.event_document(recorded),
                )
            ],
        )
        return updated

    def history(self, flag_id: str) -> list[ReviewEvent]:
        return [
            documents.event_from_document(h["_source"])
            for h in self._scan("events", {"term": {"flag_id": flag_id}}, [{"seq": "asc"}])
        ]

    def review_events(
        self, since: datetime, until: datetime, filters: FlagFilter | None = None
    ) -> list[ReviewEvent]:
        window = {"range": {"at": {"gte": documents.iso(since), "lt": documents.iso(until)}}}
        events = [
            documents.event_from_document(h["_source"])
            for h in self._scan(
                "events", window, [{"at": "asc"}, {"flag_id": "asc"}, {"seq": "asc"}]
            )
        ]
        clauses = queries.filter_clauses(filters)
        if not clauses or not events:
            return events
        ids = sorted({e.flag_id for e in events})
        matching: set[str] = set()
        for start in range(0, len(ids), PAGE):
            query = {
                "bool": {"filter": [*clauses, {"terms": {"flag_id": ids[start : start + PAGE]}}]}
            }
            matching |= {
                h["_source"]["flag_id"]
                for h in self._scan("flags", query, [{"flag_id": "asc"}], _source=["flag_id"])
            }
        return [e for e in events if e.flag_id in matching]

    def similar(self, flag_id: str, k: int = 5) -> list[SimilarFlag]:
        doc = self._get("flags", documents.doc_id(flag_id), source_includes=["embedding"])
        if doc is None or not doc.get("found"):
            raise NotFound(f"no flag {flag_id!r}")
        vector = doc["_source"].get("embedding")
        if not vector:
            return []
        return queries.parse_similar(
            self._search("flags", queries.similar_body(flag_id, vector, k), "similar flags")
        )

    def flagged_posts(self, platform: Platform | None = None) -> list[Post]:
        clauses: list[dict[str, Any]] = [{"term": {"queued": True}}]
        if platform is not None:
            clauses.append({"term": {"platform": Platform(platform).value}})
        query = {"bool": {"filter": clauses, "must_not": [{"exists": {"field": "deleted_at"}}]}}
        return [post_from_source(h["_source"]) for h in self._scan("posts", query, [{"id": "asc"}])]
