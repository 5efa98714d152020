"""The review workflow: which action moves a flag where, who may take it, what it needs.

``new → in_review → confirmed | dismissed | escalated``; a supervisor reopens. Every change goes
through ``Store.apply_review`` with the version the reviewer saw, so a stale write gets the
current state back instead of overwriting someone else's decision, and every change is an
append-only event in the flag's history.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from netra.domain.access import LEADS, REVIEWERS
from netra.domain.models import Flag, FlagStatus, ReviewEvent, Role, User, utcnow
from netra.store.base import Conflict, NotFound, Store


class Action(StrEnum):
    CLAIM = "claim"  # take it: in review, assigned to me
    ASSIGN = "assign"
    UNASSIGN = "unassign"
    CONFIRM = "confirm"
    DISMISS = "dismiss"
    ESCALATE = "escalate"
    REOPEN = "reopen"
    COMMENT = "comment"


class DismissReason(StrEnum):
    FALSE_POSITIVE = "false_positive"
    NOT_ASN_ACCOUNT = "not_asn_account"
    DUPLICATE = "duplicate"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    OTHER = "other"


OPEN = frozenset({FlagStatus.NEW, FlagStatus.IN_REVIEW})
DECIDED = frozenset({FlagStatus.CONFIRMED, FlagStatus.DISMISSED, FlagStatus.ESCALATED})


@dataclass(frozen=True)
class Rule:
    allowed_from: frozenset[FlagStatus]
    to: FlagStatus | None
    roles: frozenset[Role]
    needs_note: bool = False
    needs_reason: bool = False
    needs_assignees: bool = False


_ANY = frozenset(FlagStatus)

RULES: dict[Action, Rule] = {
    Action.CLAIM: Rule(OPEN, FlagStatus.IN_REVIEW, REVIEWERS),
    Action.ASSIGN: Rule(OPEN, None, LEADS, needs_assignees=True),
    Action.UNASSIGN: Rule(_ANY, None, REVIEWERS, needs_assignees=True),
    Action.CONFIRM: Rule(OPEN, FlagStatus.CONFIRMED, REVIEWERS, needs_note=True),
    Action.DISMISS: Rule(OPEN, FlagStatus.DISMISSED, REVIEWERS, needs_reason=True),
    Action.ESCALATE: Rule(
        OPEN | {FlagStatus.CONFIRMED}, FlagStatus.ESCALATED, REVIEWERS, needs_note=True
    ),
    Action.REOPEN: Rule(DECIDED, FlagStatus.IN_REVIEW, LEADS, needs_note=True),
    Action.COMMENT: Rule(_ANY, None, REVIEWERS, needs_note=True),
}


class ReviewError(ValueError):
    """A request the workflow refuses: ``field`` names what is wrong (422 in the API)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotAllowed(PermissionError):
    """The role may not take this action (403)."""


class WrongState(Exception):
    """The action does not apply to the flag's current status (409, with the flag)."""

    def __init__(self, message: str, current: Flag) -> None:
        super().__init__(message)
        self.current = current


@dataclass
class Decision:
    action: Action
    version: int
    note: str | None = None
    reason: DismissReason | None = None
    assignees: list[str] = field(default_factory=list)


def check(decision: Decision, user: User) -> Rule:
    """Validate a decision on its own (before the flag is read): role and required fields."""
    rule = RULES[decision.action]
    if user.role not in rule.roles:
        raise NotAllowed(f"role {user.role.value} may not {decision.action.value}")
    if rule.needs_note and not (decision.note or "").strip():
        raise ReviewError("note", f"{decision.action.value} needs a note")
    if rule.needs_reason and decision.reason is None:
        choices = ", ".join(r.value for r in DismissReason)
        raise ReviewError("reason", f"dismiss needs a reason code ({choices})")
    if rule.needs_assignees and not decision.assignees:
        raise ReviewError("assignees", f"{decision.action.value} needs at least one assignee")
    if (
        decision.action is Action.UNASSIGN
        and user.role is Role.ANALYST
        and set(decision.assignees) - {user.name}
    ):
        raise NotAllowed("an analyst may only unassign themself")
    return rule


def check_assignees(store: Store, decision: Decision) -> None:
    """A flag assigned to a misspelt, revoked or non-reviewing name would sit with nobody."""
    if decision.action is not Action.ASSIGN:
        return
    reviewers = {u.name for u in store.list_users() if u.active and u.role in REVIEWERS}
    unknown = [name for name in decision.assignees if name not in reviewers]
    if unknown:
        raise ReviewError(
            "assignees",
            f"cannot assign to {', '.join(map(repr, unknown))}:"
            " no active analyst, supervisor or admin has that name",
        )


def validate(store: Store, decision: Decision, user: User) -> Rule:
    """Everything about a decision that does not depend on the flag."""
    rule = check(decision, user)
    check_assignees(store, decision)
    return rule


def decide(store: Store, flag_id: str, decision: Decision, user: User) -> Flag:
    """Apply a decision; raises NotFound, NotAllowed, ReviewError, WrongState, or returns the
    Conflict's current flag inside ``StaleVersion``."""
    rule = validate(store, decision, user)
    current = store.get_flag(flag_id)
    if current is None:
        raise NotFound(f"no flag {flag_id!r}")
    if current.version != decision.version:
        raise StaleVersion(current, decision.version)
    if current.status not in rule.allowed_from:
        raise WrongState(
            f"cannot {decision.action.value} a flag that is {current.status.value}", current
        )
    added, removed = [], []
    if decision.action is Action.CLAIM:
        added = [user.name]
    elif decision.action is Action.ASSIGN:
        added = decision.assignees
    elif decision.action is Action.UNASSIGN:
        removed = decision.assignees
    event = ReviewEvent(
        flag_id=flag_id,
        actor=user.name,
        action=decision.action.value,
        at=utcnow(),
        to_status=rule.to,
        assignees_added=added,
        assignees_removed=removed,
        reason=decision.reason.value if decision.reason else None,
        note=decision.note,
    )
    result = store.apply_review(flag_id, decision.version, event)
    if isinstance(result, Conflict):
        raise StaleVersion(result.current, decision.version)
    return result


class StaleVersion(Exception):
    """Someone changed the flag since the reviewer saw it (409, with the current flag)."""

    def __init__(self, current: Flag, expected: int) -> None:
        super().__init__(
            f"flag is at version {current.version}, not {expected}: reload and decide again"
        )
        self.current = current


@dataclass(frozen=True)
class Outcome:
    """What one flag of a bulk decision came to: ``status`` speaks HTTP (200, 404, 409)."""

    flag_id: str
    status: int
    flag: Flag | None = None
    error: str | None = None


def decide_many(
    store: Store, flag_ids: list[str], decision: Decision, versions: dict[str, int], user: User
) -> list[Outcome]:
    """One decision for many flags, each reported on its own. Role and required fields are
    checked once, before anything is written; each flag uses the version the reviewer saw
    (``versions``), or its current one."""
    validate(store, decision, user)
    return [
        _decide_one(store, flag_id, decision, versions, user) for flag_id in dict.fromkeys(flag_ids)
    ]


def _decide_one(
    store: Store, flag_id: str, decision: Decision, versions: dict[str, int], user: User
) -> Outcome:
    try:
        current = store.get_flag(flag_id)
        if current is None:
            raise NotFound(f"no flag {flag_id!r}")
        seen = replace(decision, version=versions.get(flag_id, current.version))
        return Outcome(flag_id, 200, flag=decide(store, flag_id, seen, user))
    except NotFound:
        return Outcome(flag_id, 404, error="no such flag")
    except (StaleVersion, WrongState) as exc:
        return Outcome(flag_id, 409, error=str(exc))
