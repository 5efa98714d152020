"""The review queue in the embedded store: flags, search, aggregates, reviews, similarity."""

from __future__ import annotations

import base64
import binascii
import json
import math
import sqlite3
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from netra.domain.models import Flag, ReviewEvent
from netra.domain.textsearch import fts_query
from netra.store.base import (
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
from netra.store.sqlite.connection import Connections, to_us
from netra.store.sqlite.posts import PostTable, load_post, search_terms
from netra.store.sqlite.registry import RegistryTable

# sort → (column, descending)
_SORTS: dict[FlagSort, tuple[str, bool]] = {
    FlagSort.SCORE_DESC: ("score", True),
    FlagSort.POSTED_DESC: ("posted_us", True),
    FlagSort.POSTED_ASC: ("posted_us", False),
    FlagSort.QUEUE_AGE_DESC: ("flagged_us", False),
    FlagSort.QUEUE_AGE_ASC: ("flagged_us", True),
}
_GROUP_COLUMNS: dict[AggregateBy, str] = {
    AggregateBy.STATUS: "status",
    AggregateBy.CATEGORY: "category",
    AggregateBy.PLATFORM: "platform",
    AggregateBy.AGENCY: "agency",
    AggregateBy.REGION: "region_code",
    AggregateBy.ORIGIN: "origin",
}
_QUARTER_HOUR_US = 900 * 1_000_000  # every real UTC offset is a multiple of 15 minutes


def encode_cursor(sort: FlagSort, value: Any, flag_id: str) -> str:
    raw = json.dumps([sort.value, value, flag_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: FlagSort) -> tuple[Any, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, value, flag_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise ValueError("cursor: not a cursor returned by this queue") from exc
    if name != sort.value:
        raise ValueError(f"cursor: was made for sort {name!r}, not {sort.value!r}")
    if not _storable_text(flag_id) or not _storable_number(value):
        raise ValueError("cursor: not a cursor returned by this queue")
    return value, flag_id


def _storable_number(value: object) -> bool:
    """What SQLite can compare a column with: a 64-bit integer or a finite float."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return isinstance(value, float) and math.isfinite(value)


def _storable_text(value: object) -> bool:
    """A str SQLite can bind: valid Unicode (JSON's \\ud800 decodes to a lone surrogate)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def where_clause(filters: FlagFilter | None, q: str | None) -> tuple[list[str], list[Any]]:
    f = filters or FlagFilter()
    clauses: list[str] = []
    params: list[Any] = []

    def any_of(column: str, values: frozenset[Any]) -> None:
        if values:
            clauses.append(f"f.{column} IN ({','.join('?' * len(values))})")
            params.extend(sorted(str(getattr(v, "value", v)) for v in values))

    any_of("status", f.statuses)
    any_of("category", f.categories)
    any_of("platform", f.platforms)
    any_of("origin", f.origins)
    any_of("agency", f.agencies)
    any_of("region_code", f.region_codes)
    for column, op, value in (
        ("score", ">=", f.score_min),
        ("score", "<=", f.score_max),
        ("posted_us", ">=", to_us(f.posted_from)),
        ("posted_us", "<", to_us(f.posted_to)),
        ("flagged_us", ">=", to_us(f.flagged_from)),
        ("flagged_us", "<", to_us(f.flagged_to)),
        ("person_nip", "=", f.person_nip),
    ):
        if value is not None:
            clauses.append(f"f.{column} {op} ?")
            params.append(value)
    if f.assignee is not None:
        clauses.append("f.rowid IN (SELECT flag_rowid FROM flag_assignees WHERE assignee = ?)")
        params.append(f.assignee)
    if f.unassigned:
        clauses.append("NOT EXISTS (SELECT 1 FROM flag_assignees a WHERE a.flag_rowid = f.rowid)")
    match = fts_query(q) if q else None
    if match:
        clauses.append("f.rowid IN (SELECT rowid FROM flag_fts WHERE flag_fts MATCH ?)")
        params.append(match)
    return clauses, params


class FlagTable:
    def __init__(self, db: Connections, posts: PostTable, registry: RegistryTable) -> None:
        self.db = db
        self.posts = posts
        self.registry = registry
        self._vectors: tuple[int, list[str], np.ndarray] | None = None

    # -- writes -----------------------------------------------------------------
    def upsert_flags(
        self, flags: Sequence[Flag], embeddings: Mapping[str, Sequence[float]] | None = None
    ) -> UpsertResult:
        result = UpsertResult()
        embeddings = embeddings or {}
        for flag in flags:
            if flag.id != flag.post_id:
                raise StoreError(f"flag {flag.id!r}: id must equal its post id {flag.post_id!r}")
        with self.db.write() as conn:
            for start in range(0, len(flags), 500):
                self._upsert_chunk(conn, flags[start : start + 500], embeddings, result)
        return result

    def _upsert_chunk(
        self,
        conn: sqlite3.Connection,
        flags: Sequence[Flag],
        embeddings: Mapping[str, Sequence[float]],
        result: UpsertResult,
    ) -> None:
        ids = list({f.id for f in flags})
        marks = ",".join("?" * len(ids))
        posts = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT p.id, p.rowid, p.platform, p.person_nip, p.created_us, p.doc, p.raw, p.raw_sha256,"
                " pe.agency, pe.region_code FROM posts p LEFT JOIN people pe ON pe.nip = p.person_nip"
                f" WHERE p.id IN ({marks})",
                ids,
            )
        }
        missing = sorted(set(ids) - posts.keys())
        if missing:
            raise StoreError(f"flags without a stored post: {', '.join(missing[:5])}")
        existing = {
            row[0]: row[1:]
            for row in conn.execute(f"SELECT id, rowid, doc FROM flags WHERE id IN ({marks})", ids)
        }
        for flag in flags:
            vector = embeddings.get(flag.id)
            blob = None if vector is None else np.asarray(vector, dtype=np.float32).tobytes()
            if flag.id in existing:
                rowid, doc = existing[flag.id]
                current = Flag.model_validate_json(doc)
                if (current.score, current.category) == (
                    flag.score,
                    flag.category,
                ) and blob is None:
                    result.unchanged += 1
                    continue
                rescored = current.model_copy(
                    update={"score": flag.score, "category": flag.category}
                )
                conn.execute(
                    "UPDATE flags SET score=?, category=?, doc=?, embedding=COALESCE(?, embedding)"
                    " WHERE rowid=?",
                    (
                        flag.score.probability,
                        flag.category.value,
                        rescored.model_dump_json(),
                        blob,
                        rowid,
                    ),
                )
                result.updated += 1
                result.updated_ids.append(flag.id)
                continue
            post_rowid, platform, nip, posted_us, doc, raw, digest, agency, region = posts[flag.id]
            cursor = conn.execute(
                "INSERT INTO flags (id, post_rowid, status, category, origin, score, platform,"
                " person_nip, agency, region_code, posted_us, flagged_us, updated_us, version, doc,"
                " embedding) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    flag.id,
                    post_rowid,
                    flag.status.value,
                    flag.category.value,
                    flag.origin.value,
                    flag.score.probability,
                    platform,
                    nip,
                    agency,
                    region,
                    posted_us,
                    to_us(flag.created_at),
                    to_us(flag.updated_at),
                    flag.version,
                    flag.model_dump_json(),
                    blob,
                ),
            )
            flag_rowid = cursor.lastrowid
            conn.executemany(
                "INSERT OR IGNORE INTO flag_assignees VALUES (?, ?)",
                [(a, flag_rowid) for a in flag.assignees],
            )
            terms = search_terms(load_post(doc, raw, digest))
            conn.execute("INSERT INTO flag_fts (rowid, terms) VALUES (?, ?)", (flag_rowid, terms))
            existing[flag.id] = (flag_rowid, flag.model_dump_json())
            result.new += 1
            result.new_ids.append(flag.id)

    def apply_review(
        self, flag_id: str, expected_version: int, event: ReviewEvent
    ) -> Flag | Conflict:
        with self.db.write() as conn:
            row = conn.execute("SELECT rowid, doc FROM flags WHERE id=?", (flag_id,)).fetchone()
            if row is None:
                raise NotFound(f"no flag {flag_id!r}")
            rowid, doc = row
            current = Flag.model_validate_json(doc)
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
            # Naming status only when it changes spares the five indexes that lead with it.
            status_set = "status=?, " if updated.status is not current.status else ""
            conn.execute(
                f"UPDATE flags SET {status_set}version=?, updated_us=?, doc=? WHERE rowid=?",
                (
                    *([updated.status.value] if status_set else []),
                    updated.version,
                    to_us(event.at),
                    updated.model_dump_json(),
                    rowid,
                ),
            )
            conn.execute("DELETE FROM flag_assignees WHERE flag_rowid=?", (rowid,))
            conn.executemany(
                "INSERT INTO flag_assignees VALUES (?, ?)", [(a, rowid) for a in assignees]
            )
            recorded = event.model_copy(
                update={
                    "flag_id": flag_id,
                    "from_status": current.status,
                    "version": updated.version,
                }
            )
            conn.execute(
                "INSERT INTO review_events (flag_id, at_us, doc) VALUES (?, ?, ?)",
                (flag_id, to_us(event.at), recorded.model_dump_json(exclude={"seq"})),
            )
        return updated

    # -- reads ------------------------------------------------------------------
    def get_flag(self, flag_id: str) -> Flag | None:
        row = self.db.get().execute("SELECT doc FROM flags WHERE id=?", (flag_id,)).fetchone()
        return None if row is None else Flag.model_validate_json(row[0])

    def history(self, flag_id: str) -> list[ReviewEvent]:
        rows = self.db.get().execute(
            "SELECT seq, doc FROM review_events WHERE flag_id=? ORDER BY seq", (flag_id,)
        )
        return [
            ReviewEvent.model_validate_json(doc).model_copy(update={"seq": seq})
            for seq, doc in rows
        ]

    def review_events(
        self, since: datetime, until: datetime, filters: FlagFilter | None
    ) -> list[ReviewEvent]:
        clauses, params = where_clause(filters, q=None)
        where = "".join(f" AND {c}" for c in clauses)
        rows = self.db.get().execute(
            "SELECT e.seq, e.doc FROM review_events e JOIN flags f ON f.id = e.flag_id"
            f" WHERE e.at_us >= ? AND e.at_us < ?{where} ORDER BY e.seq",
            [to_us(since), to_us(until), *params],
        )
        return [
            ReviewEvent.model_validate_json(doc).model_copy(update={"seq": seq})
            for seq, doc in rows
        ]

    def search_flags(
        self,
        filters: FlagFilter | None = None,
        q: str | None = None,
        sort: FlagSort = FlagSort.SCORE_DESC,
        cursor: str | None = None,
        limit: int = 50,
    ) -> FlagPage:
        if not 1 <= limit <= 1000:
            raise ValueError("limit: must be between 1 and 1000")
        column, descending = _SORTS[sort]
        clauses, params = where_clause(filters, q)
        page_clauses, page_params = list(clauses), list(params)
        if cursor:
            value, last_id = decode_cursor(cursor, sort)
            op = "<" if descending else ">"
            page_clauses.append(f"(f.{column} {op} ? OR (f.{column} = ? AND f.id > ?))")
            page_params += [value, value, last_id]
        where = f"WHERE {' AND '.join(page_clauses)}" if page_clauses else ""
        order = f"f.{column} {'DESC' if descending else 'ASC'}, f.id ASC"
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT f.id, f.doc, f.post_rowid, f.person_nip, f.{column} FROM flags f {where}"
                f" ORDER BY {order} LIMIT ?",
                (*page_params, limit + 1),
            ).fetchall()
            total = None
            if cursor is None:
                count_where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
                total = conn.execute(
                    f"SELECT COUNT(*) FROM flags f {count_where}", params
                ).fetchone()[0]
            page = rows[:limit]
            posts = self.posts.get_posts_by_rowid([r[2] for r in page])
            people = self.registry.get_people(r[3] for r in page if r[3])
        items = [
            FlagHit(
                flag=Flag.model_validate_json(r[1]), post=posts[r[2]], person=people.get(r[3] or "")
            )
            for r in page
        ]
        next_cursor = None
        if len(rows) > limit:
            last = page[-1]
            next_cursor = encode_cursor(sort, last[4], last[0])
        return FlagPage(items=items, next_cursor=next_cursor, total=total)

    def aggregate(
        self,
        filters: FlagFilter | None = None,
        by: AggregateBy | None = None,
        interval: str | None = None,
        time_field: TimeField = TimeField.FLAGGED,
        tz: str = "UTC",
    ) -> list[Bucket]:
        if interval not in (None, "day"):
            raise ValueError(f"interval: {interval!r} is not supported (use 'day')")
        if by is None and interval is None:
            raise ValueError("aggregate needs a field (by) or an interval")
        clauses, params = where_clause(filters, q=None)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        group = f"f.{_GROUP_COLUMNS[by]}" if by else "NULL"
        time_col = "f.flagged_us" if time_field is TimeField.FLAGGED else "f.posted_us"
        slot = f"{time_col} / {_QUARTER_HOUR_US}" if interval else "NULL"
        rows = (
            self.db.get()
            .execute(f"SELECT {group}, {slot}, COUNT(*) FROM flags f {where} GROUP BY 1, 2", params)
            .fetchall()
        )
        zone = ZoneInfo(tz)
        counts: Counter[tuple[str | None, str | None]] = Counter()
        for key, quarter, count in rows:
            day = None
            if quarter is not None:
                moment = datetime.fromtimestamp(quarter * 900, tz=UTC).astimezone(zone)
                day = moment.date().isoformat()
            counts[(key, day)] += count
        return [
            Bucket(key=key, day=day, count=count)
            for (key, day), count in sorted(counts.items(), key=lambda kv: (kv[0][1] or "", -kv[1]))
        ]

    def flag_embeddings(self, flag_ids: Sequence[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        unique = list(dict.fromkeys(flag_ids))
        conn = self.db.get()
        for start in range(0, len(unique), 500):
            part = unique[start : start + 500]
            marks = ",".join("?" * len(part))
            for fid, blob in conn.execute(
                f"SELECT id, embedding FROM flags WHERE embedding IS NOT NULL AND id IN ({marks})",
                part,
            ):
                found[fid] = [float(x) for x in np.frombuffer(blob, dtype=np.float32)]
        return found

    def similar(self, flag_id: str, k: int = 5) -> list[SimilarFlag]:
        conn = self.db.get()
        row = conn.execute("SELECT embedding FROM flags WHERE id=?", (flag_id,)).fetchone()
        if row is None:
            raise NotFound(f"no flag {flag_id!r}")
        if row[0] is None:
            return []
        ids, matrix = self._vector_matrix(conn)
        query = np.frombuffer(row[0], dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(query) or 1.0)
        sims = matrix @ query / np.where(norms == 0, 1.0, norms)
        order = np.argsort(-sims)
        found = []
        for index in order:
            if ids[index] == flag_id:
                continue
            found.append(SimilarFlag(flag_id=ids[index], similarity=float(sims[index])))
            if len(found) == k:
                break
        return found

    def _vector_matrix(self, conn: sqlite3.Connection) -> tuple[list[str], np.ndarray]:
        """All flag embeddings as one matrix, rebuilt only when an embedding was added, replaced
        or dropped since (by any process: triggers bump the generation in the writer's
        transaction)."""
        (generation,) = conn.execute(
            "SELECT value FROM generations WHERE name = 'flag_embeddings'"
        ).fetchone()
        if self._vectors is None or self._vectors[0] != generation:
            ids, vectors = [], []
            for fid, blob in conn.execute(
                "SELECT id, embedding FROM flags WHERE embedding IS NOT NULL"
            ):
                ids.append(fid)
                vectors.append(np.frombuffer(blob, dtype=np.float32))
            matrix = np.vstack(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)
            self._vectors = (int(generation), ids, matrix)
        assert self._vectors is not None
        return self._vectors[1], self._vectors[2]
