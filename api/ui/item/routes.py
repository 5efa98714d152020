"""The item page (``GET /ui/flags/{id}``), its context, and the reviewer's actions
(``POST /ui/flags/{id}/aksi``)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

import api.routes.flags  # noqa: F401  (registers the ``flagid`` path convertor used below)
import api.ui.item.words  # noqa: F401  (registers the page's words)
from api.schemas import FlagDetail, PersonPublic
from api.ui.filters import UiQuery
from api.ui.item.card import display_name, engagement, safe_link
from api.ui.item.conflict import Stale, stale
from api.ui.item.explain import cue_words, highlight, signals
from api.ui.item.nav import ui_query, view_nav
from api.ui.links import item_path, with_query
from api.ui.render import preferences, render
from api.ui.session import UiSession, check_csrf, role_in
from api.ui.text import WORDS, translate
from api.views import flag_detail
from netra.domain.access import LEADS, REVIEWERS
from netra.domain.models import FlagStatus, utcnow
from netra.dossier import REFERABLE
from netra.review import (
    DECIDED,
    OPEN,
    Action,
    Decision,
    DismissReason,
    NotAllowed,
    ReviewError,
    StaleVersion,
    WrongState,
    decide,
)
from netra.store.base import FlagHit, NotFound, Store

router = APIRouter()
Reviewer = Annotated[UiSession, Depends(role_in(REVIEWERS))]

NOTE_MAX = 4000  # as the JSON API's ActionRequest
# What the item page's forms may ask for; assigning others stays in the queue's bulk actions.
UI_ACTIONS = frozenset(
    {Action.CLAIM, Action.CONFIRM, Action.DISMISS, Action.ESCALATE, Action.COMMENT, Action.REOPEN}
)
# After these the analyst moves on to the next item of the view.
MOVES_ON = frozenset({Action.CONFIRM, Action.DISMISS, Action.ESCALATE})


def _hit(store: Store, flag_id: str) -> FlagHit | None:
    if len(flag_id) > 300:
        return None
    flag = store.get_flag(flag_id)
    post = store.get_post(flag_id) if flag else None
    if flag is None or post is None:
        return None
    person = store.get_person(post.person_nip) if post.person_nip else None
    return FlagHit(flag=flag, post=post, person=person)


def _not_found(request: Request) -> Response:
    return render(request, "error.html", {"message": "error.not_found"}, status=404)


def _notice(request: Request, flag_id: str) -> tuple[str, dict[str, str]] | None:
    done = request.query_params.get("selesai", "")
    if done not in {a.value for a in UI_ACTIONS}:
        return None
    other = request.query_params.get("butir", "")[:300]
    if other and other != flag_id:
        return "item.done_next", {"id": other, "action": done}
    return "item.done", {"action": done}


def _raw_text(raw: dict[str, Any]) -> tuple[str, bool]:
    text = json.dumps(raw, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    limit = 50_000
    return text[:limit], len(text) > limit


def context(
    request: Request,
    session: UiSession,
    hit: FlagHit,
    query: UiQuery,
    *,
    errors: list[tuple[str, dict[str, str]]] | None = None,
    conflict: Stale | None = None,
    draft: dict[str, str] | None = None,
) -> dict[str, Any]:
    store: Store = request.app.state.store
    settings = request.app.state.settings
    detail: FlagDetail = flag_detail(
        hit, session.user, request.app.state.pseudonym_key, settings.report_deadline_days, store
    )
    flag, post = hit.flag, hit.post
    raw = detail.evidence.raw if detail.evidence else {}
    nav = view_nav(store, query, flag.id, request.app.state.ui_caches)
    qs = query.query_string()
    item_url = with_query(item_path(flag.id), qs)
    raw_text, raw_cut = _raw_text(raw) if detail.evidence else ("", False)
    status = flag.status
    user = session.user
    now = utcnow()
    lang, _ = preferences(request)

    def entity_kind(kind: str) -> str:
        key = f"entity.{kind}"
        return translate(key, lang) if key in WORDS else kind

    days_left = (detail.report_deadline - now).days if not detail.overdue else 0
    return {
        "here": item_url,  # the preference form comes back here, also from a 409 on …/aksi
        "flag": flag,
        "post": post,
        "detail": detail,
        "person": detail.person if isinstance(detail.person, PersonPublic) else None,
        "pseudonymous": detail.person,
        "name": display_name(raw) if detail.evidence else None,
        "counts": engagement(post),
        "link": safe_link(detail.post.url),
        "text_html": highlight(detail.post.text, cue_words(detail.score)),
        "signals": signals(detail.score),
        "entities": detail.score.entities,
        "entity_kind": entity_kind,
        "neighbours": detail.score.neighbours,
        "percent": round(detail.probability * 100),
        "threshold": round(detail.score.threshold * 100),
        "days_left": days_left,
        "raw_text": raw_text,
        "raw_cut": raw_cut,
        "history": store.history(flag.id),
        "nav": nav,
        "query": query,
        "qs": qs,
        "item_url": item_url,
        "action_url": with_query(item_path(flag.id) + "/aksi", qs),
        "dossier_url": item_path(flag.id) + "/berkas" if status in REFERABLE else None,
        "queue_url": with_query("/ui", qs),
        "item_href": lambda other: with_query(item_path(other), qs),
        "reasons": [r.value for r in DismissReason],
        "can": {
            "claim": status in OPEN
            and (status is FlagStatus.NEW or user.name not in flag.assignees),
            "confirm": status in OPEN,
            "dismiss": status in OPEN,
            "escalate": status in OPEN | {FlagStatus.CONFIRMED},
            "reopen": status in DECIDED and user.role in LEADS,
        },
        "decided": status in DECIDED,
        "errors": errors or [],
        "conflict": conflict,
        "draft": draft or {},
        "notice": _notice(request, flag.id),
        "problems": query.problems,
        "me": user.name,
    }


@router.get("/ui/flags/{flag_id:flagid}")
def item_page(request: Request, flag_id: str, session: Reviewer) -> Response:
    hit = _hit(request.app.state.store, flag_id)
    if hit is None:
        return _not_found(request)
    return render(request, "item.html", context(request, session, hit, ui_query(request, session)))


def _review_error(exc: ReviewError) -> tuple[str, dict[str, str]]:
    if exc.field == "note":
        return "item.err.note", {}
    if exc.field == "reason":
        return "item.err.reason", {}
    return "item.err.other", {"detail": str(exc)}


@router.post("/ui/flags/{flag_id:flagid}/aksi")
def act(
    request: Request,
    flag_id: str,
    session: Reviewer,
    csrf: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """One decision from the item page, as ``POST /api/v1/flags/{id}/actions`` takes it."""
    check_csrf(request, session, csrf)
    store: Store = request.app.state.store
    hit = _hit(store, flag_id)
    if hit is None:
        return _not_found(request)
    query = ui_query(request, session)
    draft = {"action": action, "note": note, "reason": reason}

    def page(errors: list, status: int, conflict: Stale | None = None) -> Response:
        fresh = _hit(store, flag_id) or hit
        values = context(
            request, session, fresh, query, errors=errors, conflict=conflict, draft=draft
        )
        return render(request, "item.html", values, status=status)

    try:
        chosen = Action(action)
    except ValueError:
        chosen = None
    if chosen not in UI_ACTIONS:
        return page([("item.err.action", {})], 422)
    assert chosen is not None
    if not version.strip().isdigit() or int(version) < 1:
        return page([("item.err.version", {})], 422)
    if len(note) > NOTE_MAX:
        return page([("item.err.too_long", {})], 422)
    try:
        why = DismissReason(reason) if reason else None
    except ValueError:
        return page([("item.err.reason", {})], 422)
    # The next item as the view stands before the decision (the decided item may leave it).
    caches = request.app.state.ui_caches
    upcoming = view_nav(store, query, flag_id, caches).next if chosen in MOVES_ON else None
    seen = int(version)
    decision = Decision(chosen, seen, note.strip() or None, why, [])
    try:
        decide(store, flag_id, decision, session.user)
        caches.decided()
    except NotFound:
        return _not_found(request)
    except NotAllowed:
        return page([("item.err.not_allowed", {})], 403)
    except ReviewError as exc:
        return page([_review_error(exc)], 422)
    except (StaleVersion, WrongState) as exc:
        fresh = _hit(store, flag_id) or hit
        conflict = stale(fresh, store.history(flag_id), chosen, seen, isinstance(exc, WrongState))
        return page([], 409, conflict)
    if chosen in MOVES_ON:
        done = query.query_string(selesai=chosen.value, butir=flag_id)
        target = with_query(item_path(upcoming), done) if upcoming else with_query("/ui", done)
    else:
        target = with_query(item_path(flag_id), query.query_string(selesai=chosen.value))
    return RedirectResponse(target, status_code=303)
