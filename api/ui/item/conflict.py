"""A conflict (409) on the item page: what changed between the version the reviewer decided
on and the flag as it stands now."""

from __future__ import annotations

from dataclasses import dataclass

from netra.domain.models import FlagStatus, ReviewEvent
from netra.review import Action
from netra.store.base import FlagHit


@dataclass(frozen=True)
class Stale:
    """What changed between the version the reviewer decided on and now (the 409 banner)."""

    action: str
    seen: int
    now: int
    then_status: FlagStatus
    now_status: FlagStatus
    assignees: list[str]
    events: list[ReviewEvent]
    wrong_state: bool


def stale(
    hit: FlagHit, history: list[ReviewEvent], action: Action, seen: int, wrong: bool
) -> Stale:
    since = [e for e in history if e.version is not None and e.version > seen]
    if not since:  # nothing newer (the status itself refused the action): the latest events
        since = history[-3:]
    then = next((e.from_status for e in since if e.from_status is not None), hit.flag.status)
    return Stale(
        action=action.value,
        seen=seen,
        now=hit.flag.version,
        then_status=then,
        now_status=hit.flag.status,
        assignees=list(hit.flag.assignees),
        events=since[-10:],
        wrong_state=wrong,
    )
