"""The ``netra`` command."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from classifiers.corpus import CorpusError, read_labelled
from classifiers.model import ModelNotFound, Scorer
from netra.registry import RegistryFileError, import_registry, write_csv, write_jsonl
from netra.settings import Settings, get_settings
from netra.store import Store, StoreError, open_store

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="Netra: ASN neutrality monitoring."
)
registry_app = typer.Typer(no_args_is_help=True, help="The registry of ASN and their accounts.")
app.add_typer(registry_app, name="registry")

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

EXIT_OK, EXIT_UNREADABLE, EXIT_REJECTED = 0, 2, 3
DEMO_REGISTRY = "demo/registry.csv"


@contextmanager
def _store(settings: Settings) -> Iterator[Store]:
    try:
        store = open_store(settings)
    except StoreError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_UNREADABLE) from exc
    try:
        yield store
    finally:
        store.close()


def _import(store: Store, file: Path, dry_run: bool, encoding: str | None) -> int:
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
    with _store(get_settings()) as store:
        raise typer.Exit(_import(store, file, dry_run, encoding))


@registry_app.command("show")
def registry_show(nip: str) -> None:
    """Show one person and their accounts."""
    with _store(get_settings()) as store:
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
    with _store(get_settings()) as store:
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


def print_summary(store: Store) -> None:
    summary = store.summary()
    out.print(
        f"[bold]Registry[/bold]: {summary.people} ASN, {summary.accounts} accounts;"
        f" {summary.posts} posts, {summary.flags} flags in the queue"
    )
    platforms = Table("platform", "accounts")
    for platform, count in summary.accounts_by_platform.items():
        platforms.add_row(platform, str(count))
    agencies = Table("agency", "ASN")
    for agency, count in summary.people_by_agency.items():
        agencies.add_row(agency, str(count))
    out.print(platforms)
    out.print(agencies)


@app.command()
def status() -> None:
    """Summarise what the store holds."""
    with _store(get_settings()) as store:
        print_summary(store)


@app.command()
def demo() -> None:
    """The main job on the embedded default: set up the store, import the demo registry, report."""
    settings = get_settings()
    with _store(settings) as store:
        out.print(
            f"store: {settings.db_path} (SQLite, schema {getattr(store, 'schema_version', '?')})"
        )
        code = _import(store, settings.data_dir / DEMO_REGISTRY, dry_run=False, encoding=None)
        if code != EXIT_OK:
            raise typer.Exit(code)
        print_summary(store)
    scorer = _scorer(settings)
    test = scorer.artifact.metadata["metrics"]["test"]["model"]
    out.print(
        f"classifier: model {scorer.artifact.version} on {scorer.encoder.name}, threshold"
        f" {scorer.threshold:.3f} (held-out F1 {test['f1']:.3f}, recall {test['recall']:.3f})"
    )


def _scorer(settings: Settings) -> Scorer:
    from netra.scoring import build_scorer

    try:
        return build_scorer(settings, announce=lambda message: err.print(message, markup=False))
    except (ModelNotFound, CorpusError, ValueError) as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(EXIT_UNREADABLE) from exc


@app.command()
def train(
    extra: Annotated[
        list[Path] | None,
        typer.Option("--extra", help="more labelled CSV/JSONL (e.g. exported analyst decisions)"),
    ] = None,
    seed: Annotated[int, typer.Option(help="random seed; the same seed gives the same model")] = 13,
) -> None:
    """Train a model on the labelled corpus (plus --extra files) and make it current."""
    from netra.scoring import train_model

    settings = get_settings()
    try:
        artifact = train_model(settings, extra or [], seed)
    except (CorpusError, ValueError) as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(EXIT_UNREADABLE) from exc
    test = artifact.metadata["metrics"]["test"]
    out.print(f"model {artifact.version} saved in {artifact.path} and marked current")
    out.print(
        f"held-out test: F1 {test['model']['f1']:.3f}, recall {test['model']['recall']:.3f},"
        f" precision {test['model']['precision']:.3f} at threshold {artifact.threshold:.3f};"
        f" baselines F1: TF-IDF {test['tfidf_baseline']['f1']:.3f},"
        f" keyword {test['keyword_baseline']['f1']:.3f}"
    )


@app.command("eval")
def evaluate(
    data: Annotated[
        Path | None,
        typer.Option("--data", help="CSV or JSONL with columns text and label (1 partisan, 0 not)"),
    ] = None,
) -> None:
    """Evaluate the current model and the baselines; prints one JSON object.
    Without --data, the held-out test split of the labelled corpus is used."""
    from netra.scoring import evaluate as run_evaluation
    from netra.scoring import evaluate_file, held_out_examples

    settings = get_settings()
    if data is not None:
        try:  # a bad file fails fast, before any model is loaded or trained
            read_labelled(data)
        except CorpusError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(EXIT_UNREADABLE) from exc
    scorer = _scorer(settings)
    if data is None:
        report = run_evaluation(scorer, held_out_examples(settings), "held-out test split")
    else:
        report = evaluate_file(scorer, data)
    typer.echo(json.dumps(report, ensure_ascii=False))


@app.command()
def score(
    text: Annotated[str, typer.Argument(help="the post text")],
    media: Annotated[
        list[str] | None, typer.Option("--media", help="a description of attached media")
    ] = None,
) -> None:
    """Score one post and show everything the classifier says about it (JSON)."""
    from classifiers.model import PostInput

    scorer = _scorer(get_settings())
    result = scorer.score([PostInput(text, media or [])])[0]
    typer.echo(result.score.model_dump_json(indent=2))


@app.command("settings")
def show_settings() -> None:
    """Print the effective settings (secrets masked)."""
    data = json.loads(get_settings().model_dump_json())
    out.print_json(data=data)


if __name__ == "__main__":
    app()
