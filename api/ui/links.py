"""Links between UI pages: one way to write an item's path, with or without the queue's query."""

from __future__ import annotations

from urllib.parse import quote


def item_path(flag_id: str) -> str:
    """The item's path; ids keep their ``:`` and ``/`` (the ``flagid`` convertor takes both)."""
    return "/ui/flags/" + quote(flag_id, safe=":/@")


def with_query(path: str, query_string: str) -> str:
    return f"{path}?{query_string}" if query_string else path


def item_href(flag_id: str, query_string: str) -> str:
    """The item page of a flag, carrying the queue's query so it can find the next item."""
    return with_query(item_path(flag_id), query_string)
