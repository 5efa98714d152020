"""Copy-paste campaigns: text fingerprints, grouping, near-duplicates, determinism and bounds."""

from __future__ import annotations

import random
from pathlib import Path

from netra.campaigns import (
    FINGERPRINT_CHARS,
    Grouping,
    campaigns,
    fingerprint,
    group_hits,
    scan_filter,
)
from netra.domain.models import FlagStatus, Platform
from netra.store.base import FlagFilter, FlagHit
from tests import factories, ui_seed

CAMPAIGN = "Ayo coblos nomor 2! Bersama Rudy–Seno Kaltim makin maju. Sebarkan! #KaltimBerdaulat"


def hit(native: str, text: str, handle: str | None = None, p: float = 0.9) -> FlagHit:
    post = factories.post(native, text=text, account_handle=handle or f"akun{native}")
    return FlagHit(flag=factories.flag(post, p=p), post=post, person=None)


def test_the_fingerprint_drops_what_copy_paste_varies() -> None:
    variants = [
        CAMPAIGN,
        CAMPAIGN.upper(),
        f"@budi_s {CAMPAIGN} https://t.co/abc123",
        CAMPAIGN.replace("!", "!!!").replace(" ", "   "),
        f"{CAMPAIGN} @rina@mastodon.social www.contoh.id/x ✌️",
        f"  {CAMPAIGN}\n",
    ]
    prints = {fingerprint(text) for text in variants}
    assert prints == {
        "ayo coblos nomor 2 bersama rudy seno kaltim makin maju sebarkan kaltimberdaulat"
    }
    assert fingerprint("Pilih nomor 1!") != fingerprint("Pilih nomor 2!")
    assert len(fingerprint("kata " * 200)) == FINGERPRINT_CHARS
    assert fingerprint("https://t.co/x @someone 🙏") == ""


def test_same_text_from_several_accounts_is_one_group_largest_first() -> None:
    hits = [
        hit("1", "Rapat koordinasi vaksinasi di puskesmas.", p=0.99),
        hit("2", CAMPAIGN, "rina"),
        hit("3", f"{CAMPAIGN} https://t.co/a", "dedi"),
        hit("4", f"@rina {CAMPAIGN.lower()}", "siti"),
        hit("5", CAMPAIGN, "rina"),  # the same account twice
        hit("6", "Pilih pasangan nomor 1 untuk Kaltim!"),
    ]
    groups = group_hits(hits)
    assert [g.size for g in groups] == [4, 1, 1]
    assert groups[0].flag_ids == ["x:2", "x:3", "x:4", "x:5"]  # in the order they came
    assert groups[0].accounts == 3
    assert groups[0].sample.flag.id == "x:2"
    assert groups[1].top_score == 0.99  # equal sizes: the higher score first


def test_grouping_is_deterministic_and_keys_do_not_depend_on_order() -> None:
    hits = [hit(str(i), CAMPAIGN if i % 3 == 0 else f"teks berbeda nomor {i}") for i in range(30)]
    first = group_hits(hits, secret=b"k")
    shuffled = list(hits)
    random.Random(7).shuffle(shuffled)
    second = group_hits(shuffled, secret=b"k")
    assert [(g.key, sorted(g.flag_ids)) for g in first] == [
        (g.key, sorted(g.flag_ids)) for g in second
    ]
    assert group_hits(hits, secret=b"k")[0].key == first[0].key
    # the key is keyed: without the secret nobody can check a guessed text against it
    assert group_hits(hits, secret=b"other")[0].key != first[0].key


def test_near_duplicates_merge_through_their_embeddings() -> None:
    hits = [
        hit("1", CAMPAIGN),
        hit("2", CAMPAIGN.replace("makin maju", "makin jaya")),  # one word changed
        hit("3", "Debat kedua paslon gubernur malam ini, siapa yang paling meyakinkan?"),
    ]
    close = {"x:1": [1.0, 0.0, 0.0], "x:2": [0.99, 0.05, 0.0], "x:3": [0.98, 0.1, 0.0]}
    groups = group_hits(hits, close)
    assert [sorted(g.flag_ids) for g in groups] == [["x:1", "x:2"], ["x:3"]]
    # near in meaning but not in wording (x:3) stays apart; without vectors nothing merges
    assert [g.size for g in group_hits(hits)] == [1, 1, 1]
    far = {"x:1": [1.0, 0.0, 0.0], "x:2": [0.0, 1.0, 0.0]}
    assert [g.size for g in group_hits(hits, far)] == [1, 1, 1]
    # vectors of another length (another model) are left out, not an error
    assert [g.size for g in group_hits(hits, {"x:1": [1.0, 0.0], "x:2": [1.0, 0.0, 0.0]})] == [
        1,
        1,
        1,
    ]


def test_near_duplicates_do_not_chain_across_unrelated_texts() -> None:
    words = "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh".split()
    # each text shares most words with the one before it, few with the first
    texts = [" ".join(words[i : i + 6]) for i in range(5)]
    hits = [hit(str(i), text) for i, text in enumerate(texts)]
    same = {f"x:{i}": [1.0, 0.0] for i in range(5)}
    groups = group_hits(hits, same)
    # a text joins a group's first text (its leader) only, never a member: no chain 0→1→…→4
    assert [g.flag_ids for g in groups] == [["x:0", "x:1", "x:2"], ["x:3", "x:4"]]


def test_posts_with_no_words_are_not_grouped_together() -> None:
    hits = [hit("1", "https://t.co/a"), hit("2", "https://t.co/b"), hit("3", "🙏🙏")]
    assert [g.size for g in group_hits(hits, {f"x:{i}": [1.0] for i in (1, 2, 3)})] == [1, 1, 1]


def test_the_seeded_campaign_is_one_group_of_four(tmp_path: Path) -> None:
    store = ui_seed.seed(tmp_path / "ui.db")
    try:
        grouping = campaigns(store, None)
        assert isinstance(grouping, Grouping)
        top = grouping.campaigns[0]
        assert top.size == 4 and top.accounts == 4
        assert top.sample.post.text == ui_seed.CAMPAIGN_TEXT
        assert all(g.size == 1 for g in grouping.campaigns[1:])
        assert grouping.scanned == 13 and not grouping.truncated  # open flags only
        assert grouping.find(top.key) == top and grouping.find("nope") is None
        bounded = campaigns(store, None, cap=5)
        assert bounded.scanned == 5 and bounded.truncated
        decided = campaigns(store, FlagFilter(statuses=frozenset({FlagStatus.CONFIRMED})))
        assert decided.scanned == 1
        by_text = campaigns(store, FlagFilter(platforms=frozenset({Platform.X})), q="coblos")
        assert [g.size for g in by_text.campaigns] == [4]
    finally:
        store.close()


def test_the_scan_reads_open_flags_unless_a_status_is_chosen() -> None:
    assert scan_filter(None).statuses == {FlagStatus.NEW, FlagStatus.IN_REVIEW}
    chosen = FlagFilter(statuses=frozenset({FlagStatus.DISMISSED}), agencies=frozenset({"A"}))
    assert scan_filter(chosen) == chosen
