"""Each chart of the statistics page from the store: its numbers, its SVG (``api.ui.charts``)
and the table of the same numbers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from api.ui import charts
from api.ui.filters import warn_from_day
from api.ui.stats.period import Period, between
from api.ui.text import translate
from netra.domain.labels import label
from netra.review import OPEN
from netra.stats import quality
from netra.store.base import AggregateBy, Bucket, FlagFilter, Store

DECISIONS = ("confirm", "dismiss", "escalate")


@dataclass
class Chart:
    """One chart of the page: the SVG, and the table of the same numbers."""

    ident: str
    title: str
    svg: Markup
    head: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    note: str = ""
    help: str = ""
    marks: list[str] = field(default_factory=list)  # per row: "", "warn" or "late"


class Words:
    """``t(key, **values)``: the page's words in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        return translate(key, self.lang, **values)


def bars_chart(
    ident: str,
    title: str,
    column: str,
    rows: list[tuple[str, int]],
    t: Words,
    note: str = "",
    rest: tuple[int, int] = (0, 0),
) -> Chart:
    total = sum(count for _, count in rows) + rest[1]
    summary = t("stats.no_data")
    if rows and any(count for _, count in rows):
        name, top = max(rows, key=lambda row: row[1])
        summary = t("stats.bars_desc", name=name, max=top, total=total)
    if rest[0]:
        note = (note + " " + t("stats.rest", n=rest[0], count=rest[1])).strip()
    return Chart(
        ident,
        title,
        charts.bars(ident, title, rows, summary=summary, no_data=t("stats.no_data")),
        (column, t("stats.count")),
        list(rows),
        note=note,
    )


def ranked_rows(buckets: list[Bucket], name: Any, limit: int | None = None) -> tuple[list, tuple]:
    rows = sorted(((name(b.key), b.count) for b in buckets if b.count), key=lambda r: (-r[1], r[0]))
    if limit is None or len(rows) <= limit:
        return rows, (0, 0)
    rest = rows[limit:]
    return rows[:limit], (len(rest), sum(count for _, count in rest))


def per_day(
    store: Store, filters: FlagFilter, span: Period, zone: ZoneInfo, zone_name: str, t: Words
) -> Chart:
    start = datetime.combine(span.first, time(), zone)
    end = datetime.combine(span.last + timedelta(days=1), time(), zone)
    counts: Counter[str] = Counter()
    if span.first <= span.last:
        for bucket in store.aggregate(between(filters, start, end), interval="day", tz=zone_name):
            counts[bucket.day or ""] += bucket.count
    days = [span.first + timedelta(days=n) for n in range(max(span.days, 0))]
    rows = [(day.strftime("%d-%m-%Y"), counts.get(day.isoformat(), 0)) for day in days]
    points = [(day.strftime("%d/%m"), count) for day, (_, count) in zip(days, rows, strict=True)]
    title = t("stats.per_day")
    summary = t("stats.no_data")
    if rows and any(count for _, count in rows):
        day, top = max(rows, key=lambda row: row[1])
        summary = t(
            "stats.per_day_desc", total=sum(c for _, c in rows), days=len(rows), max=top, day=day
        )
    tick_every = 1 if len(points) <= 14 else 5 if len(points) <= 45 else 15
    return Chart(
        "per-hari",
        title,
        charts.columns(
            "per-hari",
            title,
            points,
            summary=summary,
            no_data=t("stats.no_data"),
            tick_every=tick_every,
        ),
        (t("stats.day"), t("stats.count")),
        rows,
    )


def queue_age(
    store: Store, filters: FlagFilter, now: datetime, deadline_days: int, t: Words
) -> Chart:
    """Open items by whole days since discovery: 0, 1, …, deadline-1, and ≥ deadline."""
    open_statuses = OPEN & filters.statuses if filters.statuses else OPEN
    counts: list[int] = []
    for age in range(deadline_days + 1):
        if not open_statuses:
            counts.append(0)
            continue
        newest = now - timedelta(days=age)
        oldest = None if age == deadline_days else now - timedelta(days=age + 1)
        window = replace(filters, statuses=frozenset(open_statuses))
        upper = min(window.flagged_to, newest) if window.flagged_to else newest
        lower = window.flagged_from
        if oldest is not None:
            lower = max(lower, oldest) if lower else oldest
        if lower is not None and lower >= upper:
            counts.append(0)
            continue
        window = replace(window, flagged_from=lower, flagged_to=upper)
        counts.append(sum(b.count for b in store.aggregate(window, by=AggregateBy.STATUS)))
    names = [t("stats.age_n", n=age) for age in range(deadline_days)]
    names.append(t("stats.age_late_n", n=deadline_days))
    # Row i holds items i whole days old, that is on day i + 1 of the clock.
    warn = [i for i in range(deadline_days) if i + 1 >= warn_from_day(deadline_days)]
    late = [deadline_days]
    marks = ["late" if i in late else "warn" if i in warn else "" for i in range(len(counts))]
    states = {"": t("stats.age_ok"), "warn": t("stats.age_warn"), "late": t("stats.age_late")}
    title = t("stats.age")
    summary = t(
        "stats.age_desc",
        open=sum(counts),
        warn=sum(counts[i] for i in warn),
        late=sum(counts[i] for i in late),
    )
    return Chart(
        "umur",
        title,
        charts.columns(
            "umur",
            title,
            list(zip(names, counts, strict=True)),
            summary=summary,
            no_data=t("stats.no_data"),
            highlight=warn,
            alarm=late,
        ),
        (t("stats.age_day"), t("stats.count"), t("stats.age_state")),
        [(n, c, states[m]) for n, c, m in zip(names, counts, marks, strict=True)],
        help=t("stats.age_help", days=deadline_days, warn=warn_from_day(deadline_days)),
        marks=marks,
    )


def reviewers(store: Store, filters: FlagFilter, span: Period, zone: ZoneInfo, t: Words) -> Chart:
    start = datetime.combine(span.first, time(), zone)
    end = datetime.combine(span.last + timedelta(days=1), time(), zone)
    per: dict[str, Counter[str]] = {}
    if span.first <= span.last:
        events = store.review_events(
            start, end, replace(filters, flagged_from=None, flagged_to=None)
        )
        for event in events:
            if event.action in DECISIONS:
                per.setdefault(event.actor, Counter())[event.action] += 1
    ranked = sorted(per.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    rows = [(name, sum(c.values())) for name, c in ranked]
    table = [
        (name, *(c.get(action, 0) for action in DECISIONS), sum(c.values())) for name, c in ranked
    ]
    title = t("stats.reviewers")
    summary = t("stats.reviewers_desc", total=sum(c for _, c in rows), n=len(rows))
    return Chart(
        "peninjau",
        title,
        charts.bars("peninjau", title, rows, summary=summary, no_data=t("stats.no_data")),
        (
            t("stats.reviewer"),
            *(label("action", action, t.lang) for action in DECISIONS),
            t("stats.total_col"),
        ),
        table,
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def quality_charts(store: Store, filters: FlagFilter, t: Words) -> tuple[list[Chart], list]:
    numbers = quality(store, filters)
    precision_title, recall_title = t("stats.precision"), t("stats.recall")
    precision = Chart(
        "presisi",
        precision_title,
        charts.meter(
            "presisi",
            precision_title,
            numbers["precision"],
            summary=f"{precision_title}: {_percent(numbers['precision'])}",
            no_data=t("stats.precision_none"),
        ),
        (),
        [],
    )
    recall = Chart(
        "recall",
        recall_title,
        charts.meter(
            "recall",
            recall_title,
            numbers["estimated_recall"],
            summary=f"{recall_title}: {_percent(numbers['estimated_recall'])}",
            no_data=t("stats.recall_none"),
        ),
        (),
        [],
    )
    table = []
    for key in (
        "reviewed", "confirmed", "dismissed", "precision", "audit_reviewed", "audit_partisan",
        "estimated_missed", "estimated_recall", "scored_posts", "flagged_posts",
    ):  # fmt: skip
        value = numbers[key]
        if key in ("precision", "estimated_recall"):
            shown = _percent(value)
        elif value is None:
            shown = "—"
        else:
            shown = f"{value:g}"
        table.append((key, t(f"stats.q.{key}"), shown))
    return [precision, recall], table
