"""The review queue: list, detail, decisions (one or in bulk) and the audit trail."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from starlette.convertors import Convertor, register_url_convertor

from api.deps import PseudonymKey, SettingsDep, StoreDep, require
from api.schemas import (
    ActionRequest,
    BulkItem,
    BulkRequest,
    BulkResult,
    ConflictBody,
    FlagDetail,
    FlagPublic,
    FlagsDashboard,
    FlagsPublic,
    History,
)
from api.strict_json import StrictJSONRoute
from api.views import (
    QueueFilters,
    SearchText,
    filter_from_body,
    flag_detail,
    flag_view,
    queue_page,
)
from netra.domain.access import READERS, REVIEWERS, sees_personal_data
from netra.domain.models import User
from netra.review import (
    Decision,
    NotAllowed,
    ReviewError,
    StaleVersion,
    WrongState,
    decide,
    decide_many,
)
from netra.store.base import FlagHit, FlagSort, NotFound, Store, each_hit

# What may follow a flag id in a path (``/flags/{id}/history``), in the API and in the web UI
# (``/ui/flags/{id}/aksi``): a test holds every route to it.
SUB_RESOURCES = ("actions", "history", "dossier", "dossier.json", "aksi", "berkas", "berkas.pdf")


class FlagIdConvertor(Convertor[str]):
    """Flag ids are ``platform:native_id``, and a native id may hold ``/`` (Bluesky's
    ``did:plc:…/rkey``, any id a file import brings), sent as is or as ``%2F``. A path segment
    without a colon (``bulk``) is not one, and the id ends before a trailing sub-resource."""

    regex = r"[a-z]+:(?:(?!/(?:{})/?$).)+".format("|".join(re.escape(s) for s in SUB_RESOURCES))

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("flagid", FlagIdConvertor())
router = APIRouter(prefix="/flags", tags=["flags"], route_class=StrictJSONRoute)
FlagId = Annotated[
    str,
    Path(min_length=3, max_length=300, pattern=r"^[a-z]+:.+$", description="platform:native_id"),
]
Reader = Annotated[User, Depends(require(READERS))]
Reviewer = Annotated[User, Depends(require(REVIEWERS))]


def unprocessable(exc: ReviewError) -> HTTPException:
    return HTTPException(
        422, [{"loc": ["body", exc.field], "msg": str(exc), "type": "value_error"}]
    )


def load_hit(store: Store, flag_id: str) -> FlagHit:
    flag = store.get_flag(flag_id)
    post = store.get_post(flag_id) if flag else None
    if flag is None or post is None:
        raise HTTPException(404, f"no flag {flag_id!r}")
    person = store.get_person(post.person_nip) if post.person_nip else None
    return FlagHit(flag=flag, post=post, person=person)


@router.get(
    "",
    response_model=FlagsPublic | FlagsDashboard,
    summary="The queue, filtered, sorted and paged (dashboards: pseudonymous items)",
)
def list_flags(
    store: StoreDep,
    settings: SettingsDep,
    key: PseudonymKey,
    user: Reader,
    filters: QueueFilters,
    q: SearchText = None,
    sort: FlagSort = FlagSort.SCORE_DESC,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    mine: Annotated[bool, Query(description="only flags assigned to me")] = False,
) -> FlagsPublic | FlagsDashboard:
    if not sees_personal_data(user.role):
        refuse_personal_filters(q, filters.assignee)
    if mine:
        filters = replace(filters, assignee=user.name)
    try:
        page = store.search_flags(filters, q=q, sort=sort, cursor=cursor, limit=limit)
    except ValueError as exc:
        raise HTTPException(
            422, [{"loc": ["query", "cursor"], "msg": str(exc), "type": "value_error"}]
        ) from exc
    return queue_page(page, user, key, settings.report_deadline_days)


@router.get(
    "/{flag_id:flagid}",
    response_model=FlagDetail,
    summary="One flag with its evidence and explanation",
)
def get_flag(
    flag_id: FlagId, store: StoreDep, settings: SettingsDep, key: PseudonymKey, user: Reviewer
) -> FlagDetail:
    return flag_detail(
        load_hit(store, flag_id),
        user,
        key,
        settings.report_deadline_days,
        store,
    )


@router.get(
    "/{flag_id:flagid}/history", response_model=History, summary="The append-only audit trail"
)
def get_history(flag_id: FlagId, store: StoreDep, user: Reviewer) -> History:
    if store.get_flag(flag_id) is None:
        raise HTTPException(404, f"no flag {flag_id!r}")
    return History(flag_id=flag_id, events=store.history(flag_id))


def _apply(store: Store, flag_id: str, decision: Decision, user: User) -> FlagHit:
    decide(store, flag_id, decision, user)
    return load_hit(store, flag_id)


@router.post(
    "/{flag_id:flagid}/actions",
    response_model=FlagPublic,
    summary="Claim, assign, decide or reopen",
    responses={
        409: {
            "model": ConflictBody,
            "description": "stale version or a status the action does not apply to",
        }
    },
)
def act(
    flag_id: FlagId,
    body: ActionRequest,
    store: StoreDep,
    settings: SettingsDep,
    key: PseudonymKey,
    user: Reviewer,
) -> FlagPublic | JSONResponse:
    decision = Decision(body.action, body.version, body.note, body.reason, body.assignees)
    try:
        hit = _apply(store, flag_id, decision, user)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from exc
    except ReviewError as exc:
        raise unprocessable(exc) from exc
    except (StaleVersion, WrongState) as exc:
        current = flag_view(load_hit(store, flag_id), user, key, settings.report_deadline_days)
        return JSONResponse(
            status_code=409,
            content=ConflictBody(detail=str(exc), current=current).model_dump(mode="json"),
        )
    return flag_view(hit, user, key, settings.report_deadline_days)


@router.post(
    "/bulk", response_model=BulkResult, summary="One action on many flags, each reported on its own"
)
def bulk(
    body: BulkRequest, store: StoreDep, settings: SettingsDep, key: PseudonymKey, user: Reviewer
) -> BulkResult:
    if bool(body.ids) == (body.filter is not None):
        raise HTTPException(
            422,
            [{"loc": ["body", "ids"], "msg": "give either ids or filter", "type": "value_error"}],
        )
    ids = _named_ids(store, body)
    decision = Decision(body.action, 1, body.note, body.reason, body.assignees)
    try:
        outcomes = decide_many(store, ids, decision, body.versions, user)
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from exc
    except ReviewError as exc:
        raise unprocessable(exc) from exc
    items = [
        BulkItem(
            id=o.flag_id,
            ok=o.status == 200,
            status_code=o.status,
            error=o.error,
            flag=flag_view(load_hit(store, o.flag_id), user, key, settings.report_deadline_days)
            if o.status == 200
            else None,
        )
        for o in outcomes
    ]
    done = sum(1 for i in items if i.ok)
    return BulkResult(
        matched=len(ids), acted=len(items), done=done, failed=len(items) - done, items=items
    )


def refuse_personal_filters(q: str | None, assignee: str | None) -> None:
    """A dashboard sees no post text and no reviewers, so it may not search by them either: a
    search for a known sentence or a reviewer's name would tell it what it may not read."""
    named = [name for name, value in (("q", q), ("assignee", assignee)) if value]
    if named:
        raise HTTPException(
            403,
            f"the dashboard role may not filter by {' or '.join(named)}: it sees no post text"
            " and no reviewers",
        )


def _named_ids(store: Store, body: BulkRequest) -> list[str]:
    """The ids given, or every flag the filter matches (all pages, not the first thousand)."""
    if body.filter is None:
        return list(dict.fromkeys(body.ids))
    hits = each_hit(store, filter_from_body(body.filter), body.filter.q)
    return [hit.flag.id for hit in hits]
