"""ONNX exports of a sentence-transformers model: fp32 once, then int8 per CPU configuration.

An export folder holds ``netra-onnx.json`` (the manifest): which files it holds, fp32 and one
int8 file per quantisation configuration, and the library versions that wrote them. The manifest
is the truth: a file is used only once the manifest names it, so a half-finished export is never
loaded, and a folder copied from a machine with another CPU gets the configuration this CPU
needs added beside what it already holds, without exporting fp32 again.

The int8 file's name is the library's, not ours: sentence-transformers names it after the
weights' dtype and the configuration (``model_quint8_avx2.onnx`` — unsigned weights for AVX2,
``model_qint8_avx512_vnni.onnx`` — signed ones for VNNI). ``quantised_file_name`` asks the same
optimum configuration the export uses, and the export checks the file is really there.
"""

from __future__ import annotations

import json
import logging
import platform
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

QUANTISATION_CONFIGS = ("arm64", "avx2", "avx512", "avx512_vnni")
MANIFEST_FILE = "netra-onnx.json"
FP32_FILE = "onnx/model.onnx"
_LIBRARIES = ("sentence-transformers", "optimum", "onnx", "onnxruntime", "transformers")


class ExportError(RuntimeError):
    """An ONNX export or quantisation could not be made; the message says which and why."""


def quantised_file_name(config: str) -> str:
    """The file sentence-transformers writes for ``config``: ``onnx/model_<dtype>_<config>.onnx``
    where dtype is the weights' type in that optimum configuration (qint8 or quint8)."""
    if config not in QUANTISATION_CONFIGS:
        raise ValueError(f"unknown quantisation configuration {config!r}")
    from optimum.onnxruntime.configuration import AutoQuantizationConfig

    quantisation = getattr(AutoQuantizationConfig, config)(is_static=False)
    return f"onnx/model_{quantisation.weights_dtype.name.lower()}_{config}.onnx"


@dataclass(frozen=True)
class Cpu:
    machine: str
    flags: frozenset[str]

    @classmethod
    def this(cls) -> Cpu:
        try:
            text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        return cls.parse(platform.machine(), text)

    @classmethod
    def parse(cls, machine: str, cpuinfo: str) -> Cpu:
        flags: set[str] = set()
        for line in cpuinfo.splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() in ("flags", "features"):
                flags.update(value.split())
        return cls(machine.lower(), frozenset(flags))

    def runnable_configs(self) -> list[str]:
        """The quantisation configurations this CPU runs well, best first.

        ``avx2`` is the portable x86-64 choice (unsigned weights with a reduced range, which
        cannot saturate on AVX2's 16-bit accumulators); the AVX-512 ones need those
        instructions; ``arm64`` is for ARM."""
        if self.machine in ("aarch64", "arm64"):
            return ["arm64"]
        if self.machine not in ("x86_64", "amd64"):
            return []
        configs = []
        if "avx512_vnni" in self.flags:
            configs.append("avx512_vnni")
        if {"avx512f", "avx512bw"} <= self.flags:
            configs.append("avx512")
        return [*configs, "avx2"]

    def best_config(self) -> str | None:
        configs = self.runnable_configs()
        return configs[0] if configs else None


@dataclass
class Manifest:
    source: str = ""
    fp32: str | None = None
    quantised: dict[str, str] = field(default_factory=dict)
    libraries: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            raw = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
            return cls(
                source=str(raw.get("source", "")),
                fp32=raw.get("fp32"),
                quantised=dict(raw.get("quantised", {})),
                libraries=dict(raw.get("libraries", {})),
            )
        except (OSError, ValueError, TypeError, AttributeError):
            return cls()

    def write(self, folder: Path) -> None:
        staging = folder / (MANIFEST_FILE + ".tmp")
        staging.write_text(json.dumps(self.__dict__, indent=2, sort_keys=True), encoding="utf-8")
        staging.replace(folder / MANIFEST_FILE)

    def holds(self, folder: Path, relative: str | None) -> bool:
        return relative is not None and (folder / relative).is_file()


def library_versions() -> dict[str, str]:
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


@contextmanager
def quiet_libraries() -> Iterator[None]:
    """The one-off export makes torch, transformers and optimum print notes that are noise to a
    Netra user; our own log line says what is happening."""
    import warnings

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


def export_folder(cache_dir: Path, source: str) -> Path:
    return cache_dir / f"{Path(source).name or 'model'}-onnx"


def ensure_fp32(source: str, folder: Path) -> str:
    """Export ``source`` to ONNX fp32 in ``folder`` unless the manifest already names it."""
    manifest = Manifest.read(folder)
    if manifest.holds(folder, manifest.fp32):
        return FP32_FILE
    from sentence_transformers import SentenceTransformer

    log.info("exporting %s to ONNX in %s, once", source, folder)
    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, ignore=shutil.ignore_patterns("onnx", "openvino"))
    try:
        with quiet_libraries():
            exported = SentenceTransformer(str(staging), backend="onnx", device="cpu")
            exported.save_pretrained(str(staging))
    except Exception as exc:  # noqa: BLE001 - any library failure is reported the same way
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportError(f"ONNX export of {source} failed: {exc}") from exc
    if not (staging / FP32_FILE).is_file():
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportError(f"ONNX export of {source} wrote no {FP32_FILE}")
    Manifest(source=source, fp32=FP32_FILE, libraries=library_versions()).write(staging)
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)  # atomic: a half-written export is never picked up
    return FP32_FILE


def ensure_quantised(folder: Path, config: str) -> str:
    """Quantise the folder's fp32 export for ``config`` unless the manifest already names it;
    returns the file, relative to the folder."""
    manifest = Manifest.read(folder)
    known = manifest.quantised.get(config)
    if manifest.holds(folder, known):
        return str(known)
    if not manifest.holds(folder, manifest.fp32):
        raise ExportError(f"{folder} holds no fp32 ONNX export to quantise")
    expected = quantised_file_name(config)
    from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

    log.info("quantising %s to int8 for %s, once", folder, config)
    try:
        with quiet_libraries():
            model = SentenceTransformer(
                str(folder), backend="onnx", device="cpu", model_kwargs={"file_name": FP32_FILE}
            )
            export_dynamic_quantized_onnx_model(model, config, str(folder))
    except Exception as exc:  # noqa: BLE001
        raise ExportError(f"int8 quantisation ({config}) of {folder} failed: {exc}") from exc
    written = _find_quantised(folder, config, expected)
    manifest.quantised[config] = written
    manifest.libraries = library_versions()
    manifest.write(folder)
    return written


def _find_quantised(folder: Path, config: str, expected: str) -> str:
    if (folder / expected).is_file():
        return expected
    # A library version that names its files differently: take what it wrote for this config.
    found = sorted((folder / "onnx").glob(f"model_*_{config}.onnx"))
    if len(found) == 1:
        log.warning("quantised file is %s, not %s as expected", found[0].name, expected)
        return str(found[0].relative_to(folder))
    raise ExportError(
        f"int8 quantisation ({config}) wrote no {expected} in {folder}"
        f" (found: {[p.name for p in found] or 'nothing'})"
    )


def load_onnx(folder: Path, relative: str) -> Any:
    from sentence_transformers import SentenceTransformer

    with quiet_libraries():
        return SentenceTransformer(
            str(folder), backend="onnx", device="cpu", model_kwargs={"file_name": relative}
        )
