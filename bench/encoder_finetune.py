"""Does fine-tuning the encoder on the labelled corpus pay? all-MiniLM-L6-v2 as shipped against the
same model fine-tuned on the corpus (a linear head on its normalised embedding, binary
cross-entropy, all layers trained, on CPU), compared on a real source held out of both the
fine-tuning and the classifier: the semantic view alone and the whole pipeline, PR-AUC.

    python bench/encoder_finetune.py --source pilkada_jatim2024 --epochs 1

One epoch over ~3,100 training posts takes ~4.5 minutes on 2 cores; the figures are in
bench/README.md. Not run by `make bench` (it trains a model).
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
from _common import ROOT, report
from sklearn.metrics import average_precision_score

from classifiers.corpus import load_corpus, model_text, split_of
from classifiers.encoder import Backend, Encoder, resolve_model_path
from classifiers.gazetteer import Gazetteer
from classifiers.generalisation import held_out_sources
from classifiers.normalise import Glossary, normalise
from classifiers.train import prepare_examples, semantic_view


class FineTuned:
    """The fine-tuned model behind the Encoder interface the pipeline uses."""

    model_name = "all-MiniLM-L6-v2 (fine-tuned)"
    dim = 384

    def __init__(self, model) -> None:  # type: ignore[no-untyped-def]
        self.model = model
        self.name = self.model_name

    def encode(self, texts):  # type: ignore[no-untyped-def]
        import torch

        with torch.no_grad():
            vectors = self.model.encode(
                list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True
            )
        return np.asarray(vectors, dtype=np.float32)


def fine_tune(texts: list[str], labels: np.ndarray, epochs: float, seed: int = 13):  # type: ignore[no-untyped-def]
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = SentenceTransformer(resolve_model_path("all-MiniLM-L6-v2"), device="cpu")
    model.max_seq_length = 64
    head = torch.nn.Linear(model.get_sentence_embedding_dimension() or 384, 1)
    optimiser = torch.optim.AdamW([*model.parameters(), *head.parameters()], lr=3e-5)
    order = [i for _ in range(int(np.ceil(epochs))) for i in range(len(texts))]
    rng.shuffle(order)
    order = order[: int(len(texts) * epochs)]
    model.train()
    for start in range(0, len(order), 32):
        rows = order[start : start + 32]
        features = model.preprocess([texts[r] for r in rows])
        embedding = torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)
        logits = head(embedding * 8).squeeze(-1)
        target = torch.tensor(labels[rows], dtype=torch.float32)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    model.eval()
    return model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default="pilkada_jatim2024")
    parser.add_argument("--epochs", type=float, default=1.0)
    args = parser.parse_args()
    data = ROOT / "data"
    examples = load_corpus(data / "corpus")
    gazetteer = Gazetteer.load(data / "gazetteer")
    glossary = Glossary.load(data / "lexicon" / "gloss_id_en.tsv")
    texts = [
        glossary.apply(normalise(model_text(e.text, [e.media] if e.media else [])))
        for e in examples
    ]
    labels = np.array([e.label for e in examples])
    held = np.array([e.source == args.source for e in examples])
    train_rows = np.flatnonzero(
        (np.array([split_of(e.family) for e in examples]) == "train") & ~held
    )

    started = time.perf_counter()
    tuned = FineTuned(fine_tune([texts[i] for i in train_rows], labels[train_rows], args.epochs))
    tuning_s = time.perf_counter() - started
    figures: dict[str, object] = {"held_out": args.source, "epochs": args.epochs}
    figures["fine_tuning_s"] = round(tuning_s)
    shipped = Encoder(backend=Backend.ONNX_INT8, cache_dir=ROOT / "var" / "models" / "encoders")
    for name, encoder in (("shipped", shipped), ("fine_tuned", tuned)):
        prepared = prepare_examples(examples, encoder, gazetteer, glossary)  # type: ignore[arg-type]
        view = semantic_view(13).fit(prepared.embeddings[train_rows], labels[train_rows])
        semantic = view.predict_proba(prepared.embeddings[held])[:, 1]
        figures[f"{name}_semantic_view_pr_auc"] = round(
            float(average_precision_score(labels[held], semantic)), 3
        )
        sources, _ = held_out_sources(examples, prepared, sources=[args.source])
        model = sources[args.source]["model"]
        figures[f"{name}_pipeline_pr_auc"] = model["pr_auc"]
        figures[f"{name}_pipeline_f1"] = model["f1"]
    report("encoder_finetune", **figures)


if __name__ == "__main__":
    main()
