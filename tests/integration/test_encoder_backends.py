"""The real encoder exported to ONNX and quantised on this machine, for every configuration this
CPU runs; a folder exported for another CPU; and the fallbacks int8 → fp32 → torch when a step
cannot be made. No mocks: failures come from a CPU with no configuration and a cache folder that
cannot be written."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from classifiers import onnx_export
from classifiers.encoder import Backend, Encoder, resolve_model_path
from classifiers.onnx_export import Cpu, Manifest

pytestmark = pytest.mark.slow
TEXTS = ["Ayo coblos nomor 2, menang satu putaran!", "Rapat koordinasi dinas pendidikan pagi ini"]
SOURCE = resolve_model_path("all-MiniLM-L6-v2")
THIS_CPU = Cpu.this()
NO_INT8_CPU = Cpu("riscv64", frozenset())


@pytest.fixture(scope="module")
def fp32_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fp32 export per module; each test copies it, so they stay independent."""
    cache = tmp_path_factory.mktemp("encoders")
    onnx_export.ensure_fp32(SOURCE, onnx_export.export_folder(cache, SOURCE))
    return cache


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    return Encoder(backend=Backend.TORCH).encode(TEXTS)


@pytest.fixture()
def cache(fp32_export: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "encoders"
    shutil.copytree(fp32_export, copy)
    return copy


@pytest.mark.parametrize("config", THIS_CPU.runnable_configs())
def test_export_and_load_each_configuration_this_cpu_runs(
    config: str, cache: Path, torch_vectors: np.ndarray
) -> None:
    cpu = Cpu(THIS_CPU.machine, THIS_CPU.flags)
    encoder = Encoder(backend=Backend.ONNX_INT8, cache_dir=cache, cpu=_only(cpu, config))
    assert encoder.active_backend is Backend.ONNX_INT8 and encoder.fallback_reason is None
    folder = onnx_export.export_folder(cache, SOURCE)
    written = Manifest.read(folder).quantised[config]
    assert written == onnx_export.quantised_file_name(config)
    assert (folder / written).is_file()
    cosine = (encoder.encode(TEXTS) * torch_vectors).sum(axis=1)
    assert cosine.min() > 0.97, cosine


def test_folder_exported_for_another_cpu_gets_this_cpus_configuration(cache: Path) -> None:
    folder = onnx_export.export_folder(cache, SOURCE)
    foreign = next(c for c in onnx_export.QUANTISATION_CONFIGS if c != THIS_CPU.best_config())
    onnx_export.ensure_quantised(folder, foreign)  # as if copied from a machine with that CPU
    fp32_time = (folder / onnx_export.FP32_FILE).stat().st_mtime_ns

    encoder = Encoder(backend=Backend.ONNX_INT8, cache_dir=cache)

    assert encoder.active_backend is Backend.ONNX_INT8
    held = Manifest.read(folder).quantised
    assert set(held) == {foreign, THIS_CPU.best_config()}
    assert str(THIS_CPU.best_config()) in encoder.describe()
    assert (folder / onnx_export.FP32_FILE).stat().st_mtime_ns == fp32_time  # not exported again


def test_no_int8_configuration_falls_back_to_fp32_and_says_why_once(
    cache: Path, torch_vectors: np.ndarray, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="classifiers.encoder"):
        encoder = Encoder(backend=Backend.ONNX_INT8, cache_dir=cache, cpu=NO_INT8_CPU)
    assert encoder.active_backend is Backend.ONNX_FP32
    assert encoder.fallback_reason and "riscv64" in encoder.fallback_reason
    assert "fell back" in encoder.describe()
    assert len([r for r in caplog.records if "cannot run here" in r.message]) == 1
    cosine = (encoder.encode(TEXTS) * torch_vectors).sum(axis=1)
    assert cosine.min() > 0.999


def test_no_onnx_export_possible_falls_back_to_torch(
    tmp_path: Path, torch_vectors: np.ndarray
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the export folder should go", encoding="utf-8")

    encoder = Encoder(backend=Backend.ONNX_INT8, cache_dir=blocked, cpu=NO_INT8_CPU)

    assert encoder.active_backend is Backend.TORCH
    reason = encoder.fallback_reason or ""
    assert reason.startswith("onnx-int8:") and "onnx-fp32:" in reason
    np.testing.assert_allclose(encoder.encode(TEXTS), torch_vectors, atol=1e-5)


def test_torch_asked_for_is_torch(torch_vectors: np.ndarray) -> None:
    encoder = Encoder(backend=Backend.TORCH)
    assert encoder.active_backend is Backend.TORCH and encoder.fallback_reason is None
    assert encoder.describe() == "all-MiniLM-L6-v2 on torch (cpu)"


def _only(cpu: Cpu, config: str) -> Cpu:
    """A CPU whose best configuration is ``config`` (one this machine really runs)."""

    class Pinned(Cpu):
        def runnable_configs(self) -> list[str]:
            return [config]

    return Pinned(cpu.machine, cpu.flags)


def test_status_and_settings_show_the_backend_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from netra.cli import app

    monkeypatch.setenv("NETRA_ENCODER_BACKEND", "torch")
    runner = CliRunner()
    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0, status.output
    assert "encoder: all-MiniLM-L6-v2 on torch (cpu)" in status.output
    shown = runner.invoke(app, ["settings"])
    assert shown.exit_code == 0, shown.output
    assert '"encoder_in_use": "all-MiniLM-L6-v2 on torch (cpu)"' in shown.output
