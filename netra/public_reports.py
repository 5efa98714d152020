"""Reports the public sends through the web form (``/lapor``).

A report enters the pipeline exactly as ``netra report`` enters it (``pipeline.submit_report``):
it is stored as a post of the ``report`` platform, its contact apart from it, and the next scoring
run puts it in the review queue with the origin ``public_report`` whatever its score. On top of
that the form's report gets a receipt number (``LPR-`` and 10 random base32 characters, 50 bits)
to follow it up with, and its screenshot is kept as a file under ``NETRA_VAR_DIR/reports/``
(a random name, mode 0600) with its SHA-256.

What the public sees of a report afterwards is one coarse state (received, in review, decided);
the reporter's contact is seen by supervisors and admins only (:func:`contact_for`).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from collectors.files import PublicReport
from netra.domain.access import LEADS
from netra.domain.models import FlagStatus, Role
from netra.domain.settings import Settings
from netra.pipeline.files import submit_report
from netra.store.base import ReportReceipt, Store

RECEIPT_PREFIX = "LPR-"
RECEIPT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # base32: no 0/1/8/9 to confuse with O/I/B/g
RECEIPT_LENGTH = 10
_RECEIPT = re.compile(r"LPR-[A-Z2-7]{10}")
REPORTS_DIR = "reports"
# The file types a screenshot may have, by what its first bytes say (never the client's word).
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:png|jpg|webp)")

# The longest each field may be, in characters.
MAX_URL = 2000
MAX_TEXT = 5000
MAX_NOTE = 2000
MAX_CONTACT = 200

_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")
_PHONE = re.compile(r"\+?[0-9]{8,15}")
_PHONE_SEPARATORS = re.compile(r"[\s().-]")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


class ReportState(StrEnum):
    """What the public learns of a report: nothing about who reviews it or what they wrote."""

    RECEIVED = "received"  # stored; the next scoring run puts it in the analysts' queue
    IN_REVIEW = "in_review"  # in the queue: new, being reviewed or escalated
    DECIDED = "decided"  # confirmed or dismissed


DECIDED = frozenset({FlagStatus.CONFIRMED, FlagStatus.DISMISSED})


@dataclass(frozen=True)
class Screenshot:
    """An uploaded image whose type was recognised from its bytes (``png``, ``jpg``, ``webp``)."""

    data: bytes
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in IMAGE_TYPES:
            raise ValueError(f"not an accepted image type: {self.kind!r}")


@dataclass(frozen=True)
class WebReport:
    url: str
    text: str | None = None
    note: str | None = None
    contact: str | None = None
    screenshot: Screenshot | None = None


def image_kind(head: bytes) -> str | None:
    """``png``, ``jpg`` or ``webp`` when the bytes begin as such a file does, else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def url_problem(url: str) -> str | None:
    """Why ``url`` is not accepted as the address of a public post, or None.

    Any public web address is accepted, not only the platforms Netra collects: ASN partisanship
    is also reported from WhatsApp channels, Threads, Facebook groups or blogs, and a report is
    never lost for its platform (``report_owner`` still links the URLs of registered accounts).
    Netra never fetches the address; analysts open it. So it must be http(s) with a public
    host name: no credentials in it (``https://x.com@elsewhere``), no IP address, no local name."""
    if not url:
        return "missing"
    if len(url) > MAX_URL:
        return "too_long"
    if _CONTROL.search(url):
        return "not_url"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return "not_url"
    if parts.scheme not in ("http", "https") or not host:
        return "not_url"
    if parts.username is not None or parts.password is not None:
        return "credentials"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return "not_public"
    if "." not in host.strip(".") or host.endswith((".local", ".localhost", ".internal")):
        return "not_public"
    return None


def contact_problem(contact: str) -> str | None:
    """An e-mail address or a phone number (8–15 digits, spaces, dashes and brackets allowed)."""
    if len(contact) > MAX_CONTACT:
        return "too_long"
    if _EMAIL.fullmatch(contact) or _PHONE.fullmatch(_PHONE_SEPARATORS.sub("", contact)):
        return None
    return "not_contact"


def problems(report: WebReport) -> dict[str, str]:
    """Field name → what is wrong with it (a code), for every field that is not acceptable."""
    found: dict[str, str] = {}
    url_wrong = url_problem(report.url)
    if url_wrong:
        found["url"] = url_wrong
    if report.text and len(report.text) > MAX_TEXT:
        found["text"] = "too_long"
    if report.note and len(report.note) > MAX_NOTE:
        found["note"] = "too_long"
    contact_wrong = contact_problem(report.contact) if report.contact else None
    if contact_wrong:
        found["contact"] = contact_wrong
    return found


def new_receipt() -> str:
    return RECEIPT_PREFIX + "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normal_receipt(text: str | None) -> str | None:
    """A receipt number as a person may type it (spaces, lower case), or None if it cannot be
    one."""
    value = re.sub(r"\s+", "", text or "").upper()
    if value and not value.startswith(RECEIPT_PREFIX):
        value = RECEIPT_PREFIX + value
    return value if _RECEIPT.fullmatch(value) else None


def reports_dir(settings: Settings) -> Path:
    return settings.var_dir / REPORTS_DIR


def _keep_screenshot(settings: Settings, shot: Screenshot) -> tuple[str, str]:
    """Write the file under a random name, readable by Netra's user only; (name, SHA-256)."""
    folder = reports_dir(settings)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{shot.kind}"
    descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(shot.data)
    except BaseException:
        (folder / name).unlink(missing_ok=True)
        raise
    return name, hashlib.sha256(shot.data).hexdigest()


def receive(store: Store, settings: Settings, report: WebReport) -> ReportReceipt:
    """Store a report from the form: the post (as ``netra report`` does), its screenshot and its
    receipt. Raises ValueError when the report is not acceptable (see :func:`problems`)."""
    wrong = problems(report)
    if wrong:
        raise ValueError(", ".join(f"{field}: {code}" for field, code in wrong.items()))
    receipt = new_receipt()
    while store.report_receipt(receipt) is not None:  # 2^50 numbers: practically never
        receipt = new_receipt()
    name, digest = (
        _keep_screenshot(settings, report.screenshot) if report.screenshot else (None, None)
    )
    try:
        post = submit_report(
            store,
            PublicReport(
                url=report.url,
                text=report.text or None,
                screenshot_description=None,  # the image itself is kept; nobody described it
                reporter_note=report.note or None,
                reporter_contact=report.contact or None,
            ),
        )
        record = ReportReceipt(receipt, post.id, post.collected_at, name, digest)
        store.save_report_receipt(record)
    except BaseException:
        if name:
            (reports_dir(settings) / name).unlink(missing_ok=True)
        raise
    return record


def state_of(store: Store, receipt: str) -> ReportState | None:
    """The coarse state of the report with this receipt number; None when there is none."""
    number = normal_receipt(receipt)
    record = store.report_receipt(number) if number else None
    if record is None:
        return None
    flag = store.get_flag(record.post_id)
    if flag is None:
        return ReportState.RECEIVED
    return ReportState.DECIDED if flag.status in DECIDED else ReportState.IN_REVIEW


def contact_for(store: Store, flag_id: str, role: Role) -> str | None:
    """The reporter's confidential contact for a supervisor or an admin; None for every other role
    (analysts included) and when the reporter left none."""
    if role not in LEADS:
        return None
    return store.get_report_contact(flag_id)


def screenshot_file(settings: Settings, record: ReportReceipt | None) -> Path | None:
    """The kept screenshot of a report, if it has one and the file is there."""
    if record is None or not record.screenshot or not _STORED_NAME.fullmatch(record.screenshot):
        return None
    path = reports_dir(settings) / record.screenshot
    return path if path.is_file() else None


__all__ = [
    "IMAGE_TYPES",
    "ReportState",
    "Screenshot",
    "WebReport",
    "contact_for",
    "image_kind",
    "new_receipt",
    "normal_receipt",
    "problems",
    "receive",
    "screenshot_file",
    "state_of",
]
