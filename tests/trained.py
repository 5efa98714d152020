"""Copies of the session's default model (the ``default_model_dir`` fixture in conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path


def model_copy(default_model_dir: Path, target: Path) -> Path:
    """A private copy of the session's default model (a test may retrain or promote in it)."""
    shutil.copytree(default_model_dir, target, dirs_exist_ok=True)
    return target
