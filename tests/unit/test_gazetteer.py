from datetime import date
from pathlib import Path

import pytest

from classifiers.gazetteer import Gazetteer
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
    assert {e.id for e in gazetteer.campaigns_on(date(2024, 10, 1))} == {
        "pilgub-kaltim-2024",
        "pilwali-balikpapan-2024",
    }
    assert gazetteer.campaigns_on(date(2024, 12, 1)) == []


def test_bad_gazetteer_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text("[[elections]]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="x.toml"):
        Gazetteer.load(tmp_path)
