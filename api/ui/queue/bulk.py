"""Bulk actions: the decision a bulk form asks for, and the flags it would touch (the rows
ticked, every item a filter matches, or a campaign group)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from api.ui.filters import UiQuery
from api.ui.session import UiSession
from netra.campaigns import Campaign, Grouping, campaigns
from netra.review import Action, Decision, DismissReason, NotAllowed, ReviewError, check
from netra.store.base import Store, each_hit

BULK_ACTIONS = (Action.CLAIM, Action.CONFIRM, Action.DISMISS, Action.ESCALATE)


@dataclass(frozen=True)
class Target:
    """The flags a bulk action would touch, and what to say about them."""

    ids: list[str]
    scope: str  # "ids", "filter" or "group"
    group: Campaign | None = None


def bulk_decision(
    action: str, reason: str, note: str, session: UiSession
) -> tuple[Decision | None, str | None]:
    """The decision the form asks for, or the word key of what is wrong with it."""
    try:
        chosen = Action(action)
    except ValueError:
        return None, "bulk.bad_action"
    if chosen not in BULK_ACTIONS:
        return None, "bulk.bad_action"
    try:
        why = DismissReason(reason) if reason else None
    except ValueError:
        why = None
    decision = Decision(
        chosen, 1, note.strip()[:2000] or None, why if chosen is Action.DISMISS else None
    )
    try:
        check(decision, session.user)
    except NotAllowed:
        return None, "bulk.not_allowed"
    except ReviewError as exc:
        return None, {"note": "bulk.needs_note", "reason": "bulk.needs_reason"}.get(
            exc.field, "bulk.bad_action"
        )
    return decision, None


def seen_versions(raw: Sequence[str]) -> dict[str, int]:
    """``version:flag id`` pairs the page carried: the version each row was seen at."""
    seen = {}
    for value in raw:
        version, _, flag_id = value.partition(":")
        if version.isdigit() and flag_id:
            seen[flag_id] = int(version)
    return seen


def bulk_target(
    store: Store, asked: UiQuery, scope: str, group: str, ids: Sequence[str], secret: bytes
) -> Target | str:
    """The flags named by the form, or the word key of why there are none."""
    if group:
        grouping: Grouping = campaigns(store, asked.filter, asked.q, asked.sort, secret=secret)
        found = grouping.find(group)
        if found is None:
            return "bulk.group_gone"
        return Target(found.flag_ids, "group", found)
    if scope == "filter":
        matched = [hit.flag.id for hit in each_hit(store, asked.filter, asked.q, asked.sort)]
        return Target(matched, "filter") if matched else "bulk.nothing"
    chosen = list(dict.fromkeys(i[:300] for i in ids if i.strip()))[:1000]
    return Target(chosen, "ids") if chosen else "bulk.none_selected"
