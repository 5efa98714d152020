"""Which int8 file each quantisation configuration writes, and which configurations a CPU runs:
pure logic, checked for all four configurations on any machine."""

from __future__ import annotations

import pytest

from classifiers.onnx_export import QUANTISATION_CONFIGS, Cpu, Manifest, quantised_file_name

AVX2_ONLY = "flags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c avx2 fma bmi2\n"
VNNI = "flags\t\t: sse4_2 avx avx2 avx512f avx512dq avx512bw avx512vl avx512_vnni\n"
GRAVITON = "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics asimddp\n"


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        # AVX2 quantises weights unsigned: the name that broke AVX2-only machines.
        ("avx2", "onnx/model_quint8_avx2.onnx"),
        ("avx512", "onnx/model_qint8_avx512.onnx"),
        ("avx512_vnni", "onnx/model_qint8_avx512_vnni.onnx"),
        ("arm64", "onnx/model_qint8_arm64.onnx"),
    ],
)
def test_quantised_file_name_matches_what_the_export_writes(config: str, expected: str) -> None:
    assert quantised_file_name(config) == expected


def test_every_configuration_has_a_name() -> None:
    assert {quantised_file_name(c).split("_", 2)[-1] for c in QUANTISATION_CONFIGS} == {
        f"{c}.onnx" for c in QUANTISATION_CONFIGS
    }
    with pytest.raises(ValueError, match="unknown quantisation"):
        quantised_file_name("sse4")


@pytest.mark.parametrize(
    ("machine", "cpuinfo", "configs"),
    [
        ("x86_64", AVX2_ONLY, ["avx2"]),
        ("x86_64", VNNI, ["avx512_vnni", "avx512", "avx2"]),
        ("x86_64", "", ["avx2"]),  # no /proc/cpuinfo: the portable x86-64 choice
        ("aarch64", GRAVITON, ["arm64"]),
        ("arm64", "", ["arm64"]),
        ("riscv64", "isa : rv64imafdc\n", []),
    ],
)
def test_runnable_configurations_by_cpu(machine: str, cpuinfo: str, configs: list[str]) -> None:
    cpu = Cpu.parse(machine, cpuinfo)
    assert cpu.runnable_configs() == configs
    assert cpu.best_config() == (configs[0] if configs else None)


def test_unreadable_manifest_reads_as_empty(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "netra-onnx.json").write_text("{not json", encoding="utf-8")
    manifest = Manifest.read(tmp_path)
    assert manifest.fp32 is None and manifest.quantised == {}
