"""Exports: the filtered queue as CSV or NDJSON (streamed page by page), the referral dossier of
one flag (printable HTML and its JSON twin), and analyst decisions as labelled training data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import HTMLResponse, StreamingResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.deps import PseudonymKey, SettingsDep, StoreDep, require
from api.routes.flags import FlagId, load_hit
from api.views import QueueFilters, SearchText, flag_view
from netra.domain.access import LEADS, REVIEWERS
from netra.domain.csvcells import csv_lines
from netra.domain.models import User
from netra.dossier import NotReferable, build_dossier
from netra.labelled import labelled_rows
from netra.store.base import FlagFilter, FlagHit, FlagSort, Store, each_hit

router = APIRouter(tags=["exports"])
Lead = Annotated[User, Depends(require(LEADS))]
Reviewer = Annotated[User, Depends(require(REVIEWERS))]
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parents[1] / "templates"),
    autoescape=select_autoescape(["html"]),
)
CSV_COLUMNS = [
    "id",
    "status",
    "category",
    "origin",
    "probability",
    "platform",
    "account",
    "url",
    "posted_at",
    "discovered_at",
    "report_deadline",
    "person_id",
    "nip",
    "name",
    "agency",
    "region_code",
    "text",
]
LABELLED_COLUMNS = ["text", "label", "category", "media", "family"]


def _hits(store: Store, filters: FlagFilter, q: str | None) -> Iterator[FlagHit]:
    return each_hit(store, filters, q, sort=FlagSort.QUEUE_AGE_DESC)  # 100,000 rows never at once


def _csv_rows(
    store: Store, filters: FlagFilter, q: str | None, user: User, key: bytes, days: int
) -> Iterator[list[object]]:
    for hit in _hits(store, filters, q):
        view = flag_view(hit, user, key, days)
        person = view.person
        yield [
            view.id,
            view.status.value,
            view.category.value,
            view.origin.value,
            view.probability,
            view.post.platform.value,
            view.post.account_handle,
            view.post.url,
            view.post.posted_at.isoformat(),
            view.discovered_at.isoformat(),
            view.report_deadline.isoformat(),
            person.person_id if person else "",
            getattr(person, "nip", ""),
            getattr(person, "name", ""),
            person.agency if person else "",
            person.region_code if person else "",
            view.post.text,
        ]


_CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV, streamed"}
}
_NDJSON: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
        "description": "one JSON object a line",
    }
}


@router.get(
    "/exports/flags.csv",
    summary="The filtered queue as CSV (streamed)",
    response_class=StreamingResponse,
    responses=_CSV,
)
def export_csv(
    store: StoreDep,
    settings: SettingsDep,
    key: PseudonymKey,
    user: Lead,
    filters: QueueFilters,
    q: SearchText = None,
) -> StreamingResponse:
    rows = _csv_rows(store, filters, q, user, key, settings.report_deadline_days)
    return StreamingResponse(
        csv_lines(CSV_COLUMNS, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="netra-flags.csv"'},
    )


@router.get(
    "/exports/flags.ndjson",
    summary="The filtered queue as NDJSON (streamed)",
    response_class=StreamingResponse,
    responses=_NDJSON,
)
def export_ndjson(
    store: StoreDep,
    settings: SettingsDep,
    key: PseudonymKey,
    user: Lead,
    filters: QueueFilters,
    q: SearchText = None,
) -> StreamingResponse:
    lines = (
        flag_view(hit, user, key, settings.report_deadline_days).model_dump_json() + "\n"
        for hit in _hits(store, filters, q)
    )
    return StreamingResponse(lines, media_type="application/x-ndjson")


@router.get(
    "/exports/labelled.csv",
    summary="Analyst decisions as labelled data for `netra train --extra`",
    response_class=StreamingResponse,
    responses=_CSV,
)
def export_labelled(store: StoreDep, user: Lead) -> StreamingResponse:
    rows = ([row[c] for c in LABELLED_COLUMNS] for row in labelled_rows(store))
    return StreamingResponse(
        csv_lines(LABELLED_COLUMNS, rows), media_type="text/csv; charset=utf-8"
    )


def _dossier(store: Store, settings: SettingsDep, flag_id: str) -> dict:
    hit = load_hit(store, flag_id)
    try:
        return build_dossier(
            hit.flag,
            hit.post,
            hit.person,
            store.history(flag_id),
            settings.timezone,
            settings.report_deadline_days,
        )
    except NotReferable as exc:
        raise HTTPException(409, str(exc)) from exc


@router.get(
    "/flags/{flag_id:flagid}/dossier",
    response_class=HTMLResponse,
    summary="Printable referral dossier",
)
def dossier_html(
    flag_id: FlagId, store: StoreDep, settings: SettingsDep, user: Reviewer
) -> HTMLResponse:
    data = _dossier(store, settings, flag_id)
    payload = json.dumps(data["bukti"]["payload"], ensure_ascii=False, indent=2)
    return HTMLResponse(_templates.get_template("dossier.html").render(d=data, payload=payload))


@router.get("/flags/{flag_id:flagid}/dossier.json", summary="The referral dossier as JSON")
def dossier_json(flag_id: FlagId, store: StoreDep, settings: SettingsDep, user: Reviewer) -> dict:
    return _dossier(store, settings, flag_id)
