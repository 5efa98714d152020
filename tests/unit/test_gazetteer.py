from datetime import date
from pathlib import Path

import pytest

from classifiers.gazetteer import Gazetteer, camps_named
from classifiers.normalise import normalise

DATA = Path(__file__).resolve().parents[2] / "data" / "gazetteer"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load(DATA)


def kinds(gazetteer: Gazetteer, text: str) -> set[tuple[str, str]]:
    return {(m.kind, m.value) for m in gazetteer.match(normalise(text))}


@pytest.mark.parametrize(
    "text",
    ["Sukses pak Rudy Mas'ud!", "rudy masud mantap", "Rudy-Seno gaskeun", "#RudySeno"],
)
def test_candidate_aliases_and_spellings(gazetteer: Gazetteer, text: str) -> None:
    assert ("candidate", "02 Rudy Mas'ud – Seno Aji") in kinds(gazetteer, text) or (
        "hashtag",
        "#rudyseno (02 Rudy Mas'ud – Seno Aji)",
    ) in kinds(gazetteer, text)


def test_sabani_spellings_and_longest_alias(gazetteer: Gazetteer) -> None:
    for spelling in ("Sa'bani", "Sabani", "Sya'bani"):
        assert ("candidate", "03 Muhammad Sa'bani – Syukri Wahid") in kinds(
            gazetteer, f"ayo {spelling}"
        )
    matches = gazetteer.match(normalise("Rahmad Mas'ud hadir"))
    assert [m.matched for m in matches if m.kind == "candidate"] == ["rahmad mas ' ud"]


def test_slogan_party_and_ballot_number(gazetteer: Gazetteer) -> None:
    found = kinds(gazetteer, "program #gratispol dari Golkar, coblos no 2")
    assert ("party", "Golkar") in found
    assert ("ballot_number", "nomor 2") in found
    assert any(kind == "slogan" for kind, _ in found)


def test_ordinary_words_are_not_parties(gazetteer: Gazetteer) -> None:
    assert kinds(gazetteer, "bayar PBB tepat waktu, buruh pelabuhan, Garuda menang") == set()
    assert ("party", "Buruh") in kinds(gazetteer, "rapat Partai Buruh")


def test_campaign_period(gazetteer: Gazetteer) -> None:
    in_campaign = {e.id for e in gazetteer.campaigns_on(date(2024, 10, 1))}
    assert {"pilgub-kaltim-2024", "pilwali-balikpapan-2024", "pilgub-jatim-2024"} <= in_campaign
    assert "pilpres-2024" not in in_campaign
    assert {e.id for e in gazetteer.campaigns_on(date(2024, 1, 20))} == {"pilpres-2024"}
    assert gazetteer.campaigns_on(date(2025, 6, 1)) == []


def test_national_coverage(gazetteer: Gazetteer) -> None:
    """Both presidential races, every 2024 governor race (37 provinces: all but DI Yogyakarta),
    the Kaltim regents and mayors, and all 24 parties on the 2024 ballot, each with a source."""
    ids = {e.id for e in gazetteer.elections}
    assert {"pilpres-2019", "pilpres-2024"} <= ids
    governors = {e.region_code for e in gazetteer.elections if e.id.startswith("pilgub-")}
    assert len(governors) == 37 and "34" not in governors
    kaltim_local = {e.region_code for e in gazetteer.elections if e.region_code.startswith("64.")}
    assert len(kaltim_local) == 10
    numbers = sorted(p.number for p in gazetteer.parties.values() if p.number)
    assert numbers == list(range(1, 25))
    assert sum(1 for p in gazetteer.parties.values() if p.local_region == "11") == 6
    assert all(e.source for e in gazetteer.elections)


def test_raw_hashtags_accounts_and_attack_tags(gazetteer: Gazetteer) -> None:
    text = "@prabowo @sandiuno mantap! #2019GantiPresiden"
    found = {(m.kind, m.value) for m in gazetteer.match_post(normalise(text), text)}
    assert ("account", "02 Prabowo Subianto – Sandiaga Uno") in found
    assert any(kind == "attack_hashtag" and "Joko Widodo" in value for kind, value in found)
    tagged = "Ayo #AMINajaDulu"
    assert any(m.kind == "hashtag" for m in gazetteer.match_post(normalise(tagged), tagged))


def test_shared_alias_names_the_latest_race_and_one_word_names_need_an_alias(
    gazetteer: Gazetteer,
) -> None:
    assert ("candidate", "02 Prabowo Subianto – Gibran Rakabuming Raka") in kinds(
        gazetteer, "pak prabowo"
    )
    assert kinds(gazetteer, "jalan sudirman macet, surya tenggelam") == set()


def test_bad_gazetteer_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text("[[elections]]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="x.toml"):
        Gazetteer.load(tmp_path)


def pairs_named(gazetteer: Gazetteer, text: str) -> int:
    return camps_named(gazetteer.match_post(normalise(text), text))


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        # A supporter names their own pair, however many ways.
        ("Bu Khofifah dan mas Emil Dardak mantap, lanjutkan! #KhofifahEmil2024", 1),
        # Reports, polls and comparisons name the rivals too.
        ("Debat Pilgub Jatim: Khofifah Indar Parawansa dan Tri Rismaharini beradu program", 2),
        (
            "Survei: Luluk Nur Hamidah 10%, Khofifah Indar Parawansa 60%, Tri Rismaharini 30%"
            " #pilgubjatim #RismaGusHans",
            3,
        ),
        # An attack hashtag names the pair it attacks; a party or a number names no pair.
        ("#2019GantiPresiden, pilih Prabowo Sandi", 2),
        ("PKB nomor 1, Golkar nomor 4", 0),
        ("libur panjang ke pantai", 0),
    ],
)
def test_rival_pairs_named_in_one_race(gazetteer: Gazetteer, text: str, pairs: int) -> None:
    assert pairs_named(gazetteer, text) == pairs


def test_rival_pairs_of_different_races_are_not_added_up(gazetteer: Gazetteer) -> None:
    # Prabowo–Gibran (presidential, 2024) and Khofifah–Emil (East Java): two races, one pair each.
    text = "Prabowo Gibran dan Khofifah Emil Dardak"
    races = {m.election for m in gazetteer.match_post(normalise(text), text)}
    assert {"pilpres-2024", "pilgub-jatim-2024"} <= races
    assert pairs_named(gazetteer, text) == 1
