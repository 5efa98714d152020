"""The collection-state role: checkpoints, quarantined items, run summaries, confidential report
contacts, receipts of public reports and digest deliveries (tables checkpoints, quarantine,
collection_runs, report_contacts, report_receipts, digest_deliveries)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from netra.domain.models import Checkpoint, Platform, QuarantinedItem, QuarantineState
from netra.store.ports.role import StoreRole
from netra.store.ports.types import QuarantineSettlement, ReportReceipt


class CollectionStateStore(StoreRole, Protocol):
    def get_checkpoint(self, platform: Platform, account: str) -> Checkpoint | None: ...

    def set_checkpoint(
        self, platform: Platform, account: str, cursor: str | None
    ) -> Checkpoint: ...

    def quarantine(self, items: Sequence[QuarantinedItem]) -> int:
        """Keep items that could not be mapped. One whose (platform, account, key) is kept
        already is the same item fetched again: one attempt more, the newest error and time
        (pending again unless it was given up). Returns how many items are quarantined now,
        not counting those seen again after they were given up."""
        ...

    def list_quarantine(
        self,
        limit: int = 100,
        since: datetime | None = None,
        states: Iterable[QuarantineState] | None = None,
    ) -> list[QuarantinedItem]:
        """Newest first; ``since`` bounds the last time seen; ``states``: all when None."""
        ...

    def quarantine_backlog(self) -> dict[tuple[Platform, str], datetime]:
        """Accounts with pending items, keyed by (platform, lower-case account), each with the
        first time its oldest pending item was seen."""
        ...

    def settle_quarantine(
        self, platform: Platform, account: str, recollected_from: datetime, max_attempts: int
    ) -> QuarantineSettlement:
        """After the account was collected again from scratch in a pass that began at
        ``recollected_from``: its pending items not quarantined again in that pass are resolved;
        those quarantined ``max_attempts`` times are given up, with the reason."""
        ...

    def quarantine_counts(self) -> dict[QuarantineState, int]: ...

    def save_collection_run(
        self, started_at: datetime, finished_at: datetime, summary: dict[str, Any]
    ) -> None: ...

    def collection_runs(self, since: datetime) -> list[dict[str, Any]]: ...

    def save_report_contact(self, post_id: str, contact: str, received_at: datetime) -> None:
        """The reporter's contact, kept apart from the post (it never reaches the queue)."""
        ...

    def get_report_contact(self, post_id: str) -> str | None: ...

    def save_report_receipt(self, receipt: ReportReceipt) -> None:
        """Remember the receipt of a report sent through the public form (/lapor). A receipt
        number is unique: saving one that is kept already raises StoreError."""
        ...

    def report_receipt(self, receipt: str) -> ReportReceipt | None:
        """The report with this receipt number (exactly as issued), or None."""
        ...

    def report_receipt_of_post(self, post_id: str) -> ReportReceipt | None:
        """The receipt of the report that became ``post_id``, or None (not sent by the form)."""
        ...

    def digest_recipients_sent(self, day: date, region: str) -> set[str]:
        """The recipients (lower-case) the digest of ``day`` and ``region`` was sent to already."""
        ...

    def record_digest_sent(self, day: date, region: str, recipient: str, sent_at: datetime) -> None:
        """Remember one delivery; recording it again changes nothing (the first time stays)."""
        ...
