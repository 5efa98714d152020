"""The failed-authentication limiter: a sliding window per client."""

from __future__ import annotations

from api.ratelimit import ClientWindowLimiter


def test_a_client_waits_until_its_oldest_counted_failure_leaves_the_window() -> None:
    now = [100.0]
    limiter = ClientWindowLimiter(limit=3, window=60, clock=lambda: now[0])
    for step in (0, 10, 20):
        now[0] = 100.0 + step
        assert limiter.retry_after("10.0.0.1") is None
        limiter.record("10.0.0.1")
    assert limiter.retry_after("10.0.0.1") == 40  # the failure at 100 counts until 160
    assert limiter.retry_after("10.0.0.2") is None  # per client
    now[0] = 160.5
    assert limiter.retry_after("10.0.0.1") is None  # two failures left in the window
    limiter.record("10.0.0.1")
    assert limiter.retry_after("10.0.0.1") == 10  # now the failure at 110 is the oldest
