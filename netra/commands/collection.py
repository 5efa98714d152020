"""``netra collect``, ``recheck``, ``import-posts``, ``report``, ``quarantine``, ``run`` and
``fake-platforms``: getting public posts in, from platforms, files and citizens."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from collectors.base import Target
from collectors.files import ImportFileError, PublicReport
from netra import pipeline
from netra.commands.common import EXIT_FAILED, err, fail, open_store_or_exit, out, scorer_or_exit
from netra.domain.models import Platform, QuarantineState
from netra.domain.settings import get_settings
from netra.store import Store

quarantine_app = typer.Typer(
    help="Items that could not be mapped: list them, retry them.", invoke_without_command=True
)


def register(app: typer.Typer) -> None:
    for command in (collect, recheck, import_posts, report, run, fake_platforms):
        app.command(command.__name__.replace("_", "-"))(command)
    app.add_typer(quarantine_app, name="quarantine")


def _platforms(names: list[str] | None) -> list[Platform] | None:
    if not names:
        return None
    try:
        chosen = [Platform(n.lower()) for n in names]
    except ValueError as exc:
        raise fail(
            f"--platform: {exc}; one of {', '.join(p.value for p in pipeline.API_PLATFORMS)}"
        ) from exc
    files_only = [p.value for p in chosen if p in pipeline.FILE_PLATFORMS]
    if files_only:
        raise fail(
            f"{', '.join(files_only)}: Meta allows no direct collection; use 'netra import-posts'"
        )
    return chosen


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return (
            datetime.fromisoformat(value).replace(tzinfo=UTC)
            if len(value) == 10
            else datetime.fromisoformat(value)
        )
    except ValueError as exc:
        raise fail(f"--since: {value!r} is not a date (YYYY-MM-DD)") from exc


def print_collect_summary(summary: pipeline.CollectSummary) -> None:
    table = Table("", "count", title="collection", title_justify="left")
    rows = [
        ("accounts ok", summary.accounts_ok),
        ("accounts failed", summary.accounts_failed),
        ("accounts not found / suspended / protected", summary.accounts_unavailable),
        ("posts new", summary.posts_new),
        ("posts edited", summary.posts_edited),
        ("posts deleted", summary.posts_deleted),
        ("quarantined", summary.quarantined),
        ("quarantine resolved", summary.quarantine_resolved),
        ("quarantine given up", summary.quarantine_given_up),
        (
            "rate-limit waits",
            f"{summary.rate_limit_waits} ({summary.rate_limit_wait_seconds:.0f} s)",
        ),
        ("requests", summary.requests),
    ]
    rows += [
        (f"quota units ({platform})", units) for platform, units in summary.quota_units.items()
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    out.print(table)
    for gone in summary.unavailable:
        out.print(f"  {gone['account']}: {gone['status']} ({gone['detail']})", markup=False)
    for failure in summary.failures:
        err.print(f"  {failure['account']}: failed: {failure['error']}", markup=False)


@contextmanager
def _progress_bar(total: int) -> Iterator[pipeline.Progress]:
    """A transient bar on stderr, advanced once per account as collection reaches it."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[posts]} new posts"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("collecting", total=total, posts=0)
        done: set[str] = set()

        def progress(label: str, stored: int) -> None:
            if label not in done:
                done.add(label)
                bar.update(task, advance=1, description=label)

        yield progress


def _targets(store: Store, platforms: list[Platform] | None, account: str | None) -> list[Target]:
    chosen = pipeline.targets(store, platforms, account)
    if account and not chosen:
        raise fail(f"--account: no registered account {account!r} on an API platform")
    return chosen


def collect(
    platform: Annotated[
        list[str] | None, typer.Option("--platform", help="x, bluesky, mastodon, youtube, tiktok")
    ] = None,
    account: Annotated[str | None, typer.Option("--account", help="one registered handle")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="first-run lower bound, YYYY-MM-DD")
    ] = None,
) -> None:
    """Collect new public posts of registered accounts (incremental, resumable)."""
    settings = get_settings()
    with open_store_or_exit(settings) as store:
        chosen = _targets(store, _platforms(platform), account)
        with _progress_bar(len(chosen)) as progress:
            summary = pipeline.collect(
                store, settings, since=_since(since), progress=progress, only=chosen
            )
    print_collect_summary(summary)
    if summary.every_account_failed:
        raise typer.Exit(EXIT_FAILED)


def recheck() -> None:
    """Revisit posts in the queue for edits and deletions (the evidence is kept either way)."""
    settings = get_settings()
    with open_store_or_exit(settings) as store:
        summary = pipeline.recheck(store, settings)
    print_collect_summary(summary)


def import_posts(
    file: Annotated[Path, typer.Argument(help="the export or import file")],
    kind: Annotated[
        str, typer.Option("--kind", help="meta-facebook, meta-instagram or generic")
    ] = "generic",
) -> None:
    """Import posts from a file: Meta Content Library exports (CSV/JSON) or generic JSONL/CSV."""
    settings = get_settings()
    with open_store_or_exit(settings) as store:
        try:
            result, stored = pipeline.import_file(store, file, kind)
        except (ImportFileError, ValueError) as exc:
            raise fail(str(exc)) from exc
    for item in result.quarantined:
        err.print(f"{file}: quarantined: {item.error}", markup=False)
    out.print(
        f"{file}: {result.rows} rows; {stored} new posts; {result.not_registered} of unregistered"
        f" accounts skipped; {len(result.quarantined)} quarantined"
    )


def report(
    url: Annotated[str | None, typer.Option(help="link to the post or profile")] = None,
    text: Annotated[str | None, typer.Option(help="the post text, as the reporter saw it")] = None,
    screenshot: Annotated[str | None, typer.Option(help="what the screenshot shows")] = None,
    note: Annotated[str | None, typer.Option(help="the reporter's note")] = None,
    contact: Annotated[
        str | None, typer.Option(help="reporter contact (kept confidential)")
    ] = None,
) -> None:
    """Submit one public report; it enters the same pipeline and always reaches an analyst."""
    settings = get_settings()
    with open_store_or_exit(settings) as store:
        try:
            post = pipeline.submit_report(store, PublicReport(url, text, screenshot, note, contact))
        except ValueError as exc:
            raise fail(str(exc)) from exc
    linked = (
        f"linked to registered account {post.account_handle}"
        if post.person_nip
        else "no registered account recognised"
    )
    out.print(f"report {post.id} received ({linked})")


Limit = Annotated[int, typer.Option(help="how many, newest first")]
States = Annotated[
    list[QuarantineState] | None,
    typer.Option("--state", help="pending, resolved or given_up (repeatable); default: pending"),
]


@quarantine_app.callback()
def quarantine(ctx: typer.Context, limit: Limit = 20) -> None:
    """Without a command: the pending items (as `netra quarantine list`)."""
    if ctx.invoked_subcommand is None:
        quarantine_list(limit, None)


@quarantine_app.command("list")
def quarantine_list(limit: Limit = 20, state: States = None) -> None:
    """Items with their state, attempts, the reason and the raw payload."""
    with open_store_or_exit(get_settings()) as store:
        items = store.list_quarantine(limit, states=state or [QuarantineState.PENDING])
        counts = store.quarantine_counts()
    for item in items:
        payload = json.dumps(item.raw, ensure_ascii=False)[:160]
        out.print(
            f"{item.seen_at:%Y-%m-%d %H:%M} {item.platform.value}:{item.account}"
            f" [{item.state.value}, {item.attempts} attempt(s)]: {item.outcome or item.error}"
            f"\n    {payload}",
            markup=False,
        )
    if not items:
        out.print(
            "nothing in quarantine in that state" if state else "nothing pending in quarantine"
        )
    out.print(_quarantine_counts(counts))


def _quarantine_counts(counts: dict[QuarantineState, int]) -> str:
    return "quarantine: " + ", ".join(f"{n} {s.value.replace('_', ' ')}" for s, n in counts.items())


@quarantine_app.command("retry")
def quarantine_retry() -> None:
    """Collect again, from scratch, every registered account with pending items (`netra collect`
    does this too). Not quarantined again: resolved; quarantined NETRA_QUARANTINE_MAX_ATTEMPTS
    times: given up, with the reason. Items from file imports: import the file again."""
    settings = get_settings()
    with open_store_or_exit(settings) as store:
        chosen, elsewhere = pipeline.quarantine_targets(store)
        summary = pipeline.collect(store, settings, only=chosen) if chosen else None
        if summary:
            print_collect_summary(summary)
        counts = store.quarantine_counts()
    out.print(f"retried {len(chosen)} accounts; {_quarantine_counts(counts)}")
    if elsewhere:
        out.print(
            f"{elsewhere} accounts with pending items are not collected from an API (file imports"
            " or accounts no longer registered): import the file again"
        )
    if summary and summary.accounts_failed:
        raise typer.Exit(EXIT_FAILED)


def run(
    platform: Annotated[list[str] | None, typer.Option("--platform")] = None,
) -> None:
    """One cycle of the main job: collect, score and queue (with the audit sample), apply
    retention; the same steps, with the same settings, as the scheduled DAGs."""
    settings = get_settings()
    with open_store_or_exit(settings) as store:
        chosen = _targets(store, _platforms(platform), None)
        scorer = scorer_or_exit(
            settings
        )  # before collecting: a missing model stops nothing half-way
        with _progress_bar(len(chosen)) as progress:
            cycle = pipeline.run_cycle(store, settings, scorer, only=chosen, progress=progress)
    print_collect_summary(cycle.collected)
    scored = cycle.scored
    out.print(
        f"scored {scored.scored} posts with model {scored.model_version}; {scored.flagged} entered"
        f" the queue as dugaan, {scored.audited} as audit items; retention emptied"
        f" {cycle.emptied} unflagged posts"
    )
    if cycle.collected.every_account_failed:
        raise typer.Exit(EXIT_FAILED)


def fake_platforms(
    port: Annotated[int, typer.Option(help="port on 127.0.0.1")] = 8181,
    posts_per_account: Annotated[int, typer.Option(help="average posts per account")] = 10,
    days: Annotated[int, typer.Option(help="days the posts span")] = 30,
    faults: Annotated[str | None, typer.Option(help='JSON, e.g. {"rate_limit_every": 7}')] = None,
    registry: Annotated[Path | None, typer.Option(help="registry whose accounts get posts")] = None,
    seed: Annotated[int, typer.Option(help="the same seed gives the same posts")] = 27,
) -> None:
    """Serve the fake platforms (for the demo registry, or --registry) until interrupted."""
    from collectors.fake.server import Faults
    from netra.fake_platforms import start_fake_platforms

    settings = get_settings()
    plan = Faults()
    if faults:
        plan.update(json.loads(faults))
    server = start_fake_platforms(
        registry or settings.data_dir / "demo" / "registry.csv",
        settings.data_dir / "corpus",
        port=port,
        faults=plan,
        posts_per_account=posts_per_account,
        days=days,
        seed=seed,
    )
    out.print(
        f"fake platforms on {server.url} ({server.platforms.world.post_count} posts);"
        f" collect with NETRA_PLATFORM_URL={server.url}"
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
