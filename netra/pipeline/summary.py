"""What a collection or re-check pass reports, and the one rule for when a pass failed as a whole."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


class EveryAccountFailed(RuntimeError):
    """No account of a pass could be read: the platform is down or refuses us. Schedulers retry
    (checkpoints make the retry resume where the pass stopped); the CLI exits non-zero."""


@dataclass
class CollectSummary:
    accounts_ok: int = 0
    accounts_failed: int = 0
    accounts_unavailable: int = 0
    posts_new: int = 0
    posts_edited: int = 0
    posts_deleted: int = 0
    quarantined: int = 0
    quarantine_resolved: int = 0
    quarantine_given_up: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0
    requests: int = 0
    quota_units: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    unavailable: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rate_limit_wait_seconds"] = round(self.rate_limit_wait_seconds, 1)
        return data

    def counts(self) -> dict[str, int | float]:
        """The numbers only (no account names or errors): what a scheduler passes on."""
        return {k: v for k, v in self.as_dict().items() if isinstance(v, int | float)}

    @property
    def every_account_failed(self) -> bool:
        """Accounts were tried and none worked (a pass with nothing to do has not failed)."""
        return self.accounts_failed > 0 and self.accounts_ok == 0

    def require_some_success(self, what: str) -> CollectSummary:
        """Raise :class:`EveryAccountFailed` when every account failed; otherwise self."""
        if self.every_account_failed:
            raise EveryAccountFailed(f"{what}: every account failed, e.g. {self.failures[:2]}")
        return self


def add_counts(parts: Iterable[Iterable[Mapping[str, int | float]] | None]) -> dict[str, float]:
    """Sum the counts of many batches (grouped, e.g. per platform; a group may be empty)."""
    totals: dict[str, float] = {}
    for group in parts:
        for counts in group or ():
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
    return totals
