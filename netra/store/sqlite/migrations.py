"""Numbered schema migrations. Append only: a released migration is never edited."""

from __future__ import annotations

import sqlite3
import time

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "registry, posts, flags, review trail, checkpoints",
        """
        CREATE TABLE people (
            nip TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            employment_type TEXT NOT NULL,
            agency TEXT NOT NULL,
            unit TEXT,
            position TEXT,
            region_code TEXT NOT NULL,
            region_name TEXT NOT NULL,
            updated_us INTEGER NOT NULL
        );
        CREATE INDEX people_agency ON people(agency);

        CREATE TABLE accounts (
            platform TEXT NOT NULL,
            handle_key TEXT NOT NULL,
            handle TEXT NOT NULL,
            nip TEXT NOT NULL REFERENCES people(nip),
            native_id TEXT,
            url TEXT,
            verified_by TEXT NOT NULL,
            status TEXT NOT NULL,
            status_seen_us INTEGER,
            PRIMARY KEY (platform, handle_key)
        );
        CREATE INDEX accounts_nip ON accounts(nip);

        CREATE TABLE posts (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            platform TEXT NOT NULL,
            person_nip TEXT,
            created_us INTEGER NOT NULL,
            collected_us INTEGER NOT NULL,
            deleted_us INTEGER,
            purged_us INTEGER,
            raw_sha256 TEXT NOT NULL,
            doc TEXT NOT NULL,
            raw TEXT NOT NULL
        );
        CREATE INDEX posts_created ON posts(created_us);
        CREATE INDEX posts_person ON posts(person_nip, created_us);

        CREATE TABLE flags (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            post_rowid INTEGER NOT NULL REFERENCES posts(rowid),
            status TEXT NOT NULL,
            category TEXT NOT NULL,
            origin TEXT NOT NULL,
            score REAL NOT NULL,
            platform TEXT NOT NULL,
            person_nip TEXT,
            agency TEXT,
            region_code TEXT,
            posted_us INTEGER NOT NULL,
            flagged_us INTEGER NOT NULL,
            updated_us INTEGER NOT NULL,
            version INTEGER NOT NULL,
            doc TEXT NOT NULL,
            embedding BLOB
        );
        CREATE INDEX flags_score ON flags(score DESC, id);
        CREATE INDEX flags_status_score ON flags(status, score DESC, id);
        CREATE INDEX flags_category_score ON flags(category, score DESC, id);
        CREATE INDEX flags_posted ON flags(posted_us, id);
        CREATE INDEX flags_flagged ON flags(flagged_us, id);
        CREATE INDEX flags_agency ON flags(agency);
        CREATE INDEX flags_region ON flags(region_code);
        CREATE INDEX flags_person ON flags(person_nip);
        CREATE INDEX flags_post ON flags(post_rowid);

        CREATE TABLE flag_assignees (
            assignee TEXT NOT NULL,
            flag_rowid INTEGER NOT NULL REFERENCES flags(rowid),
            PRIMARY KEY (assignee, flag_rowid)
        ) WITHOUT ROWID;

        -- Search terms of flagged posts (prepared by netra.domain.textsearch), rowid = flags.rowid.
        CREATE VIRTUAL TABLE flag_fts USING fts5(
            terms, tokenize = "unicode61 remove_diacritics 2", prefix = '2 3'
        );

        CREATE TABLE review_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            flag_id TEXT NOT NULL,
            at_us INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX review_events_flag ON review_events(flag_id, seq);
        CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
            BEGIN SELECT RAISE(ABORT, 'review events are append-only'); END;
        CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
            BEGIN SELECT RAISE(ABORT, 'review events are append-only'); END;

        CREATE TABLE checkpoints (
            platform TEXT NOT NULL,
            account TEXT NOT NULL,
            cursor TEXT,
            updated_us INTEGER NOT NULL,
            PRIMARY KEY (platform, account)
        ) WITHOUT ROWID;
        """,
    ),
    (
        2,
        "collection: quarantine, run summaries, score bookkeeping, confidential report contacts",
        """
        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            account TEXT NOT NULL,
            error TEXT NOT NULL,
            raw TEXT NOT NULL,
            seen_us INTEGER NOT NULL
        );
        CREATE INDEX quarantine_seen ON quarantine(seen_us);

        CREATE TABLE collection_runs (
            id INTEGER PRIMARY KEY,
            started_us INTEGER NOT NULL,
            finished_us INTEGER NOT NULL,
            summary TEXT NOT NULL
        );
        CREATE INDEX collection_runs_finished ON collection_runs(finished_us);

        -- Which model scored a post, so each post is scored once per model.
        CREATE TABLE post_scores (
            post_rowid INTEGER PRIMARY KEY REFERENCES posts(rowid),
            model_version TEXT NOT NULL,
            probability REAL NOT NULL,
            flagged INTEGER NOT NULL,
            scored_us INTEGER NOT NULL
        );
        CREATE INDEX post_scores_model ON post_scores(model_version);

        -- A public reporter's contact: confidential, never part of a post or its payload.
        CREATE TABLE report_contacts (
            post_id TEXT PRIMARY KEY,
            contact TEXT NOT NULL,
            received_us INTEGER NOT NULL
        );
        """,
    ),
    (
        3,
        "drop the per-person post index: no query reads it, and its random-order inserts slow"
        " bulk upserts at volume",
        """
        DROP INDEX IF EXISTS posts_person;
        """,
    ),
    (
        4,
        "API users with hashed tokens",
        """
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_us INTEGER NOT NULL,
            revoked_us INTEGER
        );
        """,
    ),
    (
        5,
        "covering indexes for the queue's usual views, so the first page's total is an index count",
        """
        CREATE INDEX flags_status_category ON flags(status, category);
        CREATE INDEX flags_status_agency ON flags(status, agency);
        CREATE INDEX flags_status_region ON flags(status, region_code);
        CREATE INDEX flags_status_platform ON flags(status, platform);
        """,
    ),
    (
        6,
        "keep each score's threshold, so an audit item shows the score the post really had",
        """
        ALTER TABLE post_scores ADD COLUMN threshold REAL;
        """,
    ),
    (
        7,
        "review events by time, for the daily digest's reviewer throughput",
        """
        CREATE INDEX review_events_at ON review_events(at_us);
        """,
    ),
    (
        8,
        "regions of the registry from an index, not a scan of every person",
        """
        CREATE INDEX people_region ON people(region_code, region_name);
        """,
    ),
    (
        9,
        "quarantine retried until stored or given up; a generation for cached flag embeddings",
        """
        ALTER TABLE quarantine ADD COLUMN item_key TEXT;
        ALTER TABLE quarantine ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE quarantine ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';
        ALTER TABLE quarantine ADD COLUMN outcome TEXT;
        ALTER TABLE quarantine ADD COLUMN first_seen_us INTEGER;
        UPDATE quarantine SET item_key = 'before-v9#' || id, first_seen_us = seen_us;
        CREATE UNIQUE INDEX quarantine_item ON quarantine(platform, account, item_key);
        CREATE INDEX quarantine_state ON quarantine(state, platform, account);

        -- Bumped by every write that adds, replaces or drops an embedding, in the writer's
        -- transaction: a process caching the vectors rebuilds when it differs.
        CREATE TABLE generations (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO generations VALUES ('flag_embeddings', 0);
        CREATE TRIGGER flag_embedding_added AFTER INSERT ON flags
            WHEN NEW.embedding IS NOT NULL
            BEGIN UPDATE generations SET value = value + 1 WHERE name = 'flag_embeddings'; END;
        CREATE TRIGGER flag_embedding_replaced AFTER UPDATE OF embedding ON flags
            WHEN NEW.embedding IS NOT OLD.embedding
            BEGIN UPDATE generations SET value = value + 1 WHERE name = 'flag_embeddings'; END;
        CREATE TRIGGER flag_embedding_dropped AFTER DELETE ON flags
            WHEN OLD.embedding IS NOT NULL
            BEGIN UPDATE generations SET value = value + 1 WHERE name = 'flag_embeddings'; END;
        """,
    ),
    (
        10,
        "digest deliveries, so a retried digest never mails a recipient twice for a day and region",
        """
        CREATE TABLE digest_deliveries (
            day TEXT NOT NULL,
            region TEXT NOT NULL,
            recipient TEXT NOT NULL,
            sent_us INTEGER NOT NULL,
            PRIMARY KEY (day, region, recipient)
        ) WITHOUT ROWID;
        """,
    ),
    (
        11,
        "receipts of reports sent through the public form (/lapor), with their screenshot files",
        """
        -- The receipt number is what the reporter follows the report up with; the screenshot
        -- is a file under NETRA_VAR_DIR/reports (a random name) and its SHA-256.
        CREATE TABLE report_receipts (
            receipt TEXT PRIMARY KEY,
            post_id TEXT NOT NULL,
            received_us INTEGER NOT NULL,
            screenshot TEXT,
            screenshot_sha256 TEXT
        ) WITHOUT ROWID;
        CREATE INDEX report_receipts_post ON report_receipts(post_id);
        """,
    ),
    (
        12,
        "web UI sessions that were signed out before they expired",
        """
        -- A session is a signed cookie; signing out lists its id here until it would have
        -- expired, so a copy of the cookie no longer works.
        CREATE TABLE ended_sessions (
            session_id TEXT PRIMARY KEY,
            until_us INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
]


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations, each in its own transaction; returns the schema version.
    ``BEGIN IMMEDIATE`` makes concurrent openers wait instead of migrating twice."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = current_version(conn)
        for number, description, script in MIGRATIONS:
            if number <= version:
                continue
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                (number, description, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
            )
            version = number
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return version


def refresh_statistics(conn: sqlite3.Connection, min_rows: int = 1000) -> bool:
    """Re-run ANALYZE when the queue has grown or shrunk twofold since the planner statistics
    were taken. Stale statistics made SQLite pick an equality index and sort thousands of rows
    for one page instead of walking (category, score) in order (p50 18 → 43 ms at 1M posts)."""
    actual = int(conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM flags").fetchone()[0])
    try:
        row = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'flags' LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # no statistics yet
        row = None
    recorded = int(str(row[0]).split()[0]) if row else 0
    if actual < min_rows or (recorded and recorded / 2 <= actual <= recorded * 2):
        return False
    conn.execute("ANALYZE")
    return True


def _statements(script: str) -> list[str]:
    """Split a script on complete statements (triggers contain inner semicolons)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
