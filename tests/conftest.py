from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads a developer's .env or writes to the real var/."""
    for key in list(os.environ):
        if key.startswith("NETRA_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("NETRA_DB_PATH", str(tmp_path / "netra.db"))
    monkeypatch.setenv("NETRA_DATA_DIR", str(ROOT / "data"))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("NETRA_MODEL_DIR", str(tmp_path / "var" / "models"))
    monkeypatch.chdir(tmp_path)
