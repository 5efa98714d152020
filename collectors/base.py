"""What every collector shares: pages of mapped posts, quarantine for items that cannot be mapped,
account lifecycle errors, and checkpoints that resume without gaps.

A checkpoint is small JSON kept per (platform, account): ``mark`` is the high-water mark of what
is stored (newest id or time); while a run pages from newest to oldest, ``resume`` holds the next
page token and ``run_mark`` the newest item seen in this run. Only when the last page is stored
does ``mark`` move to ``run_mark``. A run killed in the middle therefore resumes at the page it
had reached, still bounded below by the old mark: no gap, and re-stored items are idempotent.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import ValidationError

from netra.domain.models import AccountStatus, Platform, Post, QuarantinedItem, SocialAccount


@dataclass
class Page:
    posts: list[Post] = field(default_factory=list)
    quarantined: list[QuarantinedItem] = field(default_factory=list)
    checkpoint: str | None = None  # to store once this page's posts are stored


class AccountUnavailable(Exception):
    """The account is not found, suspended or protected; the run goes on without it."""

    def __init__(self, status: AccountStatus, detail: str) -> None:
        super().__init__(f"{status.value}: {detail}")
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Target:
    """An account to collect, with the registry link the posts inherit."""

    account: SocialAccount
    person_nip: str | None


@dataclass
class CheckpointState:
    mark: Any = None
    resume: Any = None
    run_mark: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, raw: str | None) -> CheckpointState:
        if not raw:
            return cls()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            return cls(mark=raw)  # a bare value written by hand or an older version
        if not isinstance(data, dict):
            return cls(mark=raw)
        return cls(
            data.get("mark"), data.get("resume"), data.get("run_mark"), data.get("extra") or {}
        )

    def see(self, value: Any, key: Callable[[Any], Any] = str) -> None:
        """Note an item's position (id or time) as a candidate for the run's newest; ``key``
        orders them (``int`` for numeric ids, whose strings do not sort)."""
        if value is not None and (self.run_mark is None or key(value) > key(self.run_mark)):
            self.run_mark = value

    def paging(self, next_token: Any) -> str:
        """The checkpoint to store after a page when more pages follow."""
        self.resume = next_token
        return self.dump()

    def finish(self) -> str:
        """The checkpoint to store after the last page: the mark moves to the run's newest."""
        self.mark = self.run_mark or self.mark
        self.resume = self.run_mark = None
        return self.dump()

    def dump(self) -> str:
        data = {"mark": self.mark, "resume": self.resume, "run_mark": self.run_mark}
        if self.extra:
            data["extra"] = self.extra
        return json.dumps({k: v for k, v in data.items() if v not in (None, {})}, sort_keys=True)


class Collector(Protocol):
    platform: Platform

    def pages(
        self, target: Target, checkpoint: str | None, since: datetime | None
    ) -> Iterator[Page]:
        """Pages of new posts for one account, each with the checkpoint to store after it.
        Raises AccountUnavailable when the platform says the account is gone or closed."""
        ...

    def lookup(self, native_ids: list[str], target: Target) -> dict[str, Post | None]:
        """The current version of known posts (None: deleted or no longer visible)."""
        ...


MapItem = Callable[[Any], Post]


def map_items(
    platform: Platform, account: str, raw_items: list[Any], mapper: MapItem, seen_at: datetime
) -> tuple[list[Post], list[QuarantinedItem]]:
    """Map each raw item; one that fails is quarantined with the reason, never dropped, and
    never stops the rest of the page."""
    posts: list[Post] = []
    quarantined: list[QuarantinedItem] = []
    for raw in raw_items:
        try:
            posts.append(mapper(raw))
        except (
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            IndexError,
            ValidationError,
        ) as exc:
            quarantined.append(
                QuarantinedItem(
                    platform=platform, account=account, raw=raw, error=_reason(exc), seen_at=seen_at
                )
            )
    return posts, quarantined


def keyed(items: Iterable[QuarantinedItem], seen: Counter[str]) -> list[QuarantinedItem]:
    """Each item with its ``key``: the hash of its raw payload and, among identical payloads of
    one pass over an account (``seen`` counts them across its pages), which one it is. The same
    unmappable item fetched again gets the same key, so the store counts attempts, not copies."""
    found = []
    for item in items:
        canonical = json.dumps(item.raw, sort_keys=True, default=str)  # ASCII: any payload
        digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
        found.append(item.model_copy(update={"key": f"{digest}#{seen[digest]}"}))
        seen[digest] += 1
    return found


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return f"{type(exc).__name__}: {exc}"


def parse_time(value: Any, assume_utc: bool = False) -> datetime:
    """ISO 8601 (with Z) or epoch seconds, always timezone-aware. A time without a zone is an
    error unless the source documents UTC (``assume_utc``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    if not isinstance(value, str) or not value:
        raise ValueError(f"not a timestamp: {value!r}")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        if not assume_utc:
            raise ValueError(f"timestamp without a zone: {value!r}")
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def utc_iso(value: Any) -> str:
    """A sortable UTC timestamp string (fixed width) for high-water marks."""
    return parse_time(value).astimezone(UTC).isoformat(timespec="microseconds")
