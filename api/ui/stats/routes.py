"""The statistics page (``GET /ui/statistik``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.ui.choices import filter_choices
from api.ui.filters import parse
from api.ui.render import ZONES, preferences, render
from api.ui.session import Session
from api.ui.stats.gather import build
from api.ui.stats.words import FIELD_WORDS
from api.ui.text import translate
from netra.domain.labels import label
from netra.domain.models import utcnow
from netra.store.base import Store

router = APIRouter()

DAY_CHOICES = (7, 14, 30, 90)
DEFAULT_DAYS = 30


def _days_param(request: Request, problems: list) -> int:
    raw = request.query_params.get("hari", "").strip()
    if not raw:
        return DEFAULT_DAYS
    if raw.isdigit() and int(raw) in DAY_CHOICES:
        return int(raw)
    problems.append(("hari", ("stats.bad_days", {})))
    return DEFAULT_DAYS


def _shown(name: str, value: str, lang: str) -> str:
    if name == "view":
        return translate(f"view.{value}", lang)
    if name == "origin":
        return label("origin", value, lang)
    return value


@router.get("/ui/statistik", response_class=HTMLResponse)
def statistics(request: Request, session: Session) -> HTMLResponse:
    store: Store = request.app.state.store
    settings = request.app.state.settings
    lang, zone_abbr = preferences(request)
    now = utcnow()
    query = parse(
        request.query_params,
        session.user.name,
        ZoneInfo(ZONES[zone_abbr]),
        now,
        settings.report_deadline_days,
    )
    problems = list(query.problems)
    days = _days_param(request, problems)
    agencies, regions = filter_choices(request)
    numbers = build(
        store,
        query,
        personal=session.personal,
        zone_abbr=zone_abbr,
        now=now,
        days=days,
        deadline_days=settings.report_deadline_days,
        lang=lang,
    )
    kept = [
        (name, value, f"{translate(FIELD_WORDS[name], lang)} = {_shown(name, value, lang)}")
        for name, value in query.params
        if name in ("origin", "score_min", "score_max")
        or (name == "view" and value == query.view)
        or (name == "assignee" and session.personal)
    ]
    queue_link = query.query_string()
    return render(
        request,
        "stats.html",
        {
            "query": query,
            "problems": problems,
            "days": days,
            "day_choices": DAY_CHOICES,
            "kept": kept,
            "queue_link": queue_link,
            "agency_choices": agencies,
            "region_choices": regions,
            "region_names": store.regions(),
            "field_words": FIELD_WORDS,
            **numbers,
        },
    )
