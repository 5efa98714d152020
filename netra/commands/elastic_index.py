"""``netra index migrate``: the Elasticsearch store's index templates, versioned indices and
aliases, created idempotently (what exists already is left as it is)."""

from __future__ import annotations

import typer

from netra.commands.common import EXIT_FAILED, EXIT_OK, fail, out
from netra.domain.settings import get_settings
from netra.store import StoreError

index_app = typer.Typer(no_args_is_help=True, help="Elasticsearch indices of the store.")


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")


@index_app.command("migrate")
def migrate() -> None:
    """Install the templates and create the indices and aliases under NETRA_ES_INDEX_PREFIX."""
    from netra.store.elastic.admin import ElasticAdmin
    from netra.store.elastic.connection import ElasticConnection

    settings = get_settings()
    if not settings.es_url:
        raise fail("NETRA_ES_URL is not set: the embedded store needs no migration", EXIT_FAILED)
    connection = ElasticConnection(
        settings.es_url,
        api_key=settings.es_api_key.get_secret_value() if settings.es_api_key else None,
        username=settings.es_username,
        password=settings.es_password.get_secret_value() if settings.es_password else None,
        ca_certs=settings.es_ca_certs,
        prefix=settings.es_index_prefix,
    )
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
