"""Turning store records into API bodies, with what each role may see."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Query
from pydantic import AfterValidator, AwareDatetime, BeforeValidator

from api.schemas import (
    Evidence,
    FlagDashboard,
    FlagDetail,
    FlagFacts,
    FlagPublic,
    FlagsDashboard,
    FlagsPublic,
    PersonPseudonymous,
    PersonPublic,
    PostSummary,
    QueueFilterBody,
    SimilarPublic,
)
from netra.domain.access import sees_personal_data
from netra.domain.models import (
    Category,
    Flag,
    FlagOrigin,
    FlagStatus,
    Person,
    Platform,
    Post,
    User,
    utcnow,
)
from netra.domain.privacy import flag_pseudonym, pseudonym
from netra.domain.textsearch import check_query
from netra.review import OPEN
from netra.store.base import FlagFilter, FlagHit, FlagPage, Store


def pseudonymous_person(person: Person, key: bytes) -> PersonPseudonymous:
    return PersonPseudonymous(
        person_id=pseudonym(person.nip, key),
        employment_type=person.employment_type.value,
        agency=person.agency,
        region_code=person.region_code,
        region_name=person.region_name,
    )


def person_view(
    person: Person | None, user: User, key: bytes
) -> PersonPublic | PersonPseudonymous | None:
    if person is None:
        return None
    masked = pseudonymous_person(person, key)
    if not sees_personal_data(user.role):
        return masked
    return PersonPublic(
        **masked.model_dump(),
        nip=person.nip,
        name=person.name,
        unit=person.unit,
        position=person.position,
    )


def post_view(post: Post, user: User) -> PostSummary:
    personal = sees_personal_data(user.role)
    return PostSummary(
        id=post.id,
        platform=post.platform,
        kind=post.kind,
        text=post.text,
        media=post.media,
        posted_at=post.created_at,
        collected_at=post.collected_at,
        deleted_at=post.deleted_at,
        edited=bool(post.edit_history),
        account_handle=post.account_handle if personal else None,
        url=post.url if personal else None,
    )


def flag_fields(flag: Flag, deadline_days: int, now: datetime | None = None) -> dict:
    now = now or utcnow()
    deadline = flag.created_at + timedelta(days=deadline_days)
    return {
        "id": flag.id,
        "status": flag.status,
        "category": flag.category,
        "origin": flag.origin,
        "probability": flag.score.probability,
        "stance": flag.score.stance,
        "assignees": flag.assignees,
        "version": flag.version,
        "discovered_at": flag.created_at,
        "updated_at": flag.updated_at,
        "hours_in_queue": round((now - flag.created_at).total_seconds() / 3600, 1),
        "report_deadline": deadline,
        "overdue": flag.status in OPEN and now > deadline,
    }


def flag_view(hit: FlagHit, user: User, key: bytes, deadline_days: int) -> FlagPublic:
    return FlagPublic(
        **flag_fields(hit.flag, deadline_days),
        post=post_view(hit.post, user),
        person=person_view(hit.person, user, key),
    )


def dashboard_view(hit: FlagHit, key: bytes, deadline_days: int) -> FlagDashboard:
    """Counts, categories, regions, agencies and dates under pseudonymous ids: nothing that
    leads to a post or its author."""
    fields = flag_fields(hit.flag, deadline_days)
    return FlagDashboard(
        **{name: fields[name] for name in FlagFacts.model_fields},
        id=flag_pseudonym(hit.flag.id, key),
        platform=hit.post.platform,
        posted_at=hit.post.created_at,
        person=pseudonymous_person(hit.person, key) if hit.person else None,
    )


def queue_page(
    page: FlagPage, user: User, key: bytes, deadline_days: int
) -> FlagsPublic | FlagsDashboard:
    if not sees_personal_data(user.role):
        return FlagsDashboard(
            items=[dashboard_view(hit, key, deadline_days) for hit in page.items],
            next_cursor=page.next_cursor,
            total=page.total,
        )
    return FlagsPublic(
        items=[flag_view(hit, user, key, deadline_days) for hit in page.items],
        next_cursor=page.next_cursor,
        total=page.total,
    )


def flag_detail(
    hit: FlagHit, user: User, key: bytes, deadline_days: int, store: Store
) -> FlagDetail:
    personal = sees_personal_data(user.role)
    post = hit.post
    similar = []
    for near in store.similar(hit.flag.id, k=5):
        other = store.get_flag(near.flag_id)
        other_post = store.get_post(near.flag_id)
        if other and other_post:
            similar.append(
                SimilarPublic(
                    flag_id=near.flag_id,
                    similarity=round(near.similarity, 3),
                    status=other.status,
                    text=other_post.text[:280],
                )
            )
    account = None
    if personal and hit.person:
        account = next(
            (
                a
                for a in hit.person.accounts
                if a.handle.lower() == post.account_handle.lower() and a.platform is post.platform
            ),
            None,
        )
    evidence = (
        Evidence(
            raw=post.raw,
            raw_sha256=post.raw_sha256,
            collected_at=post.collected_at,
            last_checked_at=post.last_checked_at,
            deleted_at=post.deleted_at,
            mapping_version=post.mapping_version,
            earlier_versions=post.edit_history,
        )
        if personal
        else None
    )
    return FlagDetail(
        **flag_fields(hit.flag, deadline_days),
        post=post_view(post, user),
        person=person_view(hit.person, user, key),
        score=hit.flag.score,
        evidence=evidence,
        account=account,
        similar=similar,
    )


def _iso_only(value: object) -> object:
    """Query times must be ISO 8601 text; a bare number is not silently read as epoch seconds."""
    if isinstance(value, str) and not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        raise ValueError(
            "expected an ISO 8601 date-time with a time zone, e.g. 2024-11-01T00:00:00+08:00"
        )
    return value


def _has_utc_twin(value: datetime) -> datetime:
    """Times are compared in UTC: 0001-01-01T00:00:00+01:00 falls before the first UTC instant."""
    try:
        value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("out of range: the time in UTC must fall within years 0001-9999") from exc
    return value


IsoDatetime = Annotated[AwareDatetime, BeforeValidator(_iso_only), AfterValidator(_has_utc_twin)]


def _calendar_day_only(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a calendar day YYYY-MM-DD, e.g. 2024-11-27")
    return value


IsoDate = Annotated[date, BeforeValidator(_calendar_day_only)]
# Full text: blank is no search; a query without a searchable word is a 422, never the whole queue.
SearchText = Annotated[
    str | None,
    Query(max_length=200, description="full text (Indonesian stemming, #hashtags)"),
    AfterValidator(check_query),
]


def queue_filters(
    status: Annotated[list[FlagStatus] | None, Query(description="any of these statuses")] = None,
    category: Annotated[list[Category] | None, Query()] = None,
    platform: Annotated[list[Platform] | None, Query()] = None,
    origin: Annotated[list[FlagOrigin] | None, Query()] = None,
    agency: Annotated[list[str] | None, Query(max_length=200)] = None,
    region: Annotated[
        list[str] | None, Query(max_length=20, description="region code, e.g. 64.71")
    ] = None,
    assignee: Annotated[str | None, Query(max_length=80)] = None,
    unassigned: bool = False,
    score_min: Annotated[float | None, Query(ge=0, le=1)] = None,
    score_max: Annotated[float | None, Query(ge=0, le=1)] = None,
    posted_from: Annotated[
        IsoDatetime | None, Query(description="ISO 8601 with a time zone")
    ] = None,
    posted_to: Annotated[IsoDatetime | None, Query(description="exclusive")] = None,
    flagged_from: Annotated[
        IsoDatetime | None, Query(description="when the flag entered the queue")
    ] = None,
    flagged_to: Annotated[IsoDatetime | None, Query(description="exclusive")] = None,
) -> FlagFilter:
    return FlagFilter(
        statuses=frozenset(status or ()),
        categories=frozenset(category or ()),
        platforms=frozenset(platform or ()),
        origins=frozenset(origin or ()),
        agencies=frozenset(agency or ()),
        region_codes=frozenset(region or ()),
        assignee=assignee,
        unassigned=unassigned,
        score_min=score_min,
        score_max=score_max,
        posted_from=posted_from,
        posted_to=posted_to,
        flagged_from=flagged_from,
        flagged_to=flagged_to,
    )


QueueFilters = Annotated[FlagFilter, Depends(queue_filters)]


def filter_from_body(body: QueueFilterBody) -> FlagFilter:
    return FlagFilter(
        statuses=frozenset(body.status),
        categories=frozenset(body.category),
        platforms=frozenset(body.platform),
        origins=frozenset(body.origin),
        agencies=frozenset(body.agency),
        region_codes=frozenset(body.region),
        assignee=body.assignee,
        score_min=body.score_min,
        score_max=body.score_max,
    )
