"""Telling people that a scheduled run failed or missed its deadline: an e-mail through the
digest's SMTP settings to NETRA_ALERT_RECIPIENTS, and a JSON POST to NETRA_ALERT_WEBHOOK_URL.

A channel that fails is logged (the kind of error only: the webhook URL often holds a token) and
never raises: an alert must not turn into a second failure."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from enum import StrEnum
from typing import Any

import httpx

from netra.domain.settings import Settings

log = logging.getLogger(__name__)


class AlertKind(StrEnum):
    FAILURE = "failure"
    DEADLINE = "deadline"


_WHAT = {AlertKind.FAILURE: "gagal", AlertKind.DEADLINE: "melewati tenggat waktu"}


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    dag_id: str
    run_id: str
    detail: str

    @property
    def subject(self) -> str:
        return f"[Netra] {self.dag_id} {_WHAT[self.kind]}"

    @property
    def text(self) -> str:
        return (
            f"{self.subject}\nrun: {self.run_id}\n{self.detail}\n"
            "Lihat log tugas di Airflow untuk rinciannya."
        )

    def payload(self) -> dict[str, Any]:
        """The webhook's body: ``text`` is what chat services (Slack, Mattermost, Rocket.Chat)
        show; the other fields are for anything that routes alerts."""
        return {
            "text": self.text,
            "kind": self.kind.value,
            "dag_id": self.dag_id,
            "run_id": self.run_id,
            "detail": self.detail,
        }


def _message(settings: Settings, alert: Alert) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = alert.subject
    message["From"] = settings.mail_from
    message["To"] = ", ".join(settings.alert_recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or "netra")
    message.set_content(alert.text)
    return message


def notify(settings: Settings, alert: Alert) -> list[str]:
    """Send the alert on every configured channel; returns the channels it reached."""
    from netra.digest.mail import send

    reached = []
    if settings.alert_recipients and settings.smtp_host:
        try:
            send(settings, _message(settings, alert))
            reached.append("email")
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("alert e-mail not sent: %s", type(exc).__name__)
    if settings.alert_webhook_url is not None:
        try:
            httpx.post(
                settings.alert_webhook_url.get_secret_value(), json=alert.payload(), timeout=10
            ).raise_for_status()
            reached.append("webhook")
        except httpx.HTTPStatusError as exc:
            log.warning("alert webhook answered %d", exc.response.status_code)
        except httpx.HTTPError as exc:
            log.warning("alert webhook not reached: %s", type(exc).__name__)
    if not reached:
        log.warning("%s: no alert channel reached (NETRA_ALERT_*)", alert.subject)
    return reached
