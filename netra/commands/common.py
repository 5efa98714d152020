"""What every command shares: consoles, exit codes, opening the store and the scorer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from classifiers.corpus import CorpusError
from classifiers.model import ModelNotFound, Scorer
from netra import metrics
from netra.domain.settings import Settings
from netra.store import Store, StoreError, open_store

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE, EXIT_REJECTED = 0, 1, 2, 3


def fail(message: str, code: int = EXIT_UNREADABLE) -> typer.Exit:
    err.print(f"error: {message}", markup=False)
    return typer.Exit(code)


@contextmanager
def open_store_or_exit(settings: Settings) -> Iterator[Store]:
    try:
        store = open_store(settings)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    try:
        with metrics.recording(settings):  # what the command counts, the API's /metrics shows
            yield store
    finally:
        store.close()


def scorer_or_exit(settings: Settings) -> Scorer:
    from netra.scoring import build_scorer

    try:
        return build_scorer(settings, announce=lambda message: err.print(message, markup=False))
    except (ModelNotFound, CorpusError, ValueError) as exc:
        raise fail(str(exc)) from exc
