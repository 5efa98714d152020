"""One flag in full (``/ui/flags/{id}``): the post as it appeared, why it is in the queue (score,
signals raising or lowering it, matched names, nearest labelled examples), the evidence (payload
hash, capture, deletion, every edited version), the person and account, similar flags, the audit
trail, and the reviewer's actions (``POST …/aksi``) with the same rules and conflict handling as
``POST /api/v1/flags/{id}/actions``.

The item keeps the queue's query string: its previous/next links walk the same filtered view, and
after a decision the analyst lands on the next item of that view."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape

import api.routes.flags  # noqa: F401  (registers the ``flagid`` path convertor used below)
from api.schemas import FlagDetail, PersonPublic
from api.ui.filters import UiQuery, parse
from api.ui.render import ZONES, preferences, render
from api.ui.session import UiSession, check_csrf, role_in
from api.ui.text import WORDS, add_words, translate
from api.views import flag_detail
from netra.domain.access import LEADS, REVIEWERS
from netra.domain.models import FlagStatus, Post, ReviewEvent, Score, utcnow
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

# How far into a view the previous/next links look for the current item (one store query).
VIEW_WINDOW = 500
NOTE_MAX = 4000  # as the JSON API's ActionRequest
# What the item page's forms may ask for; assigning others stays in the queue's bulk actions.
UI_ACTIONS = frozenset(
    {Action.CLAIM, Action.CONFIRM, Action.DISMISS, Action.ESCALATE, Action.COMMENT, Action.REOPEN}
)
# After these the analyst moves on to the next item of the view.
MOVES_ON = frozenset({Action.CONFIRM, Action.DISMISS, Action.ESCALATE})
RAISES, LOWERS = "menaikkan skor", "menurunkan skor"
QUOTED = re.compile(r"«([^»]{1,300})»")

add_words(
    {
        "item.title": ("Dugaan {id}", "Dugaan {id}"),
        "item.heading": ("Dugaan: {category}", "Suspected case (dugaan): {category}"),
        "item.view_nav": ("Navigasi dalam tampilan", "Navigation within the view"),
        "item.prev": ("Sebelumnya (k)", "Previous (k)"),
        "item.next": ("Berikutnya (j)", "Next (j)"),
        "item.no_prev": ("Tidak ada item sebelumnya", "No previous item"),
        "item.no_next": ("Tidak ada item berikutnya", "No next item"),
        "item.position": ("Item {n} dari {total}", "Item {n} of {total}"),
        "item.position_more": ("Item {n} dari lebih dari {total}", "Item {n} of more than {total}"),
        "item.not_in_view": (
            "Item ini tidak (lagi) ada dalam tampilan ini.",
            "This item is not (or no longer) in this view.",
        ),
        "item.back": ("Kembali ke antrean", "Back to the queue"),
        "item.facts": ("Ringkasan", "Summary"),
        "item.status": ("Status", "Status"),
        "item.score": ("Skor", "Score"),
        "item.score_value": ("{p}% (ambang {th}%)", "{p}% (threshold {th}%)"),
        "item.category": ("Kategori", "Category"),
        "item.stance": ("Sikap", "Stance"),
        "item.origin": ("Asal", "Origin"),
        "item.platform": ("Platform", "Platform"),
        "item.assignees": ("Ditugaskan ke", "Assigned to"),
        "item.nobody": ("belum ada", "nobody yet"),
        "item.version": ("Versi", "Version"),
        "item.dossier": ("Berkas rujukan (cetak / PDF)", "Referral dossier (print / PDF)"),
        "item.discovered": ("Masuk antrean", "Entered the queue"),
        "item.deadline": ("Batas lapor", "Reporting limit"),
        "item.overdue": ("lewat batas", "past the limit"),
        "item.days_left": ("sisa {days} hari", "{days} days left"),
        "stance.support": ("mendukung", "supports"),
        "stance.oppose": ("menyerang/menentang", "attacks/opposes"),
        "stance.none": ("tidak ada", "none"),
        # the post
        "item.post": ("Unggahan", "Post"),
        "item.post_as_seen": (
            "Seperti saat dikumpulkan. Teks yang disorot memengaruhi skor.",
            "As it was when collected. Highlighted words affected the score.",
        ),
        "item.posted_at": ("Diunggah", "Posted"),
        "item.kind.post": ("unggahan", "post"),
        "item.kind.reply": ("balasan", "reply"),
        "item.kind.repost": ("unggah ulang", "repost"),
        "item.kind.quote": ("kutipan", "quote"),
        "item.kind.comment": ("komentar", "comment"),
        "item.media": ("Media terlampir (deskripsi)", "Attached media (descriptions)"),
        "item.counts": ("Interaksi saat dikumpulkan", "Engagement when collected"),
        "item.count.likes": ("suka", "likes"),
        "item.count.reposts": ("dibagikan", "reposts"),
        "item.count.replies": ("balasan", "replies"),
        "item.count.quotes": ("kutipan", "quotes"),
        "item.count.views": ("dilihat", "views"),
        "item.original": ("Buka unggahan asli", "Open the original post"),
        "item.new_tab": ("(tab baru)", "(new tab)"),
        "item.link_as_text": (
            "Tautan (bukan http/https, tidak dibuka)",
            "Link (not http/https, not opened)",
        ),
        "item.no_text": ("(tanpa teks)", "(no text)"),
        "item.deleted_banner": (
            "Unggahan ini sudah dihapus sejak {when}; buktinya tetap tersimpan di bawah.",
            "This post has been deleted since {when}; its evidence is kept below.",
        ),
        "item.edited_badge": ("diubah setelah dikumpulkan", "edited after capture"),
        # why
        "item.why": ("Mengapa masuk antrean", "Why it is in the queue"),
        "item.signals": ("Sinyal", "Signals"),
        "item.raises": ("▲ menaikkan skor", "▲ raises the score"),
        "item.lowers": ("▼ menurunkan skor", "▼ lowers the score"),
        "item.cue": ("● terdeteksi", "● detected"),
        "item.no_signals": ("Tidak ada sinyal tercatat.", "No signals recorded."),
        "item.entities": ("Nama dan nomor yang cocok", "Matched names and numbers"),
        "item.col.kind": ("Jenis", "Kind"),
        "item.col.value": ("Nilai", "Value"),
        "item.col.matched": ("Teks yang cocok", "Matched text"),
        "item.neighbours": ("Contoh berlabel terdekat", "Nearest labelled examples"),
        "item.col.text": ("Teks", "Text"),
        "item.col.label": ("Label", "Label"),
        "item.col.category": ("Kategori", "Category"),
        "item.col.similarity": ("Kemiripan", "Similarity"),
        "item.partisan": ("partisan", "partisan"),
        "item.not_partisan": ("tidak partisan", "not partisan"),
        "item.model": ("Model {version}, dinilai {when}", "Model {version}, scored {when}"),
        "entity.candidate": ("calon", "candidate"),
        "entity.party": ("partai", "party"),
        "entity.ballot_number": ("nomor urut", "ballot number"),
        "entity.slogan": ("slogan", "slogan"),
        "entity.hashtag": ("tagar", "hashtag"),
        # evidence
        "item.evidence": ("Bukti", "Evidence"),
        "item.sha": ("SHA-256 muatan", "Payload SHA-256"),
        "item.captured": ("Dikumpulkan", "Captured"),
        "item.checked": ("Terakhir diperiksa", "Last checked"),
        "item.never": ("belum pernah", "never"),
        "item.deleted": ("Dihapus sejak", "Deleted since"),
        "item.not_deleted": ("tidak tercatat dihapus", "not known to be deleted"),
        "item.mapping": ("Versi pemetaan", "Mapping version"),
        "item.edits": ("Perubahan sejak dikumpulkan", "Edits since capture"),
        "item.not_edited": ("Tidak ada perubahan sejak dikumpulkan.", "Not edited since capture."),
        "item.version_then": (
            "Versi {n} — dikumpulkan {at}, diganti {until}",
            "Version {n} — captured {at}, replaced {until}",
        ),
        "item.version_now": ("Sekarang — dikumpulkan {at}", "Now — captured {at}"),
        "item.raw": (
            "Muatan asli (JSON, ditampilkan sebagai teks)",
            "Original payload (JSON, shown as text)",
        ),
        "item.raw_cut": ("(dipotong)", "(truncated)"),
        "item.evidence_hidden": (
            "Bukti tidak ditampilkan untuk peran ini.",
            "Evidence is not shown to this role.",
        ),
        # person
        "item.person": ("Orang dan akun", "Person and account"),
        "item.name": ("Nama", "Name"),
        "item.nip": ("NIP", "NIP"),
        "item.employment": ("Status kepegawaian", "Employment"),
        "item.agency": ("Instansi", "Agency"),
        "item.unit": ("Unit kerja", "Unit"),
        "item.position_title": ("Jabatan", "Position"),
        "item.region": ("Wilayah", "Region"),
        "item.pseudonym": ("ID samaran", "Pseudonymous id"),
        "item.account": ("Akun", "Account"),
        "item.verified": ("Kepemilikan diverifikasi lewat", "Ownership verified by"),
        "item.account_status": ("Status akun", "Account status"),
        "item.no_person": (
            "Belum dikaitkan dengan ASN di registri.",
            "Not linked to an ASN in the registry.",
        ),
        "item.no_account": (
            "Akun ini tidak tercatat pada orang tersebut di registri.",
            "This account is not registered to that person.",
        ),
        "item.verify_first": (
            "Pastikan akun benar milik ASN ini sebelum merujuk.",
            "Make sure the account really belongs to this ASN before any referral.",
        ),
        "verified.self_declared": ("pernyataan sendiri", "self-declared"),
        "verified.agency_list": ("daftar dari instansi", "the agency's list"),
        "verified.analyst_verified": ("verifikasi analis", "an analyst's check"),
        "verified.unverified": ("belum diverifikasi", "not verified"),
        "account.active": ("aktif", "active"),
        "account.not_found": ("tidak ditemukan", "not found"),
        "account.suspended": ("ditangguhkan", "suspended"),
        "account.protected": ("dikunci", "protected"),
        # similar and history
        "item.similar": ("Dugaan serupa", "Similar flags"),
        "item.no_similar": ("Tidak ada dugaan serupa.", "No similar flags."),
        "item.history": ("Riwayat", "History"),
        "item.no_history": ("Belum ada tindakan.", "No actions yet."),
        "item.col.time": ("Waktu", "Time"),
        "item.col.actor": ("Oleh", "By"),
        "item.col.action": ("Tindakan", "Action"),
        "item.col.status": ("Status", "Status"),
        "item.col.reason": ("Alasan", "Reason"),
        "item.col.note": ("Catatan", "Note"),
        "item.assigned": ("ditugaskan: {names}", "assigned: {names}"),
        "item.unassigned": ("dilepas: {names}", "unassigned: {names}"),
        # actions
        "item.actions": ("Tindakan", "Actions"),
        "item.claim_btn": ("Ambil (a)", "Take (a)"),
        "item.claim_help": (
            "Tugaskan ke saya dan tandai sedang ditinjau.",
            "Assign it to me and mark it in review.",
        ),
        "item.confirm_btn": ("Konfirmasi (1)", "Confirm (1)"),
        "item.confirm_note": ("Catatan konfirmasi (wajib)", "Confirmation note (required)"),
        "item.dismiss_btn": ("Tolak (2)", "Dismiss (2)"),
        "item.escalate_btn": ("Eskalasi (3)", "Escalate (3)"),
        "item.escalate_note": ("Catatan eskalasi (wajib)", "Escalation note (required)"),
        "item.reopen_btn": ("Buka kembali", "Reopen"),
        "item.reopen_note": ("Alasan membuka kembali (wajib)", "Why reopen (required)"),
        "item.comment_btn": ("Simpan catatan", "Save note"),
        "item.comment_note": ("Catatan untuk riwayat", "Note for the history"),
        "item.note_hint": (
            "Tulis catatan singkat, lalu tekan Enter.",
            "Write a short note, then press Enter.",
        ),
        "item.dismiss_title": ("Tolak dugaan ini", "Dismiss this dugaan"),
        "item.reason": ("Alasan penolakan", "Reason for dismissal"),
        "item.reason_pick": ("— pilih alasan —", "— choose a reason —"),
        "item.dismiss_help": (
            "Pilih alasan dengan panah atas/bawah, lalu tekan Enter. Esc membatalkan.",
            "Choose a reason with the up/down arrows, then press Enter. Esc cancels.",
        ),
        "item.dismiss_note": ("Catatan (opsional)", "Note (optional)"),
        "item.dismiss_submit": ("Tolak", "Dismiss"),
        "item.cancel": ("Batal", "Cancel"),
        "item.decided": ("Sudah diputuskan: {status}.", "Already decided: {status}."),
        "item.done": ("Tersimpan: {action}.", "Saved: {action}."),
        "item.done_next": (
            "{id}: {action} tersimpan. Ini item berikutnya dalam tampilan.",
            "{id}: {action} saved. This is the next item in the view.",
        ),
        # errors and conflicts
        "item.err.note": ("Tindakan ini memerlukan catatan.", "This action needs a note."),
        "item.err.reason": ("Pilih alasan penolakan.", "Choose a reason for the dismissal."),
        "item.err.action": ("Tindakan tidak dikenal.", "Unknown action."),
        "item.err.version": (
            "Formulir tidak membawa versi yang sah; muat ulang halaman.",
            "The form carries no valid version; reload the page.",
        ),
        "item.err.too_long": (
            "Catatan terlalu panjang (paling banyak 4000 karakter).",
            "The note is too long (at most 4000 characters).",
        ),
        "item.err.not_allowed": (
            "Peran Anda tidak boleh melakukan tindakan ini.",
            "Your role may not take this action.",
        ),
        "item.err.other": ("Tindakan ditolak: {detail}", "Action refused: {detail}"),
        "item.stale_title": (
            "Dugaan ini sudah berubah sejak Anda membukanya",
            "This dugaan changed since you opened it",
        ),
        "item.stale_body": (
            "Tindakan Anda ({action}) belum disimpan. Periksa perubahannya, lalu putuskan lagi:"
            " formulir di halaman ini kini memakai versi terbaru.",
            "Your action ({action}) was not saved. Check what changed, then decide again: the"
            " forms on this page now carry the latest version.",
        ),
        "item.stale_wrong": (
            "Tindakan {action} tidak berlaku untuk dugaan berstatus {status}.",
            "The action {action} does not apply to a dugaan that is {status}.",
        ),
        "item.stale_version": ("Versi: {seen} → {now}", "Version: {seen} → {now}"),
        "item.stale_status": ("Status: {then} → {now}", "Status: {then} → {now}"),
        "item.stale_events": ("Perubahan sejak itu", "Changes since then"),
        "item.you": ("Anda", "you"),
    }
)


# -- the query string and the view ------------------------------------------------------------


def item_path(flag_id: str) -> str:
    """The item's path; ids keep their ``:`` and ``/`` (the ``flagid`` convertor takes both)."""
    return "/ui/flags/" + quote(flag_id, safe=":/@")


def with_query(path: str, query_string: str) -> str:
    return f"{path}?{query_string}" if query_string else path


def ui_query(request: Request, session: UiSession) -> UiQuery:
    _, zone = preferences(request)
    return parse(request.query_params, session.user.name, ZoneInfo(ZONES[zone]), utcnow())


@dataclass(frozen=True)
class ViewNav:
    """Where the item stands in the queue's filtered view (the first VIEW_WINDOW items)."""

    prev: str | None
    next: str | None
    position: int | None  # 1-based, None when the item is not among them
    total: int | None
    more: bool  # the view goes on past the window


def view_nav(store: Store, query: UiQuery, flag_id: str) -> ViewNav:
    try:
        page = store.search_flags(query.filter, q=query.q, sort=query.sort, limit=VIEW_WINDOW)
    except ValueError:  # a query the store refuses: no neighbours rather than an error page
        return ViewNav(None, None, None, None, False)
    ids = [hit.flag.id for hit in page.items]
    total = page.total if page.total is not None else len(ids)
    more = page.next_cursor is not None and page.total is None
    if flag_id in ids:
        at = ids.index(flag_id)
        return ViewNav(
            ids[at - 1] if at > 0 else None,
            ids[at + 1] if at + 1 < len(ids) else None,
            at + 1,
            total,
            more,
        )
    # Not in the view (decided meanwhile, or opened from elsewhere): its first item is next.
    return ViewNav(None, next((i for i in ids if i != flag_id), None), None, total, more)


# -- the post card ------------------------------------------------------------------------------


def _at(payload: Any, *path: str | int) -> Any:
    for step in path:
        if (
            isinstance(step, int)
            and isinstance(payload, list)
            and -len(payload) <= step < len(payload)
        ):
            payload = payload[step]
        elif isinstance(step, str) and isinstance(payload, dict):
            payload = payload.get(step)
        else:
            return None
    return payload


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# Where each platform's payload keeps the author's display name and the counts (collectors/ maps
# them; these are read only where the stored post lacks them). A boost or repost names the
# account that shared it first.
NAME_PATHS: tuple[tuple[str | int, ...], ...] = (
    ("author", "name"),  # X v2 expanded author, file imports
    ("author", "displayName"),
    ("author", "display_name"),
    ("tweet", "author", "name"),
    ("user", "name"),
    ("includes", "users", 0, "name"),
    ("reason", "by", "displayName"),  # Bluesky repost: who reposted
    ("post", "author", "displayName"),  # Bluesky
    ("account", "display_name"),  # Mastodon (the booster on a boost)
    ("snippet", "channelTitle"),  # YouTube
    ("post_owner", "name"),  # Meta Content Library
    ("display_name",),
)
COUNT_PATHS: dict[str, tuple[tuple[str | int, ...], ...]] = {
    "likes": (
        ("public_metrics", "like_count"),
        ("tweet", "public_metrics", "like_count"),
        ("post", "likeCount"),
        ("reblog", "favourites_count"),
        ("favourites_count",),
        ("statistics", "likeCount"),
        ("statistics", "reaction_count"),
        ("statistics", "like_count"),
        ("like_count",),
        ("likeCount",),
    ),
    "reposts": (
        ("public_metrics", "retweet_count"),
        ("tweet", "public_metrics", "retweet_count"),
        ("post", "repostCount"),
        ("reblog", "reblogs_count"),
        ("reblogs_count",),
        ("statistics", "share_count"),
        ("share_count",),
        ("repostCount",),
    ),
    "replies": (
        ("public_metrics", "reply_count"),
        ("tweet", "public_metrics", "reply_count"),
        ("post", "replyCount"),
        ("reblog", "replies_count"),
        ("replies_count",),
        ("statistics", "commentCount"),
        ("statistics", "comment_count"),
        ("comment_count",),
        ("replyCount",),
    ),
    "quotes": (
        ("public_metrics", "quote_count"),
        ("tweet", "public_metrics", "quote_count"),
        ("post", "quoteCount"),
    ),
    "views": (
        ("public_metrics", "impression_count"),
        ("tweet", "public_metrics", "impression_count"),
        ("statistics", "viewCount"),
        ("statistics", "views"),
        ("view_count",),
    ),
}


def display_name(raw: dict[str, Any]) -> str | None:
    for path in NAME_PATHS:
        value = _at(raw, *path)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return None


def engagement(post: Post, raw: dict[str, Any]) -> list[tuple[str, int]]:
    """(kind, count) as stored with the post, else as the payload has them; unknown ones left out."""
    stored = post.engagement
    found = []
    for kind, paths in COUNT_PATHS.items():
        value = getattr(stored, kind)
        if value is None:
            value = next((c for p in paths if (c := _count(_at(raw, *p))) is not None), None)
        if value is not None:
            found.append((kind, value))
    return found


def safe_link(url: str | None) -> str | None:
    """Only web links become links: a report's ``javascript:`` URL stays text."""
    if url and re.match(r"^https?://[^\s]+$", url, re.IGNORECASE):
        return url
    return None


# -- the explanation ----------------------------------------------------------------------------


def cue_words(score: Score) -> list[str]:
    """What to mark in the text: the matched entities and the cue words quoted in the signals."""
    words = [e.matched for e in score.entities]
    for signal in score.signals:
        for quoted in QUOTED.findall(signal):
            words += quoted.split(",")
    seen: dict[str, str] = {}
    for word in words:
        word = word.strip()
        if len(word) >= 2:
            seen.setdefault(word.casefold(), word)
    return sorted(seen.values(), key=len, reverse=True)


def highlight(text: str, words: list[str]) -> Markup:
    """``text`` escaped, with each (case-insensitive) occurrence of ``words`` in ``<mark>``:
    spans are found in the plain text, merged where they overlap, and every piece is escaped,
    so neither the post nor the words can inject markup or break an entity."""
    spans: list[tuple[int, int]] = []
    for word in words:
        start = r"(?<!\w)" if word[0].isalnum() else ""
        for found in re.finditer(start + re.escape(word), text, re.IGNORECASE):
            if found.end() > found.start():
                spans.append(found.span())
    merged: list[list[int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    pieces: list[Markup] = []
    at = 0
    for begin, end in merged:
        pieces.append(escape(text[at:begin]))
        pieces.append(Markup("<mark>%s</mark>") % text[begin:end])
        at = end
    pieces.append(escape(text[at:]))
    return Markup("").join(pieces)


@dataclass(frozen=True)
class Signal:
    direction: str  # "up", "down" or "cue"
    text: str  # the signal without its direction words


def signals(score: Score) -> list[Signal]:
    read = []
    for signal in score.signals:
        text = signal.strip()
        if text.endswith(RAISES):
            read.append(Signal("up", text.removesuffix(RAISES).strip()))
        elif text.endswith(LOWERS):
            read.append(Signal("down", text.removesuffix(LOWERS).strip()))
        else:
            read.append(Signal("cue", text))
    return read


# -- a conflict ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stale:
    """What changed between the version the reviewer decided on and now (the 409 banner)."""

    action: str
    seen: int
    now: int
    then_status: FlagStatus
    now_status: FlagStatus
    assignees: list[str]
    events: list[ReviewEvent]
    wrong_state: bool


def stale(
    hit: FlagHit, history: list[ReviewEvent], action: Action, seen: int, wrong: bool
) -> Stale:
    since = [e for e in history if e.version is not None and e.version > seen]
    if not since:  # nothing newer (the status itself refused the action): the latest events
        since = history[-3:]
    then = next((e.from_status for e in since if e.from_status is not None), hit.flag.status)
    return Stale(
        action=action.value,
        seen=seen,
        now=hit.flag.version,
        then_status=then,
        now_status=hit.flag.status,
        assignees=list(hit.flag.assignees),
        events=since[-10:],
        wrong_state=wrong,
    )


# -- the page -----------------------------------------------------------------------------------


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
    nav = view_nav(store, query, flag.id)
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
        "counts": engagement(post, raw),
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
    upcoming = view_nav(store, query, flag_id).next if chosen in MOVES_ON else None
    seen = int(version)
    decision = Decision(chosen, seen, note.strip() or None, why, [])
    try:
        decide(store, flag_id, decision, session.user)
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
