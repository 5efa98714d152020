"""The HTTP layer under 429s, 5xx bursts, timeouts and malformed bodies (httpx.MockTransport:
the platforms themselves are out of reach from here)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from collectors.http import (
    ApiError,
    HttpPolicy,
    MalformedResponse,
    PlatformHttp,
    RateLimiter,
    RateLimitExhausted,
    retry_after_seconds,
)


def platform_http(
    responses: list, policy: HttpPolicy | None = None
) -> tuple[PlatformHttp, list[float]]:
    """A PlatformHttp whose transport answers from ``responses`` in order (a response or an
    exception to raise), with sleeps recorded instead of slept."""
    queue = list(responses)
    slept: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    client = httpx.Client(transport=httpx.MockTransport(handler))
    http = PlatformHttp(
        client,
        "x",
        policy or HttpPolicy(requests_per_second=0),
        sleep=slept.append,
        rng=random.Random(1),
        limiter=RateLimiter(0),
    )
    return http, slept


def ok(body: object = None) -> httpx.Response:
    return httpx.Response(200, json=body if body is not None else {"data": []})


def test_429_with_retry_after_waits_then_succeeds_mocked_platform() -> None:
    http, slept = platform_http(
        [httpx.Response(429, headers={"Retry-After": "7"}), ok({"data": [1]})]
    )
    body, _ = http.get_json("https://api.x.test/2/users/1/tweets")
    assert body == {"data": [1]} and slept == [7.0]
    assert http.stats.rate_limit_waits == 1 and http.stats.rate_limit_wait_seconds == 7.0


def test_429_reset_header_in_epoch_seconds_mocked_platform() -> None:
    reset = int((datetime.now(UTC) + timedelta(seconds=30)).timestamp())
    http, slept = platform_http(
        [httpx.Response(429, headers={"x-rate-limit-reset": str(reset)}), ok()]
    )
    http.get_json("https://api.x.test/")
    assert 25 <= slept[0] <= 31


def test_reset_formats() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert retry_after_seconds({"X-RateLimit-Reset": "2025-01-01T00:05:00.000Z"}, now) == 300
    assert retry_after_seconds({"ratelimit-reset": str(int(now.timestamp()) + 60)}, now) == 60
    assert retry_after_seconds({"Retry-After": "Wed, 01 Jan 2025 00:00:10 GMT"}, now) == 10
    assert retry_after_seconds({}, now) is None


def test_wait_over_the_cap_is_reported_not_slept_mocked_platform() -> None:
    http, slept = platform_http(
        [httpx.Response(429, headers={"Retry-After": "3600"})],
        HttpPolicy(max_rate_limit_wait=60, requests_per_second=0),
    )
    with pytest.raises(RateLimitExhausted, match="over the cap"):
        http.get_json("https://api.x.test/")
    assert slept == []


def test_5xx_burst_is_retried_with_growing_backoff_mocked_platform() -> None:
    http, slept = platform_http(
        [httpx.Response(503), httpx.Response(502), httpx.Response(500), ok()]
    )
    body, _ = http.get_json("https://api.x.test/")
    assert body == {"data": []} and len(slept) == 3 and slept[0] < slept[2]
    assert http.stats.retries == 3


def test_persistent_5xx_gives_up_with_a_reason_mocked_platform() -> None:
    http, _ = platform_http(
        [httpx.Response(503)] * 5, HttpPolicy(max_retries=4, requests_per_second=0)
    )
    with pytest.raises(ApiError, match="giving up after 5 tries"):
        http.get_json("https://api.x.test/")


def test_timeouts_and_connection_errors_are_retried_mocked_platform() -> None:
    http, slept = platform_http([httpx.ReadTimeout("slow"), httpx.ConnectError("refused"), ok()])
    http.get_json("https://api.x.test/")
    assert len(slept) == 2


def test_4xx_carries_the_body_and_malformed_json_is_named_mocked_platform() -> None:
    http, _ = platform_http([httpx.Response(404, json={"error": "Record not found"})])
    with pytest.raises(ApiError) as caught:
        http.get_json("https://mastodon.test/api/v1/accounts/1/statuses")
    assert caught.value.status == 404 and caught.value.body == {"error": "Record not found"}
    http, _ = platform_http([httpx.Response(200, content=b'{"data": [')])
    with pytest.raises(MalformedResponse, match="not JSON"):
        http.get_json("https://api.x.test/")


def test_rate_limiter_spaces_requests() -> None:
    clock = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    limiter = RateLimiter(4, clock=lambda: clock[0], sleep=sleep)
    for _ in range(3):
        limiter.acquire()
    assert slept == [0.25, 0.5]
