"""``netra digest``: the daily digest for a day, per region, written to files and optionally sent."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from netra import pipeline
from netra.commands.common import EXIT_FAILED, err, fail, open_store_or_exit, out
from netra.domain.settings import get_settings


def register(app: typer.Typer) -> None:
    app.command("digest")(digest)


def digest(
    day: Annotated[
        str | None,
        typer.Option("--date", help="local day YYYY-MM-DD (default: yesterday in NETRA_TIMEZONE)"),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="one region code, or 'all'; default: all, then each region"),
    ] = None,
    send: Annotated[
        bool, typer.Option("--send", help="e-mail each digest to NETRA_DIGEST_RECIPIENTS")
    ] = False,
) -> None:
    """Write the daily digest under var/digests/ (HTML, text, JSON) and, with --send, e-mail it."""
    import smtplib

    from netra.digest import MailNotConfigured, check_day

    settings = get_settings()
    try:
        chosen = date.fromisoformat(day) if day else pipeline.previous_day(settings)
    except ValueError as exc:
        raise fail(f"--date: {day!r} is not a date (YYYY-MM-DD)") from exc
    try:
        check_day(chosen)
    except ValueError as exc:
        raise fail(f"--date: {exc}") from exc
    with open_store_or_exit(settings) as store:
        try:
            outcomes = pipeline.daily_digest(store, settings, chosen, region, send=send)
        except (ValueError, MailNotConfigured) as exc:
            raise fail(str(exc)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            err.print(f"error: sending failed: {type(exc).__name__}: {exc}", markup=False)
            raise typer.Exit(EXIT_FAILED) from exc
    for outcome in outcomes:
        where = outcome.files[0].parent
        if send:
            had = len(outcome.already_sent)
            sent = (
                f"sent to {len(outcome.recipients) - had} recipients"
                + (f" ({had} had it already)" if had else "")
                if outcome.sent
                else "not sent: no recipients for this region in NETRA_DIGEST_RECIPIENTS"
            )
        else:
            sent = "not sent (add --send)"
        out.print(
            f"{outcome.subject}\n  {where}/{outcome.region}.html|.txt|.json; {sent}", markup=False
        )
