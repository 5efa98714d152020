"""The public report form ``/lapor``: anyone, without signing in, reports a post they suspect
(*dugaan*) is an ASN's partisan activity, with an optional screenshot, note and contact.

The report enters the pipeline as ``netra report`` enters it (``netra.public_reports.receive``
calls ``pipeline.submit_report``): the next scoring run queues it for analysts with the origin
``public_report``. The reporter gets a receipt number and follows the report up on
``/lapor/status`` (received, in review, decided: nothing more). The contact is confidential: only
supervisors and admins see it, on the item page (``_report_contact.html``, ``report_box``).

Limits: ``NETRA_REPORT_MAX_UPLOAD_BYTES`` for the screenshot (the request guard caps the body of a
``/lapor`` POST at that plus a small allowance), ``NETRA_REPORT_RATE_LIMIT`` reports per client
address and ``NETRA_REPORT_RATE_WINDOW_SECONDS``. The CSRF token is the pre-session one (the form
is shown before any sign-in), also for a visitor who happens to be signed in.
"""

from __future__ import annotations

import math
import threading
from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.types import Scope

from api.guard import BodyTooLarge
from api.ratelimit import FailedAuthLimiter
from api.ui.render import environment, render
from api.ui.session import BadCsrf, UiSession, anonymous_csrf, check_anonymous_csrf, role_in
from api.ui.text import add_words
from api.ui.uploads import UploadRefused, screenshot_from
from netra.domain.access import LEADS, REVIEWERS
from netra.domain.models import FlagOrigin
from netra.domain.settings import Settings
from netra.public_reports import (
    IMAGE_TYPES,
    MAX_CONTACT,
    MAX_NOTE,
    MAX_TEXT,
    MAX_URL,
    ReportState,
    WebReport,
    contact_for,
    normal_receipt,
    problems,
    receive,
    screenshot_file,
    state_of,
)
from netra.store.base import StoreError

router = APIRouter()

# Form field names (what the page posts) for each part of a report.
FIELDS = {"url": "url", "text": "teks", "note": "catatan", "contact": "kontak"}
SCREENSHOT_FIELD = "tangkapan"
LIMITS = {"url": MAX_URL, "text": MAX_TEXT, "note": MAX_NOTE, "contact": MAX_CONTACT}
ORDER = ("url", "screenshot", "text", "note", "contact")  # as on the page
_limiter_lock = threading.Lock()
Alert = tuple[str, dict[str, Any]]  # a word key and its values, shown above the form

add_words(
    {
        "lapor.title": ("Laporkan dugaan ketidaknetralan ASN", "Report suspected ASN partisanship"),
        "lapor.intro": (
            "Melihat unggahan media sosial seorang ASN yang Anda duga berpihak dalam pemilihan? "
            "Kirim tautannya di sini. Anda tidak perlu masuk atau mendaftar.",
            "Seen a social media post by a civil servant (ASN) that you suspect takes sides in the "
            "election? Send its link here. You do not need to sign in or register.",
        ),
        "lapor.dugaan": (
            "Laporan Anda adalah dugaan sampai analis Bawaslu meninjaunya; BKN dan instansi yang "
            "memutuskan.",
            "Your report is a suspicion (dugaan) until Bawaslu analysts review it; BKN and the "
            "agency decide.",
        ),
        "lapor.required": ("wajib", "required"),
        "lapor.optional": ("opsional", "optional"),
        "lapor.url": ("Tautan unggahan", "Link to the post"),
        "lapor.url_help": (
            "Alamat lengkap unggahan atau akun, diawali https://, misalnya "
            "https://x.com/namaakun/status/123.",
            "The full address of the post or account, starting with https://, e.g. "
            "https://x.com/accountname/status/123.",
        ),
        "lapor.text": ("Isi unggahan", "What the post says"),
        "lapor.text_help": (
            "Salin teks unggahan bila bisa: unggahan sering dihapus. Maks. {n} karakter.",
            "Copy the post's text if you can: posts are often deleted. At most {n} characters.",
        ),
        "lapor.screenshot": ("Tangkapan layar", "Screenshot"),
        "lapor.screenshot_help": (
            "Gambar PNG, JPEG, atau WebP, maks. {size}.",
            "A PNG, JPEG or WebP image, at most {size}.",
        ),
        "lapor.note": ("Catatan", "Note"),
        "lapor.note_help": (
            "Kapan dan di mana Anda melihatnya, siapa pemilik akun bila Anda tahu. Jangan tulis "
            "nama Anda di sini: analis membaca catatan ini. Maks. {n} karakter.",
            "When and where you saw it, whose account it is if you know. Do not write your name "
            "here: analysts read this note. At most {n} characters.",
        ),
        "lapor.contact": ("Kontak Anda", "Your contact"),
        "lapor.contact_help": (
            "E-mail atau nomor telepon, bila Anda bersedia dihubungi untuk bukti tambahan. "
            "Dirahasiakan: hanya supervisor Bawaslu yang dapat melihatnya, tidak analis, tidak "
            "dasbor, tidak ekspor.",
            "E-mail or phone number, if you agree to be contacted for more evidence. Kept "
            "confidential: only Bawaslu supervisors can see it, not analysts, dashboards or "
            "exports.",
        ),
        "lapor.confidential": ("rahasia", "confidential"),
        "lapor.submit": ("Kirim laporan", "Send the report"),
        "lapor.have_receipt": (
            "Sudah pernah melapor? Cek status dengan nomor tanda terima Anda.",
            "Reported before? Check the status with your receipt number.",
        ),
        "lapor.errors": (
            "Laporan belum terkirim. Perbaiki isian berikut:",
            "The report was not sent. Please fix the following:",
        ),
        "lapor.err.url.missing": (
            "Isi tautan unggahan yang Anda laporkan.",
            "Enter the link to the post you report.",
        ),
        "lapor.err.url.too_long": (
            "Tautan terlalu panjang (maks. {n} karakter).",
            "The link is too long (at most {n} characters).",
        ),
        "lapor.err.url.not_url": (
            "Tautan harus alamat web lengkap yang diawali http:// atau https://.",
            "The link must be a full web address starting with http:// or https://.",
        ),
        "lapor.err.url.credentials": (
            "Tautan tidak boleh memuat nama pengguna atau kata sandi (bagian sebelum @).",
            "The link must not hold a user name or password (the part before @).",
        ),
        "lapor.err.url.not_public": (
            "Tautan harus ke situs publik, bukan alamat IP atau jaringan lokal.",
            "The link must point to a public site, not an IP address or a local network.",
        ),
        "lapor.err.text.too_long": (
            "Isi unggahan terlalu panjang (maks. {n} karakter).",
            "The post's text is too long (at most {n} characters).",
        ),
        "lapor.err.note.too_long": (
            "Catatan terlalu panjang (maks. {n} karakter).",
            "The note is too long (at most {n} characters).",
        ),
        "lapor.err.contact.too_long": (
            "Kontak terlalu panjang (maks. {n} karakter).",
            "The contact is too long (at most {n} characters).",
        ),
        "lapor.err.contact.not_contact": (
            "Tulis alamat e-mail (nama@contoh.id) atau nomor telepon (misalnya 0812-3456-7890), "
            "atau kosongkan.",
            "Write an e-mail address (name@example.id) or a phone number (e.g. 0812-3456-7890), "
            "or leave it empty.",
        ),
        "lapor.err.screenshot.not_image": (
            "Berkas ini bukan gambar PNG, JPEG, atau WebP (apa pun nama berkasnya). Pilih "
            "tangkapan layar berformat tersebut.",
            "This file is not a PNG, JPEG or WebP image (whatever its name). Choose a screenshot "
            "in one of those formats.",
        ),
        "lapor.err.screenshot.too_large": (
            "Berkas lebih besar dari {size}. Potong atau kecilkan tangkapan layar, lalu pilih "
            "lagi.",
            "The file is larger than {size}. Crop or shrink the screenshot, then choose it again.",
        ),
        "lapor.err.screenshot.again": (
            "Tangkapan layar Anda belum disimpan: pilih lagi berkasnya sebelum mengirim.",
            "Your screenshot was not kept: choose the file again before sending.",
        ),
        "lapor.too_large": (
            "Kiriman terlalu besar: tangkapan layar maks. {size}. Laporan belum terkirim; isi "
            "lagi formulir lalu pilih berkas yang lebih kecil.",
            "The upload is too large: a screenshot may be at most {size}. The report was not "
            "sent; fill in the form again and choose a smaller file.",
        ),
        "lapor.bad_form": (
            "Formulir tidak terbaca. Muat ulang halaman lalu coba lagi.",
            "The form could not be read. Reload the page and try again.",
        ),
        "lapor.throttled": (
            "Sudah terlalu banyak laporan dari alamat jaringan Anda. Coba lagi dalam sekitar "
            "{minutes} menit.",
            "Too many reports came from your network address. Try again in about {minutes} "
            "minutes.",
        ),
        "lapor.unavailable": (
            "Laporan belum dapat disimpan karena gangguan di server kami. Isian Anda masih di "
            "bawah ini: coba kirim lagi beberapa saat lagi.",
            "The report could not be stored because of a fault on our server. What you typed is "
            "still below: try sending it again in a while.",
        ),
        "lapor.receipt.title": ("Laporan diterima", "Report received"),
        "lapor.receipt.number": ("Nomor tanda terima", "Receipt number"),
        "lapor.receipt.keep": (
            "Simpan nomor ini: hanya dengan nomor ini Anda dapat mengikuti laporan Anda. Kami "
            "tidak dapat mencarinya kembali untuk Anda.",
            "Keep this number: it is the only way to follow your report up. We cannot look it "
            "up for you.",
        ),
        "lapor.receipt.next": ("Apa selanjutnya", "What happens next"),
        "lapor.receipt.step1": (
            "Laporan Anda masuk ke antrean analis Bawaslu pada putaran pemrosesan berikutnya.",
            "Your report enters the Bawaslu analysts' queue at the next processing round.",
        ),
        "lapor.receipt.step2": (
            "Analis memeriksa unggahan dan apakah akunnya milik seorang ASN. Sampai diputuskan, "
            "laporan ini adalah dugaan, bukan putusan.",
            "Analysts check the post and whether the account belongs to an ASN. Until decided, "
            "this report is a suspicion (dugaan), not a verdict.",
        ),
        "lapor.receipt.step3": (
            "Bila Anda meninggalkan kontak, supervisor mungkin menghubungi Anda untuk bukti "
            "tambahan. Kontak Anda tidak ditunjukkan kepada siapa pun selain supervisor.",
            "If you left a contact, a supervisor may contact you for more evidence. Your contact "
            "is shown to no one but supervisors.",
        ),
        "lapor.receipt.status": ("Cek status laporan ini", "Check this report's status"),
        "lapor.receipt.another": ("Kirim laporan lain", "Send another report"),
        "lapor.status.title": ("Status laporan", "Report status"),
        "lapor.status.number": ("Nomor tanda terima", "Receipt number"),
        "lapor.status.number_help": (
            "Misalnya LPR-ABCDE23456, seperti pada tanda terima Anda.",
            "E.g. LPR-ABCDE23456, as on your receipt.",
        ),
        "lapor.status.check": ("Cek status", "Check the status"),
        "lapor.status.of": ("Laporan {number}", "Report {number}"),
        "lapor.status.received": (
            "Diterima: menunggu masuk antrean analis.",
            "Received: waiting to enter the analysts' queue.",
        ),
        "lapor.status.in_review": (
            "Sedang ditinjau oleh analis Bawaslu.",
            "Being reviewed by Bawaslu analysts.",
        ),
        "lapor.status.decided": (
            "Sudah diputuskan oleh analis Bawaslu.",
            "Decided by Bawaslu analysts.",
        ),
        "lapor.status.only": (
            "Halaman ini hanya menunjukkan tahap laporan, bukan isi tinjauan atau siapa yang "
            "meninjau.",
            "This page shows only the report's stage, not the review or who reviews it.",
        ),
        "lapor.status.not_found": (
            "Tidak ada laporan dengan nomor itu. Periksa lagi nomor pada tanda terima Anda.",
            "No report has that number. Check the number on your receipt again.",
        ),
        "lapor.status.bad_number": (
            "Nomor tanda terima berbentuk LPR- diikuti 10 huruf atau angka (A–Z, 2–7).",
            "A receipt number is LPR- followed by 10 letters or digits (A–Z, 2–7).",
        ),
        "lapor.back": ("Kembali ke formulir laporan", "Back to the report form"),
        "lapor.box.title": ("Laporan masyarakat", "Public report"),
        "lapor.box.received": ("Diterima", "Received"),
        "lapor.box.screenshot": ("Tangkapan layar dari pelapor", "The reporter's screenshot"),
        "lapor.box.screenshot_open": (
            "Buka tangkapan layar ukuran penuh",
            "Open the screenshot at full size",
        ),
        "lapor.box.sha256": ("SHA-256 berkas", "File SHA-256"),
        "lapor.box.no_screenshot": (
            "Pelapor tidak melampirkan tangkapan layar.",
            "The reporter attached no screenshot.",
        ),
        "lapor.box.contact": ("Kontak pelapor (rahasia)", "Reporter's contact (confidential)"),
        "lapor.box.contact_note": (
            "Hanya supervisor dan admin yang melihat kontak ini. Jangan salin ke catatan, "
            "ekspor, atau berkas rujukan.",
            "Only supervisors and admins see this contact. Do not copy it into notes, exports "
            "or referral files.",
        ),
        "lapor.box.no_contact": (
            "Pelapor tidak meninggalkan kontak.",
            "The reporter left no contact.",
        ),
        "lapor.box.contact_hidden": (
            "Kontak pelapor, bila ada, hanya terlihat oleh supervisor: eskalasikan bila perlu "
            "menghubungi pelapor.",
            "The reporter's contact, if any, is visible to supervisors only: escalate if the "
            "reporter must be contacted.",
        ),
    }
)


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _size(settings: Settings) -> str:
    """The largest screenshot in words: ``5 MB``, ``512 KB``."""
    limit = settings.report_max_upload_bytes
    number, unit = (limit / 1024**2, "MB") if limit >= 1024**2 else (limit / 1024, "KB")
    return f"{number:.1f}".removesuffix(".0") + f" {unit}"


def _limiter(request: Request) -> FailedAuthLimiter:
    """Accepted reports per client address in a sliding window (per server process)."""
    state = request.app.state
    with _limiter_lock:
        limiter = getattr(state, "report_limiter", None)
        if limiter is None:
            settings = _settings(request)
            limiter = state.report_limiter = FailedAuthLimiter(
                settings.report_rate_limit, settings.report_rate_window_seconds
            )
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
    settings = _settings(request)
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
    size = _size(_settings(request))
    return form_page(request, alert=("lapor.too_large", {"size": size}), status=413)


@router.get("/lapor")
def report_form(request: Request) -> Response:
    return form_page(request)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


@router.post("/lapor")
async def send_report(request: Request) -> Response:
    settings = _settings(request)
    client = request.client.host if request.client else "unknown"
    limiter = _limiter(request)
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
    limiter: FailedAuthLimiter,
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
    limiter.record_failure(client)  # counts accepted reports, whatever the name says
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
    path = screenshot_file(_settings(request), store.report_receipt_of_post(flag_id))
    if path is None:
        return render(request, "error.html", {"message": "error.not_found"}, status=404)
    return FileResponse(
        path,
        media_type=IMAGE_TYPES[path.suffix.removeprefix(".")],
        content_disposition_type="inline",
    )


def report_box(request: Request, flag: Any, session: UiSession | None) -> dict[str, Any] | None:
    """What the item page shows of a public report (``_report_contact.html``): when it came, the
    screenshot (roles that see personal data), and the reporter's confidential contact
    (supervisors and admins only). None for other flags and for roles that see neither."""
    origin = getattr(flag, "origin", None)
    if session is None or not session.personal or str(origin) != FlagOrigin.PUBLIC_REPORT:
        return None
    flag_id = str(flag.id)
    store = request.app.state.store
    record = store.report_receipt_of_post(flag_id)
    lead = session.user.role in LEADS
    shot = screenshot_file(_settings(request), record)
    return {
        "received_at": record.received_at if record else None,
        "screenshot_url": (
            f"/ui/laporan/{quote(flag_id, safe=':')}/tangkapan-layar" if shot else None
        ),
        "screenshot_sha256": record.screenshot_sha256 if shot and record else None,
        "lead": lead,
        "contact": contact_for(store, flag_id, session.user.role) if lead else None,
    }


# The item page includes "_report_contact.html" with ``flag`` and ``session`` in its context;
# the partial asks for the rest itself.
environment.globals["public_report_box"] = report_box
