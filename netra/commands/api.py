"""``netra serve`` and ``netra users …``: the review API and who may use it."""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated

import typer
from rich.table import Table

from netra import metrics
from netra.commands.common import EXIT_FAILED, err, fail, open_store_or_exit, out
from netra.domain.models import Role
from netra.domain.privacy import WeakPseudonymKey, pseudonym_key
from netra.domain.settings import get_settings
from netra.store.base import StoreError

users_app = typer.Typer(no_args_is_help=True, help="API users and their tokens.")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(users_app, name="users")


def serve(
    host: Annotated[str | None, typer.Option(help="default NETRA_API_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="default NETRA_API_PORT")] = None,
    workers: Annotated[
        int, typer.Option(help="server processes (one per core is a good start)")
    ] = 1,
) -> None:
    """Serve the review API (docs at /docs)."""
    import uvicorn

    settings = get_settings()
    host, port = host or settings.api_host, port or settings.api_port
    try:
        pseudonym_key(settings)  # refuse here, plainly, rather than in every worker
    except WeakPseudonymKey as exc:
        raise fail(str(exc)) from exc
    if not is_loopback(host) and not settings.behind_tls_proxy:
        err.print(
            f"warning: serving plain HTTP on {host}, beyond this machine: bearer tokens and"
            " personal data cross the network unencrypted. Put a TLS-terminating proxy in front"
            " (then set NETRA_BEHIND_TLS_PROXY=true) or listen on 127.0.0.1.",
            markup=False,
        )
    out.print(f"Netra API on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    # The workers (and pipeline processes) record into one directory that any worker's /metrics
    # adds up; what dead processes of this host left there is folded before the workers start.
    os.environ[metrics.ENVIRONMENT] = str(metrics.prepare(metrics.directory_for(settings)))
    # Each worker process builds its own app and store connection from the same settings.
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


@users_app.command("add")
def users_add(
    name: str, role: Annotated[Role, typer.Option(help="analyst, supervisor, admin, dashboard")]
) -> None:
    """Create a user and print its token once (only a hash is stored)."""
    from netra.domain.access import hash_token, new_token, sign_in_link

    token = new_token()
    settings = get_settings()
    with open_store_or_exit(settings) as store:
        try:
            store.add_user(name, role, hash_token(token))
        except (StoreError, ValueError) as exc:
            raise fail(str(exc)) from exc
    out.print(f"user {name} ({role.value}) created; token (shown once): {token}", markup=False)
    out.print(f"web UI sign-in link (shown once): {sign_in_link(settings.review_ui_url, token)}", markup=False)


@users_app.command("list")
def users_list() -> None:
    """Users, their roles and whether they are revoked (tokens are never shown)."""
    with open_store_or_exit(get_settings()) as store:
        users = store.list_users()
    table = Table("name", "role", "created", "revoked")
    for user in users:
        table.add_row(
            user.name,
            user.role.value,
            f"{user.created_at:%Y-%m-%d %H:%M}",
            f"{user.revoked_at:%Y-%m-%d %H:%M}" if user.revoked_at else "",
        )
    out.print(table)


@users_app.command("revoke")
def users_revoke(name: str) -> None:
    """Revoke a user's token at once."""
    with open_store_or_exit(get_settings()) as store:
        if not store.revoke_user(name):
            out.print(f"no active user {name}")
            raise typer.Exit(EXIT_FAILED)
    out.print(f"user {name} revoked")
