"""One flag in full (``/ui/flags/{id}``): the post as it appeared, why it is in the queue (score,
signals raising or lowering it, matched names, nearest labelled examples), the evidence (payload
hash, capture, deletion, every edited version), the person and account, similar flags, the audit
trail, and the reviewer's actions (``POST …/aksi``) with the same rules and conflict handling as
``POST /api/v1/flags/{id}/actions``.

The item keeps the queue's query string: its previous/next links walk the same filtered view, and
after a decision the analyst lands on the next item of that view.

Modules: ``words`` (the page's words), ``nav`` (the view's previous and next items),
``card`` (the post as the platform's payload has it), ``explain`` (signals, highlighted words),
``conflict`` (the 409 banner) and ``routes`` (the page and its actions)."""

from api.ui.item.explain import highlight
from api.ui.item.routes import router

__all__ = ["highlight", "router"]
