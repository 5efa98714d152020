"""Analyst decisions as labelled examples, the feedback loop into ``netra train --extra``.

Confirmed or escalated → 1 with the flag's category; dismissed as a false positive → 0. Other
dismissals (not an ASN account, duplicate, insufficient evidence) say nothing about the text and
are left out. Each flag is its own family, so no decision leaks across training splits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from netra.domain.models import Category, FlagStatus
from netra.review import DECIDED
from netra.store.base import FlagFilter, FlagSort, Store


def labelled_rows(store: Store) -> Iterator[dict[str, Any]]:
    cursor = None
    while True:
        page = store.search_flags(
            FlagFilter(statuses=DECIDED), sort=FlagSort.QUEUE_AGE_DESC, cursor=cursor, limit=500
        )
        for hit in page.items:
            if not hit.post.text and not hit.post.media:
                continue
            if hit.flag.status is FlagStatus.DISMISSED:
                last = next(
                    (e for e in reversed(store.history(hit.flag.id)) if e.action == "dismiss"), None
                )
                if last is None or last.reason != "false_positive":
                    continue
                label, category = 0, Category.NETRAL
            else:
                label, category = 1, hit.flag.category
            yield {
                "text": hit.post.text,
                "label": label,
                "category": category.value,
                "media": " | ".join(hit.post.media),
                "family": f"decision-{hit.flag.id}",
            }
        cursor = page.next_cursor
        if cursor is None:
            return
