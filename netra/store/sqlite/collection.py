"""Collection state in the embedded store: accounts to visit and their status, quarantined items,
run summaries, which posts a model has scored, and confidential report contacts."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from netra.domain.models import (
    AccountStatus,
    Platform,
    Post,
    QuarantinedItem,
    QuarantineState,
    Role,
    SocialAccount,
    User,
    utcnow,
)
from netra.store.base import (
    AuditCandidate,
    QuarantineSettlement,
    ReportReceipt,
    ScoreRecord,
    StoreError,
)
from netra.store.sqlite.connection import (
    Connections,
    decode_position,
    encode_position,
    from_us,
    to_us,
)
from netra.store.sqlite.posts import load_post
from netra.store.sqlite.registry import ACCOUNT_COLUMNS, account_from_row


def _unkeyed() -> str:
    """A key for an item given without one: never the same as another's, so kept apart."""
    return f"unkeyed#{uuid.uuid4().hex}"


def _given_up(conn: sqlite3.Connection, items: Sequence[QuarantinedItem]) -> int:
    """How many of the items are kept already and were given up."""
    given_up = 0
    for start in range(0, len(items), 300):  # 3 parameters each, under SQLite's limit
        chunk = items[start : start + 300]
        rows = ",".join("(?,?,?)" for _ in chunk)
        (count,) = conn.execute(
            "SELECT COUNT(*) FROM quarantine WHERE state = 'given_up'"
            f" AND (platform, account, item_key) IN (VALUES {rows})",
            [v for i in chunk for v in (i.platform.value, i.account, i.key)],
        ).fetchone()
        given_up += int(count)
    return given_up


class CollectionTable:
    def __init__(self, db: Connections) -> None:
        self.db = db

    def iter_accounts(
        self,
        platform: Platform | None = None,
        handle_from: str | None = None,
        handle_to: str | None = None,
    ) -> Iterator[tuple[str, SocialAccount]]:
        clauses, params = [], []
        for clause, value in (
            ("platform = ?", platform.value if platform else None),
            ("handle_key >= ?", handle_from),
            ("handle_key < ?", handle_to),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = (
            self.db.get()
            .execute(
                f"SELECT nip, {ACCOUNT_COLUMNS}"
                f" FROM accounts {where} ORDER BY platform, handle_key",
                params,
            )
            .fetchall()
        )
        for row in rows:
            yield row[0], account_from_row(row[1:])

    def set_account_status(
        self, platform: Platform, handle: str, status: AccountStatus, seen_at: datetime
    ) -> bool:
        with self.db.write() as conn:
            cursor = conn.execute(
                "UPDATE accounts SET status=?, status_seen_us=? WHERE platform=? AND handle_key=?"
                " AND (status != ? OR status_seen_us IS NULL OR status_seen_us < ?)",
                (
                    status.value,
                    to_us(seen_at),
                    Platform(platform).value,
                    handle.lower(),
                    status.value,
                    to_us(seen_at),
                ),
            )
            return cursor.rowcount > 0

    def quarantine(self, items: Sequence[QuarantinedItem]) -> int:
        keyed = [i if i.key else i.model_copy(update={"key": _unkeyed()}) for i in items]
        with self.db.write() as conn:
            given_up = _given_up(conn, keyed)
            conn.executemany(
                "INSERT INTO quarantine (platform, account, item_key, error, raw, seen_us,"
                " first_seen_us) VALUES (?,?,?,?,?,?,?)"
                " ON CONFLICT (platform, account, item_key) DO UPDATE SET"
                " error = excluded.error, raw = excluded.raw, seen_us = excluded.seen_us,"
                " attempts = attempts + 1,"
                " state = CASE state WHEN 'given_up' THEN state ELSE 'pending' END,"
                " outcome = CASE state WHEN 'given_up' THEN outcome END",
                [
                    (
                        i.platform.value,
                        i.account,
                        i.key,
                        i.error,
                        json.dumps(i.raw, ensure_ascii=False, default=str),
                        to_us(i.seen_at),
                        to_us(i.seen_at),
                    )
                    for i in keyed
                ],
            )
        return len(items) - given_up

    def list_quarantine(
        self,
        limit: int = 100,
        since: datetime | None = None,
        states: Iterable[QuarantineState] | None = None,
    ) -> list[QuarantinedItem]:
        wanted = [QuarantineState(s).value for s in (states or QuarantineState)]
        marks = ",".join("?" * len(wanted))
        rows = self.db.get().execute(
            "SELECT platform, account, error, raw, seen_us, item_key, attempts, state, outcome"
            f" FROM quarantine WHERE seen_us >= ? AND state IN ({marks}) ORDER BY id DESC LIMIT ?",
            (to_us(since) or 0, *wanted, limit),
        )
        return [
            QuarantinedItem(
                platform=r[0],
                account=r[1],
                raw=json.loads(r[3]),
                error=r[2],
                seen_at=from_us(r[4]) or utcnow(),
                key=r[5],
                attempts=r[6],
                state=r[7],
                outcome=r[8],
            )
            for r in rows
        ]

    def quarantine_backlog(self) -> dict[tuple[Platform, str], datetime]:
        rows = self.db.get().execute(
            "SELECT platform, lower(account), MIN(first_seen_us) FROM quarantine"
            " WHERE state = 'pending' GROUP BY 1, 2"
        )
        return {(Platform(r[0]), r[1]): from_us(r[2]) or utcnow() for r in rows}

    def settle_quarantine(
        self, platform: Platform, account: str, recollected_from: datetime, max_attempts: int
    ) -> QuarantineSettlement:
        where = "platform = ? AND lower(account) = ? AND state = 'pending'"
        params = (Platform(platform).value, account.lower())
        with self.db.write() as conn:
            resolved = conn.execute(
                f"UPDATE quarantine SET state = 'resolved', outcome = ? WHERE {where}"
                " AND seen_us < ?",
                (
                    f"not quarantined again when the account was collected anew"
                    f" on {recollected_from:%Y-%m-%d %H:%M} UTC",
                    *params,
                    to_us(recollected_from),
                ),
            ).rowcount
            given_up = conn.execute(
                "UPDATE quarantine SET state = 'given_up',"
                " outcome = 'gave up after ' || attempts || ' attempts: ' || error"
                f" WHERE {where} AND attempts >= ?",
                (*params, max_attempts),
            ).rowcount
            (pending,) = conn.execute(
                f"SELECT COUNT(*) FROM quarantine WHERE {where}", params
            ).fetchone()
        return QuarantineSettlement(resolved=resolved, given_up=given_up, pending=pending)

    def quarantine_counts(self) -> dict[QuarantineState, int]:
        rows = self.db.get().execute("SELECT state, COUNT(*) FROM quarantine GROUP BY 1")
        counts = dict.fromkeys(QuarantineState, 0)
        counts.update({QuarantineState(r[0]): int(r[1]) for r in rows})
        return counts

    def save_collection_run(
        self, started_at: datetime, finished_at: datetime, summary: dict[str, Any]
    ) -> None:
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO collection_runs (started_us, finished_us, summary) VALUES (?,?,?)",
                (
                    to_us(started_at),
                    to_us(finished_at),
                    json.dumps(summary, ensure_ascii=False, default=str),
                ),
            )

    def collection_runs(self, since: datetime) -> list[dict[str, Any]]:
        rows = self.db.get().execute(
            "SELECT started_us, finished_us, summary FROM collection_runs WHERE finished_us >= ? ORDER BY id",
            (to_us(since),),
        )
        return [
            {"started_at": from_us(r[0]), "finished_at": from_us(r[1]), **json.loads(r[2])}
            for r in rows
        ]

    def record_scores(self, records: Sequence[ScoreRecord]) -> None:
        with self.db.write() as conn:
            conn.executemany(
                "INSERT INTO post_scores (post_rowid, model_version, probability, threshold, flagged,"
                " scored_us) SELECT rowid, ?, ?, ?, ?, ? FROM posts WHERE id=?"
                " ON CONFLICT(post_rowid) DO UPDATE SET model_version=excluded.model_version,"
                " probability=excluded.probability, threshold=excluded.threshold,"
                " flagged=excluded.flagged, scored_us=excluded.scored_us",
                [
                    (
                        r.model_version,
                        r.probability,
                        r.threshold,
                        int(r.flagged),
                        to_us(r.scored_at),
                        r.post_id,
                    )
                    for r in records
                ],
            )

    def unscored_posts(
        self, model_version: str, limit: int = 500, cursor: str | None = None
    ) -> tuple[list[Post], str | None]:
        """Posts this model has not scored yet (not deleted, not purged), in store order; returns
        them and the cursor to continue after."""
        after = decode_position("unscored", cursor)
        rows = (
            self.db.get()
            .execute(
                "SELECT p.rowid, p.doc, p.raw, p.raw_sha256 FROM posts p"
                " LEFT JOIN post_scores s ON s.post_rowid = p.rowid"
                " WHERE p.rowid > ? AND p.deleted_us IS NULL AND p.purged_us IS NULL"
                " AND (s.post_rowid IS NULL OR s.model_version != ?) ORDER BY p.rowid LIMIT ?",
                (after, model_version, limit),
            )
            .fetchall()
        )
        next_cursor = encode_position("unscored", rows[-1][0]) if rows else cursor
        return [load_post(*r[1:]) for r in rows], next_cursor

    def flagged_posts(self, platform: Platform | None = None) -> list[Post]:
        where, params = ("AND p.platform=?", (platform.value,)) if platform else ("", ())
        rows = self.db.get().execute(
            "SELECT p.doc, p.raw, p.raw_sha256 FROM flags f JOIN posts p ON p.rowid = f.post_rowid"
            f" WHERE p.deleted_us IS NULL {where} ORDER BY p.rowid",
            params,
        )
        return [load_post(*r) for r in rows]

    def scoring_counts(self) -> dict[str, int]:
        row = (
            self.db.get()
            .execute("SELECT COUNT(*), COALESCE(SUM(flagged), 0) FROM post_scores")
            .fetchone()
        )
        return {"scored": int(row[0]), "flagged": int(row[1])}

    def latest_scoring_model(self) -> str | None:
        row = (
            self.db.get()
            .execute("SELECT model_version FROM post_scores ORDER BY scored_us DESC LIMIT 1")
            .fetchone()
        )
        return None if row is None else str(row[0])

    def audit_candidates(self, model_version: str, limit: int, seed: int) -> list[AuditCandidate]:
        """Scored, unflagged, not deleted posts that are not in the queue yet, in a random order
        fixed by ``seed``: the pool the audit sample is drawn from."""
        rows = self.db.get().execute(
            "SELECT p.id, s.probability, s.threshold FROM post_scores s JOIN posts p ON p.rowid = s.post_rowid"
            " WHERE s.model_version=? AND s.flagged=0 AND p.deleted_us IS NULL AND p.purged_us IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM flags f WHERE f.post_rowid = p.rowid)"
            " ORDER BY (p.rowid * 2654435761 + ?) % 4294967296 LIMIT ?",
            (model_version, seed, limit),
        )
        return [AuditCandidate(r[0], float(r[1]), r[2]) for r in rows]

    def save_report_contact(self, post_id: str, contact: str, received_at: datetime) -> None:
        with self.db.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO report_contacts VALUES (?,?,?)",
                (post_id, contact, to_us(received_at)),
            )

    def get_report_contact(self, post_id: str) -> str | None:
        row = (
            self.db.get()
            .execute("SELECT contact FROM report_contacts WHERE post_id=?", (post_id,))
            .fetchone()
        )
        return None if row is None else str(row[0])

    def save_report_receipt(self, receipt: ReportReceipt) -> None:
        try:
            with self.db.write() as conn:
                conn.execute(
                    "INSERT INTO report_receipts VALUES (?,?,?,?,?)",
                    (
                        receipt.receipt,
                        receipt.post_id,
                        to_us(receipt.received_at),
                        receipt.screenshot,
                        receipt.screenshot_sha256,
                    ),
                )
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"receipt {receipt.receipt!r} is taken") from exc

    def report_receipt(self, receipt: str) -> ReportReceipt | None:
        return self._receipt_where("receipt=?", receipt)

    def report_receipt_of_post(self, post_id: str) -> ReportReceipt | None:
        return self._receipt_where("post_id=?", post_id)

    def _receipt_where(self, clause: str, value: str) -> ReportReceipt | None:
        row = (
            self.db.get()
            .execute(
                "SELECT receipt, post_id, received_us, screenshot, screenshot_sha256"
                f" FROM report_receipts WHERE {clause} ORDER BY received_us LIMIT 1",
                (value,),
            )
            .fetchone()
        )
        if row is None:
            return None
        received = from_us(row[2]) or utcnow()  # NOT NULL: never the fallback
        return ReportReceipt(str(row[0]), str(row[1]), received, row[3], row[4])


class UserTable:
    def __init__(self, db: Connections) -> None:
        self.db = db

    def add_user(self, name: str, role: Role, token_hash: str) -> User:
        now = utcnow()
        with self.db.write() as conn:
            row = conn.execute("SELECT revoked_us FROM users WHERE name=?", (name,)).fetchone()
            if row is not None and row[0] is None:
                raise StoreError(f"user {name!r} exists; choose another name")
            if row is not None:
                # Audit events name their actor: a reused name would pin a revoked user's
                # decisions on whoever gets the name next.
                raise StoreError(
                    f"user {name!r} was revoked and names are never reused (the audit trail"
                    " keeps naming the old user); choose another name"
                )
            conn.execute(
                "INSERT INTO users (name, role, token_hash, created_us) VALUES (?,?,?,?)",
                (name, role.value, token_hash, to_us(now)),
            )
        return User(name=name, role=role, created_at=now)

    def user_by_token_hash(self, token_hash: str) -> User | None:
        row = (
            self.db.get()
            .execute(
                "SELECT name, role, created_us, revoked_us FROM users WHERE token_hash=? AND revoked_us IS NULL",
                (token_hash,),
            )
            .fetchone()
        )
        return None if row is None else _user(row)

    def list_users(self) -> list[User]:
        rows = self.db.get().execute(
            "SELECT name, role, created_us, revoked_us FROM users ORDER BY name"
        )
        return [_user(r) for r in rows]

    def rotate_token(self, name: str, token_hash: str) -> bool:
        with self.db.write() as conn:
            cursor = conn.execute(
                "UPDATE users SET token_hash=? WHERE name=? AND revoked_us IS NULL",
                (token_hash, name),
            )
            return cursor.rowcount > 0

    def end_session(self, session_id: str, until: datetime) -> None:
        with self.db.write() as conn:
            conn.execute("DELETE FROM ended_sessions WHERE until_us < ?", (to_us(utcnow()),))
            conn.execute(
                "INSERT OR REPLACE INTO ended_sessions (session_id, until_us) VALUES (?, ?)",
                (session_id, to_us(until)),
            )

    def session_ended(self, session_id: str) -> bool:
        row = (
            self.db.get()
            .execute("SELECT 1 FROM ended_sessions WHERE session_id=?", (session_id,))
            .fetchone()
        )
        return row is not None

    def revoke_user(self, name: str) -> bool:
        with self.db.write() as conn:
            cursor = conn.execute(
                "UPDATE users SET revoked_us=?, token_hash='revoked:' || name || ':' || created_us"
                " WHERE name=? AND revoked_us IS NULL",
                (to_us(utcnow()), name),
            )
            return cursor.rowcount > 0


def _user(row: tuple) -> User:
    return User(name=row[0], role=row[1], created_at=from_us(row[2]), revoked_at=from_us(row[3]))
