"""The embedded store: one SQLite file in WAL mode, FTS5 search, numbered migrations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from netra.domain.models import (
    AccountStatus,
    Checkpoint,
    Flag,
    Person,
    Platform,
    Post,
    QuarantinedItem,
    QuarantineState,
    ReviewEvent,
    Role,
    SocialAccount,
    User,
)
from netra.store.base import (
    AggregateBy,
    AuditCandidate,
    Bucket,
    Conflict,
    FlagFilter,
    FlagPage,
    FlagSort,
    QuarantineSettlement,
    RegistrySummary,
    ReportReceipt,
    ScoreRecord,
    SimilarFlag,
    StoreDescription,
    StoreSummary,
    TimeField,
    UpsertResult,
)
from netra.store.sqlite.collection import CollectionTable, UserTable
from netra.store.sqlite.connection import Connections
from netra.store.sqlite.deliveries import DeliveryTable
from netra.store.sqlite.flags import FlagTable
from netra.store.sqlite.posts import PostTable
from netra.store.sqlite.registry import RegistryTable


class SqliteStore:
    """Implements :class:`netra.store.base.Store` over one database file."""

    def __init__(self, path: Path | str) -> None:
        self.db = Connections(Path(path))
        self._registry = RegistryTable(self.db)
        self._posts = PostTable(self.db)
        self._flags = FlagTable(self.db, self._posts, self._registry)
        self._collection = CollectionTable(self.db)
        self._users = UserTable(self.db)
        self._deliveries = DeliveryTable(self.db)

    def describe(self) -> StoreDescription:
        try:
            conn = self.db.get()
            counts = {
                table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
                for table in ("people", "accounts", "posts", "flags")
            }
        except Exception as exc:  # noqa: BLE001 - describe() reports a failure, never raises
            return StoreDescription(
                backend="sqlite",
                schema_version=self.db.schema_version,
                ok=False,
                reason=type(exc).__name__,
            )
        return StoreDescription(
            backend="sqlite", schema_version=self.db.schema_version, counts=counts
        )

    # registry
    def upsert_people(self, people: Sequence[Person]) -> UpsertResult:
        return self._registry.upsert_people(people)

    def get_person(self, nip: str) -> Person | None:
        return self._registry.get_person(nip)

    def regions(self) -> dict[str, str]:
        return self._registry.regions()

    def iter_people(self) -> Iterator[Person]:
        return self._registry.iter_people()

    def account_owners(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        return self._registry.account_owners(keys)

    # posts
    def upsert_posts(self, posts: Sequence[Post]) -> UpsertResult:
        return self._posts.upsert_posts(posts)

    def get_post(self, post_id: str) -> Post | None:
        return self._posts.get_post(post_id)

    def posts_after(self, after: str | None, limit: int = 500) -> list[Post]:
        return self._posts.posts_after(after, limit)

    def mark_deleted(self, post_id: str, seen_gone_at: datetime) -> bool:
        return self._posts.mark_deleted(post_id, seen_gone_at)

    # flags
    def upsert_flags(
        self, flags: Sequence[Flag], embeddings: Mapping[str, Sequence[float]] | None = None
    ) -> UpsertResult:
        return self._flags.upsert_flags(flags, embeddings)

    def get_flag(self, flag_id: str) -> Flag | None:
        return self._flags.get_flag(flag_id)

    def flag_embeddings(self, flag_ids: Sequence[str]) -> dict[str, list[float]]:
        return self._flags.flag_embeddings(flag_ids)

    def search_flags(
        self,
        filters: FlagFilter | None = None,
        q: str | None = None,
        sort: FlagSort = FlagSort.SCORE_DESC,
        cursor: str | None = None,
        limit: int = 50,
    ) -> FlagPage:
        return self._flags.search_flags(filters, q, sort, cursor, limit)

    def aggregate(
        self,
        filters: FlagFilter | None = None,
        by: AggregateBy | None = None,
        interval: str | None = None,
        time_field: TimeField = TimeField.FLAGGED,
        tz: str = "UTC",
    ) -> list[Bucket]:
        return self._flags.aggregate(filters, by, interval, time_field, tz)

    def apply_review(
        self, flag_id: str, expected_version: int, event: ReviewEvent
    ) -> Flag | Conflict:
        return self._flags.apply_review(flag_id, expected_version, event)

    def history(self, flag_id: str) -> list[ReviewEvent]:
        return self._flags.history(flag_id)

    def similar(self, flag_id: str, k: int = 5) -> list[SimilarFlag]:
        return self._flags.similar(flag_id, k)

    def review_events(
        self, since: datetime, until: datetime, filters: FlagFilter | None = None
    ) -> list[ReviewEvent]:
        return self._flags.review_events(since, until, filters)

    # collection state and housekeeping
    def get_checkpoint(self, platform: Platform, account: str) -> Checkpoint | None:
        return self._posts.get_checkpoint(platform, account)

    def set_checkpoint(self, platform: Platform, account: str, cursor: str | None) -> Checkpoint:
        return self._posts.set_checkpoint(platform, account, cursor)

    # collection state, scoring bookkeeping
    def iter_accounts(
        self,
        platform: Platform | None = None,
        handle_from: str | None = None,
        handle_to: str | None = None,
    ) -> Iterator[tuple[str, SocialAccount]]:
        return self._collection.iter_accounts(platform, handle_from, handle_to)

    def set_account_status(
        self, platform: Platform, handle: str, status: AccountStatus, seen_at: datetime
    ) -> bool:
        return self._collection.set_account_status(platform, handle, status, seen_at)

    def quarantine(self, items: Sequence[QuarantinedItem]) -> int:
        return self._collection.quarantine(items)

    def list_quarantine(
        self,
        limit: int = 100,
        since: datetime | None = None,
        states: Iterable[QuarantineState] | None = None,
    ) -> list[QuarantinedItem]:
        return self._collection.list_quarantine(limit, since, states)

    def quarantine_backlog(self) -> dict[tuple[Platform, str], datetime]:
        return self._collection.quarantine_backlog()

    def settle_quarantine(
        self, platform: Platform, account: str, recollected_from: datetime, max_attempts: int
    ) -> QuarantineSettlement:
        return self._collection.settle_quarantine(platform, account, recollected_from, max_attempts)

    def quarantine_counts(self) -> dict[QuarantineState, int]:
        return self._collection.quarantine_counts()

    def save_collection_run(
        self, started_at: datetime, finished_at: datetime, summary: dict[str, Any]
    ) -> None:
        self._collection.save_collection_run(started_at, finished_at, summary)

    def collection_runs(self, since: datetime) -> list[dict[str, Any]]:
        return self._collection.collection_runs(since)

    # digest deliveries
    def digest_recipients_sent(self, day: date, region: str) -> set[str]:
        return self._deliveries.digest_recipients_sent(day, region)

    def record_digest_sent(self, day: date, region: str, recipient: str, sent_at: datetime) -> None:
        self._deliveries.record_digest_sent(day, region, recipient, sent_at)

    def record_scores(self, records: Sequence[ScoreRecord]) -> None:
        self._collection.record_scores(records)

    def unscored_posts(
        self, model_version: str, limit: int = 500, cursor: str | None = None
    ) -> tuple[list[Post], str | None]:
        return self._collection.unscored_posts(model_version, limit, cursor)

    def flagged_posts(self, platform: Platform | None = None) -> list[Post]:
        return self._collection.flagged_posts(platform)

    def save_report_contact(self, post_id: str, contact: str, received_at: datetime) -> None:
        self._collection.save_report_contact(post_id, contact, received_at)

    def get_report_contact(self, post_id: str) -> str | None:
        return self._collection.get_report_contact(post_id)

    def save_report_receipt(self, receipt: ReportReceipt) -> None:
        self._collection.save_report_receipt(receipt)

    def report_receipt(self, receipt: str) -> ReportReceipt | None:
        return self._collection.report_receipt(receipt)

    def report_receipt_of_post(self, post_id: str) -> ReportReceipt | None:
        return self._collection.report_receipt_of_post(post_id)

    def scoring_counts(self) -> dict[str, int]:
        return self._collection.scoring_counts()

    def latest_scoring_model(self) -> str | None:
        return self._collection.latest_scoring_model()

    def audit_candidates(self, model_version: str, limit: int, seed: int) -> list[AuditCandidate]:
        return self._collection.audit_candidates(model_version, limit, seed)

    # users
    def add_user(self, name: str, role: Role, token_hash: str) -> User:
        return self._users.add_user(name, role, token_hash)

    def user_by_token_hash(self, token_hash: str) -> User | None:
        return self._users.user_by_token_hash(token_hash)

    def list_users(self) -> list[User]:
        return self._users.list_users()

    def revoke_user(self, name: str) -> bool:
        return self._users.revoke_user(name)

    def rotate_token(self, name: str, token_hash: str) -> bool:
        return self._users.rotate_token(name, token_hash)

    def end_session(self, session_id: str, until: datetime) -> None:
        self._users.end_session(session_id, until)

    def session_ended(self, session_id: str) -> bool:
        return self._users.session_ended(session_id)

    def purge(self, before: datetime, keep_flagged: bool = True) -> int:
        return self._posts.purge(before, keep_flagged)

    def registry_summary(self) -> RegistrySummary:
        return self._registry.registry_summary()

    def summary(self) -> StoreSummary:
        registry = self.registry_summary()
        counts = self.describe().counts
        return StoreSummary(
            people=registry.people,
            accounts=registry.accounts,
            accounts_by_platform=registry.accounts_by_platform,
            people_by_agency=registry.people_by_agency,
            posts=counts["posts"],
            flags=counts["flags"],
        )

    def close(self) -> None:
        self.db.close()
