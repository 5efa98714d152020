"""Sending a rendered digest over SMTP: plain text first, then HTML with the chart inline."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from netra.digest.render import CHART_CID, RenderedDigest
from netra.domain.settings import Settings


class MailNotConfigured(RuntimeError):
    pass


def require_mail(settings: Settings) -> str:
    """The SMTP host, or MailNotConfigured saying which setting is missing."""
    if not settings.smtp_host:
        raise MailNotConfigured("NETRA_SMTP_HOST is not set: the digest cannot be sent")
    return settings.smtp_host


def build_message(rendered: RenderedDigest, sender: str, recipients: Sequence[str]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "netra.local")
    message.set_content(rendered.text)
    message.add_alternative(rendered.html_mail, subtype="html")
    html_part = message.get_body(preferencelist=("html",))
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(
        rendered.chart, maintype="image", subtype="png", cid=f"<{CHART_CID}>",
        filename="grafik-14-hari.png", disposition="inline",
    )  # fmt: skip
    return message


def send(settings: Settings, message: EmailMessage) -> None:
    """One SMTP session per message. STARTTLS when configured; credentials only from settings."""
    host = require_mail(settings)
    with smtplib.SMTP(host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username and settings.smtp_password:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)
