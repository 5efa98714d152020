"""Registry import of 100,000 rows (CSV) into a fresh embedded store. Target: <= 20 s."""

from __future__ import annotations

import argparse

from _common import WORK, peak_rss_mb, report, timed

from netra.registry import import_registry, write_csv
from netra.store.sqlite import SqliteStore
from tests import synth


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    source = WORK / f"registry-{args.rows}.csv"
    if not source.exists():
        with source.open("w", newline="", encoding="utf-8") as out:
            write_csv(synth.people(args.rows, seed=5), out, account_groups=3)
    db = WORK / "registry-import.db"
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    store = SqliteStore(db)
    with timed() as first:
        result = import_registry(store, source)
    with timed() as again:
        repeat = import_registry(store, source)
    store.close()
    report(
        "registry_import",
        rows=args.rows,
        accounts=result.accounts,
        rejected=result.rejected,
        seconds=round(first(), 2),
        rows_per_s=round(args.rows / first()),
        reimport_seconds=round(again(), 2),
        reimport_unchanged=repeat.unchanged,
        peak_rss_mb=round(peak_rss_mb()),
    )


if __name__ == "__main__":
    main()
