"""`netra registry import/show/export` as a clerk would use them, bad files included."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import synth
from typer.testing import CliRunner

from netra.cli import app
from netra.registry import import_registry, write_csv, write_jsonl
from netra.store.sqlite import SqliteStore
from netra.store.sqlite.registry import RegistryTable

ROOT = Path(__file__).resolve().parents[2]
HEADER = (
    "nip,name,employment_type,agency,region_code,region_name,account1_platform,account1_handle\n"
)
GOOD = "198503122010011003,Rina Saputra,PNS,Dinas Kesehatan,64.71,Kota Balikpapan,x,rina_s\n"
GOOD2 = "199001012015032001,Budi Hakim,PPPK,Dinas Pendidikan,64,Provinsi Kalimantan Timur,tiktok,budi.h\n"

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def people_in_store(tmp_path: Path) -> int:
    store = SqliteStore(tmp_path / "netra.db")
    try:
        return store.summary().people
    finally:
        store.close()


def test_good_file_imports_and_reimport_is_idempotent(tmp_path: Path) -> None:
    f = write(tmp_path / "r.csv", HEADER + GOOD + GOOD2)
    first = run("registry", "import", str(f))
    assert first.exit_code == 0, first.output
    assert "2 new" in first.output
    second = run("registry", "import", str(f))
    assert second.exit_code == 0 and "0 new, 0 updated, 2 unchanged" in second.output
    store = SqliteStore(tmp_path / "netra.db")
    assert store.summary().accounts == 2
    store.close()


def test_bad_rows_are_reported_with_line_and_reason_and_good_rows_land(tmp_path: Path) -> None:
    bad_nip = "12345,Salah,PNS,Dinas X,64,Kaltim,x,salah1\n"
    bad_date = "198513122010011003,Tanggal,PNS,Dinas X,64,Kaltim,x,tgl\n"  # month 13
    bad_gender = "198503122010013003,Gender,PNS,Dinas X,64,Kaltim,x,gdr\n"
    unknown = "198001012005011002,Platform,PNS,Dinas X,64,Kaltim,friendster,pf\n"
    f = write(tmp_path / "r.csv", HEADER + GOOD + bad_nip + bad_date + bad_gender + unknown + GOOD2)
    result = run("registry", "import", str(f))
    assert result.exit_code == 3
    out = result.output
    assert f"{f}:3: rejected: NIP must be 18 digits" in out
    assert f"{f}:4: rejected: NIP digits 1-8 are not a valid birth date" in out
    assert f"{f}:5: rejected: NIP digit 15 (gender) must be 1 or 2" in out
    assert f"{f}:6: rejected: account 1: unknown platform 'friendster'" in out
    assert "2 new" in out and "rejected 4" in out
    assert people_in_store(tmp_path) == 2


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    f = write(tmp_path / "r.csv", HEADER + GOOD + GOOD2)
    result = run("registry", "import", "--dry-run", str(f))
    assert result.exit_code == 0 and "would import 2 new" in result.output
    assert people_in_store(tmp_path) == 0


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        (HEADER, "no rows"),
        ("\ufeff", "empty"),
        ("name,agency\nRina,Dinas\n", "lacks required column(s): nip"),
    ],
    ids=["empty", "header-only", "bom-only", "no-nip-column"],
)
def test_unusable_files_exit_2_with_a_reason(tmp_path: Path, content: str, message: str) -> None:
    f = write(tmp_path / "r.csv", content)
    result = run("registry", "import", str(f))
    assert result.exit_code == 2
    assert message in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("registry", "import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2 and "cannot read" in result.output


def test_utf8_bom_and_utf16_files_are_read(tmp_path: Path) -> None:
    row = GOOD.replace("Rina Saputra", "Rina Sa’adah")
    bom = write(tmp_path / "bom.csv", ("\ufeff" + HEADER + row).encode("utf-8"))
    assert run("registry", "import", str(bom)).exit_code == 0
    utf16 = write(tmp_path / "u16.csv", (HEADER + GOOD2).encode("utf-16"))
    assert run("registry", "import", str(utf16)).exit_code == 0
    store = SqliteStore(tmp_path / "netra.db")
    assert store.get_person("198503122010011003").name == "Rina Sa’adah"  # type: ignore[union-attr]
    store.close()


def test_wrong_encoding_names_the_line_and_the_way_out(tmp_path: Path) -> None:
    latin = (HEADER + GOOD.replace("Rina Saputra", "Renée Saputra")).encode("cp1252")
    f = write(tmp_path / "excel.csv", latin)
    result = run("registry", "import", str(f))
    assert result.exit_code == 2
    assert (
        "not UTF-8" in result.output and "line 2" in result.output and "--encoding" in result.output
    )
    assert run("registry", "import", "--encoding", "cp1252", str(f)).exit_code == 0


def test_duplicate_nip_and_shared_account_inside_one_file(tmp_path: Path) -> None:
    same_account = "199001012015032001,Budi Hakim,PPPK,Dinas Pendidikan,64,Kaltim,x,RINA_S\n"
    f = write(tmp_path / "r.csv", HEADER + GOOD + GOOD + same_account)
    result = run("registry", "import", str(f))
    assert result.exit_code == 3
    assert ":3: rejected: duplicate NIP, first seen on line 2" in result.output
    assert ":4: rejected: an account of this row is already listed on line 2" in result.output


def test_account_owned_by_another_person_is_rejected(tmp_path: Path) -> None:
    run("registry", "import", str(write(tmp_path / "a.csv", HEADER + GOOD)))
    thief = "199001012015032001,Budi Hakim,PPPK,Dinas Pendidikan,64,Kaltim,x,rina_s\n"
    result = run("registry", "import", str(write(tmp_path / "b.csv", HEADER + thief)))
    assert result.exit_code == 3 and "already belongs to another person" in result.output
    assert people_in_store(tmp_path) == 1


def test_jsonl_with_a_malformed_line(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "nip": "198503122010011003",
                "name": "Rina",
                "employment_type": "pns",
                "agency": "Dinkes",
                "region_code": "64.71",
                "region_name": "Balikpapan",
                "accounts": [{"platform": "bluesky", "handle": "rina.bsky.social"}],
            }
        ),
        '{"nip": "199001012015032001", "name": ',
        json.dumps(["not", "an", "object"]),
        json.dumps(
            {
                "nip": "199001012015032001",
                "name": "Budi",
                "employment_type": "PPPK",
                "agency": "Disdik",
                "region_code": "64",
                "region_name": "Kaltim",
                "hobby": "x",
            }
        ),
    ]
    f = write(tmp_path / "r.jsonl", "\n".join(lines) + "\n")
    result = run("registry", "import", str(f))
    assert result.exit_code == 3
    assert ":2: rejected: malformed JSON" in result.output
    assert ":3: rejected: expected a JSON object per line" in result.output
    assert ":4: rejected: unknown column(s): hobby" in result.output
    assert people_in_store(tmp_path) == 1


def test_a_failure_midway_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SqliteStore(tmp_path / "netra.db")
    population = list(synth.people(50, seed=1))
    store.upsert_people(population[:5])
    calls = {"n": 0}
    original = RegistryTable._merge_accounts

    def crash_on_30th(conn, nip, accounts):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 30:
            raise KeyboardInterrupt  # as if the operator hit Ctrl-C mid-import
        return original(conn, nip, accounts)

    monkeypatch.setattr(RegistryTable, "_merge_accounts", staticmethod(crash_on_30th))
    f = tmp_path / "r.jsonl"
    with f.open("w") as out:
        write_jsonl(population, out)
    with pytest.raises(KeyboardInterrupt):
        import_registry(store, f)
    assert store.summary().people == 5
    monkeypatch.setattr(RegistryTable, "_merge_accounts", staticmethod(original))
    assert import_registry(store, f).new == 45
    store.close()


def test_ten_thousand_rows(tmp_path: Path) -> None:
    f = tmp_path / "big.csv"
    population = list(synth.people(10_000, seed=3))
    with f.open("w", newline="") as out:
        write_csv(population, out, account_groups=3)
    result = run("registry", "import", str(f))
    assert result.exit_code == 0, result.output[-500:]
    store = SqliteStore(tmp_path / "netra.db")
    summary = store.summary()
    assert summary.people == 10_000
    assert summary.accounts == sum(len(p.accounts) for p in population)
    store.close()


def test_export_round_trips_through_import(tmp_path: Path) -> None:
    demo = ROOT / "data" / "demo" / "registry.csv"
    assert run("registry", "import", str(demo)).exit_code == 0
    for fmt in ("jsonl", "csv"):
        exported = tmp_path / f"out.{fmt}"
        result = run("registry", "export", "--format", fmt, "-o", str(exported))
        assert result.exit_code == 0, result.output
        again = run("registry", "import", "--dry-run", str(exported))
        assert again.exit_code == 0 and "would import 0 new, 60 updated" in again.output


def test_show_prints_person_and_accounts(tmp_path: Path) -> None:
    run("registry", "import", str(write(tmp_path / "a.csv", HEADER + GOOD)))
    shown = run("registry", "show", "198503122010011003")
    assert shown.exit_code == 0
    assert (
        "Rina Saputra" in shown.output
        and "rina_s" in shown.output
        and "Dinas Kesehatan" in shown.output
    )
    assert run("registry", "show", "199001012015032001").exit_code == 1


def test_hostile_rows_are_rejected_with_line_and_reason_and_good_rows_land(
    tmp_path: Path,
) -> None:
    huge_field = GOOD.replace("Rina Saputra", "R" * 140_000)
    f = write(tmp_path / "r.csv", HEADER + huge_field + GOOD2)
    result = run("registry", "import", str(f))
    assert result.exit_code == 3, result.output[-500:]
    assert f"{f}:2: rejected: a field is longer than 131,072 characters" in result.output
    assert people_in_store(tmp_path) == 1


def test_deeply_nested_and_overstuffed_jsonl_rows_are_rejected(tmp_path: Path) -> None:
    person = {
        "nip": "199001012015032001",
        "name": "Budi",
        "employment_type": "PPPK",
        "agency": "Disdik",
        "region_code": "64",
        "region_name": "Kaltim",
    }
    lines = [
        '{"nip": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps(
            {**person, "accounts": [{"platform": "x", "handle": f"h{i}"} for i in range(11)]}
        ),
        json.dumps({**person, "accounts": [{"platform": "x", "handle": "budi"}]}),
    ]
    f = write(tmp_path / "r.jsonl", "\n".join(lines) + "\n")
    result = run("registry", "import", str(f))
    assert result.exit_code == 3, result.output[-500:]
    assert f"{f}:1: rejected: malformed JSON: nested too deeply" in result.output
    assert f"{f}:2: rejected: 11 accounts; at most 10 per person" in result.output
    assert people_in_store(tmp_path) == 1


def test_a_hundred_thousand_unknown_columns_give_a_short_message(tmp_path: Path) -> None:
    extra = [f"c{i:06d}" for i in range(100_000)]
    header = HEADER.rstrip("\n") + "," + ",".join(extra) + "\n"
    row = GOOD.rstrip("\n") + "," + ",".join("v" for _ in extra) + "\n"
    result = run("registry", "import", str(write(tmp_path / "r.csv", header + row)))
    assert result.exit_code == 3
    assert "unknown column(s): c000000, c000001, c000002, c000003, c000004 and 99,995 more" in (
        result.output
    )
    assert len(result.output) < 1000


@pytest.mark.parametrize(
    "content",
    [bytes(range(256)) * 8, (HEADER + GOOD).encode("utf-16-le")],
    ids=["random-bytes", "utf16-without-bom"],
)
def test_binary_files_are_not_text_in_a_known_encoding(tmp_path: Path, content: bytes) -> None:
    f = write(tmp_path / "r.csv", content)
    result = run("registry", "import", str(f))
    assert result.exit_code == 2
    assert "not text in a known encoding" in result.output and "--encoding" in result.output
    assert "header lacks" not in result.output


def test_utf16_without_bom_imports_with_its_encoding_named(tmp_path: Path) -> None:
    f = write(tmp_path / "r.csv", (HEADER + GOOD).encode("utf-16-le"))
    assert run("registry", "import", "--encoding", "utf-16-le", str(f)).exit_code == 0
    assert people_in_store(tmp_path) == 1


def test_csv_export_neutralises_formulas_and_import_restores_them(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example","klik")'
    row = GOOD.replace("Rina Saputra", '"' + formula.replace('"', '""') + '"')
    row = row.replace("Dinas Kesehatan", "@Dinas").replace(",64.71,", ",-64.71,")
    assert run("registry", "import", str(write(tmp_path / "a.csv", HEADER + row))).exit_code == 0
    exported = tmp_path / "out.csv"
    assert run("registry", "export", "--format", "csv", "-o", str(exported)).exit_code == 0
    with exported.open(newline="", encoding="utf-8") as handle:
        [record] = list(csv.DictReader(handle))
    assert record["name"] == "'" + formula
    assert record["agency"] == "'@Dinas" and record["region_code"] == "'-64.71"
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in record.values())
    again = run("registry", "import", str(exported))
    assert again.exit_code == 0 and "1 unchanged" in again.output, again.output
