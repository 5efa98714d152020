"""The client side of the Elasticsearch store: one official client, calls with retries on a busy
cluster (429, 503), errors as StoreError with a message that says what to do, and streaming bulk
writes in chunks that report every failed item instead of dropping it.

Retries are done here, not by the transport (``max_retries=0``), so that a whole-request 429/503
and a per-item 429/503 inside a bulk response get the same backoff and the same final message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from elasticsearch import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    ConnectionError,
    Elasticsearch,
    TransportError,
    UnsupportedProductError,
)

from netra.domain.settings import without_credentials
from netra.store.elastic import bulk
from netra.store.elastic.mappings import PREFIX, alias_name
from netra.store.ports.types import StoreError

log = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_STATUSES = frozenset({429, 503})
MIGRATE_HINT = "run `netra index migrate` to create the templates, indices and aliases"


class BulkWriteError(StoreError):
    """Some items of a bulk write failed for good (after retries); the others were stored.
    ``failed`` names each failed item (id, status, reason); ``stored`` counts the written ones."""

    def __init__(self, what: str, stored: int, failed: Sequence[bulk.BulkItemError]) -> None:
        self.stored = stored
        self.failed = list(failed)
        shown = "; ".join(
            f"{e.id}: {e.status if e.status is not None else 'no answer'} {e.reason}"
            for e in self.failed[:10]
        )
        more = f" (and {len(self.failed) - 10} more)" if len(self.failed) > 10 else ""
        super().__init__(
            f"{what}: {len(self.failed)} item(s) failed, {stored} stored: {shown}{more}"
        )


@dataclass
class BulkReport:
    """What one streamed bulk write did: ``results`` (``_id`` → created/updated/noop) of written
    items, in the order they were answered, and the items that failed for good."""

    results: list[tuple[bulk.BulkAction, str]] = field(default_factory=list)
    failed: list[bulk.BulkItemError] = field(default_factory=list)


def _reason(exc: ApiError) -> tuple[str | None, str]:
    """The error type and reason of an Elasticsearch error body."""
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    if isinstance(error, dict):
        return error.get("type"), str(error.get("reason") or error.get("type") or exc.message)
    return None, str(error or exc.message)


class ElasticConnection:
    """The client, the index names under a prefix, and calls that retry and translate errors."""

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        ca_certs: Path | str | None = None,
        prefix: str = PREFIX,
        request_timeout: float = 30.0,
        max_retries: int = 4,
        backoff_base: float = 0.5,
        backoff_cap: float = 8.0,
        client: Elasticsearch | None = None,
    ) -> None:
        self.url = without_credentials(url)
        self.prefix = prefix
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        options: dict[str, Any] = {
            "request_timeout": request_timeout,
            "max_retries": 0,  # retried here, with backoff and a clear final message
            "retry_on_status": (),
            "retry_on_timeout": False,
        }
        if api_key:
            options["api_key"] = api_key
        elif username:
            options["basic_auth"] = (username, password or "")
        if ca_certs:
            options["ca_certs"] = str(ca_certs)
        self.client = client or Elasticsearch(url, **options)

    def alias(self, role: str) -> str:
        return alias_name(role, self.prefix)

    def close(self) -> None:
        self.client.close()

    # -- calls ------------------------------------------------------------------------------
    def _sleep(self, attempt: int) -> None:
        delay = min(self.backoff_cap, self.backoff_base * (2**attempt))
        if delay > 0:
            time.sleep(delay)

    def call(self, what: str, fn: Callable[[], T], *, passthrough: tuple[int, ...] = ()) -> T:
        """``fn()`` with retries on 429, 503 and lost connections; any other failure is a
        StoreError naming ``what``. An ApiError whose status is in ``passthrough`` is raised as
        it is (the caller handles it: a 409 of a conditional write, a 404 of a get)."""
        attempt = 0
        while True:
            try:
                return fn()
            except ApiError as exc:
                status = exc.meta.status
                if status in passthrough and not _index_missing(exc):
                    raise
                if status in RETRY_STATUSES and attempt < self.max_retries:
                    log.warning("elasticsearch %s: %s, retrying", what, status)
                    self._sleep(attempt)
                    attempt += 1
                    continue
                raise self._error(what, exc, attempt) from exc
            except (ConnectionError, TransportError) as exc:
                if isinstance(exc, UnsupportedProductError):
                    raise StoreError(
                        f"elasticsearch {what}: {self.url} is not Elasticsearch (no"
                        " X-Elastic-Product header)"
                    ) from exc
                if isinstance(exc, ConnectionError) and attempt < self.max_retries:
                    self._sleep(attempt)
                    attempt += 1
                    continue
                raise StoreError(
                    f"elasticsearch {what}: cannot reach {self.url} ({type(exc).__name__})"
                ) from exc

    def _error(self, what: str, exc: ApiError, attempts: int) -> StoreError:
        status = exc.meta.status
        etype, reason = _reason(exc)
        if _index_missing(exc):
            return StoreError(f"elasticsearch {what}: index missing ({reason}); {MIGRATE_HINT}")
        if isinstance(exc, AuthenticationException | AuthorizationException):
            return StoreError(
                f"elasticsearch {what}: {status} {etype or 'refused'}: check NETRA_ES_API_KEY or"
                " NETRA_ES_USERNAME/NETRA_ES_PASSWORD and the user's privileges"
            )
        if status in RETRY_STATUSES:
            return StoreError(
                f"elasticsearch {what}: cluster busy or unavailable ({status} {etype or ''}) after"
                f" {attempts + 1} attempts; nothing more was written by this call: {reason}"
            )
        return StoreError(f"elasticsearch {what}: {status} {etype or ''}: {reason}")

    # -- bulk -------------------------------------------------------------------------------
    def bulk(
        self,
        what: str,
        actions: Iterable[bulk.BulkAction],
        refresh: bool | str = False,
        max_actions: int = bulk.DEFAULT_MAX_ACTIONS,
        max_bytes: int = bulk.DEFAULT_MAX_BYTES,
        ignore: Callable[[bulk.BulkItemError], bool] | None = None,
    ) -> BulkReport:
        """Send ``actions`` in chunks; items failed with 429/503 (or not answered) are sent again
        with backoff; those that still fail, or fail otherwise, are in ``failed`` (unless
        ``ignore`` says they are expected, e.g. an update of a post that is not stored)."""
        report = BulkReport()
        for chunk in bulk.chunks(actions, max_actions, max_bytes):
            pending = chunk
            attempt = 0
            while pending:
                body = bulk.encode(pending)
                response = self.call(
                    what,
                    lambda body=body: self.client.bulk(  # type: ignore[misc]
                        operations=body,
                        refresh=refresh,
                    ),
                )
                outcome = bulk.parse_bulk_response(dict(response.body), pending)
                failed_positions = {e.position for e in outcome.errors}
                answered = [
                    (action, outcome_result(response.body, position))
                    for position, action in enumerate(pending)
                    if position not in failed_positions
                ]
                report.results += answered
                retry = outcome.to_retry(pending)
                for error in outcome.permanent:
                    if ignore is None or not ignore(error):
                        report.failed.append(error)
                if retry and attempt < self.max_retries:
                    log.warning("elasticsearch %s: %d item(s) busy, retrying", what, len(retry))
                    self._sleep(attempt)
                    attempt += 1
                    pending = retry
                    continue
                report.failed += outcome.retryable
                pending = []
        return report


def outcome_result(body: Any, position: int) -> str:
    ((_, item),) = body["items"][position].items()
    return str(item.get("result", ""))


def _index_missing(exc: ApiError) -> bool:
    etype, _ = _reason(exc)
    return exc.meta.status == 404 and etype == "index_not_found_exception"
