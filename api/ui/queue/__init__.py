"""The queue page (``/ui``): the filtered, sorted, paged list of dugaan with the age of each item
against the 7-day reporting clock, saved views, copy-paste campaigns grouped into one row each,
and bulk actions (on the rows ticked, on every item a filter matches, or on a campaign) that say
how many items they will touch before they touch them.

Every role may read the queue; the dashboard role sees pseudonymous rows only (the JSON API's
``queue_page`` makes them) and may not search by text or by reviewer. Only reviewers act.

Modules: ``words`` (the page's words), ``rows`` (a row and its reporting clock), ``groups``
(a campaign's row), ``query`` (reading the query string), ``bulk`` (what a bulk action does and
to which flags) and ``routes`` (the page and the bulk action)."""

from api.ui.queue.routes import router
from api.ui.queue.rows import clock

__all__ = ["clock", "router"]
