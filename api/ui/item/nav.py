"""Where an item stands in the queue's filtered view: the query the item page carries from
the queue, and the previous and next items of that view."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from fastapi import Request

from api.ui.cache import UiCaches
from api.ui.filters import UiQuery, parse
from api.ui.render import ZONES, preferences
from api.ui.session import UiSession
from netra.domain.models import utcnow
from netra.store.base import Store

# How far into a view the previous/next links look for the current item (one store query).
VIEW_WINDOW = 500


def ui_query(request: Request, session: UiSession) -> UiQuery:
    _, zone = preferences(request)
    return parse(
        request.query_params,
        session.user.name,
        ZoneInfo(ZONES[zone]),
        utcnow(),
        request.app.state.settings.report_deadline_days,
    )


@dataclass(frozen=True)
class ViewNav:
    """Where the item stands in the queue's filtered view (the first VIEW_WINDOW items)."""

    prev: str | None
    next: str | None
    position: int | None  # 1-based, None when the item is not among them
    total: int | None
    more: bool  # the view goes on past the window


def view_order(store: Store, query: UiQuery) -> tuple[list[str], int, bool] | None:
    """The ids of the view's first VIEW_WINDOW items in order, the view's total and whether it
    goes on; None for a query the store refuses."""
    try:
        page = store.search_flags(query.filter, q=query.q, sort=query.sort, limit=VIEW_WINDOW)
    except ValueError:
        return None
    ids = [hit.flag.id for hit in page.items]
    total = page.total if page.total is not None else len(ids)
    return ids, total, page.next_cursor is not None and page.total is None  # count unknown


def view_nav(store: Store, query: UiQuery, flag_id: str, caches: UiCaches) -> ViewNav:
    """Triage walks a view item by item: its order is read once and kept a few seconds (and
    dropped at each decision made here), not read again for every item."""
    order = caches.views.get((query.filter, query.q, query.sort), lambda: view_order(store, query))
    if order is None:  # a query the store refuses: no neighbours rather than an error page
        return ViewNav(None, None, None, None, False)
    ids, total, more = order
    if flag_id in ids:
        at = ids.index(flag_id)
        return ViewNav(
            ids[at - 1] if at > 0 else None,
            ids[at + 1] if at + 1 < len(ids) else None,
            at + 1,
            total,
            more,
        )
    # Not in the view (decided meanwhile, or opened from elsewhere): its first item is next.
    return ViewNav(None, next((i for i in ids if i != flag_id), None), None, total, more)
