"""Rendering UI pages: one Jinja2 environment, and what every template may use (the session,
``t`` for words, ``label`` for codes, times in the reader's zone, the CSRF token)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.ui.session import UiSession, anonymous_csrf, attach_anonymous_cookie, current_session
from api.ui.text import normal_lang, translate
from netra.domain.labels import label, labels

TEMPLATES = Path(__file__).parent / "templates"
PREF_COOKIE = "netra_pref"
# The three zones of Indonesia, as analysts name them.
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def preferences(request: Request) -> tuple[str, str]:
    """(language, zone abbreviation) from the preference cookie, else Indonesian and the
    deployment's zone (``NETRA_TIMEZONE``)."""
    lang, _, zone = request.cookies.get(PREF_COOKIE, "").partition(".")  # "id.WITA"
    default_zone = next(
        (abbr for abbr, name in ZONES.items() if name == request.app.state.settings.timezone),
        "WITA",
    )
    return normal_lang(lang), zone if zone in ZONES else default_zone


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    lang, zone_abbr = preferences(request)
    zone = ZoneInfo(ZONES[zone_abbr])
    session: UiSession | None = getattr(request.state, "ui_session", None) or current_session(
        request
    )

    def local(moment: datetime | None, fmt: str = "%d-%m-%Y %H:%M") -> str:
        if moment is None:
            return "—"
        return f"{moment.astimezone(zone).strftime(fmt)} {zone_abbr}"

    values: dict[str, Any] = {
        "request": request,
        "session": session,
        "lang": lang,
        "zone": zone_abbr,
        "zones": list(ZONES),
        "t": lambda key, **kw: translate(key, lang, **kw),
        "label": lambda kind, code: label(kind, str(code), lang),
        "labels": lambda kind: labels(kind, lang),
        "local": local,
        "csrf": session.csrf if session else anonymous_csrf(request),
        "here": request.url.path + ("?" + request.url.query if request.url.query else ""),
    }
    values.update(context or {})
    body = environment.get_template(template).render(values)
    response = HTMLResponse(body, status_code=status)
    attach_anonymous_cookie(response, request)
    return response
