"""Scoring speed on 10,000 realistic, distinct posts (2 cores): the raw encoder on torch and on
ONNX int8, then end-to-end scoring (normalise + gloss + encode + heads + explanation).
Targets: end-to-end >= 90 % of the raw encoder's throughput; >= 350 posts/s with ONNX int8.

Texts are corpus posts extended with generated sentences so that no two are alike: the embedding
cache gets no hits, which is the worst case (copy-paste campaigns only make it faster).
"""

from __future__ import annotations

import argparse
import random
import time

from _common import ROOT, peak_rss_mb, report

from classifiers.corpus import load_corpus
from classifiers.encoder import Backend, Encoder
from classifiers.model import PostInput
from classifiers.normalise import normalise
from netra import synth
from netra.scoring import build_scorer
from netra.settings import Settings

BATCH = 1024  # the encoder sorts by length within a call: bigger calls pad less


def realistic_posts(count: int, seed: int = 17) -> list[PostInput]:
    rng = random.Random(seed)
    corpus = load_corpus(ROOT / "data" / "corpus")
    posts, seen = [], set()
    while len(posts) < count:
        example = rng.choice(corpus)
        text = example.text if rng.random() < 0.5 else f"{example.text} {synth.post_text(rng)}"
        text = f"{text} {rng.randrange(10**6)}" if text in seen else text
        seen.add(text)
        posts.append(PostInput(text, [example.media] if example.media else []))
    return posts


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
    posts = realistic_posts(args.posts)
    glossed = [scorer.glossary.apply(normalise(p.text)) for p in posts]
    figures: dict[str, object] = {
        "posts": len(posts),
        "mean_chars": round(sum(len(p.text) for p in posts) / len(posts)),
    }
    for backend in (Backend.TORCH, Backend.ONNX_INT8):
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
