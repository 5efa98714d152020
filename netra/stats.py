"""Review quality from analysts' decisions: precision of what the classifier queued, and an
estimate of what it missed from the audit sample of unflagged posts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from netra.domain.models import FlagOrigin, FlagStatus, utcnow
from netra.review import OPEN
from netra.store.base import AggregateBy, FlagFilter, Store

PARTISAN = {FlagStatus.CONFIRMED.value, FlagStatus.ESCALATED.value}


def _decided(store: Store, filters: FlagFilter, origin: FlagOrigin) -> tuple[int, int]:
    """(partisan, dismissed) among decided flags of one origin."""
    counts = {
        b.key: b.count
        for b in store.aggregate(
            replace(filters, origins=frozenset({origin})), by=AggregateBy.STATUS
        )
    }
    partisan = sum(counts.get(s, 0) for s in PARTISAN)
    return partisan, counts.get(FlagStatus.DISMISSED.value, 0)


def quality(store: Store, filters: FlagFilter | None = None) -> dict[str, Any]:
    filters = filters or FlagFilter()
    confirmed, dismissed = _decided(store, filters, FlagOrigin.CLASSIFIER)
    audit_partisan, audit_clean = _decided(store, filters, FlagOrigin.AUDIT_SAMPLE)
    reviewed, audit_reviewed = confirmed + dismissed, audit_partisan + audit_clean
    counts = store.scoring_counts()
    precision = confirmed / reviewed if reviewed else None
    missed = recall = None
    if audit_reviewed and precision is not None:
        # The audit items are a random sample of the unflagged posts: scale their partisan share
        # up to all unflagged posts, and compare with the partisan posts the queue caught.
        unflagged = counts["scored"] - counts["flagged"]
        missed = audit_partisan / audit_reviewed * unflagged
        caught = precision * counts["flagged"]
        recall = caught / (caught + missed) if caught + missed else None
    return {
        "reviewed": reviewed,
        "confirmed": confirmed,
        "dismissed": dismissed,
        "precision": None if precision is None else round(precision, 4),
        "audit_reviewed": audit_reviewed,
        "audit_partisan": audit_partisan,
        "estimated_missed": None if missed is None else round(missed, 1),
        "estimated_recall": None if recall is None else round(recall, 4),
        "scored_posts": counts["scored"],
        "flagged_posts": counts["flagged"],
    }


def queue_summary(store: Store, filters: FlagFilter, deadline_days: int) -> dict[str, Any]:
    """Totals by status, category and origin; how many are open, and how many of those are
    past the reporting deadline (discovered more than ``deadline_days`` ago)."""

    def counts(by: AggregateBy, where: FlagFilter = filters) -> list[dict[str, Any]]:
        return [{"key": b.key, "count": b.count} for b in store.aggregate(where, by=by)]

    by_status = counts(AggregateBy.STATUS)
    open_statuses = OPEN & filters.statuses if filters.statuses else OPEN
    open_total = overdue = 0
    if open_statuses:
        open_filter = replace(filters, statuses=frozenset(open_statuses))
        deadline = utcnow() - timedelta(days=deadline_days)
        open_total = sum(c["count"] for c in counts(AggregateBy.STATUS, open_filter))
        overdue = sum(
            c["count"]
            for c in counts(AggregateBy.STATUS, replace(open_filter, flagged_to=deadline))
        )
    return {
        "total": sum(c["count"] for c in by_status),
        "by_status": by_status,
        "by_category": counts(AggregateBy.CATEGORY),
        "by_origin": counts(AggregateBy.ORIGIN),
        "open": open_total,
        "overdue": overdue,
    }
