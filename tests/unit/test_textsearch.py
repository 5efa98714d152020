import pytest

from netra.domain.textsearch import (
    UnusableQuery,
    check_query,
    fts_query,
    index_terms,
    split_hashtag,
    stem,
)


@pytest.mark.parametrize(
    "word, root",
    [
        ("berkampanye", "kampanye"),
        ("dikampanyekan", "kampanye"),
        ("kampanyenya", "kampanye"),
        ("pemenangan", "menang"),
        ("menangkan", "menang"),
        ("pilihlah", "pilih"),
        ("makan", "makan"),
        ("guru", "guru"),
        ("dukungan", "dukung"),
    ],
)
def test_stem(word: str, root: str) -> None:
    assert stem(word) == root


def test_hashtags_are_kept_and_split() -> None:
    assert split_hashtag("#CoblosNomor2") == ["coblos", "nomor", "2"]
    assert split_hashtag("#pilkadadamai") == ["pilkadadamai"]
    terms = index_terms("Ayo #CoblosNomor2 berkampanye!")
    assert {"coblosnomor2", "coblos", "nomor", "2", "berkampanye", "kampanye"} <= set(terms)


def test_query_is_stemmed_and_never_raw_fts_syntax() -> None:
    assert fts_query("pemenangan paslon") == '"menang" AND "paslon"'
    assert fts_query('"nomor 2" OR') == '"nomor 2" AND "or"'
    assert fts_query("kamp*") == '"kamp"*'
    assert fts_query("#CoblosNomor2") == '"coblos nomor 2"'
    assert fts_query("   ") is None
    assert fts_query('") NEAR(') == '"near"'  # operators become plain quoted words


@pytest.mark.parametrize("q", ["😀", "%", '"', '""', "*", "选举", "ملک", "…"])
def test_a_query_without_a_searchable_word_is_refused_not_dropped(q: str) -> None:
    with pytest.raises(UnusableQuery, match="no searchable word"):
        fts_query(q)
    with pytest.raises(UnusableQuery):
        check_query(q)
    assert check_query(" ") == " " and check_query(None) is None  # blank: no search at all
    assert fts_query(f"kampanye {q}") == '"kampanye"'  # beside a word it adds nothing


@pytest.mark.parametrize(
    "forms",
    [
        ("menang", "menangkan", "pemenangan", "kemenangan"),
        ("pilih", "memilih", "pemilihan", "terpilih"),
        ("dukung", "mendukung", "didukung", "pendukung", "dukungan"),
        ("coblos", "mencoblos", "dicoblos"),
    ],
)
def test_derived_forms_share_a_stem(forms: tuple[str, ...]) -> None:
    assert {stem(f) for f in forms} == {forms[0]}
