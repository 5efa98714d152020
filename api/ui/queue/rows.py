"""What a row of the queue shows, for reviewers (names, text) and for the dashboard role
(pseudonymous ids only), with each item's age against the reporting clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from api.schemas import FlagDashboard, FlagPublic, PersonPublic
from api.ui.filters import warn_from_day
from api.ui.links import item_href
from netra.domain.models import Category, FlagOrigin, FlagStatus, Platform
from netra.review import OPEN

TEXT_CHARS = 140


@dataclass(frozen=True)
class Clock:
    """An item's age against the reporting clock: day ``day`` of ``of`` since discovery."""

    day: int
    of: int
    level: str  # "", "warning" (the last days) or "overdue" (past the deadline); open items only


def clock(found: datetime, now: datetime, deadline_days: int, status: FlagStatus) -> Clock:
    day = max(0, int((now - found).total_seconds() // 86400)) + 1
    warn_from = warn_from_day(deadline_days)
    level = ""
    if status in OPEN:
        level = "overdue" if day > deadline_days else "warning" if day >= warn_from else ""
    return Clock(day=day, of=deadline_days, level=level)


@dataclass(frozen=True)
class Row:
    id: str  # the flag id (reviewers) or its pseudonym (dashboard)
    href: str | None  # the item page, for reviewers
    score: float
    category: Category
    status: FlagStatus
    platform: Platform
    origin: FlagOrigin
    text: str | None  # first TEXT_CHARS characters, reviewers only
    person: str | None  # name (reviewers) or pseudonymous id (dashboard)
    nip: str | None
    agency: str | None
    region: str | None
    assignees: list[str]
    found: datetime
    clock: Clock
    version: int | None


def excerpt(text: str, chars: int = TEXT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _region(name: str | None, code: str | None) -> str | None:
    if name and code:
        return f"{name} ({code})"
    return name or code


def rows_of(
    items: Sequence[FlagPublic | FlagDashboard], now: datetime, deadline_days: int, links: str
) -> list[Row]:
    rows = []
    for item in items:
        person = item.person
        if isinstance(item, FlagPublic):
            rows.append(
                Row(
                    id=item.id,
                    href=item_href(item.id, links),
                    score=item.probability,
                    category=item.category,
                    status=item.status,
                    platform=item.post.platform,
                    origin=item.origin,
                    text=excerpt(item.post.text),
                    person=person.name if isinstance(person, PersonPublic) else None,
                    nip=person.nip if isinstance(person, PersonPublic) else None,
                    agency=person.agency if person else None,
                    region=_region(person.region_name, person.region_code) if person else None,
                    assignees=list(item.assignees),
                    found=item.discovered_at,
                    clock=clock(item.discovered_at, now, deadline_days, item.status),
                    version=item.version,
                )
            )
        else:
            rows.append(
                Row(
                    id=item.id,
                    href=None,
                    score=item.probability,
                    category=item.category,
                    status=item.status,
                    platform=item.platform,
                    origin=item.origin,
                    text=None,
                    person=person.person_id if person else None,
                    nip=None,
                    agency=person.agency if person else None,
                    region=_region(person.region_name, person.region_code) if person else None,
                    assignees=[],
                    found=item.discovered_at,
                    clock=clock(item.discovered_at, now, deadline_days, item.status),
                    version=None,
                )
            )
    return rows
