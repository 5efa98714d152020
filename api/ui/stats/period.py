"""The days the per-day chart and the reviewers' decisions cover."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from netra.store.base import FlagFilter

MAX_DAYS = 180  # the per-day chart's longest span; a longer range shows its last days


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    capped: bool

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def period(filters: FlagFilter, zone: ZoneInfo, now: datetime, days: int) -> Period:
    """The days the per-day chart and the reviewers' decisions cover: the filter's dates, else
    the last ``days`` days up to today (in the reader's zone)."""
    today = now.astimezone(zone).date()
    last = today
    if filters.flagged_to is not None:
        last = min(today, (filters.flagged_to - timedelta(microseconds=1)).astimezone(zone).date())
    if filters.flagged_from is not None:
        first = filters.flagged_from.astimezone(zone).date()
    else:
        first = last - timedelta(days=days - 1)
    capped = (last - first).days + 1 > MAX_DAYS
    if capped:
        first = last - timedelta(days=MAX_DAYS - 1)
    return Period(first, last, capped)


def between(filters: FlagFilter, start: datetime, end: datetime) -> FlagFilter:
    """``filters`` narrowed to discoveries in [start, end)."""
    lower = max(filters.flagged_from, start) if filters.flagged_from else start
    upper = min(filters.flagged_to, end) if filters.flagged_to else end
    return replace(filters, flagged_from=lower, flagged_to=upper)
