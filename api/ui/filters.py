"""The queue's filters as the UI's query string: read leniently (a bad value is reported on the
page and ignored, never a 500 or a silently different queue), written back for links, and the
saved views. The queue, the item page (next item in the same view) and the statistics share it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.datastructures import QueryParams

from api.ui.text import add_words
from netra.domain.models import Category, FlagOrigin, FlagStatus, Platform
from netra.domain.textsearch import UnusableQuery, check_query
from netra.review import OPEN
from netra.store.base import FlagFilter, FlagSort

# The reporting clock warns on its last days: from day 5 of 7 (day 1 is the day of discovery).
WARN_DAYS_BEFORE_DEADLINE = 2


def warn_from_day(deadline_days: int) -> int:
    """The day of the clock (1-based) from which an open item shows its warning: the queue's
    badge, the "Mendekati batas" view and the statistics' queue age all use this one rule."""
    return max(1, deadline_days - WARN_DAYS_BEFORE_DEADLINE)


SAVED_VIEWS = ("saya", "baru-tinggi", "batas")
HIGH_SCORE = 0.8
FIELDS = (
    "view", "status", "category", "platform", "origin", "agency", "region", "assignee",
    "score_min", "score_max", "dari", "sampai", "q", "sort",
)  # fmt: skip

add_words(
    {
        "view.saya": ("Antrean saya", "My queue"),
        "view.baru-tinggi": ("Baru & skor tinggi", "New & high score"),
        "view.batas": ("Mendekati batas 7 hari", "Near the 7-day limit"),
        "filter.bad": ("Filter diabaikan: {field} — {why}", "Filter ignored: {field} — {why}"),
        "filter.bad_value": ("nilai tidak dikenal «{value}»", "unknown value «{value}»"),
        "filter.bad_number": ("harus angka 0–1", "must be a number 0–1"),
        "filter.bad_date": ("harus tanggal TTTT-BB-HH", "must be a date YYYY-MM-DD"),
    }
)


Problem = tuple[str, tuple[str, dict]]


@dataclass(frozen=True)
class UiQuery:
    """What the analyst asked for, as the store's filter plus the text and sort."""

    filter: FlagFilter
    q: str | None = None
    sort: FlagSort = FlagSort.SCORE_DESC
    view: str | None = None
    params: tuple[tuple[str, str], ...] = ()  # the accepted parameters, for links
    # (field, (word key, values)) for the page: t("filter.bad", field=…, why=t(key, **values))
    problems: list[Problem] = field(default_factory=list)

    def query_string(self, **changes: str | None) -> str:
        """This query as ``a=1&b=2`` with ``changes`` applied (None removes a parameter)."""
        kept = [(k, v) for k, v in self.params if k not in changes]
        kept += [(k, v) for k, v in changes.items() if v is not None]
        return urlencode(kept)

    def value(self, name: str) -> str:
        return next((v for k, v in self.params if k == name), "")

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.params if k == name]


def _enum_values(params: QueryParams, name: str, kind: type, problems: list[Problem]) -> frozenset:
    chosen = set()
    for raw in params.getlist(name):
        if not raw:
            continue
        try:
            chosen.add(kind(raw))
        except ValueError:
            problems.append((name, ("filter.bad_value", {"value": raw[:40]})))
    return frozenset(chosen)


def _score(params: QueryParams, name: str, problems: list[Problem]) -> float | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        problems.append((name, ("filter.bad_number", {})))
        return None
    return value


def _day(params: QueryParams, name: str, problems: list[Problem]) -> date | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append((name, ("filter.bad_date", {})))
        return None


def parse(
    params: QueryParams, user_name: str, zone: ZoneInfo, now: datetime, deadline_days: int
) -> UiQuery:
    """The query string of a queue page (or of an item opened from one)."""
    problems: list[Problem] = []
    view = params.get("view") if params.get("view") in SAVED_VIEWS else None
    day_from, day_to = _day(params, "dari", problems), _day(params, "sampai", problems)
    filters = FlagFilter(
        statuses=_enum_values(params, "status", FlagStatus, problems),
        categories=_enum_values(params, "category", Category, problems),
        platforms=_enum_values(params, "platform", Platform, problems),
        origins=_enum_values(params, "origin", FlagOrigin, problems),
        agencies=frozenset(a[:200] for a in params.getlist("agency") if a.strip()),
        region_codes=frozenset(r[:20] for r in params.getlist("region") if r.strip()),
        assignee=(params.get("assignee") or "").strip()[:80] or None,
        score_min=_score(params, "score_min", problems),
        score_max=_score(params, "score_max", problems),
        flagged_from=datetime.combine(day_from, time(), zone) if day_from else None,
        flagged_to=datetime.combine(day_to + timedelta(days=1), time(), zone) if day_to else None,
    )
    try:
        sort = FlagSort(params.get("sort") or FlagSort.SCORE_DESC)
    except ValueError:
        problems.append(("sort", ("filter.bad_value", {"value": params.get("sort", "")[:40]})))
        sort = FlagSort.SCORE_DESC
    q = (params.get("q") or "").strip()[:200] or None
    if q is not None:
        try:
            check_query(q)
        except UnusableQuery as exc:
            problems.append(("q", ("filter.bad_value", {"value": str(exc)[:80]})))
            q = None
    filters, sort = _apply_view(view, filters, sort, user_name, now, deadline_days)
    accepted = tuple(
        (k, v)
        for k, v in params.multi_items()
        if k in FIELDS and v != "" and not any(k == name for name, _ in problems)
    )
    return UiQuery(filters, q, sort, view, accepted, problems)


def _apply_view(
    view: str | None,
    filters: FlagFilter,
    sort: FlagSort,
    user_name: str,
    now: datetime,
    deadline_days: int,
) -> tuple[FlagFilter, FlagSort]:
    """A saved view narrows what the analyst chose; the view's own rules win where both speak."""
    if view == "saya":
        return replace(filters, assignee=user_name, statuses=filters.statuses or OPEN), sort
    if view == "baru-tinggi":
        return replace(
            filters,
            statuses=frozenset({FlagStatus.NEW}),
            score_min=max(filters.score_min or 0.0, HIGH_SCORE),
        ), sort
    if view == "batas":
        cutoff = now - timedelta(days=warn_from_day(deadline_days) - 1)  # age of that day
        flagged_to = min(filters.flagged_to, cutoff) if filters.flagged_to else cutoff
        return replace(
            filters, statuses=filters.statuses or OPEN, flagged_to=flagged_to
        ), FlagSort.QUEUE_AGE_DESC
    return filters, sort
