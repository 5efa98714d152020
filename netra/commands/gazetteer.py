"""``netra gazetteer …``: load the official candidate list of a new election, list what is known."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netra.commands.common import EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE, err, fail, out
from netra.domain.settings import get_settings

gazetteer_app = typer.Typer(
    no_args_is_help=True, help="Elections, candidates and parties the classifier knows."
)


@gazetteer_app.command("import")
def gazetteer_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: election, region, ballot_number, names, parties (lists split by ';'),"
            " optional election_name, region_name, aliases, hashtags, accounts, campaign_start,"
            " campaign_end, voting_day, source"
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check and report, write nothing")
    ] = False,
    encoding: Annotated[str, typer.Option(help="file encoding")] = "utf-8-sig",
) -> None:
    """Import an official candidate list. Exit 0: all rows good; 3: some rejected (the rest is
    imported); 2: file unreadable. Importing the same file again replaces its earlier import."""
    from classifiers.gazetteer_files import GazetteerFileError, read_csv, write_csv
    from netra.scoring import imported_gazetteer_dir

    settings = get_settings()
    try:
        report = read_csv(file, encoding=encoding)
    except GazetteerFileError as exc:
        raise fail(str(exc)) from exc
    for line in report.rejected:
        err.print(line, markup=False)
    target = imported_gazetteer_dir(settings) / f"{file.stem}.csv"
    if report.accepted_rows and not dry_run:
        write_csv(report.accepted_rows, target)
    candidates = sum(len(e.candidates) for e in report.elections)
    verb = "would import" if dry_run else "imported"
    out.print(
        f"{file}: {verb} {len(report.elections)} elections, {candidates} candidates;"
        f" rejected {len(report.rejected)} rows"
        + ("" if dry_run or not report.accepted_rows else f" → {target}"),
        markup=False,
    )
    if not report.accepted_rows and not report.rejected:
        raise typer.Exit(EXIT_UNREADABLE)
    raise typer.Exit(EXIT_REJECTED if report.rejected else EXIT_OK)


@gazetteer_app.command("list")
def gazetteer_list(
    region: Annotated[str | None, typer.Option(help="only this region code (prefix)")] = None,
    candidates: Annotated[
        bool, typer.Option("--candidates", help="one row per candidate instead of per election")
    ] = False,
) -> None:
    """The elections (bundled and imported) with their candidates, and the party count."""
    from classifiers.gazetteer_files import GazetteerFileError, iter_summary
    from netra.scoring import gazetteer

    try:
        known = gazetteer(get_settings())
    except (GazetteerFileError, ValueError) as exc:
        raise fail(str(exc)) from exc
    elections = [e for e in known.elections if region is None or e.region_code.startswith(region)]
    if candidates:
        table = Table("election", "no", "names", "parties")
        for e in sorted(elections, key=lambda e: (e.region_code, e.id)):
            for c in e.candidates:
                table.add_row(
                    e.id, f"{c.ballot_number:02d}", " – ".join(c.names), ", ".join(c.parties)
                )
    else:
        table = Table("election", "region", "voting day", "candidates", "source")
        for row in iter_summary(elections):
            table.add_row(row[0], row[1], row[2], str(row[3]), row[4])
    out.print(table)
    out.print(
        f"{len(elections)} elections, {sum(len(e.candidates) for e in elections)} candidates,"
        f" {len(known.parties)} parties",
        markup=False,
    )
