"""``netra train``, ``netra eval``, ``netra score``: the classifier from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from classifiers.corpus import CorpusError, read_labelled
from netra.commands.common import fail, out, scorer_or_exit
from netra.domain.settings import get_settings


def register(app: typer.Typer) -> None:
    app.command()(train)
    app.command("eval")(evaluate)
    app.command()(score)


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
        raise fail(str(exc)) from exc
    test = artifact.metadata["metrics"]["test"]
    out.print(f"model {artifact.version} saved in {artifact.path} and marked current")
    out.print(
        f"held-out test: F1 {test['model']['f1']:.3f}, recall {test['model']['recall']:.3f},"
        f" precision {test['model']['precision']:.3f} at threshold {artifact.threshold:.3f};"
        f" baselines F1: TF-IDF {test['tfidf_baseline']['f1']:.3f},"
        f" keyword {test['keyword_baseline']['f1']:.3f}"
    )


def evaluate(
    data: Annotated[
        Path | None,
        typer.Option("--data", help="CSV or JSONL with columns text and label (1 partisan, 0 not)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object only")] = False,
    held_out: Annotated[
        bool,
        typer.Option(
            "--held-out/--no-held-out",
            help="refit without each real source and test on it (a few minutes)",
        ),
    ] = True,
) -> None:
    """Evaluate the current model and the baselines. Without --data: the synthetic test split,
    the real test split, each real source held out whole, and overall."""
    from netra.scoring import evaluate_file, generalisation_report

    settings = get_settings()
    if data is not None:
        try:  # a bad file fails fast, before any model is loaded or trained
            read_labelled(data)
        except CorpusError as exc:
            raise fail(str(exc)) from exc
    scorer = scorer_or_exit(settings)
    if data is not None:
        report = evaluate_file(scorer, data)
        rows = [(str(data), report)]
    else:
        report = generalisation_report(settings, scorer, held_out=held_out)
        rows = [("synthetic test", report["synthetic_test"])]
        if "real_test_family_split" in report:
            rows.append(("real test (family split)", report["real_test_family_split"]))
        for source, figures in report.get("held_out_sources", {}).items():
            name = "held out: all real sources" if source == "pooled" else f"held out: {source}"
            rows.append((name, _flatten(figures)))
        if "overall" in report:
            rows.append(("overall", report["overall"]))
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    out.print(_table(rows, scorer.artifact.version))


def _flatten(figures: dict) -> dict:
    """A held-out source's figures in the shape of the other rows (model + baselines)."""
    return {
        **figures["model"],
        "baselines": {
            "tfidf_logreg": figures["tfidf_baseline"],
            "keyword_lexicon": figures["keyword_baseline"],
        },
    }


def _table(rows: list[tuple[str, dict]], version: str) -> Table:
    table = Table(title=f"model {version}: precision / recall / F1 / PR-AUC")
    for column in ("data", "n", "model", "TF-IDF baseline", "keyword baseline"):
        table.add_column(column)

    def cell(m: dict) -> str:
        auc = "–" if m.get("pr_auc") is None else f"{m['pr_auc']:.3f}"
        return f"{m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f} / {auc}"

    for name, m in rows:
        b = m["baselines"]
        table.add_row(
            name, str(m["n"]), cell(m), cell(b["tfidf_logreg"]), cell(b["keyword_lexicon"])
        )
    return table


def score(
    text: Annotated[str, typer.Argument(help="the post text")],
    media: Annotated[
        list[str] | None, typer.Option("--media", help="a description of attached media")
    ] = None,
) -> None:
    """Score one post and show everything the classifier says about it (JSON)."""
    from classifiers.model import PostInput

    scorer = scorer_or_exit(get_settings())
    result = scorer.score([PostInput(text, media or [])])[0]
    typer.echo(result.score.model_dump_json(indent=2))
