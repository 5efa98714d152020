"""``netra gazetteer import`` and ``list``: an official candidate list of a new election becomes
cues for the scorer; bad rows are reported with file and line, the rest is kept."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from classifiers.normalise import normalise
from netra.cli import app
from netra.domain.settings import Settings
from netra.scoring import gazetteer

runner = CliRunner()
HEADER = "election,region,ballot_number,names,parties,aliases,hashtags,accounts,voting_day\n"
GOOD = (
    "pilbup-contoh-2029,64.01,1,Andi Wiratama;Budi Santosa,PKB;Golkar,andi-budi,AndiBudi2029,"
    "@andibudi_official,2029-11-28\n"
    "pilbup-contoh-2029,64.01,2,Citra Kirana;Dedi Mulyana,PDIP,citra-dedi,,,2029-11-28\n"
)


def write(tmp_path: Path, body: str, name: str = "kpu-contoh.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_import_makes_the_new_candidates_cues_for_scoring(tmp_path: Path) -> None:
    result = runner.invoke(app, ["gazetteer", "import", str(write(tmp_path, GOOD))])
    assert result.exit_code == 0, result.output
    assert "imported 1 elections, 2 candidates; rejected 0 rows" in result.output

    known = gazetteer(Settings())
    post = "Ayo dukung Andi-Budi! @andibudi_official #AndiBudi2029"
    found = {(m.kind, m.value) for m in known.match_post(normalise(post), post)}
    label = "01 Andi Wiratama – Budi Santosa"
    assert {("candidate", label), ("account", label)} <= found
    assert any(kind == "hashtag" for kind, _ in found)

    listing = runner.invoke(app, ["gazetteer", "list", "--region", "64.01", "--candidates"])
    assert listing.exit_code == 0 and "Citra Kirana" in listing.output


def test_bad_rows_are_reported_and_the_rest_imported(tmp_path: Path) -> None:
    body = GOOD + (
        "pilbup-contoh-2029,64.01,2,Orang Lain,PDIP,,,,2029-11-28\n"  # number taken
        "Pilbup Contoh!,64.01,3,X Y,,,,,\n"  # bad id
        "pilbup-contoh-2029,6401,3,X Y,,,,,2029-11-28\n"  # bad region
        "pilbup-contoh-2029,64.01,tiga,X Y,,,,,2029-11-28\n"  # bad number
        "pilbup-contoh-2029,64.01,4,X Y,,,,,28/11/2029\n"  # bad date
        "pilbup-contoh-2029,64.01,5,,,,,,2029-11-28\n"  # no names
    )
    path = write(tmp_path, body)
    result = runner.invoke(app, ["gazetteer", "import", str(path)])
    assert result.exit_code == 3
    for line, reason in (
        (4, "ballot number 2 of pilbup-contoh-2029 appears twice"),
        (5, "election id 'Pilbup Contoh!'"),
        (6, "region '6401'"),
        (7, "ballot_number 'tiga'"),
        (8, "voting_day '28/11/2029' is not a date"),
        (9, "names is empty"),
    ):
        assert f"{path}:{line}: rejected: {reason}" in result.output
    assert "imported 1 elections, 2 candidates; rejected 6 rows" in result.output
    assert len(gazetteer(Settings()).elections) > 0


def test_dry_run_writes_nothing_and_a_missing_column_is_exit_2(tmp_path: Path) -> None:
    before = len(gazetteer(Settings()).elections)
    dry = runner.invoke(app, ["gazetteer", "import", "--dry-run", str(write(tmp_path, GOOD))])
    assert dry.exit_code == 0 and "would import 1 elections" in dry.output
    assert len(gazetteer(Settings()).elections) == before

    broken = tmp_path / "broken.csv"
    broken.write_text("election,region,names\nx,64,Y\n", encoding="utf-8")
    result = runner.invoke(app, ["gazetteer", "import", str(broken)])
    assert result.exit_code == 2 and "missing column(s) ballot_number, parties" in result.output


def test_reimporting_a_file_replaces_its_earlier_import(tmp_path: Path) -> None:
    runner.invoke(app, ["gazetteer", "import", str(write(tmp_path, GOOD))])
    corrected = GOOD.replace("Citra Kirana", "Citra Kusuma")
    runner.invoke(app, ["gazetteer", "import", str(write(tmp_path, corrected))])
    names = {
        n
        for e in gazetteer(Settings()).elections
        if e.id == "pilbup-contoh-2029"
        for c in e.candidates
        for n in c.names
    }
    assert "Citra Kusuma" in names and "Citra Kirana" not in names
