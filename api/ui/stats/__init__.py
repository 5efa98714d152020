"""The statistics page (``/ui/statistik``): the queue's numbers as charts drawn on the server
(``api.ui.charts``), each with its data table, under the same filters as the queue.

Every signed-in role opens it. The dashboard role sees counts only: no reviewer names (the
throughput chart is left out) and no assignee filter. Numbers come from the store's aggregations,
the same ones the JSON API's ``/api/v1/stats`` serves.

Modules: ``words`` (the page's words), ``period`` (the days covered), ``chart_data`` (each
chart and its table), ``gather`` (everything the page shows) and ``routes`` (the page)."""

from api.ui.stats.routes import router

__all__ = ["router"]
