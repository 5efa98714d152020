"""Posts (with their evidence), collection checkpoints and retention in the embedded store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from netra.domain.models import (
    Checkpoint,
    Platform,
    Post,
    canonical_json,
    hash_canonical_json,
    utcnow,
)
from netra.domain.textsearch import index_text
from netra.store.base import UpsertResult
from netra.store.sqlite.connection import Connections, from_us, to_us

_CHUNK = 500


# The document column holds the post without its payload and hash: those live in their own
# columns (``raw`` is the canonical JSON the hash was computed over).
_DOC_EXCLUDE = {"raw", "raw_sha256"}


def post_doc(post: Post) -> str:
    return post.model_dump_json(exclude=_DOC_EXCLUDE)


def load_post(doc: str, raw: str, raw_sha256: str) -> Post:
    data = json.loads(doc)
    data["raw"] = json.loads(raw)
    data["raw_sha256"] = raw_sha256
    return Post.model_validate(data)


def search_terms(post: Post) -> str:
    return index_text(post.text, *post.media)


class PostTable:
    def __init__(self, db: Connections) -> None:
        self.db = db

    def upsert_posts(self, posts: Sequence[Post]) -> UpsertResult:
        result = UpsertResult()
        with self.db.write() as conn:
            for start in range(0, len(posts), _CHUNK):
                self._upsert_chunk(conn, posts[start : start + _CHUNK], result)
        return result

    def _upsert_chunk(
        self, conn: sqlite3.Connection, posts: Sequence[Post], result: UpsertResult
    ) -> None:
        ids = list({p.id for p in posts})
        marks = ",".join("?" * len(ids))
        existing = {
            row[0]: row[1:]
            for row in conn.execute(
                f"SELECT id, rowid, raw_sha256, doc, raw FROM posts WHERE id IN ({marks})",
                ids,
            )
        }
        inserts = []
        for post in posts:
            raw_json = canonical_json(post.raw)
            digest = hash_canonical_json(raw_json)
            before = existing.get(post.id)
            if before is None:
                inserts.append(
                    (
                        post.id,
                        post.platform.value,
                        post.person_nip,
                        to_us(post.created_at),
                        to_us(post.collected_at),
                        to_us(post.deleted_at),
                        digest,
                        post_doc(post),
                        raw_json,
                    )
                )
                existing[post.id] = (
                    None,
                    digest,
                    None,
                    None,
                )  # a repeat inside the batch is a no-op
                result.new += 1
                result.new_ids.append(post.id)
                continue
            rowid, old_digest, old_doc, old_raw = before
            if old_digest == digest:
                result.unchanged += 1
                continue
            if old_doc is None:  # a second, different capture of a post new in this batch
                self._insert(conn, inserts)
                inserts = []
                rowid, old_digest, old_doc, old_raw = conn.execute(
                    "SELECT rowid, raw_sha256, doc, raw FROM posts WHERE id=?", (post.id,)
                ).fetchone()
            old = load_post(old_doc, old_raw, old_digest)
            merged = old.recaptured(post.model_copy(update={"raw_sha256": digest}))
            conn.execute(
                "UPDATE posts SET person_nip=?, created_us=?, collected_us=?, deleted_us=?,"
                " raw_sha256=?, doc=?, raw=? WHERE rowid=?",
                (
                    merged.person_nip,
                    to_us(merged.created_at),
                    to_us(merged.collected_at),
                    to_us(merged.deleted_at),
                    digest,
                    post_doc(merged),
                    raw_json,
                    rowid,
                ),
            )
            if (merged.text, merged.media) != (old.text, old.media):
                result.edited += 1
                conn.execute(
                    "UPDATE flag_fts SET terms=? WHERE rowid IN"
                    " (SELECT rowid FROM flags WHERE post_rowid=?)",
                    (search_terms(merged), rowid),
                )
            existing[post.id] = (rowid, digest, post_doc(merged), raw_json)
            result.updated += 1
            result.updated_ids.append(post.id)
        self._insert(conn, inserts)

    @staticmethod
    def _insert(conn: sqlite3.Connection, rows: list[tuple]) -> None:
        conn.executemany(
            "INSERT INTO posts (id, platform, person_nip, created_us, collected_us, deleted_us,"
            " raw_sha256, doc, raw) VALUES (?,?,?,?,?,?,?,?,?)",
            rows,
        )

    def get_post(self, post_id: str) -> Post | None:
        row = (
            self.db.get()
            .execute("SELECT doc, raw, raw_sha256 FROM posts WHERE id=?", (post_id,))
            .fetchone()
        )
        return None if row is None else load_post(*row)

    def posts_after(self, after: str | None, limit: int = 500) -> list[Post]:
        rows = (
            self.db.get()
            .execute(
                "SELECT doc, raw, raw_sha256 FROM posts WHERE id > ? ORDER BY id LIMIT ?",
                (after or "", limit),
            )
            .fetchall()
        )
        return [load_post(*row) for row in rows]

    def get_posts_by_rowid(self, rowids: Sequence[int]) -> dict[int, Post]:
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        rows = self.db.get().execute(
            f"SELECT rowid, doc, raw, raw_sha256 FROM posts WHERE rowid IN ({marks})", list(rowids)
        )
        return {row[0]: load_post(*row[1:]) for row in rows}

    def mark_deleted(self, post_id: str, seen_gone_at: datetime) -> bool:
        with self.db.write() as conn:
            row = conn.execute(
                "SELECT doc, raw, raw_sha256 FROM posts WHERE id=? AND deleted_us IS NULL",
                (post_id,),
            ).fetchone()
            if row is None:
                return False
            post = load_post(*row).model_copy(
                update={"deleted_at": seen_gone_at, "last_checked_at": seen_gone_at}
            )
            conn.execute(
                "UPDATE posts SET deleted_us=?, doc=? WHERE id=?",
                (to_us(seen_gone_at), post_doc(post), post_id),
            )
        return True

    def purge(self, before: datetime, keep_flagged: bool = True) -> int:
        now = utcnow()
        keep = "AND rowid NOT IN (SELECT post_rowid FROM flags)" if keep_flagged else ""
        with self.db.write() as conn:
            cursor = conn.execute(
                "UPDATE posts SET raw='{}', purged_us=?, doc=json_set(doc, '$.text', '',"
                " '$.media', json('[]'), '$.edit_history', json('[]'), '$.purged_at', ?)"
                f" WHERE created_us < ? AND purged_us IS NULL {keep}",
                (to_us(now), now.isoformat(), to_us(before)),
            )
            if not keep_flagged:
                conn.execute(
                    "UPDATE flag_fts SET terms='' WHERE rowid IN (SELECT f.rowid FROM flags f"
                    " JOIN posts p ON p.rowid=f.post_rowid WHERE p.purged_us=?)",
                    (to_us(now),),
                )
            return cursor.rowcount

    def get_checkpoint(self, platform: Platform, account: str) -> Checkpoint | None:
        row = (
            self.db.get()
            .execute(
                "SELECT cursor, updated_us FROM checkpoints WHERE platform=? AND account=?",
                (Platform(platform).value, account),
            )
            .fetchone()
        )
        if row is None:
            return None
        return Checkpoint(
            platform=platform, account=account, cursor=row[0], updated_at=from_us(row[1])
        )

    def set_checkpoint(self, platform: Platform, account: str, cursor: str | None) -> Checkpoint:
        now = utcnow()
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO checkpoints VALUES (?,?,?,?) ON CONFLICT(platform, account)"
                " DO UPDATE SET cursor=excluded.cursor, updated_us=excluded.updated_us",
                (Platform(platform).value, account, cursor, to_us(now)),
            )
        return Checkpoint(platform=platform, account=account, cursor=cursor, updated_at=now)
