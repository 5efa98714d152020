"""``netra train``, ``netra eval``, ``netra score``: the classifier from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from classifiers.corpus import CorpusError, read_labelled
from netra.commands.common import fail, out, scorer_or_exit
from netra.settings import get_settings


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
            raise fail(str(exc)) from exc
    scorer = scorer_or_exit(settings)
    if data is None:
        report = run_evaluation(scorer, held_out_examples(settings), "held-out test split")
    else:
        report = evaluate_file(scorer, data)
    typer.echo(json.dumps(report, ensure_ascii=False))


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
