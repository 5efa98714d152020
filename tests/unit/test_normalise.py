import pytest

from classifiers.normalise import Glossary, normalise, split_hashtag


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("cek https://t.co/xYz dan www.kpu.go.id ya @budi_s", "cek <url> dan <url> ya <mention>"),
        ("#CoblosNomor2", "coblos nomor 2"),
        ("#coblosnomor2 #pilkadadamai2024", "coblos nomor 2 pilkada damai 2024"),
        ("mantappp ayooo bgttt", "mantap ayo banget"),
        (
            "gk ada yg bs dtg utk rapat dgn pak camat",
            "tidak ada yang bisa dtg untuk rapat dengan bapak camat",
        ),
        ("ulun handak bulik, pian kada umpat kah", "saya mau pulang , anda tidak umpat kah"),
        ("ojo lali, wes tenan", "jangan lali , sudah sungguh"),
        ("✌️ sampai menang 👍🏽 🤟", "dua jari sampai menang jempol salam tiga jari"),
        (
            "pilih no.02, nomor urut dua, paslon3, No 1",
            "pilih nomor 2 , nomor 2 , nomor 3 , nomor 1",
        ),
        ("juara 2 lomba 17an, skor 3-1", "juara 2 lomba 17an , skor 3-1"),
        ("bapak2 ibu2 semua", "bapak-bapak ibu-ibu semua"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_hashtag_splitting() -> None:
    assert split_hashtag("MenangkanRusmiati") == ["menangkan", "rusmiati"]
    assert split_hashtag("jagantralitas") == ["jaga", "ntralitas"]  # unknown rest stays whole
    assert split_hashtag("2024pilkada") == ["2024", "pilkada"]


def test_glossary_writes_english_in_place_of_the_words(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "g.tsv"
    path.write_text("pilih\tvote choose\nnomor\tnumber\n", encoding="utf-8")
    glossary = Glossary.load(path)
    # Unglossed words (names, numbers) stay where they were.
    assert glossary.apply("ayo pilih nomor 2 rusmiati") == "ayo vote choose number 2 rusmiati"
    assert glossary.apply("selamat pagi") == "selamat pagi"
    path.write_text("pilih vote\n", encoding="utf-8")
    with pytest.raises(ValueError, match="g.tsv:1"):
        Glossary.load(path)
