"""The daily digest: gathered per local day and region (content), drawn (chart), rendered in
Bahasa Indonesia (render), written under var/digests/ and sent over SMTP (mail)."""

from netra.digest.content import ALL_REGIONS, Digest, check_day, gather
from netra.digest.mail import MailNotConfigured, build_message, require_mail, send
from netra.digest.render import RenderedDigest, render, write_files

__all__ = [
    "check_day",
    "ALL_REGIONS",
    "Digest",
    "MailNotConfigured",
    "RenderedDigest",
    "build_message",
    "gather",
    "render",
    "require_mail",
    "send",
    "write_files",
]
