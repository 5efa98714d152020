from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEPT_SETTINGS = frozenset({"NETRA_ENCODER_BACKEND"})
sys.path.insert(0, str(ROOT / "tests"))


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads a developer's .env or writes to the real var/."""
    for key in list(os.environ):
        # The encoder backend is kept, so `NETRA_ENCODER_BACKEND=torch make test` tests torch.
        if key.startswith("NETRA_") and key not in KEPT_SETTINGS:
            monkeypatch.delenv(key)
    monkeypatch.setenv("NETRA_DB_PATH", str(tmp_path / "netra.db"))
    monkeypatch.setenv("NETRA_DATA_DIR", str(ROOT / "data"))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("NETRA_MODEL_DIR", str(tmp_path / "var" / "models"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def default_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default model and its encoder export, trained once per session (about three minutes
    on 2 cores). Tests that need a model but do not test training copy it with ``model_copy``;
    the classifier tests train their own, because training is what they test."""
    from netra.domain.settings import Settings
    from netra.scoring import load_model

    folder = tmp_path_factory.mktemp("default-model")
    load_model(Settings(model_dir=folder, data_dir=ROOT / "data", var_dir=folder / "var"))
    return folder

