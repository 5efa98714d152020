"""The referral dossier (berkas rujukan) of one confirmed or escalated flag, as a printable page
(``/ui/flags/{id}/berkas``) and as a PDF (``…/berkas.pdf``).

Both are built from ``netra.dossier.build_dossier`` — what the JSON API's dossier holds — with
every code put into words in the reader's language and times in the reader's zone. The page and
the PDF draw the same ``Berkas`` in the same order of sections. Reviewer roles only: a dossier
names the person. It states a *dugaan*, never a verdict."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.routes import flags as flag_routes
from api.ui.pdf import dossier_pdf as make_pdf
from api.ui.render import ZONES, preferences, render
from api.ui.session import UiSession, role_in
from api.ui.text import add_words, translate
from netra.domain.access import REVIEWERS
from netra.domain.labels import label
from netra.domain.models import Flag, Person, Post, ReviewEvent, SocialAccount, utcnow
from netra.dossier import CATEGORY_NAMES, LEGAL_BASIS, NotReferable, build_dossier
from netra.store.base import Store

router = APIRouter()
Reviewer = Annotated[UiSession, Depends(role_in(REVIEWERS))]
# The web UI's sub-resources of a flag must be ones the flag-id converter stops before.
assert {"berkas", "berkas.pdf"} <= set(flag_routes.SUB_RESOURCES)
MAX_ID = 300

add_words(
    {
        "dossier.title": (
            "Berkas rujukan dugaan ketidaknetralan ASN",
            "Referral dossier: suspected ASN partisanship (dugaan)",
        ),
        "dossier.statement": (
            "Berkas ini memuat dugaan (bukan putusan). Penilaian dan penjatuhan sanksi menjadi"
            " kewenangan BKN dan Pejabat Pembina Kepegawaian.",
            "This dossier sets out a suspected case (dugaan), not a verdict. Judging it and"
            " imposing any sanction are for BKN and the Pejabat Pembina Kepegawaian.",
        ),
        "dossier.print": ("Cetak", "Print"),
        "dossier.pdf": ("Unduh PDF", "Download PDF"),
        "dossier.back": ("Kembali ke item", "Back to the item"),
        "dossier.number": ("Nomor berkas", "Dossier number"),
        "dossier.status": ("Status", "Status"),
        "dossier.origin": ("Asal dugaan", "Origin"),
        "dossier.deadline": ("Batas pelaporan", "Reporting deadline"),
        "dossier.deadline_days": (
            "{date} ({days} hari sejak diketahui)",
            "{date} ({days} days after discovery)",
        ),
        "dossier.deadline_passed": ("sudah lewat", "already passed"),
        "dossier.printed": ("Berkas dibuat", "Dossier made"),
        "dossier.person": ("Terlapor", "Reported person"),
        "dossier.no_person": (
            "Akun belum tertaut ke ASN di registri.",
            "The account is not linked to an ASN in the registry.",
        ),
        "dossier.name": ("Nama", "Name"),
        "dossier.nip": ("NIP", "NIP"),
        "dossier.employment": ("Jenis kepegawaian", "Employment type"),
        "dossier.agency": ("Instansi / unit", "Agency / unit"),
        "dossier.position": ("Jabatan", "Position"),
        "dossier.region": ("Wilayah", "Region"),
        "dossier.account": ("Akun dan tempat kejadian", "Account and where it happened"),
        "dossier.platform": ("Platform", "Platform"),
        "dossier.handle": ("Akun", "Account"),
        "dossier.profile": ("Profil", "Profile"),
        "dossier.ownership": ("Verifikasi kepemilikan akun", "Account ownership verification"),
        "dossier.account_status": ("Status akun", "Account status"),
        "dossier.post_link": ("Tautan unggahan", "Link to the post"),
        "dossier.event": ("Peristiwa yang diduga", "What is suspected"),
        "dossier.category": ("Kategori", "Category"),
        "dossier.category_desc": ("Uraian", "Description"),
        "dossier.legal": ("Dasar hukum", "Legal basis"),
        "dossier.posted": ("Diunggah", "Posted"),
        "dossier.known": ("Diketahui", "Became known"),
        "dossier.post": ("Unggahan", "The post"),
        "dossier.kind": ("Jenis unggahan", "Kind of post"),
        "dossier.media": ("Media", "Media"),
        "dossier.no_media": ("tanpa media", "no media"),
        "dossier.open_post": ("Buka unggahan asli", "Open the original post"),
        "dossier.evidence": ("Bukti", "Evidence"),
        "dossier.hash": ("SHA-256 payload", "SHA-256 of the payload"),
        "dossier.collected": ("Waktu pengambilan", "Captured at"),
        "dossier.mapping": ("Versi pemetaan", "Mapping version"),
        "dossier.deleted": ("Terhapus sejak", "Deleted since"),
        "dossier.still_up": (
            "masih tayang pada pemeriksaan terakhir",
            "still up at the last check",
        ),
        "dossier.payload_kept": (
            "Payload asli platform disimpan apa adanya; hash di atas dihitung darinya saat"
            " pengambilan.",
            "The platform's original payload is kept verbatim; the hash above was computed"
            " from it at capture.",
        ),
        "dossier.versions": ("Versi sebelumnya", "Earlier versions"),
        "dossier.version_at": ("diambil {at}, SHA-256 {sha}", "captured {at}, SHA-256 {sha}"),
        "dossier.history": ("Riwayat peninjauan", "Review history"),
        "dossier.no_history": ("Belum ada catatan peninjauan.", "No review entries yet."),
        "dossier.when": ("Waktu", "When"),
        "dossier.who": ("Oleh", "By"),
        "dossier.action": ("Tindakan", "Action"),
        "dossier.reason": ("Alasan", "Reason"),
        "dossier.note": ("Catatan", "Note"),
        "dossier.to_status": ("menjadi {status}", "now {status}"),
        "dossier.model": ("Penilaian model", "The model's assessment"),
        "dossier.model_text": (
            "Skor model {score} (versi {version}) hanya alat bantu penapisan, bukan bukti.",
            "Model score {score} (version {version}) is a screening aid only, not evidence.",
        ),
        "dossier.witness": ("Saksi", "Witnesses"),
        "dossier.witness_help": ("Diisi oleh analis.", "To be filled in by the analyst."),
        "dossier.zone": ("Waktu dalam {zone}.", "Times in {zone}."),
        "dossier.page": ("Halaman {n} dari {total}", "Page {n} of {total}"),
        "dossier.refused_title": ("Berkas belum dapat dibuat", "No dossier yet"),
        "dossier.refused": (
            "Berkas rujukan hanya dibuat untuk dugaan yang sudah dikonfirmasi atau dieskalasi."
            " Status item ini: {status}. Putuskan item ini dulu di halaman item.",
            "A referral dossier is made only for a dugaan that was confirmed or escalated."
            " This item is {status}. Decide it first on the item's page.",
        ),
        "dossier.verify.self_declared": (
            "diakui sendiri oleh ASN yang bersangkutan",
            "declared by the ASN themself",
        ),
        "dossier.verify.agency_list": (
            "tercantum dalam daftar akun resmi instansi",
            "on the agency's list of official accounts",
        ),
        "dossier.verify.analyst_verified": (
            "diverifikasi oleh analis",
            "verified by an analyst",
        ),
        "dossier.verify.unverified": (
            "belum diverifikasi — periksa kepemilikan akun sebelum merujuk",
            "not verified — check who owns the account before referring",
        ),
        "dossier.account.active": ("aktif", "active"),
        "dossier.account.not_found": ("tidak ditemukan", "not found"),
        "dossier.account.suspended": ("ditangguhkan platform", "suspended by the platform"),
        "dossier.account.protected": ("dikunci (privat)", "protected (private)"),
        "dossier.kind.post": ("unggahan", "post"),
        "dossier.kind.reply": ("balasan", "reply"),
        "dossier.kind.repost": ("unggah ulang", "repost"),
        "dossier.kind.quote": ("kutipan", "quote"),
        "dossier.kind.comment": ("komentar", "comment"),
    }
)


@dataclass(frozen=True)
class Fact:
    """One line of a section: what it is, and its value in words."""

    label: str
    value: str
    kind: str = "text"  # "code" (hashes, ids) or "link" (a web address)


@dataclass(frozen=True)
class HistoryRow:
    when: str
    who: str
    action: str
    reason: str
    note: str


@dataclass(frozen=True)
class PostCard:
    author: str
    handle: str
    platform: str
    posted: str
    kind: str
    text: str
    media: list[str]
    url: str | None


@dataclass
class Berkas:
    """The dossier in words, for the page and the PDF alike."""

    flag_id: str
    title: str
    statement: str
    status: str
    header: list[Fact]
    person: list[Fact] | None
    account: list[Fact]
    event: list[Fact]
    post: PostCard
    evidence: list[Fact]
    versions: list[Fact]
    history: list[HistoryRow]
    model_note: str
    zone_note: str
    words: dict[str, str] = field(default_factory=dict)  # section titles and fixed phrases


def _web_address(url: str | None) -> str | None:
    """Only http(s) addresses become links."""
    return url if url and re.match(r"^https?://", url, re.IGNORECASE) else None


def _account_of(person: Person | None, post: Post) -> SocialAccount | None:
    if person is None:
        return None
    return next(
        (
            a
            for a in person.accounts
            if a.platform is post.platform and a.handle.lower() == post.account_handle.lower()
        ),
        None,
    )


def berkas(
    flag: Flag,
    post: Post,
    person: Person | None,
    history: list[ReviewEvent],
    *,
    zone_abbr: str,
    deadline_days: int,
    lang: str,
    now: datetime,
) -> Berkas:
    """The dossier of a referable flag (``NotReferable`` otherwise) in the reader's words."""
    zone_name = ZONES[zone_abbr]
    zone = ZoneInfo(zone_name)
    data = build_dossier(flag, post, person, history, zone_name, deadline_days)

    def t(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    def local(moment: datetime | None) -> str:
        if moment is None:
            return "—"
        return f"{moment.astimezone(zone).strftime('%d-%m-%Y %H:%M')} {zone_abbr}"

    deadline = flag.created_at + timedelta(days=deadline_days)
    deadline_text = t("dossier.deadline_days", date=local(deadline), days=deadline_days)
    if deadline < now:
        deadline_text += f" — {t('dossier.deadline_passed')}"
    status = label("status", flag.status.value, lang)
    header = [
        Fact(t("dossier.number"), flag.id, "code"),
        Fact(t("dossier.status"), status),
        Fact(t("dossier.origin"), label("origin", flag.origin.value, lang)),
        Fact(t("dossier.deadline"), deadline_text),
        Fact(t("dossier.printed"), local(now)),
    ]
    person_facts = None
    terlapor = data["terlapor"]
    if terlapor is not None and person is not None:
        agency = person.agency + (f" — {person.unit}" if person.unit else "")
        person_facts = [
            Fact(t("dossier.name"), terlapor["nama"]),
            Fact(t("dossier.nip"), terlapor["nip"], "code"),
            Fact(t("dossier.employment"), terlapor["jenis_kepegawaian"]),
            Fact(t("dossier.agency"), agency),
            Fact(t("dossier.position"), terlapor["jabatan"] or "—"),
            Fact(t("dossier.region"), terlapor["wilayah"]),
        ]
    account = _account_of(person, post)
    verified = account.verified_by.value if account else "unverified"
    platform = label("platform", post.platform.value, lang)
    account_facts = [
        Fact(t("dossier.platform"), platform),
        Fact(t("dossier.handle"), post.account_handle),
        Fact(t("dossier.ownership"), t(f"dossier.verify.{verified}")),
    ]
    profile = _web_address(data["akun"]["tautan_profil"])
    if profile:
        account_facts.append(Fact(t("dossier.profile"), profile, "link"))
    if account is not None:
        account_facts.append(
            Fact(t("dossier.account_status"), t(f"dossier.account.{account.status.value}"))
        )
    post_url = _web_address(post.url)
    account_facts.append(
        Fact(t("dossier.post_link"), post_url or (post.url or "—"), "link" if post_url else "text")
    )
    category = flag.category
    event = [
        Fact(t("dossier.category"), label("category", category.value, lang)),
        Fact(t("dossier.category_desc"), CATEGORY_NAMES[category]),
        Fact(t("dossier.legal"), LEGAL_BASIS[category]),
        Fact(t("dossier.posted"), local(post.created_at)),
        Fact(t("dossier.known"), local(flag.created_at)),
    ]
    card = PostCard(
        author=person.name if person else post.account_handle,
        handle=post.account_handle,
        platform=platform,
        posted=local(post.created_at),
        kind=t(f"dossier.kind.{post.kind.value}"),
        text=post.text,
        media=list(post.media),
        url=post_url,
    )
    evidence = [
        Fact(t("dossier.hash"), data["bukti"]["sha256_payload"] or "—", "code"),
        Fact(t("dossier.collected"), local(post.collected_at)),
        Fact(t("dossier.mapping"), data["bukti"]["versi_pemetaan"]),
        Fact(
            t("dossier.deleted"),
            local(post.deleted_at) if post.deleted_at else t("dossier.still_up"),
        ),
    ]
    versions = [
        Fact(
            t("dossier.version_at", at=local(v.collected_at), sha=v.raw_sha256 or "—"),
            v.text,
        )
        for v in post.edit_history
    ]
    rows = []
    for e in history:
        action = label("action", e.action, lang)
        if e.to_status is not None:
            action += (
                f" ({t('dossier.to_status', status=label('status', e.to_status.value, lang))})"
            )
        rows.append(
            HistoryRow(
                when=local(e.at),
                who=e.actor,
                action=action,
                reason=label("reason", e.reason, lang) if e.reason else "—",
                note=e.note or "—",
            )
        )
    words = {
        key: t(f"dossier.{key}")
        for key in (
            "title", "person", "no_person", "account", "event", "post", "media", "no_media",
            "open_post", "evidence", "payload_kept", "versions", "history", "no_history", "when",
            "who", "action", "reason", "note", "model", "witness", "witness_help",
        )
    }  # fmt: skip
    return Berkas(
        flag_id=flag.id,
        title=t("dossier.title"),
        statement=data["pernyataan"] if lang == "id" else t("dossier.statement"),
        status=status,
        header=header,
        person=person_facts,
        account=account_facts,
        event=event,
        post=card,
        evidence=evidence,
        versions=versions,
        history=rows,
        model_note=t(
            "dossier.model_text",
            score=f"{flag.score.probability:.2f}",
            version=flag.score.model_version,
        ),
        zone_note=t("dossier.zone", zone=f"{zone_abbr} ({zone_name})"),
        words=words,
    )


def safe_name(flag_id: str) -> str:
    """A file name part from a flag id: letters, digits, dot, dash and underscore only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", flag_id).strip("-.") or "berkas"


def item_path(flag_id: str) -> str:
    return "/ui/flags/" + quote(flag_id, safe=":/@")


def _load(request: Request, flag_id: str) -> tuple[Berkas | None, Response | None]:
    store: Store = request.app.state.store
    settings = request.app.state.settings
    lang, zone_abbr = preferences(request)
    flag = store.get_flag(flag_id) if len(flag_id) <= MAX_ID else None
    post = store.get_post(flag_id) if flag else None
    if flag is None or post is None:
        return None, render(request, "error.html", {"message": "error.not_found"}, status=404)
    person = store.get_person(post.person_nip) if post.person_nip else None
    try:
        made = berkas(
            flag,
            post,
            person,
            store.history(flag_id),
            zone_abbr=zone_abbr,
            deadline_days=settings.report_deadline_days,
            lang=lang,
            now=utcnow(),
        )
    except NotReferable:
        context: dict[str, Any] = {
            "refused": label("status", flag.status.value, lang),
            "flag_id": flag_id,
            "item_path": item_path(flag_id),
        }
        return None, render(request, "dossier_page.html", context, status=409)
    return made, None


@router.get("/ui/flags/{flag_id:flagid}/berkas", response_class=HTMLResponse)
def dossier_page(flag_id: str, request: Request, session: Reviewer) -> Response:
    made, refusal = _load(request, flag_id)
    if made is None:
        assert refusal is not None
        return refusal
    return render(
        request,
        "dossier_page.html",
        {
            "refused": None,
            "b": made,
            "flag_id": flag_id,
            "item_path": item_path(flag_id),
            "pdf_path": item_path(flag_id) + "/berkas.pdf",
        },
    )


@router.get("/ui/flags/{flag_id:flagid}/berkas.pdf")
def dossier_pdf(flag_id: str, request: Request, session: Reviewer) -> Response:
    made, refusal = _load(request, flag_id)
    if made is None:
        assert refusal is not None
        return refusal
    lang, _ = preferences(request)
    body = make_pdf(made, lang)
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="berkas-{safe_name(flag_id)}.pdf"'},
    )
