"""What a campaign's row shows when the queue is grouped: copy-paste posts from several
accounts as one row, with its size, the accounts, the oldest item's clock and its members."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from api.ui.links import item_href
from api.ui.queue.rows import Clock, clock, excerpt
from api.ui.session import UiSession
from api.views import dashboard_view
from netra.campaigns import Campaign

MEMBERS_SHOWN = 100  # a group's items listed under it (the bulk action takes them all)


@dataclass(frozen=True)
class GroupRow:
    key: str
    size: int
    accounts: int
    sample: str | None  # reviewers only
    sample_href: str | None
    people: list[str]  # names (reviewers) or pseudonymous ids (dashboard), the first few
    more_people: int
    agencies: list[str]
    top_score: float
    clock: Clock  # of the oldest item
    found: datetime  # when the oldest item was found
    members: list[tuple[str, str]]  # (item page, words) for reviewers


def group_rows(
    groups: Sequence[Campaign],
    session: UiSession,
    key: bytes,
    now: datetime,
    deadline_days: int,
    links: str,
) -> list[GroupRow]:
    shown = []
    for group in groups:
        oldest = min(group.hits, key=lambda hit: hit.flag.created_at)
        names: list[str] = []
        for hit in group.hits:
            if session.personal:
                who = hit.person.name if hit.person else hit.post.account_handle
            else:
                person = dashboard_view(hit, key, deadline_days).person
                who = person.person_id if person else "—"
            if who not in names:
                names.append(who)
        agencies = sorted({hit.person.agency for hit in group.hits if hit.person})
        members = (
            [
                (
                    item_href(hit.flag.id, links),
                    f"{hit.person.name if hit.person else hit.post.account_handle}"
                    f" · {hit.flag.score.probability:.2f}",
                )
                for hit in group.hits[:MEMBERS_SHOWN]
            ]
            if session.personal
            else []
        )
        shown.append(
            GroupRow(
                key=group.key,
                size=group.size,
                accounts=group.accounts,
                sample=excerpt(group.sample.post.text) if session.personal else None,
                sample_href=item_href(group.sample.flag.id, links) if session.personal else None,
                people=names[:3],
                more_people=max(0, len(names) - 3),
                agencies=agencies,
                top_score=group.top_score,
                clock=clock(oldest.flag.created_at, now, deadline_days, oldest.flag.status),
                found=oldest.flag.created_at,
                members=members,
            )
        )
    return shown
