"""Sign in (a token typed in, or the link `netra users add` prints), sign out, preferences."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.ui.render import PREF_COOKIE, ZONES, render
from api.ui.session import (
    Session,
    anonymous_csrf,
    check_anonymous_csrf,
    check_csrf,
    clear_session_cookie,
    is_secure,
    set_session_cookie,
)
from api.ui.text import normal_lang
from netra.domain.access import hash_token

router = APIRouter()


def safe_next(value: str | None) -> str:
    """Only a path of this site: never an open redirect to another host."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/ui"


@router.get("/ui/masuk")
def sign_in_page(request: Request, next: str | None = None) -> Response:
    return render(request, "signin.html", _context(request, next, None))


def _context(request: Request, next: str | None, error: tuple | None) -> dict:
    """The sign-in form always carries the pre-session CSRF token, signed in already or not."""
    return {"next": safe_next(next), "error": error, "signin_csrf": anonymous_csrf(request)}


@router.post("/ui/masuk")
def sign_in(
    request: Request,
    token: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/ui",
) -> Response:
    check_anonymous_csrf(request, csrf)
    limiter = request.app.state.ui_sign_in_limiter
    client = request.client.host if request.client else "unknown"
    wait = limiter.retry_after(client)
    if wait is not None:
        context = _context(request, next, ("signin.throttled", {"seconds": wait}))
        return render(request, "signin.html", context, status=429)
    token_hash = hash_token(token.strip())
    user = request.app.state.store.user_by_token_hash(token_hash)
    if user is None or not user.active:
        limiter.record(client)
        context = _context(request, next, ("signin.bad", {}))
        return render(request, "signin.html", context, status=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, request, token_hash)
    return response


@router.post("/ui/keluar")
def sign_out(
    request: Request, session: Session, csrf: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    check_csrf(request, session, csrf)
    until = datetime.fromtimestamp(max(session.expires, time.time()), UTC)
    request.app.state.store.end_session(session.session_id, until)
    response = RedirectResponse("/ui/masuk?keluar=1", status_code=303)
    clear_session_cookie(response, request)
    return response


@router.post("/ui/preferensi")
def set_preferences(
    request: Request,
    lang: Annotated[str, Form(max_length=5)] = "id",
    tz: Annotated[str, Form(max_length=5)] = "WITA",
    next: Annotated[str, Form(max_length=2000)] = "/ui",
) -> Response:
    """Language and zone are not secret and change nothing stored, so no CSRF check: the worst a
    forged form could do is switch someone's display language."""
    response = RedirectResponse(safe_next(next), status_code=303)
    zone = tz if tz in ZONES else "WITA"
    response.set_cookie(
        PREF_COOKIE,
        f"{normal_lang(lang)}.{zone}",
        max_age=365 * 24 * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
    )
    return response
