"""The public report form ``/lapor``: anyone, without signing in, reports a post they suspect
(*dugaan*) is an ASN's partisan activity, with an optional screenshot, note and contact.

The report enters the pipeline as ``netra report`` enters it (``netra.public_reports.receive``
calls ``pipeline.submit_report``): the next scoring run queues it for analysts with the origin
``public_report``. The reporter gets a receipt number and follows the report up on
``/lapor/status`` (received, in review, decided: nothing more). The contact is confidential: only
supervisors and admins see it, on the item page (``_report_contact.html``, ``report_box``).

Limits: ``NETRA_REPORT_MAX_UPLOAD_BYTES`` for the screenshot (the request guard caps the body of a
``/lapor`` POST at that plus a small allowance), ``NETRA_REPORT_RATE_LIMIT`` reports per client
address and ``NETRA_REPORT_RATE_WINDOW_SECONDS``. The CSRF token is the pre-session one (the form
is shown before any sign-in), also for a visitor who happens to be signed in.

Modules: ``words`` (the pages' words), ``form`` (the form, its fields and limits),
``item_box`` (the public-report box of the item page) and ``routes`` (the pages).
"""

from api.ui.report.form import too_large_page
from api.ui.report.item_box import report_box  # also sets the template global
from api.ui.report.routes import router

__all__ = ["report_box", "router", "too_large_page"]
