"""``netra registry …``: import, show and export the ASN registry."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netra.commands.common import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_UNREADABLE,
    err,
    open_store_or_exit,
    out,
)
from netra.domain.settings import get_settings
from netra.registry import RegistryFileError, import_registry, write_csv, write_jsonl
from netra.store import Store

registry_app = typer.Typer(no_args_is_help=True, help="The registry of ASN and their accounts.")


def import_file(store: Store, file: Path, dry_run: bool, encoding: str | None) -> int:
    try:
        report = import_registry(store, file, dry_run=dry_run, encoding=encoding)
    except RegistryFileError as exc:
        err.print(f"error: {exc}", markup=False)
        return EXIT_UNREADABLE
    for error in report.errors:
        err.print(f"{file}:{error.line}: rejected: {error.reason}", markup=False)
    verb = "would import" if dry_run else "imported"
    out.print(
        f"{file}: {report.rows} rows; {verb} {report.new} new, {report.updated} updated"
        + ("" if dry_run else f", {report.unchanged} unchanged")
        + f" ({report.accounts} accounts); rejected {report.rejected}"
    )
    return EXIT_REJECTED if report.errors else EXIT_OK


@registry_app.command("import")
def registry_import(
    file: Annotated[Path, typer.Argument(help="CSV or JSONL file, one row per person")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check and report, write nothing")
    ] = False,
    encoding: Annotated[str | None, typer.Option(help="file encoding when not UTF-8")] = None,
) -> None:
    """Import people and accounts. Exit 0: all rows good; 3: some rejected; 2: file unreadable."""
    with open_store_or_exit(get_settings()) as store:
        raise typer.Exit(import_file(store, file, dry_run, encoding))


@registry_app.command("show")
def registry_show(nip: str) -> None:
    """Show one person and their accounts."""
    with open_store_or_exit(get_settings()) as store:
        person = store.get_person(nip.replace(" ", ""))
    if person is None:
        err.print(f"no person with NIP {nip}")
        raise typer.Exit(1)
    out.print(f"[bold]{person.name}[/bold]  NIP {person.nip}  ({person.employment_type.value})")
    out.print(f"{person.position or '-'}, {person.unit or '-'}")
    out.print(f"{person.agency} — {person.region_name} ({person.region_code})")
    table = Table("platform", "handle", "native id", "verified by", "status", "url")
    for a in person.accounts:
        table.add_row(
            a.platform.value,
            a.handle,
            a.native_id or "",
            a.verified_by.value,
            a.status.value,
            a.url or "",
        )
    out.print(table)


@registry_app.command("export")
def registry_export(
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file; default stdout")
    ] = None,
) -> None:
    """Export the registry in the format ``import`` reads (contains personal data)."""
    if fmt not in ("jsonl", "csv"):
        err.print(f"--format: {fmt!r} is not one of jsonl, csv")
        raise typer.Exit(EXIT_UNREADABLE)
    with open_store_or_exit(get_settings()) as store:
        stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            writer = write_jsonl if fmt == "jsonl" else write_csv
            count = writer(store.iter_people(), stream)
        except ValueError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(EXIT_UNREADABLE) from exc
        finally:
            if output:
                stream.close()
    err.print(f"exported {count} people")
