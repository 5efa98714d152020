"""``netra index migrate``: the Elasticsearch store's index templates, versioned indices and
aliases, created idempotently (what exists already is left as it is). ``netra index reindex``:
the aliases moved to the current mapping version. ``netra index copy``: an embedded deployment's
posts and queue copied into Elasticsearch, resumable."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from netra.commands.common import EXIT_FAILED, EXIT_OK, EXIT_UNREADABLE, fail, out
from netra.domain.settings import Settings, get_settings
from netra.store import StoreError

if TYPE_CHECKING:
    from netra.store.elastic.connection import ElasticConnection

CHECKPOINT_FILE = "es-copy-checkpoint.json"
index_app = typer.Typer(no_args_is_help=True, help="Elasticsearch indices of the store.")


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")


def _connection(settings: Settings, why: str) -> ElasticConnection:
    from netra.store import elastic_connection

    if not settings.es_url:
        raise fail(f"NETRA_ES_URL is not set: {why}", EXIT_FAILED)
    return elastic_connection(settings)


@index_app.command("migrate")
def migrate() -> None:
    """Install the templates and create the indices and aliases under NETRA_ES_INDEX_PREFIX."""
    from netra.store.elastic.admin import ElasticAdmin

    connection = _connection(get_settings(), "the embedded store needs no migration")
    admin = ElasticAdmin(connection)
    try:
        done = admin.migrate()
    except StoreError as exc:
        raise fail(str(exc), EXIT_FAILED) from exc
    finally:
        admin.close()
    for role, what in done.items():
        out.print(f"{role}: {what}")
    raise typer.Exit(EXIT_OK)


@index_app.command("reindex")
def reindex_command() -> None:
    """Move the aliases to the current mapping version: new indices, _reindex, counts checked,
    one atomic alias swap. Nothing to do when they point at it already."""
    from netra.store.elastic.reindex import reindex

    connection = _connection(get_settings(), "the embedded store has no indices")
    try:
        done = reindex(connection)
    except StoreError as exc:
        raise fail(str(exc), EXIT_FAILED) from exc
    finally:
        connection.close()
    for role, what in done.items():
        out.print(f"{role}: {what}")
    raise typer.Exit(EXIT_OK)


@index_app.command("copy")
def copy_command(
    source: str = typer.Option("sqlite", "--from", help="Only sqlite: NETRA_DB_PATH."),
    target: str = typer.Option("es", "--to", help="Only es: NETRA_ES_URL."),
    batch: int = typer.Option(500, min=1, help="Documents per batch."),
    sample: int = typer.Option(50, min=0, help="Random posts and flags compared at the end."),
    restart: bool = typer.Option(False, help="Forget the checkpoint and copy from the start."),
) -> None:
    """Copy the embedded store's posts and queue (flags, embeddings, review events) into
    Elasticsearch; a rerun resumes from NETRA_VAR_DIR/es-copy-checkpoint.json."""
    from netra.store.elastic.adapter import ElasticPostQueueStore
    from netra.store.elastic.copy import Checkpoint, copy_embedded
    from netra.store.sqlite import SqliteStore

    if (source, target) != ("sqlite", "es"):
        raise fail("only --from sqlite --to es is supported", EXIT_UNREADABLE)
    settings = get_settings()
    connection = _connection(settings, "there is no Elasticsearch to copy to")
    path = settings.var_dir / CHECKPOINT_FILE
    if restart:
        path.unlink(missing_ok=True)
    embedded = SqliteStore(settings.db_path)
    cluster = ElasticPostQueueStore(connection, registry=embedded, refresh=False)
    try:
        report = copy_embedded(embedded, cluster, Checkpoint(path), batch=batch, sample=sample)
    except StoreError as exc:
        out.print(f"stopped: {exc}")
        out.print(f"the checkpoint {path} keeps the position reached: run it again to go on")
        raise typer.Exit(EXIT_FAILED) from exc
    finally:
        cluster.close()
        embedded.close()
    if report.resumed:
        out.print(f"resumed from {path}")
    for kind in ("posts", "flags", "events"):
        out.print(
            f"{kind}: copied {report.copied[kind]} now; sqlite {report.source_counts[kind]},"
            f" elasticsearch {report.target_counts[kind]}"
        )
    out.print(f"sample: {report.sampled} compared, {len(report.differences)} difference(s)")
    for line in report.differences:
        out.print(f"  {line}")
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)
    path.unlink(missing_ok=True)
    raise typer.Exit(EXIT_OK)
