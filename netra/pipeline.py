"""The steps of a Netra cycle: collect, recheck, score and flag, file imports and public reports.

The CLI (``netra collect``, ``netra run``) and the Airflow DAGs call these same functions; neither
holds business logic of its own. Each step is idempotent: every write is an upsert by id.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from collectors.base import AccountUnavailable, Collector, Target, keyed
from collectors.bluesky import BlueskyCollector
from collectors.files import (
    FileImport,
    PublicReport,
    import_generic,
    import_meta_export,
    map_report,
    registry_owners,
)
from collectors.http import ApiError, HttpPolicy, HttpStats, PlatformHttp, RateLimiter, make_client
from collectors.mastodon import MastodonCollector
from collectors.tiktok import TikTokCollector
from collectors.x import XCollector
from collectors.youtube import YouTubeCollector
from netra.models import AccountStatus, Flag, FlagOrigin, Platform, Post, utcnow
from netra.sampling import draw_audit_sample
from netra.settings import Settings
from netra.store.base import ScoreRecord, Store

if TYPE_CHECKING:
    from netra.retraining import RetrainOutcome

log = logging.getLogger(__name__)

API_PLATFORMS = (Platform.X, Platform.BLUESKY, Platform.MASTODON, Platform.YOUTUBE, Platform.TIKTOK)
FILE_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM)  # Meta allows no direct collection

Progress = Callable[[str, int], None]  # (account label, posts stored so far)


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


def add_counts(parts: Iterable[Iterable[Mapping[str, int | float]] | None]) -> dict[str, float]:
    """Sum the counts of many batches (grouped, e.g. per platform; a group may be empty)."""
    totals: dict[str, float] = {}
    for group in parts:
        for counts in group or ():
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
    return totals


def _url(settings: Settings, platform: Platform, default: str) -> str:
    return (
        f"{settings.platform_url.rstrip('/')}/{platform.value}"
        if settings.platform_url
        else default
    )


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


def build_collectors(
    settings: Settings, client: httpx.Client, stats: HttpStats
) -> dict[Platform, Collector]:
    """One collector per API platform, sharing one client, each with its own rate limiter."""
    policy = HttpPolicy(
        requests_per_second=settings.http_requests_per_second,
        max_rate_limit_wait=settings.max_rate_limit_wait_seconds,
    )

    def http(platform: Platform) -> PlatformHttp:
        return PlatformHttp(
            client, platform.value, policy, stats, RateLimiter(policy.requests_per_second)
        )

    mastodon_url = _url(settings, Platform.MASTODON, settings.mastodon_api_url or "") or None
    return {
        Platform.X: XCollector(
            http(Platform.X),
            _url(settings, Platform.X, settings.x_api_url),
            _secret(settings.x_bearer_token),
        ),
        Platform.BLUESKY: BlueskyCollector(
            http(Platform.BLUESKY), _url(settings, Platform.BLUESKY, settings.bluesky_api_url)
        ),
        Platform.MASTODON: MastodonCollector(http(Platform.MASTODON), mastodon_url),
        Platform.YOUTUBE: YouTubeCollector(
            http(Platform.YOUTUBE),
            _secret(settings.youtube_api_key),
            _url(settings, Platform.YOUTUBE, settings.youtube_api_url),
        ),
        Platform.TIKTOK: TikTokCollector(
            http(Platform.TIKTOK),
            settings.tiktok_client_key,
            _secret(settings.tiktok_client_secret),
            _url(settings, Platform.TIKTOK, settings.tiktok_api_url),
        ),
    }


def targets(
    store: Store, platforms: Iterable[Platform] | None = None, handle: str | None = None
) -> list[Target]:
    wanted = set(platforms or API_PLATFORMS) & set(API_PLATFORMS)
    found = [
        Target(account, nip)
        for nip, account in store.iter_accounts()
        if account.platform in wanted
        and (handle is None or account.handle.lower() == handle.lstrip("@").lower())
    ]
    return found


def collect(
    store: Store,
    settings: Settings,
    platforms: Iterable[Platform] | None = None,
    handle: str | None = None,
    since: datetime | None = None,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
    only: list[Target] | None = None,
    run_info: Mapping[str, Any] | None = None,
) -> CollectSummary:
    """Collect new public posts of registered accounts. A page's checkpoint is stored only after
    its posts are; an account that fails or is gone is reported and the run goes on.
    ``run_info`` (e.g. the scheduler's run and batch) is kept with the run's record."""
    started = utcnow()
    since = since or started - timedelta(days=settings.collect_since_days)
    summary = CollectSummary()
    stats = HttpStats()
    own_client = client is None
    client = client or make_client()
    collectors = build_collectors(settings, client, stats)
    backlog = store.quarantine_backlog()
    try:
        for target in only if only is not None else targets(store, platforms, handle):
            retry = _retry_plan(backlog, target, since, settings)
            _collect_account(
                store, collectors[target.account.platform], target, since, summary, progress, retry
            )
    finally:
        if own_client:
            client.close()
    summary.rate_limit_waits = stats.rate_limit_waits
    summary.rate_limit_wait_seconds = stats.rate_limit_wait_seconds
    summary.requests = stats.requests
    youtube = collectors.get(Platform.YOUTUBE)
    if isinstance(youtube, YouTubeCollector) and youtube.quota_units:
        summary.quota_units["youtube"] = youtube.quota_units
    store.save_collection_run(started, utcnow(), {**summary.as_dict(), **(run_info or {})})
    return summary


# -- batches for parallel workers -----------------------------------------------------------------


@dataclass(frozen=True)
class AccountBatch:
    """A contiguous range of one platform's accounts by lower-case handle, [handle_from,
    handle_to); None is open. Ranges stay right when the registry changes between planning and
    collecting (a new account falls into exactly one range), and they are small enough to pass
    between scheduler tasks, unlike lists of handles."""

    platform: str
    handle_from: str | None
    handle_to: str | None
    accounts: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def plan_batches(
    store: Store, platform: Platform, batch_size: int, max_batches: int
) -> list[AccountBatch]:
    """One platform's accounts cut into ranges of ``batch_size``, or into ``max_batches``
    larger ones when there are too many accounts (Airflow maps at most 1,024 tasks)."""
    keys = [account.handle.lower() for _, account in store.iter_accounts(platform)]
    if not keys:
        return []
    size = max(batch_size, -(-len(keys) // max_batches))
    starts = list(range(0, len(keys), size))
    return [
        AccountBatch(
            platform=platform.value,
            handle_from=None if i == 0 else keys[start],
            handle_to=keys[starts[i + 1]] if i + 1 < len(starts) else None,
            accounts=min(size, len(keys) - start),
        )
        for i, start in enumerate(starts)
    ]


def collect_batch(
    store: Store,
    settings: Settings,
    batch: AccountBatch,
    since: datetime | None = None,
    client: httpx.Client | None = None,
    run_info: Mapping[str, Any] | None = None,
) -> CollectSummary:
    """Collect the accounts of one batch (see :func:`collect`)."""
    platform = Platform(batch.platform)
    if platform not in API_PLATFORMS:
        raise ValueError(f"{platform.value}: not collected from an API (use a file import)")
    chosen = [
        Target(account, nip)
        for nip, account in store.iter_accounts(platform, batch.handle_from, batch.handle_to)
    ]
    return collect(store, settings, since=since, client=client, only=chosen, run_info=run_info)


@dataclass(frozen=True)
class QuarantineRetry:
    """An account with pending quarantined items is collected from scratch (its checkpoint
    ignored), back far enough to reach the oldest of them; then they are settled: resolved when
    not quarantined again, given up after ``max_attempts``."""

    since: datetime
    max_attempts: int


def _retry_plan(
    backlog: Mapping[tuple[Platform, str], datetime],
    target: Target,
    since: datetime,
    settings: Settings,
) -> QuarantineRetry | None:
    first_seen = backlog.get((target.account.platform, target.account.handle.lower()))
    if first_seen is None:
        return None
    # An item first seen at T was posted after T minus the look-back of the run that saw it.
    reach = first_seen - timedelta(days=settings.collect_since_days)
    return QuarantineRetry(min(since, reach), settings.quarantine_max_attempts)


def quarantine_targets(store: Store) -> tuple[list[Target], int]:
    """The registered API accounts with pending quarantined items, and how many accounts with
    pending items cannot be collected again (file imports, accounts no longer registered)."""
    backlog = store.quarantine_backlog()
    found = [
        Target(account, nip)
        for nip, account in store.iter_accounts()
        if account.platform in API_PLATFORMS
        and (account.platform, account.handle.lower()) in backlog
    ]
    return found, len(backlog) - len(found)


def _collect_account(
    store: Store,
    collector: Collector,
    target: Target,
    since: datetime,
    summary: CollectSummary,
    progress: Progress | None,
    retry: QuarantineRetry | None = None,
) -> None:
    account = target.account
    label = f"{account.platform.value}:{account.handle}"
    checkpoint = None if retry else store.get_checkpoint(account.platform, account.handle)
    started = utcnow()
    seen: Counter[str] = Counter()  # identical unmappable payloads in this pass
    stored = 0
    try:
        for page in collector.pages(
            target, checkpoint.cursor if checkpoint else None, retry.since if retry else since
        ):
            if page.posts:
                result = store.upsert_posts(page.posts)
                summary.posts_new += result.new
                summary.posts_edited += result.edited
                stored += result.new
            if page.quarantined:
                summary.quarantined += store.quarantine(keyed(page.quarantined, seen))
            store.set_checkpoint(account.platform, account.handle, page.checkpoint)
            if progress:
                progress(label, stored)
    except AccountUnavailable as gone:
        store.set_account_status(account.platform, account.handle, gone.status, utcnow())
        summary.accounts_unavailable += 1
        summary.unavailable.append(
            {"account": label, "status": gone.status.value, "detail": gone.detail}
        )
        return
    except (ApiError, httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        # The checkpoint still points at the last stored page: the next run resumes from there.
        log.warning("%s: collection failed: %s", label, exc)
        summary.accounts_failed += 1
        summary.failures.append({"account": label, "error": f"{type(exc).__name__}: {exc}"[:300]})
        return
    if account.status is not AccountStatus.ACTIVE:  # it came back
        store.set_account_status(account.platform, account.handle, AccountStatus.ACTIVE, utcnow())
    summary.accounts_ok += 1
    if retry:
        settled = store.settle_quarantine(
            account.platform, account.handle, started, retry.max_attempts
        )
        summary.quarantine_resolved += settled.resolved
        summary.quarantine_given_up += settled.given_up


# -- re-check -----------------------------------------------------------------------------------


def recheck(
    store: Store,
    settings: Settings,
    client: httpx.Client | None = None,
    platform: Platform | None = None,
) -> CollectSummary:
    """Revisit posts in the queue (of one platform, or all): an edit is stored (the earlier
    version stays as evidence), a deletion is marked with the time it was seen gone (the evidence
    stays)."""
    summary = CollectSummary()
    stats = HttpStats()
    own_client = client is None
    client = client or make_client()
    owners = {
        (a.platform.value, a.handle.lower()): Target(a, nip)
        for nip, a in store.iter_accounts(platform)
    }
    try:
        collectors = build_collectors(settings, client, stats)
        by_account: dict[tuple[str, str], list[Post]] = {}
        for post in store.flagged_posts(platform):
            if post.platform in collectors:
                by_account.setdefault(
                    (post.platform.value, post.account_handle.lower()), []
                ).append(post)
        for key, posts in by_account.items():
            target = owners.get(key)
            if target is None:
                continue
            try:
                current = collectors[posts[0].platform].lookup([p.native_id for p in posts], target)
            except (ApiError, httpx.HTTPError, AccountUnavailable) as exc:
                summary.accounts_failed += 1
                summary.failures.append({"account": f"{key[0]}:{key[1]}", "error": str(exc)[:300]})
                continue
            seen_at = utcnow()
            for post in posts:
                if post.native_id not in current:
                    continue  # the platform could not say (e.g. outside its search window)
                fresh = current[post.native_id]
                if fresh is None:
                    summary.posts_deleted += int(store.mark_deleted(post.id, seen_at))
                    continue
                checked = fresh.model_copy(
                    update={"person_nip": post.person_nip, "last_checked_at": seen_at}
                )
                summary.posts_edited += store.upsert_posts([checked]).edited
            summary.accounts_ok += 1
    finally:
        if own_client:
            client.close()
    summary.requests = stats.requests
    summary.rate_limit_waits = stats.rate_limit_waits
    return summary


# -- scoring ------------------------------------------------------------------------------------


@dataclass
class ScoreSummary:
    scored: int = 0
    flagged: int = 0
    audited: int = 0
    model_version: str = ""


def score_and_flag(
    store: Store, scorer: Any, batch_size: int = 1024, audit_rate: float = 0.0
) -> ScoreSummary:
    """Score every post the current model has not scored; queue those at or over the threshold,
    and a random ``audit_rate`` share of the rest as audit items.
    ``scorer`` is a classifiers.model.Scorer (kept loose here so the store layer stays light)."""
    from classifiers.model import PostInput

    version = scorer.artifact.version
    summary = ScoreSummary(model_version=version)
    position = 0
    while True:
        posts, position = store.unscored_posts(version, limit=batch_size, after_rowid=position)
        if not posts:
            unflagged = summary.scored - summary.flagged
            summary.audited = len(draw_audit_sample(store, round(unflagged * audit_rate), version))
            return summary
        results = scorer.score(
            [PostInput(p.text, p.media) for p in posts],
            # Only what enters the queue keeps an explanation; a report always enters it.
            explain_unflagged=[p.platform is Platform.REPORT for p in posts],
        )
        flags, embeddings = [], {}
        for post, result in zip(posts, results, strict=True):
            # A citizen's report always reaches an analyst, whatever the score says.
            reported = post.platform is Platform.REPORT
            if result.score.flagged or reported:
                at = result.score.scored_at
                origin = FlagOrigin.PUBLIC_REPORT if reported else FlagOrigin.CLASSIFIER
                flags.append(
                    Flag(
                        id=post.id,
                        post_id=post.id,
                        origin=origin,
                        score=result.score,
                        category=result.score.category,
                        created_at=at,
                        updated_at=at,
                    )
                )
                embeddings[post.id] = result.embedding.tolist()
        if flags:
            store.upsert_flags(flags, embeddings)
        store.record_scores(
            [
                ScoreRecord(
                    p.id,
                    version,
                    r.score.probability,
                    r.score.threshold,
                    r.score.flagged,
                    r.score.scored_at,
                )
                for p, r in zip(posts, results, strict=True)
            ]
        )
        summary.scored += len(posts)
        summary.flagged += len(flags)


# -- weekly retraining ---------------------------------------------------------------------------


def retrain(store: Store, settings: Settings, seed: int = 13) -> RetrainOutcome:
    """Train a candidate on the corpus plus analysts' decisions; promote it only if it beats the
    current model on the held-out split (netra.retraining; imported here lazily: it needs
    scikit-learn and the encoder, which collection does not)."""
    from netra.retraining import retrain as train_and_compare

    return train_and_compare(store, settings, seed)


# -- daily digest ---------------------------------------------------------------------------------


@dataclass
class DigestOutcome:
    region: str
    subject: str
    files: list[Path]
    recipients: list[str]
    sent: bool


def previous_day(settings: Settings, now: datetime | None = None) -> date:
    """Yesterday in NETRA_TIMEZONE: the day a morning digest covers."""
    return (now or utcnow()).astimezone(settings.tz).date() - timedelta(days=1)


def daily_digest(
    store: Store,
    settings: Settings,
    day: date,
    region: str | None = None,
    send: bool = False,
    now: datetime | None = None,
) -> list[DigestOutcome]:
    """Build the digest of ``day`` for one region, or for all regions together and each region
    of the registry; write each under ``var/digests/``; with ``send``, mail each to its region's
    recipients (NETRA_DIGEST_RECIPIENTS). A region without recipients is written, not sent."""
    from netra import digest as digests

    if send:
        digests.require_mail(settings)  # before any work, not after the first digest
    known = store.regions()  # one scan of the registry for every digest of the run
    outcomes = []
    for code in [region] if region else [digests.ALL_REGIONS, *known]:
        rendered = digests.render(digests.gather(store, settings, day, code, now, known))
        files = digests.write_files(rendered, settings.var_dir / "digests")
        recipients = settings.digest_recipients.get(code, [])
        if send and recipients:
            digests.send(settings, digests.build_message(rendered, settings.mail_from, recipients))
            log.info("digest %s %s sent to %d recipients", day, code, len(recipients))
        outcomes.append(
            DigestOutcome(code, rendered.subject, files, recipients, send and bool(recipients))
        )
    return outcomes


def score_new_posts(store: Store, settings: Settings) -> dict[str, Any]:
    """Score what the current model has not scored yet, with the configured audit rate."""
    from netra.scoring import build_scorer

    summary = score_and_flag(store, build_scorer(settings), audit_rate=settings.audit_sample_rate)
    return asdict(summary)


# -- files and reports ----------------------------------------------------------------------------


def _owners(store: Store) -> dict[tuple[str, str], tuple[str, str | None]]:
    return registry_owners(
        (a.platform.value, a.handle, a.native_id, nip) for nip, a in store.iter_accounts()
    )


def import_file(store: Store, path: Path, kind: str) -> tuple[FileImport, int]:
    """``kind``: meta-facebook, meta-instagram or generic. Returns the import and posts stored new."""
    owners = _owners(store)
    if kind in ("meta-facebook", "meta-instagram"):
        platform = Platform.FACEBOOK if kind == "meta-facebook" else Platform.INSTAGRAM
        result = import_meta_export(path, platform, owners)
    elif kind == "generic":
        result = import_generic(path, owners)
    else:
        raise ValueError(f"unknown import kind {kind!r} (meta-facebook, meta-instagram, generic)")
    stored = store.upsert_posts(result.posts).new if result.posts else 0
    if result.quarantined:  # the same file imported again: attempts counted, not copies
        store.quarantine(keyed(result.quarantined, Counter()))
    return result, stored


def submit_report(store: Store, report: PublicReport) -> Post:
    """A citizen's report enters the same pipeline as a post; the contact is kept apart."""
    post = map_report(report, _owners(store))
    store.upsert_posts([post])
    if report.reporter_contact:
        store.save_report_contact(post.id, report.reporter_contact, post.collected_at)
    return post
