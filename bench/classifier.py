"""Scoring speed on 10,000 distinct real posts (2 cores): the raw encoder on torch and on ONNX
int8, then end-to-end scoring (normalise + gazetteer + gloss + encode + heads + explanation).
Targets: end-to-end >= 90 % of the raw int8 encoder's throughput in the same run; >= 350 posts/s
end to end where AVX-512 VNNI is available.

Posts are the real public election posts of the published data sets in
``../shared/data/real-election-posts/`` (about 12,000, mostly not in the corpus); where that folder
is absent, the corpus's real parts topped up with written posts. Every text is distinct, so the
embedding cache gets no hits: the worst case (copy-paste campaigns only make it faster).
"""

from __future__ import annotations

import argparse
import csv
import random
import time

from _common import ROOT, peak_rss_mb, report

from classifiers.corpus import load_corpus
from classifiers.encoder import Backend, Encoder
from classifiers.model import PostInput
from classifiers.normalise import normalise
from netra.domain.settings import Settings
from netra.scoring import build_scorer

BATCH = 1024  # the encoder sorts by length within a call: bigger calls pad less


REAL_POSTS = ROOT.parent / "shared" / "data" / "real-election-posts"


def real_posts(count: int, seed: int = 17) -> tuple[list[PostInput], str]:
    """Distinct real posts (blog articles cut to a post's length), shuffled; and where from."""
    texts: list[str] = []
    if REAL_POSTS.is_dir():
        for path in sorted(REAL_POSTS.glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                texts += [row["text"][:600] for row in csv.DictReader(handle)]
        origin = f"{REAL_POSTS.name} (published data sets)"
    else:
        corpus = load_corpus(ROOT / "data" / "corpus")
        texts = [e.text for e in corpus if e.is_real] + [e.text for e in corpus if not e.is_real]
        origin = "corpus (real parts first)"
    distinct = list(dict.fromkeys(t for t in texts if t.strip()))
    random.Random(seed).shuffle(distinct)
    return [PostInput(t) for t in distinct[:count]], origin


def rate(encoder_or_fn, items, batch: int = BATCH) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for i in range(0, len(items), batch):
        encoder_or_fn(items[i : i + batch])
    return len(items) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    args = parser.parse_args()
    settings = Settings(data_dir=ROOT / "data", model_dir=ROOT / "var" / "models")
    scorer = build_scorer(settings, announce=print)
    posts, origin = real_posts(args.posts)
    glossed = [scorer.glossary.apply(normalise(p.text)) for p in posts]
    figures: dict[str, object] = {
        "posts": len(posts),
        "from": origin,
        "mean_chars": round(sum(len(p.text) for p in posts) / len(posts)),
    }
    for backend in (Backend.TORCH, Backend.ONNX_FP32, Backend.ONNX_INT8):
        encoder = Encoder(backend=backend, cache_dir=settings.model_dir / "encoders", cache_size=0)
        figures[f"encoder_{backend.value}_posts_per_s"] = round(
            rate(encoder._encode_uncached, glossed)
        )
    scorer.encoder._cache_size = 0  # no cache hits: every post is encoded
    figures["end_to_end_onnx_int8_posts_per_s"] = round(rate(scorer.score, posts))
    figures["end_to_end_without_explanation_posts_per_s"] = round(
        rate(lambda batch: scorer.score(batch, explain=False), posts)
    )
    figures["end_to_end_share_of_raw_encoder"] = round(
        figures["end_to_end_onnx_int8_posts_per_s"] / figures["encoder_onnx-int8_posts_per_s"],
        3,  # type: ignore[operator]
    )
    scorer.encoder._cache_size = 50_000
    repeated = [posts[i % 1000] for i in range(len(posts))]  # a copy-paste campaign: 10 x 1,000
    figures["end_to_end_with_10x_repeats_posts_per_s"] = round(rate(scorer.score, repeated))
    figures["peak_rss_mb"] = round(peak_rss_mb())
    report("classifier", **figures)


if __name__ == "__main__":
    main()
