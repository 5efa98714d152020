"""`netra run` and the scheduled DAGs are one cycle: from the same fake platform data they leave
the same review queue (the suspected posts, and an audit sample of the same size)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pendulum
import pytest
from dagruns import REGISTRY, WITA, run_dag
from typer.testing import CliRunner

from collectors.fake.server import FakeServer
from netra.domain.models import FlagOrigin
from netra.store.base import each_hit
from netra.store.sqlite import SqliteStore


def _queue(store: SqliteStore) -> tuple[set[tuple[str, str, str, float]], int]:
    """The classifier's and reports' flags (id, origin, category, probability) and how many
    audit items (drawn at random, so only their number can match)."""
    found = [hit.flag for hit in each_hit(store, None)]
    scored = {
        (f.id, f.origin.value, f.category.value, round(f.score.probability, 6))
        for f in found
        if f.origin is not FlagOrigin.AUDIT_SAMPLE
    }
    audited = sum(1 for f in found if f.origin is FlagOrigin.AUDIT_SAMPLE)
    return scored, audited


def test_netra_run_and_the_dags_leave_the_same_queue(
    dagbag: Any,
    world: tuple[SqliteStore, FakeServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from netra import cli
    from netra.commands.registry import import_file

    dag_store, _ = world
    # Both paths reach back past the oldest fake post, whatever hour the DAG's window ends.
    monkeypatch.setenv("NETRA_COLLECT_SINCE_DAYS", "90")
    hour = pendulum.now(WITA).start_of("hour")
    xcoms = run_dag(dagbag, "netra_collect_score", hour)
    run_dag(dagbag, "netra_recheck", hour)  # where the DAGs apply retention

    monkeypatch.setenv("NETRA_DB_PATH", str(tmp_path / "cli.db"))
    cli_store = SqliteStore(tmp_path / "cli.db")
    assert import_file(cli_store, REGISTRY, dry_run=False, encoding=None) == 0
    monkeypatch.setattr(cli, "encoder_in_use", lambda settings: "not loaded in this test")
    result = CliRunner().invoke(cli.app, ["run"])
    assert result.exit_code == 0, result.output

    dag_queue, dag_audited = _queue(dag_store)
    cli_queue, cli_audited = _queue(cli_store)
    cli_store.close()
    assert dag_queue and cli_queue == dag_queue
    assert cli_audited == dag_audited == xcoms["score"]["audited"] > 0
    assert f"{dag_audited} as audit items" in result.output
