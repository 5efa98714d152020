"""What a daily digest says, gathered from the store for one local day and one region (or all).

Everything here is counts and short excerpts: no names, NIP or handles. A supervisor follows the
link into the review UI, where roles decide who sees what.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

from netra.domain.models import FlagStatus, ReviewEvent, utcnow
from netra.domain.settings import Settings
from netra.review import DECIDED, OPEN
from netra.store.base import AggregateBy, FlagFilter, FlagSort, Store

ALL_REGIONS = "all"

# The digest charts the days before it and bounds each local day in UTC: these days all have both.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9999, 12, 30)


def check_day(day: date) -> date:
    """The day, if a digest can be made for it (ValueError otherwise)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"out of range: a digest day lies between {FIRST_DAY} and {LAST_DAY}")
    return day


CHART_DAYS = 14
TOP_N = 10
EXCERPT_CHARS = 180
# Aging of the open queue against the reporting clock, in whole days since discovery.
AGE_BANDS = ((0, 2), (3, 4), (5, 6))


@dataclass(frozen=True)
class TopItem:
    flag_id: str
    score: float
    category: str
    platform: str
    agency: str | None
    origin: str
    status: str
    posted_at: datetime
    excerpt: str
    link: str


@dataclass(frozen=True)
class Reviewer:
    name: str
    confirmed: int = 0
    dismissed: int = 0
    escalated: int = 0

    @property
    def decisions(self) -> int:
        return self.confirmed + self.dismissed + self.escalated


@dataclass(frozen=True)
class CollectionHealth:
    runs: int
    accounts_ok: int
    accounts_failed: int
    accounts_unavailable: int
    posts_new: int
    rate_limit_waits: int
    rate_limit_wait_seconds: float
    quarantined: int
    failures: list[dict[str, str]]
    quarantine_reasons: list[tuple[str, int]]


@dataclass(frozen=True)
class DayPoint:
    day: date
    new: int
    decided: int


@dataclass(frozen=True)
class Digest:
    day: date
    region_code: str
    region_name: str
    timezone: str
    generated_at: datetime
    deadline_days: int
    new_total: int
    new_by_category: list[tuple[str, int]]
    new_by_platform: list[tuple[str, int]]
    new_by_agency: list[tuple[str, int]]
    top: list[TopItem]
    open_total: int
    open_by_age: list[tuple[str, int]]
    due_soon: int  # open and at most two days from the deadline
    overdue: int
    reviewers: list[Reviewer]
    health: CollectionHealth
    chart: list[DayPoint] = field(default_factory=list)

    @property
    def decisions(self) -> int:
        return sum(r.decisions for r in self.reviewers)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["decisions"] = self.decisions
        return data


def day_bounds(day: date, settings: Settings) -> tuple[datetime, datetime]:
    """The local day as a UTC interval [start, end)."""
    start = datetime.combine(day, time(0), settings.tz)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def gather(
    store: Store,
    settings: Settings,
    day: date,
    region: str = ALL_REGIONS,
    now: datetime | None = None,
    regions: Mapping[str, str] | None = None,
) -> Digest:
    """The digest of one local day for ``region``. ``regions`` (code → name, as
    ``store.regions()`` gives) may be passed by a caller building many digests: reading it scans
    the registry."""
    now = now or utcnow()
    start, end = day_bounds(day, settings)
    regions = store.regions() if regions is None else regions
    if region != ALL_REGIONS and region not in regions:
        known = ", ".join(regions) or "none registered"
        raise ValueError(f"region {region!r} is not in the registry (known: {known}, or 'all')")
    scope = FlagFilter() if region == ALL_REGIONS else FlagFilter(region_codes=frozenset({region}))
    new_on_day = replace(scope, flagged_from=start, flagged_to=end)

    def breakdown(by: AggregateBy) -> list[tuple[str, int]]:
        return [(b.key or "—", b.count) for b in store.aggregate(new_on_day, by=by)]

    by_category = breakdown(AggregateBy.CATEGORY)
    open_total, by_age, due_soon, overdue = _backlog(store, scope, now, settings)
    chart_start, _ = day_bounds(day - timedelta(days=CHART_DAYS - 1), settings)
    decisions = [e for e in store.review_events(chart_start, end, scope) if e.to_status in DECIDED]
    return Digest(
        day=day,
        region_code=region,
        region_name="Semua wilayah" if region == ALL_REGIONS else regions[region],
        timezone=settings.timezone,
        generated_at=now,
        deadline_days=settings.report_deadline_days,
        new_total=sum(count for _, count in by_category),
        new_by_category=by_category,
        new_by_platform=breakdown(AggregateBy.PLATFORM),
        new_by_agency=breakdown(AggregateBy.AGENCY),
        top=_top(store, new_on_day, settings),
        open_total=open_total,
        open_by_age=by_age,
        due_soon=due_soon,
        overdue=overdue,
        reviewers=_reviewers([e for e in decisions if start <= e.at < end]),
        health=_health(store, start, end),
        chart=_chart(store, scope, day, settings, decisions),
    )


def _top(store: Store, where: FlagFilter, settings: Settings) -> list[TopItem]:
    page = store.search_flags(where, sort=FlagSort.SCORE_DESC, limit=TOP_N)
    base = settings.review_ui_url.rstrip("/")
    items = []
    for hit in page.items:
        text = " ".join((hit.post.text or " ".join(hit.post.media) or "").split())
        excerpt = text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"
        items.append(
            TopItem(
                flag_id=hit.flag.id,
                score=hit.flag.score.probability,
                category=hit.flag.category.value,
                platform=hit.post.platform.value,
                agency=hit.person.agency if hit.person else None,
                origin=hit.flag.origin.value,
                status=hit.flag.status.value,
                posted_at=hit.post.created_at,
                excerpt=excerpt,
                link=f"{base}/flags/{quote(hit.flag.id, safe=':/')}",
            )
        )
    return items


def _backlog(
    store: Store, scope: FlagFilter, now: datetime, settings: Settings
) -> tuple[int, list[tuple[str, int]], int, int]:
    """Open flags now, by whole days since discovery; those near and past the deadline."""
    open_scope = replace(scope, statuses=frozenset(OPEN))
    deadline = settings.report_deadline_days
    bands = [(low, min(high, deadline - 1)) for low, high in AGE_BANDS if low < deadline]
    due_from = max(deadline - 2, 0)
    ages = {0, deadline, due_from, *(low for low, _ in bands), *(high + 1 for _, high in bands)}
    older_than = {  # open flags discovered at least this many days ago: one count per boundary
        days: sum(
            b.count
            for b in store.aggregate(
                replace(open_scope, flagged_to=now - timedelta(days=days)), by=AggregateBy.STATUS
            )
        )
        for days in ages
    }
    overdue = older_than[deadline]
    labelled = [
        (f"{low}–{high} hari", older_than[low] - older_than[high + 1]) for low, high in bands
    ]
    labelled.append((f"≥ {deadline} hari (lewat batas)", overdue))
    return older_than[0], labelled, older_than[due_from] - overdue, overdue


def _reviewers(decisions: Iterable[ReviewEvent]) -> list[Reviewer]:
    counts: dict[str, Counter[FlagStatus | None]] = {}
    for event in decisions:
        counts.setdefault(event.actor, Counter())[event.to_status] += 1
    reviewers = [
        Reviewer(
            name=actor,
            confirmed=c[FlagStatus.CONFIRMED],
            dismissed=c[FlagStatus.DISMISSED],
            escalated=c[FlagStatus.ESCALATED],
        )
        for actor, c in counts.items()
    ]
    return sorted(reviewers, key=lambda r: (-r.decisions, r.name))


def _health(store: Store, start: datetime, end: datetime) -> CollectionHealth:
    """Collection over the whole system during the day (collection is not split by region)."""
    runs = [r for r in store.collection_runs(start) if r["finished_at"] < end]
    quarantined = [q for q in store.list_quarantine(limit=10_000, since=start) if q.seen_at < end]
    reasons = Counter(q.error.split(":")[0][:80] for q in quarantined)

    def total(key: str) -> Any:
        return sum(r.get(key, 0) for r in runs)

    failures = [f for r in runs for f in r.get("failures", [])]
    return CollectionHealth(
        runs=len(runs),
        accounts_ok=total("accounts_ok"),
        accounts_failed=total("accounts_failed"),
        accounts_unavailable=total("accounts_unavailable"),
        posts_new=total("posts_new"),
        rate_limit_waits=total("rate_limit_waits"),
        rate_limit_wait_seconds=round(float(total("rate_limit_wait_seconds")), 1),
        quarantined=len(quarantined),
        failures=failures[:5],
        quarantine_reasons=reasons.most_common(3),
    )


def _chart(
    store: Store,
    scope: FlagFilter,
    day: date,
    settings: Settings,
    decisions: Iterable[ReviewEvent],
) -> list[DayPoint]:
    first = day - timedelta(days=CHART_DAYS - 1)
    start, _ = day_bounds(first, settings)
    _, end = day_bounds(day, settings)
    new = {
        b.day: b.count
        for b in store.aggregate(
            replace(scope, flagged_from=start, flagged_to=end), interval="day", tz=settings.timezone
        )
    }
    decided: Counter[str] = Counter(
        e.at.astimezone(settings.tz).date().isoformat() for e in decisions
    )
    days = [first + timedelta(days=i) for i in range(CHART_DAYS)]
    return [DayPoint(d, new.get(d.isoformat(), 0), decided[d.isoformat()]) for d in days]
