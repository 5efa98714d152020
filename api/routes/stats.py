"""Numbers for dashboards: summary, per-day series, breakdowns and review quality. Every
endpoint takes the queue's filters."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends

from api.deps import SettingsDep, StoreDep, require
from api.schemas import Count, DayCount, Quality, Summary
from api.views import QueueFilters
from netra.domain.access import READERS
from netra.domain.models import User
from netra.stats import quality, queue_summary
from netra.store.base import AggregateBy, FlagFilter, TimeField

router = APIRouter(prefix="/stats", tags=["stats"])
Reader = Annotated[User, Depends(require(READERS))]


def _counts(store: StoreDep, filters: FlagFilter, by: AggregateBy) -> list[Count]:
    return [Count(key=b.key, count=b.count) for b in store.aggregate(filters, by=by)]


@router.get("/summary", response_model=Summary)
def summary(store: StoreDep, settings: SettingsDep, user: Reader, filters: QueueFilters) -> Summary:
    return Summary(
        **queue_summary(store, filters, settings.report_deadline_days), timezone=settings.timezone
    )


@router.get("/timeseries", response_model=list[DayCount], summary="Per day in NETRA_TIMEZONE")
def timeseries(
    store: StoreDep,
    settings: SettingsDep,
    user: Reader,
    filters: QueueFilters,
    by: Literal["status", "platform", "category"] | None = None,
    time_field: TimeField = TimeField.FLAGGED,
) -> list[DayCount]:
    buckets = store.aggregate(
        filters,
        by=AggregateBy(by) if by else None,
        interval="day",
        time_field=time_field,
        tz=settings.timezone,
    )
    return [DayCount(day=b.day or "", key=b.key, count=b.count) for b in buckets]


@router.get("/breakdown", response_model=list[Count])
def breakdown(
    store: StoreDep,
    user: Reader,
    filters: QueueFilters,
    by: Literal["agency", "region", "platform", "category", "status", "origin"] = "agency",
) -> list[Count]:
    return _counts(store, filters, AggregateBy(by))


@router.get(
    "/quality",
    response_model=Quality,
    summary="Precision from decisions, recall from the audit sample",
)
def review_quality(store: StoreDep, user: Reader, filters: QueueFilters) -> Quality:
    return Quality(**quality(store, filters))
