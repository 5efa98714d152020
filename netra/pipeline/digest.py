"""The daily digest step: build it per region, write it, and mail each recipient once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from netra.domain.models import utcnow
from netra.domain.settings import Settings
from netra.store.base import Store

log = logging.getLogger(__name__)


@dataclass
class DigestOutcome:
    region: str
    subject: str
    files: list[Path]
    recipients: list[str]
    sent: bool
    already_sent: list[str] = field(default_factory=list)  # by an earlier attempt, not again


def previous_day(settings: Settings, now: datetime | None = None) -> date:
    """Yesterday in NETRA_TIMEZONE: the day a morning digest covers."""
    return (now or utcnow()).astimezone(settings.tz).date() - timedelta(days=1)


def daily_digest(
    store: Store,
    settings: Settings,
    day: date,
    region: str | None = None,
    send: bool = False,
    now: datetime | None = None,
) -> list[DigestOutcome]:
    """Build the digest of ``day`` for one region, or for all regions together and each region
    of the registry; write each under ``var/digests/``; with ``send``, mail each to its region's
    recipients (NETRA_DIGEST_RECIPIENTS). A region without recipients is written, not sent.
    Each recipient gets their own message, recorded in the store once sent: a retry after a
    failure part-way mails only those who have not had that day's digest of that region."""
    from netra import digest as digests

    if send:
        digests.require_mail(settings)  # before any work, not after the first digest
    known = store.regions()  # one scan of the registry for every digest of the run
    outcomes = []
    for code in [region] if region else [digests.ALL_REGIONS, *known]:
        rendered = digests.render(digests.gather(store, settings, day, code, now, known))
        files = digests.write_files(rendered, settings.var_dir / "digests")
        recipients = settings.digest_recipients.get(code, [])
        done = store.digest_recipients_sent(day, code) if send and recipients else set()
        already = [r for r in recipients if r.lower() in done]
        for recipient in recipients if send else []:
            if recipient.lower() not in done:
                message = digests.build_message(rendered, settings.mail_from, [recipient])
                digests.send(settings, message)
                store.record_digest_sent(day, code, recipient, utcnow())
        if send and recipients:
            log.info(
                "digest %s %s sent to %d recipients (%d had it already)",
                day, code, len(recipients) - len(already), len(already),
            )  # fmt: skip
        outcomes.append(
            DigestOutcome(
                code, rendered.subject, files, recipients, send and bool(recipients), already
            )
        )
    return outcomes
