"""Everything the statistics page shows, gathered from the store under the query's filters."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from api.ui.filters import UiQuery
from api.ui.render import ZONES
from api.ui.stats.chart_data import (
    Words,
    bars_chart,
    per_day,
    quality_charts,
    queue_age,
    ranked_rows,
    reviewers,
)
from api.ui.stats.period import MAX_DAYS, period
from netra.domain.labels import label, labels
from netra.stats import queue_summary
from netra.store.base import AggregateBy, Store

TOP = 10


def build(
    store: Store,
    query: UiQuery,
    *,
    personal: bool,
    zone_abbr: str,
    now: datetime,
    days: int,
    deadline_days: int,
    lang: str,
) -> dict[str, Any]:
    """Everything the page shows, from the store, under the query's filters."""
    t = Words(lang)
    zone_name = ZONES[zone_abbr]
    zone = ZoneInfo(zone_name)
    filters = query.filter if personal else replace(query.filter, assignee=None)
    span = period(filters, zone, now, days)
    summary = queue_summary(store, filters, deadline_days)
    regions = store.regions()
    none_key = t("stats.none_key")

    def region_name(code: str | None) -> str:
        if not code:
            return none_key
        return f"{regions[code]} ({code})" if code in regions else code

    shown = (
        AggregateBy.STATUS,
        AggregateBy.CATEGORY,
        AggregateBy.AGENCY,
        AggregateBy.REGION,
        AggregateBy.PLATFORM,
    )
    by = {kind: store.aggregate(filters, by=kind) for kind in shown}
    status_counts = {b.key: b.count for b in by[AggregateBy.STATUS]}
    category_counts = {b.key: b.count for b in by[AggregateBy.CATEGORY]}
    agencies, agency_rest = ranked_rows(by[AggregateBy.AGENCY], lambda k: k or none_key, TOP)
    region_rows, region_rest = ranked_rows(by[AggregateBy.REGION], region_name, TOP)
    platforms, _ = ranked_rows(by[AggregateBy.PLATFORM], lambda k: label("platform", k or "", lang))
    all_time = t("stats.all_time") if not (filters.flagged_from or filters.flagged_to) else ""
    day_chart = per_day(store, filters, span, zone, zone_name, t)
    day_chart.note = t(
        "stats.period",
        start=span.first.strftime("%d-%m-%Y"),
        end=span.last.strftime("%d-%m-%Y"),
        zone=zone_abbr,
    ) + (" " + t("stats.capped", n=MAX_DAYS) if span.capped else "")
    breakdowns = [
        bars_chart(
            "status",
            t("stats.by_status"),
            t("stats.status"),
            [(name, status_counts.get(code, 0)) for code, name in labels("status", lang).items()],
            t,
            all_time,
        ),
        bars_chart(
            "kategori",
            t("stats.by_category"),
            t("stats.category"),
            [
                (name, category_counts.get(code, 0))
                for code, name in labels("category", lang).items()
            ],
            t,
            all_time,
        ),
        bars_chart("platform", t("stats.by_platform"), t("stats.platform"), platforms, t, all_time),
        bars_chart(
            "instansi", t("stats.by_agency"), t("stats.agency"), agencies, t, all_time, agency_rest
        ),
        bars_chart(
            "wilayah",
            t("stats.by_region"),
            t("stats.region"),
            region_rows,
            t,
            all_time,
            region_rest,
        ),
    ]
    age_chart = queue_age(store, filters, now, deadline_days, t)
    reviewer_chart = None
    if personal:
        reviewer_chart = reviewers(store, filters, span, zone, t)
        reviewer_chart.note = day_chart.note
    meters, quality_table = quality_charts(store, filters, t)
    return {
        "summary": summary,
        "deadline_days": deadline_days,
        "day_chart": day_chart,
        "age_chart": age_chart,
        "breakdowns": breakdowns,
        "reviewer_chart": reviewer_chart,
        "meters": meters,
        "quality_table": quality_table,
        "span": span,
    }
