"""The report form: its fields and limits, the per-address limit on reports, and the page
itself (empty, with what was typed and what to fix, or the 413 answer)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.types import Scope

from api.ratelimit import ClientWindowLimiter
from api.ui.render import render
from api.ui.session import anonymous_csrf
from netra.domain.settings import Settings
from netra.public_reports import IMAGE_TYPES, MAX_CONTACT, MAX_NOTE, MAX_TEXT, MAX_URL

# Form field names (what the page posts) for each part of a report.
FIELDS = {"url": "url", "text": "teks", "note": "catatan", "contact": "kontak"}
SCREENSHOT_FIELD = "tangkapan"
LIMITS = {"url": MAX_URL, "text": MAX_TEXT, "note": MAX_NOTE, "contact": MAX_CONTACT}
ORDER = ("url", "screenshot", "text", "note", "contact")  # as on the page
Alert = tuple[str, dict[str, Any]]  # a word key and its values, shown above the form


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def _size(settings: Settings) -> str:
    """The largest screenshot in words: ``5 MB``, ``512 KB``."""
    limit = settings.report_max_upload_bytes
    number, unit = (limit / 1024**2, "MB") if limit >= 1024**2 else (limit / 1024, "KB")
    return f"{number:.1f}".removesuffix(".0") + f" {unit}"


def report_limiter(request: Request) -> ClientWindowLimiter:
    """Accepted reports per client address in a sliding window (per server process)."""
    limiter: ClientWindowLimiter = request.app.state.report_limiter
    return limiter


def form_page(
    request: Request,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    alert: Alert | None = None,
    blocked: bool = False,
    status: int = 200,
) -> Response:
    """The form, with what was typed and what to fix (``errors``: field → problem code)."""
    settings = settings_of(request)
    context = {
        "report_csrf": anonymous_csrf(request),
        "values": {name: (values or {}).get(name, "") for name in FIELDS},
        "errors": {name: (errors or {})[name] for name in ORDER if name in (errors or {})},
        "alert": alert,
        "blocked": blocked,
        "fields": FIELDS,
        "screenshot_field": SCREENSHOT_FIELD,
        "limits": LIMITS,
        "max_size": _size(settings),
        "max_bytes": settings.report_max_upload_bytes,
        "accept": ",".join(IMAGE_TYPES.values()),
    }
    return render(request, "lapor.html", context, status=status)


def too_large_page(scope: Scope) -> Response:
    """The 413 answer to a ``/lapor`` body over the limit (the request guard's, before the body
    is read: what was typed is not known, so the form comes back empty)."""
    request = Request(scope)
    size = _size(settings_of(request))
    return form_page(request, alert=("lapor.too_large", {"size": size}), status=413)
