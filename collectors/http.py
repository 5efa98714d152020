"""One HTTP layer for every platform: timeouts, a clear User-Agent, a rate limiter (of this
process, or shared by every process using a credential: ``collectors.ratelimit``), retries with
exponential backoff and jitter on connection errors and 5xx, and waits on 429 that honour
``Retry-After`` and each platform's reset header (capped, counted for the summary, and passed on
to the limiter so that every worker on that credential waits).

Collectors receive an ``httpx.Client`` from outside (tests pass ``httpx.MockTransport`` or point
it at the loopback fake server) and wrap it in :class:`PlatformHttp`.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import httpx

log = logging.getLogger(__name__)

USER_AGENT = "Netra/0.1 (Bawaslu ASN-neutrality monitoring; public posts of registered accounts)"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=10.0, pool=5.0)
# Reset headers, in the order they are consulted: seconds to wait, or a moment to wait until.
RESET_HEADERS = ("x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset")


class ApiError(Exception):
    """A request the platform refused (4xx other than 429), or that kept failing."""

    def __init__(self, status: int, message: str, body: Any = None) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.body = body


class RateLimitExhausted(ApiError):
    """The platform asked us to wait longer than the configured cap."""


class MalformedResponse(ApiError):
    """The platform answered 2xx with a body that is not the JSON we asked for."""


@dataclass
class HttpStats:
    requests: int = 0
    retries: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_wait(self, seconds: float) -> None:
        with self.lock:
            self.rate_limit_waits += 1
            self.rate_limit_wait_seconds += seconds


@dataclass(frozen=True)
class HttpPolicy:
    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    max_rate_limit_wait: float = 900.0  # never sleep longer than this on one 429
    max_rate_limit_retries: int = 8  # consecutive 429s before giving up on the request
    requests_per_second: float = 10.0


class Limiter(Protocol):
    """What PlatformHttp asks of a rate limiter: this process's :class:`RateLimiter`, or the
    limit shared by every process using one credential (``collectors.ratelimit``)."""

    def acquire(self) -> None:
        """Wait for the next request's turn."""

    def hold(self, seconds: float) -> None:
        """Start no request for ``seconds`` from now (the platform answered 429)."""


class RateLimiter:
    """At most ``rate`` requests per second across all threads of a process."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def acquire(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)


def make_client(timeout: httpx.Timeout = DEFAULT_TIMEOUT, **kwargs: Any) -> httpx.Client:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **kwargs.pop("headers", {})}
    return httpx.Client(timeout=timeout, headers=headers, follow_redirects=True, **kwargs)


def retry_after_seconds(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """How long a 429 asks us to wait: ``Retry-After`` (seconds or an HTTP date), else a reset
    header given as epoch seconds (X, Bluesky) or an ISO 8601 moment (Mastodon)."""
    now = now or datetime.now(UTC)
    lower = {k.lower(): v for k, v in headers.items()}
    value = lower.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
            except (TypeError, ValueError):
                pass
    for name in RESET_HEADERS:
        value = lower.get(name)
        if not value:
            continue
        try:
            number = float(value)
        except ValueError:
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            return max(0.0, (moment - now).total_seconds())
        # Epoch seconds are large; small numbers are seconds-to-wait.
        return max(0.0, number - now.timestamp()) if number > 1e9 else max(0.0, number)
    return None


class PlatformHttp:
    """Requests to one platform through a shared client, with the policy applied."""

    def __init__(
        self,
        client: httpx.Client,
        platform: str,
        policy: HttpPolicy | None = None,
        stats: HttpStats | None = None,
        limiter: Limiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.client = client
        self.platform = platform
        self.policy = policy or HttpPolicy()
        self.stats = stats or HttpStats()
        self.limiter: Limiter = limiter or RateLimiter(self.policy.requests_per_second, sleep=sleep)
        self.sleep = sleep
        self.rng = rng or random.Random()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        attempt = 0
        limited = 0
        while True:
            self.limiter.acquire()
            with self.stats.lock:
                self.stats.requests += 1
            try:
                response = self.client.request(method, url, **kwargs)
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                attempt = self._backoff(attempt, f"{type(exc).__name__}: {exc}")
                continue
            if response.status_code == 429:
                limited += 1
                wait = retry_after_seconds(response.headers)
                wait = self.policy.backoff_base * 2**limited if wait is None else wait
                if (
                    wait > self.policy.max_rate_limit_wait
                    or limited > self.policy.max_rate_limit_retries
                ):
                    raise RateLimitExhausted(
                        429,
                        f"{self.platform} asks to wait {wait:.0f}s, over the cap of"
                        f" {self.policy.max_rate_limit_wait:.0f}s",
                        _body(response),
                    )
                log.info("%s rate limit: waiting %.1fs", self.platform, wait)
                self.stats.add_wait(wait)
                self.limiter.hold(wait)  # other workers on this credential wait too
                self.sleep(wait)
                continue
            if response.status_code >= 500:
                attempt = self._backoff(attempt, f"HTTP {response.status_code}")
                continue
            return response

    def _backoff(self, attempt: int, reason: str) -> int:
        if attempt >= self.policy.max_retries:
            raise ApiError(0, f"{self.platform}: giving up after {attempt + 1} tries ({reason})")
        delay = min(self.policy.backoff_cap, self.policy.backoff_base * 2**attempt)
        delay *= 0.5 + self.rng.random()  # jitter: parallel workers don't retry in lockstep
        with self.stats.lock:
            self.stats.retries += 1
        log.info("%s: %s, retry %d in %.2fs", self.platform, reason, attempt + 1, delay)
        self.sleep(delay)
        return attempt + 1

    def get_json(self, url: str, **kwargs: Any) -> tuple[Any, httpx.Response]:
        return self.json("GET", url, **kwargs)

    def json(self, method: str, url: str, **kwargs: Any) -> tuple[Any, httpx.Response]:
        """Parsed JSON and the response. 4xx raise ApiError carrying the parsed body, so the
        collector can tell 'not found' from 'suspended'."""
        response = self.request(method, url, **kwargs)
        body = _body(response)
        if response.status_code >= 400:
            raise ApiError(response.status_code, _message(body) or response.reason_phrase, body)
        if body is None or isinstance(body, str):
            raise MalformedResponse(
                response.status_code, f"{self.platform}: response is not JSON", response.text[:200]
            )
        return body, response


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return response.text or None


def _message(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("message", "detail", "error_description", "error", "title"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict):
                return str(value.get("message") or value)
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("detail") or errors[0].get("message") or errors[0])
    return ""
