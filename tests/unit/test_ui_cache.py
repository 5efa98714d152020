"""The UI's short-lived caches: answers age out, the oldest go first, a decision drops views."""

from __future__ import annotations

import time

from api.ui.cache import TtlCache, UiCaches


def test_an_answer_is_kept_until_it_ages_out() -> None:
    cache, calls = TtlCache(seconds=0.2), []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("k", compute) == 1 and cache.get("k", compute) == 1
    time.sleep(0.25)
    assert cache.get("k", compute) == 2


def test_the_oldest_entries_go_first() -> None:
    cache = TtlCache(seconds=60, max_entries=2)
    for key in ("a", "b", "c"):
        cache.get(key, lambda key=key: key.upper())
    assert cache.get("a", lambda: "again") == "again"  # "a" was dropped for "c"
    assert cache.get("c", lambda: "again") == "C"


def test_a_decision_drops_every_view_but_not_the_filter_choices() -> None:
    caches = UiCaches()
    caches.views.get("view", lambda: ["x:1", "x:2"])
    caches.choices.get("agencies", lambda: ["Dinas Kesehatan"])
    caches.decided()
    assert caches.views.get("view", lambda: ["x:2"]) == ["x:2"]
    assert caches.choices.get("agencies", lambda: []) == ["Dinas Kesehatan"]
