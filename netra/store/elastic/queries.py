"""Search, aggregation and kNN bodies for the queue, and readers of their responses.

The queue pages with ``search_after`` inside a point in time (PIT): the first page's search runs
in a PIT the adapter has just opened; each cursor carries the sort values of the last hit and the
PIT id the last response returned, so later pages see the same snapshot, and rows arriving while
an analyst pages never repeat or skip rows already seen. The sort always ends with ``flag_id``,
a tie-breaker that, unlike ``_shard_doc``, stays valid in a fresh PIT when the old one expired.

``q`` means what README.md ("The store") says for every backend. It is translated clause by clause
into a bool of ``multi_match`` clauses on the ``indonesian``-analysed post text and media (a word,
a quoted phrase, a hashtag's parts as a phrase or the tag whole) and ``prefix`` clauses on the
unstemmed ``.words`` subfields for ``word*``. User input never becomes query syntax (no
``query_string``). Two known differences from the embedded store: Elasticsearch's Indonesian
stemmer is not ``textsearch.stem`` (the same idea, not always the same stem), and the analyzer
drops stop words (``yang``, ``dan``), so a word that is only a stop word constrains nothing
(``zero_terms_query: all``) instead of being required.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netra.domain.models import Flag
from netra.domain.textsearch import QueryTerm, query_terms
from netra.store.elastic.documents import iso
from netra.store.elastic.mappings import alias_name
from netra.store.ports.types import (
    AggregateBy,
    Bucket,
    FlagFilter,
    FlagSort,
    SimilarFlag,
    TimeField,
)

TEXT_FIELDS = ("post_text", "post_media")
PREFIX_FIELDS = ("post_text.words", "post_media.words")
TIE_BREAKER = "flag_id"
PIT_KEEP_ALIVE = "2m"
MAX_PAGE = 1000
AGGREGATE_PAGE = 1000

# sort → (field, order); queue age is the time since the flag entered the queue.
SORTS: dict[FlagSort, tuple[str, str]] = {
    FlagSort.SCORE_DESC: ("score.probability", "desc"),
    FlagSort.POSTED_DESC: ("posted_at", "desc"),
    FlagSort.POSTED_ASC: ("posted_at", "asc"),
    FlagSort.QUEUE_AGE_DESC: ("flagged_at", "asc"),
    FlagSort.QUEUE_AGE_ASC: ("flagged_at", "desc"),
}
GROUP_FIELDS: dict[AggregateBy, str] = {
    AggregateBy.STATUS: "status",
    AggregateBy.CATEGORY: "category",
    AggregateBy.PLATFORM: "platform",
    AggregateBy.AGENCY: "agency",
    AggregateBy.REGION: "region_code",
    AggregateBy.ORIGIN: "origin",
}
TIME_FIELDS: dict[TimeField, str] = {
    TimeField.FLAGGED: "flagged_at",
    TimeField.POSTED: "posted_at",
}


# --- the full-text query -------------------------------------------------------------------


def _words(query: str, kind: str | None = None) -> dict[str, Any]:
    clause: dict[str, Any] = {
        "query": query,
        "fields": list(TEXT_FIELDS),
        "zero_terms_query": "all",
    }
    if kind == "phrase":
        clause["type"] = "phrase"
    else:
        clause["operator"] = "and"
    return {"multi_match": clause}


def _prefix(value: str) -> dict[str, Any]:
    return {
        "bool": {
            "should": [{"prefix": {f: {"value": value}}} for f in PREFIX_FIELDS],
            "minimum_should_match": 1,
        }
    }


def text_clauses(q: str | None) -> list[dict[str, Any]]:
    """The clauses that all must match for ``q`` (empty for a blank ``q``): the terms
    ``netra.domain.textsearch.query_terms`` finds, as the embedded store reads them."""
    return [_text_clause(term) for term in query_terms(q)] if q else []


def _text_clause(term: QueryTerm) -> dict[str, Any]:
    if term.kind == "phrase":
        return _words(" ".join(term.words), "phrase")
    if term.kind == "prefix":
        return _prefix(term.words[0])
    if term.kind == "hashtag" and len(term.words) > 1:
        either = [_words(" ".join(term.words), "phrase"), _words(term.text)]
        return {"bool": {"should": either, "minimum_should_match": 1}}
    return _words(term.text if term.kind == "hashtag" else term.words[0])


# --- filters -------------------------------------------------------------------------------


def _values(values: frozenset[Any]) -> list[str]:
    return sorted(str(getattr(v, "value", v)) for v in values)


def filter_clauses(filters: FlagFilter | None) -> list[dict[str, Any]]:
    f = filters or FlagFilter()
    clauses: list[dict[str, Any]] = []
    for field_name, values in (
        ("status", f.statuses),
        ("category", f.categories),
        ("platform", f.platforms),
        ("origin", f.origins),
        ("agency", f.agencies),
        ("region_code", f.region_codes),
    ):
        if values:
            clauses.append({"terms": {field_name: _values(values)}})
    if f.score_min is not None or f.score_max is not None:
        bounds: dict[str, Any] = {}
        if f.score_min is not None:
            bounds["gte"] = f.score_min
        if f.score_max is not None:
            bounds["lte"] = f.score_max
        clauses.append({"range": {"score.probability": bounds}})
    for field_name, start, end in (
        ("posted_at", f.posted_from, f.posted_to),
        ("flagged_at", f.flagged_from, f.flagged_to),
    ):
        if start is not None or end is not None:
            bounds = {}
            if start is not None:
                bounds["gte"] = iso(start)
            if end is not None:
                bounds["lt"] = iso(end)  # exclusive, as in FlagFilter
            clauses.append({"range": {field_name: bounds}})
    if f.person_nip is not None:
        clauses.append({"term": {"person_nip": f.person_nip}})
    if f.assignee is not None:
        clauses.append({"term": {"assignees": f.assignee}})
    if f.unassigned:
        clauses.append({"bool": {"must_not": [{"exists": {"field": "assignees"}}]}})
    return clauses


def query(filters: FlagFilter | None, q: str | None = None) -> dict[str, Any]:
    """Filters and ``q`` as one query in filter context (the queue sorts by fields, not by
    relevance, so nothing is scored)."""
    clauses = filter_clauses(filters) + text_clauses(q)
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


# --- the queue page ------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueCursor:
    """Where the next page starts: the last hit's sort values (primary value, flag id) and the
    PIT id of the last response."""

    sort: FlagSort
    after: tuple[Any, str]
    pit_id: str


def encode_cursor(cursor: QueueCursor) -> str:
    raw = json.dumps(
        [cursor.sort.value, cursor.after[0], cursor.after[1], cursor.pit_id], separators=(",", ":")
    ).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str, sort: FlagSort) -> QueueCursor:
    """A cursor this module made, for ``sort``; ValueError for anything else."""
    try:
        padded = text + "=" * (-len(text) % 4)
        name, value, flag_id, pit_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise ValueError("cursor: not a cursor returned by this queue") from exc
    if name != sort.value:
        raise ValueError(f"cursor: was made for sort {name!r}, not {sort.value!r}")
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not math.isfinite(value):
        raise ValueError("cursor: not a cursor returned by this queue")
    if not isinstance(flag_id, str) or not isinstance(pit_id, str) or not pit_id:
        raise ValueError("cursor: not a cursor returned by this queue")
    return QueueCursor(sort=sort, after=(value, flag_id), pit_id=pit_id)


def next_cursor(sort: FlagSort, last_hit: Mapping[str, Any], pit_id: str) -> QueueCursor:
    """The cursor after ``last_hit`` (a hit of a search built by ``queue_search``), with the PIT
    id of the response it came in."""
    values = last_hit.get("sort")
    if not isinstance(values, list) or len(values) != 2:
        raise ValueError("hit: no sort values of a queue search")
    return QueueCursor(sort=sort, after=(values[0], str(values[1])), pit_id=pit_id)


def open_pit_request(keep_alive: str = PIT_KEEP_ALIVE) -> dict[str, Any]:
    """``POST <alias>/_pit?keep_alive=…``: the snapshot a first page searches in."""
    return {
        "method": "POST",
        "path": f"/{alias_name('flags')}/_pit",
        "params": {"keep_alive": keep_alive},
    }


def queue_search(
    filters: FlagFilter | None = None,
    q: str | None = None,
    sort: FlagSort = FlagSort.SCORE_DESC,
    limit: int = 50,
    cursor: QueueCursor | None = None,
    pit_id: str | None = None,
    keep_alive: str = PIT_KEEP_ALIVE,
) -> dict[str, Any]:
    """The body of ``POST /_search`` (no index: the PIT names it) for one page of the queue. It
    asks for ``limit + 1`` hits, so the adapter knows whether there is a next page, and for the
    exact total on the first page only (as the embedded store). A later page searches in the
    cursor's PIT; a first page needs ``pit_id`` of a PIT just opened."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"limit: must be between 1 and {MAX_PAGE}")
    if cursor is not None and cursor.sort is not sort:
        raise ValueError(f"cursor: was made for sort {cursor.sort.value!r}, not {sort.value!r}")
    pit = cursor.pit_id if cursor is not None else pit_id
    if not pit:
        raise ValueError("pit_id: a first page needs the id of an open point in time")
    field_name, order = SORTS[sort]
    body: dict[str, Any] = {
        "size": limit + 1,
        "query": query(filters, q),
        "sort": [{field_name: {"order": order}}, {TIE_BREAKER: {"order": "asc"}}],
        "pit": {"id": pit, "keep_alive": keep_alive},
        "track_total_hits": cursor is None,
        "_source": {"excludes": ["embedding"]},
    }
    if cursor is not None:
        body["search_after"] = [cursor.after[0], cursor.after[1]]
    return body


# --- aggregations --------------------------------------------------------------------------


def aggregate_body(
    filters: FlagFilter | None = None,
    by: AggregateBy | None = None,
    interval: str | None = None,
    time_field: TimeField = TimeField.FLAGGED,
    tz: str = "UTC",
    after: Mapping[str, Any] | None = None,
    size: int = AGGREGATE_PAGE,
) -> dict[str, Any]:
    """Counts of flags by a field, by day in zone ``tz``, or both: one composite aggregation
    (every bucket, paged with ``after``; a missing field is a bucket of its own, key None)."""
    if interval not in (None, "day"):
        raise ValueError(f"interval: {interval!r} is not supported (use 'day')")
    if by is None and interval is None:
        raise ValueError("aggregate needs a field (by) or an interval")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"tz: unknown time zone {tz!r}") from exc
    sources: list[dict[str, Any]] = []
    if by is not None:
        sources.append({"key": {"terms": {"field": GROUP_FIELDS[by], "missing_bucket": True}}})
    if interval is not None:
        sources.append(
            {
                "day": {
                    "date_histogram": {
                        "field": TIME_FIELDS[time_field],
                        "calendar_interval": "1d",
                        "time_zone": tz,
                        "format": "yyyy-MM-dd",
                    }
                }
            }
        )
    composite: dict[str, Any] = {"size": size, "sources": sources}
    if after is not None:
        composite["after"] = dict(after)
    return {
        "size": 0,
        "track_total_hits": False,
        "query": query(filters),
        "aggs": {"groups": {"composite": composite}},
    }


def parse_aggregate(response: Mapping[str, Any]) -> tuple[list[Bucket], dict[str, Any] | None]:
    """The buckets of one response and the ``after`` of the next page (None when done)."""
    groups = response.get("aggregations", {}).get("groups")
    if not isinstance(groups, Mapping):
        raise ValueError("aggregation response: no 'groups' aggregation")
    buckets = [
        Bucket(key=b["key"].get("key"), day=b["key"].get("day"), count=int(b["doc_count"]))
        for b in groups.get("buckets", [])
    ]
    after = groups.get("after_key") if buckets else None
    return buckets, after


def sort_buckets(buckets: Sequence[Bucket]) -> list[Bucket]:
    """The embedded store's order: by day, then the largest count first."""
    return sorted(buckets, key=lambda b: (b.day or "", -b.count))


# --- similar flags -------------------------------------------------------------------------


def similar_body(
    flag_id: str, vector: Sequence[float], k: int = 5, num_candidates: int | None = None
) -> dict[str, Any]:
    """The ``k`` flags whose embeddings are nearest ``vector`` (the flag's own), the flag itself
    excluded by a filter, so exactly ``k`` others come back when there are."""
    if k < 1:
        raise ValueError(f"k: must be positive, not {k}")
    candidates = num_candidates or min(max(10 * k, 100), 10_000)
    if candidates < k:
        raise ValueError("num_candidates: must be at least k")
    return {
        "knn": {
            "field": "embedding",
            "query_vector": [float(x) for x in vector],
            "k": k,
            "num_candidates": candidates,
            "filter": {"bool": {"must_not": [{"term": {"flag_id": flag_id}}]}},
        },
        "size": k,
        "_source": ["flag_id"],
    }


def parse_similar(response: Mapping[str, Any]) -> list[SimilarFlag]:
    """kNN hits as cosine similarities: with ``similarity: cosine`` Elasticsearch scores a hit
    ``(1 + cosine) / 2``, so the cosine is ``2 * score - 1``."""
    return [
        SimilarFlag(flag_id=hit["_source"]["flag_id"], similarity=2.0 * float(hit["_score"]) - 1.0)
        for hit in response.get("hits", {}).get("hits", [])
    ]


# --- a review decision ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionalUpdate:
    """``POST <alias>/_update/<_id>?if_seq_no=…&if_primary_term=…``: applied only if the flag
    document is still the one that was read (a 409 otherwise: someone decided first)."""

    path: str
    params: dict[str, Any]
    body: dict[str, Any]


def review_update(doc_id: str, reviewed: Flag, seq_no: int, primary_term: int) -> ConditionalUpdate:
    """The write of a reviewed flag: its new status, assignees, version and update time, guarded
    by the sequence number and primary term the adapter read with the flag (after checking its
    ``version``), so two reviewers can never both win. The review event is appended after it."""
    if seq_no < 0 or primary_term < 1:
        raise ValueError("seq_no must be >= 0 and primary_term >= 1")
    data = reviewed.model_dump(
        mode="json", include={"status", "assignees", "version", "updated_at"}
    )
    return ConditionalUpdate(
        path=f"/{alias_name('flags')}/_update/{doc_id}",
        params={"if_seq_no": seq_no, "if_primary_term": primary_term, "refresh": "wait_for"},
        body={"doc": data},
    )
