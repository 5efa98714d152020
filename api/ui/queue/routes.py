"""The queue page (``GET /ui``), flat or grouped into campaigns, and its bulk actions
(``POST /ui/massal``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

import api.ui.queue.words  # noqa: F401  (registers the page's words)
from api.ui.choices import filter_choices
from api.ui.filters import SAVED_VIEWS, UiQuery
from api.ui.links import item_href
from api.ui.queue.bulk import BULK_ACTIONS, bulk_decision, bulk_target, seen_versions
from api.ui.queue.groups import group_rows
from api.ui.queue.query import grouped, page_number, queue_link, read_query
from api.ui.queue.rows import excerpt, rows_of
from api.ui.render import render
from api.ui.session import Session, UiSession, check_csrf, role_in
from api.views import queue_page
from netra.campaigns import SCAN_CAP, campaigns
from netra.domain.access import REVIEWERS
from netra.domain.models import Category, FlagOrigin, FlagStatus, Platform, utcnow
from netra.review import DismissReason, NotAllowed, ReviewError, decide_many
from netra.store.base import FlagSort, Store, StoreError

router = APIRouter()
PAGE_SIZE = 50
GROUPS_PER_PAGE = 50
Reviewer = Annotated[UiSession, Depends(role_in(REVIEWERS))]


@router.get("/ui")
def queue(request: Request, session: Session) -> Response:
    store: Store = request.app.state.store
    settings = request.app.state.settings
    deadline = settings.report_deadline_days
    now = utcnow()
    params = request.query_params
    query, refused = read_query(request, params, session, now)
    group = grouped(params)
    links = query.query_string()  # what an item page is given to find the next item
    notes: list[tuple[str, dict[str, Any]]] = [
        ("queue.refused", {"field": field}) for field in refused
    ]
    context: dict[str, Any] = {
        "query": query,
        "group": group,
        "notes": notes,
        "views": [v for v in SAVED_VIEWS if session.personal or v != "saya"],
        "statuses": list(FlagStatus),
        "categories": list(Category),
        "platforms": list(Platform),
        "origins": list(FlagOrigin),
        "sorts": list(FlagSort),
        "reasons": list(DismissReason),
        "actions": BULK_ACTIONS,
        "can_act": session.user.role in REVIEWERS,
        "deadline": deadline,
        "rows": [],
        "groups": [],
        "total": 0,
        "next_link": None,
        "first_link": None,
        "grouping": None,
        "cap": SCAN_CAP,
        "links": links,
        "bulk_query": query.query_string(group="1" if group else None),
        "agencies": [],
        "regions": [],
    }
    try:
        agencies, regions = filter_choices(request)
        context["agencies"], context["regions"] = agencies[:300], regions[:300]
        if group:
            _fill_groups(request, session, store, query, now, deadline, links, context)
        else:
            _fill_rows(request, session, store, query, now, deadline, links, context)
    except StoreError:
        return render(request, "error.html", {"message": "queue.store_down"}, status=503)
    return render(request, "queue.html", context)


def _fill_rows(
    request: Request,
    session: UiSession,
    store: Store,
    query: UiQuery,
    now: datetime,
    deadline: int,
    links: str,
    context: dict[str, Any],
) -> None:
    cursor = (request.query_params.get("cursor") or "").strip()[:500] or None
    notes = context["notes"]
    try:
        page = store.search_flags(
            query.filter, q=query.q, sort=query.sort, cursor=cursor, limit=PAGE_SIZE
        )
    except ValueError as exc:
        if cursor is not None:
            notes.append(("queue.bad_cursor", {}))
            cursor = None
            try:
                page = store.search_flags(query.filter, q=query.q, sort=query.sort, limit=PAGE_SIZE)
            except ValueError as again:
                notes.append(("queue.bad_search", {"why": str(again)[:120]}))
                return
        else:
            notes.append(("queue.bad_search", {"why": str(exc)[:120]}))
            return
    total = page.total
    if total is None:  # the store counts on the first page only
        total = store.search_flags(query.filter, q=query.q, sort=query.sort, limit=1).total
    view = queue_page(page, session.user, request.app.state.pseudonym_key, deadline)
    context["rows"] = rows_of(view.items, now, deadline, links)
    context["total"] = total or 0
    if page.next_cursor:
        context["next_link"] = queue_link(query, False, cursor=page.next_cursor)
    if cursor:
        context["first_link"] = queue_link(query, False)


def _fill_groups(
    request: Request,
    session: UiSession,
    store: Store,
    query: UiQuery,
    now: datetime,
    deadline: int,
    links: str,
    context: dict[str, Any],
) -> None:
    try:
        grouping = campaigns(
            store, query.filter, query.q, query.sort, secret=request.app.state.pseudonym_key
        )
    except ValueError as exc:
        context["notes"].append(("queue.bad_search", {"why": str(exc)[:120]}))
        return
    number = page_number(request.query_params.get("halaman"))
    start = (number - 1) * GROUPS_PER_PAGE
    shown = grouping.campaigns[start : start + GROUPS_PER_PAGE]
    context["grouping"] = grouping
    context["total"] = grouping.scanned
    context["groups"] = group_rows(
        shown, session, request.app.state.pseudonym_key, now, deadline, links
    )
    if start + GROUPS_PER_PAGE < len(grouping.campaigns):
        context["next_link"] = queue_link(query, True, halaman=str(number + 1))
    if number > 1:
        context["first_link"] = queue_link(query, True)


@router.post("/ui/massal")
def bulk(
    request: Request,
    session: Reviewer,
    csrf: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "",
    group: Annotated[str, Form()] = "",
    query: Annotated[str, Form()] = "",
    confirmed: Annotated[str, Form()] = "",
    expected: Annotated[str, Form()] = "",
    id: Annotated[list[str] | None, Form()] = None,
    versi: Annotated[list[str] | None, Form()] = None,
) -> Response:
    check_csrf(request, session, csrf)
    store: Store = request.app.state.store
    now = utcnow()
    asked, _ = read_query(request, QueryParams(query[:4000]), session, now)
    as_group = bool(group) or scope == "group"
    back = queue_link(asked, as_group)
    context: dict[str, Any] = {
        "back": back,
        "action": action,
        "reason": reason,
        "note": note[:2000],
        "query": asked.query_string(group="1" if as_group else None),
        "problem": None,
        "target": None,
        "outcomes": None,
        "changed_from": None,
        "group_key": group[:40],
        "scope": "group" if group else scope,
        "asked": asked,
        "sample": "",
    }
    decision, problem = bulk_decision(action, reason, note, session)
    if decision is None:
        context["problem"] = problem
        return render(request, "_queue_bulk.html", context, status=422)
    try:
        target = bulk_target(
            store, asked, scope, group[:40], id or [], request.app.state.pseudonym_key
        )
    except StoreError:
        return render(request, "error.html", {"message": "queue.store_down"}, status=503)
    except ValueError as exc:
        context["problem"] = ("bulk.error", {"why": str(exc)[:200]})
        return render(request, "_queue_bulk.html", context, status=422)
    if isinstance(target, str):
        context["problem"] = target
        return render(request, "_queue_bulk.html", context, status=422)
    context["target"] = target
    if target.group is not None:
        context["sample"] = excerpt(target.group.sample.post.text, 100)
    if target.scope != "ids":
        # Acting on a filter or a group: say how many first, and act only on a confirmation
        # that saw the same number.
        if confirmed != "1":
            return render(request, "_queue_bulk.html", context)
        if expected != str(len(target.ids)):
            context["changed_from"] = expected[:10]
            return render(request, "_queue_bulk.html", context)
    seen = seen_versions(versi or []) if target.scope == "ids" else {}
    try:
        outcomes = decide_many(store, target.ids, decision, seen, session.user)
        request.app.state.ui_caches.decided()
    except NotAllowed:
        context["problem"] = "bulk.not_allowed"
        return render(request, "_queue_bulk.html", context, status=403)
    except ReviewError as exc:
        context["problem"] = ("bulk.error", {"why": str(exc)[:200]})
        return render(request, "_queue_bulk.html", context, status=422)
    context["outcomes"] = outcomes
    context["done"] = sum(1 for o in outcomes if o.status == 200)
    context["failures"] = [
        (o, item_href(o.flag_id, asked.query_string())) for o in outcomes if o.status != 200
    ]
    return render(request, "_queue_bulk.html", context)
