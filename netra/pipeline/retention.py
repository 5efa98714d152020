"""The retention period: unflagged posts older than NETRA_RETENTION_DAYS lose their text."""

from __future__ import annotations

from datetime import datetime, timedelta

from netra.domain.models import utcnow
from netra.domain.settings import Settings
from netra.store.base import Store


def apply_retention(store: Store, settings: Settings, now: datetime | None = None) -> int:
    """Empty the unflagged posts created before the retention period; flagged posts keep their
    evidence. Returns how many posts were emptied (none the second time: idempotent)."""
    return store.purge((now or utcnow()) - timedelta(days=settings.retention_days))
