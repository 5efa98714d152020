"""The referral dossier (berkas rujukan) of one confirmed or escalated flag, as a printable page
(``/ui/flags/{id}/berkas``) and as a PDF (``…/berkas.pdf``).

Both are built from ``netra.dossier.build_dossier`` — what the JSON API's dossier holds — with
every code put into words in the reader's language and times in the reader's zone. The page and
the PDF draw the same ``Berkas`` in the same order of sections. Reviewer roles only: a dossier
names the person. It states a *dugaan*, never a verdict.

Modules: ``words`` (the dossier's words), ``contents`` (what the dossier says) and ``routes``
(the page and the PDF)."""

from api.ui.dossier.routes import router

__all__ = ["router"]
