"""The queue page (``/ui``): the filtered, sorted, paged list of dugaan with the age of each item
against the 7-day reporting clock, saved views, copy-paste campaigns grouped into one row each,
and bulk actions (on the rows ticked, on every item a filter matches, or on a campaign) that say
how many items they will touch before they touch them.

Every role may read the queue; the dashboard role sees pseudonymous rows only (the JSON API's
``queue_page`` makes them) and may not search by text or by reviewer. Only reviewers act."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from api.schemas import FlagDashboard, FlagPublic, PersonPublic
from api.ui.filters import SAVED_VIEWS, WARN_DAY, UiQuery, parse
from api.ui.render import ZONES, preferences, render
from api.ui.session import Session, UiSession, check_csrf, role_in
from api.ui.text import add_words
from api.views import dashboard_view, queue_page
from netra.campaigns import SCAN_CAP, Campaign, Grouping, campaigns
from netra.domain.access import REVIEWERS
from netra.domain.models import Category, FlagOrigin, FlagStatus, Platform, utcnow
from netra.review import (
    OPEN,
    Action,
    Decision,
    DismissReason,
    NotAllowed,
    ReviewError,
    check,
    decide_many,
)
from netra.store.base import AggregateBy, FlagSort, Store, StoreError, each_hit

router = APIRouter()
PAGE_SIZE = 50
GROUPS_PER_PAGE = 50
TEXT_CHARS = 140
MEMBERS_SHOWN = 100  # a group's items listed under it (the bulk action takes them all)
BULK_ACTIONS = (Action.CLAIM, Action.CONFIRM, Action.DISMISS, Action.ESCALATE)
PERSONAL_FILTERS = ("q", "assignee")
Reviewer = Annotated[UiSession, Depends(role_in(REVIEWERS))]

add_words(
    {
        "queue.title": ("Antrean dugaan", "Queue of dugaan"),
        "queue.views": ("Tampilan tersimpan", "Saved views"),
        "queue.view_all": ("Semua", "All"),
        "queue.filters": ("Saring antrean", "Filter the queue"),
        "queue.any": ("Semua", "Any"),
        "queue.apply": ("Terapkan saringan", "Apply filters"),
        "queue.clear": ("Hapus saringan", "Clear filters"),
        "queue.group": ("Kelompokkan kampanye", "Group campaigns"),
        "queue.group_help": (
            "Teks yang sama atau hampir sama dari beberapa akun menjadi satu baris.",
            "The same or nearly the same text from several accounts becomes one row.",
        ),
        "queue.results": ("Hasil", "Results"),
        "queue.total": ("{n} dugaan cocok", "{n} dugaan match"),
        "queue.none": (
            "Tidak ada dugaan yang cocok dengan saringan ini.",
            "No dugaan match these filters.",
        ),
        "queue.caption": ("Daftar dugaan, {sort}", "List of dugaan, {sort}"),
        "queue.next": ("Halaman berikutnya", "Next page"),
        "queue.first": ("Ke halaman pertama", "First page"),
        "queue.paging": ("Halaman", "Pages"),
        "queue.nobody": ("belum ada", "nobody yet"),
        "queue.no_text": ("(tanpa teks)", "(no text)"),
        "queue.no_person": ("tidak dikenal", "unknown"),
        "queue.dashboard_note": (
            "Peran dasbor: baris tanpa nama, NIP, teks unggahan, maupun peninjau.",
            "Dashboard role: rows without names, NIP, post text or reviewers.",
        ),
        "queue.refused": (
            "Saringan «{field}» diabaikan: peran dasbor tidak melihat teks unggahan maupun"
            " peninjau, jadi tidak dapat mencari berdasarkan keduanya.",
            "Filter «{field}» ignored: the dashboard role sees no post text and no reviewers,"
            " so it cannot search by them either.",
        ),
        "queue.bad_cursor": (
            "Tautan halaman tidak berlaku lagi; menampilkan halaman pertama.",
            "The page link is no longer valid; showing the first page.",
        ),
        "queue.bad_search": (
            "Pencarian tidak dapat dijalankan: {why}",
            "The search could not run: {why}",
        ),
        "queue.store_down": (
            "Penyimpanan data tidak menjawab. Coba lagi sebentar lagi.",
            "The data store does not answer. Try again shortly.",
        ),
        "field.view": ("Tampilan", "View"),
        "field.status": ("Status", "Status"),
        "field.category": ("Kategori", "Category"),
        "field.platform": ("Platform", "Platform"),
        "field.origin": ("Asal", "Origin"),
        "field.agency": ("Instansi", "Agency"),
        "field.region": ("Kode wilayah", "Region code"),
        "field.assignee": ("Ditugaskan ke", "Assigned to"),
        "field.score_min": ("Skor minimum (0–1)", "Minimum score (0–1)"),
        "field.score_max": ("Skor maksimum (0–1)", "Maximum score (0–1)"),
        "field.dari": ("Ditemukan sejak", "Found from"),
        "field.sampai": ("Ditemukan sampai", "Found until"),
        "field.q": ("Cari teks", "Search text"),
        "field.sort": ("Urutkan", "Sort"),
        "field.region_hint": ("mis. 64.71", "e.g. 64.71"),
        "field.q_hint": ("kata, «frasa», #tagar", "words, «phrase», #hashtag"),
        "sort.score_desc": ("Skor tertinggi dulu", "Highest score first"),
        "sort.posted_desc": ("Unggahan terbaru dulu", "Newest post first"),
        "sort.posted_asc": ("Unggahan terlama dulu", "Oldest post first"),
        "sort.queue_age_desc": ("Paling lama di antrean dulu", "Longest in the queue first"),
        "sort.queue_age_asc": ("Paling baru di antrean dulu", "Newest in the queue first"),
        "col.select": ("Pilih", "Select"),
        "col.score": ("Skor", "Score"),
        "col.what": ("Kategori · status · platform", "Category · status · platform"),
        "col.post": ("Unggahan", "Post"),
        "col.person": ("Pemilik akun", "Account holder"),
        "col.assignees": ("Ditugaskan", "Assignees"),
        "col.age": ("Umur (batas {days} hari)", "Age ({days}-day limit)"),
        "col.size": ("Ukuran", "Size"),
        "col.sample": ("Contoh teks", "Sample text"),
        "col.accounts": ("Akun", "Accounts"),
        "col.act": ("Tindakan", "Action"),
        "age.day": ("hari ke-{day} dari {of}", "day {day} of {of}"),
        "age.warning": ("mendekati batas", "near the limit"),
        "age.overdue": ("lewat batas {of} hari", "past the {of}-day limit"),
        "age.found": ("ditemukan {when}", "found {when}"),
        "select.row": ("Pilih dugaan {n}: {who}", "Select dugaan {n}: {who}"),
        "select.all": ("Pilih semua di halaman ini", "Select all on this page"),
        "select.count": ("{n} dipilih", "{n} selected"),
        "bulk.title": ("Tindakan massal", "Bulk action"),
        "bulk.action": ("Tindakan", "Action"),
        "bulk.reason": ("Alasan (untuk tolak)", "Reason (to dismiss)"),
        "bulk.reason_none": ("— pilih bila menolak —", "— choose when dismissing —"),
        "bulk.note": (
            "Catatan (wajib untuk konfirmasi dan eskalasi)",
            "Note (needed to confirm or escalate)",
        ),
        "bulk.on_selected": ("Terapkan ke yang dipilih", "Apply to the selected"),
        "bulk.on_filter": (
            "Terapkan ke semua {n} yang cocok dengan saringan…",
            "Apply to all {n} matching the filters…",
        ),
        "bulk.on_group": ("Tindak kelompok ini", "Act on this group"),
        "bulk.group_help": (
            "Pilih tindakan di atas, lalu tekan «Tindak kelompok ini» pada baris kelompok.",
            "Choose the action above, then press «Act on this group» on a group's row.",
        ),
        "bulk.check_title": ("Periksa sebelum bertindak", "Check before acting"),
        "bulk.count": (
            "Tindakan ini akan mengenai {n} dugaan.",
            "This action will affect {n} dugaan.",
        ),
        "bulk.changed": (
            "Jumlahnya berubah sejak Anda memeriksa (tadinya {before}). Periksa lagi.",
            "The number changed since you checked (it was {before}). Check again.",
        ),
        "bulk.scope_filter": (
            "Sasaran: semua dugaan yang cocok dengan saringan antrean.",
            "Target: every dugaan that matches the queue's filters.",
        ),
        "bulk.scope_group": (
            "Sasaran: kelompok kampanye ({n} dugaan, {accounts} akun) dengan teks «{sample}».",
            "Target: the campaign group ({n} dugaan, {accounts} accounts) with the text «{sample}».",
        ),
        "bulk.what": ("Tindakan: {action}", "Action: {action}"),
        "bulk.with_reason": ("Alasan: {reason}", "Reason: {reason}"),
        "bulk.with_note": ("Catatan: {note}", "Note: {note}"),
        "bulk.go": ("Ya, terapkan ke {n} dugaan", "Yes, apply to {n} dugaan"),
        "bulk.cancel": ("Batal, kembali ke antrean", "Cancel, back to the queue"),
        "bulk.back": ("Kembali ke antrean", "Back to the queue"),
        "bulk.result_title": ("Hasil tindakan massal", "Bulk action result"),
        "bulk.done": ("Berhasil: {n} dugaan.", "Done: {n} dugaan."),
        "bulk.failed": ("Gagal: {n} dugaan.", "Failed: {n} dugaan."),
        "bulk.failures": ("Yang gagal dan sebabnya", "What failed and why"),
        "bulk.fail_404": ("tidak ditemukan", "not found"),
        "bulk.fail_409": (
            "status atau versinya sudah berubah; buka dugaan ini untuk memutuskan",
            "its status or version changed; open it to decide",
        ),
        "bulk.none_selected": (
            "Belum ada dugaan yang dipilih: centang baris, atau terapkan ke semua yang cocok.",
            "Nothing selected: tick rows, or apply to everything that matches.",
        ),
        "bulk.nothing": (
            "Tidak ada dugaan yang cocok: tidak ada yang diubah.",
            "No dugaan match: nothing was changed.",
        ),
        "bulk.bad_action": ("Pilih tindakan yang tersedia.", "Choose one of the actions."),
        "bulk.needs_note": (
            "Konfirmasi dan eskalasi memerlukan catatan.",
            "Confirming and escalating need a note.",
        ),
        "bulk.needs_reason": (
            "Menolak memerlukan alasan: pilih salah satu.",
            "Dismissing needs a reason: choose one.",
        ),
        "bulk.not_allowed": (
            "Peran Anda tidak boleh melakukan tindakan ini.",
            "Your role may not take this action.",
        ),
        "bulk.group_gone": (
            "Kelompok ini tidak ada lagi dalam antrean (antrean berubah). Muat ulang antrean.",
            "This group is no longer in the queue (the queue changed). Reload the queue.",
        ),
        "bulk.error": ("Tidak dapat dilanjutkan: {why}", "Cannot continue: {why}"),
        "campaign.total": (
            "{groups} kelompok dari {n} dugaan",
            "{groups} groups out of {n} dugaan",
        ),
        "campaign.scope": (
            "Pengelompokan memeriksa dugaan terbuka (baru, ditinjau) kecuali status dipilih,"
            " paling banyak {cap}.",
            "Grouping reads open dugaan (new, in review) unless a status is chosen, {cap} at most.",
        ),
        "campaign.truncated": (
            "Saringan cocok dengan lebih dari {cap} dugaan: hanya {cap} pertama yang"
            " dikelompokkan. Persempit saringan.",
            "The filters match more than {cap} dugaan: only the first {cap} were grouped."
            " Narrow the filters.",
        ),
        "campaign.size": ("{n} dugaan · {accounts} akun", "{n} dugaan · {accounts} accounts"),
        "campaign.campaign": ("kampanye salin-tempel", "copy-paste campaign"),
        "campaign.members": ("Lihat {n} dugaan", "See {n} dugaan"),
        "campaign.more": ("dan {n} lainnya", "and {n} more"),
        "campaign.caption": ("Kelompok dugaan menurut teks", "Dugaan grouped by text"),
    }
)


# ---------------------------------------------------------------------------------------------
# What a row shows


@dataclass(frozen=True)
class Clock:
    """An item's age against the reporting clock: day ``day`` of ``of`` since discovery."""

    day: int
    of: int
    level: str  # "", "warning" (the last days) or "overdue" (past the deadline); open items only


def clock(found: datetime, now: datetime, deadline_days: int, status: FlagStatus) -> Clock:
    day = max(0, int((now - found).total_seconds() // 86400)) + 1
    # The warning starts as many days before the deadline as day WARN_DAY is before day 7.
    warn_from = max(1, deadline_days - (7 - WARN_DAY))
    level = ""
    if status in OPEN:
        level = "overdue" if day > deadline_days else "warning" if day >= warn_from else ""
    return Clock(day=day, of=deadline_days, level=level)


@dataclass(frozen=True)
class Row:
    id: str  # the flag id (reviewers) or its pseudonym (dashboard)
    href: str | None  # the item page, for reviewers
    score: float
    category: Category
    status: FlagStatus
    platform: Platform
    origin: FlagOrigin
    text: str | None  # first TEXT_CHARS characters, reviewers only
    person: str | None  # name (reviewers) or pseudonymous id (dashboard)
    nip: str | None
    agency: str | None
    region: str | None
    assignees: list[str]
    found: datetime
    clock: Clock
    version: int | None


def excerpt(text: str, chars: int = TEXT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def item_href(flag_id: str, query_string: str) -> str:
    """The item page of a flag, carrying the queue's query so it can find the next item."""
    path = f"/ui/flags/{quote(flag_id, safe=':')}"
    return f"{path}?{query_string}" if query_string else path


def _region(name: str | None, code: str | None) -> str | None:
    if name and code:
        return f"{name} ({code})"
    return name or code


def rows_of(
    items: Sequence[FlagPublic | FlagDashboard], now: datetime, deadline_days: int, links: str
) -> list[Row]:
    rows = []
    for item in items:
        person = item.person
        if isinstance(item, FlagPublic):
            rows.append(
                Row(
                    id=item.id,
                    href=item_href(item.id, links),
                    score=item.probability,
                    category=item.category,
                    status=item.status,
                    platform=item.post.platform,
                    origin=item.origin,
                    text=excerpt(item.post.text),
                    person=person.name if isinstance(person, PersonPublic) else None,
                    nip=person.nip if isinstance(person, PersonPublic) else None,
                    agency=person.agency if person else None,
                    region=_region(person.region_name, person.region_code) if person else None,
                    assignees=list(item.assignees),
                    found=item.discovered_at,
                    clock=clock(item.discovered_at, now, deadline_days, item.status),
                    version=item.version,
                )
            )
        else:
            rows.append(
                Row(
                    id=item.id,
                    href=None,
                    score=item.probability,
                    category=item.category,
                    status=item.status,
                    platform=item.platform,
                    origin=item.origin,
                    text=None,
                    person=person.person_id if person else None,
                    nip=None,
                    agency=person.agency if person else None,
                    region=_region(person.region_name, person.region_code) if person else None,
                    assignees=[],
                    found=item.discovered_at,
                    clock=clock(item.discovered_at, now, deadline_days, item.status),
                    version=None,
                )
            )
    return rows


@dataclass(frozen=True)
class GroupRow:
    key: str
    size: int
    accounts: int
    sample: str | None  # reviewers only
    sample_href: str | None
    people: list[str]  # names (reviewers) or pseudonymous ids (dashboard), the first few
    more_people: int
    agencies: list[str]
    top_score: float
    clock: Clock  # of the oldest item
    found: datetime  # when the oldest item was found
    members: list[tuple[str, str]]  # (item page, words) for reviewers


def group_rows(
    groups: Sequence[Campaign],
    session: UiSession,
    key: bytes,
    now: datetime,
    deadline_days: int,
    links: str,
) -> list[GroupRow]:
    shown = []
    for group in groups:
        oldest = min(group.hits, key=lambda hit: hit.flag.created_at)
        names: list[str] = []
        for hit in group.hits:
            if session.personal:
                who = hit.person.name if hit.person else hit.post.account_handle
            else:
                person = dashboard_view(hit, key, deadline_days).person
                who = person.person_id if person else "—"
            if who not in names:
                names.append(who)
        agencies = sorted({hit.person.agency for hit in group.hits if hit.person})
        members = (
            [
                (
                    item_href(hit.flag.id, links),
                    f"{hit.person.name if hit.person else hit.post.account_handle}"
                    f" · {hit.flag.score.probability:.2f}",
                )
                for hit in group.hits[:MEMBERS_SHOWN]
            ]
            if session.personal
            else []
        )
        shown.append(
            GroupRow(
                key=group.key,
                size=group.size,
                accounts=group.accounts,
                sample=excerpt(group.sample.post.text) if session.personal else None,
                sample_href=item_href(group.sample.flag.id, links) if session.personal else None,
                people=names[:3],
                more_people=max(0, len(names) - 3),
                agencies=agencies,
                top_score=group.top_score,
                clock=clock(oldest.flag.created_at, now, deadline_days, oldest.flag.status),
                found=oldest.flag.created_at,
                members=members,
            )
        )
    return shown


# ---------------------------------------------------------------------------------------------
# Reading the query


def _zone(request: Request) -> ZoneInfo:
    return ZoneInfo(ZONES[preferences(request)[1]])


def read_query(
    request: Request, params: QueryParams, session: UiSession, now: datetime
) -> tuple[UiQuery, list[str]]:
    """The queue's query, and the personal filters a dashboard asked for (dropped: it may not
    search by text or reviewer, not even through the "my queue" view)."""
    refused: list[str] = []
    if not session.personal:
        refused = [name for name in PERSONAL_FILTERS if (params.get(name) or "").strip()]
        if params.get("view") == "saya":
            refused.append("view")
        if refused:
            params = QueryParams(
                [
                    (k, v)
                    for k, v in params.multi_items()
                    if k not in refused and not (k == "view" and v == "saya")
                ]
            )
    return parse(params, session.user.name, _zone(request), now), refused


def grouped(params: QueryParams) -> bool:
    return params.get("group") == "1"


def queue_link(query: UiQuery, group: bool, **changes: str | None) -> str:
    """The queue's address with this query (and grouping), ``changes`` applied."""
    text = query.query_string(group="1" if group else None, **changes)
    return f"/ui?{text}" if text else "/ui"


def _number(raw: str | None, lowest: int = 1) -> int:
    try:
        return max(lowest, int(raw or lowest))
    except ValueError:
        return lowest


# ---------------------------------------------------------------------------------------------
# The page


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
        context["agencies"], context["regions"] = _choices(store)
        if group:
            _fill_groups(request, session, store, query, now, deadline, links, context)
        else:
            _fill_rows(request, session, store, query, now, deadline, links, context)
    except StoreError:
        return render(request, "error.html", {"message": "queue.store_down"}, status=503)
    return render(request, "queue.html", context)


def _choices(store: Store) -> tuple[list[str], list[str]]:
    """Agencies and region codes in the queue, offered as suggestions in the filter form."""
    agencies = sorted(b.key for b in store.aggregate(None, by=AggregateBy.AGENCY) if b.key)
    regions = sorted(b.key for b in store.aggregate(None, by=AggregateBy.REGION) if b.key)
    return agencies[:300], regions[:300]


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
    number = _number(request.query_params.get("halaman"))
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


# ---------------------------------------------------------------------------------------------
# Bulk actions


@dataclass(frozen=True)
class Target:
    """The flags a bulk action would touch, and what to say about them."""

    ids: list[str]
    scope: str  # "ids", "filter" or "group"
    group: Campaign | None = None


def _decision(
    action: str, reason: str, note: str, session: UiSession
) -> tuple[Decision | None, str | None]:
    """The decision the form asks for, or the word key of what is wrong with it."""
    try:
        chosen = Action(action)
    except ValueError:
        return None, "bulk.bad_action"
    if chosen not in BULK_ACTIONS:
        return None, "bulk.bad_action"
    try:
        why = DismissReason(reason) if reason else None
    except ValueError:
        why = None
    decision = Decision(
        chosen, 1, note.strip()[:2000] or None, why if chosen is Action.DISMISS else None
    )
    try:
        check(decision, session.user)
    except NotAllowed:
        return None, "bulk.not_allowed"
    except ReviewError as exc:
        return None, {"note": "bulk.needs_note", "reason": "bulk.needs_reason"}.get(
            exc.field, "bulk.bad_action"
        )
    return decision, None


def _versions(raw: Sequence[str]) -> dict[str, int]:
    """``version:flag id`` pairs the page carried: the version each row was seen at."""
    seen = {}
    for value in raw:
        version, _, flag_id = value.partition(":")
        if version.isdigit() and flag_id:
            seen[flag_id] = int(version)
    return seen


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
    decision, problem = _decision(action, reason, note, session)
    if decision is None:
        context["problem"] = problem
        return render(request, "_queue_bulk.html", context, status=422)
    try:
        target = _target(store, asked, scope, group[:40], id or [], request.app.state.pseudonym_key)
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
    seen = _versions(versi or []) if target.scope == "ids" else {}
    try:
        outcomes = decide_many(store, target.ids, decision, seen, session.user)
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


def _target(
    store: Store, asked: UiQuery, scope: str, group: str, ids: Sequence[str], secret: bytes
) -> Target | str:
    """The flags named by the form, or the word key of why there are none."""
    if group:
        grouping: Grouping = campaigns(store, asked.filter, asked.q, asked.sort, secret=secret)
        found = grouping.find(group)
        if found is None:
            return "bulk.group_gone"
        return Target(found.flag_ids, "group", found)
    if scope == "filter":
        matched = [hit.flag.id for hit in each_hit(store, asked.filter, asked.q, asked.sort)]
        return Target(matched, "filter") if matched else "bulk.nothing"
    chosen = list(dict.fromkeys(i[:300] for i in ids if i.strip()))[:1000]
    return Target(chosen, "ids") if chosen else "bulk.none_selected"
