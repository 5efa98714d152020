"""The report form's routes (``/lapor``, its receipt and status pages) and the reporter's
screenshot for reviewers (``/ui/laporan/{id}/tangkapan-layar``)."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

import api.ui.report.words  # noqa: F401  (registers the pages' words)
from api.guard import BodyTooLarge
from api.ratelimit import ClientWindowLimiter
from api.ui.render import render
from api.ui.report.form import (
    FIELDS,
    SCREENSHOT_FIELD,
    Alert,
    form_page,
    report_limiter,
    settings_of,
    too_large_page,
)
from api.ui.session import BadCsrf, UiSession, check_anonymous_csrf, role_in
from api.ui.uploads import UploadRefused, screenshot_from
from netra.domain.access import REVIEWERS
from netra.domain.settings import Settings
from netra.public_reports import (
    IMAGE_TYPES,
    ReportState,
    WebReport,
    normal_receipt,
    problems,
    receive,
    screenshot_file,
    state_of,
)
from netra.store.base import StoreError

router = APIRouter()


@router.get("/lapor")
def report_form(request: Request) -> Response:
    return form_page(request)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


@router.post("/lapor")
async def send_report(request: Request) -> Response:
    settings = settings_of(request)
    client = request.client.host if request.client else "unknown"
    limiter = report_limiter(request)
    wait = limiter.retry_after(client)
    if wait is not None:
        alert: Alert = ("lapor.throttled", {"minutes": max(1, math.ceil(wait / 60))})
        page = await run_in_threadpool(form_page, request, None, None, alert, True, 429)
        page.headers["Retry-After"] = str(wait)
        return page
    try:
        form = await request.form(max_files=1, max_fields=8, max_part_size=64 * 1024)
    except BodyTooLarge:  # a chunked body: no Content-Length for the guard to refuse early
        return await run_in_threadpool(too_large_page, request.scope)
    except HTTPException:  # not multipart, a broken body, too many or too large fields
        bad_form: Alert = ("lapor.bad_form", {})
        return await run_in_threadpool(form_page, request, None, None, bad_form, False, 400)
    try:
        return await _receive_form(request, settings, form, limiter, client)
    finally:
        await form.close()


async def _receive_form(
    request: Request,
    settings: Settings,
    form: FormData,
    limiter: ClientWindowLimiter,
    client: str,
) -> Response:
    try:
        check_anonymous_csrf(request, _text(form.get("csrf")))
    except BadCsrf:  # what came is not echoed back: it may be another site's forged post
        expired: Alert = ("error.csrf", {})
        return await run_in_threadpool(form_page, request, None, None, expired, False, 403)
    values = {name: _text(form.get(field)) for name, field in FIELDS.items()}
    report = WebReport(
        url=values["url"],
        text=values["text"] or None,
        note=values["note"] or None,
        contact=values["contact"] or None,
    )
    errors = problems(report)
    status = 400
    shot = None
    try:
        shot = await screenshot_from(form.get(SCREENSHOT_FIELD), settings.report_max_upload_bytes)
    except UploadRefused as exc:
        errors["screenshot"] = exc.code
        status = 413 if exc.code == "too_large" else 400
    if errors:
        if shot is not None:
            errors["screenshot"] = "again"
        shown = {name: values[name] for name in FIELDS}
        return await run_in_threadpool(form_page, request, shown, errors, None, False, status)
    store = request.app.state.store
    try:
        record = await run_in_threadpool(receive, store, settings, replace(report, screenshot=shot))
    except (StoreError, OSError):  # nothing is lost by saying so: the reporter still has it all
        down: Alert = ("lapor.unavailable", {})
        shown = {name: values[name] for name in FIELDS}
        again = {"screenshot": "again"} if shot is not None else {}
        return await run_in_threadpool(form_page, request, shown, again, down, False, 503)
    limiter.record(client)  # an accepted report counts towards the client's limit
    return RedirectResponse(f"/lapor/terima?nomor={record.receipt}", status_code=303)


@router.get("/lapor/terima")
def receipt_page(request: Request, nomor: str = "") -> Response:
    number = normal_receipt(nomor)
    store = request.app.state.store
    if number is None or store.report_receipt(number) is None:
        return _status_page(request, nomor, None, "lapor.status.not_found", 404)
    return render(request, "lapor_terima.html", {"number": number})


@router.get("/lapor/status")
def status_page(request: Request, nomor: str = "") -> Response:
    if not nomor.strip():
        return _status_page(request, "", None, None, 200)
    number = normal_receipt(nomor)
    if number is None:
        return _status_page(request, nomor, None, "lapor.status.bad_number", 400)
    state = state_of(request.app.state.store, number)
    if state is None:
        return _status_page(request, number, None, "lapor.status.not_found", 404)
    return _status_page(request, number, state, None, 200)


def _status_page(
    request: Request, number: str, state: ReportState | None, problem: str | None, status: int
) -> Response:
    context = {"number": number[:40], "state": state, "problem": problem}
    return render(request, "lapor_status.html", context, status=status)


Reviewer = Annotated[UiSession, Depends(role_in(REVIEWERS))]


@router.get("/ui/laporan/{flag_id}/tangkapan-layar")
def screenshot(request: Request, flag_id: str, session: Reviewer) -> Response:
    """The reporter's screenshot, for the roles that see personal data (not dashboards)."""
    store = request.app.state.store
    path = screenshot_file(settings_of(request), store.report_receipt_of_post(flag_id))
    if path is None:
        return render(request, "error.html", {"message": "error.not_found"}, status=404)
    return FileResponse(
        path,
        media_type=IMAGE_TYPES[path.suffix.removeprefix(".")],
        content_disposition_type="inline",
    )
