"""What a referral dossier says, in the reader's words and time zone: the ``Berkas`` the page
and the PDF both draw, section by section."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from api.ui.render import ZONES
from api.ui.text import translate
from netra.domain.labels import label
from netra.domain.models import Flag, Person, Post, ReviewEvent, SocialAccount
from netra.dossier import CATEGORY_NAMES, LEGAL_BASIS, build_dossier


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
