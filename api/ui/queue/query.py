"""Reading the queue's query string: the filters (less the personal ones a dashboard may not
use), grouping, paging, and the queue's address with a query."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import Request
from starlette.datastructures import QueryParams

from api.ui.filters import UiQuery, parse
from api.ui.render import ZONES, preferences
from api.ui.session import UiSession

PERSONAL_FILTERS = ("q", "assignee")


def _zone(request: Request) -> ZoneInfo:
    return ZoneInfo(ZONES[preferences(request)[1]])


def read_query(
    request: Request, params: QueryParams, session: UiSession, now: datetime
) -> tuple[UiQuery, list[str]]:
    """The queue's query, and the personal filters a dashboard asked for (dropped: it may not
    search by text or reviewer, not even through the "my queue" view)."""
    refused: list[str] = []
    if not session.personal:
        refused = [name for name in PERSONAL_FILTERS if (params.get(name) or "").strip()]
        if params.get("view") == "saya":
            refused.append("view")
        if refused:
            params = QueryParams(
                [
                    (k, v)
                    for k, v in params.multi_items()
                    if k not in refused and not (k == "view" and v == "saya")
                ]
            )
    return parse(
        params,
        session.user.name,
        _zone(request),
        now,
        request.app.state.settings.report_deadline_days,
    ), refused


def grouped(params: QueryParams) -> bool:
    return params.get("group") == "1"


def queue_link(query: UiQuery, group: bool, **changes: str | None) -> str:
    """The queue's address with this query (and grouping), ``changes`` applied."""
    text = query.query_string(group="1" if group else None, **changes)
    return f"/ui?{text}" if text else "/ui"


def page_number(raw: str | None, lowest: int = 1) -> int:
    try:
        return max(lowest, int(raw or lowest))
    except ValueError:
        return lowest
