"""What the item page shows of a public report (``_report_contact.html``): the partial asks
for it through the template global ``public_report_box``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request

from api.ui.render import environment
from api.ui.report.form import settings_of
from api.ui.session import UiSession
from netra.domain.access import LEADS
from netra.domain.models import FlagOrigin
from netra.public_reports import contact_for, screenshot_file


def report_box(request: Request, flag: Any, session: UiSession | None) -> dict[str, Any] | None:
    """What the item page shows of a public report (``_report_contact.html``): when it came, the
    screenshot (roles that see personal data), and the reporter's confidential contact
    (supervisors and admins only). None for other flags and for roles that see neither."""
    origin = getattr(flag, "origin", None)
    if session is None or not session.personal or str(origin) != FlagOrigin.PUBLIC_REPORT:
        return None
    flag_id = str(flag.id)
    store = request.app.state.store
    record = store.report_receipt_of_post(flag_id)
    lead = session.user.role in LEADS
    shot = screenshot_file(settings_of(request), record)
    return {
        "received_at": record.received_at if record else None,
        "screenshot_url": (
            f"/ui/laporan/{quote(flag_id, safe=':')}/tangkapan-layar" if shot else None
        ),
        "screenshot_sha256": record.screenshot_sha256 if shot and record else None,
        "lead": lead,
        "contact": contact_for(store, flag_id, session.user.role) if lead else None,
    }


# The item page includes "_report_contact.html" with ``flag`` and ``session`` in its context;
# the partial asks for the rest itself.
environment.globals["public_report_box"] = report_box
